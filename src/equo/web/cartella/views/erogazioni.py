"""The erogazione page: record a delivery of an intervento of the progetto."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from equo.web.cartella import actions
from equo.web.cartella.forms import ErogazioneForm
from equo.web.cartella.models import Intervento
from equo.web.cartella.permessi import Sezione, access_caso_for_user, e_case_manager
from equo.web.cartella.views._comuni import _al_caso, _figlio, _inviato, _modulo, _salva, _solo_se
from equo.web.ui.http import utente_di


@require_http_methods(["GET", "POST"])
def nuova_erogazione(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    intervento: Intervento = _figlio(Intervento, utente, pk, "progetto")
    caso_ = access_caso_for_user(utente, intervento.progetto.caso_id, Sezione.EROGAZIONI)
    intervento.progetto.caso = caso_
    _solo_se(e_case_manager(utente, caso_))
    form = ErogazioneForm(_inviato(request))
    fatto = _salva(
        request,
        form,
        lambda: actions.do_registra_erogazione(
            intervento, dati=form.cleaned_data, acting_user=utente
        ),
        _("Erogazione registrata."),
        _al_caso(caso_),
    )
    return fatto or _modulo(
        request, caso_, form, _("Erogazione: %(intervento)s") % {"intervento": intervento}
    )
