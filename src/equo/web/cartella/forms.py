"""The cartella's forms: they translate what was typed; the rules live in the models (``clean``)
and in the actions, whose errors ``riporta_errori`` puts back next to the fields. Choice fields
over tenant data get querysets already scoped to the case's ente.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    ESITI_INVIO,
    Accesso,
    AnalisiPreliminare,
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
    VerificaProgetto,
    VoceDiario,
)
from equo.web.cartella.models.area import scelte_aree
from equo.web.cartella.models.diario import massimo_allegati_per_voce
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
    "VerificaForm",
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
    """The accesso. The person and nucleo selects list only ``scelte_persone`` and ``nuclei``
    (a search result, the person just created), never the whole anagrafe; what is posted is
    validated against the scoped ``persone`` and ``nuclei``."""

    class Meta:
        model = Accesso
        fields = (
            "persona",
            "nucleo",
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

    def __init__(
        self,
        *args: Any,
        persone: Any,
        nuclei: Any = None,
        scelte_persone: Any = None,
        scelte_nuclei: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for nome, queryset, scelte in (
            ("persona", persone, scelte_persone),
            ("nucleo", nuclei if nuclei is not None else Nucleo.objects.none(), scelte_nuclei),
        ):
            campo = self.fields[nome]
            assert isinstance(campo, forms.ModelChoiceField)  # noqa: S101
            campo.queryset = queryset
            if scelte is not None:  # only these are offered; the whole queryset validates
                campo.widget.choices = [("", "---------"), *((o.pk, str(o)) for o in scelte)]
        self.fields["area"] = forms.ChoiceField(
            label=_("Area"), choices=[("", "---------"), *scelte_aree()]
        )


class AperturaForm(forms.Form):
    persona = forms.ModelChoiceField(label=_("Persona"), queryset=Persona.objects.none())
    nucleo = forms.ModelChoiceField(
        label=_("Nucleo"), queryset=Nucleo.objects.none(), required=False
    )
    area = forms.ChoiceField(label=_("Area utenza"), choices=())  # the active areas, at init
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
        area = self.fields["area"]
        assert isinstance(area, forms.ChoiceField)  # noqa: S101
        area.choices = scelte_aree()
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
    """The analisi preliminare: for each dimension, the nucleo's need level (required) and
    resources, and optionally those of each member (``componenti``; blank: not assessed)."""

    data_analisi = forms.DateField(label=_("Data"), widget=DataInput())
    esito = forms.ChoiceField(
        label=_("Esito"),
        choices=[("", "—"), *AnalisiPreliminare._meta.get_field("esito").choices],  # type: ignore[misc]
    )
    servizio_invio = forms.CharField(
        label=_("Servizio a cui è inviata la persona"),
        required=False,
        max_length=200,
        help_text=_(
            "Obbligatorio con l'invio a un servizio specialistico o al centro per l'impiego."
        ),
    )
    sintesi = forms.CharField(label=_("Sintesi"), widget=_TESTO)

    def __init__(self, *args: Any, componenti: Sequence[Persona] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.componenti = list(componenti)
        for dimensione in Dimensione:
            self._coppia(dimensione, "", str(_("Nucleo")), obbligatorio=True)
            for persona in self.componenti:
                self._coppia(dimensione, f"_{persona.pk}", str(persona), obbligatorio=False)

    def _coppia(
        self, dimensione: Dimensione, suffisso: str, chi: str, *, obbligatorio: bool
    ) -> None:
        nomi = {"dimensione": dimensione.label, "chi": chi}
        self.fields[f"livello_{dimensione}{suffisso}"] = forms.ChoiceField(
            label=_("%(dimensione)s – %(chi)s: livello di bisogno") % nomi,
            choices=[("", "—" if obbligatorio else _("non valutato")), *LivelloBisogno.choices],
            required=obbligatorio,
        )
        self.fields[f"risorse_{dimensione}{suffisso}"] = forms.CharField(
            label=_("%(dimensione)s – %(chi)s: risorse") % nomi,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    def clean(self) -> dict[str, Any]:
        dati = super().clean() or {}
        if dati.get("esito") in ESITI_INVIO and not (dati.get("servizio_invio") or "").strip():
            self.add_error(
                "servizio_invio",
                _("Con questo esito indica il servizio a cui è inviata la persona."),
            )
        for dimensione in Dimensione:
            for persona in self.componenti:
                suffisso = f"{dimensione}_{persona.pk}"
                if (dati.get(f"risorse_{suffisso}") or "").strip() and not dati.get(
                    f"livello_{suffisso}"
                ):
                    self.add_error(
                        f"livello_{suffisso}",
                        _("Hai indicato le risorse: indica anche il livello di bisogno."),
                    )
        return dati

    def gruppi(self) -> list[dict[str, Any]]:
        """The fields grouped by dimension, one row per nucleo/member (for the template)."""
        chi = [("", _("Nucleo")), *((f"_{p.pk}", str(p)) for p in self.componenti)]
        return [
            {
                "dimensione": d,
                "righe": [
                    {
                        "chi": nome,
                        "livello": self[f"livello_{d}{s}"],
                        "risorse": self[f"risorse_{d}{s}"],
                    }
                    for s, nome in chi
                ],
            }
            for d in Dimensione
        ]

    def dati(self) -> dict[str, Any]:
        dati = self.cleaned_data
        return {
            "data": dati["data_analisi"],
            "esito": dati["esito"],
            "servizio_invio": dati["servizio_invio"],
            "sintesi": dati["sintesi"],
        }

    def dimensioni(self) -> dict[str, tuple[str, str]]:
        return {
            d: (self.cleaned_data[f"livello_{d}"], self.cleaned_data[f"risorse_{d}"])
            for d in Dimensione
        }

    def dimensioni_componenti(self) -> dict[int, dict[str, tuple[str, str]]]:
        return {
            p.pk: {
                d: (
                    self.cleaned_data[f"livello_{d}_{p.pk}"],
                    self.cleaned_data[f"risorse_{d}_{p.pk}"],
                )
                for d in Dimensione
            }
            for p in self.componenti
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

    def clean(self) -> dict[str, Any]:
        dati = super().clean() or {}
        dal, al = dati.get("dal"), dati.get("al")
        if dal is not None and al is not None and al < dal:
            self.add_error("al", _("La fine del periodo non può precedere l'inizio."))
        return dati


class VerificaForm(_SenzaValidazioneModello):
    class Meta:
        model = VerificaProgetto
        fields = ("data", "partecipanti", "esito", "decisione", "prossima_verifica")
        widgets: dict[str, Any] = {  # noqa: RUF012
            **_date("data", "prossima_verifica"),
            "partecipanti": forms.Textarea(attrs={"rows": 2}),
            "esito": _TESTO,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partecipanti"].error_messages["required"] = _(
            "Indica chi ha partecipato alla verifica."
        )
        self.fields["esito"].error_messages["required"] = _(
            "Scrivi che cosa è emerso dalla verifica."
        )
        self.fields["decisione"].error_messages["required"] = _("Scegli la decisione.")


class _PiuFileInput(forms.FileInput):
    allow_multiple_selected = True


class _PiuFileField(forms.FileField):
    """Several files in one input (Django's "Uploading multiple files" recipe): a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _PiuFileInput())
        # Outside Bootstrap Italia's floating-label ``form-group``, whose absolutely placed
        # label covered the field above it (the "riservata" checkbox).
        kwargs.setdefault("template_name", "cartella/_campo_file.html")
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        elenco = data if isinstance(data, list | tuple) else [data]
        pulito = [super(_PiuFileField, self).clean(d, initial) for d in elenco]
        return [f for f in pulito if f]


class VoceDiarioForm(_SenzaValidazioneModello):
    allegato = _PiuFileField(label=_("Allegati"), required=False)

    class Meta:
        model = VoceDiario
        fields = ("data", "tipo", "testo", "riservata")
        widgets: dict[str, Any] = {**_date("data"), "testo": forms.Textarea(attrs={"rows": 8})}  # noqa: RUF012

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        massimo = settings.EQUO_ALLEGATI_MAX_BYTES / (1024 * 1024)
        tipi = ", ".join(sorted({TIPI[e][1] for e in settings.EQUO_ALLEGATI_TIPI if e in TIPI}))
        self.fields["allegato"].help_text = _(
            "Facoltativi, fino a %(n)s file: %(tipi)s, al massimo %(mb)s MB ciascuno."
        ) % {"n": massimo_allegati_per_voce(), "tipi": tipi, "mb": f"{massimo:g}"}

    def clean_allegato(self) -> Any:
        """Every file checked (type, content, size); one refused file refuses them all."""
        files: list[Any] = self.cleaned_data.get("allegato") or []
        limite = massimo_allegati_per_voce()
        if len(files) > limite:
            raise ValidationError(
                _("Al massimo %(n)s allegati per voce: ne hai scelti %(scelti)s.")
                % {"n": limite, "scelti": len(files)}
            )
        errori: list[str] = []
        for file in files:
            try:
                verifica(file)
            except ValidationError as errore:
                errori.extend(f"{file.name}: {m}" for m in errore.messages)
        if errori:
            raise ValidationError(errori)
        return files

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
