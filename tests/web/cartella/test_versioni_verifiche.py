"""Versions of the progetto (the one in force and the draft), verifiche, dates out of order,
erogazione quotas, approval only by the responsabile, the readiness messages of activation and
two submissions of a new version at once."""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Persona
from equo.web.audit.models import AuditEvent, TipoEvento
from equo.web.cartella import actions
from equo.web.cartella.flusso import (
    TransizioneNonAmmessaError,
    errori_guardie,
    progetto_corrente,
    progetto_in_vigore,
    transizione,
)
from equo.web.cartella.models import (
    Avanzamento,
    Caso,
    DecisioneVerifica,
    Erogazione,
    Intervento,
    Obiettivo,
    Progetto,
    StatoCaso,
    StatoProgetto,
    VerificaProgetto,
)
from tests.web.cartella import fabbrica
from tests.web.conftest import Enti

ClientDi = Callable[[Utente], Client]
OGGI = timezone.localdate()


def _in_vigore(caso: Caso) -> Progetto:
    progetto = progetto_in_vigore(caso)
    assert progetto is not None
    return progetto


def _figlio(modello: type[Obiettivo] | type[Intervento], progetto: Progetto) -> object:
    return modello.objects.senza_scope().filter(progetto=progetto).get()


def _nuova_versione(caso: Caso, cm: Utente, **dati: object) -> Progetto:
    return actions.do_crea_progetto(
        caso, dati={"descrizione": "Versione rivista.", **dati}, acting_user=cm
    )


def _erogazione(**altro: object) -> dict[str, object]:
    return {"dal": fabbrica.INIZIO, "al": fabbrica.INIZIO + dt.timedelta(days=9), **altro}


# --- The version in force and the draft ---------------------------------------------------------


@pytest.mark.django_db
def test_a_new_draft_does_not_move_the_guards_off_the_version_in_force(
    caso_attivo_di_anna: Caso, anna: Utente
) -> None:
    v1 = _in_vigore(caso_attivo_di_anna)
    v2 = _nuova_versione(caso_attivo_di_anna, anna)
    assert progetto_corrente(caso_attivo_di_anna) == v2  # the page edits the draft
    assert progetto_in_vigore(caso_attivo_di_anna) == v1
    # Erogazioni only on the version in force.
    with pytest.raises(ValidationError, match="ancora in preparazione"):
        actions.do_registra_erogazione(
            _figlio(Intervento, v2),
            dati=_erogazione(ore=Decimal(2)),
            acting_user=anna,  # type: ignore[arg-type]
        )
    actions.do_registra_erogazione(
        _figlio(Intervento, v1),
        dati=_erogazione(ore=Decimal(2)),
        acting_user=anna,  # type: ignore[arg-type]
    )
    # The monitoring guard reads the version in force (which has its erogazione).
    regola = transizione(StatoCaso.PROGETTO_ATTIVO, StatoCaso.IN_MONITORAGGIO)
    assert errori_guardie(regola, caso_attivo_di_anna) == []
    actions.do_transizione_caso(caso_attivo_di_anna, StatoCaso.IN_MONITORAGGIO, acting_user=anna)
    # Notes and outcomes: not on the draft.
    with pytest.raises(ValidationError, match="ancora in preparazione"):
        actions.do_scrivi_nota_monitoraggio(
            _figlio(Obiettivo, v2),  # type: ignore[arg-type]
            dati={"data": OGGI, "avanzamento": Avanzamento.PARZIALE, "testo": "Nota."},
            acting_user=anna,
        )
    with pytest.raises(ValidationError, match="ancora in preparazione"):
        actions.do_valuta_obiettivo(
            _figlio(Obiettivo, v2),
            esito="raggiunto",
            nota="",
            acting_user=anna,  # type: ignore[arg-type]
        )
    # The closure guard asks for the outcome of the version in force's objective.
    regola = transizione(StatoCaso.IN_MONITORAGGIO, StatoCaso.CHIUSO)
    assert any("esito finale" in e for e in errori_guardie(regola, caso_attivo_di_anna))
    actions.do_valuta_obiettivo(
        _figlio(Obiettivo, v1),
        esito="raggiunto",
        nota="",
        acting_user=anna,  # type: ignore[arg-type]
    )
    assert not any("esito finale" in e for e in errori_guardie(regola, caso_attivo_di_anna))


