"""The block of the case page about the progetto's version in force and its verifiche, and the
path the analisi preliminare decided when it sent the person to another service.

Used inside the progetto section of ``cartella/caso.html`` (already limited to who may read
it, and audited by the case view): ``{% load cartella_progetto %}{% vigore_e_verifiche %}``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from equo.web.cartella.flusso import progetto_in_preparazione, progetto_in_vigore
from equo.web.cartella.models import (
    ESITI_INVIO,
    MOTIVO_CHIUSURA_INVIO,
    StatoCaso,
    VerificaProgetto,
)

register = template.Library()


@register.inclusion_tag("cartella/_verifiche.html", takes_context=True)
def vigore_e_verifiche(context: template.Context) -> dict[str, Any]:
    caso = context["caso"]
    utente = context["request"].user
    in_vigore = progetto_in_vigore(caso)
    bozza = progetto_in_preparazione(caso)
    verifiche: list[VerificaProgetto] = []
    if in_vigore is not None:
        verifiche = list(
            VerificaProgetto.objects.per_utente_o_equipe(utente)
            .filter(progetto=in_vigore)
            .select_related("registrata_da")
        )
    analisi = context.get("analisi")  # present only if the user reads the analisi
    invio = None
    if analisi is not None and analisi.esito in ESITI_INVIO:
        invio = {
            "analisi": analisi,
            "chiusura": reverse("cartella:chiusura", kwargs={"pk": caso.pk})
            + "?motivo="
            + MOTIVO_CHIUSURA_INVIO[analisi.esito],
        }
    case_manager = bool(context.get("case_manager"))
    return {
        "caso": caso,
        "in_vigore": in_vigore,
        "bozza": bozza,
        "verifiche": verifiche,
        "invio": invio,
        "case_manager": case_manager,
        "puo_verificare": case_manager
        and in_vigore is not None
        and caso.stato in {StatoCaso.PROGETTO_ATTIVO, StatoCaso.IN_MONITORAGGIO},
        "puo_mettere_in_vigore": case_manager
        and bozza is not None
        and not caso.approvazione_richiesta
        and not caso.chiuso,
    }
