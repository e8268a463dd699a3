"""Nuclei through the API: list with current members, detail and members (one audit row per
read), creation and new members through the actions (the models' rules, 422 per field)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from equo.web.anagrafe.models import Membro, Nucleo, Persona, Relazione, TipoNucleo
from equo.web.audit.models import TipoEvento
from tests.web.anagrafe.fabbrica import nuova_persona
from tests.web.api.conftest import ClientApi, righe_audit, ultima_riga
from tests.web.api.fabbrica import TokenDiProva
from tests.web.conftest import Enti

pytestmark = pytest.mark.django_db

ConToken = Callable[[TokenDiProva], ClientApi]
URL = "/api/v1/nuclei/"
NumeroQuery = Any


@pytest.fixture
def client(token_di_anna: TokenDiProva, con_token: ConToken) -> ClientApi:
    return con_token(token_di_anna)


def test_the_list_counts_current_members_and_filters(
    enti: Enti, client: ClientApi, membro_di_anna: Membro, persona_di_anna: Persona
) -> None:
    passato = nuova_persona(enti.comune_a, cognome="Neri", nome="Ugo", sesso="M")
    Membro.objects.create(
        ente=enti.comune_a,
        nucleo=membro_di_anna.nucleo,
        persona=passato,
        relazione=Relazione.CONIUGE,
        dal=dt.date(2000, 1, 1),
        al=dt.date(2010, 1, 1),
    )
    Nucleo.objects.create(ente=enti.comune_a, tipo=TipoNucleo.NUCLEO_ISEE, denominazione="ISEE")
    elenco = client.get(URL).json()
    assert elenco["totale"] == 2
    assert [(n["denominazione"], n["componenti"]) for n in elenco["risultati"]] == [
        ("Famiglia Rossi", 1),
        ("ISEE", 0),
    ]
    assert [
        n["denominazione"] for n in client.get(URL, tipo="nucleo_isee").json()["risultati"]
    ] == ["ISEE"]
    assert client.get(URL, denominazione="rossi").json()["totale"] == 1
    assert client.get(URL, persona=persona_di_anna.pk).json()["totale"] == 1
    assert client.get(URL, persona=passato.pk).json()["totale"] == 1
    assert client.get(URL, tipo="altro").status_code == 422
    assert client.get(URL, limit=1, offset=1).json()["risultati"][0]["denominazione"] == "ISEE"


@pytest.mark.parametrize("quanti", [1, 20])
def test_the_list_runs_a_fixed_number_of_queries(
    enti: Enti,
    quanti: int,
    client: ClientApi,
    persona_di_anna: Persona,
    django_assert_num_queries: NumeroQuery,
) -> None:
    for i in range(quanti):
        nucleo = Nucleo.objects.create(
            ente=enti.comune_a, tipo=TipoNucleo.NUCLEO_ISEE, denominazione=f"Nucleo {i:02}"
        )
        Membro.objects.create(
            ente=enti.comune_a, nucleo=nucleo, persona=persona_di_anna, relazione="D"
        )
    client.get(URL)
    # The token, the page (with the counts), the total.
    with django_assert_num_queries(3):
        assert len(client.get(URL).json()["risultati"]) == quanti


def test_the_detail_and_the_members_write_one_read_row_each(
    client: ClientApi, membro_di_anna: Membro, persona_di_anna: Persona
) -> None:
    nucleo = membro_di_anna.nucleo_id
    prima = righe_audit()
    dettaglio = client.get(f"{URL}{nucleo}/").json()
    assert righe_audit() == prima + 1
    assert (ultima_riga().tipo, ultima_riga().oggetto_tipo) == (
        TipoEvento.LETTURA,
        "anagrafe.nucleo",
    )
    assert dettaglio["membri"] == [
        {
            "id": membro_di_anna.pk,
            "persona": {
                "id": persona_di_anna.pk,
                "cognome": "Rossi",
                "nome": "Maria",
                "codice_fiscale": persona_di_anna.codice_fiscale,
            },
            "relazione": "D",
            "dal": str(membro_di_anna.dal),
            "al": None,
            "attivo": True,
        }
    ]
    assert client.get(f"{URL}{nucleo}/membri/").json() == dettaglio["membri"]
    assert righe_audit() == prima + 2


def test_a_nucleo_is_created_and_a_member_joins(
    enti: Enti, client: ClientApi, persona_di_anna: Persona
) -> None:
    prima = righe_audit()
    creato = client.post(URL, {"tipo": "nucleo_isee", "denominazione": " Rossi ISEE 2026 "})
    assert creato.status_code == 201
    assert (creato.json()["denominazione"], creato.json()["ente"]) == (
        "Rossi ISEE 2026",
        enti.comune_a.pk,
    )
    assert righe_audit() == prima + 1
    url = f"{URL}{creato.json()['id']}/membri/"
    membro = client.post(url, {"persona": persona_di_anna.pk, "relazione": "D"})
    assert membro.status_code == 201, membro.json()
    assert (membro.json()["dal"], membro.json()["attivo"]) == (str(timezone.localdate()), True)
    assert righe_audit() == prima + 2
    riga = ultima_riga()
    assert (riga.tipo, riga.oggetto_tipo) == (TipoEvento.CREAZIONE, "anagrafe.membro")


@pytest.mark.parametrize(
    ("corpo", "campo", "frammento"),
    [
        ({"relazione": "F"}, "relazione", "Ha già 18 anni"),
        ({"relazione": "D", "dal": "2020-01-01", "al": "2019-01-01"}, "al", "prima dell'inizio"),
        ({"relazione": "ZZ"}, "relazione", "Valore non ammesso"),
        ({"relazione": "C", "persona": 999999}, "persona", "Nessuna persona"),
        ({"relazione": "C", "persona": 0}, "persona", "almeno 1"),
    ],
)
def test_a_bad_member_answers_422_on_the_field(
    enti: Enti,
    client: ClientApi,
    nucleo_di_anna: Nucleo,
    persona_di_anna: Persona,
    corpo: dict[str, Any],
    campo: str,
    frammento: str,
) -> None:
    prima = righe_audit()
    risposta = client.post(
        f"{URL}{nucleo_di_anna.pk}/membri/", {"persona": persona_di_anna.pk, **corpo}
    )
    assert risposta.status_code == 422
    assert frammento in " ".join(risposta.json()["errori"][campo])
    assert righe_audit() == prima


def test_a_person_of_another_ente_cannot_join_and_is_not_revealed(
    enti: Enti, client: ClientApi, nucleo_di_anna: Nucleo
) -> None:
    torinese = nuova_persona(enti.comune_b, cognome="Gallo", nome="Pia")
    risposta = client.post(
        f"{URL}{nucleo_di_anna.pk}/membri/", {"persona": torinese.pk, "relazione": "C"}
    )
    assert risposta.json()["errori"] == {
        "persona": ["Nessuna persona con questo id nell'anagrafe dell'ente del nucleo."]
    }


def test_a_second_intestatario_is_refused(
    enti: Enti, client: ClientApi, membro_di_anna: Membro
) -> None:
    altra = nuova_persona(enti.comune_a, cognome="Verdi", nome="Luca", sesso="M")
    risposta = client.post(
        f"{URL}{membro_di_anna.nucleo_id}/membri/", {"persona": altra.pk, "relazione": "D"}
    )
    assert risposta.status_code == 422
    assert "relazione" in risposta.json()["errori"]


def test_a_nucleo_needs_a_name_and_a_known_type(enti: Enti, client: ClientApi) -> None:
    risposta = client.post(URL, {"tipo": "tribù", "denominazione": ""})
    assert set(risposta.json()["errori"]) == {"tipo", "denominazione"}
    assert client.post(URL, {"tipo": "nucleo_isee", "denominazione": "   "}).status_code == 422
