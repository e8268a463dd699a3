"""The anagrafe's panels on the home page, by role (in the active ente).

- who reads persons (assistente sociale, educatore, OSS, amministrativo, responsabile): the
  search box and the persons they opened most recently (from their own audit rows);
- amministrativo and responsabile: how many persons and nuclei their enti hold;
- analista: aggregated counts by ente and age band, never a person; counts from 1 to
  :data:`SOGLIA_RISERVATEZZA` − 1 are shown as "meno di 5" (small cells can identify people).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from equo.web.anagrafe.models import Nucleo, Persona
from equo.web.anagrafe.permessi import RUOLI_LETTURA, RUOLI_SCRITTURA, RUOLI_STATISTICHE
from equo.web.audit.models import AuditEvent, TipoEvento
from equo.web.enti.models import Ruolo
from equo.web.ui.cruscotto import Riquadro, registra_riquadro
from equo.web.ui.http import utente_di

SOGLIA_RISERVATEZZA = 5
RECENTI = 5


def ricerca(request: HttpRequest, ruoli: frozenset[Ruolo]) -> dict[str, Any] | None:
    if not ruoli & RUOLI_LETTURA:
        return None
    utente = utente_di(request)
    letture = (
        AuditEvent.objects.per_utente(utente)
        .filter(utente=utente, tipo=TipoEvento.LETTURA, oggetto_tipo="anagrafe.persona")
        .values_list("oggetto_id", flat=True)[:50]
    )
    recenti = list(dict.fromkeys(int(pk) for pk in letture))[:RECENTI]
    trovate = Persona.objects.per_utente(utente, ruoli=RUOLI_LETTURA).in_bulk(recenti)
    return {
        "recenti": [trovate[pk] for pk in recenti if pk in trovate],
        "puo_creare": bool(ruoli & RUOLI_SCRITTURA),
    }


def conteggi(request: HttpRequest, ruoli: frozenset[Ruolo]) -> dict[str, Any] | None:
    if not ruoli & {Ruolo.AMMINISTRATIVO, Ruolo.RESPONSABILE_SERVIZIO}:
        return None
    utente = utente_di(request)
    return {
        "persone": Persona.objects.per_utente(utente, ruoli=RUOLI_LETTURA).count(),
        "nuclei": Nucleo.objects.per_utente(utente, ruoli=RUOLI_LETTURA).count(),
    }


def _riservato(valore: int) -> str:
    if 0 < valore < SOGLIA_RISERVATEZZA:
        return f"meno di {SOGLIA_RISERVATEZZA}"
    return str(valore)


def _anni_fa(oggi: dt.date, anni: int) -> dt.date:
    try:
        return oggi.replace(year=oggi.year - anni)
    except ValueError:  # 29 February
        return oggi.replace(year=oggi.year - anni, day=28)


def statistiche(request: HttpRequest, ruoli: frozenset[Ruolo]) -> dict[str, Any] | None:
    if not ruoli & RUOLI_STATISTICHE:
        return None
    utente = utente_di(request)
    oggi = timezone.localdate()
    maggiorenni, anziani = _anni_fa(oggi, 18), _anni_fa(oggi, 65)
    righe = (
        Persona.objects.per_utente(utente, ruoli=RUOLI_STATISTICHE)
        .values("ente__nome")
        .annotate(
            totale=Count("pk"),
            minori=Count("pk", filter=Q(data_nascita__gt=maggiorenni)),
            anziani=Count("pk", filter=Q(data_nascita__lte=anziani)),
        )
        .order_by("ente__nome")
    )
    return {
        "righe": [
            {
                "ente": riga["ente__nome"],
                "totale": _riservato(riga["totale"]),
                "minori": _riservato(riga["minori"]),
                "adulti": _riservato(riga["totale"] - riga["minori"] - riga["anziani"]),
                "anziani": _riservato(riga["anziani"]),
            }
            for riga in righe
        ],
        "soglia": SOGLIA_RISERVATEZZA,
    }


def registra() -> None:
    registra_riquadro(Riquadro("anagrafe/_riquadro_ricerca.html", ricerca))
    registra_riquadro(Riquadro("anagrafe/_riquadro_conteggi.html", conteggi))
    registra_riquadro(Riquadro("anagrafe/_riquadro_statistiche.html", statistiche))
