"""The auditors' search form (every field optional; Italian messages)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from equo.web.audit.models import AuditEvent, TipoEvento
from equo.web.enti.models import Ente


class RicercaAuditForm(forms.Form):
    dal = forms.DateField(
        label="Dal", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    al = forms.DateField(label="Al", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    tipo = forms.ChoiceField(
        label="Tipo di evento", required=False, choices=[("", "Tutti"), *TipoEvento.choices]
    )
    ente = forms.ModelChoiceField(
        label="Ente", required=False, queryset=Ente.objects.none(), empty_label="Tutti"
    )
    utente = forms.CharField(label="Utente", required=False, max_length=150)
    oggetto = forms.CharField(
        label="Oggetto",
        required=False,
        max_length=200,
        help_text="Tipo (es. anagrafe.persona), identificativo o descrizione.",
    )

    def __init__(self, *args: Any, enti: QuerySet[Ente], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campo = self.fields["ente"]
        if isinstance(campo, forms.ModelChoiceField):
            campo.queryset = enti

    def clean(self) -> dict[str, Any]:
        dati = super().clean() or {}
        dal, al = dati.get("dal"), dati.get("al")
        if isinstance(dal, dt.date) and isinstance(al, dt.date) and dal > al:
            self.add_error("al", "La data finale viene prima di quella iniziale.")
        return dati

    def filtra(self, eventi: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        """``eventi`` narrowed by the valid filters (an invalid form filters nothing out)."""
        if not self.is_valid():
            return eventi
        dati = self.cleaned_data
        if dati.get("dal"):
            eventi = eventi.filter(creato_il__date__gte=dati["dal"])
        if dati.get("al"):
            eventi = eventi.filter(creato_il__date__lte=dati["al"])
        if dati.get("tipo"):
            eventi = eventi.filter(tipo=dati["tipo"])
        if dati.get("ente") is not None:
            eventi = eventi.filter(ente=dati["ente"])
        if dati.get("utente"):
            eventi = eventi.filter(utente_nome__icontains=dati["utente"])
        if dati.get("oggetto"):
            testo = dati["oggetto"]
            eventi = eventi.filter(
                Q(oggetto_tipo__iexact=testo)
                | Q(oggetto_id=testo)
                | Q(oggetto_repr__icontains=testo)
            )
        return eventi
