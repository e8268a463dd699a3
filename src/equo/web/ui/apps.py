from __future__ import annotations

from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "equo.web.ui"
    label = "ui"
    verbose_name = "Interfaccia"
