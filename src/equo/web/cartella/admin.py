"""The Django admin of the cartella: the configured aree utenza (system administrators only:
the admin is for superusers, see ``EquoAdminSite``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from equo.web.cartella.models import AreaConfigurata


@admin.register(AreaConfigurata)
class AreaConfigurataAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Areas are retired (``attiva`` off), never deleted: cases and accessi keep the codice."""

    list_display = ("codice", "etichetta", "area_istat", "attiva", "ordine")
    list_editable = ("attiva", "ordine")
    list_filter = ("attiva", "area_istat")
    search_fields = ("codice", "etichetta")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The codice is stored on cases and accessi: fixed once the area exists.
        return ("codice",) if obj is not None else ()
