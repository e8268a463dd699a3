from __future__ import annotations

from django.urls import path

from equo.web.audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.registro, name="registro"),
    path("audit/esporta.csv", views.esporta, name="esporta"),
]
