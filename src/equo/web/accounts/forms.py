"""Login and second-factor forms (Italian messages; Bootstrap Italia markup in the templates)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class AccessoForm(AuthenticationForm):
    error_messages = {  # noqa: RUF012  (Django's own attribute, overridden as Django does)
        "invalid_login": "Nome utente o password non corretti.",
        "inactive": "Questo utente è disattivato: rivolgiti all'amministratore.",
    }


class CodiceForm(forms.Form):
    codice = forms.RegexField(
        label="Codice dell'app di autenticazione",
        regex=r"^\s*\d{6}\s*$",
        max_length=10,
        error_messages={
            "invalid": "Il codice è fatto di 6 cifre.",
            "required": "Scrivi il codice di 6 cifre.",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_codice(self) -> str:
        return str(self.cleaned_data["codice"]).strip()
