from __future__ import annotations

from django.contrib import admin

from equo.web.enti.models import Ente, Incarico
from equo.web.ui.admin_site import AdminConAudit


@admin.register(Ente)
class EnteAdmin(AdminConAudit):
    list_display = ("nome", "tipo", "codice_istat", "codice_ipa", "superiore", "attivo")
    list_filter = ("tipo", "attivo")
    search_fields = ("nome", "codice_istat", "codice_ipa")


@admin.register(Incarico)
class IncaricoAdmin(AdminConAudit):
    list_display = ("utente", "ente", "ruolo", "attivo")
    list_filter = ("ruolo", "attivo", "ente")
    autocomplete_fields = ("utente", "ente")
