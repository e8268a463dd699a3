from __future__ import annotations

from django.urls import path

from equo.web.enti import views

app_name = "enti"

urlpatterns = [
    path("enti/attivo/", views.seleziona_ente, name="seleziona"),
]
