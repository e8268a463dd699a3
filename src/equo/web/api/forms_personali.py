"""The form that creates a personal token (the owner is always the user filling it in)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from equo.web.anagrafe.forms import DataInput
from equo.web.api.models import PermessoPersonale, durata_massima_personale

__all__ = ["TokenPersonaleForm"]


class TokenPersonaleForm(forms.Form):
    nome = forms.CharField(
        label=_("Nome"),
        max_length=100,
        help_text=_("Il programma che lo userà: es. «App visite domiciliari»."),
    )
    permessi = forms.MultipleChoiceField(
        label=_("Permessi"),
        choices=PermessoPersonale.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    scade_il = forms.DateField(label=_("Scade il"), widget=DataInput())

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        giorni = durata_massima_personale().days
        self.fields["scade_il"].help_text = gettext(
            "Obbligatoria: al massimo %(giorni)s giorni da oggi."
        ) % {"giorni": giorni}

    def clean_scade_il(self) -> dt.datetime:
        giorno: dt.date = self.cleaned_data["scade_il"]
        oggi = timezone.localdate()
        ultimo = oggi + durata_massima_personale()
        if giorno <= oggi:
            raise forms.ValidationError(gettext("Scegli una data futura."))
        if giorno > ultimo:
            raise forms.ValidationError(
                gettext(
                    "Un token personale dura al massimo %(giorni)s giorni: scegli una scadenza "
                    "entro il %(data)s."
                )
                % {"giorni": durata_massima_personale().days, "data": ultimo.strftime("%d/%m/%Y")}
            )
        # Valid for the whole day chosen.
        return timezone.make_aware(dt.datetime.combine(giorno, dt.time.max))
