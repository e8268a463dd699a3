from __future__ import annotations

from django.urls import path

from equo.web.api import views, views_personali

app_name = "token_api"

urlpatterns = [
    path("integrazioni/token/", views.elenco, name="elenco"),
    path("integrazioni/token/nuovo/", views.nuovo, name="nuovo"),
    path("integrazioni/token/<int:pk>/revoca/", views.revoca, name="revoca"),
    # Each operator's own tokens for the cartella sociale API.
    path("account/token-personali/", views_personali.elenco, name="personali"),
    path("account/token-personali/nuovo/", views_personali.nuovo, name="nuovo_personale"),
    path(
        "account/token-personali/<int:pk>/revoca/",
        views_personali.revoca,
        name="revoca_personale",
    ),
]
