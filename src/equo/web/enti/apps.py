from __future__ import annotations

from django.apps import AppConfig


class EntiConfig(AppConfig):
    name = "equo.web.enti"
    label = "enti"
    verbose_name = "Enti e incarichi"

    def ready(self) -> None:
        from equo.web.enti import checks, permessi  # noqa: F401  (registers checks and rules)
