"""The cartella sociale's API (``/api/v1/casi/``...): cases, analisi, progetto, erogazioni;
the quadro di analisi (:mod:`.api_quadro`), the diario (:mod:`.api_diario`) and the interventi
(:mod:`.api_interventi`) are routers of their own, mounted on this one.

Same rules as the pages (:mod:`equo.web.cartella.views`): every case goes through
``permessi.access_caso_for_user(user, pk, sezione)`` (404 for anyone without need-to-know, as for
a missing case), the detail shows only the sections of :func:`~permessi.sezioni_caso`, each read
of a case, an analisi, a progetto or its erogazioni writes one ``lettura`` audit row (lists write
none), and writes go through the actions of :mod:`equo.web.cartella.actions`.

**Session or personal token** (:mod:`.api_accesso`). Need-to-know is personal (the case
manager, the équipe members, the responsabile di servizio): an integrator's token acts as a
technical user who is none of them, so it gets 403 with a message; an operator's personal token
(``casi:leggi`` / ``casi:scrivi``) acts as the operator, with the same answers and audit rows as
the session (the rows also name the token).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from equo.web.accounts.models import Utente
from equo.web.api.errori import DatiNonValidiError
from equo.web.audit.registro import registra_lettura
from equo.web.cartella.actions import do_registra_erogazione
from equo.web.cartella.api_accesso import LETTURA, SCRITTURA, IdCaso, IdIntervento, utente_di
from equo.web.cartella.api_diario import router as diario_router
from equo.web.cartella.api_interventi import router as interventi_router
from equo.web.cartella.api_quadro import router as quadro_router
from equo.web.cartella.api_schemi import (
    AnalisiOut,
    CasoDettaglio,
    ErogazioneIn,
    ErogazioneOut,
    FiltriCasi,
    PaginaCasi,
    ProgettoOut,
)
from equo.web.cartella.flusso import progetto_corrente
from equo.web.cartella.models import (
    AnalisiPreliminare,
    Caso,
    Chiusura,
    DimensioneAnalisi,
    Erogazione,
    Intervento,
    Obiettivo,
    Progetto,
    TransizioneCaso,
)
from equo.web.cartella.permessi import (
    PermessiCaso,
    Sezione,
    access_caso_for_user,
    casi_leggibili,
    e_case_manager,
    permessi_caso,
    permessi_per_casi,
)

__all__ = ["router"]

router = Router(tags=["cartella"], auth=LETTURA)


def _ruolo(permessi: PermessiCaso) -> str:
    if permessi.case_manager:
        return "case_manager"
    if permessi.responsabile:
        return "responsabile"
    return "equipe"


def _caso_sintesi(permessi: PermessiCaso, caso: Caso) -> dict[str, Any]:
    return {
        "id": caso.pk,
        "ente": caso.ente_id,
        "persona": {
            "id": caso.persona.pk,
            "cognome": caso.persona.cognome,
            "nome": caso.persona.nome,
        },
        "area": caso.area,
        "stato": caso.stato,
        "aperto_il": caso.aperto_il,
        "case_manager": caso.case_manager_id,
        "ruolo": _ruolo(permessi),
    }


def _analisi(utente: Utente, caso: Caso) -> AnalisiPreliminare | None:
    return AnalisiPreliminare.objects.per_utente_o_equipe(utente).filter(caso=caso).first()


def _analisi_dati(utente: Utente, scheda: AnalisiPreliminare) -> dict[str, Any]:
    dimensioni = (
        DimensioneAnalisi.objects.per_utente_o_equipe(utente).filter(analisi=scheda).order_by("pk")
    )
    return {
        "id": scheda.pk,
        "data": scheda.data,
        "esito": scheda.esito,
        "sintesi": scheda.sintesi,
        "dimensioni": [
            {
                "dimensione": d.dimensione,
                "persona": d.persona_id,
                "livello": d.livello,
                "risorse": d.risorse,
            }
            for d in dimensioni
        ],
    }


def _progetto_dati(utente: Utente, progetto: Progetto) -> dict[str, Any]:
    obiettivi = Obiettivo.objects.per_utente_o_equipe(utente).filter(progetto=progetto)
    interventi = Intervento.objects.per_utente_o_equipe(utente).filter(progetto=progetto)
    return {
        "id": progetto.pk,
        "versione": progetto.versione,
        "stato": progetto.stato,
        "descrizione": progetto.descrizione,
        "data_accordo": progetto.data_accordo,
        "prossima_verifica": progetto.prossima_verifica,
        "approvato_il": progetto.approvato_il,
        "obiettivi": [
            {
                "id": o.pk,
                "persona": o.persona_id,
                "descrizione": o.descrizione,
                "risultato_atteso": o.risultato_atteso,
                "indicatore": o.indicatore,
                "scadenza": o.scadenza,
                "esito_finale": o.esito_finale,
                "nota_esito": o.nota_esito,
            }
            for o in obiettivi.order_by("pk")
        ],
        "interventi": [
            {
                "id": i.pk,
                "obiettivo": i.obiettivo_id,
                "codice_siuss": i.codice_siuss,
                "etichetta_siuss": i.etichetta_siuss,
                "descrizione": i.descrizione,
                "erogatore": i.erogatore,
                "frequenza": i.frequenza,
                "inizio": i.inizio,
                "fine": i.fine,
                "costo": i.costo,
                "compartecipazione": i.compartecipazione,
            }
            for i in interventi.order_by("pk")
        ],
    }


def _transizioni(utente: Utente, caso: Caso) -> list[dict[str, Any]]:
    """The state history of a case (the section ``caso``, as on its page)."""
    transizioni = TransizioneCaso.objects.per_utente_o_equipe(utente).filter(caso=caso)
    return [
        {"da": t.da, "a": t.a, "utente": t.utente_id, "il": t.il, "motivo": t.motivo}
        for t in transizioni.order_by("il", "pk")
    ]


def _chiusure(utente: Utente, caso: Caso) -> list[dict[str, Any]]:
    """The closures with their final evaluation (the section ``chiusura``)."""
    return [
        {
            "id": c.pk,
            "data": c.data,
            "motivo": c.motivo,
            "motivo_etichetta": c.motivo_etichetta,
            "codice_sinba": c.codice_sinba,
            "valutazione_finale": c.valutazione_finale,
            "riaperta": c.riaperta,
        }
        for c in Chiusura.objects.per_utente_o_equipe(utente).filter(caso=caso)
    ]


def _erogazione_dati(e: Erogazione) -> dict[str, Any]:
    return {
        "id": e.pk,
        "intervento": e.intervento_id,
        "dal": e.dal,
        "al": e.al,
        "ore": e.ore,
        "importo": e.importo,
        "quota_ente": e.quota_ente,
        "quota_utente": e.quota_utente,
        "quota_ssn": e.quota_ssn,
        "note": e.note,
    }


def _erogazioni(utente: Utente, caso: Caso) -> list[dict[str, Any]]:
    righe = Erogazione.objects.per_utente_o_equipe(utente).filter(intervento__progetto__caso=caso)
    return [_erogazione_dati(e) for e in righe]


@router.get(
    "/casi/",
    response=PaginaCasi,
    url_name="casi",
    summary="Elenco dei casi",
)
def casi(request: HttpRequest, filtri: Query[FiltriCasi]) -> dict[str, Any]:
    """I casi che il chiamante può leggere (come case manager, responsabile di servizio o
    componente dell'équipe), dal più recente. Nessuna riga di audit: solo i dati di sintesi."""
    utente = utente_di(request)
    elenco = casi_leggibili(utente)
    if filtri.stato:
        elenco = elenco.filter(stato=filtri.stato)
    if filtri.area:
        elenco = elenco.filter(area=filtri.area)
    # Paginate in the database first; the permissions only for the cases of the page.
    pagina = list(
        elenco.select_related("ente__superiore", "persona").order_by("-aperto_il", "-pk")[
            filtri.offset : filtri.offset + filtri.limit
        ]
    )
    permessi = permessi_per_casi(utente, pagina)
    return {
        "totale": elenco.count(),
        "limit": filtri.limit,
        "offset": filtri.offset,
        "risultati": [_caso_sintesi(permessi[c.pk], c) for c in pagina],
    }


@router.get(
    "/casi/{caso_id}/",
    response=CasoDettaglio,
    url_name="caso",
    summary="Scheda di un caso",
)
def caso(request: HttpRequest, caso_id: IdCaso) -> dict[str, Any]:
    """Il caso con le sole sezioni che il chiamante può leggere (le altre sono ``null``).
    Ogni lettura è registrata nel registro di audit."""
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, caso_id, Sezione.CASO)
    permessi = permessi_caso(utente, trovato)  # computed once by access_caso_for_user
    sezioni = permessi.sezioni
    dati: dict[str, Any] = {
        **_caso_sintesi(permessi, trovato),
        "nucleo": trovato.nucleo_id,
        "sezioni": sorted(s.value for s in sezioni),
        "transizioni": _transizioni(utente, trovato),
    }
    if Sezione.CHIUSURA in sezioni:
        dati["chiusure"] = _chiusure(utente, trovato)
    if Sezione.ANALISI in sezioni:
        scheda = _analisi(utente, trovato)
        dati["analisi"] = _analisi_dati(utente, scheda) if scheda else None
    if Sezione.PROGETTO in sezioni:
        progetto = progetto_corrente(trovato)
        dati["progetto"] = _progetto_dati(utente, progetto) if progetto else None
    if Sezione.EROGAZIONI in sezioni:
        dati["erogazioni"] = _erogazioni(utente, trovato)
    registra_lettura(utente, trovato, dettagli={"caso": trovato.pk})
    return dati


