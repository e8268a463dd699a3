"""The anagrafe's forms: they check and translate what was typed; the rules of the data live in
the models (``clean``) and run in the actions, whose errors :func:`riporta_errori` puts back next
to the fields. Field ids are stable (``id_<name>``): the browser tests and the API helper rely
on them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from equo.web.anagrafe import territorio
from equo.web.anagrafe.codice_fiscale import (
    dati_del_codice,
    errore_codice_fiscale,
    normalizza_codice_fiscale,
)
from equo.web.anagrafe.models import (
    ITALIA,
    Persona,
    Relazione,
    Sesso,
    TipoContatto,
    TipoLegame,
    TipoNucleo,
)
from equo.web.anagrafe.permessi import RUOLI_LETTURA

if TYPE_CHECKING:
    from equo.web.accounts.models import Utente
    from equo.web.enti.models import Ente

__all__ = [
    "ContattoForm",
    "IndirizzoForm",
    "LegameForm",
    "MembroForm",
    "NucleoForm",
    "PersonaForm",
    "riporta_errori",
]


class DataInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _suggerimenti(tipo: str, lista: str) -> dict[str, str]:
    """Attributes of a place input with live suggestions (htmx fills its ``<datalist>``)."""
    return {
        "list": lista,
        "autocomplete": "off",
        "hx-get": f"{reverse('anagrafe:luoghi')}?tipo={tipo}",
        "hx-trigger": "input changed delay:250ms",
        "hx-target": f"#{lista}",
        "hx-swap": "innerHTML",
    }


def _campo_codice_fiscale(label: StrOrPromise, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=24,
        required=required,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


def riporta_errori(
    form: forms.Form, errore: ValidationError, campi: Mapping[str, str] | None = None
) -> None:
    """Put the model's validation errors next to the form's fields (``campi``: model → form)."""
    mappa = campi or {}
    dizionario = (
        errore.message_dict
        if hasattr(errore, "error_dict")
        else {NON_FIELD_ERRORS: errore.messages}
    )
    for campo, messaggi in dizionario.items():
        nome = mappa.get(campo, campo)
        form.add_error(nome if nome in form.fields else None, messaggi)


class PersonaForm(forms.Form):
    cognome = forms.CharField(
        label=_("Cognome"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    nome = forms.CharField(
        label=_("Nome"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    codice_fiscale = _campo_codice_fiscale(_("Codice fiscale"))
    sesso = forms.ChoiceField(label=_("Sesso"), choices=[("", "—"), *Sesso.choices])
    data_nascita = forms.DateField(label=_("Data di nascita"), widget=DataInput())
    luogo_nascita = forms.CharField(
        label=_("Comune o Stato estero di nascita"),
        max_length=100,
        required=False,
        help_text=_(
            "Es. «Avigliana», «Samone (TO)», «Marocco». Se lo lasci vuoto lo ricaviamo dal "
            "codice fiscale."
        ),
    )
    cittadinanza = forms.ChoiceField(label=_("Cittadinanza"), choices=(), initial=ITALIA)
    comune_residenza = forms.CharField(
        label=_("Comune di residenza"),
        max_length=100,
        required=False,
        help_text=_("Es. «Avigliana» o «Avigliana (TO)»."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    #: Model fields whose errors belong to another field of this form.
    CAMPI_MODELLO: Mapping[str, str] = {
        "nascita_codice_catastale": "luogo_nascita",
        "nascita_luogo": "luogo_nascita",
        "residenza_codice_istat": "comune_residenza",
        "residenza_comune": "comune_residenza",
    }

    def __init__(
        self, *args: Any, ente: Ente, utente: Utente, persona: Persona | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.ente, self.utente, self.persona = ente, utente, persona
        paesi = territorio.paesi()
        campo = cast(forms.ChoiceField, self.fields["cittadinanza"])
        campo.choices = [
            (ITALIA, paesi[ITALIA]),
            *((codice, nome) for codice, nome in paesi.items() if codice != ITALIA),
        ]
        self.fields["luogo_nascita"].widget.attrs.update(
            _suggerimenti("nascita", "luoghi-nascita-suggeriti")
        )
        self.fields["comune_residenza"].widget.attrs.update(
            _suggerimenti("comune", "comuni-residenza-suggeriti")
        )
        self.luogo: territorio.LuogoNascita | None = None
        self.comune: territorio.Comune | None = None

    @staticmethod
    def iniziali(persona: Persona) -> dict[str, Any]:
        return {
            "cognome": persona.cognome,
            "nome": persona.nome,
            "codice_fiscale": persona.codice_fiscale,
            "sesso": persona.sesso,
            "data_nascita": persona.data_nascita,
            "luogo_nascita": persona.nascita_luogo,
            "cittadinanza": persona.cittadinanza,
            "comune_residenza": persona.residenza_comune,
            "note": persona.note,
        }

    def clean_codice_fiscale(self) -> str:
        codice = normalizza_codice_fiscale(self.cleaned_data["codice_fiscale"])
        errore = errore_codice_fiscale(codice)
        if errore:
            raise ValidationError(errore, code="codice_fiscale")
        doppioni = Persona.objects.per_utente(self.utente, ruoli=RUOLI_LETTURA).filter(
            ente=self.ente, codice_fiscale=codice
        )
        if self.persona is not None:
            doppioni = doppioni.exclude(pk=self.persona.pk)
        esistente = doppioni.first()
        if esistente is not None:
            # Only a person of this ente, visible to the user, is named: a codice fiscale known
            # to another ente is never revealed (the ente's own unique constraint catches the
            # rest, with a message that names nobody).
            raise ValidationError(
                format_html(
                    '{} <a href="{}">{}</a>.',
                    gettext("Questa persona è già in anagrafe:"),
                    reverse("anagrafe:persona", args=[esistente.pk]),
                    f"{esistente} ({esistente.data_nascita:%d/%m/%Y})",
                ),
                code="doppione",
            )
        return codice

    def clean(self) -> dict[str, Any]:
        dati = super().clean() or {}
        data_nascita = dati.get("data_nascita")
        testo = (dati.get("luogo_nascita") or "").strip()
        codice = dati.get("codice_fiscale")
        try:
            if testo:
                self.luogo = territorio.risolvi_luogo_nascita(testo, data_nascita)
            elif codice and (dati_codice := dati_del_codice(codice)) is not None:
                trovati = territorio.luoghi_per_codice(dati_codice.belfiore, data_nascita)
                if not trovati:
                    raise territorio.LuogoNonTrovatoError(
                        gettext(
                            "Il codice fiscale indica un luogo sconosciuto (%(codice)s): scrivi "
                            "il comune o lo Stato di nascita."
                        )
                        % {"codice": dati_codice.belfiore}
                    )
                self.luogo = trovati[0]
            elif codice:
                raise territorio.LuogoNonTrovatoError(
                    gettext("Con un codice fiscale provvisorio scrivi il luogo di nascita.")
                )
        except ValueError as errore:
            self.add_error("luogo_nascita", str(errore))
        residenza = (dati.get("comune_residenza") or "").strip()
        if residenza:
            try:
                self.comune = territorio.risolvi_comune(residenza)
            except ValueError as errore:
                self.add_error("comune_residenza", str(errore))
        return dati

    def dati_persona(self) -> dict[str, Any]:
        """The model's field values (after ``is_valid()``)."""
        dati = self.cleaned_data
        luogo, comune = self.luogo, self.comune
        return {
            "cognome": dati["cognome"].strip(),
            "nome": dati["nome"].strip(),
            "codice_fiscale": dati["codice_fiscale"],
            "sesso": dati["sesso"],
            "data_nascita": dati["data_nascita"],
            "nascita_codice_catastale": luogo.codice_catastale if luogo else "",
            "nascita_codice_istat": luogo.codice_istat if luogo else "",
            "nascita_luogo": luogo.etichetta if luogo else "",
            "cittadinanza": dati["cittadinanza"],
            "residenza_codice_istat": comune.codice_istat if comune else "",
            "residenza_comune": comune.etichetta if comune else "",
            "note": dati["note"],
        }


