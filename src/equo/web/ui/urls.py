from __future__ import annotations

from django.urls import path

from equo.web.ui import views

app_name = "ui"

urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health, name="health"),
]