@router.get(
    "/casi/{caso_id}/analisi/",
    response=AnalisiOut,
    url_name="analisi_caso",
    summary="Analisi preliminare di un caso",
)
def analisi_caso(request: HttpRequest, caso_id: IdCaso) -> dict[str, Any]:
    """L'analisi preliminare, con le dimensioni. Ogni lettura è registrata."""
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, caso_id, Sezione.ANALISI)
    scheda = _analisi(utente, trovato)
    if scheda is None:
        raise Http404("Non trovato.")
    dati = _analisi_dati(utente, scheda)
    registra_lettura(utente, scheda, dettagli={"caso": trovato.pk})
    return dati


@router.get(
    "/casi/{caso_id}/progetto/",
    response=ProgettoOut,
    url_name="progetto_caso",
    summary="Progetto personalizzato di un caso",
)
def progetto_caso(request: HttpRequest, caso_id: IdCaso) -> dict[str, Any]:
    """La versione in corso del progetto, con obiettivi e interventi (codici SIUSS). Ogni
    lettura è registrata."""
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, caso_id, Sezione.PROGETTO)
    progetto = progetto_corrente(trovato)
    if progetto is None:
        raise Http404("Non trovato.")
    dati = _progetto_dati(utente, progetto)
    registra_lettura(utente, progetto, dettagli={"caso": trovato.pk})
    return dati