@pytest.mark.django_db
def test_once_a_new_version_is_approved_the_old_one_takes_no_more_writes(
    caso_attivo_di_anna: Caso, anna: Utente, franco: Utente
) -> None:
    v1 = _in_vigore(caso_attivo_di_anna)
    v2 = _nuova_versione(caso_attivo_di_anna, anna)
    actions.do_approva_progetto(v2, acting_user=franco)
    v1.refresh_from_db()
    assert v1.stato == StatoProgetto.SUPERATO
    assert progetto_in_vigore(caso_attivo_di_anna) == v2
    with pytest.raises(ValidationError, match="superata"):
        actions.do_registra_erogazione(
            _figlio(Intervento, v1),
            dati=_erogazione(ore=Decimal(2)),
            acting_user=anna,  # type: ignore[arg-type]
        )
    with pytest.raises(ValidationError, match="superata"):
        actions.do_valuta_obiettivo(
            _figlio(Obiettivo, v1),
            esito="parziale",
            nota="",
            acting_user=anna,  # type: ignore[arg-type]
        )
    erogazione = actions.do_registra_erogazione(
        _figlio(Intervento, v2),
        dati=_erogazione(ore=Decimal(3)),
        acting_user=anna,  # type: ignore[arg-type]
    )
    assert erogazione.intervento.progetto_id == v2.pk


@pytest.fixture
def caso_senza_approvazione(enti: Enti, anna: Utente, franco: Utente) -> Caso:
    from tests.web.anagrafe.fabbrica import nuova_persona

    persona = nuova_persona(enti.comune_a, cognome="Bianchi", nome="Rita")
    caso = fabbrica.nuovo_caso(enti.comune_a, anna, persona, approvazione_richiesta=False)
    fabbrica.porta_a(caso, StatoCaso.IN_VALUTAZIONE, anna, franco)
    return caso


@pytest.mark.django_db
def test_without_approval_the_activation_puts_the_draft_in_force(
    caso_senza_approvazione: Caso, anna: Utente, client_di: ClientDi
) -> None:
    [v1] = Progetto.objects.senza_scope().filter(caso=caso_senza_approvazione)
    assert v1.stato == StatoProgetto.BOZZA
    actions.do_transizione_caso(
        caso_senza_approvazione, StatoCaso.PROGETTO_ATTIVO, acting_user=anna
    )
    v1.refresh_from_db()
    assert v1.stato == StatoProgetto.IN_VIGORE
    riga = AuditEvent.objects.senza_scope().filter(
        tipo=TipoEvento.MODIFICA, oggetto_tipo="cartella.progetto", oggetto_id=str(v1.pk)
    )
    assert riga.get().modifiche["stato"] == {"prima": "bozza", "dopo": "in_vigore"}
    # A new version is now possible, and the case manager puts it in force herself.
    v2 = _nuova_versione(caso_senza_approvazione, anna, data_accordo=OGGI)
    pagina = client_di(anna).get(
        reverse("cartella:caso", kwargs={"pk": caso_senza_approvazione.pk})
    )
    url = reverse("cartella:metti_in_vigore_progetto", kwargs={"pk": v2.pk})
    assert url in pagina.content.decode()
    assert client_di(anna).post(url, {}).status_code == 302
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.stato, v2.stato) == (StatoProgetto.SUPERATO, StatoProgetto.IN_VIGORE)


@pytest.mark.django_db
def test_a_draft_is_put_in_force_only_when_ready_and_only_without_approval(
    caso_senza_approvazione: Caso, caso_attivo_di_anna: Caso, anna: Utente
) -> None:
    actions.do_transizione_caso(
        caso_senza_approvazione, StatoCaso.PROGETTO_ATTIVO, acting_user=anna
    )
    v2 = _nuova_versione(caso_senza_approvazione, anna, data_accordo=None)
    with pytest.raises(ValidationError, match="data dell'accordo"):
        actions.do_metti_in_vigore_progetto(v2, acting_user=anna)
    bozza = _nuova_versione(caso_attivo_di_anna, anna)
    with pytest.raises(ValidationError, match="entra in vigore con l'approvazione"):
        actions.do_metti_in_vigore_progetto(bozza, acting_user=anna)
    assert Progetto.objects.senza_scope().get(pk=bozza.pk).stato == StatoProgetto.BOZZA


# --- Approval and readiness ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("chi", ["anna", "sara"])
def test_only_the_responsabile_approves(
    chi: str, caso_di_anna: Caso, request: pytest.FixtureRequest, client_di: ClientDi
) -> None:
    utente: Utente = request.getfixturevalue(chi)
    progetto = Progetto.objects.senza_scope().get(caso=caso_di_anna)
    with pytest.raises(ValidationError, match="Solo il responsabile di servizio approva"):
        actions.do_approva_progetto(progetto, acting_user=utente)
    url = reverse("cartella:approva_progetto", kwargs={"pk": progetto.pk})
    assert client_di(utente).post(url, {}).status_code == 403
    progetto.refresh_from_db()
    assert progetto.stato == StatoProgetto.BOZZA


