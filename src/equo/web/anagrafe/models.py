"""The anagrafe: persons, their addresses and contacts, nuclei with their members, rete sociale.

Every model is tenant-owned (``TenantScoped``): read it through ``per_utente(user)`` or the
``access_*_for_user`` helpers of :mod:`equo.web.anagrafe.permessi`. A child row (address,
contact, member, link) belongs to the ente of its person; ``clean()`` refuses anything else.
Writes go through :mod:`equo.web.anagrafe.actions` (atomic, one audit row each).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, validate_email
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from equo.isee.model import RapportoConDichiarante
from equo.web.anagrafe import territorio
from equo.web.anagrafe.codice_fiscale import (
    dati_del_codice,
    errore_codice_fiscale,
    incoerenze,
    normalizza_codice_fiscale,
)
from equo.web.anagrafe.ricerca import chiave_ricerca
from equo.web.enti.scoping import TenantManager, TenantScoped

__all__ = [
    "Contatto",
    "Indirizzo",
    "LegameRete",
    "Membro",
    "Nucleo",
    "Persona",
    "Relazione",
    "Sesso",
    "TipoContatto",
    "TipoIndirizzo",
    "TipoLegame",
    "TipoNucleo",
]

ITALIA = "IT"

#: EU member states (ISO 3166-1), for the ``italiana`` / ``ue`` / ``extra_ue`` classes that the
#: regolamenti use. Since 1 February 2020 (the United Kingdom left).
STATI_UE = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip


class Sesso(models.TextChoices):
    MASCHIO = "M", _("Maschio")
    FEMMINA = "F", _("Femmina")


class Persona(TenantScoped):
    """A person known to the ente's social services (one row per ente and codice fiscale)."""

    cognome = models.CharField(_("cognome"), max_length=100)
    nome = models.CharField(_("nome"), max_length=100)
    codice_fiscale = models.CharField(_("codice fiscale"), max_length=16)
    sesso = models.CharField(_("sesso"), max_length=1, choices=Sesso.choices)
    data_nascita = models.DateField(_("data di nascita"))
    nascita_codice_catastale = models.CharField(
        _("codice catastale del luogo di nascita"),
        max_length=4,
        help_text=_("Codice Belfiore del comune, o Z... per uno Stato estero."),
    )
    nascita_codice_istat = models.CharField(
        _("codice ISTAT del comune di nascita"),
        max_length=6,
        blank=True,
        help_text=_("Vuoto per uno Stato estero o un comune che non esiste più."),
    )
    nascita_luogo = models.CharField(_("luogo di nascita"), max_length=100)
    cittadinanza = models.CharField(
        _("cittadinanza"),
        max_length=2,
        default=ITALIA,
        help_text=_("Codice ISO 3166-1 dello Stato (IT: italiana)."),
    )
    residenza_codice_istat = models.CharField(
        _("codice ISTAT del comune di residenza"), max_length=6, blank=True
    )
    residenza_comune = models.CharField(_("comune di residenza"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    chiave_ricerca = models.CharField(max_length=300, editable=False, default="")
    creato_il = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)

    objects = TenantManager["Persona"]()

    class Meta:
        verbose_name = _("persona")
        verbose_name_plural = _("persone")
        ordering: ClassVar = ["cognome", "nome", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["ente", "codice_fiscale"],
                name="persona_codice_fiscale_unico_per_ente",
                violation_error_message=_(
                    "Esiste già una persona con questo codice fiscale in questo ente."
                ),
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["ente", "cognome", "nome"], name="persona_ente_nome"),
        ]

    def __str__(self) -> str:
        return f"{self.cognome} {self.nome}"

    @property
    def nato_all_estero(self) -> bool:
        return self.nascita_codice_catastale.upper().startswith("Z")

    @property
    def cittadinanza_nome(self) -> str:
        return territorio.paese(self.cittadinanza)

    @property
    def classe_cittadinanza(self) -> str:
        """``italiana``, ``ue`` or ``extra_ue`` (the values of the regolamenti vocabulary)."""
        if self.cittadinanza == ITALIA:
            return "italiana"
        return "ue" if self.cittadinanza in STATI_UE else "extra_ue"

    def eta(self, il: dt.date | None = None) -> int:
        giorno = il or timezone.localdate()
        anni = giorno.year - self.data_nascita.year
        return anni - (
            (giorno.month, giorno.day) < (self.data_nascita.month, self.data_nascita.day)
        )

    def clean(self) -> None:
        self.codice_fiscale = normalizza_codice_fiscale(self.codice_fiscale or "")
        errori: dict[str, str] = {}
        errore = errore_codice_fiscale(self.codice_fiscale)
        if errore:
            errori["codice_fiscale"] = errore
        else:
            dati = dati_del_codice(self.codice_fiscale)
            nel_codice = (
                territorio.luoghi_per_codice(dati.belfiore, self.data_nascita) if dati else []
            )
            for campo, messaggio in incoerenze(
                self.codice_fiscale,
                data_nascita=self.data_nascita,
                sesso=self.sesso,
                belfiore=self.nascita_codice_catastale,
                luogo_nel_codice=nel_codice[0].etichetta if nel_codice else None,
            ).items():
                errori["nascita_codice_catastale" if campo == "luogo_nascita" else campo] = (
                    messaggio
                )
        nascita: dt.date | None = self.data_nascita  # None when the field itself was invalid
        if nascita is not None and nascita > timezone.localdate():
            errori["data_nascita"] = gettext("La data di nascita è nel futuro.")
        if self.cittadinanza not in territorio.paesi():
            errori["cittadinanza"] = gettext("Stato sconosciuto.")
        if errori:
            raise ValidationError(errori)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.chiave_ricerca = chiave_ricerca(self.cognome, self.nome)
        super().save(*args, **kwargs)


