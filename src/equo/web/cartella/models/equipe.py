"""The équipe multidisciplinare of a case: its members (users of Equo of any ente, or external
people) with their role, and its meetings (convened, held with minutes, or cancelled)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from equo.web.cartella.models.base import CartellaManager, _stesso_ente
from equo.web.cartella.models.caso import Caso
from equo.web.enti.scoping import TenantScoped


class RuoloEquipe(models.TextChoices):
    SOCIALE = "sociale", _("Sociale")
    SANITARIO = "sanitario", _("Sanitario")
    SCUOLA = "scuola", _("Scuola")
    LAVORO = "lavoro", _("Lavoro")
    ALTRO = "altro", _("Altro")


class Equipe(TenantScoped):
    """The équipe multidisciplinare of a case."""

    caso = models.OneToOneField(
        Caso, verbose_name=_("caso"), on_delete=models.CASCADE, related_name="equipe"
    )
    costituita_il = models.DateField(_("costituita il"), default=timezone.localdate)

    objects = CartellaManager["Equipe"]()

    class Meta:
        verbose_name = _("équipe multidisciplinare")
        verbose_name_plural = _("équipe multidisciplinari")

    def __str__(self) -> str:
        return gettext("Équipe del caso n. %(numero)s") % {"numero": self.caso_id}


class MembroEquipe(TenantScoped):
    """A member of an équipe: a user of Equo (of any ente) or an external person."""

    equipe = models.ForeignKey(
        Equipe, verbose_name=_("équipe"), on_delete=models.CASCADE, related_name="membri"
    )
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente di Equo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    nome_esterno = models.CharField(
        _("nome (se esterno)"),
        max_length=200,
        blank=True,
        help_text=_("Per chi non usa Equo: non potrà leggere il caso."),
    )
    servizio = models.CharField(
        _("servizio o ente di provenienza"),
        max_length=200,
        help_text=_(
            "Es. ASL TO3 – consultorio familiare, Istituto comprensivo, centro per l'impiego."
        ),
    )
    ruolo = models.CharField(_("ruolo"), max_length=20, choices=RuoloEquipe.choices)
    attivo = models.BooleanField(_("attivo"), default=True)

    campo_caso: ClassVar[str] = "equipe__caso"
    objects = CartellaManager["MembroEquipe"]()

    class Meta:
        verbose_name = _("membro dell'équipe")
        verbose_name_plural = _("membri dell'équipe")
        ordering: ClassVar = ["ruolo", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["equipe", "utente"],
                name="membro_equipe_unico",
                condition=Q(utente__isnull=False),
                violation_error_message=_("Questa persona è già nell'équipe."),
            )
        ]

    def __str__(self) -> str:
        nome = self.nome_esterno or (str(self.utente) if self.utente_id else "")
        return f"{nome} ({self.servizio})"

    @property
    def nome(self) -> str:
        if self.utente_id is not None and self.utente is not None:
            return self.utente.get_full_name() or self.utente.get_username()
        return self.nome_esterno

    def clean(self) -> None:
        _stesso_ente(self, getattr(self, "equipe", None))
        if (self.utente_id is None) == (not self.nome_esterno.strip()):
            raise ValidationError(
                gettext(
                    "Indica un utente di Equo oppure il nome di una persona esterna (uno solo)."
                )
            )


class StatoRiunione(models.TextChoices):
    CONVOCATA = "convocata", _("Convocata")
    SVOLTA = "svolta", _("Svolta")
    ANNULLATA = "annullata", _("Annullata")


class RiunioneEquipe(TenantScoped):
    """A meeting of the équipe: convened (future date, the members called), then held (the
    members present and the minutes) or cancelled. Read with the équipe section of the case."""

    equipe = models.ForeignKey(
        Equipe, verbose_name=_("équipe"), on_delete=models.CASCADE, related_name="riunioni"
    )
    data_ora = models.DateTimeField(_("data e ora"))
    luogo = models.CharField(_("luogo"), max_length=200)
    ordine_del_giorno = models.TextField(_("ordine del giorno"))
    convocati = models.ManyToManyField(
        MembroEquipe, verbose_name=_("convocati"), related_name="convocazioni", blank=True
    )
    presenti = models.ManyToManyField(
        MembroEquipe, verbose_name=_("presenti"), related_name="presenze", blank=True
    )
    verbale = models.TextField(_("verbale"), blank=True)
    stato = models.CharField(
        _("stato"), max_length=20, choices=StatoRiunione.choices, default=StatoRiunione.CONVOCATA
    )
    motivo_annullamento = models.TextField(_("motivo dell'annullamento"), blank=True)
    convocata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("convocata da"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    creato_il = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)

    campo_caso: ClassVar[str] = "equipe__caso"
    objects = CartellaManager["RiunioneEquipe"]()

    class Meta:
        verbose_name = _("riunione dell'équipe")
        verbose_name_plural = _("riunioni dell'équipe")
        ordering: ClassVar = ["-data_ora", "-pk"]

    def __str__(self) -> str:
        return gettext("Riunione del %(data)s") % {
            "data": timezone.localtime(self.data_ora).strftime("%d/%m/%Y %H:%M")
        }

    def clean(self) -> None:
        _stesso_ente(self, getattr(self, "equipe", None))
        errori: dict[str, str] = {}
        if not (self.ordine_del_giorno or "").strip():
            errori["ordine_del_giorno"] = gettext("L'ordine del giorno è obbligatorio.")
        if self.stato == StatoRiunione.SVOLTA:
            data_ora: dt.datetime | None = self.data_ora  # None when the field was invalid
            if data_ora is not None and data_ora > timezone.now():
                errori["verbale"] = gettext(
                    "La riunione non si è ancora svolta: il verbale si scrive dopo."
                )
            if not (self.verbale or "").strip():
                errori["verbale"] = gettext("Il verbale è obbligatorio.")
        if self.stato == StatoRiunione.ANNULLATA and not self.motivo_annullamento.strip():
            errori["motivo_annullamento"] = gettext("Indica il motivo dell'annullamento.")
        if errori:
            raise ValidationError(errori)
