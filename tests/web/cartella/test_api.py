"""The cartella's API: need-to-know as on the pages, one audit row per read; an ente's token is
refused (personal tokens: tests/web/api/test_token_personale.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from equo.web.accounts.models import Utente
from equo.web.audit.models import TipoEvento
from equo.web.cartella.models import Erogazione, Intervento
from tests.web.api.conftest import ClientApi, righe_audit, ultima_riga
from tests.web.api.fabbrica import TokenDiProva

pytestmark = pytest.mark.django_db

Sessione = Callable[[Utente], ClientApi]


@pytest.fixture
def con_sessione(client_di: Callable[[Utente], Client]) -> Sessione:
    return lambda utente: ClientApi(client_di(utente))


@pytest.fixture
def con_token() -> Callable[[TokenDiProva], ClientApi]:
    return lambda token: ClientApi(Client(), **token.intestazioni)


def _url(nome: str, caso: Any) -> str:
    return reverse(f"api:{nome}", kwargs={"caso_id": caso.pk})


def _intervento(caso: Any) -> Intervento:
    intervento = Intervento.objects.senza_scope().filter(progetto__caso=caso).first()
    assert intervento is not None
    return intervento


@pytest.mark.parametrize("persona", ["carla", "marco", "bruno"])
@pytest.mark.parametrize("nome", ["caso", "analisi_caso", "progetto_caso", "erogazioni_caso"])
def test_outsiders_and_colleagues_not_on_the_case_get_404(
    persona: str,
    nome: str,
    request: pytest.FixtureRequest,
    con_sessione: Sessione,
    caso_di_anna: Any,
) -> None:
    client = con_sessione(request.getfixturevalue(persona))
    prima = righe_audit()
    assert client.get(_url(nome, caso_di_anna)).status_code == 404
    assert righe_audit() == prima
    assert client.get(reverse("api:casi")).json()["totale"] == 0


def test_the_case_manager_reads_every_section_with_one_audit_row(
    anna: Utente, con_sessione: Sessione, caso_di_anna: Any
) -> None:
    client = con_sessione(anna)
    elenco = client.get(reverse("api:casi")).json()
    assert [c["id"] for c in elenco["risultati"]] == [caso_di_anna.pk]
    assert elenco["risultati"][0]["ruolo"] == "case_manager"
    prima = righe_audit()
    dati = client.get(_url("caso", caso_di_anna)).json()
    assert righe_audit() == prima + 1
    riga = ultima_riga()
    assert riga.tipo == TipoEvento.LETTURA
    assert riga.oggetto_id == str(caso_di_anna.pk)
    assert {"analisi", "progetto", "erogazioni", "diario_riservato"} <= set(dati["sezioni"])
    assert dati["analisi"]["dimensioni"]
    intervento = dati["progetto"]["interventi"][0]
    assert intervento["codice_siuss"] == "A1.05.01"
    assert intervento["etichetta_siuss"]
    assert dati["erogazioni"] == []


def test_the_health_member_sees_only_her_sections(
    sara: Utente, con_sessione: Sessione, caso_di_anna: Any
) -> None:
    client = con_sessione(sara)
    elenco = client.get(reverse("api:casi")).json()
    assert [(c["id"], c["ruolo"]) for c in elenco["risultati"]] == [(caso_di_anna.pk, "equipe")]
    dati = client.get(_url("caso", caso_di_anna)).json()
    assert "erogazioni" not in dati["sezioni"]
    assert dati["erogazioni"] is None
    assert dati["progetto"] is not None and dati["analisi"] is not None
    assert client.get(_url("erogazioni_caso", caso_di_anna)).status_code == 404
    assert client.get(_url("progetto_caso", caso_di_anna)).status_code == 200


@pytest.mark.parametrize(
    ("nome", "modello"), [("analisi_caso", "analisipreliminare"), ("progetto_caso", "progetto")]
)
def test_reading_an_assessment_or_a_progetto_writes_one_row(
    nome: str, modello: str, anna: Utente, con_sessione: Sessione, caso_di_anna: Any
) -> None:
    client = con_sessione(anna)
    prima = righe_audit()
    assert client.get(_url(nome, caso_di_anna)).status_code == 200
    assert righe_audit() == prima + 1
    riga = ultima_riga()
    assert riga.tipo == TipoEvento.LETTURA
    assert modello in riga.oggetto_tipo
    assert riga.dettagli["caso"] == caso_di_anna.pk


def test_the_case_manager_records_an_erogazione(
    anna: Utente, sara: Utente, con_sessione: Sessione, caso_attivo_di_anna: Any
) -> None:
    intervento = _intervento(caso_attivo_di_anna)
    url = reverse("api:registra_erogazione", kwargs={"intervento_id": intervento.pk})
    corpo = {"dal": "2026-02-01", "al": "2026-02-28", "ore": "12.5", "note": "Febbraio"}
    client = con_sessione(anna)  # the login writes its own row
    prima = righe_audit()
    risposta = client.post(url, corpo)
    assert risposta.status_code == 201, risposta.content
    assert righe_audit() == prima + 1
    assert Erogazione.objects.senza_scope().filter(intervento=intervento).count() == 1
    letto = client.get(_url("erogazioni_caso", caso_attivo_di_anna)).json()
    assert [e["note"] for e in letto] == ["Febbraio"]


def test_bad_erogazione_is_refused_with_a_message_and_nothing_saved(
    anna: Utente, con_sessione: Sessione, caso_attivo_di_anna: Any
) -> None:
    intervento = _intervento(caso_attivo_di_anna)
    url = reverse("api:registra_erogazione", kwargs={"intervento_id": intervento.pk})
    risposta = con_sessione(anna).post(url, {"dal": "2026-03-01", "al": "2026-02-01"})
    assert risposta.status_code == 422
    assert "al" in risposta.content.decode()
    assert not Erogazione.objects.senza_scope().filter(intervento=intervento).exists()


def test_the_responsabile_reads_but_may_not_record(
    franco: Utente, con_sessione: Sessione, caso_attivo_di_anna: Any
) -> None:
    intervento = _intervento(caso_attivo_di_anna)
    client = con_sessione(franco)
    assert client.get(_url("caso", caso_attivo_di_anna)).json()["ruolo"] == "responsabile"
    url = reverse("api:registra_erogazione", kwargs={"intervento_id": intervento.pk})
    assert (
        client.post(url, {"dal": "2026-02-01", "al": "2026-02-02", "ore": "1"}).status_code == 403
    )


def test_an_entes_token_is_refused_with_a_message_about_personal_tokens(
    con_token: Callable[[Any], ClientApi], token_di_anna: TokenDiProva, caso_di_anna: Any
) -> None:
    client = con_token(token_di_anna)
    prima = righe_audit()
    for url in (reverse("api:casi"), _url("caso", caso_di_anna)):
        risposta = client.get(url)
        assert risposta.status_code == 403
        assert "token personale" in risposta.json()["detail"]
    assert righe_audit() == prima