def _stesso_ente(oggetto: Any, *collegati: Any) -> None:
    for collegato in collegati:
        if collegato is not None and collegato.ente_id != oggetto.ente_id:
            raise ValidationError(gettext("Dati di enti diversi non si possono collegare."))


class TipoIndirizzo(models.TextChoices):
    RESIDENZA = "residenza", _("Residenza")
    DOMICILIO = "domicilio", _("Domicilio")


class Indirizzo(TenantScoped):
    """The residence or the domicile of a person (at most one of each)."""

    persona = models.ForeignKey(
        Persona, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="indirizzi"
    )
    tipo = models.CharField(_("tipo"), max_length=20, choices=TipoIndirizzo.choices)
    via = models.CharField(_("via o piazza"), max_length=200)
    civico = models.CharField(_("numero civico"), max_length=20, blank=True)
    cap = models.CharField(
        _("CAP"),
        max_length=5,
        validators=[RegexValidator(r"^\d{5}$", _("Il CAP ha 5 cifre."))],
    )
    comune_codice_istat = models.CharField(_("codice ISTAT del comune"), max_length=6)
    comune = models.CharField(_("comune"), max_length=100)

    objects = TenantManager["Indirizzo"]()

    class Meta:
        verbose_name = _("indirizzo")
        verbose_name_plural = _("indirizzi")
        ordering: ClassVar = ["tipo"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["persona", "tipo"],
                name="indirizzo_uno_per_tipo",
                violation_error_message=_("La persona ha già un indirizzo di questo tipo."),
            )
        ]

    def __str__(self) -> str:
        civico = f" {self.civico}" if self.civico else ""
        return f"{self.via}{civico}, {self.cap} {self.comune}"

    def clean(self) -> None:
        _stesso_ente(self, getattr(self, "persona", None))
        comune = territorio.comune_per_istat(self.comune_codice_istat or "")
        if comune is None:
            raise ValidationError({"comune_codice_istat": gettext("Comune sconosciuto.")})
        if comune.cap and self.cap and self.cap not in comune.cap:
            raise ValidationError(
                {
                    "cap": gettext("Il CAP di %(comune)s è %(cap)s.")
                    % {"comune": comune.nome, "cap": ", ".join(comune.cap[:5])}
                    + ("…" if len(comune.cap) > 5 else "")
                }
            )


class TipoContatto(models.TextChoices):
    TELEFONO = "telefono", _("Telefono")
    EMAIL = "email", _("Email")
    PEC = "pec", _("PEC")


