from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from equo.web.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: no add, change or delete, whoever asks."""

    list_display = ("creato_il", "tipo", "utente_nome", "ente", "oggetto_repr")
    list_filter = ("tipo", "ente")
    search_fields = ("utente_nome", "oggetto_repr", "oggetto_id")
    date_hierarchy = "creato_il"

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        # The admin is for superusers only (EquoAdminSite): every ente's rows.
        return AuditEvent.objects.senza_scope()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
