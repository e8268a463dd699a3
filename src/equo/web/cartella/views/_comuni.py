"""The helpers every page of the cartella shares: refuse with 403, fetch a row of a case
through the outer fence, read the POST, go back to the case, render the generic form and run an
action on a valid POST (errors back onto the form, nothing saved)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from equo.web.accounts.models import Utente
from equo.web.cartella.forms import riporta_errori
from equo.web.cartella.models import Caso

MODULO = "cartella/modulo.html"


def _solo_se(condizione: bool) -> None:
    if not condizione:
        raise PermissionDenied


def _figlio(modello: Any, user: Utente, pk: object, related: str) -> Any:
    """A row of a case through the cartella's outer fence (the section is checked after)."""
    try:
        return modello.objects.per_utente_o_equipe(user).select_related(related).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404(_("Non trovato.")) from None


def _inviato(request: HttpRequest) -> Any:
    """The POST data (even empty: a confirmation form has no required field), or None."""
    return request.POST if request.method == "POST" else None


def _al_caso(caso: Caso) -> str:
    return reverse("cartella:caso", kwargs={"pk": caso.pk})


def _modulo(
    request: HttpRequest, caso: Caso | None, form: Any, titolo: str, **altro: Any
) -> HttpResponse:
    return render(
        request,
        MODULO,
        {"form": form, "caso": caso, "titolo": titolo, "azione": _("Salva"), **altro},
    )


def _salva(
    request: HttpRequest, form: Any, esegui: Any, messaggio: str, destinazione: Any
) -> HttpResponse | None:
    """Run the action on a valid POST; errors go back onto the form (nothing is saved)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        esegui()
    except ValidationError as errore:
        riporta_errori(form, errore)
        return None
    messages.success(request, messaggio)
    return redirect(destinazione)
