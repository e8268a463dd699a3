from __future__ import annotations

from django.urls import path

from equo.web.cartella import lavoro
from equo.web.cartella.views import (
    accessi,
    analisi,
    caso,
    chiusura,
    diario,
    erogazioni,
    progetto,
    registro_accessi,
    riunioni,
)

app_name = "cartella"

urlpatterns = [
    path("cartella/", caso.miei_casi, name="miei_casi"),
    path("cartella/casi/", lavoro.casi_ente, name="casi_ente"),
    path("cartella/persone/<int:pk>/cronologia/", lavoro.cronologia, name="cronologia"),
    path("cartella/accessi/", registro_accessi.registro_accessi, name="accessi"),
    path("cartella/accessi/nuovo/", accessi.nuovo_accesso, name="nuovo_accesso"),
    path("cartella/accessi/<int:pk>/", accessi.accesso, name="accesso"),
    path("cartella/accessi/<int:pk>/collega/", accessi.collega_accesso, name="collega_accesso"),
    path("cartella/accessi/<int:pk>/apri-caso/", accessi.apri_caso, name="apri_caso"),
    path("cartella/casi/<int:pk>/", caso.caso, name="caso"),
    path("cartella/casi/<int:pk>/transizione/<str:verso>/", caso.transizione, name="transizione"),
    path("cartella/casi/<int:pk>/analisi/", analisi.analisi, name="analisi"),
    path(
        "cartella/casi/<int:pk>/analisi/modifica/",
        analisi.modifica_analisi,
        name="modifica_analisi",
    ),
    path("cartella/casi/<int:pk>/equipe/nuovo/", analisi.nuovo_membro, name="nuovo_membro"),
    path("cartella/casi/<int:pk>/quadro/", analisi.quadro, name="quadro"),
    path(
        "cartella/casi/<int:pk>/quadro/modifica/", analisi.modifica_quadro, name="modifica_quadro"
    ),
    path("cartella/casi/<int:pk>/quadro/contributo/", analisi.contributo, name="contributo"),
    path("cartella/casi/<int:pk>/riunioni/nuova/", riunioni.nuova_riunione, name="nuova_riunione"),
    path("cartella/riunioni/<int:pk>/", riunioni.riunione, name="riunione"),
    path("cartella/riunioni/<int:pk>/verbale/", riunioni.verbale_riunione, name="verbale_riunione"),
    path("cartella/riunioni/<int:pk>/annulla/", riunioni.annulla_riunione, name="annulla_riunione"),
    path("cartella/casi/<int:pk>/progetti/nuovo/", progetto.nuovo_progetto, name="nuovo_progetto"),
    path(
        "cartella/progetti/<int:pk>/modifica/", progetto.modifica_progetto, name="modifica_progetto"
    ),
    path("cartella/progetti/<int:pk>/approva/", progetto.approva_progetto, name="approva_progetto"),
    path(
        "cartella/progetti/<int:pk>/in-vigore/",
        progetto.metti_in_vigore_progetto,
        name="metti_in_vigore_progetto",
    ),
    path(
        "cartella/progetti/<int:pk>/verifiche/nuova/",
        progetto.nuova_verifica,
        name="nuova_verifica",
    ),
    path(
        "cartella/progetti/<int:pk>/obiettivi/nuovo/",
        progetto.nuovo_obiettivo,
        name="nuovo_obiettivo",
    ),
    path(
        "cartella/progetti/<int:pk>/interventi/nuovo/",
        progetto.nuovo_intervento,
        name="nuovo_intervento",
    ),
    path("cartella/progetti/<int:pk>/impegni/nuovo/", progetto.nuovo_impegno, name="nuovo_impegno"),
    path(
        "cartella/progetti/<int:pk>/responsabili/nuovo/",
        progetto.nuovo_responsabile_progetto,
        name="nuovo_responsabile_progetto",
    ),
    path("cartella/obiettivi/<int:pk>/esito/", progetto.esito_obiettivo, name="esito_obiettivo"),
    path(
        "cartella/obiettivi/<int:pk>/monitoraggio/nuova/",
        progetto.nuova_nota_monitoraggio,
        name="nuova_nota_monitoraggio",
    ),
    path(
        "cartella/interventi/<int:pk>/erogazioni/nuova/",
        erogazioni.nuova_erogazione,
        name="nuova_erogazione",
    ),
    path("cartella/casi/<int:pk>/diario/nuova/", diario.nuova_voce, name="nuova_voce"),
    path("cartella/diario/<int:pk>/", diario.voce, name="voce"),
    path("cartella/allegati/<int:pk>/", diario.allegato, name="allegato"),
    path("cartella/casi/<int:pk>/chiusura/", chiusura.chiusura, name="chiusura"),
    path("cartella/casi/<int:pk>/registro/", caso.registro, name="registro"),
    path("cartella/registro/", caso.casi_registro, name="casi_registro"),
]
