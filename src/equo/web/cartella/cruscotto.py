"""The cartella's panel on the home page: the assistente sociale's open cases, most urgent
first (next review or objective deadline), and the button to record an accesso; for the
auditor, the way to the cases' audit trails."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Min, Q
from django.http import HttpRequest
from django.utils import timezone

from equo.web.cartella.models import Caso, StatoCaso, StatoProgetto
from equo.web.enti.models import Ruolo
from equo.web.ui.cruscotto import Riquadro, registra_riquadro
from equo.web.ui.http import utente_di

MOSTRATI = 5


def miei_casi(request: HttpRequest, ruoli: frozenset[Ruolo]) -> dict[str, Any] | None:
    if Ruolo.ASSISTENTE_SOCIALE not in ruoli:
        return None
    utente = utente_di(request)
    oggi = timezone.localdate()
    attivi = ~Q(progetti__stato=StatoProgetto.SUPERATO)
    casi = (
        Caso.objects.per_utente(utente, ruoli={Ruolo.ASSISTENTE_SOCIALE})
        .filter(case_manager=utente)
        .exclude(stato=StatoCaso.CHIUSO)
        .select_related("persona")
        .annotate(verifica=Min("progetti__prossima_verifica", filter=attivi))
        .order_by(F("verifica").asc(nulls_last=True), "aperto_il", "pk")
    )
    righe = [
        {
            "caso": caso,
            "verifica": caso.verifica,
            "scaduta": caso.verifica is not None and caso.verifica < oggi,
        }
        for caso in casi[:MOSTRATI]
    ]
    return {"righe": righe, "totale": casi.count()}


def registro_casi(request: HttpRequest, ruoli: frozenset[Ruolo]) -> dict[str, Any] | None:
    """The auditor's way to the cases' audit trails (a count, no content)."""
    if Ruolo.AUDITOR not in ruoli:
        return None
    utente = utente_di(request)
    return {"totale": Caso.objects.per_utente(utente, ruoli={Ruolo.AUDITOR}).count()}


def registra() -> None:
    registra_riquadro(Riquadro("cartella/_riquadro_casi.html", miei_casi))
    registra_riquadro(Riquadro("cartella/_riquadro_registro.html", registro_casi))
