"""The closure page: the final evaluation and the closure of a case by its case manager."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from equo.web.cartella import actions
from equo.web.cartella.codici import motivo_chiusura
from equo.web.cartella.forms import ChiusuraForm
from equo.web.cartella.permessi import Sezione, access_caso_for_user, e_case_manager
from equo.web.cartella.views._comuni import _al_caso, _inviato, _modulo, _salva, _solo_se
from equo.web.ui.http import utente_di


@require_http_methods(["GET", "POST"])
def chiusura(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, pk, Sezione.CASO)
    _solo_se(e_case_manager(utente, trovato))
    iniziali: dict[str, object] = {"data_chiusura": timezone.localdate()}
    # A link may propose the reason (e.g. "Chiudi il caso per invio" after a referral); the form
    # keeps it only if it is one of the coded reasons.
    if motivo_chiusura(request.GET.get("motivo", "")) is not None:
        iniziali["motivo"] = request.GET["motivo"]
    form = ChiusuraForm(_inviato(request), initial=iniziali)
    fatto = _salva(
        request,
        form,
        lambda: actions.do_chiudi_caso(trovato, dati=form.dati(), acting_user=utente),
        _("Caso chiuso."),
        _al_caso(trovato),
    )
    return fatto or _modulo(request, trovato, form, _("Valutazione finale e chiusura"))