class IndirizzoForm(forms.Form):
    via = forms.CharField(label=_("Via o piazza"), max_length=200)
    civico = forms.CharField(label=_("Numero civico"), max_length=20, required=False)
    cap = forms.RegexField(
        label=_("CAP"),
        regex=r"^\s*\d{5}\s*$",
        max_length=10,
        error_messages={"invalid": _("Il CAP ha 5 cifre.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    comune = forms.CharField(
        label=_("Comune"), max_length=100, help_text=_("Es. «Avigliana» o «Avigliana (TO)».")
    )

    CAMPI_MODELLO: Mapping[str, str] = {"comune_codice_istat": "comune"}

    def __init__(self, *args: Any, persona: Persona, tipo: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.persona, self.tipo = persona, tipo
        self.fields["comune"].widget.attrs.update(_suggerimenti("comune", "comuni-suggeriti"))
        self.comune_trovato: territorio.Comune | None = None

    def clean_comune(self) -> str:
        testo = str(self.cleaned_data["comune"])
        try:
            self.comune_trovato = territorio.risolvi_comune(testo)
        except ValueError as errore:
            raise ValidationError(str(errore)) from None
        persona = self.persona
        if (
            self.tipo == "residenza"
            and persona.residenza_codice_istat
            and persona.residenza_codice_istat != self.comune_trovato.codice_istat
        ):
            raise ValidationError(
                gettext(
                    "La persona risulta residente a %(comune)s: se ha cambiato residenza, "
                    "modifica prima l'anagrafica."
                )
                % {"comune": persona.residenza_comune}
            )
        return testo

    def dati_indirizzo(self) -> dict[str, Any]:
        comune = self.comune_trovato
        if comune is None:
            raise RuntimeError("dati_indirizzo() before is_valid()")
        return {
            "via": self.cleaned_data["via"].strip(),
            "civico": self.cleaned_data["civico"].strip(),
            "cap": self.cleaned_data["cap"].strip(),
            "comune_codice_istat": comune.codice_istat,
            "comune": comune.etichetta,
        }


class ContattoForm(forms.Form):
    tipo = forms.ChoiceField(label=_("Tipo"), choices=TipoContatto.choices)
    valore = forms.CharField(label=_("Recapito"), max_length=254)
    descrizione = forms.CharField(
        label=_("Descrizione"),
        max_length=100,
        required=False,
        help_text=_("Es. «cellulare», «figlia»."),
    )


def _persona_per_codice(utente: Utente, ente_id: int, testo: str) -> Persona:
    codice = normalizza_codice_fiscale(testo)
    persona = (
        Persona.objects.per_utente(utente, ruoli=RUOLI_LETTURA)
        .filter(ente_id=ente_id, codice_fiscale=codice)
        .first()
    )
    if persona is None:
        raise ValidationError(
            gettext(
                "Nessuna persona con questo codice fiscale nell'anagrafe di questo ente: "
                "inseriscila prima."
            )
        )
    return persona


class LegameForm(forms.Form):
    tipo = forms.ChoiceField(label=_("Tipo di legame"), choices=TipoLegame.choices)
    codice_fiscale_collegato = _campo_codice_fiscale(
        _("Codice fiscale della persona, se è in anagrafe"), required=False
    )
    esterno_nome = forms.CharField(
        label=_("Oppure: nome e cognome (o nome del servizio)"), max_length=200, required=False
    )
    esterno_recapito = forms.CharField(label=_("Recapito"), max_length=200, required=False)
    descrizione = forms.CharField(
        label=_("Descrizione"),
        max_length=200,
        required=False,
        help_text=_("Es. «figlia, vive a Torino»."),
    )

    CAMPI_MODELLO: Mapping[str, str] = {"persona_collegata": "codice_fiscale_collegato"}

    def __init__(self, *args: Any, persona: Persona, utente: Utente, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.persona, self.utente = persona, utente
        self.collegata: Persona | None = None

    def clean_codice_fiscale_collegato(self) -> str:
        testo = str(self.cleaned_data["codice_fiscale_collegato"]).strip()
        if testo:
            self.collegata = _persona_per_codice(self.utente, self.persona.ente_id, testo)
        return testo

    def clean(self) -> dict[str, Any]:
        dati = super().clean() or {}
        nome = (dati.get("esterno_nome") or "").strip()
        if "codice_fiscale_collegato" in dati and bool(dati["codice_fiscale_collegato"]) == bool(
            nome
        ):
            self.add_error(
                "esterno_nome",
                gettext(
                    "Indica il codice fiscale di una persona dell'anagrafe oppure il nome di chi "
                    "non c'è (uno dei due)."
                ),
            )
        return dati

    def dati_legame(self) -> dict[str, Any]:
        dati = self.cleaned_data
        return {
            "tipo": dati["tipo"],
            "persona_collegata": self.collegata,
            "esterno_nome": dati["esterno_nome"].strip(),
            "esterno_recapito": dati["esterno_recapito"].strip(),
            "descrizione": dati["descrizione"].strip(),
        }


class NucleoForm(forms.Form):
    tipo = forms.ChoiceField(label=_("Tipo di nucleo"), choices=TipoNucleo.choices)
    denominazione = forms.CharField(
        label=_("Denominazione"),
        max_length=200,
        help_text=_("Es. «Famiglia Rossi – via Roma»."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MembroForm(forms.Form):
    codice_fiscale = _campo_codice_fiscale(_("Codice fiscale del componente"))
    relazione = forms.ChoiceField(
        label=_("Relazione con l'intestatario / dichiarante"),
        choices=[("", "—"), *Relazione.choices],
    )
    dal = forms.DateField(label=_("Componente dal"), widget=DataInput())
    al = forms.DateField(
        label=_("Fino al"),
        required=False,
        widget=DataInput(),
        help_text=_("Vuoto se fa ancora parte del nucleo."),
    )

    CAMPI_MODELLO: Mapping[str, str] = {"persona": "codice_fiscale"}

    def __init__(
        self, *args: Any, utente: Utente, ente_id: int, nuovo: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.utente, self.ente_id = utente, ente_id
        self.persona: Persona | None = None
        if not nuovo:
            del self.fields["codice_fiscale"]
            self.CAMPI_MODELLO = {"persona": "relazione"}

    def clean_codice_fiscale(self) -> str:
        testo = str(self.cleaned_data["codice_fiscale"])
        self.persona = _persona_per_codice(self.utente, self.ente_id, testo)
        return testo

    def dati_membro(self) -> dict[str, Any]:
        dati = self.cleaned_data
        return {"relazione": dati["relazione"], "dal": dati["dal"], "al": dati["al"]}
