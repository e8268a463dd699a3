from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from equo.web.accounts.models import IdentitaEsterna, Utente
from equo.web.audit.registro import istantanea, registra_scrittura
from equo.web.enti.models import Incarico
from equo.web.ui.admin_site import AdminConAudit


class IncaricoInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Incarico
    extra = 0
    autocomplete_fields = ("ente",)


class IdentitaEsternaInline(admin.TabularInline):  # type: ignore[type-arg]
    model = IdentitaEsterna
    extra = 0


@admin.register(Utente)
class UtenteAdmin(AdminConAudit, UserAdmin[Utente]):
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        ("Identità", {"fields": ("codice_fiscale",)}),
    )
    inlines = (IncaricoInline, IdentitaEsternaInline)
    search_fields = ("username", "first_name", "last_name", "email", "codice_fiscale")

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        with transaction.atomic():
            utente = Utente._base_manager.filter(pk=id).first()
            prima = istantanea(utente, ["password"]) if utente is not None else None
            risposta: Any = super().user_change_password(request, id, form_url)
            if utente is not None and request.method == "POST":
                utente.refresh_from_db(fields=["password"])
                registra_scrittura(request.user, utente, prima=prima, ente=None)
            return risposta  # type: ignore[no-any-return]


@admin.register(IdentitaEsterna)
class IdentitaEsternaAdmin(AdminConAudit):
    list_display = ("utente", "provider", "subject", "ultimo_accesso")
    list_filter = ("provider",)
