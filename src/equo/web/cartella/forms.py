"""The cartella's forms: they translate what was typed; the rules live in the models (``clean``)
and in the actions, whose errors ``riporta_errori`` puts back next to the fields. Choice fields
over tenant data get querysets already scoped to the case's ente.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from equo.web.anagrafe.forms import DataInput
from equo.web.anagrafe.models import Nucleo, Persona
from equo.web.cartella.allegati import TIPI, verifica
from equo.web.cartella.codici import motivi_chiusura
from equo.web.cartella.models import (
    Accesso,
    AnalisiPreliminare,
    AreaUtenza,
    Dimensione,
    Erogazione,
    EsitoObiettivo,
    ImpegnoProgetto,
    Intervento,
    LivelloBisogno,
    MembroEquipe,
    NotaMonitoraggio,
    Obiettivo,
    Progetto,
    QuadroAnalisi,
    ResponsabileProgetto,
    RiunioneEquipe,
    VoceDiario,
)
from equo.web.enti.models import Ruolo

if TYPE_CHECKING:
    from equo.web.accounts.models import Utente
    from equo.web.enti.models import Ente

__all__ = [
    "AccessoForm",
    "AnalisiForm",
    "AperturaForm",
    "ChiusuraForm",
    "ContributoForm",
    "ErogazioneForm",
    "EsitoObiettivoForm",
    "ImpegnoForm",
    "InterventoForm",
    "MembroEquipeForm",
    "MotivoForm",
    "NotaMonitoraggioForm",
    "ObiettivoForm",
    "ProgettoForm",
    "QuadroForm",
    "ResponsabileProgettoForm",
    "RiunioneForm",
    "VerbaleForm",
    "VoceDiarioForm",
    "riporta_errori",
]

_TESTO = forms.Textarea(attrs={"rows": 4})


def riporta_errori(form: forms.BaseForm, errore: ValidationError) -> None:
    """Put the action's validation errors next to the form's fields (or on top of the form)."""
    dizionario = (
        errore.message_dict
        if hasattr(errore, "error_dict")
        else {NON_FIELD_ERRORS: errore.messages}
    )
    for campo, messaggi in dizionario.items():
        form.add_error(campo if campo in form.fields else None, messaggi)


def _date(*campi: str) -> dict[str, Any]:
    return dict.fromkeys(campi, DataInput())


class _SenzaValidazioneModello(forms.ModelForm):  # type: ignore[type-arg]
    """Model forms whose model validation runs in the action (with the parent rows set), once."""

    def _post_clean(self) -> None:
        pass


class AccessoForm(_SenzaValidazioneModello):
    class Meta:
        model = Accesso
        fields = (
            "persona",
            "nominativo",
            "data",
            "canale",
            "richiedente",
            "bisogno_espresso",
            "area",
            "urgenza",
            "esito",
            "servizio_invio",
        )
        widgets: dict[str, Any] = {**_date("data"), "bisogno_espresso": _TESTO}  # noqa: RUF012

    def __init__(self, *args: Any, persone: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campo = self.fields["persona"]
        assert isinstance(campo, forms.ModelChoiceField)  # noqa: S101
        campo.queryset = persone


class AperturaForm(forms.Form):
    persona = forms.ModelChoiceField(label=_("Persona"), queryset=Persona.objects.none())
    nucleo = forms.ModelChoiceField(
        label=_("Nucleo"), queryset=Nucleo.objects.none(), required=False
    )
    area = forms.ChoiceField(label=_("Area utenza"), choices=AreaUtenza.choices)
    case_manager = forms.ModelChoiceField(label=_("Case manager"), queryset=Persona.objects.none())
    aperto_il = forms.DateField(label=_("Data di apertura"), widget=DataInput())
    approvazione_richiesta = forms.BooleanField(
        label=_("Il progetto va approvato dal responsabile di servizio"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, ente: Ente, persone: Any, nuclei: Any, **kwargs: Any) -> None:
        from equo.web.accounts.models import Utente

        super().__init__(*args, **kwargs)
        self._imposta("persona", persone)
        self._imposta("nucleo", nuclei)
        self._imposta(
            "case_manager",
            Utente.objects.filter(
                is_active=True,
                incarichi__ente=ente,
                incarichi__ruolo=Ruolo.ASSISTENTE_SOCIALE,
                incarichi__attivo=True,
            )
            .distinct()
            .order_by("last_name", "first_name"),
        )

    def _imposta(self, nome: str, queryset: Any) -> None:
        campo = self.fields[nome]
        assert isinstance(campo, forms.ModelChoiceField)  # noqa: S101
        campo.queryset = queryset


class AnalisiForm(forms.Form):
    """The analisi preliminare: one need level and one resources box per dimension."""

    data_analisi = forms.DateField(label=_("Data"), widget=DataInput())
    esito = forms.ChoiceField(
        label=_("Esito"),
        choices=[("", "—"), *AnalisiPreliminare._meta.get_field("esito").choices],  # type: ignore[misc]
    )
    sintesi = forms.CharField(label=_("Sintesi"), widget=_TESTO)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for dimensione in Dimensione:
            self.fields[f"livello_{dimensione}"] = forms.ChoiceField(
                label=_("%(dimensione)s: livello di bisogno") % {"dimensione": dimensione.label},
                choices=[("", "—"), *LivelloBisogno.choices],
            )
            self.fields[f"risorse_{dimensione}"] = forms.CharField(
                label=_("%(dimensione)s: risorse") % {"dimensione": dimensione.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def dati(self) -> dict[str, Any]:
        dati = self.cleaned_data
        return {"data": dati["data_analisi"], "esito": dati["esito"], "sintesi": dati["sintesi"]}

    def dimensioni(self) -> dict[str, tuple[str, str]]:
        return {
            d: (self.cleaned_data[f"livello_{d}"], self.cleaned_data[f"risorse_{d}"])
            for d in Dimensione
        }


class MembroEquipeForm(_SenzaValidazioneModello):
    class Meta:
        model = MembroEquipe
        fields = ("utente", "nome_esterno", "servizio", "ruolo")

    def __init__(self, *args: Any, utenti: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campo = self.fields["utente"]
        assert isinstance(campo, forms.ModelChoiceField)  # noqa: S101
        campo.queryset = utenti
        campo.help_text = _("Solo chi usa Equo può leggere il caso (le sezioni del suo ruolo).")


class QuadroForm(_SenzaValidazioneModello):
    class Meta:
        model = QuadroAnalisi
        fields = ("avviato_il", "sintesi", "concluso_il")
        widgets: dict[str, Any] = {**_date("avviato_il", "concluso_il"), "sintesi": _TESTO}  # noqa: RUF012


class ContributoForm(forms.Form):
    testo = forms.CharField(label=_("La valutazione del mio servizio"), widget=_TESTO)


class ProgettoForm(_SenzaValidazioneModello):
    class Meta:
        model = Progetto
        fields = ("descrizione", "data_accordo", "prossima_verifica")
        widgets: dict[str, Any] = {  # noqa: RUF012
            **_date("data_accordo", "prossima_verifica"),
            "descrizione": _TESTO,
        }


class ObiettivoForm(_SenzaValidazioneModello):
    class Meta:
        model = Obiettivo
        fields = ("persona", "descrizione", "risultato_atteso", "indicatore", "scadenza")
        widgets: dict[str, Any] = {**_date("scadenza"), "risultato_atteso": _TESTO}  # noqa: RUF012

    def __init__(self, *args: Any, persone: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campo = self.fields["persona"]
        assert isinstance(campo, forms.ModelChoiceField)  # noqa: S101
        campo.queryset = persone


class InterventoForm(_SenzaValidazioneModello):
    class Meta:
        model = Intervento
        fields = (
            "codice_siuss",
            "descrizione",
            "obiettivo",
            "erogatore",
            "frequenza",
            "inizio",
            "fine",
            "costo",
            "compartecipazione",
        )
        widgets: dict[str, Any] = _date("inizio", "fine")

    def __init__(self, *args: Any, obiettivi: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campo = self.fields["obiettivo"]
        assert isinstance(campo, forms.ModelChoiceField)  # noqa: S101
        campo.queryset = obiettivi
        self.fields["codice_siuss"].error_messages["required"] = _(
            "Ogni intervento va classificato con un codice SIUSS."
        )
        self.fields["codice_siuss"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false"}
        )


class ImpegnoForm(_SenzaValidazioneModello):
    class Meta:
        model = ImpegnoProgetto
        fields = ("persona", "descrizione", "scadenza")
        widgets: dict[str, Any] = _date("scadenza")

    def __init__(self, *args: Any, persone: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campo = self.fields["persona"]
        assert isinstance(campo, forms.ModelChoiceField)  # noqa: S101
        campo.queryset = persone
        self.fields["descrizione"].error_messages["required"] = _("Descrivi l'impegno.")


class ResponsabileProgettoForm(_SenzaValidazioneModello):
    class Meta:
        model = ResponsabileProgetto
        fields = ("utente", "ruolo")

    def __init__(self, *args: Any, utenti: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campo = self.fields["utente"]
        assert isinstance(campo, forms.ModelChoiceField)  # noqa: S101
        campo.queryset = utenti
        self.fields["ruolo"].error_messages["required"] = _("Indica il ruolo nel progetto.")


class NotaMonitoraggioForm(_SenzaValidazioneModello):
    class Meta:
        model = NotaMonitoraggio
        fields = ("data", "avanzamento", "testo")
        widgets: dict[str, Any] = {**_date("data"), "testo": _TESTO}  # noqa: RUF012

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["testo"].error_messages["required"] = _("Scrivi il testo della nota.")
        self.fields["avanzamento"].error_messages["required"] = _("Scegli l'avanzamento.")


class ErogazioneForm(_SenzaValidazioneModello):
    class Meta:
        model = Erogazione
        fields = ("dal", "al", "ore", "importo", "quota_ente", "quota_utente", "quota_ssn", "note")
        widgets: dict[str, Any] = {**_date("dal", "al"), "note": forms.Textarea(attrs={"rows": 2})}  # noqa: RUF012


class VoceDiarioForm(_SenzaValidazioneModello):
    allegato = forms.FileField(
        label=_("Allegato"),
        required=False,
        help_text=_("Facoltativo: PDF, PNG, JPEG, ODT o DOCX, al massimo 10 MB."),
    )

    class Meta:
        model = VoceDiario
        fields = ("data", "tipo", "testo", "riservata")
        widgets: dict[str, Any] = {**_date("data"), "testo": forms.Textarea(attrs={"rows": 8})}  # noqa: RUF012

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        massimo = settings.EQUO_ALLEGATI_MAX_BYTES / (1024 * 1024)
        tipi = ", ".join(sorted({TIPI[e][1] for e in settings.EQUO_ALLEGATI_TIPI if e in TIPI}))
        self.fields["allegato"].help_text = _("Facoltativo: %(tipi)s, al massimo %(mb)s MB.") % {
            "tipi": tipi,
            "mb": f"{massimo:g}",
        }

    def clean_allegato(self) -> Any:
        file = self.cleaned_data.get("allegato")
        if file:
            verifica(file)
        return file

    def dati(self) -> dict[str, Any]:
        return {c: self.cleaned_data[c] for c in self.Meta.fields}


class EsitoObiettivoForm(forms.Form):
    esito_finale = forms.ChoiceField(
        label=_("Esito finale"), choices=[("", "—"), *EsitoObiettivo.choices]
    )
    nota_esito = forms.CharField(label=_("Nota"), required=False, widget=_TESTO)


class ChiusuraForm(forms.Form):
    data_chiusura = forms.DateField(label=_("Data di chiusura"), widget=DataInput())
    motivo = forms.ChoiceField(label=_("Motivo"), choices=())
    valutazione_finale = forms.CharField(label=_("Valutazione finale"), widget=_TESTO)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campo = self.fields["motivo"]
        assert isinstance(campo, forms.ChoiceField)  # noqa: S101
        campo.choices = [("", "—")] + [(m.codice, m.etichetta) for m in motivi_chiusura()]

    def dati(self) -> dict[str, Any]:
        dati = self.cleaned_data
        return {
            "data": dati["data_chiusura"],
            "motivo": dati["motivo"],
            "valutazione_finale": dati["valutazione_finale"],
        }


class MotivoForm(forms.Form):
    motivo = forms.CharField(
        label=_("Motivo"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def utenti_per_equipe(utente: Utente) -> Any:
    """Users that can be added to an équipe: active staff of any ente (the équipe is
    multidisciplinary and multi-ente); shown by name only."""
    from equo.web.accounts.models import Utente as ModelloUtente

    return (
        ModelloUtente.objects.filter(is_active=True, incarichi__attivo=True)
        .exclude(pk=utente.pk)
        .distinct()
        .order_by("last_name", "first_name")
    )


class _DataOra(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class _Membri(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.nome} – {obj.servizio} ({obj.get_ruolo_display().lower()})"


class RiunioneForm(_SenzaValidazioneModello):
    convocati = _Membri(
        label=_("Convocati"),
        queryset=MembroEquipe.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = RiunioneEquipe
        fields = ("data_ora", "luogo", "ordine_del_giorno")
        widgets: dict[str, Any] = {"data_ora": _DataOra(), "ordine_del_giorno": _TESTO}  # noqa: RUF012

    def __init__(self, *args: Any, membri: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campo = self.fields["convocati"]
        assert isinstance(campo, forms.ModelMultipleChoiceField)  # noqa: S101
        campo.queryset = membri

    def dati(self) -> dict[str, Any]:
        return {c: self.cleaned_data[c] for c in self.Meta.fields}


class VerbaleForm(forms.Form):
    presenti = _Membri(
        label=_("Presenti"),
        queryset=MembroEquipe.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    verbale = forms.CharField(label=_("Verbale"), widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args: Any, convocati: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campo = self.fields["presenti"]
        assert isinstance(campo, forms.ModelMultipleChoiceField)  # noqa: S101
        campo.queryset = convocati
