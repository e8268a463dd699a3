"""The cartella API's quadro, diario and interventi: need-to-know, audit, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from equo.web.accounts.models import Utente
from equo.web.cartella.models import Intervento, VoceDiario
from tests.web.api.conftest import ClientApi, righe_audit, ultima_riga

pytestmark = pytest.mark.django_db


def _sessione(client_di: Any, utente: Utente) -> ClientApi:
    return ClientApi(client_di(utente))


def test_the_health_member_never_sees_the_riservata_entry(
    sara: Utente, anna: Utente, client_di: Any, caso_di_anna: Any
) -> None:
    url = reverse("api:diario_caso", kwargs={"caso_id": caso_di_anna.pk})
    client_sara, client_anna = _sessione(client_di, sara), _sessione(client_di, anna)
    di_sara = client_sara.get(url).json()
    di_anna = client_anna.get(url).json()
    assert [v["riservata"] for v in di_sara] == [False]
    assert sorted(v["riservata"] for v in di_anna) == [False, True]
    riservata = VoceDiario.objects.senza_scope().get(caso=caso_di_anna, riservata=True)
    voce = reverse("api:voce_diario", kwargs={"voce_id": riservata.pk})
    prima = righe_audit()
    assert client_sara.get(voce).status_code == 404
    assert righe_audit() == prima
    assert client_anna.get(voce).status_code == 200
    assert ultima_riga().oggetto_tipo == "cartella.vocediario"


@pytest.mark.parametrize("persona", ["marco", "carla", "dora"])
def test_others_get_404_on_quadro_diario_interventi(
    persona: str, request: pytest.FixtureRequest, client_di: Any, caso_di_anna: Any
) -> None:
    client = _sessione(client_di, request.getfixturevalue(persona))
    # The auditor has no cartella at all (403 before any case is looked up); the others 404.
    atteso = 403 if persona == "dora" else 404
    prima = righe_audit()
    for nome in ("quadro_caso", "diario_caso", "interventi_caso"):
        url = reverse(f"api:{nome}", kwargs={"caso_id": caso_di_anna.pk})
        assert client.get(url).status_code == atteso
    assert righe_audit() == prima


def test_the_quadro_lists_the_equipe_and_writes_one_row(
    franco: Utente, client_di: Any, caso_di_anna: Any
) -> None:
    client = _sessione(client_di, franco)
    prima = righe_audit()
    dati = client.get(reverse("api:quadro_caso", kwargs={"caso_id": caso_di_anna.pk})).json()
    assert righe_audit() == prima + 1
    assert dati["quadro"]["sintesi"] == "Avviato."
    assert [m["ruolo"] for m in dati["equipe"]] == ["sanitario"]


def test_the_health_member_reads_an_intervento_without_erogazioni(
    sara: Utente, client_di: Any, caso_di_anna: Any
) -> None:
    intervento = Intervento.objects.senza_scope().filter(progetto__caso=caso_di_anna).first()
    assert intervento is not None
    dati = (
        _sessione(client_di, sara)
        .get(reverse("api:intervento", kwargs={"intervento_id": intervento.pk}))
        .json()
    )
    assert dati["codice_siuss"] == "A1.05.01" and dati["erogazioni"] is None


def test_a_bad_intervento_gets_422_naming_the_fields_and_nothing_is_saved(
    anna: Utente, client_di: Any, caso_di_anna: Any
) -> None:
    intervento = Intervento.objects.senza_scope().filter(progetto__caso=caso_di_anna).first()
    assert intervento is not None
    url = reverse("api:aggiungi_intervento", kwargs={"progetto_id": intervento.progetto_id})
    prima = Intervento.objects.senza_scope().count()
    corpo = {
        "codice_siuss": "Z9.99",
        "erogatore": "Comune",
        "inizio": "2026-03-01",
        "fine": "2026-02-01",
    }
    risposta = _sessione(client_di, anna).post(url, corpo)
    assert risposta.status_code == 422
    assert {"codice_siuss", "fine"} <= set(risposta.json()["errori"])
    assert Intervento.objects.senza_scope().count() == prima
    buono = {"codice_siuss": "A1.05.01", "erogatore": "Comune", "inizio": "2026-03-01"}
    assert _sessione(client_di, anna).post(url, buono).status_code == 201
    assert Intervento.objects.senza_scope().count() == prima + 1


def test_the_case_detail_has_the_state_history(
    anna: Utente, client_di: Any, caso_di_anna: Any
) -> None:
    dati = (
        _sessione(client_di, anna)
        .get(reverse("api:caso", kwargs={"caso_id": caso_di_anna.pk}))
        .json()
    )
    assert [t["a"] for t in dati["transizioni"]][-1] == "in_valutazione"
    assert dati["chiusure"] == []


def test_an_entes_token_gets_403_on_the_diario(token_di_anna: Any, caso_di_anna: Any) -> None:
    url = reverse("api:diario_caso", kwargs={"caso_id": caso_di_anna.pk})
    risposta = Client().get(url, **token_di_anna.intestazioni)
    assert risposta.status_code == 403
