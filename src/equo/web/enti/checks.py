"""System check: every model with an ``ente`` foreign key is tenant-scoped (or says why not)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from equo.web.enti.models import Ente
from equo.web.enti.scoping import TenantManager


@checks.register()
def modelli_con_ente_sono_scoped(**kwargs: Any) -> list[checks.CheckMessage]:
    """``E001`` for a model that has ``ente`` but whose default manager does not fail closed."""
    errori: list[checks.CheckMessage] = []
    for modello in apps.get_models():
        try:
            campo = modello._meta.get_field("ente")
        except FieldDoesNotExist:
            continue
        if not isinstance(campo, models.ForeignKey) or campo.related_model is not Ente:
            continue
        if getattr(modello, "scope_esente", None):
            continue
        if not isinstance(modello._default_manager, TenantManager):
            errori.append(
                checks.Error(
                    f"{modello._meta.label} has an 'ente' but its default manager is not a "
                    "TenantManager: inherit equo.web.enti.scoping.TenantScoped, or set "
                    "scope_esente = '<reason>' on the model",
                    obj=modello,
                    id="equo.E001",
                )
            )
    return errori
