"""The registro degli accessi: the accessi of the enti where the user records them
(segretariato sociale roles), filtered by period, esito, area, canale, operatore and whether a
case was opened, paged, in a fixed number of queries. Each row links to the accesso page,
where reading it is audited; the list itself shows only who came, when and the outcome."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from equo.web.accounts.models import Utente
from equo.web.cartella.forms_accessi import FiltriAccessi
from equo.web.cartella.models import Accesso, Caso
from equo.web.cartella.models.area import con_etichetta_area
from equo.web.cartella.permessi import RUOLI_ACCESSI
from equo.web.ui.http import utente_di

__all__ = ["PER_PAGINA", "registro_accessi"]

PER_PAGINA = 50


@require_GET
@permission_required("cartella.accessi", raise_exception=True)
def registro_accessi(request: HttpRequest) -> HttpResponse:
    utente = utente_di(request)
    accessi = Accesso.objects.per_utente(utente, ruoli=RUOLI_ACCESSI)
    operatori = [
        (u.pk, u.get_full_name() or u.get_username())
        for u in Utente.objects.filter(pk__in=accessi.values("operatore_id")).order_by(
            "last_name", "first_name", "pk"
        )
    ]
    filtri = FiltriAccessi(request.GET or None, operatori=operatori)
    # Whether a case was opened (not which one: the case follows need-to-know).
    con_caso = Exists(Caso.objects.senza_scope().filter(accesso_id=OuterRef("pk")))
    if filtri.is_valid():
        dati = filtri.cleaned_data
        if dati["dal"]:
            accessi = accessi.filter(data__gte=dati["dal"])
        if dati["al"]:
            accessi = accessi.filter(data__lte=dati["al"])
        for campo in ("esito", "area", "canale"):
            if dati[campo]:
                accessi = accessi.filter(**{campo: dati[campo]})
        if dati["operatore"]:
            accessi = accessi.filter(operatore_id=dati["operatore"])
        if dati["caso"]:
            accessi = accessi.filter(con_caso if dati["caso"] == "si" else ~con_caso)
    elenco = accessi.select_related("persona", "operatore").annotate(con_caso=con_caso)
    ordinati = con_etichetta_area(elenco).order_by("-data", "-pk")
    pagina = Paginator(ordinati, PER_PAGINA).get_page(request.GET.get("pagina"))
    parametri = request.GET.copy()
    parametri.pop("pagina", None)
    return render(
        request,
        "cartella/accessi.html",
        {"filtri": filtri, "pagina": pagina, "parametri": parametri.urlencode()},
    )
