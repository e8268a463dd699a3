from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from equo.web.enti.attivo import CHIAVE_SESSIONE, enti_selezionabili


@require_POST
def seleziona_ente(request: HttpRequest) -> HttpResponse:
    """Choose the active ente among the user's own (another id answers 404)."""
    try:
        ente_id = int(request.POST.get("ente", ""))
    except ValueError:
        raise Http404("Non trovato.") from None
    if ente_id not in {ente.pk for ente in enti_selezionabili(request)}:
        raise Http404("Non trovato.")
    request.session[CHIAVE_SESSIONE] = ente_id
    prossima = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        prossima, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        prossima = resolve_url("ui:home")
    return HttpResponseRedirect(prossima)
