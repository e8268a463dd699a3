"""The assessments of a case: the analisi preliminare with its dimensions (need level and
resources, for the nucleo or a member) and the quadro di analisi with one section per équipe
member."""

from __future__ import annotations

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
from equo.web.cartella.models.equipe import MembroEquipe
from equo.web.enti.scoping import TenantScoped


class Dimensione(models.TextChoices):
    """The dimensions of the analisi preliminare and quadro di analisi (ReI/RdC/ADI lineage)."""

    SALUTE = "salute", _("Salute e autonomia")
    ECONOMICA = "economica", _("Situazione economica")
    LAVORO = "lavoro", _("Lavoro e occupabilità")
    ISTRUZIONE = "istruzione", _("Istruzione e formazione")
    ABITAZIONE = "abitazione", _("Abitazione")
    RETI = "reti", _("Reti familiari e sociali")


class LivelloBisogno(models.TextChoices):
    NESSUNO = "nessuno", _("Nessun bisogno")
    LIEVE = "lieve", _("Bisogno lieve")
    MODERATO = "moderato", _("Bisogno moderato")
    GRAVE = "grave", _("Bisogno grave")


class EsitoAnalisi(models.TextChoices):
    PROGETTO_SEMPLICE = "progetto_semplice", _("Progetto semplificato (bisogni semplici)")
    QUADRO_EQUIPE = "quadro_equipe", _("Quadro di analisi con l'équipe (bisogni complessi)")
    SERVIZIO_SPECIALISTICO = "servizio_specialistico", _("Invio a un servizio specialistico")
    CENTRO_IMPIEGO = "centro_impiego", _("Invio al centro per l'impiego")


#: The outcomes that send the person to another service (named in ``servizio_invio``): the case
#: goes on with that service, not with a progetto of this one.
ESITI_INVIO = frozenset({EsitoAnalisi.SERVIZIO_SPECIALISTICO, EsitoAnalisi.CENTRO_IMPIEGO})

#: The closure reason (``dati/motivi_chiusura.csv``) matching each sending outcome.
MOTIVO_CHIUSURA_INVIO: dict[str, str] = {
    EsitoAnalisi.SERVIZIO_SPECIALISTICO: "invio_servizio_specialistico",
    EsitoAnalisi.CENTRO_IMPIEGO: "invio_centro_impiego",
}


class AnalisiPreliminare(TenantScoped):
    """The pre-assessment of a case (one per case; it can be revised until the case closes)."""

    caso = models.OneToOneField(
        Caso, verbose_name=_("caso"), on_delete=models.CASCADE, related_name="analisi"
    )
    data = models.DateField(_("data"))
    esito = models.CharField(_("esito"), max_length=30, choices=EsitoAnalisi.choices)
    sintesi = models.TextField(_("sintesi"))
    servizio_invio = models.CharField(
        _("servizio a cui è inviata la persona"),
        max_length=200,
        blank=True,
        help_text=_(
            "Obbligatorio se l'esito è l'invio a un servizio specialistico o al centro per "
            "l'impiego (es. «SerD ASL TO3», «Centro per l'impiego di Pinerolo»)."
        ),
    )
    compilata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compilata da"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = CartellaManager["AnalisiPreliminare"]()

    class Meta:
        verbose_name = _("analisi preliminare")
        verbose_name_plural = _("analisi preliminari")

    def __str__(self) -> str:
        return gettext("Analisi preliminare del caso n. %(numero)s") % {"numero": self.caso_id}

    def clean(self) -> None:
        _stesso_ente(self, getattr(self, "caso", None))
        _non_nel_futuro("data", self.data)
        self.servizio_invio = (self.servizio_invio or "").strip()
        if self.esito in ESITI_INVIO and not self.servizio_invio:
            raise ValidationError(
                {
                    "servizio_invio": gettext(
                        "Con l'esito «%(esito)s» indica il servizio a cui è inviata la persona."
                    )
                    % {"esito": EsitoAnalisi(self.esito).label}
                }
            )


class DimensioneAnalisi(TenantScoped):
    """Need level and resources of one dimension, for the nucleo or for one of its members."""

    analisi = models.ForeignKey(
        AnalisiPreliminare,
        verbose_name=_("analisi"),
        on_delete=models.CASCADE,
        related_name="dimensioni",
    )
    dimensione = models.CharField(_("dimensione"), max_length=20, choices=Dimensione.choices)
    persona = models.ForeignKey(
        Persona,
        verbose_name=_("componente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vuoto: riguarda l'intero nucleo."),
    )
    livello = models.CharField(
        _("livello di bisogno"), max_length=20, choices=LivelloBisogno.choices
    )
    risorse = models.TextField(_("risorse"), blank=True)

    campo_caso: ClassVar[str] = "analisi__caso"
    objects = CartellaManager["DimensioneAnalisi"]()

    class Meta:
        verbose_name = _("dimensione dell'analisi")
        verbose_name_plural = _("dimensioni dell'analisi")
        ordering: ClassVar = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_dimensione_display()}: {self.get_livello_display()}"


class QuadroAnalisi(TenantScoped):
    """The in-depth assessment by the équipe: the case manager's synthesis plus one section per
    member (:class:`ContributoQuadro`)."""

    caso = models.OneToOneField(
        Caso, verbose_name=_("caso"), on_delete=models.CASCADE, related_name="quadro"
    )
    avviato_il = models.DateField(_("avviato il"), default=timezone.localdate)
    sintesi = models.TextField(_("sintesi del case manager"), blank=True)
    concluso_il = models.DateField(_("concluso il"), null=True, blank=True)

    objects = CartellaManager["QuadroAnalisi"]()

    class Meta:
        verbose_name = _("quadro di analisi")
        verbose_name_plural = _("quadri di analisi")

    def __str__(self) -> str:
        return gettext("Quadro di analisi del caso n. %(numero)s") % {"numero": self.caso_id}

    def clean(self) -> None:
        if self.concluso_il is not None and self.concluso_il < self.avviato_il:
            raise ValidationError(
                {"concluso_il": gettext("La conclusione non può precedere l'avvio.")}
            )


class ContributoQuadro(TenantScoped):
    """The section of the quadro di analisi written by one member of the équipe."""

    quadro = models.ForeignKey(
        QuadroAnalisi, verbose_name=_("quadro"), on_delete=models.CASCADE, related_name="contributi"
    )
    membro = models.ForeignKey(
        MembroEquipe, verbose_name=_("membro"), on_delete=models.PROTECT, related_name="+"
    )
    testo = models.TextField(_("valutazione"))
    aggiornato_il = models.DateTimeField(_("aggiornato il"), default=timezone.now)

    campo_caso: ClassVar[str] = "quadro__caso"
    objects = CartellaManager["ContributoQuadro"]()

    class Meta:
        verbose_name = _("contributo al quadro di analisi")
        verbose_name_plural = _("contributi al quadro di analisi")
        ordering: ClassVar = ["pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["quadro", "membro"], name="contributo_uno_per_membro")
        ]

    def __str__(self) -> str:
        return gettext("Contributo n. %(numero)s") % {"numero": self.pk}