class Contatto(TenantScoped):
    """A telephone number, email or PEC address of a person."""

    persona = models.ForeignKey(
        Persona, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="contatti"
    )
    tipo = models.CharField(_("tipo"), max_length=20, choices=TipoContatto.choices)
    valore = models.CharField(_("recapito"), max_length=254)
    descrizione = models.CharField(
        _("descrizione"), max_length=100, blank=True, help_text=_("Es. «cellulare», «figlia».")
    )

    objects = TenantManager["Contatto"]()

    class Meta:
        verbose_name = _("contatto")
        verbose_name_plural = _("contatti")
        ordering: ClassVar = ["tipo", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["persona", "tipo", "valore"],
                name="contatto_unico",
                violation_error_message=_("La persona ha già questo recapito."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()}: {self.valore}"

    def clean(self) -> None:
        _stesso_ente(self, getattr(self, "persona", None))
        valore = (self.valore or "").strip()
        if self.tipo == TipoContatto.TELEFONO:
            numero = "".join(c for c in valore if c not in " ./-()")
            cifre = numero.removeprefix("+").removeprefix("00")
            if not cifre.isdigit() or not 6 <= len(cifre) <= 15:
                raise ValidationError(
                    {
                        "valore": gettext(
                            "Scrivi solo cifre (da 6 a 15), con + e prefisso internazionale "
                            "se estero: es. 011 1234567 o +39 333 1234567."
                        )
                    }
                )
            self.valore = numero
        else:
            try:
                validate_email(valore)
            except ValidationError:
                raise ValidationError(
                    {"valore": gettext("Indirizzo email non valido: es. nome@esempio.it.")}
                ) from None
            locale, dominio = valore.rsplit("@", 1)
            self.valore = f"{locale}@{dominio.lower()}"


class TipoNucleo(models.TextChoices):
    FAMIGLIA_ANAGRAFICA = "famiglia_anagrafica", _("Famiglia anagrafica")
    NUCLEO_ISEE = "nucleo_isee", _("Nucleo ISEE")


class Nucleo(TenantScoped):
    """A famiglia anagrafica or a nucleo ISEE: persons with their relationships."""

    tipo = models.CharField(_("tipo"), max_length=30, choices=TipoNucleo.choices)
    denominazione = models.CharField(
        _("denominazione"), max_length=200, help_text=_("Es. «Famiglia Rossi – via Roma»")
    )
    note = models.TextField(_("note"), blank=True)
    creato_il = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)

    objects = TenantManager["Nucleo"]()

    class Meta:
        verbose_name = _("nucleo")
        verbose_name_plural = _("nuclei")
        ordering: ClassVar = ["denominazione", "pk"]

    def __str__(self) -> str:
        return self.denominazione


class Relazione(models.TextChoices):
    """The relationship of a member to the intestatario/dichiarante: the INPS codes of the DSU
    (``equo.isee.model.RapportoConDichiarante``), so that a nucleo becomes a DSU unchanged."""

    DICHIARANTE = RapportoConDichiarante.DICHIARANTE.value, _("Intestatario / dichiarante")
    CONIUGE = RapportoConDichiarante.CONIUGE.value, _("Coniuge o unito civilmente")
    FIGLIO_MINORENNE = RapportoConDichiarante.FIGLIO_MINORENNE.value, _("Figlio minorenne")
    FIGLIO_AFFIDAMENTO_PREADOTTIVO = (
        RapportoConDichiarante.FIGLIO_AFFIDAMENTO_PREADOTTIVO.value,
        _("Minore in affidamento preadottivo"),
    )
    FIGLIO_MAGGIORENNE_CONVIVENTE = (
        RapportoConDichiarante.FIGLIO_MAGGIORENNE_CONVIVENTE.value,
        _("Figlio maggiorenne convivente"),
    )
    FIGLIO_MAGGIORENNE_NON_CONVIVENTE = (
        RapportoConDichiarante.FIGLIO_MAGGIORENNE_NON_CONVIVENTE.value,
        _("Figlio maggiorenne non convivente (a carico)"),
    )
    ALTRA_PERSONA = RapportoConDichiarante.ALTRA_PERSONA.value, _("Altra persona del nucleo")
    GENITORE_NON_CONVIVENTE = (
        RapportoConDichiarante.GENITORE_NON_CONVIVENTE.value,
        _("Genitore non convivente"),
    )


_FIGLI_MAGGIORENNI = {
    Relazione.FIGLIO_MAGGIORENNE_CONVIVENTE,
    Relazione.FIGLIO_MAGGIORENNE_NON_CONVIVENTE,
}


