"""Login (password, then the TOTP code for users who turned it on), logout, password, TOTP setup.

A user with a TOTP device is **not** logged in after the password: the session only remembers,
for five minutes, who passed the first step; ``auth.login`` runs after the code is checked. A
second login method (SPID/CIE over OpenID Connect) ends the same way, with ``auth.login`` on the
user found through ``IdentitaEsterna``: see docs/web/architettura.md.
"""

from __future__ import annotations

import time
from base64 import b32encode
from binascii import unhexlify
from typing import Any

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from equo.web.accounts.actions import do_attiva_totp, do_cambia_password, do_disattiva_totp
from equo.web.accounts.forms import AccessoForm, CodiceForm
from equo.web.accounts.models import Utente
from equo.web.ui.http import utente_di

ATTESA_SECONDO_FATTORE = "equo_accesso_in_attesa"
CHIAVE_TOTP_NUOVA = "equo_totp_chiave_nuova"
SCADENZA_SECONDI = 300
TENTATIVI_CODICE = 5


class AccediView(LoginView):
    """Step 1: username and password (django-axes counts the failures)."""

    template_name = "accounts/accedi.html"
    authentication_form = AccessoForm
    redirect_authenticated_user = True

    def form_valid(self, form: AccessoForm) -> HttpResponse:  # type: ignore[override]
        utente = form.get_user()
        if not user_has_device(utente, confirmed=True):
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[ATTESA_SECONDO_FATTORE] = {
            "utente": utente.pk,
            "backend": getattr(utente, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
            "scade": time.time() + SCADENZA_SECONDI,
            "tentativi": 0,
            "next": self.get_redirect_url(),
        }
        return redirect("accounts:codice")


def _attesa(request: HttpRequest) -> dict[str, Any] | None:
    attesa = request.session.get(ATTESA_SECONDO_FATTORE)
    if not isinstance(attesa, dict) or attesa.get("scade", 0) < time.time():
        request.session.pop(ATTESA_SECONDO_FATTORE, None)
        return None
    return attesa


@login_not_required
@sensitive_post_parameters("codice")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def codice(request: HttpRequest) -> HttpResponse:
    """Step 2: the TOTP code of a user who passed step 1 in this session."""
    attesa = _attesa(request)
    utente = None
    if attesa is not None:
        utente = Utente.objects.filter(pk=attesa["utente"], is_active=True).first()
    if attesa is None or utente is None:
        messages.warning(
            request, "La sessione di accesso è scaduta: inserisci di nuovo la password."
        )
        return redirect("accounts:accedi")
    form = CodiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        dispositivo = django_otp.match_token(utente, form.cleaned_data["codice"])
        if dispositivo is not None:
            del request.session[ATTESA_SECONDO_FATTORE]
            auth_login(request, utente, backend=attesa["backend"])
            django_otp.login(request, dispositivo)
            return HttpResponseRedirect(_destinazione(request, attesa.get("next")))
        user_login_failed.send(
            sender=__name__, credentials={"username": utente.username}, request=request
        )
        attesa["tentativi"] += 1
        if attesa["tentativi"] >= TENTATIVI_CODICE:
            del request.session[ATTESA_SECONDO_FATTORE]
            messages.error(request, "Troppi codici errati: ricomincia dall'inizio.")
            return redirect("accounts:accedi")
        request.session[ATTESA_SECONDO_FATTORE] = attesa
        form.add_error("codice", "Codice non valido o scaduto: controlla l'ora del telefono.")
    return render(request, "accounts/codice.html", {"form": form})


def _destinazione(request: HttpRequest, prossima: str | None) -> str:
    if prossima and url_has_allowed_host_and_scheme(
        prossima, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return prossima
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def password(request: HttpRequest) -> HttpResponse:
    utente = utente_di(request)
    form = PasswordChangeForm(utente, request.POST or None)
    if request.method == "POST" and form.is_valid():
        do_cambia_password(utente, form.cleaned_data["new_password1"], acting_user=utente)
        update_session_auth_hash(request, utente)
        messages.success(request, "Password cambiata.")
        return redirect("ui:home")
    return render(request, "accounts/password.html", {"form": form})


@sensitive_post_parameters("codice")
@never_cache
@require_http_methods(["GET", "POST"])
def due_fattori(request: HttpRequest) -> HttpResponse:
    """Turn the TOTP second factor on (scan, then confirm a code) or off (confirm a code)."""
    utente = utente_di(request)
    attivo = user_has_device(utente, confirmed=True)
    form = CodiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codice_inserito = form.cleaned_data["codice"]
        if attivo:
            if django_otp.match_token(utente, codice_inserito) is not None:
                do_disattiva_totp(utente, acting_user=utente)
                messages.success(request, "Verifica in due passaggi disattivata.")
                return redirect("accounts:due_fattori")
        else:
            chiave = request.session.get(CHIAVE_TOTP_NUOVA)
            if isinstance(chiave, str):
                dispositivo = do_attiva_totp(utente, chiave, codice_inserito, acting_user=utente)
                if dispositivo is not None:
                    request.session.pop(CHIAVE_TOTP_NUOVA, None)
                    django_otp.login(request, dispositivo)
                    messages.success(request, "Verifica in due passaggi attivata.")
                    return redirect("accounts:due_fattori")
        form.add_error("codice", "Codice non valido o scaduto: controlla l'ora del telefono.")
    contesto: dict[str, Any] = {"form": form, "attivo": attivo}
    if not attivo:
        chiave = request.session.get(CHIAVE_TOTP_NUOVA)
        if not isinstance(chiave, str):
            chiave = random_hex(20)
            request.session[CHIAVE_TOTP_NUOVA] = chiave
        provvisorio = TOTPDevice(user=utente, key=chiave, name="Equo")
        contesto["qr_svg"] = segno.make(provvisorio.config_url, error="m").svg_inline(
            scale=4, title="Codice QR per l'app di autenticazione"
        )
        contesto["chiave_testo"] = b32encode(unhexlify(chiave)).decode()
    return render(request, "accounts/due_fattori.html", contesto)
