from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "equo.web.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # The rules of the token page (/integrazioni/token/). It has no menu entry: each entry
        # costs one permission query on every page, for a page a few people open once a year.
        from equo.web.api import permessi  # noqa: F401  (rules)