@router.get(
    "/casi/{caso_id}/erogazioni/",
    response=list[ErogazioneOut],
    url_name="erogazioni_caso",
    summary="Erogazioni di un caso",
)
def erogazioni_caso(request: HttpRequest, caso_id: IdCaso) -> list[dict[str, Any]]:
    """Le erogazioni di tutti gli interventi del caso, dalla più recente. Ogni lettura è
    registrata (una riga sul caso)."""
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, caso_id, Sezione.EROGAZIONI)
    elenco = _erogazioni(utente, trovato)
    registra_lettura(utente, trovato, dettagli={"caso": trovato.pk, "sezione": "erogazioni"})
    return elenco


def _intervento(utente: Utente, intervento_id: int) -> tuple[Intervento, Caso]:
    """The intervento and its case, if the caller may read the case's erogazioni (404)."""
    intervento = (
        Intervento.objects.per_utente_o_equipe(utente)
        .select_related("progetto")
        .filter(pk=intervento_id)
        .first()
    )
    if intervento is None:
        raise Http404("Non trovato.")
    caso_ = access_caso_for_user(utente, intervento.progetto.caso_id, Sezione.EROGAZIONI)
    intervento.progetto.caso = caso_
    return intervento, caso_


@router.get(
    "/interventi/{intervento_id}/erogazioni/",
    response=list[ErogazioneOut],
    url_name="erogazioni_intervento",
    summary="Erogazioni di un intervento",
)
def erogazioni_intervento(
    request: HttpRequest, intervento_id: IdIntervento
) -> list[dict[str, Any]]:
    """Le erogazioni di un intervento, dalla più recente. Ogni lettura è registrata (una riga
    sull'intervento)."""
    utente = utente_di(request)
    intervento, caso_ = _intervento(utente, intervento_id)
    righe = Erogazione.objects.per_utente_o_equipe(utente).filter(intervento=intervento)
    elenco = [_erogazione_dati(e) for e in righe]
    registra_lettura(utente, intervento, dettagli={"caso": caso_.pk})
    return elenco


@router.post(
    "/interventi/{intervento_id}/erogazioni/",
    response={201: ErogazioneOut},
    url_name="registra_erogazione",
    auth=SCRITTURA,
    summary="Registrazione di un'erogazione",
)
def registra_erogazione(
    request: HttpRequest, dati: ErogazioneIn, intervento_id: IdIntervento
) -> Status[dict[str, Any]]:
    """Registra un'erogazione dell'intervento (solo il case manager, con il progetto attivo),
    con gli stessi controlli della pagina web."""
    utente = utente_di(request)
    intervento, caso_ = _intervento(utente, intervento_id)
    if not e_case_manager(utente, caso_):
        raise PermissionDenied
    try:
        erogazione = do_registra_erogazione(intervento, dati=dati.model_dump(), acting_user=utente)
    except ValidationError as errore:
        raise DatiNonValidiError.da_validazione(errore) from None
    return Status(201, _erogazione_dati(erogazione))


router.add_router("", quadro_router)
router.add_router("", diario_router)
router.add_router("", interventi_router)
