"""Template context shared by every page: site name, active ente, menu (all lazy)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from equo.web.enti.attivo import ente_attivo, enti_selezionabili
from equo.web.ui.menu import voci_per


def equo(request: HttpRequest) -> dict[str, Any]:
    return {
        "equo_nome_sito": "Equo",
        "equo_ente_attivo": SimpleLazyObject(lambda: ente_attivo(request)),
        "equo_enti_selezionabili": SimpleLazyObject(lambda: enti_selezionabili(request)),
        "equo_menu": SimpleLazyObject(lambda: voci_per(request)),
    }
