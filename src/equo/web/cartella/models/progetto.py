"""The progetto personalizzato, by versions: its objectives (with the final evaluation), the
impegni of the nucleo, the people responsible and the progress notes of the monitoraggio."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from equo.web.anagrafe.models import Persona
from equo.web.cartella.models.base import CartellaManager, _non_nel_futuro, _stesso_ente
from equo.web.cartella.models.caso import Caso
from equo.web.enti.scoping import TenantScoped


def _data_it(data: dt.date) -> str:
    return data.strftime("%d/%m/%Y")


class StatoProgetto(models.TextChoices):
    BOZZA = "bozza", _("Bozza")
    APPROVATO = "approvato", _("Approvato")
    IN_VIGORE = "in_vigore", _("In vigore")
    SUPERATO = "superato", _("Superato da una nuova versione")


#: The states of the version in force (at most one per case).
STATI_IN_VIGORE = frozenset({StatoProgetto.APPROVATO, StatoProgetto.IN_VIGORE})


class Progetto(TenantScoped):
    """One version of the progetto personalizzato (PaIS, PAI...) of a case.

    A case has at most one version **in force** and at most one **draft** being prepared:

    - ``bozza``: the version being prepared; it is the only one whose objectives, interventi,
      impegni and responsabili change;
    - ``approvato``: in force, approved by the responsabile di servizio (cases that require
      approval: approving puts the version in force);
    - ``in_vigore``: in force without approval (cases that do not require it): the draft comes
      into force when the case is activated (or revised), or when the case manager puts it in
      force while the progetto is already running;
    - ``superato``: a version replaced by a later one coming into force.

    Erogazioni, progress notes, final outcomes and verifiche belong to the version in force;
    the guards of the workflow read that version
    (:func:`equo.web.cartella.flusso.progetto_in_vigore`).
    """

    caso = models.ForeignKey(
        Caso, verbose_name=_("caso"), on_delete=models.CASCADE, related_name="progetti"
    )
    versione = models.PositiveIntegerField(_("versione"), editable=False)
    descrizione = models.TextField(_("descrizione e impegni del nucleo"))
    stato = models.CharField(
        _("stato"), max_length=20, choices=StatoProgetto.choices, default=StatoProgetto.BOZZA
    )
    data_accordo = models.DateField(
        _("data dell'accordo con la famiglia"),
        null=True,
        blank=True,
        help_text=_("Il giorno in cui il progetto è stato condiviso e sottoscritto."),
    )
    prossima_verifica = models.DateField(_("prossima verifica"), null=True, blank=True)
    approvato_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approvato da"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approvato_il = models.DateTimeField(_("approvato il"), null=True, blank=True)
    creato_il = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)

    objects = CartellaManager["Progetto"]()

    class Meta:
        verbose_name = _("progetto personalizzato")
        verbose_name_plural = _("progetti personalizzati")
        ordering: ClassVar = ["caso", "-versione"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["caso", "versione"], name="progetto_versione_unica")
        ]

    def __str__(self) -> str:
        return gettext("Progetto, versione %(versione)s") % {"versione": self.versione}

    @property
    def in_vigore(self) -> bool:
        return self.stato in STATI_IN_VIGORE

    def clean(self) -> None:
        _stesso_ente(self, getattr(self, "caso", None))
        _non_nel_futuro("data_accordo", self.data_accordo)
        accordo: dt.date | None = self.data_accordo  # None when the field itself was invalid
        verifica: dt.date | None = self.prossima_verifica
        if accordo is not None and verifica is not None and verifica < accordo:
            raise ValidationError(
                {
                    "prossima_verifica": gettext(
                        "La verifica non può precedere l'accordo con la famiglia (%(data)s)."
                    )
                    % {"data": _data_it(accordo)}
                }
            )


class EsitoObiettivo(models.TextChoices):
    RAGGIUNTO = "raggiunto", _("Raggiunto")
    PARZIALE = "parziale", _("Parzialmente raggiunto")
    NON_RAGGIUNTO = "non_raggiunto", _("Non raggiunto")


class Obiettivo(TenantScoped):
    """An objective of the progetto, with its final evaluation."""

    progetto = models.ForeignKey(
        Progetto, verbose_name=_("progetto"), on_delete=models.CASCADE, related_name="obiettivi"
    )
    persona = models.ForeignKey(
        Persona,
        verbose_name=_("componente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vuoto: riguarda l'intero nucleo."),
    )
    descrizione = models.CharField(_("obiettivo"), max_length=300)
    risultato_atteso = models.TextField(_("risultato atteso"))
    indicatore = models.CharField(_("indicatore"), max_length=300)
    scadenza = models.DateField(_("scadenza"))
    esito_finale = models.CharField(
        _("esito finale"), max_length=20, choices=EsitoObiettivo.choices, blank=True
    )
    nota_esito = models.TextField(_("nota sull'esito"), blank=True)

    campo_caso: ClassVar[str] = "progetto__caso"
    objects = CartellaManager["Obiettivo"]()

    class Meta:
        verbose_name = _("obiettivo")
        verbose_name_plural = _("obiettivi")
        ordering: ClassVar = ["scadenza", "pk"]

    def __str__(self) -> str:
        return self.descrizione

    def clean(self) -> None:
        progetto = getattr(self, "progetto", None)
        _stesso_ente(self, progetto, self.persona)
        scadenza: dt.date | None = self.scadenza  # None when the field itself was invalid
        inizio = progetto.data_accordo if progetto is not None else None
        if scadenza is not None and inizio is not None and scadenza < inizio:
            raise ValidationError(
                {
                    "scadenza": gettext(
                        "La scadenza non può precedere l'accordo con la famiglia (%(data)s)."
                    )
                    % {"data": _data_it(inizio)}
                }
            )


class ImpegnoProgetto(TenantScoped):
    """A commitment taken by the nucleo (or one of its members) in the progetto."""

    progetto = models.ForeignKey(
        Progetto, verbose_name=_("progetto"), on_delete=models.CASCADE, related_name="impegni"
    )
    persona = models.ForeignKey(
        Persona,
        verbose_name=_("componente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vuoto: impegno dell'intero nucleo."),
    )
    descrizione = models.CharField(_("impegno"), max_length=300)
    scadenza = models.DateField(_("entro il"), null=True, blank=True)

    campo_caso: ClassVar[str] = "progetto__caso"
    objects = CartellaManager["ImpegnoProgetto"]()

    class Meta:
        verbose_name = _("impegno del nucleo")
        verbose_name_plural = _("impegni del nucleo")
        ordering: ClassVar = ["pk"]

    def __str__(self) -> str:
        return self.descrizione

    def clean(self) -> None:
        progetto = getattr(self, "progetto", None)
        _stesso_ente(self, progetto, self.persona)
        if not (self.descrizione or "").strip():
            raise ValidationError({"descrizione": gettext("Descrivi l'impegno.")})
        scadenza: dt.date | None = self.scadenza
        inizio = progetto.data_accordo if progetto is not None else None
        if scadenza is not None and inizio is not None and scadenza < inizio:
            raise ValidationError(
                {
                    "scadenza": gettext(
                        "La scadenza non può precedere l'accordo con la famiglia (%(data)s)."
                    )
                    % {"data": _data_it(inizio)}
                }
            )


class ResponsabileProgetto(TenantScoped):
    """A person responsible for (part of) the progetto: a user of Equo and their role."""

    progetto = models.ForeignKey(
        Progetto, verbose_name=_("progetto"), on_delete=models.CASCADE, related_name="responsabili"
    )
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona responsabile"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ruolo = models.CharField(
        _("ruolo nel progetto"), max_length=150, help_text=_("Es. referente per il lavoro.")
    )

    campo_caso: ClassVar[str] = "progetto__caso"
    objects = CartellaManager["ResponsabileProgetto"]()

    class Meta:
        verbose_name = _("responsabile del progetto")
        verbose_name_plural = _("responsabili del progetto")
        ordering: ClassVar = ["pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["progetto", "utente"], name="responsabile_progetto_unico"
            )
        ]

    def __str__(self) -> str:
        return f"{self.utente} ({self.ruolo})"

    def clean(self) -> None:
        _stesso_ente(self, getattr(self, "progetto", None))
        if not (self.ruolo or "").strip():
            raise ValidationError({"ruolo": gettext("Indica il ruolo nel progetto.")})


class Avanzamento(models.TextChoices):
    NESSUNO = "nessuno", _("Nessun avanzamento")
    PARZIALE = "parziale", _("Parziale")
    BUONO = "buono", _("Buono")
    RAGGIUNTO = "raggiunto", _("Raggiunto")


class NotaMonitoraggio(TenantScoped):
    """A progress note on an objective, written while the progetto is active or monitored."""

    obiettivo = models.ForeignKey(
        Obiettivo,
        verbose_name=_("obiettivo"),
        on_delete=models.CASCADE,
        related_name="note_monitoraggio",
    )
    data = models.DateField(_("data"))
    testo = models.TextField(_("nota"))
    avanzamento = models.CharField(_("avanzamento"), max_length=20, choices=Avanzamento.choices)
    autore = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autore"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    creato_il = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)

    campo_caso: ClassVar[str] = "obiettivo__progetto__caso"
    objects = CartellaManager["NotaMonitoraggio"]()

    class Meta:
        verbose_name = _("nota di monitoraggio")
        verbose_name_plural = _("note di monitoraggio")
        ordering: ClassVar = ["-data", "-pk"]

    def __str__(self) -> str:
        return gettext("Nota del %(data)s") % {"data": _data_it(self.data)}

    def clean(self) -> None:
        obiettivo = getattr(self, "obiettivo", None)
        _stesso_ente(self, obiettivo)
        errori: dict[str, str] = {}
        if not (self.testo or "").strip():
            errori["testo"] = gettext("Scrivi il testo della nota.")
        data: dt.date | None = self.data  # None when the field itself was invalid
        if data is not None and data > timezone.localdate():
            errori["data"] = gettext("La data è nel futuro.")
        elif data is not None and obiettivo is not None:
            progetto = obiettivo.progetto
            inizio = progetto.data_accordo or progetto.caso.aperto_il
            if data < inizio:
                errori["data"] = gettext(
                    "La nota non può precedere l'inizio del progetto (%(data)s)."
                ) % {"data": _data_it(inizio)}
        if errori:
            raise ValidationError(errori)


class DecisioneVerifica(models.TextChoices):
    PROSEGUE = "prosegue", _("Il progetto prosegue")
    DA_RIVEDERE = "da_rivedere", _("Il progetto va rivisto")
    DA_CONCLUDERE = "da_concludere", _("Il progetto va concluso")


class VerificaProgetto(TenantScoped):
    """A scheduled review of the version in force: when it was held, who took part, what was
    found, the decision and the date of the next review (which becomes the progetto's
    ``prossima_verifica``)."""

    progetto = models.ForeignKey(
        Progetto, verbose_name=_("progetto"), on_delete=models.CASCADE, related_name="verifiche"
    )
    data = models.DateField(_("data della verifica"))
    partecipanti = models.TextField(_("chi ha partecipato"))
    esito = models.TextField(_("che cosa è emerso"))
    decisione = models.CharField(_("decisione"), max_length=20, choices=DecisioneVerifica.choices)
    prossima_verifica = models.DateField(_("prossima verifica"), null=True, blank=True)
    registrata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrata da"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    creato_il = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)

    campo_caso: ClassVar[str] = "progetto__caso"
    objects = CartellaManager["VerificaProgetto"]()

    class Meta:
        verbose_name = _("verifica del progetto")
        verbose_name_plural = _("verifiche del progetto")
        ordering: ClassVar = ["-data", "-pk"]

    def __str__(self) -> str:
        return gettext("Verifica del %(data)s") % {"data": _data_it(self.data)}

    def clean(self) -> None:
        progetto = getattr(self, "progetto", None)
        _stesso_ente(self, progetto)
        errori: dict[str, str] = {}
        if not (self.partecipanti or "").strip():
            errori["partecipanti"] = gettext("Indica chi ha partecipato alla verifica.")
        if not (self.esito or "").strip():
            errori["esito"] = gettext("Scrivi che cosa è emerso dalla verifica.")
        data: dt.date | None = self.data  # None when the field itself was invalid
        prossima: dt.date | None = self.prossima_verifica
        if data is not None and data > timezone.localdate():
            errori["data"] = gettext("La data è nel futuro.")
        elif data is not None and progetto is not None:
            inizio = progetto.data_accordo or progetto.caso.aperto_il
            if data < inizio:
                errori["data"] = gettext(
                    "La verifica non può precedere l'inizio del progetto (%(data)s)."
                ) % {"data": _data_it(inizio)}
        if data is not None and prossima is not None and prossima <= data:
            errori["prossima_verifica"] = gettext(
                "La prossima verifica deve essere dopo questa (%(data)s)."
            ) % {"data": _data_it(data)}
        if self.decisione == DecisioneVerifica.PROSEGUE and prossima is None:
            errori["prossima_verifica"] = gettext(
                "Se il progetto prosegue, fissa la data della prossima verifica."
            )
        if errori:
            raise ValidationError(errori)
