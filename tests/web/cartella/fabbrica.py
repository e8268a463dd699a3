"""Cases for the tests, built through the actions (so every row is valid and audited)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Persona
from equo.web.cartella import actions
from equo.web.cartella.models import (
    Accesso,
    AreaUtenza,
    Canale,
    Caso,
    Dimensione,
    EsitoAccesso,
    EsitoAnalisi,
    Intervento,
    LivelloBisogno,
    Obiettivo,
    Progetto,
    StatoCaso,
    TipoVoce,
)
from equo.web.enti.models import Ente

INIZIO = dt.date(2026, 1, 10)


def nuovo_accesso(ente: Ente, operatore: Utente, persona: Persona) -> Accesso:
    return actions.do_registra_accesso(
        ente=ente,
        dati={
            "persona": persona,
            "data": INIZIO,
            "canale": Canale.SPORTELLO,
            "richiedente": "L'interessata",
            "bisogno_espresso": "Sfratto imminente.",
            "area": AreaUtenza.POVERTA,
            "esito": EsitoAccesso.APERTURA_CASO,
        },
        acting_user=operatore,
    )


def nuovo_caso(ente: Ente, case_manager: Utente, persona: Persona, **altro: object) -> Caso:
    return actions.do_apri_caso(
        ente=ente,
        persona=persona,
        area=AreaUtenza.POVERTA,
        case_manager=case_manager,
        aperto_il=INIZIO,
        acting_user=case_manager,
        **altro,  # type: ignore[arg-type]
    )


def dimensioni(livello: str = LivelloBisogno.MODERATO) -> dict[str, tuple[str, str]]:
    return {d: (livello, "") for d in Dimensione}


def con_analisi(caso: Caso, cm: Utente, esito: str = EsitoAnalisi.PROGETTO_SEMPLICE) -> None:
    actions.do_salva_analisi(
        caso,
        dati={"data": INIZIO, "esito": esito, "sintesi": "Sintesi dell'analisi."},
        dimensioni=dimensioni(),
        acting_user=cm,
    )


def con_progetto(caso: Caso, cm: Utente) -> tuple[Progetto, Obiettivo, Intervento]:
    progetto = actions.do_crea_progetto(
        caso,
        dati={
            "descrizione": "Progetto di prova.",
            "data_accordo": INIZIO,
            "prossima_verifica": timezone.localdate() + dt.timedelta(days=10),
        },
        acting_user=cm,
    )
    obiettivo = actions.do_aggiungi_obiettivo(
        progetto,
        dati={
            "descrizione": "Mantenere la casa",
            "risultato_atteso": "Nessuno sfratto",
            "indicatore": "Contratto in vigore",
            "scadenza": INIZIO + dt.timedelta(days=180),
        },
        acting_user=cm,
    )
    intervento = actions.do_aggiungi_intervento(
        progetto,
        dati={
            "codice_siuss": "A1.05.01",
            "obiettivo": obiettivo,
            "erogatore": "Comune",
            "inizio": INIZIO,
            "costo": Decimal(600),
        },
        acting_user=cm,
    )
    return progetto, obiettivo, intervento


def porta_a(caso: Caso, stato: str, cm: Utente, responsabile: Utente) -> dict[str, object]:
    """Bring a new case to ``stato`` along the table, with every prerequisite in place."""
    oggetti: dict[str, object] = {}
    if stato == StatoCaso.APERTO:
        return oggetti
    actions.do_transizione_caso(caso, StatoCaso.IN_VALUTAZIONE, acting_user=cm)
    con_analisi(caso, cm)
    progetto, obiettivo, intervento = con_progetto(caso, cm)
    oggetti.update(progetto=progetto, obiettivo=obiettivo, intervento=intervento)
    if stato == StatoCaso.IN_VALUTAZIONE:
        return oggetti
    actions.do_approva_progetto(progetto, acting_user=responsabile)
    actions.do_transizione_caso(caso, StatoCaso.PROGETTO_ATTIVO, acting_user=cm)
    if stato == StatoCaso.PROGETTO_ATTIVO:
        return oggetti
    actions.do_registra_erogazione(
        intervento,
        dati={"dal": INIZIO, "al": INIZIO + dt.timedelta(days=30), "ore": Decimal(8)},
        acting_user=cm,
    )
    actions.do_transizione_caso(caso, StatoCaso.IN_MONITORAGGIO, acting_user=cm)
    if stato == StatoCaso.IN_MONITORAGGIO:
        return oggetti
    actions.do_valuta_obiettivo(obiettivo, esito="raggiunto", nota="", acting_user=cm)
    chiudi(caso, cm)
    return oggetti


def chiudi(caso: Caso, cm: Utente) -> None:
    actions.do_chiudi_caso(
        caso,
        dati={
            "data": timezone.localdate(),
            "motivo": "bisogno_risolto",
            "valutazione_finale": "Obiettivi raggiunti.",
        },
        acting_user=cm,
    )


def voce(caso: Caso, cm: Utente, *, riservata: bool) -> object:
    return actions.do_scrivi_voce_diario(
        caso,
        dati={
            "data": INIZIO,
            "tipo": TipoVoce.COLLOQUIO,
            "testo": "Testo riservato" if riservata else "Testo ordinario",
            "riservata": riservata,
        },
        acting_user=cm,
    )
