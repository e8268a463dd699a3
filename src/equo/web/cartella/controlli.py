"""System checks of the cartella: a configured file of regional closure codes must be valid
(``manage.py check`` and every start refuse a broken one, naming the line)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from equo.web.cartella.codici import errori_regionali


@register()
def controlla_motivi_regionali(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return [
        Error(
            errore,
            hint="Fix the CSV named by the EQUO_MOTIVI_CHIUSURA_REGIONALI setting.",
            id="cartella.E001",
        )
        for errore in errori_regionali()
    ]
