"""The form that creates an integrator's token (its rules: :mod:`equo.web.api.permessi`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from equo.web.anagrafe.forms import DataInput
from equo.web.api.models import PermessoApi
from equo.web.api.permessi import enti_per_token, permessi_concedibili
from equo.web.enti.models import Ente

if TYPE_CHECKING:
    from equo.web.accounts.models import Utente

__all__ = ["TokenForm"]


class TokenForm(forms.Form):
    ente = forms.ModelChoiceField(label=_("Ente"), queryset=Ente.objects.none(), empty_label=None)
    nome = forms.CharField(
        label=_("Nome"),
        max_length=100,
        help_text=_("Chi lo usa: es. «Gestionale protocollo» o «Portale ISEE»."),
    )
    permessi = forms.MultipleChoiceField(
        label=_("Permessi"), choices=PermessoApi.choices, widget=forms.CheckboxSelectMultiple
    )
    scade_il = forms.DateField(
        label=_("Scade il"),
        required=False,
        widget=DataInput(),
        help_text=_("Vuoto: non scade (revocalo quando non serve più)."),
    )

    def __init__(self, *args: Any, utente: Utente, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.utente = utente
        cast("forms.ModelChoiceField[Ente]", self.fields["ente"]).queryset = enti_per_token(utente)

    def clean_scade_il(self) -> dt.datetime | None:
        giorno: dt.date | None = self.cleaned_data["scade_il"]
        if giorno is None:
            return None
        if giorno <= timezone.localdate():
            raise forms.ValidationError(gettext("Scegli una data futura."))
        # Valid for the whole day chosen.
        return timezone.make_aware(dt.datetime.combine(giorno, dt.time.max))

    def clean(self) -> dict[str, Any]:
        dati = super().clean() or {}
        ente: Ente | None = dati.get("ente")
        richiesti = set(dati.get("permessi") or [])
        if ente is not None and richiesti:
            negati = richiesti - permessi_concedibili(self.utente, ente)
            if negati:
                etichette = ", ".join(f"«{PermessoApi(p).label}»" for p in sorted(negati))
                self.add_error(
                    "permessi",
                    gettext(
                        "Non puoi concedere %(permessi)s: in questo ente non hai tu stesso "
                        "questo accesso ai dati."
                    )
                    % {"permessi": etichette},
                )
        return dati