@pytest.fixture
def caso_con_analisi(enti: Enti, anna: Utente, persona_di_anna: Persona) -> Caso:
    caso = fabbrica.nuovo_caso(enti.comune_a, anna, persona_di_anna, approvazione_richiesta=False)
    actions.do_transizione_caso(caso, StatoCaso.IN_VALUTAZIONE, acting_user=anna)
    fabbrica.con_analisi(caso, anna)
    return caso


def _attiva(caso: Caso, anna: Utente) -> list[str]:
    with pytest.raises(TransizioneNonAmmessaError) as errore:
        actions.do_transizione_caso(caso, StatoCaso.PROGETTO_ATTIVO, acting_user=anna)
    return errore.value.messages


@pytest.mark.django_db
def test_activation_names_what_the_progetto_lacks(caso_con_analisi: Caso, anna: Utente) -> None:
    assert _attiva(caso_con_analisi, anna) == ["Manca il progetto personalizzato."]
    progetto = _nuova_versione(caso_con_analisi, anna)
    assert _attiva(caso_con_analisi, anna) == ["Il progetto non ha obiettivi."]
    obiettivo = actions.do_aggiungi_obiettivo(
        progetto,
        dati={
            "descrizione": "Trovare lavoro",
            "risultato_atteso": "Un contratto",
            "indicatore": "Contratto firmato",
            "scadenza": OGGI + dt.timedelta(days=90),
        },
        acting_user=anna,
    )
    assert _attiva(caso_con_analisi, anna) == ["Il progetto non ha interventi."]
    actions.do_aggiungi_intervento(
        progetto,
        dati={
            "codice_siuss": "A1.05.01",
            "obiettivo": obiettivo,
            "erogatore": "Comune",
            "inizio": OGGI,
        },
        acting_user=anna,
    )
    assert _attiva(caso_con_analisi, anna) == [
        "Indica la data dell'accordo con la famiglia sul progetto."
    ]
    actions.do_modifica_progetto(progetto, dati={"data_accordo": OGGI}, acting_user=anna)
    actions.do_transizione_caso(caso_con_analisi, StatoCaso.PROGETTO_ATTIVO, acting_user=anna)
    assert caso_con_analisi.stato == StatoCaso.PROGETTO_ATTIVO


# --- Dates out of order and quotas --------------------------------------------------------------


@pytest.mark.django_db
def test_an_objective_cannot_end_before_the_agreement_nor_in_the_past_when_not_agreed(
    caso_con_analisi: Caso, anna: Utente, client_di: ClientDi
) -> None:
    accordo = OGGI - dt.timedelta(days=5)
    progetto = _nuova_versione(caso_con_analisi, anna, data_accordo=accordo)
    url = reverse("cartella:nuovo_obiettivo", kwargs={"pk": progetto.pk})
    dati = {"descrizione": "Casa", "risultato_atteso": "Casa", "indicatore": "Contratto"}
    risposta = client_di(anna).post(
        url, {**dati, "scadenza": (accordo - dt.timedelta(days=1)).isoformat()}
    )
    assert risposta.context["form"].errors["scadenza"] == [
        f"La scadenza non può precedere l'accordo con la famiglia ({accordo:%d/%m/%Y})."
    ]
    actions.do_modifica_progetto(progetto, dati={"data_accordo": None}, acting_user=anna)
    risposta = client_di(anna).post(
        url, {**dati, "scadenza": (OGGI - dt.timedelta(days=1)).isoformat()}
    )
    assert risposta.context["form"].errors["scadenza"] == ["La scadenza è già passata."]
    assert not Obiettivo.objects.senza_scope().filter(progetto=progetto).exists()


