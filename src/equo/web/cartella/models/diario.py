"""The diario sociale: dated entries (colloquio, visita domiciliare, telefonata, relazione),
optionally riservate, and their attachments stored outside the web root."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from equo.web.cartella.models.base import CartellaManager, _non_nel_futuro, _stesso_ente
from equo.web.cartella.models.caso import Caso
from equo.web.enti.scoping import TenantScoped


def massimo_allegati_per_voce() -> int:
    """How many files one diario entry may carry (``settings.EQUO_ALLEGATI_MAX_PER_VOCE``,
    a positive integer checked where the settings read the environment)."""
    valore: int = settings.EQUO_ALLEGATI_MAX_PER_VOCE
    return valore


class TipoVoce(models.TextChoices):
    COLLOQUIO = "colloquio", _("Colloquio")
    VISITA_DOMICILIARE = "visita_domiciliare", _("Visita domiciliare")
    TELEFONATA = "telefonata", _("Telefonata")
    RELAZIONE = "relazione", _("Relazione")


class VoceDiario(TenantScoped):
    """A dated entry of the diario sociale; ``riservata`` limits it to case manager and
    responsabile di servizio."""

    caso = models.ForeignKey(
        Caso, verbose_name=_("caso"), on_delete=models.CASCADE, related_name="diario"
    )
    data = models.DateField(_("data"))
    tipo = models.CharField(_("tipo"), max_length=20, choices=TipoVoce.choices)
    testo = models.TextField(_("testo"))
    riservata = models.BooleanField(
        _("riservata"),
        default=False,
        help_text=_("Leggibile solo dal case manager e dal responsabile di servizio."),
    )
    autore = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autore"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    creato_il = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)

    objects = CartellaManager["VoceDiario"]()

    class Meta:
        verbose_name = _("voce del diario")
        verbose_name_plural = _("voci del diario")
        ordering: ClassVar = ["-data", "-pk"]

    def __str__(self) -> str:
        return gettext("Voce di diario n. %(numero)s") % {"numero": self.pk}

    def clean(self) -> None:
        _stesso_ente(self, getattr(self, "caso", None))
        _non_nel_futuro("data", self.data)


class AllegatoDiario(TenantScoped):
    """A file attached to a diario entry, stored outside the web root (see
    :mod:`equo.web.cartella.allegati`); read with the entry's own rules (riservata or not)."""

    voce = models.ForeignKey(
        VoceDiario,
        verbose_name=_("voce del diario"),
        on_delete=models.CASCADE,
        related_name="allegati",
    )
    nome_originale = models.CharField(_("nome del file"), max_length=255)
    tipo_mime = models.CharField(_("tipo"), max_length=100)
    dimensione = models.PositiveBigIntegerField(_("dimensione (byte)"))
    nome_archivio = models.CharField(
        _("nome in archivio"), max_length=100, unique=True, editable=False
    )
    caricato_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caricato da"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    creato_il = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)

    campo_caso: ClassVar[str] = "voce__caso"
    objects = CartellaManager["AllegatoDiario"]()

    class Meta:
        verbose_name = _("allegato del diario")
        verbose_name_plural = _("allegati del diario")
        ordering: ClassVar = ["pk"]

    def __str__(self) -> str:
        return self.nome_originale

    def clean(self) -> None:
        _stesso_ente(self, getattr(self, "voce", None))
