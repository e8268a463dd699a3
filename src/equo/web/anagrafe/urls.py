from __future__ import annotations

from django.urls import path

from equo.web.anagrafe import views

app_name = "anagrafe"

urlpatterns = [
    path("anagrafe/persone/", views.persone, name="persone"),
    path("anagrafe/persone/nuova/", views.nuova_persona, name="nuova_persona"),
    path("anagrafe/persone/<int:pk>/", views.persona, name="persona"),
    path("anagrafe/persone/<int:pk>/modifica/", views.modifica_persona, name="modifica_persona"),
    path("anagrafe/persone/<int:pk>/indirizzi/<str:tipo>/", views.indirizzo, name="indirizzo"),
    path("anagrafe/persone/<int:pk>/contatti/nuovo/", views.nuovo_contatto, name="nuovo_contatto"),
    path("anagrafe/contatti/<int:pk>/elimina/", views.elimina_contatto, name="elimina_contatto"),
    path("anagrafe/persone/<int:pk>/rete/nuovo/", views.nuovo_legame, name="nuovo_legame"),
    path("anagrafe/rete/<int:pk>/elimina/", views.elimina_legame, name="elimina_legame"),
    path("anagrafe/luoghi/", views.luoghi, name="luoghi"),
    path("anagrafe/nuclei/", views.nuclei, name="nuclei"),
    path("anagrafe/nuclei/nuovo/", views.nuovo_nucleo, name="nuovo_nucleo"),
    path("anagrafe/nuclei/<int:pk>/", views.nucleo, name="nucleo"),
    path("anagrafe/nuclei/<int:pk>/componenti/nuovo/", views.nuovo_membro, name="nuovo_membro"),
    path("anagrafe/componenti/<int:pk>/modifica/", views.modifica_membro, name="modifica_membro"),
]
