from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "equo.web.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # The rules of the token page (/integrazioni/token/), linked from the header for who
        # may manage tokens.
        from equo.web.api import permessi  # noqa: F401  (rules)
        from equo.web.api.token_personali import collega_segnali

        # Audit rows written through a personal token say so.
        collega_segnali()
