"""Persons through the API: pages and filters, the detail (one audit row), creation and changes
through the anagrafe's actions (the web form's checks, 422 with a message per field)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Contatto, Membro, Nucleo, Persona
from equo.web.audit.models import TipoEvento
from tests.web.anagrafe.fabbrica import dati_persona, nuova_persona
from tests.web.api.conftest import ClientApi, righe_audit, ultima_riga
from tests.web.api.fabbrica import TokenDiProva
from tests.web.conftest import Enti

pytestmark = pytest.mark.django_db

ConToken = Callable[[TokenDiProva], ClientApi]
ConSessione = Callable[[Utente], ClientApi]
URL = "/api/v1/persone/"
NumeroQuery = Any


@pytest.fixture
def client(token_di_anna: TokenDiProva, con_token: ConToken) -> ClientApi:
    return con_token(token_di_anna)


def _nuova(**campi: Any) -> dict[str, Any]:
    """The API body of a consistent new person."""
    dati = dati_persona(**campi)
    return {
        "cognome": dati["cognome"],
        "nome": dati["nome"],
        "codice_fiscale": dati["codice_fiscale"],
        "sesso": dati["sesso"],
        "data_nascita": str(dati["data_nascita"]),
    }


def _famiglia(enti: Enti) -> list[Persona]:
    return [
        nuova_persona(enti.comune_a, cognome="Rossi", nome="Maria"),
        nuova_persona(enti.comune_a, cognome="Rossi", nome="Luca", sesso="M"),
        nuova_persona(enti.comune_a, cognome="Bianchi", nome="Anna"),
        nuova_persona(enti.comune_a, cognome="Ferrero", nome="Nicolò", sesso="M"),
    ]


# --- Lists --------------------------------------------------------------------------------------


def test_the_list_is_alphabetical_and_paged(enti: Enti, client: ClientApi) -> None:
    _famiglia(enti)
    pagina = client.get(URL, limit=2, offset=1).json()
    assert (pagina["totale"], pagina["limit"], pagina["offset"]) == (4, 2, 1)
    assert [(p["cognome"], p["nome"]) for p in pagina["risultati"]] == [
        ("Ferrero", "Nicolò"),
        ("Rossi", "Luca"),
    ]
    assert client.get(URL, offset=10).json()["risultati"] == []


@pytest.mark.parametrize(
    ("filtri", "attesi"),
    [
        ({"cognome": "rossi"}, {"Maria", "Luca"}),
        ({"cognome": "Rossi", "nome": "LUCA"}, {"Luca"}),
        ({"q": "Nicolo Ferero"}, {"Nicolò"}),
        ({"q": "rosi"}, {"Maria", "Luca"}),
        ({"q": "rosi", "nome": "maria"}, {"Maria"}),
        ({"residenza_codice_istat": "001013"}, {"Maria", "Luca", "Anna", "Nicolò"}),
        ({"residenza_codice_istat": "001272"}, set()),
    ],
)
def test_filters_and_search_combine(
    enti: Enti, client: ClientApi, filtri: dict[str, str], attesi: set[str]
) -> None:
    _famiglia(enti)
    risposta = client.get(URL, **filtri).json()
    assert {p["nome"] for p in risposta["risultati"]} == attesi
    assert risposta["totale"] == len(attesi)


def test_the_codice_fiscale_filter_normalises_the_code(enti: Enti, client: ClientApi) -> None:
    luca = _famiglia(enti)[1]
    spezzato = " ".join([luca.codice_fiscale[:6].lower(), luca.codice_fiscale[6:]])
    assert [p["id"] for p in client.get(URL, codice_fiscale=spezzato).json()["risultati"]] == [
        luca.pk
    ]
    assert client.get(URL, q=luca.codice_fiscale).json()["risultati"][0]["id"] == luca.pk


@pytest.mark.parametrize(
    ("parametri", "campo", "messaggio"),
    [
        ({"limit": "0"}, "limit", "Deve essere almeno 1."),
        ({"limit": "101"}, "limit", "Deve essere al massimo 100."),
        ({"offset": "-1"}, "offset", "Deve essere almeno 0."),
        ({"offset": "due"}, "offset", "Deve essere un numero intero."),
        ({"q": "x" * 101}, "q", "Al massimo 100 caratteri."),
        ({"cognome": "Ros\x00si"}, "cognome", "Contiene caratteri non ammessi."),
    ],
)
def test_bad_parameters_answer_422_in_italian(
    enti: Enti, client: ClientApi, parametri: dict[str, str], campo: str, messaggio: str
) -> None:
    risposta = client.get(URL, **parametri)
    assert risposta.status_code == 422
    assert risposta.json() == {"detail": "Dati non validi.", "errori": {campo: [messaggio]}}


@pytest.mark.parametrize("quante", [2, 30])
def test_the_list_runs_a_fixed_number_of_queries(
    enti: Enti,
    quante: int,
    token_di_anna: TokenDiProva,
    anna: Utente,
    con_token: ConToken,
    con_sessione: ConSessione,
    django_assert_num_queries: NumeroQuery,
) -> None:
    for i in range(quante):
        nuova_persona(enti.comune_a, cognome="Rossi", nascita=dt.date(1950 + i, 1, 1))
    token, sessione = con_token(token_di_anna), con_sessione(anna)
    token.get(URL)  # ultimo_uso: written at most once a minute
    # Token: look-up, count, page.
    with django_assert_num_queries(3):
        assert len(token.get(URL, limit=25).json()["risultati"]) == min(quante, 25)
    # Session: session, user, permission, count, page, and the session's idle-timeout save
    # (a savepoint, an update, a release).
    with django_assert_num_queries(8):
        assert sessione.get(URL).status_code == 200
    # A search: the token, then the search's two queries.
    with django_assert_num_queries(3):
        assert token.get(URL, q="rossi").status_code == 200


# --- Detail -------------------------------------------------------------------------------------


def test_the_detail_has_addresses_contacts_and_nuclei_and_writes_one_read_row(
    enti: Enti,
    client: ClientApi,
    persona_di_anna: Persona,
    membro_di_anna: Membro,
    contatto_di_anna: Contatto,
) -> None:
    prima = righe_audit()
    dettaglio = client.get(f"{URL}{persona_di_anna.pk}/").json()
    assert righe_audit() == prima + 1
    riga = ultima_riga()
    assert (riga.tipo, riga.oggetto_tipo, riga.oggetto_id) == (
        TipoEvento.LETTURA,
        "anagrafe.persona",
        str(persona_di_anna.pk),
    )
    assert dettaglio["nascita_luogo"] == "Torino (TO)"
    assert dettaglio["contatti"] == [
        {"id": contatto_di_anna.pk, "tipo": "telefono", "valore": "0000123456", "descrizione": ""}
    ]
    assert dettaglio["nuclei"][0]["nucleo"] == membro_di_anna.nucleo_id
    assert dettaglio["nuclei"][0]["relazione"] == "D"
    assert dettaglio["indirizzi"] == []
    assert client.get(URL).status_code == 200
    assert righe_audit() == prima + 1  # lists write none


# --- Creation -----------------------------------------------------------------------------------


def test_a_person_is_created_with_the_place_of_birth_from_the_code(
    enti: Enti, client: ClientApi, token_di_anna: TokenDiProva
) -> None:
    prima = righe_audit()
    corpo = {**_nuova(cognome="Verdi", nome="Luca", sesso="M"), "residenza_codice_istat": "001006"}
    risposta = client.post(URL, corpo)
    assert risposta.status_code == 201, risposta.json()
    creata = risposta.json()
    assert (creata["ente"], creata["nascita_codice_catastale"], creata["nascita_luogo"]) == (
        enti.comune_a.pk,
        "L219",
        "Torino (TO)",
    )
    assert creata["residenza_comune"] == "Almese (TO)"
    assert righe_audit() == prima + 1
    riga = ultima_riga()
    assert (riga.tipo, riga.oggetto_id) == (TipoEvento.CREAZIONE, str(creata["id"]))
    assert riga.utente_id == token_di_anna.token.utente_tecnico_id


def test_a_session_creates_in_its_active_ente(
    enti: Enti, anna: Utente, con_sessione: ConSessione
) -> None:
    risposta = con_sessione(anna).post(URL, _nuova())
    assert risposta.status_code == 201
    assert Persona.objects.senza_scope().get(pk=risposta.json()["id"]).ente_id == enti.comune_a.pk


@pytest.mark.parametrize(
    ("modifica", "campo", "frammento"),
    [
        ({"codice_fiscale": "RSSMRA80C55L219X"}, "codice_fiscale", "carattere (di controllo)"),
        ({"codice_fiscale": "RSSMRA80"}, "codice_fiscale", "16 caratteri"),
        ({"data_nascita": "1981-03-15"}, "data_nascita", ""),
        ({"sesso": "M"}, "sesso", ""),
        ({"nascita_codice_catastale": "ZZZZ"}, "nascita_codice_catastale", "Nessun comune"),
        ({"nascita_codice_catastale": "A518"}, "nascita_codice_catastale", ""),
        ({"residenza_codice_istat": "999999"}, "residenza_codice_istat", "codice ISTAT"),
        ({"cittadinanza": "XX"}, "cittadinanza", "Stato sconosciuto"),
        ({"cognome": "  "}, "cognome", ""),
        ({"sesso": "X"}, "sesso", "Valore non ammesso"),
        ({"data_nascita": "15/03/1980"}, "data_nascita", "AAAA-MM-GG"),
        ({"cognome": "R" * 101}, "cognome", "Al massimo 100 caratteri."),
        ({"soprannome": "Mery"}, "soprannome", "Campo non previsto."),
        ({"note": "\ud800"}, "note", "caratteri non ammessi"),
    ],
)
def test_invalid_data_answer_422_with_a_message_on_the_field(
    enti: Enti, client: ClientApi, modifica: dict[str, str], campo: str, frammento: str
) -> None:
    prima = righe_audit()
    risposta = client.post(URL, {**_nuova(), **modifica})
    assert risposta.status_code == 422
    corpo = risposta.json()
    assert corpo["detail"] == "Dati non validi."
    assert campo in corpo["errori"], corpo
    assert frammento in " ".join(corpo["errori"][campo])
    assert righe_audit() == prima
    assert not Persona.objects.senza_scope().exists()


def test_a_missing_field_and_a_body_that_is_not_an_object_answer_422(
    enti: Enti, client: ClientApi
) -> None:
    senza = {k: v for k, v in _nuova().items() if k != "sesso"}
    assert client.post(URL, senza).json()["errori"] == {"sesso": ["Campo obbligatorio."]}
    assert client.post(URL, ["non", "un", "oggetto"]).status_code == 422
    grezzo = client.client.post(URL, "{", content_type="application/json", **client.intestazioni)
    assert grezzo.status_code in {400, 422}


def test_a_duplicate_in_the_ente_names_the_existing_id(
    enti: Enti, client: ClientApi, persona_di_anna: Persona
) -> None:
    risposta = client.post(URL, _nuova())
    assert risposta.status_code == 422
    assert risposta.json()["errori"]["codice_fiscale"] == [
        f"Questa persona è già in anagrafe: id {persona_di_anna.pk}."
    ]


def test_a_duplicate_in_another_ente_is_not_revealed(
    enti: Enti, token_di_carla: TokenDiProva, con_token: ConToken, persona_di_anna: Persona
) -> None:
    risposta = con_token(token_di_carla).post(URL, _nuova())
    assert risposta.status_code == 201
    assert risposta.json()["id"] != persona_di_anna.pk


# --- Changes ------------------------------------------------------------------------------------


def test_a_change_touches_only_the_fields_sent_and_writes_one_row(
    enti: Enti, client: ClientApi, persona_di_anna: Persona
) -> None:
    prima = righe_audit()
    url = f"{URL}{persona_di_anna.pk}/"
    risposta = client.patch(url, {"note": "Segue il CSM.", "residenza_codice_istat": "001006"})
    assert risposta.status_code == 200
    assert (risposta.json()["note"], risposta.json()["residenza_comune"]) == (
        "Segue il CSM.",
        "Almese (TO)",
    )
    assert righe_audit() == prima + 1
    assert set(ultima_riga().modifiche) == {"note", "residenza_codice_istat", "residenza_comune"}
    assert client.patch(url, {"note": "Segue il CSM."}).status_code == 200
    assert righe_audit() == prima + 1  # nothing changed: nothing written


def test_a_change_is_validated_like_the_form(
    enti: Enti, client: ClientApi, persona_di_anna: Persona
) -> None:
    url = f"{URL}{persona_di_anna.pk}/"
    risposta = client.patch(url, {"data_nascita": "1990-01-01"})
    assert risposta.status_code == 422
    assert "data_nascita" in risposta.json()["errori"]
    altra = nuova_persona(enti.comune_a, cognome="Verdi", nome="Luca", sesso="M")
    doppione = client.patch(url, {"codice_fiscale": altra.codice_fiscale})
    assert doppione.json()["errori"]["codice_fiscale"] == [
        f"Questa persona è già in anagrafe: id {altra.pk}."
    ]
    persona_di_anna.refresh_from_db()
    assert persona_di_anna.data_nascita == dt.date(1980, 3, 15)


def test_a_change_of_name_keeps_the_place_of_birth(
    enti: Enti, client: ClientApi, persona_di_anna: Persona
) -> None:
    risposta = client.patch(f"{URL}{persona_di_anna.pk}/", {"nome": "Maria Luisa"})
    assert risposta.status_code == 200
    assert (risposta.json()["nome"], risposta.json()["nascita_luogo"]) == (
        "Maria Luisa",
        "Torino (TO)",
    )
    assert set(ultima_riga().modifiche) == {"nome", "chiave_ricerca"}


def test_the_nuclei_of_a_person_are_the_callers_only(
    enti: Enti, client: ClientApi, persona_di_anna: Persona
) -> None:
    Nucleo.objects.create(ente=enti.comune_a, tipo="nucleo_isee", denominazione="Vuoto")
    assert client.get(f"{URL}{persona_di_anna.pk}/").json()["nuclei"] == []
