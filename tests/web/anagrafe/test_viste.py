"""The anagrafe's pages: roles, outsiders, read audit, forms with errors next to the fields,
duplicates without leaks, htmx fragments, pinned query counts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Contatto, LegameRete, Membro, Nucleo, Persona
from equo.web.audit.models import AuditEvent, TipoEvento
from equo.web.enti.models import Ruolo
from tests.web.anagrafe.fabbrica import dati_persona, nuova_persona
from tests.web.conftest import Enti, crea_persona

pytestmark = pytest.mark.django_db

ClientDi = Callable[[Utente], Client]
NumeroQuery = Callable[[int], object]


def _audit(tipo: TipoEvento | None = None) -> list[AuditEvent]:
    righe = AuditEvent.objects.senza_scope().exclude(tipo=TipoEvento.ACCESSO)
    return list(righe.filter(tipo=tipo) if tipo else righe)


def _modulo(**campi: str) -> dict[str, str]:
    dati = dati_persona()
    modulo = {
        "cognome": str(dati["cognome"]),
        "nome": str(dati["nome"]),
        "codice_fiscale": str(dati["codice_fiscale"]),
        "sesso": "F",
        "data_nascita": "1980-03-15",
        "luogo_nascita": "",
        "cittadinanza": "IT",
        "comune_residenza": "Avigliana",
        "note": "",
    }
    return {**modulo, **campi}


# --- Roles --------------------------------------------------------------------------------------

MATRICE = [
    # role, reads persons, writes persons
    (Ruolo.ASSISTENTE_SOCIALE, True, True),
    (Ruolo.AMMINISTRATIVO, True, True),
    (Ruolo.RESPONSABILE_SERVIZIO, True, True),
    (Ruolo.EDUCATORE, True, False),
    (Ruolo.OPERATORE_SOCIO_SANITARIO, True, False),
    (Ruolo.ANALISTA, False, False),
    (Ruolo.AUDITOR, False, False),
]


@pytest.mark.parametrize(("ruolo", "legge", "scrive"), MATRICE, ids=[r for r, _, _ in MATRICE])
def test_each_role_reads_and_writes_what_it_may(
    ruolo: Ruolo,
    legge: bool,
    scrive: bool,
    enti: Enti,
    persona_di_anna: Persona,
    client_di: ClientDi,
) -> None:
    client = client_di(crea_persona("operatore", enti.comune_a, ruolo))
    pk = persona_di_anna.pk
    assert client.get("/anagrafe/persone/").status_code == (200 if legge else 403)
    assert client.get(f"/anagrafe/persone/{pk}/").status_code == (200 if legge else 404)
    assert client.get("/anagrafe/persone/nuova/").status_code == (200 if scrive else 403)
    modifica = client.get(f"/anagrafe/persone/{pk}/modifica/").status_code
    assert modifica == (200 if scrive else 403 if legge else 404)
    dettaglio = client.get(f"/anagrafe/persone/{pk}/").content.decode() if legge else ""
    assert ('id="modifica-persona"' in dettaglio) == scrive


def test_a_role_in_the_unione_covers_its_comuni(
    enti: Enti, persona_di_anna: Persona, client_di: ClientDi
) -> None:
    franco = crea_persona("franco", enti.unione, Ruolo.RESPONSABILE_SERVIZIO)
    assert client_di(franco).get(f"/anagrafe/persone/{persona_di_anna.pk}/").status_code == 200


def test_the_outsider_neither_finds_nor_opens_another_entes_person(
    carla: Utente, persona_di_anna: Persona, client_di: ClientDi
) -> None:
    client = client_di(carla)
    assert client.get(f"/anagrafe/persone/{persona_di_anna.pk}/").status_code == 404
    collegamento = f'href="/anagrafe/persone/{persona_di_anna.pk}/"'
    for testo in ("rossi", persona_di_anna.codice_fiscale):
        pagina = client.get("/anagrafe/persone/", {"q": testo}).content.decode()
        assert collegamento not in pagina and "Nessuna persona trovata" in pagina
    assert collegamento not in client.get("/anagrafe/persone/").content.decode()
    assert _audit(TipoEvento.LETTURA) == []


def test_the_admin_is_for_superusers_and_holds_no_personal_data(
    anna: Utente, ettore: Utente, client_di: ClientDi
) -> None:
    assert client_di(anna).get("/admin/").status_code == 403
    indice = client_di(ettore).get("/admin/")
    assert indice.status_code == 200
    assert "anagrafe" not in indice.content.decode().lower()
    assert client_di(ettore).get("/admin/anagrafe/persona/").status_code == 404


# --- Reads are audited ----------------------------------------------------------------------


def test_each_view_of_a_person_writes_one_read_row(
    anna: Utente, persona_di_anna: Persona, client_di: ClientDi
) -> None:
    client = client_di(anna)
    client.get("/anagrafe/persone/")
    client.get("/anagrafe/persone/", {"q": "rossi"})
    assert _audit() == []  # lists and searches are not reads of a record
    client.get(f"/anagrafe/persone/{persona_di_anna.pk}/")
    (riga,) = _audit()
    assert riga.tipo == TipoEvento.LETTURA
    assert (riga.oggetto_tipo, riga.oggetto_id) == ("anagrafe.persona", str(persona_di_anna.pk))
    assert (riga.utente_id, riga.ente_id) == (anna.pk, persona_di_anna.ente_id)
    assert riga.indirizzo_ip == "127.0.0.1"
    client.get(f"/anagrafe/persone/{persona_di_anna.pk}/")
    assert len(_audit(TipoEvento.LETTURA)) == 2


def test_each_view_of_a_nucleo_writes_one_read_row(
    anna: Utente, membro_di_anna: Membro, client_di: ClientDi
) -> None:
    pagina = client_di(anna).get(f"/anagrafe/nuclei/{membro_di_anna.nucleo_id}/")
    assert "Rossi Maria" in pagina.content.decode()
    (riga,) = _audit()
    assert (riga.tipo, riga.oggetto_tipo) == (TipoEvento.LETTURA, "anagrafe.nucleo")


# --- The person's form ----------------------------------------------------------------------


def test_a_valid_person_is_created_with_the_place_of_birth_from_the_code(
    anna: Utente, client_di: ClientDi
) -> None:
    risposta = client_di(anna).post("/anagrafe/persone/nuova/", _modulo())
    persona = Persona.objects.senza_scope().get()
    assert risposta.status_code == 302
    assert risposta["Location"] == f"/anagrafe/persone/{persona.pk}/"
    assert (persona.nascita_codice_catastale, persona.nascita_luogo) == ("L219", "Torino (TO)")
    assert (persona.residenza_codice_istat, persona.residenza_comune) == (
        "001013",
        "Avigliana (TO)",
    )
    (riga,) = _audit()
    assert (riga.tipo, riga.oggetto_id) == (TipoEvento.CREAZIONE, str(persona.pk))


def _errore_del_campo(html: str, campo: str) -> str:
    """The error text shown next to ``campo``, checking the input points at it."""
    etichetta = re.search(rf'<(input|select|textarea)[^>]*id="id_{campo}"[^>]*>', html)
    assert etichetta is not None, campo
    assert 'aria-invalid="true"' in etichetta.group(0)
    assert f"id_{campo}_error" in etichetta.group(0)
    blocco = re.search(rf'id="id_{campo}_error">(.*?)</div>', html, re.S)
    assert blocco is not None, campo
    return blocco.group(1)


@pytest.mark.parametrize(
    ("campi", "campo", "messaggio"),
    [
        ({"codice_fiscale": "RSSMRA80C55L219X"}, "codice_fiscale", "carattere (di controllo)"),
        ({"codice_fiscale": "RSSMRA80"}, "codice_fiscale", "16 caratteri"),
        ({"sesso": "M"}, "sesso", "è di una donna"),
        ({"data_nascita": "1980-03-16"}, "data_nascita", "15/03/..80"),
        ({"luogo_nascita": "Avigliana"}, "luogo_nascita", "«Torino (TO)»"),
        ({"luogo_nascita": "Samone"}, "luogo_nascita", "indica la provincia"),
        ({"comune_residenza": "Atlantide"}, "comune_residenza", "Nessun comune"),
    ],
    ids=["check", "length", "sex", "date", "place", "ambiguous", "residence"],
)
def test_each_error_is_shown_next_to_its_field(
    campi: dict[str, str], campo: str, messaggio: str, anna: Utente, client_di: ClientDi
) -> None:
    risposta = client_di(anna).post("/anagrafe/persone/nuova/", _modulo(**campi))
    assert risposta.status_code == 200
    assert messaggio in _errore_del_campo(risposta.content.decode(), campo)
    assert not Persona.objects.senza_scope().exists()
    assert _audit() == []


def test_a_duplicate_in_the_ente_links_the_existing_person(
    anna: Utente, persona_di_anna: Persona, client_di: ClientDi
) -> None:
    risposta = client_di(anna).post("/anagrafe/persone/nuova/", _modulo())
    errore = _errore_del_campo(risposta.content.decode(), "codice_fiscale")
    assert "già in anagrafe" in errore
    assert f'href="/anagrafe/persone/{persona_di_anna.pk}/"' in errore
    assert Persona.objects.senza_scope().count() == 1


def test_a_duplicate_in_another_ente_is_not_revealed(
    carla: Utente, persona_di_anna: Persona, client_di: ClientDi
) -> None:
    risposta = client_di(carla).post("/anagrafe/persone/nuova/", _modulo())
    assert risposta.status_code == 302  # Torino may have its own record of the same person
    assert Persona.objects.senza_scope().filter(ente__nome="Città di Torino").count() == 1


def test_editing_keeps_the_own_code_and_records_the_change(
    anna: Utente, persona_di_anna: Persona, client_di: ClientDi
) -> None:
    url = f"/anagrafe/persone/{persona_di_anna.pk}/modifica/"
    client = client_di(anna)
    assert 'value="RSSMRA80C55L219' in client.get(url).content.decode()
    risposta = client.post(url, _modulo(note="Vive sola"))
    assert risposta.status_code == 302
    (riga,) = _audit()
    assert riga.modifiche == {"note": {"prima": "", "dopo": "Vive sola"}}


# --- Search page and htmx -------------------------------------------------------------------


def test_the_search_works_without_javascript(
    anna: Utente, persona_di_anna: Persona, client_di: ClientDi
) -> None:
    html = client_di(anna).get("/anagrafe/persone/", {"q": "maria rosi"}).content.decode()
    assert "<html" in html and 'id="ricerca-persone"' in html
    assert persona_di_anna.codice_fiscale in html
    assert "Una persona trovata" in html


def test_htmx_gets_only_the_results_and_the_announcement(
    anna: Utente, persona_di_anna: Persona, client_di: ClientDi
) -> None:
    client = client_di(anna)
    risposta = client.get("/anagrafe/persone/", {"q": "rossi"}, headers={"HX-Request": "true"})
    html = risposta.content.decode()
    assert "<html" not in html and "<table" in html
    assert persona_di_anna.codice_fiscale in html
    assert 'id="stato-ricerca" role="status"' in html and 'hx-swap-oob="true"' in html
    assert "HX-Request" in risposta["Vary"]
    ripristino = client.get(
        "/anagrafe/persone/",
        {"q": "rossi"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in ripristino.content.decode()


def test_place_suggestions_are_options_for_a_datalist(anna: Utente, client_di: ClientDi) -> None:
    client = client_di(anna)
    nascita = client.get("/anagrafe/luoghi/", {"tipo": "nascita", "luogo_nascita": "maroc"})
    assert '<option value="Marocco">' in nascita.content.decode()
    comuni = client.get("/anagrafe/luoghi/", {"tipo": "comune", "comune": "avigl"})
    assert comuni.content.decode().startswith('<option value="Avigliana (TO)">')


@pytest.mark.parametrize("quante", [2, 30])
def test_the_persons_list_runs_a_fixed_number_of_queries(
    quante: int,
    enti: Enti,
    anna: Utente,
    client_di: ClientDi,
    django_assert_num_queries: NumeroQuery,
) -> None:
    for numero in range(quante):
        nuova_persona(enti.comune_a, nascita=dt.date(1950, 1, 1) + dt.timedelta(days=numero))
    client = client_di(anna)
    client.get("/anagrafe/persone/")  # warm up: session and user caches
    # session, user, permission, count, the "may create" permission, the header's enti, the
    # menu's permissions (each set of roles asked once per request, plus Django's own user and
    # group permissions for the header's token links: two), the page (persons with their ente,
    # one join), and the session saved (savepoint, update, release). Two persons or thirty: the
    # same.
    with django_assert_num_queries(13):  # type: ignore[operator]
        assert client.get("/anagrafe/persone/").status_code == 200
    # A search: the candidates and the chosen persons instead of count and page.
    with django_assert_num_queries(13):  # type: ignore[operator]
        assert client.get("/anagrafe/persone/", {"q": "rossi"}).status_code == 200


@pytest.mark.parametrize("quanti", [1, 20])
def test_the_nuclei_list_runs_a_fixed_number_of_queries(
    quanti: int,
    enti: Enti,
    anna: Utente,
    client_di: ClientDi,
    django_assert_num_queries: NumeroQuery,
) -> None:
    for numero in range(quanti):
        Nucleo.objects.create(ente=enti.comune_a, tipo="nucleo_isee", denominazione=f"N{numero}")
    client = client_di(anna)
    client.get("/anagrafe/nuclei/")
    # As the persons' list; the page counts each nucleo's current members in the same query.
    with django_assert_num_queries(13):  # type: ignore[operator]
        assert client.get("/anagrafe/nuclei/").status_code == 200


# --- Addresses, contacts, rete sociale, nuclei ----------------------------------------------


def test_addresses_contacts_and_links_from_the_persons_page(
    enti: Enti, anna: Utente, persona_di_anna: Persona, client_di: ClientDi
) -> None:
    client = client_di(anna)
    pk = persona_di_anna.pk
    base = f"/anagrafe/persone/{pk}"
    indirizzo = {"via": "Via Roma", "civico": "1", "cap": "10121", "comune": "Avigliana"}
    sbagliato = client.post(f"{base}/indirizzi/residenza/", indirizzo).content.decode()
    assert "10051" in _errore_del_campo(sbagliato, "cap")
    altrove = client.post(f"{base}/indirizzi/residenza/", {**indirizzo, "comune": "Torino"})
    assert "risulta residente" in _errore_del_campo(altrove.content.decode(), "comune")
    assert (
        client.post(f"{base}/indirizzi/residenza/", {**indirizzo, "cap": "10051"}).status_code
        == 302
    )
    assert (
        client.post(f"{base}/indirizzi/domicilio/", {**indirizzo, "comune": "Torino"}).status_code
        == 302
    )
    assert client.get(f"{base}/indirizzi/altro/").status_code == 404

    email = client.post(f"{base}/contatti/nuovo/", {"tipo": "email", "valore": "maria@"})
    assert "non valido" in _errore_del_campo(email.content.decode(), "valore")
    assert (
        client.post(
            f"{base}/contatti/nuovo/", {"tipo": "telefono", "valore": "011 1234567"}
        ).status_code
        == 302
    )

    fuori = nuova_persona(enti.comune_b, nome="Mario", sesso="M")
    nascosto = client.post(
        f"{base}/rete/nuovo/", {"tipo": "vicino", "codice_fiscale_collegato": fuori.codice_fiscale}
    )
    assert "Nessuna persona" in _errore_del_campo(
        nascosto.content.decode(), "codice_fiscale_collegato"
    )
    assert (
        client.post(
            f"{base}/rete/nuovo/", {"tipo": "volontario", "esterno_nome": "Associazione Insieme"}
        ).status_code
        == 302
    )

    html = client.get(f"{base}/").content.decode()
    assert "Via Roma 1, 10051 Avigliana (TO)" in html and "0111234567" in html
    assert "Associazione Insieme" in html

    contatto = Contatto.objects.senza_scope().get()
    assert client.get(f"/anagrafe/contatti/{contatto.pk}/elimina/").status_code == 200
    assert client.post(f"/anagrafe/contatti/{contatto.pk}/elimina/").status_code == 302
    legame = LegameRete.objects.senza_scope().get()
    assert client.post(f"/anagrafe/rete/{legame.pk}/elimina/").status_code == 302
    assert not Contatto.objects.senza_scope().exists()
    assert not LegameRete.objects.senza_scope().exists()
    tipi = [riga.tipo for riga in _audit() if riga.tipo != TipoEvento.LETTURA]
    assert tipi.count(TipoEvento.CREAZIONE) == 4 and tipi.count(TipoEvento.ELIMINAZIONE) == 2


def test_a_nucleo_is_created_and_members_join_and_leave(
    enti: Enti, anna: Utente, persona_di_anna: Persona, client_di: ClientDi
) -> None:
    client = client_di(anna)
    risposta = client.post(
        "/anagrafe/nuclei/nuovo/",
        {"tipo": "famiglia_anagrafica", "denominazione": "Famiglia Rossi"},
    )
    nucleo = Nucleo.objects.senza_scope().get()
    assert risposta["Location"] == f"/anagrafe/nuclei/{nucleo.pk}/"
    url = f"/anagrafe/nuclei/{nucleo.pk}/componenti/nuovo/"
    sbagliato = client.post(
        url,
        {
            "codice_fiscale": persona_di_anna.codice_fiscale,
            "relazione": "F",
            "dal": "2024-01-01",
        },
    )
    assert "18 anni" in _errore_del_campo(sbagliato.content.decode(), "relazione")
    giusto = client.post(
        url,
        {"codice_fiscale": persona_di_anna.codice_fiscale, "relazione": "D", "dal": "2024-01-01"},
    )
    assert giusto.status_code == 302
    membro = Membro.objects.senza_scope().get()
    uscita = client.post(
        f"/anagrafe/componenti/{membro.pk}/modifica/",
        {"relazione": "D", "dal": "2024-01-01", "al": "2025-06-30"},
    )
    assert uscita.status_code == 302
    html = client.get(f"/anagrafe/nuclei/{nucleo.pk}/").content.decode()
    assert "Componenti usciti dal nucleo" in html and "30/06/2025" in html
    persona = client.get(f"/anagrafe/persone/{persona_di_anna.pk}/").content.decode()
    assert "Famiglia Rossi" in persona


def test_anagrafe_pages_have_no_inline_script_or_style(
    anna: Utente, membro_di_anna: Membro, client_di: ClientDi
) -> None:
    client = client_di(anna)
    for url in (
        "/anagrafe/persone/",
        "/anagrafe/persone/nuova/",
        f"/anagrafe/persone/{membro_di_anna.persona_id}/",
        f"/anagrafe/nuclei/{membro_di_anna.nucleo_id}/",
    ):
        html = client.get(url).content.decode()
        assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", html)), url
        assert " style=" not in html, url
        assert "hx-on" not in html, url
