"""The sostegni of the progetto, classified with the SIUSS list of prestazioni, and their
erogazioni (period, hours or amount, and the quote of ente, utente and SSN)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from equo.regolamenti.siuss import etichetta_siuss
from equo.web.cartella.models.base import _SOLDI, CartellaManager, _stesso_ente
from equo.web.cartella.models.progetto import Obiettivo, Progetto
from equo.web.enti.scoping import TenantScoped


def _euro(valore: Decimal | int) -> str:
    return f"{Decimal(valore):.2f}".replace(".", ",")


class Intervento(TenantScoped):
    """A sostegno of the progetto, classified with the SIUSS list of prestazioni."""

    progetto = models.ForeignKey(
        Progetto, verbose_name=_("progetto"), on_delete=models.CASCADE, related_name="interventi"
    )
    obiettivo = models.ForeignKey(
        Obiettivo,
        verbose_name=_("obiettivo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interventi",
    )
    codice_siuss = models.CharField(
        _("codice SIUSS della prestazione"),
        max_length=12,
        help_text=_("Dalla lista SIUSS tipo_categoria_prestazione, es. A1.05.01."),
    )
    descrizione = models.CharField(_("descrizione"), max_length=300, blank=True)
    erogatore = models.CharField(_("erogatore"), max_length=200)
    frequenza = models.CharField(
        _("frequenza"), max_length=100, blank=True, help_text=_("Es. 2 ore a settimana, mensile.")
    )
    inizio = models.DateField(_("inizio"))
    fine = models.DateField(_("fine"), null=True, blank=True)
    costo = models.DecimalField(_("costo previsto (€)"), null=True, blank=True, **_SOLDI)
    compartecipazione = models.DecimalField(
        _("compartecipazione dell'utente (€)"), null=True, blank=True, **_SOLDI
    )

    campo_caso: ClassVar[str] = "progetto__caso"
    objects = CartellaManager["Intervento"]()

    class Meta:
        verbose_name = _("intervento")
        verbose_name_plural = _("interventi")
        ordering: ClassVar = ["inizio", "pk"]

    def __str__(self) -> str:
        return f"{self.codice_siuss} {self.etichetta_siuss}"

    @property
    def etichetta_siuss(self) -> str:
        return etichetta_siuss(self.codice_siuss) or ""

    def clean(self) -> None:
        progetto = getattr(self, "progetto", None)
        _stesso_ente(self, progetto)
        errori: dict[str, str] = {}
        codice = (self.codice_siuss or "").strip().upper()
        self.codice_siuss = codice
        if not codice:
            errori["codice_siuss"] = gettext("Ogni intervento va classificato con un codice SIUSS.")
        elif etichetta_siuss(codice) is None:
            errori["codice_siuss"] = gettext(
                "Il codice %(codice)s non è nella lista SIUSS delle prestazioni."
            ) % {"codice": codice}
        inizio: dt.date | None = self.inizio  # None when the field itself was invalid
        if inizio is not None and self.fine is not None and self.fine < inizio:
            errori["fine"] = gettext("La fine non può precedere l'inizio.")
        if (
            self.costo is not None
            and self.compartecipazione is not None
            and self.compartecipazione > self.costo
        ):
            errori["compartecipazione"] = gettext("La compartecipazione non può superare il costo.")
        if (
            self.obiettivo_id is not None
            and progetto is not None
            and self.obiettivo is not None
            and self.obiettivo.progetto_id != progetto.pk
        ):
            errori["obiettivo"] = gettext("L'obiettivo è di un altro progetto.")
        if errori:
            raise ValidationError(errori)


class Erogazione(TenantScoped):
    """A delivery of an intervento: a period, hours or an amount, and who paid what."""

    intervento = models.ForeignKey(
        Intervento,
        verbose_name=_("intervento"),
        on_delete=models.CASCADE,
        related_name="erogazioni",
    )
    dal = models.DateField(_("dal"))
    al = models.DateField(_("al"))
    ore = models.DecimalField(
        _("ore"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    importo = models.DecimalField(_("importo (€)"), null=True, blank=True, **_SOLDI)
    quota_ente = models.DecimalField(_("quota dell'ente (€)"), default=Decimal(0), **_SOLDI)
    quota_utente = models.DecimalField(_("quota dell'utente (€)"), default=Decimal(0), **_SOLDI)
    quota_ssn = models.DecimalField(_("quota del SSN (€)"), default=Decimal(0), **_SOLDI)
    note = models.TextField(_("note"), blank=True)

    campo_caso: ClassVar[str] = "intervento__progetto__caso"
    objects = CartellaManager["Erogazione"]()

    class Meta:
        verbose_name = _("erogazione")
        verbose_name_plural = _("erogazioni")
        ordering: ClassVar = ["-dal", "-pk"]

    def __str__(self) -> str:
        return gettext("Erogazione dal %(dal)s al %(al)s") % {"dal": self.dal, "al": self.al}

    def clean(self) -> None:
        intervento = getattr(self, "intervento", None)
        _stesso_ente(self, intervento)
        errori: dict[str, str] = {}
        dal: dt.date | None = self.dal  # None when the field itself was invalid
        al: dt.date | None = self.al
        if dal is not None and al is not None and al < dal:
            errori["al"] = gettext("La fine del periodo non può precedere l'inizio.")
        if intervento is not None and dal is not None and dal < intervento.inizio:
            errori["dal"] = gettext("L'intervento inizia il %(data)s.") % {
                "data": intervento.inizio.strftime("%d/%m/%Y")
            }
        if (
            intervento is not None
            and intervento.fine is not None
            and al is not None
            and al > intervento.fine
        ):
            errori["al"] = gettext("L'intervento finisce il %(data)s.") % {
                "data": intervento.fine.strftime("%d/%m/%Y")
            }
        if self.ore is None and self.importo is None:
            errori["ore"] = gettext("Indica le ore o l'importo erogato.")
        # The quotas split the amount paid: with an amount they add up to it exactly; with
        # hours only (no amount) there is nothing to split, so they stay at zero.
        quote = (self.quota_ente or 0) + (self.quota_utente or 0) + (self.quota_ssn or 0)
        if self.importo is not None and quote != self.importo:
            errori["quota_ente"] = gettext(
                "Le quote (ente, utente, SSN) sommano a %(somma)s €, non all'importo di "
                "%(importo)s €."
            ) % {"somma": _euro(quote), "importo": _euro(self.importo)}
        elif self.importo is None and self.ore is not None and quote:
            errori["importo"] = gettext(
                "Le quote ripartiscono un importo: indica l'importo erogato, oppure lascia le "
                "quote a zero se registri solo le ore."
            )
        if errori:
            raise ValidationError(errori)
