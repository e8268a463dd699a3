from __future__ import annotations

from django.urls import path

from equo.web.api import views

app_name = "token_api"

urlpatterns = [
    path("integrazioni/token/", views.elenco, name="elenco"),
    path("integrazioni/token/nuovo/", views.nuovo, name="nuovo"),
    path("integrazioni/token/<int:pk>/revoca/", views.revoca, name="revoca"),
]
