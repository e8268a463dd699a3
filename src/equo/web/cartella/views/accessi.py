"""The accesso pages: record a contact with the segretariato sociale, read it (audited) and
open a case from it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Nucleo, Persona
from equo.web.anagrafe.permessi import RUOLI_LETTURA
from equo.web.audit.registro import registra_lettura
from equo.web.cartella import actions
from equo.web.cartella.forms import AccessoForm, AperturaForm, riporta_errori
from equo.web.cartella.models import Caso, EsitoAccesso
from equo.web.cartella.permessi import RUOLI_ACCESSI, access_accesso_for_user
from equo.web.cartella.views._comuni import _inviato, _modulo
from equo.web.enti.attivo import ente_attivo
from equo.web.enti.models import Ente
from equo.web.enti.scoping import enti_visibili
from equo.web.ui.http import utente_di


def _ente_accessi(request: HttpRequest, utente: Utente) -> Ente:
    ente = ente_attivo(request)
    if ente is None or not enti_visibili(utente, ruoli=RUOLI_ACCESSI).filter(pk=ente.pk).exists():
        raise PermissionDenied
    return ente


@require_http_methods(["GET", "POST"])
@permission_required("cartella.accessi", raise_exception=True)
def nuovo_accesso(request: HttpRequest) -> HttpResponse:
    utente = utente_di(request)
    ente = _ente_accessi(request, utente)
    persone = Persona.objects.per_utente(utente, ruoli=RUOLI_LETTURA).filter(ente=ente)
    form = AccessoForm(
        _inviato(request),
        persone=persone,
        initial={"data": timezone.localdate(), "persona": request.GET.get("persona")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            accesso = actions.do_registra_accesso(
                ente=ente, dati=form.cleaned_data, acting_user=utente
            )
        except ValidationError as errore:
            riporta_errori(form, errore)
        else:
            messages.success(request, _("Accesso registrato."))
            return redirect("cartella:accesso", pk=accesso.pk)
    return _modulo(request, None, form, _("Nuovo accesso"), ente=ente)


@require_GET
def accesso(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovato = access_accesso_for_user(utente, pk)
    casi = list(Caso.objects.per_utente(utente).filter(accesso=trovato))
    registra_lettura(utente, trovato)
    return render(
        request,
        "cartella/accesso.html",
        {
            "accesso": trovato,
            "casi": casi,
            "puo_aprire": not casi and trovato.esito != EsitoAccesso.INFORMAZIONE,
        },
    )


@require_http_methods(["GET", "POST"])
def apri_caso(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovato = access_accesso_for_user(utente, pk)
    ente = Ente.objects.get(pk=trovato.ente_id)
    form = AperturaForm(
        _inviato(request),
        ente=ente,
        persone=Persona.objects.per_utente(utente, ruoli=RUOLI_LETTURA).filter(ente=ente),
        nuclei=Nucleo.objects.per_utente(utente, ruoli=RUOLI_LETTURA).filter(ente=ente),
        initial={
            "persona": trovato.persona_id,
            "area": trovato.area,
            "case_manager": utente.pk,
            "aperto_il": timezone.localdate(),
            "approvazione_richiesta": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        dati = form.cleaned_data
        try:
            caso = actions.do_apri_caso(ente=ente, accesso=trovato, acting_user=utente, **dati)
        except ValidationError as errore:
            riporta_errori(form, errore)
        else:
            messages.success(request, _("Caso aperto."))
            return redirect("cartella:caso", pk=caso.pk)
    return _modulo(request, None, form, _("Apertura del caso"), accesso=trovato)
