"""The diario sociale of a case in the API.

- ``GET /casi/{id}/diario/``: the entries the caller may read (``riservata`` ones only for the
  case manager and the responsabile, as on the case page); one audit row on the case;
- ``GET /diario/{id}/``: one entry with its attachments (name, type, size, the web download
  link; never the bytes); one audit row on the entry; a riservata entry is 404 for the others;
- ``POST /casi/{id}/diario/``: a new entry (case manager only, no attachments), through
  :func:`~equo.web.cartella.actions.do_scrivi_voce_diario`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Status

from equo.web.api.errori import DatiNonValidiError
from equo.web.audit.registro import registra_lettura
from equo.web.cartella.actions import do_scrivi_voce_diario
from equo.web.cartella.api_accesso import LETTURA, SCRITTURA, IdCaso, IdVoce, utente_di
from equo.web.cartella.api_schemi_diario import VoceIn, VoceOut, VoceSintesi
from equo.web.cartella.models import AllegatoDiario, VoceDiario
from equo.web.cartella.permessi import (
    Sezione,
    access_caso_for_user,
    e_case_manager,
    sezioni_caso,
)

__all__ = ["router"]

router = Router(tags=["cartella"], auth=LETTURA)


def _voce_dati(voce: VoceDiario) -> dict[str, Any]:
    allegati = AllegatoDiario.objects.senza_scope().filter(voce=voce)  # of this entry
    return {
        "id": voce.pk,
        "caso": voce.caso_id,
        "data": voce.data,
        "tipo": voce.tipo,
        "testo": voce.testo,
        "riservata": voce.riservata,
        "autore": voce.autore_id,
        "creato_il": voce.creato_il,
        "allegati": [
            {
                "id": a.pk,
                "nome": a.nome_originale,
                "tipo": a.tipo_mime,
                "dimensione": a.dimensione,
                "url": reverse("cartella:allegato", kwargs={"pk": a.pk}),
            }
            for a in allegati.order_by("pk")
        ],
    }


@router.get(
    "/casi/{caso_id}/diario/",
    response=list[VoceSintesi],
    url_name="diario_caso",
    summary="Diario sociale di un caso",
)
def diario_caso(request: HttpRequest, caso_id: IdCaso) -> list[dict[str, Any]]:
    """Le voci del diario che il chiamante può leggere, dalla più recente (le riservate solo per
    il case manager e il responsabile di servizio). Ogni lettura è registrata (una riga sul
    caso)."""
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, caso_id, Sezione.DIARIO)
    voci = VoceDiario.objects.per_utente_o_equipe(utente).filter(caso=trovato)
    if Sezione.DIARIO_RISERVATO not in sezioni_caso(utente, trovato):
        voci = voci.filter(riservata=False)
    elenco = [
        {
            "id": v.pk,
            "data": v.data,
            "tipo": v.tipo,
            "testo": v.testo,
            "riservata": v.riservata,
            "autore": v.autore_id,
            "creato_il": v.creato_il,
            "allegati": v.numero_allegati,
        }
        for v in voci.annotate(numero_allegati=Count("allegati")).order_by("-data", "-pk")
    ]
    registra_lettura(utente, trovato, dettagli={"caso": trovato.pk, "sezione": "diario"})
    return elenco


@router.get(
    "/diario/{voce_id}/",
    response=VoceOut,
    url_name="voce_diario",
    summary="Una voce del diario",
)
def voce_diario(request: HttpRequest, voce_id: IdVoce) -> dict[str, Any]:
    """Una voce del diario con gli allegati (nome, tipo, dimensione e collegamento per
    scaricarli dalla pagina web). Ogni lettura è registrata."""
    utente = utente_di(request)
    try:
        voce = VoceDiario.objects.per_utente_o_equipe(utente).get(pk=voce_id)
    except ObjectDoesNotExist:
        raise Http404("Non trovato.") from None
    sezione = Sezione.DIARIO_RISERVATO if voce.riservata else Sezione.DIARIO
    caso_ = access_caso_for_user(utente, voce.caso_id, sezione)
    dati = _voce_dati(voce)
    registra_lettura(utente, voce, dettagli={"caso": caso_.pk})
    return dati


@router.post(
    "/casi/{caso_id}/diario/",
    response={201: VoceOut},
    url_name="scrivi_voce_diario",
    summary="Nuova voce del diario",
    auth=SCRITTURA,
)
def scrivi_voce_diario(
    request: HttpRequest, dati: VoceIn, caso_id: IdCaso
) -> Status[dict[str, Any]]:
    """Scrive una voce del diario (solo il case manager, a caso non chiuso), con gli stessi
    controlli della pagina web. Gli allegati si caricano dalla pagina web."""
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, caso_id, Sezione.DIARIO)
    if not e_case_manager(utente, trovato):
        raise PermissionDenied
    try:
        voce = do_scrivi_voce_diario(trovato, dati=dati.model_dump(), acting_user=utente)
    except ValidationError as errore:
        raise DatiNonValidiError.da_validazione(errore) from None
    return Status(201, _voce_dati(voce))
