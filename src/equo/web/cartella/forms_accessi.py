"""The forms of the accessi pages that are not model forms: link an accesso to a person, and
the filters of the registro degli accessi."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from equo.web.anagrafe.forms import DataInput
from equo.web.anagrafe.models import Nucleo, Persona
from equo.web.cartella.models import Canale, EsitoAccesso
from equo.web.cartella.models.area import scelte_aree

__all__ = ["CollegaForm", "FiltriAccessi", "scelte_limitate"]

_VUOTO = ("", "---------")


def scelte_limitate(campo: forms.Field, queryset: Any, offerte: Any) -> None:
    """Validate ``campo`` against ``queryset`` but offer only ``offerte`` (a search result, the
    row just created): a select never lists the whole anagrafe."""
    assert isinstance(campo, forms.ModelChoiceField)  # noqa: S101
    campo.queryset = queryset
    campo.widget.choices = [_VUOTO, *((o.pk, str(o)) for o in offerte)]


class CollegaForm(forms.Form):
    persona = forms.ModelChoiceField(label=_("Persona"), queryset=Persona.objects.none())
    nucleo = forms.ModelChoiceField(
        label=_("Nucleo"), queryset=Nucleo.objects.none(), required=False
    )


class FiltriAccessi(forms.Form):
    CON_CASO = (("", "—"), ("si", _("Con caso aperto")), ("no", _("Senza caso")))

    dal = forms.DateField(label=_("Dal"), required=False, widget=DataInput())
    al = forms.DateField(label=_("Al"), required=False, widget=DataInput())
    esito = forms.ChoiceField(
        label=_("Esito"), required=False, choices=[("", "—"), *EsitoAccesso.choices]
    )
    area = forms.ChoiceField(label=_("Area"), required=False)
    canale = forms.ChoiceField(
        label=_("Canale"), required=False, choices=[("", "—"), *Canale.choices]
    )
    operatore = forms.TypedChoiceField(
        label=_("Operatore"), required=False, coerce=int, empty_value=None
    )
    caso = forms.ChoiceField(label=_("Caso"), required=False, choices=CON_CASO)

    def __init__(self, *args: Any, operatori: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ChoiceField)  # noqa: S101
        # Every configured area, retired ones included: old accessi are still searched by them.
        area.choices = [("", "—"), *scelte_aree(tutte=True)]
        operatore = self.fields["operatore"]
        assert isinstance(operatore, forms.TypedChoiceField)  # noqa: S101
        operatore.choices = [("", "—"), *operatori]

    def clean(self) -> dict[str, Any]:
        dati = super().clean() or {}
        if dati.get("dal") and dati.get("al") and dati["al"] < dati["dal"]:
            self.add_error("al", _("La fine del periodo viene prima dell'inizio."))
        return dati
