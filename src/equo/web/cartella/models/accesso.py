"""Accesso e orientamento: a contact with the segretariato sociale / punto unico di accesso
(channel, urgency, area utenza, outcome), recorded with or without a case."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from equo.web.anagrafe.models import Persona
from equo.web.cartella.models.base import _non_nel_futuro, _stesso_ente
from equo.web.enti.scoping import TenantManager, TenantScoped


class AreaUtenza(models.TextChoices):
    """The areas of the ISTAT survey on municipal social services (more can be added)."""

    FAMIGLIA_MINORI = "famiglia_minori", _("Famiglia e minori")
    DISABILITA = "disabilita", _("Disabilità e non autosufficienza")
    POVERTA = "poverta", _("Povertà ed esclusione sociale")


class Canale(models.TextChoices):
    SPORTELLO = "sportello", _("Di persona allo sportello")
    TELEFONO = "telefono", _("Telefono")
    EMAIL = "email", _("Email o PEC")
    DOMICILIO = "domicilio", _("Visita domiciliare")
    SEGNALAZIONE = "segnalazione", _("Segnalazione di altro servizio")


class Urgenza(models.TextChoices):
    ORDINARIA = "ordinaria", _("Ordinaria")
    URGENTE = "urgente", _("Urgente")


class EsitoAccesso(models.TextChoices):
    INFORMAZIONE = "informazione", _("Informazione e orientamento")
    INVIO = "invio", _("Invio ad altro servizio")
    APERTURA_CASO = "apertura_caso", _("Apertura di un caso")


class Accesso(TenantScoped):
    """A contact with the segretariato sociale / punto unico di accesso (with or without a case)."""

    persona = models.ForeignKey(
        Persona,
        verbose_name=_("persona"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    nominativo = models.CharField(
        _("nominativo"),
        max_length=200,
        blank=True,
        help_text=_("Se la persona non è (ancora) in anagrafe."),
    )
    data = models.DateField(_("data"))
    canale = models.CharField(_("canale"), max_length=20, choices=Canale.choices)
    richiedente = models.CharField(
        _("richiedente"), max_length=200, help_text=_("Es. l'interessato, un familiare, la scuola.")
    )
    bisogno_espresso = models.TextField(_("bisogno espresso"))
    area = models.CharField(_("area"), max_length=30, choices=AreaUtenza.choices)
    urgenza = models.CharField(
        _("urgenza"), max_length=20, choices=Urgenza.choices, default=Urgenza.ORDINARIA
    )
    esito = models.CharField(_("esito"), max_length=20, choices=EsitoAccesso.choices)
    servizio_invio = models.CharField(
        _("servizio a cui è stata inviata"), max_length=200, blank=True
    )
    operatore = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operatore"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    creato_il = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)

    objects = TenantManager["Accesso"]()

    class Meta:
        verbose_name = _("accesso")
        verbose_name_plural = _("accessi")
        ordering: ClassVar = ["-data", "-pk"]

    def __str__(self) -> str:
        return gettext("Accesso n. %(numero)s") % {"numero": self.pk}

    def clean(self) -> None:
        _stesso_ente(self, self.persona)
        _non_nel_futuro("data", self.data)
        errori: dict[str, str] = {}
        if self.persona_id is None and not self.nominativo.strip():
            errori["nominativo"] = gettext("Indica la persona o almeno il suo nominativo.")
        if self.esito == EsitoAccesso.INVIO and not self.servizio_invio.strip():
            errori["servizio_invio"] = gettext(
                "Indica il servizio a cui la persona è stata inviata."
            )
        if errori:
            raise ValidationError(errori)
