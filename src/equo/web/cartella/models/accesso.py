"""Accesso e orientamento: a contact with the segretariato sociale / punto unico di accesso
(channel, urgency, area utenza, outcome), recorded with or without a case."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from equo.web.anagrafe.models import Membro, Nucleo, Persona
from equo.web.cartella.models.area import valida_area
from equo.web.cartella.models.base import _non_nel_futuro, _stesso_ente
from equo.web.enti.scoping import TenantManager, TenantScoped


class AreaUtenza(models.TextChoices):
    """The codes of the three built-in aree utenza (SIUSS's three areas). The areas that can be
    chosen are the rows of :class:`~equo.web.cartella.models.area.AreaConfigurata`, seeded with
    these and the other ISTAT areas; these constants are kept for code and tests."""

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
    nucleo = models.ForeignKey(
        Nucleo,
        verbose_name=_("nucleo"),
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
    area = models.CharField(_("area"), max_length=30)
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
        _stesso_ente(self, self.persona, self.nucleo)
        _non_nel_futuro("data", self.data)
        valida_area("area", self.area, precedente=area_salvata(self))
        errori: dict[str, str] = {}
        if self.nucleo_id is not None and not nucleo_contiene(self.nucleo_id, self.persona_id):
            errori["nucleo"] = gettext("La persona non fa parte di questo nucleo.")
        if self.persona_id is None and not self.nominativo.strip():
            errori["nominativo"] = gettext("Indica la persona o almeno il suo nominativo.")
        if self.esito == EsitoAccesso.INVIO and not self.servizio_invio.strip():
            errori["servizio_invio"] = gettext(
                "Indica il servizio a cui la persona è stata inviata."
            )
        if errori:
            raise ValidationError(errori)


def area_salvata(riga: Accesso | Any) -> str | None:
    """The area stored in the database for ``riga`` (None for a new row)."""
    if riga.pk is None:
        return None
    salvata = type(riga).objects.senza_scope().filter(pk=riga.pk).values_list("area", flat=True)
    return next(iter(salvata), None)


def nucleo_contiene(nucleo_id: int, persona_id: int | None) -> bool:
    """Whether the person is (or was) a member of the nucleo; no person: nothing to check."""
    if persona_id is None:
        return True
    # Model validation: both rows were already checked to be of the row's own ente.
    return Membro.objects.senza_scope().filter(nucleo_id=nucleo_id, persona_id=persona_id).exists()
