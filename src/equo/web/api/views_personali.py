"""The page "I miei token personali": each operator lists, creates and revokes their own tokens
for the cartella sociale API (see :class:`equo.web.api.models.TokenPersonale`).

Only for who works on the cartella (``cartella.lavora``); a token of someone else is 404. A new
token is shown once, in the answer to the form (never stored, never cached); creation and
revocation are audited.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from equo.web.anagrafe.forms import riporta_errori
from equo.web.api.actions import do_crea_token_personale, do_revoca_token_personale
from equo.web.api.forms_personali import TokenPersonaleForm
from equo.web.api.models import PermessoPersonale, TokenPersonale, durata_massima_personale
from equo.web.enti.attivo import ente_attivo
from equo.web.ui.http import utente_di

#: Personal tokens serve the cartella sociale only.
LAVORA = "cartella.lavora"


@require_GET
@permission_required(LAVORA, raise_exception=True)
def elenco(request: HttpRequest) -> HttpResponse:
    utente = utente_di(request)
    token = TokenPersonale.objects.filter(utente=utente).order_by(
        "revocato_il", "-creato_il", "-pk"
    )
    return render(
        request,
        "api/token_personali.html",
        {
            "token": list(token),
            "etichette": dict(PermessoPersonale.choices),
            "giorni": durata_massima_personale().days,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(LAVORA, raise_exception=True)
def nuovo(request: HttpRequest) -> HttpResponse:
    utente = utente_di(request)
    form = TokenPersonaleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        dati = form.cleaned_data
        try:
            token, segreto = do_crea_token_personale(
                nome=dati["nome"],
                permessi=dati["permessi"],
                scade_il=dati["scade_il"],
                acting_user=utente,
                ente=ente_attivo(request),
            )
        except ValidationError as errore:
            riporta_errori(form, errore)
        else:
            risposta = render(
                request, "api/token_personale_creato.html", {"token": token, "segreto": segreto}
            )
            add_never_cache_headers(risposta)  # the secret must not stay in any cache
            return risposta
    return render(request, "api/token_personale_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required(LAVORA, raise_exception=True)
def revoca(request: HttpRequest, pk: int) -> HttpResponse:
    utente = utente_di(request)
    try:
        token = TokenPersonale.objects.get(pk=pk, utente=utente)
    except ObjectDoesNotExist:
        raise Http404(_("Non trovato.")) from None
    if request.method == "POST":
        do_revoca_token_personale(token, acting_user=utente, ente=ente_attivo(request))
        messages.success(request, _("Token revocato: non dà più accesso."))
        return redirect("token_api:personali")
    return render(request, "api/token_personale_revoca.html", {"token": token})
