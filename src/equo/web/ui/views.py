"""Home dashboard (what each role can do, and the panels apps register) and the health endpoint."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

import equo
from equo.web.enti.attivo import ente_attivo
from equo.web.enti.models import Incarico, Ruolo
from equo.web.ui.cruscotto import riquadri_per
from equo.web.ui.http import utente_di

#: What the home page offers to each role (the pages arrive with their apps).
ATTIVITA: dict[Ruolo, list[str]] = {
    Ruolo.ASSISTENTE_SOCIALE: ["Anagrafe delle persone e dei nuclei", "Cartella sociale"],
    Ruolo.EDUCATORE: ["Cartella sociale: interventi educativi"],
    Ruolo.OPERATORE_SOCIO_SANITARIO: ["Cartella sociale: interventi socio-sanitari"],
    Ruolo.AMMINISTRATIVO: ["Anagrafe delle persone e dei nuclei", "Domande e prestazioni"],
    Ruolo.RESPONSABILE_SERVIZIO: ["Prestazioni e graduatorie", "Cartella sociale"],
    Ruolo.ANALISTA: ["Scenari e simulazioni", "Osservatorio"],
    Ruolo.AUDITOR: ["Registro di audit"],
    Ruolo.AMMINISTRATORE_SISTEMA: ["Enti, utenti e incarichi"],
}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    utente = utente_di(request)
    attivo = ente_attivo(request)
    incarichi = list(Incarico.objects.filter(utente=utente, attivo=True).select_related("ente"))
    ruoli_attivi = [Ruolo(i.ruolo) for i in incarichi if attivo is None or i.ente_id == attivo.pk]
    contesto: dict[str, Any] = {
        "incarichi": incarichi,
        "attivita": [(r.label, ATTIVITA[r]) for r in dict.fromkeys(ruoli_attivi)],
        "puo_consultare_audit": utente.has_perm("audit.consulta_registro"),
        "riquadri": riquadri_per(request, frozenset(ruoli_attivi)),
    }
    return render(request, "ui/home.html", contesto)


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """``{"stato": "ok", ...}`` with 200, or 503 if the database does not answer."""
    try:
        with connection.cursor() as cursore:
            cursore.execute("SELECT 1")
            cursore.fetchone()
    except DatabaseError:
        return JsonResponse(
            {"stato": "errore", "database": "non raggiungibile", "versione": equo.__version__},
            status=503,
        )
    return JsonResponse({"stato": "ok", "database": "ok", "versione": equo.__version__})
