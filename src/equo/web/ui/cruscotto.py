"""Home dashboard panels: each app adds what a role finds on the home page.

An app registers a panel in ``AppConfig.ready``::

    registra_riquadro(Riquadro("anagrafe/_riquadro_ricerca.html", contesto_ricerca))

``contesto(request, ruoli)`` receives the roles the user holds in the active ente and returns
the panel's template context, or ``None`` to show nothing to these roles. Panels appear in
registration order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from equo.web.enti.models import Ruolo

__all__ = ["Riquadro", "registra_riquadro", "riquadri_per"]

ContestoRiquadro = Callable[[HttpRequest, frozenset[Ruolo]], dict[str, Any] | None]


@dataclass(frozen=True)
class Riquadro:
    template: str
    contesto: ContestoRiquadro


_riquadri: list[Riquadro] = []


def registra_riquadro(riquadro: Riquadro) -> None:
    if riquadro not in _riquadri:
        _riquadri.append(riquadro)


def riquadri_per(request: HttpRequest, ruoli: frozenset[Ruolo]) -> list[dict[str, Any]]:
    """``[{"template": ..., "dati": {...}}]`` of the panels these roles see."""
    mostrati = []
    for riquadro in _riquadri:
        dati = riquadro.contesto(request, ruoli)
        if dati is not None:
            mostrati.append({"template": riquadro.template, "dati": dati})
    return mostrati
