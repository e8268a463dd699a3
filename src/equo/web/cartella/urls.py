from __future__ import annotations

from django.urls import path

from equo.web.cartella import lavoro, views

app_name = "cartella"

urlpatterns = [
    path("cartella/", views.miei_casi, name="miei_casi"),
    path("cartella/casi/", lavoro.casi_ente, name="casi_ente"),
    path("cartella/persone/<int:pk>/cronologia/", lavoro.cronologia, name="cronologia"),
    path("cartella/accessi/nuovo/", views.nuovo_accesso, name="nuovo_accesso"),
    path("cartella/accessi/<int:pk>/", views.accesso, name="accesso"),
    path("cartella/accessi/<int:pk>/apri-caso/", views.apri_caso, name="apri_caso"),
    path("cartella/casi/<int:pk>/", views.caso, name="caso"),
    path("cartella/casi/<int:pk>/transizione/<str:verso>/", views.transizione, name="transizione"),
    path("cartella/casi/<int:pk>/analisi/", views.analisi, name="analisi"),
    path(
        "cartella/casi/<int:pk>/analisi/modifica/", views.modifica_analisi, name="modifica_analisi"
    ),
    path("cartella/casi/<int:pk>/equipe/nuovo/", views.nuovo_membro, name="nuovo_membro"),
    path("cartella/casi/<int:pk>/quadro/", views.quadro, name="quadro"),
    path("cartella/casi/<int:pk>/quadro/modifica/", views.modifica_quadro, name="modifica_quadro"),
    path("cartella/casi/<int:pk>/quadro/contributo/", views.contributo, name="contributo"),
    path("cartella/casi/<int:pk>/riunioni/nuova/", views.nuova_riunione, name="nuova_riunione"),
    path("cartella/riunioni/<int:pk>/", views.riunione, name="riunione"),
    path("cartella/riunioni/<int:pk>/verbale/", views.verbale_riunione, name="verbale_riunione"),
    path("cartella/riunioni/<int:pk>/annulla/", views.annulla_riunione, name="annulla_riunione"),
    path("cartella/casi/<int:pk>/progetti/nuovo/", views.nuovo_progetto, name="nuovo_progetto"),
    path("cartella/progetti/<int:pk>/modifica/", views.modifica_progetto, name="modifica_progetto"),
    path("cartella/progetti/<int:pk>/approva/", views.approva_progetto, name="approva_progetto"),
    path(
        "cartella/progetti/<int:pk>/obiettivi/nuovo/", views.nuovo_obiettivo, name="nuovo_obiettivo"
    ),
    path(
        "cartella/progetti/<int:pk>/interventi/nuovo/",
        views.nuovo_intervento,
        name="nuovo_intervento",
    ),
    path("cartella/progetti/<int:pk>/impegni/nuovo/", views.nuovo_impegno, name="nuovo_impegno"),
    path(
        "cartella/progetti/<int:pk>/responsabili/nuovo/",
        views.nuovo_responsabile_progetto,
        name="nuovo_responsabile_progetto",
    ),
    path("cartella/obiettivi/<int:pk>/esito/", views.esito_obiettivo, name="esito_obiettivo"),
    path(
        "cartella/obiettivi/<int:pk>/monitoraggio/nuova/",
        views.nuova_nota_monitoraggio,
        name="nuova_nota_monitoraggio",
    ),
    path(
        "cartella/interventi/<int:pk>/erogazioni/nuova/",
        views.nuova_erogazione,
        name="nuova_erogazione",
    ),
    path("cartella/casi/<int:pk>/diario/nuova/", views.nuova_voce, name="nuova_voce"),
    path("cartella/diario/<int:pk>/", views.voce, name="voce"),
    path("cartella/allegati/<int:pk>/", views.allegato, name="allegato"),
    path("cartella/casi/<int:pk>/chiusura/", views.chiusura, name="chiusura"),
    path("cartella/casi/<int:pk>/registro/", views.registro, name="registro"),
]
