"""The quadro di analisi of a case in the API (``/api/v1/casi/{id}/quadro/``).

For who reads the case's ``quadro`` section (case manager, responsabile, the équipe roles that
include it): the synthesis and dates, the members' contributions, the équipe with roles, the
meetings with convocati, presenti and minutes. An assessment: each read writes one audit row
(on the quadro, or on the case while the quadro is not started).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Router

from equo.web.accounts.models import Utente
from equo.web.audit.registro import registra_lettura
from equo.web.cartella.api_accesso import LETTURA, IdCaso, utente_di
from equo.web.cartella.api_schemi_quadro import QuadroCasoOut
from equo.web.cartella.models import (
    Caso,
    ContributoQuadro,
    MembroEquipe,
    QuadroAnalisi,
    RiunioneEquipe,
)
from equo.web.cartella.permessi import Sezione, access_caso_for_user

__all__ = ["router"]

router = Router(tags=["cartella"], auth=LETTURA)


def _quadro_dati(utente: Utente, scheda: QuadroAnalisi) -> dict[str, Any]:
    contributi = ContributoQuadro.objects.per_utente_o_equipe(utente).filter(quadro=scheda)
    return {
        "id": scheda.pk,
        "avviato_il": scheda.avviato_il,
        "concluso_il": scheda.concluso_il,
        "sintesi": scheda.sintesi,
        "contributi": [
            {
                "id": c.pk,
                "membro": c.membro_id,
                "testo": c.testo,
                "aggiornato_il": c.aggiornato_il,
            }
            for c in contributi.order_by("pk")
        ],
    }


def _membri(utente: Utente, caso: Caso) -> list[dict[str, Any]]:
    membri = (
        MembroEquipe.objects.per_utente_o_equipe(utente)
        .filter(equipe__caso=caso)
        .select_related("utente")
    )
    return [
        {
            "id": m.pk,
            "nome": m.nome,
            "utente": m.utente_id,
            "servizio": m.servizio,
            "ruolo": m.ruolo,
            "attivo": m.attivo,
        }
        for m in membri
    ]


def _riunioni(utente: Utente, caso: Caso) -> list[dict[str, Any]]:
    membri = MembroEquipe.objects.per_utente_o_equipe(utente)
    riunioni = (
        RiunioneEquipe.objects.per_utente_o_equipe(utente)
        .filter(equipe__caso=caso)
        .prefetch_related(
            Prefetch("convocati", queryset=membri), Prefetch("presenti", queryset=membri)
        )
    )
    return [
        {
            "id": r.pk,
            "data_ora": r.data_ora,
            "luogo": r.luogo,
            "ordine_del_giorno": r.ordine_del_giorno,
            "stato": r.stato,
            "convocati": sorted(m.pk for m in r.convocati.all()),
            "presenti": sorted(m.pk for m in r.presenti.all()),
            "verbale": r.verbale,
            "motivo_annullamento": r.motivo_annullamento,
        }
        for r in riunioni
    ]


@router.get(
    "/casi/{caso_id}/quadro/",
    response=QuadroCasoOut,
    url_name="quadro_caso",
    summary="Quadro di analisi e équipe di un caso",
)
def quadro_caso(request: HttpRequest, caso_id: IdCaso) -> dict[str, Any]:
    """Il quadro di analisi (sintesi, date, contributi dei componenti), l'équipe con i ruoli e le
    riunioni (convocati, presenti, verbale). Ogni lettura è registrata."""
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, caso_id, Sezione.QUADRO)
    scheda = QuadroAnalisi.objects.per_utente_o_equipe(utente).filter(caso=trovato).first()
    dati = {
        "caso": trovato.pk,
        "quadro": _quadro_dati(utente, scheda) if scheda is not None else None,
        "equipe": _membri(utente, trovato),
        "riunioni": _riunioni(utente, trovato),
    }
    if scheda is not None:
        registra_lettura(utente, scheda, dettagli={"caso": trovato.pk})
    else:
        registra_lettura(utente, trovato, dettagli={"caso": trovato.pk, "sezione": "quadro"})
    return dati
