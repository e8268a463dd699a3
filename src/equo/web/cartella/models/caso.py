"""The presa in carico: the case with its state, and one row per change of state (from, to,
who, when, why). The allowed transitions are the table in :mod:`equo.web.cartella.flusso`."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from equo.web.anagrafe.models import Nucleo, Persona
from equo.web.cartella.models.accesso import Accesso, area_salvata, nucleo_contiene
from equo.web.cartella.models.area import valida_area
from equo.web.cartella.models.base import CartellaManager, _non_nel_futuro, _stesso_ente
from equo.web.enti.scoping import TenantScoped


class StatoCaso(models.TextChoices):
    APERTO = "aperto", _("Aperto")
    IN_VALUTAZIONE = "in_valutazione", _("In valutazione")
    PROGETTO_ATTIVO = "progetto_attivo", _("Progetto attivo")
    IN_MONITORAGGIO = "in_monitoraggio", _("In monitoraggio")
    CHIUSO = "chiuso", _("Chiuso")


class Caso(TenantScoped):
    """A presa in carico: a person (and nucleo) followed by a case manager of the ente."""

    persona = models.ForeignKey(
        Persona, verbose_name=_("persona"), on_delete=models.PROTECT, related_name="+"
    )
    nucleo = models.ForeignKey(
        Nucleo,
        verbose_name=_("nucleo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accesso = models.ForeignKey(
        Accesso,
        verbose_name=_("accesso di origine"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="casi",
    )
    area = models.CharField(_("area utenza"), max_length=30)
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case manager"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    stato = models.CharField(
        _("stato"), max_length=20, choices=StatoCaso.choices, default=StatoCaso.APERTO
    )
    aperto_il = models.DateField(_("data di apertura"))
    approvazione_richiesta = models.BooleanField(
        _("approvazione del progetto richiesta"),
        default=True,
        help_text=_("Il progetto va approvato dal responsabile di servizio prima di attivarlo."),
    )
    creato_il = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)

    campo_caso: ClassVar[str] = ""
    objects = CartellaManager["Caso"]()

    class Meta:
        verbose_name = _("caso")
        verbose_name_plural = _("casi")
        ordering: ClassVar = ["-aperto_il", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["ente", "stato"], name="caso_ente_stato"),
            models.Index(fields=["case_manager", "stato"], name="caso_manager_stato"),
        ]

    def __str__(self) -> str:
        return gettext("Caso n. %(numero)s") % {"numero": self.pk}

    @property
    def chiuso(self) -> bool:
        return self.stato == StatoCaso.CHIUSO

    def clean(self) -> None:
        _stesso_ente(self, self.persona, self.nucleo, self.accesso)
        _non_nel_futuro("aperto_il", self.aperto_il)
        valida_area("area", self.area, precedente=area_salvata(self))
        errori: dict[str, str] = {}
        if self.nucleo_id is not None and not nucleo_contiene(self.nucleo_id, self.persona_id):
            errori["nucleo"] = gettext("La persona non fa parte di questo nucleo.")
        accesso = self.accesso
        if accesso is not None:
            if accesso.persona_id is not None and accesso.persona_id != self.persona_id:
                errori["persona"] = gettext(
                    "Il caso deve riguardare la persona dell'accesso da cui si apre."
                )
            aperto_il: dt.date | None = self.aperto_il  # None when the field was invalid
            if aperto_il is not None and aperto_il < accesso.data:
                errori["aperto_il"] = gettext(
                    "Il caso non può essere aperto prima della data dell'accesso."
                )
        if errori:
            raise ValidationError(errori)


class TransizioneCaso(TenantScoped):
    """One change of state of a case: from, to, who, when, why (written only by the actions)."""

    caso = models.ForeignKey(
        Caso, verbose_name=_("caso"), on_delete=models.CASCADE, related_name="transizioni"
    )
    da = models.CharField(_("da"), max_length=20, choices=StatoCaso.choices, blank=True)
    a = models.CharField(_("a"), max_length=20, choices=StatoCaso.choices)
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("chi"), on_delete=models.PROTECT, related_name="+"
    )
    il = models.DateTimeField(_("quando"), default=timezone.now)
    motivo = models.TextField(_("perché"), blank=True)

    objects = CartellaManager["TransizioneCaso"]()

    class Meta:
        verbose_name = _("transizione del caso")
        verbose_name_plural = _("transizioni del caso")
        ordering: ClassVar = ["il", "pk"]

    def __str__(self) -> str:
        return f"{self.da or '–'} → {self.a}"
