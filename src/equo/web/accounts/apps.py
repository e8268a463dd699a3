from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "equo.web.accounts"
    label = "accounts"
    verbose_name = "Utenti"
