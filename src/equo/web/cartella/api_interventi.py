"""The interventi of a case's progetto in the API.

- ``GET /casi/{id}/interventi/``: the interventi of the current progetto (SIUSS code and
  label, provider, frequency, dates, cost, compartecipazione); one audit row on the progetto;
- ``GET /interventi/{id}/``: one intervento, with its erogazioni for who reads them (``null``
  for the others, e.g. the health member of the équipe); one audit row on the intervento;
- ``POST /progetti/{id}/interventi/``: a new intervento in a progetto still open to changes
  (case manager only), through :func:`~equo.web.cartella.actions.do_aggiungi_intervento`, which
  refuses unknown SIUSS codes, an end before the start, a compartecipazione above the cost...
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Status

from equo.web.accounts.models import Utente
from equo.web.api.errori import DatiNonValidiError
from equo.web.audit.registro import registra_lettura
from equo.web.cartella.actions import do_aggiungi_intervento
from equo.web.cartella.api_accesso import (
    LETTURA,
    SCRITTURA,
    IdCaso,
    IdIntervento,
    IdProgetto,
    utente_di,
)
from equo.web.cartella.api_schemi_interventi import InterventoDettaglio, InterventoIn, InterventoOut
from equo.web.cartella.flusso import progetto_corrente
from equo.web.cartella.models import Caso, Erogazione, Intervento, Obiettivo, Progetto
from equo.web.cartella.permessi import Sezione, access_caso_for_user, e_case_manager, sezioni_caso

__all__ = ["router"]

router = Router(tags=["cartella"], auth=LETTURA)


def _intervento_dati(i: Intervento) -> dict[str, Any]:
    return {
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


def _erogazioni(utente: Utente, intervento: Intervento) -> list[dict[str, Any]]:
    righe = Erogazione.objects.per_utente_o_equipe(utente).filter(intervento=intervento)
    return [
        {
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
        for e in righe
    ]


@router.get(
    "/casi/{caso_id}/interventi/",
    response=list[InterventoOut],
    url_name="interventi_caso",
    summary="Interventi del progetto in corso",
)
def interventi_caso(request: HttpRequest, caso_id: IdCaso) -> list[dict[str, Any]]:
    """Gli interventi della versione in corso del progetto, con codice ed etichetta SIUSS
    (elenco vuoto senza progetto). Ogni lettura è registrata (una riga sul progetto)."""
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, caso_id, Sezione.PROGETTO)
    progetto = progetto_corrente(trovato)
    if progetto is None:
        return []
    righe = Intervento.objects.per_utente_o_equipe(utente).filter(progetto=progetto)
    elenco = [_intervento_dati(i) for i in righe.order_by("inizio", "pk")]
    registra_lettura(utente, progetto, dettagli={"caso": trovato.pk, "sezione": "interventi"})
    return elenco


@router.get(
    "/interventi/{intervento_id}/",
    response=InterventoDettaglio,
    url_name="intervento",
    summary="Un intervento con le sue erogazioni",
)
def intervento(request: HttpRequest, intervento_id: IdIntervento) -> dict[str, Any]:
    """L'intervento e, per chi legge le erogazioni del caso, le sue erogazioni (altrimenti
    ``null``). Ogni lettura è registrata."""
    utente = utente_di(request)
    try:
        trovato = (
            Intervento.objects.per_utente_o_equipe(utente)
            .select_related("progetto")
            .get(pk=intervento_id)
        )
    except ObjectDoesNotExist:
        raise Http404("Non trovato.") from None
    caso_ = access_caso_for_user(utente, trovato.progetto.caso_id, Sezione.PROGETTO)
    dati: dict[str, Any] = {**_intervento_dati(trovato), "progetto": trovato.progetto_id}
    leggibili = sezioni_caso(utente, caso_)
    dati["erogazioni"] = _erogazioni(utente, trovato) if Sezione.EROGAZIONI in leggibili else None
    registra_lettura(utente, trovato, dettagli={"caso": caso_.pk})
    return dati


def _progetto(utente: Utente, progetto_id: int) -> tuple[Progetto, Caso]:
    try:
        progetto = Progetto.objects.per_utente_o_equipe(utente).get(pk=progetto_id)
    except ObjectDoesNotExist:
        raise Http404("Non trovato.") from None
    caso_ = access_caso_for_user(utente, progetto.caso_id, Sezione.PROGETTO)
    progetto.caso = caso_
    return progetto, caso_


@router.get(
    "/progetti/{progetto_id}/interventi/",
    response=list[InterventoOut],
    url_name="interventi_progetto",
    summary="Interventi di una versione del progetto",
)
def interventi_progetto(request: HttpRequest, progetto_id: IdProgetto) -> list[dict[str, Any]]:
    """Gli interventi di una versione del progetto (anche superata). Ogni lettura è registrata
    (una riga sul progetto)."""
    utente = utente_di(request)
    progetto, caso_ = _progetto(utente, progetto_id)
    righe = Intervento.objects.per_utente_o_equipe(utente).filter(progetto=progetto)
    elenco = [_intervento_dati(i) for i in righe.order_by("inizio", "pk")]
    registra_lettura(utente, progetto, dettagli={"caso": caso_.pk, "sezione": "interventi"})
    return elenco


@router.post(
    "/progetti/{progetto_id}/interventi/",
    response={201: InterventoOut},
    url_name="aggiungi_intervento",
    summary="Nuovo intervento del progetto",
    auth=SCRITTURA,
)
def aggiungi_intervento(
    request: HttpRequest, dati: InterventoIn, progetto_id: IdProgetto
) -> Status[dict[str, Any]]:
    """Aggiunge un intervento a un progetto ancora modificabile (bozza, o approvato dove
    l'approvazione non è richiesta): solo il case manager, con gli stessi controlli della pagina
    web (codice SIUSS della lista, fine non prima dell'inizio, ...)."""
    utente = utente_di(request)
    progetto, caso_ = _progetto(utente, progetto_id)
    if not e_case_manager(utente, caso_):
        raise PermissionDenied
    valori = dati.model_dump()
    obiettivo_id = valori.pop("obiettivo")
    obiettivo = None
    if obiettivo_id is not None:
        obiettivo = (
            Obiettivo.objects.per_utente_o_equipe(utente)
            .filter(progetto=progetto, pk=obiettivo_id)
            .first()
        )
        if obiettivo is None:
            raise DatiNonValidiError({"obiettivo": ["Non è un obiettivo di questo progetto."]})
    try:
        nuovo = do_aggiungi_intervento(
            progetto, dati={**valori, "obiettivo": obiettivo}, acting_user=utente
        )
    except ValidationError as errore:
        raise DatiNonValidiError.da_validazione(errore) from None
    return Status(201, _intervento_dati(nuovo))
