"""URL layout. Every view needs login (LoginRequiredMiddleware) unless marked otherwise.

    /                      home (ui)               /audit/            audit log (auditors)
    /accedi/, /esci/       login, logout           /api/, /api/docs   REST API (django-ninja)
    /account/...           password, TOTP          /admin/            superusers only
    /enti/attivo/          choose the active ente  /health            public health check
    /anagrafe/...          persons, nuclei, rete sociale (anagrafe)
    /integrazioni/token/   integrators' API tokens (api); /api/v1/... the REST API
    /cartella/...          cartella sociale: accessi, casi, progetti, diario (cartella)

New apps add one ``path("", include("equo.web.<app>.urls"))`` line below, with their own
prefix inside (``anagrafe/...``); tests/web/test_url_outsider.py walks every pattern.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.urls import URLPattern, include, path

from equo.web.api.api import api

_PAGINE_API_CON_LOGIN = {"api-root", "openapi-json", "openapi-view"}


def _api_urls() -> Any:
    """The API's patterns: operations answer 401 themselves, the docs need the login page."""
    schemi, app_name, namespace = api.urls
    for schema in schemi:
        if isinstance(schema, URLPattern) and schema.name not in _PAGINE_API_CON_LOGIN:
            schema.callback.login_required = False  # type: ignore[attr-defined]
    return schemi, app_name, namespace


urlpatterns = [
    path("", include("equo.web.ui.urls")),
    path("", include("equo.web.accounts.urls")),
    path("", include("equo.web.enti.urls")),
    path("", include("equo.web.audit.urls")),
    path("", include("equo.web.anagrafe.urls")),
    path("", include("equo.web.cartella.urls")),
    path("", include("equo.web.api.urls")),
    path("api/", _api_urls()),
    path("admin/", admin.site.urls),
]