@pytest.mark.django_db
def test_the_next_review_cannot_precede_the_agreement(
    caso_con_analisi: Caso, anna: Utente, client_di: ClientDi
) -> None:
    url = reverse("cartella:nuovo_progetto", kwargs={"pk": caso_con_analisi.pk})
    risposta = client_di(anna).post(
        url,
        {
            "descrizione": "Progetto.",
            "data_accordo": OGGI.isoformat(),
            "prossima_verifica": (OGGI - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert risposta.status_code == 200
    assert risposta.context["form"].errors["prossima_verifica"] == [
        f"La verifica non può precedere l'accordo con la famiglia ({OGGI:%d/%m/%Y})."
    ]
    assert not Progetto.objects.senza_scope().filter(caso=caso_con_analisi).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("quote", "campo", "messaggio"),
    [
        (
            {"importo": "100", "quota_ente": "60", "quota_utente": "30", "quota_ssn": "0"},
            "quota_ente",
            "Le quote (ente, utente, SSN) sommano a 90,00 €, non all'importo di 100,00 €.",
        ),
        (
            {"importo": "100", "quota_ente": "0", "quota_utente": "0", "quota_ssn": "0"},
            "quota_ente",
            "Le quote (ente, utente, SSN) sommano a 0,00 €, non all'importo di 100,00 €.",
        ),
        (
            {"ore": "4", "quota_ente": "50", "quota_utente": "0", "quota_ssn": "0"},
            "importo",
            "Le quote ripartiscono un importo: indica l'importo erogato, oppure lascia le "
            "quote a zero se registri solo le ore.",
        ),
        (
            {"ore": "4", "dal": "2026-02-10", "al": "2026-02-01"},
            "al",
            "La fine del periodo non può precedere l'inizio.",
        ),
    ],
)
def test_a_wrong_erogazione_is_refused_on_the_form(
    quote: dict[str, str],
    campo: str,
    messaggio: str,
    caso_attivo_di_anna: Caso,
    anna: Utente,
    client_di: ClientDi,
) -> None:
    intervento = _figlio(Intervento, _in_vigore(caso_attivo_di_anna))
    url = reverse("cartella:nuova_erogazione", kwargs={"pk": intervento.pk})  # type: ignore[attr-defined]
    dati = {
        "dal": "2026-02-01",
        "al": "2026-02-28",
        "quota_ente": "0",
        "quota_utente": "0",
        "quota_ssn": "0",
        **quote,
    }
    risposta = client_di(anna).post(url, dati)
    assert risposta.status_code == 200
    assert messaggio in risposta.context["form"].errors[campo]
    assert not Erogazione.objects.senza_scope().filter(intervento=intervento).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "quote",
    [
        {"importo": "100", "quota_ente": "60", "quota_utente": "30", "quota_ssn": "10"},
        {"ore": "4", "quota_ente": "0", "quota_utente": "0", "quota_ssn": "0"},
    ],
)
def test_quotas_that_add_up_or_hours_alone_are_recorded(
    quote: dict[str, str], caso_attivo_di_anna: Caso, anna: Utente, client_di: ClientDi
) -> None:
    intervento = _figlio(Intervento, _in_vigore(caso_attivo_di_anna))
    url = reverse("cartella:nuova_erogazione", kwargs={"pk": intervento.pk})  # type: ignore[attr-defined]
    risposta = client_di(anna).post(url, {"dal": "2026-02-01", "al": "2026-02-28", **quote})
    assert risposta.status_code == 302
    assert Erogazione.objects.senza_scope().filter(intervento=intervento).count() == 1


# --- Verifiche -----------------------------------------------------------------------------------


def _verifica(**altro: str) -> dict[str, str]:
    return {
        "data": OGGI.isoformat(),
        "partecipanti": "Anna (case manager), la signora Neri",
        "esito": "Affitto pagato regolarmente.",
        "decisione": DecisioneVerifica.PROSEGUE,
        "prossima_verifica": (OGGI + dt.timedelta(days=60)).isoformat(),
        **altro,
    }


@pytest.mark.django_db
def test_the_case_manager_records_a_verifica_that_moves_the_next_review(
    caso_attivo_di_anna: Caso, anna: Utente, client_di: ClientDi
) -> None:
    progetto = _in_vigore(caso_attivo_di_anna)
    url = reverse("cartella:nuova_verifica", kwargs={"pk": progetto.pk})
    risposta = client_di(anna).post(url, _verifica())
    assert risposta.status_code == 302
    verifica = VerificaProgetto.objects.senza_scope().get(progetto=progetto)
    assert verifica.registrata_da == anna
    progetto.refresh_from_db()
    assert progetto.prossima_verifica == OGGI + dt.timedelta(days=60)
    scritture = AuditEvent.objects.senza_scope().filter(dettagli__caso=caso_attivo_di_anna.pk)
    assert scritture.filter(
        tipo=TipoEvento.CREAZIONE, oggetto_tipo="cartella.verificaprogetto"
    ).exists()
    assert scritture.filter(tipo=TipoEvento.MODIFICA, oggetto_tipo="cartella.progetto").exists()
    pagina = client_di(anna).get(reverse("cartella:caso", kwargs={"pk": caso_attivo_di_anna.pk}))
    html = pagina.content.decode()
    assert "Affitto pagato regolarmente." in html
    assert "Il progetto prosegue" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("altro", "campo", "messaggio"),
    [
        ({"data": (OGGI + dt.timedelta(days=1)).isoformat()}, "data", "La data è nel futuro."),
        (
            {"prossima_verifica": OGGI.isoformat()},
            "prossima_verifica",
            f"La prossima verifica deve essere dopo questa ({OGGI:%d/%m/%Y}).",
        ),
        (
            {"prossima_verifica": ""},
            "prossima_verifica",
            "Se il progetto prosegue, fissa la data della prossima verifica.",
        ),
        ({"partecipanti": ""}, "partecipanti", "Indica chi ha partecipato alla verifica."),
    ],
)
def test_a_wrong_verifica_is_refused_on_its_field(
    altro: dict[str, str],
    campo: str,
    messaggio: str,
    caso_attivo_di_anna: Caso,
    anna: Utente,
    client_di: ClientDi,
) -> None:
    progetto = _in_vigore(caso_attivo_di_anna)
    prima = progetto.prossima_verifica
    url = reverse("cartella:nuova_verifica", kwargs={"pk": progetto.pk})
    risposta = client_di(anna).post(url, _verifica(**altro))
    assert risposta.status_code == 200
    assert risposta.context["form"].errors[campo] == [messaggio]
    assert not VerificaProgetto.objects.senza_scope().exists()
    progetto.refresh_from_db()
    assert progetto.prossima_verifica == prima


