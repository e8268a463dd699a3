"""The équipe meeting pages: convene the équipe, read a meeting with its minutes (audited),
record that it was held or cancel it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from equo.web.accounts.models import Utente
from equo.web.audit.registro import registra_lettura
from equo.web.cartella import actions
from equo.web.cartella.forms import MotivoForm, RiunioneForm, VerbaleForm
from equo.web.cartella.models import Caso, MembroEquipe, RiunioneEquipe
from equo.web.cartella.permessi import Sezione, access_caso_for_user, e_case_manager
from equo.web.cartella.views._comuni import _figlio, _inviato, _modulo, _salva, _solo_se
from equo.web.ui.http import utente_di


def _riunione(utente: Utente, pk: int) -> tuple[RiunioneEquipe, Caso]:
    trovata: RiunioneEquipe = _figlio(RiunioneEquipe, utente, pk, "equipe")
    return trovata, access_caso_for_user(utente, trovata.equipe.caso_id, Sezione.QUADRO)


def _membri_attivi(caso: Caso) -> Any:
    return (
        MembroEquipe.objects.senza_scope()  # narrowed to this case's équipe
        .filter(equipe__caso_id=caso.pk, attivo=True)
        .select_related("utente")
    )


def _convocati(utente: Utente, riunione: RiunioneEquipe) -> Any:
    return (
        MembroEquipe.objects.per_utente_o_equipe(utente)
        .filter(convocazioni=riunione)
        .select_related("utente")
        .order_by("pk")
    )


@require_http_methods(["GET", "POST"])
def nuova_riunione(request: HttpRequest, pk: int) -> HttpResponse:
    """Convene the équipe (case manager only)."""
    utente = utente_di(request)
    trovato = access_caso_for_user(utente, pk, Sezione.QUADRO)
    _solo_se(e_case_manager(utente, trovato))
    form = RiunioneForm(_inviato(request), membri=_membri_attivi(trovato))
    fatto = _salva(
        request,
        form,
        lambda: actions.do_convoca_riunione(
            trovato,
            dati=form.dati(),
            convocati=form.cleaned_data["convocati"],
            acting_user=utente,
        ),
        _("Équipe convocata."),
        reverse("cartella:quadro", kwargs={"pk": trovato.pk}),
    )
    return fatto or _modulo(request, trovato, form, _("Convoca l'équipe"))


@require_GET
def riunione(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting with its minutes (for who reads the équipe section; audited)."""
    utente = utente_di(request)
    trovata, caso_ = _riunione(utente, pk)
    registra_lettura(utente, trovata, dettagli={"caso": caso_.pk})
    return render(
        request,
        "cartella/riunione.html",
        {
            "caso": caso_,
            "riunione": trovata,
            "convocati": list(_convocati(utente, trovata)),
            "presenti": set(
                MembroEquipe.objects.per_utente_o_equipe(utente)
                .filter(presenze=trovata)
                .values_list("pk", flat=True)
            ),
            "case_manager": e_case_manager(utente, caso_),
        },
    )


@require_http_methods(["GET", "POST"])
def verbale_riunione(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovata, caso_ = _riunione(utente, pk)
    _solo_se(e_case_manager(utente, caso_))
    form = VerbaleForm(_inviato(request), convocati=_convocati(utente, trovata))
    fatto = _salva(
        request,
        form,
        lambda: actions.do_registra_verbale(
            trovata,
            presenti=form.cleaned_data["presenti"],
            verbale=form.cleaned_data["verbale"],
            acting_user=utente,
        ),
        _("Verbale salvato."),
        reverse("cartella:riunione", kwargs={"pk": trovata.pk}),
    )
    return fatto or _modulo(
        request, caso_, form, _("Verbale: %(riunione)s") % {"riunione": trovata}
    )


@require_http_methods(["GET", "POST"])
def annulla_riunione(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    trovata, caso_ = _riunione(utente, pk)
    _solo_se(e_case_manager(utente, caso_))
    form = MotivoForm(_inviato(request))
    fatto = _salva(
        request,
        form,
        lambda: actions.do_annulla_riunione(
            trovata, motivo=form.cleaned_data["motivo"], acting_user=utente
        ),
        _("Riunione annullata."),
        reverse("cartella:riunione", kwargs={"pk": trovata.pk}),
    )
    return fatto or _modulo(
        request, caso_, form, _("Annulla: %(riunione)s") % {"riunione": trovata}
    )
