from __future__ import annotations

from django.contrib.auth.views import LogoutView
from django.urls import path

from equo.web.accounts import views

app_name = "accounts"

urlpatterns = [
    path("accedi/", views.AccediView.as_view(), name="accedi"),
    path("accedi/codice/", views.codice, name="codice"),
    path("esci/", LogoutView.as_view(), name="esci"),
    path("account/password/", views.password, name="password"),
    path("account/due-fattori/", views.due_fattori, name="due_fattori"),
]