class Membro(TenantScoped):
    """A person in a nucleo, from ``dal`` to ``al`` (empty: still a member)."""

    nucleo = models.ForeignKey(
        Nucleo, verbose_name=_("nucleo"), on_delete=models.CASCADE, related_name="membri"
    )
    persona = models.ForeignKey(
        Persona, verbose_name=_("persona"), on_delete=models.PROTECT, related_name="appartenenze"
    )
    relazione = models.CharField(_("relazione"), max_length=3, choices=Relazione.choices)
    dal = models.DateField(_("dal"), default=timezone.localdate)
    al = models.DateField(_("al"), null=True, blank=True)

    objects = TenantManager["Membro"]()

    class Meta:
        verbose_name = _("componente")
        verbose_name_plural = _("componenti")
        ordering: ClassVar = ["dal", "pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(al__isnull=True) | Q(al__gte=models.F("dal")),
                name="membro_al_dopo_dal",
                violation_error_message=_("La fine viene prima dell'inizio."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.persona} – {self.get_relazione_display()} ({self.nucleo})"

    @property
    def attivo(self) -> bool:
        return self.al is None or self.al >= timezone.localdate()

    def _sovrapposti(self) -> models.QuerySet[Membro]:
        fine = self.al or dt.date.max
        # Model validation, like Django's own uniqueness checks: the rows compared belong to the
        # same person or nucleo (already checked to be of this ente), never shown to anybody.
        altri = Membro.objects.senza_scope().exclude(pk=self.pk).filter(dal__lte=fine)
        return altri.filter(Q(al__isnull=True) | Q(al__gte=self.dal))

    def clean(self) -> None:
        nucleo = getattr(self, "nucleo", None)
        persona = getattr(self, "persona", None)
        _stesso_ente(self, nucleo, persona)
        if nucleo is None or persona is None or self.dal is None:
            return
        if self.al is not None and self.al < self.dal:
            raise ValidationError({"al": gettext("La fine viene prima dell'inizio.")})
        errori: dict[str, str] = {}
        sovrapposti = self._sovrapposti()
        if sovrapposti.filter(nucleo=nucleo, persona=persona).exists():
            errori["persona"] = gettext("È già componente di questo nucleo in queste date.")
        elif (
            nucleo.tipo == TipoNucleo.FAMIGLIA_ANAGRAFICA
            and sovrapposti.filter(
                persona=persona, nucleo__tipo=TipoNucleo.FAMIGLIA_ANAGRAFICA
            ).exists()
        ):
            errori["persona"] = gettext(
                "Fa già parte di un'altra famiglia anagrafica in queste date: chiudi prima "
                "quell'appartenenza (data di fine)."
            )
        if (
            self.relazione == Relazione.DICHIARANTE
            and sovrapposti.filter(nucleo=nucleo, relazione=Relazione.DICHIARANTE).exists()
        ):
            errori["relazione"] = gettext("Il nucleo ha già un intestatario in queste date.")
        eta = persona.eta(self.dal)
        if self.relazione == Relazione.FIGLIO_MINORENNE and eta >= 18:
            errori["relazione"] = gettext(
                "Ha già 18 anni: scegli «figlio maggiorenne convivente» o «non convivente»."
            )
        elif self.relazione in _FIGLI_MAGGIORENNI and eta < 18:
            errori["relazione"] = gettext("È minorenne: scegli «figlio minorenne».")
        if errori:
            raise ValidationError(errori)


class TipoLegame(models.TextChoices):
    FAMILIARE_NON_CONVIVENTE = "familiare_non_convivente", _("Familiare non convivente")
    AMICO = "amico", _("Amico o conoscente")
    VICINO = "vicino", _("Vicino di casa")
    VOLONTARIO = "volontario", _("Volontario o associazione")
    SERVIZIO = "servizio", _("Servizio (sanitario, scolastico, del lavoro…)")
    AMMINISTRATORE_SOSTEGNO = "amministratore_sostegno", _("Amministratore di sostegno o tutore")
    ALTRO = "altro", _("Altro")


class LegameRete(TenantScoped):
    """A link of the person's rete sociale: another person of the anagrafe, or someone outside
    it (a name and how to reach them)."""

    persona = models.ForeignKey(
        Persona, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="legami"
    )
    tipo = models.CharField(_("tipo di legame"), max_length=30, choices=TipoLegame.choices)
    persona_collegata = models.ForeignKey(
        Persona,
        verbose_name=_("persona collegata"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    esterno_nome = models.CharField(_("nome (se non è in anagrafe)"), max_length=200, blank=True)
    esterno_recapito = models.CharField(_("recapito"), max_length=200, blank=True)
    descrizione = models.CharField(
        _("descrizione"), max_length=200, blank=True, help_text=_("Es. «figlia, vive a Torino».")
    )

    objects = TenantManager["LegameRete"]()

    class Meta:
        verbose_name = _("legame della rete sociale")
        verbose_name_plural = _("rete sociale")
        ordering: ClassVar = ["tipo", "pk"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(Q(persona_collegata__isnull=False) & Q(esterno_nome=""))
                | (Q(persona_collegata__isnull=True) & ~Q(esterno_nome="")),
                name="legame_persona_o_esterno",
                violation_error_message=_(
                    "Indica una persona dell'anagrafe oppure il nome di chi non c'è, non entrambi."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(persona_collegata=models.F("persona")),
                name="legame_non_con_se_stessi",
                violation_error_message=_("Una persona non è un legame di sé stessa."),
            ),
        ]

    def __str__(self) -> str:
        altro = self.persona_collegata if self.persona_collegata_id else self.esterno_nome
        return f"{self.persona} → {altro} ({self.get_tipo_display()})"

    def clean(self) -> None:
        _stesso_ente(self, getattr(self, "persona", None), self.persona_collegata)
