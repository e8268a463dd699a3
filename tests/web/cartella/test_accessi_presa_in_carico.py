"""Accesso e orientamento and presa in carico: the person found with the anagrafe's search or
created (with her nucleo) coming back to the accesso, an accesso recorded by name linked later
(audited, then in the person's timeline), the rules of opening a case from an accesso, and the
accesso page showing only the cases the reader may open."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Membro, Nucleo, Persona
from equo.web.audit.models import AuditEvent, TipoEvento
from equo.web.cartella import actions
from equo.web.cartella.models import Accesso, AreaUtenza, Canale, Caso, EsitoAccesso
from equo.web.enti.models import Incarico
from tests.web.anagrafe.fabbrica import dati_persona, nuova_persona
from tests.web.cartella import fabbrica
from tests.web.conftest import Enti

pytestmark = pytest.mark.django_db

ClientDi = Callable[[Utente], Client]
NUOVO = reverse("cartella:nuovo_accesso")


def _dati_accesso(**altro: object) -> dict[str, object]:
    return {
        "data": "2026-01-10",
        "canale": Canale.TELEFONO,
        "richiedente": "La figlia",
        "bisogno_espresso": "Assistenza domiciliare.",
        "area": AreaUtenza.DISABILITA,
        "urgenza": "ordinaria",
        "esito": EsitoAccesso.INVIO,
        "servizio_invio": "ASL TO3",
        **altro,
    }


def _per_nome(ente: Any, anna: Utente, nominativo: str = "Maria Rossi") -> Accesso:
    dati = _dati_accesso(nominativo=nominativo, data=fabbrica.INIZIO)
    dati["esito"] = EsitoAccesso.INVIO
    return actions.do_registra_accesso(ente=ente, dati=dati, acting_user=anna)


def _opzioni(risposta: Any, campo: str) -> list[str]:
    form = risposta.context["form"]
    return [str(valore) for valore, _ in form.fields[campo].widget.choices if valore != ""]


# --- Finding or creating the person ----------------------------------------------------------


def test_the_person_select_offers_only_the_search_results(
    enti: Enti, anna: Utente, client_di: ClientDi
) -> None:
    rossi = nuova_persona(enti.comune_a, cognome="Rossi", nome="Maria")
    bianchi = nuova_persona(enti.comune_a, cognome="Bianchi", nome="Luca")
    client = client_di(anna)
    assert _opzioni(client.get(NUOVO), "persona") == []  # never the whole anagrafe
    trovati = client.get(NUOVO, {"q": "Bianki"})  # a typo: the anagrafe's fuzzy search
    assert _opzioni(trovati, "persona") == [str(bianchi.pk)]
    assert str(rossi) not in trovati.content.decode()


def test_an_accesso_records_the_person_and_her_nucleo(
    enti: Enti,
    anna: Utente,
    persona_di_anna: Persona,
    nucleo_di_anna: Nucleo,
    membro_di_anna: Membro,
    client_di: ClientDi,
) -> None:
    client = client_di(anna)
    scelta = client.get(NUOVO, {"persona": persona_di_anna.pk})
    assert _opzioni(scelta, "persona") == [str(persona_di_anna.pk)]
    assert _opzioni(scelta, "nucleo") == [str(nucleo_di_anna.pk)]  # her nuclei only
    risposta = client.post(
        f"{NUOVO}?persona={persona_di_anna.pk}",
        _dati_accesso(persona=persona_di_anna.pk, nucleo=nucleo_di_anna.pk),
    )
    accesso = Accesso.objects.senza_scope().get()
    assert risposta["Location"] == reverse("cartella:accesso", kwargs={"pk": accesso.pk})
    assert (accesso.persona_id, accesso.nucleo_id) == (persona_di_anna.pk, nucleo_di_anna.pk)


def test_a_nucleo_without_the_person_is_refused(
    enti: Enti, anna: Utente, persona_di_anna: Persona, nucleo_di_anna: Nucleo, client_di: ClientDi
) -> None:
    risposta = client_di(anna).post(
        NUOVO, _dati_accesso(persona=persona_di_anna.pk, nucleo=nucleo_di_anna.pk)
    )
    assert risposta.status_code == 200
    assert "La persona non fa parte di questo nucleo." in risposta.context["form"].errors["nucleo"]
    assert not Accesso.objects.senza_scope().exists()


def test_a_person_of_another_ente_is_refused(enti: Enti, anna: Utente, client_di: ClientDi) -> None:
    altrove = nuova_persona(enti.comune_b, cognome="Verdi")
    risposta = client_di(anna).post(NUOVO, _dati_accesso(persona=altrove.pk))
    assert "persona" in risposta.context["form"].errors
    assert not Accesso.objects.senza_scope().exists()


def test_nuova_persona_comes_back_to_the_accesso_with_the_new_person(
    enti: Enti, anna: Utente, client_di: ClientDi
) -> None:
    client = client_di(anna)
    modulo = client.get(NUOVO)
    link = modulo.context["nuova_persona"]
    assert link == f"/anagrafe/persone/nuova/?next={NUOVO.replace('/', '%2F')}"
    dati = dati_persona()
    risposta = client.post(
        link,
        {
            "cognome": dati["cognome"],
            "nome": dati["nome"],
            "codice_fiscale": dati["codice_fiscale"],
            "sesso": "F",
            "data_nascita": "1980-03-15",
            "luogo_nascita": "",
            "cittadinanza": "IT",
            "comune_residenza": "Avigliana",
            "note": "",
        },
    )
    persona = Persona.objects.senza_scope().get()
    assert risposta["Location"] == f"{NUOVO}?persona={persona.pk}"
    ritorno = client.get(risposta["Location"])
    assert _opzioni(ritorno, "persona") == [str(persona.pk)]
    assert ritorno.context["form"]["persona"].value() == persona.pk


def test_an_unsafe_next_is_ignored(enti: Enti, anna: Utente, client_di: ClientDi) -> None:
    dati = dati_persona()
    risposta = client_di(anna).post(
        "/anagrafe/persone/nuova/?next=https://altrove.example/",
        {
            "cognome": dati["cognome"],
            "nome": dati["nome"],
            "codice_fiscale": dati["codice_fiscale"],
            "sesso": "F",
            "data_nascita": "1980-03-15",
            "luogo_nascita": "",
            "cittadinanza": "IT",
            "comune_residenza": "Avigliana",
            "note": "",
        },
    )
    persona = Persona.objects.senza_scope().get()
    assert risposta["Location"] == f"/anagrafe/persone/{persona.pk}/"


def test_nuovo_nucleo_adds_the_person_then_comes_back_to_the_accesso(
    enti: Enti, anna: Utente, persona_di_anna: Persona, client_di: ClientDi
) -> None:
    client = client_di(anna)
    link = client.get(NUOVO, {"persona": persona_di_anna.pk}).context["nuovo_nucleo"]
    creato = client.post(link, {"tipo": "famiglia_anagrafica", "denominazione": "Famiglia Rossi"})
    nucleo = Nucleo.objects.senza_scope().get()
    verso = urlsplit(creato["Location"])
    assert verso.path == f"/anagrafe/nuclei/{nucleo.pk}/componenti/nuovo/"
    assert parse_qs(verso.query)["cf"] == [persona_di_anna.codice_fiscale]
    aggiunto = client.post(
        creato["Location"],
        {"codice_fiscale": persona_di_anna.codice_fiscale, "relazione": "D", "dal": "2024-01-01"},
    )
    ritorno = urlsplit(aggiunto["Location"])
    assert ritorno.path == NUOVO
    assert parse_qs(ritorno.query) == {
        "persona": [str(persona_di_anna.pk)],
        "nucleo": [str(nucleo.pk)],
    }
    pagina = client.get(aggiunto["Location"])
    assert pagina.context["form"]["nucleo"].value() == nucleo.pk


# --- Linking an accesso recorded by name ---------------------------------------------------------


def test_an_accesso_by_name_is_linked_later_and_reaches_the_timeline(
    enti: Enti, anna: Utente, persona_di_anna: Persona, client_di: ClientDi
) -> None:
    accesso = _per_nome(enti.comune_a, anna)
    client = client_di(anna)
    cronologia = reverse("cartella:cronologia", kwargs={"pk": persona_di_anna.pk})
    assert not [e for e in client.get(cronologia).context["eventi"] if e.get("oggetto") == accesso]
    url = reverse("cartella:collega_accesso", kwargs={"pk": accesso.pk})
    pagina = client.get(url)  # searched by the nominativo at once
    assert _opzioni(pagina, "persona") == [str(persona_di_anna.pk)]
    risposta = client.post(url, {"persona": persona_di_anna.pk})
    assert risposta["Location"] == reverse("cartella:accesso", kwargs={"pk": accesso.pk})
    accesso.refresh_from_db()
    assert accesso.persona_id == persona_di_anna.pk
    modifica = AuditEvent.objects.senza_scope().get(
        tipo=TipoEvento.MODIFICA, oggetto_id=str(accesso.pk), utente_nome="anna"
    )
    assert modifica.oggetto_tipo.endswith("accesso")
    eventi = client.get(cronologia).context["eventi"]
    assert [e["oggetto"] for e in eventi if e.get("oggetto") == accesso] == [accesso]


def test_a_linked_accesso_cannot_be_linked_again(
    enti: Enti, anna: Utente, persona_di_anna: Persona
) -> None:
    accesso = _per_nome(enti.comune_a, anna)
    actions.do_collega_accesso(accesso, persona=persona_di_anna, nucleo=None, acting_user=anna)
    altra = nuova_persona(enti.comune_a, cognome="Bianchi")
    with pytest.raises(ValidationError, match="già collegato"):
        actions.do_collega_accesso(accesso, persona=altra, nucleo=None, acting_user=anna)
    accesso.refresh_from_db()
    assert accesso.persona_id == persona_di_anna.pk


def test_opening_a_case_from_an_accesso_by_name_asks_to_link_it_first(
    enti: Enti, anna: Utente, client_di: ClientDi
) -> None:
    accesso = _per_nome(enti.comune_a, anna)
    risposta = client_di(anna).get(reverse("cartella:apri_caso", kwargs={"pk": accesso.pk}))
    assert risposta["Location"] == reverse("cartella:collega_accesso", kwargs={"pk": accesso.pk})


# --- Opening a case --------------------------------------------------------------------------


def _apri(accesso: Accesso, utente: Utente, **altro: Any) -> Caso:
    dati: dict[str, Any] = {
        "ente": accesso.ente,
        "persona": accesso.persona,
        "area": AreaUtenza.POVERTA,
        "case_manager": utente,
        "aperto_il": fabbrica.INIZIO,
        "acting_user": utente,
        "accesso": accesso,
        **altro,
    }
    return actions.do_apri_caso(**dati)


def test_the_case_is_of_the_accessos_person(
    enti: Enti, anna: Utente, accesso_di_anna: Accesso
) -> None:
    altra = nuova_persona(enti.comune_a, cognome="Bianchi")
    with pytest.raises(ValidationError) as errore:
        _apri(accesso_di_anna, anna, persona=altra)
    assert "persona dell'accesso" in str(errore.value.message_dict["persona"])
    assert not Caso.objects.senza_scope().exists()


def test_the_case_opens_not_before_the_accesso(
    enti: Enti, anna: Utente, accesso_di_anna: Accesso
) -> None:
    with pytest.raises(ValidationError) as errore:
        _apri(accesso_di_anna, anna, aperto_il=fabbrica.INIZIO - dt.timedelta(days=1))
    assert "prima della data dell'accesso" in str(errore.value.message_dict["aperto_il"])
    assert not Caso.objects.senza_scope().exists()


def test_the_nucleo_of_the_case_contains_the_person(
    enti: Enti, anna: Utente, accesso_di_anna: Accesso, nucleo_di_anna: Nucleo
) -> None:
    with pytest.raises(ValidationError) as errore:
        _apri(accesso_di_anna, anna, nucleo=nucleo_di_anna)
    assert errore.value.message_dict["nucleo"] == ["La persona non fa parte di questo nucleo."]


@pytest.mark.parametrize("chi", ["marco", "carla", "bruno", "anna_disattivata", "anna_inattiva"])
def test_the_case_manager_is_an_active_assistente_sociale_of_the_ente(
    enti: Enti,
    anna: Utente,
    marco: Utente,
    carla: Utente,
    bruno: Utente,
    accesso_di_anna: Accesso,
    chi: str,
) -> None:
    if chi == "marco":  # a colleague assistente sociale of the same ente: accepted
        assert _apri(accesso_di_anna, anna, case_manager=marco).case_manager_id == marco.pk
        return
    candidato = {"carla": carla, "bruno": bruno}.get(chi, anna)
    if chi == "anna_disattivata":
        Incarico.objects.filter(utente=anna).update(attivo=False)
    if chi == "anna_inattiva":
        Utente.objects.filter(pk=anna.pk).update(is_active=False)
        candidato = Utente.objects.get(pk=anna.pk)
    with pytest.raises(ValidationError) as errore:
        _apri(accesso_di_anna, marco, case_manager=candidato)
    assert "assistente sociale attivo dell'ente" in str(errore.value.message_dict["case_manager"])
    assert not Caso.objects.senza_scope().exists()


def test_a_double_submit_opens_one_case_and_sets_the_outcome(
    enti: Enti, anna: Utente, persona_di_anna: Persona, client_di: ClientDi
) -> None:
    accesso = actions.do_registra_accesso(
        ente=enti.comune_a,
        dati={**_dati_accesso(persona=persona_di_anna), "data": fabbrica.INIZIO},
        acting_user=anna,
    )
    assert accesso.esito == EsitoAccesso.INVIO
    url = reverse("cartella:apri_caso", kwargs={"pk": accesso.pk})
    modulo = {
        "persona": persona_di_anna.pk,
        "area": AreaUtenza.POVERTA,
        "case_manager": anna.pk,
        "aperto_il": timezone.localdate().isoformat(),
        "approvazione_richiesta": "on",
    }
    client = client_di(anna)
    primo = client.post(url, modulo)
    caso = Caso.objects.senza_scope().get()
    assert primo["Location"] == reverse("cartella:caso", kwargs={"pk": caso.pk})
    secondo = client.post(url, modulo)
    assert secondo.status_code == 200
    assert "Da questo accesso è già stato aperto un caso." in secondo.content.decode()
    assert Caso.objects.senza_scope().count() == 1
    accesso.refresh_from_db()
    assert accesso.esito == EsitoAccesso.APERTURA_CASO


# --- The accesso page ------------------------------------------------------------------------


def test_the_accesso_page_shows_the_case_only_to_who_may_read_it(
    enti: Enti, anna: Utente, marco: Utente, accesso_di_anna: Accesso, client_di: ClientDi
) -> None:
    caso = _apri(accesso_di_anna, anna)
    url = reverse("cartella:accesso", kwargs={"pk": accesso_di_anna.pk})
    di_anna = client_di(anna).get(url)
    assert str(caso) in di_anna.content.decode()
    di_marco = client_di(marco).get(url)  # a colleague of the ente, not on the case
    assert di_marco.status_code == 200
    assert di_marco.context["casi"] == []
    assert str(caso) not in di_marco.content.decode()
    assert not di_marco.context["puo_aprire"]  # and he cannot open a second one


def test_reading_an_accesso_is_audited(
    anna: Utente, accesso_di_anna: Accesso, client_di: ClientDi
) -> None:
    client_di(anna).get(reverse("cartella:accesso", kwargs={"pk": accesso_di_anna.pk}))
    assert (
        AuditEvent.objects.senza_scope()
        .filter(tipo=TipoEvento.LETTURA, oggetto_id=str(accesso_di_anna.pk), utente_nome="anna")
        .exists()
    )


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_openings_create_one_case(
    enti: Enti, anna: Utente, marco: Utente, accesso_di_anna: Accesso
) -> None:
    """While one opening holds the accesso, a second one waits for it and then finds its case
    (PostgreSQL: SQLite has no row locks and serializes whole transactions anyway)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL only")
    esiti: list[object] = []

    def seconda() -> None:
        try:
            esiti.append(_apri(Accesso.objects.senza_scope().get(pk=accesso_di_anna.pk), marco))
        except ValidationError as errore:
            esiti.append(errore.messages)
        finally:
            connection.close()

    with transaction.atomic():
        _apri(accesso_di_anna, anna)
        filo = threading.Thread(target=seconda)
        filo.start()
        time.sleep(0.5)  # the second opening is now waiting on the accesso's row lock
        assert esiti == []
    filo.join(timeout=10)
    assert esiti == [["Da questo accesso è già stato aperto un caso."]]
    assert Caso.objects.senza_scope().count() == 1