@pytest.mark.django_db
def test_a_verifica_needs_an_active_case_and_the_version_in_force(
    caso_di_anna: Caso,
    caso_attivo_di_anna: Caso,
    anna: Utente,
    marco: Utente,
    client_di: ClientDi,
) -> None:
    bozza = Progetto.objects.senza_scope().get(caso=caso_di_anna)
    risposta = client_di(anna).post(
        reverse("cartella:nuova_verifica", kwargs={"pk": bozza.pk}), _verifica()
    )
    assert "Le verifiche si registrano con il progetto attivo o in monitoraggio." in (
        risposta.content.decode()
    )
    v2 = _nuova_versione(caso_attivo_di_anna, anna)
    with pytest.raises(ValidationError, match="ancora in preparazione"):
        actions.do_registra_verifica(
            v2,
            dati={
                "data": OGGI,
                "partecipanti": "A",
                "esito": "B",
                "decisione": DecisioneVerifica.DA_RIVEDERE,
            },
            acting_user=anna,
        )
    url = reverse("cartella:nuova_verifica", kwargs={"pk": _in_vigore(caso_attivo_di_anna).pk})
    assert client_di(marco).get(url).status_code == 404
    assert not VerificaProgetto.objects.senza_scope().exists()


# --- Two submissions at once --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_submission_of_a_new_version_gets_a_message(
    caso_attivo_di_anna: Caso, anna: Utente, client_di: ClientDi
) -> None:
    url = reverse("cartella:nuovo_progetto", kwargs={"pk": caso_attivo_di_anna.pk})
    dati = {"descrizione": "Versione 2."}
    assert client_di(anna).post(url, dati).status_code == 302
    risposta = client_di(anna).post(url, dati)
    assert risposta.status_code == 200
    assert "C&#x27;è già una bozza di progetto: completa quella." in risposta.content.decode()
    assert Progetto.objects.senza_scope().filter(caso=caso_attivo_di_anna).count() == 2


@pytest.fixture
def aree_seminate(transactional_db: None) -> None:
    """The areas utenza come from a data migration, which the flush of an earlier
    transactional test wipes: sow them again (idempotent)."""
    migrazione = importlib.import_module("equo.web.cartella.migrations.0004_aree_accessi")
    migrazione.semina_aree(django_apps, None)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers by itself; the row lock matters on PostgreSQL.",
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_new_versions_give_one_draft_and_one_message(
    aree_seminate: None, caso_attivo_di_anna: Caso, anna: Utente
) -> None:
    partenza = threading.Barrier(2)
    esiti: list[str] = []

    def invia() -> None:
        caso = Caso.objects.senza_scope().get(pk=caso_attivo_di_anna.pk)
        partenza.wait()
        try:
            actions.do_crea_progetto(caso, dati={"descrizione": "Insieme."}, acting_user=anna)
            esiti.append("creato")
        except ValidationError as errore:
            esiti.append(errore.messages[0])
        finally:
            connections.close_all()

    fili = [threading.Thread(target=invia) for _ in range(2)]
    for filo in fili:
        filo.start()
    for filo in fili:
        filo.join()
    assert sorted(esiti) == ["C'è già una bozza di progetto: completa quella.", "creato"]
    assert Progetto.objects.senza_scope().filter(caso=caso_attivo_di_anna).count() == 2
