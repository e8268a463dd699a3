"""The page where responsabili and amministratori di sistema manage their enti's API tokens.

A new token is shown once, in the answer to the form (never stored, never redirected through
the session); the list shows only its first characters. Revocation takes effect at once.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from equo.web.anagrafe.forms import riporta_errori
from equo.web.api.actions import do_crea_token_api, do_revoca_token_api
from equo.web.api.forms import TokenForm
from equo.web.api.models import PermessoApi, TokenApi
from equo.web.api.permessi import GESTISCI_TOKEN, RUOLI_GESTIONE_TOKEN, access_token_for_user
from equo.web.ui.http import utente_di


@require_GET
@permission_required(GESTISCI_TOKEN, raise_exception=True)
def elenco(request: HttpRequest) -> HttpResponse:
    utente = utente_di(request)
    token = (
        TokenApi.objects.per_utente(utente, ruoli=RUOLI_GESTIONE_TOKEN)
        .select_related("ente")
        .order_by("revocato_il", "-creato_il", "-pk")
    )
    return render(
        request,
        "api/token.html",
        {"token": list(token), "etichette": dict(PermessoApi.choices)},
    )


@require_http_methods(["GET", "POST"])
@permission_required(GESTISCI_TOKEN, raise_exception=True)
def nuovo(request: HttpRequest) -> HttpResponse:
    utente = utente_di(request)
    form = TokenForm(request.POST or None, utente=utente)
    if request.method == "POST" and form.is_valid():
        dati = form.cleaned_data
        try:
            token, segreto = do_crea_token_api(
                ente=dati["ente"],
                nome=dati["nome"],
                permessi=dati["permessi"],
                scade_il=dati["scade_il"],
                acting_user=utente,
            )
        except ValidationError as errore:
            riporta_errori(form, errore)
        else:
            risposta = render(
                request,
                "api/token_creato.html",
                {"token": token, "segreto": segreto, "etichette": dict(PermessoApi.choices)},
            )
            add_never_cache_headers(risposta)  # the secret must not stay in any cache
            return risposta
    return render(request, "api/token_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required(GESTISCI_TOKEN, raise_exception=True)
def revoca(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    token = access_token_for_user(utente, pk)
    if request.method == "POST":
        do_revoca_token_api(token, acting_user=utente)
        messages.success(request, _("Token revocato: non dà più accesso."))
        return redirect("token_api:elenco")
    return render(request, "api/token_revoca.html", {"token": token})
