"""The admin app with Equo's site (imported while apps load: no models here)."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class EquoAdminConfig(AdminConfig):
    default_site = "equo.web.ui.admin_site.EquoAdminSite"
