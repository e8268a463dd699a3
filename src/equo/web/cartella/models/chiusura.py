"""Valutazione finale e chiusura: the closure of a case with its coded reason (mappable to
SINBA) and its final evaluation; flagged ``riaperta`` when the case is reopened."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from equo.web.cartella.codici import codice_regionale, motivo_chiusura
from equo.web.cartella.models.base import CartellaManager, _stesso_ente
from equo.web.cartella.models.caso import Caso
from equo.web.enti.scoping import TenantScoped


class Chiusura(TenantScoped):
    """The final evaluation and closure of a case; ``riaperta`` when the case was reopened."""

    caso = models.ForeignKey(
        Caso, verbose_name=_("caso"), on_delete=models.CASCADE, related_name="chiusure"
    )
    data = models.DateField(_("data di chiusura"))
    motivo = models.CharField(_("motivo"), max_length=40)
    valutazione_finale = models.TextField(_("valutazione finale"))
    riaperta = models.BooleanField(_("riaperta"), default=False)

    objects = CartellaManager["Chiusura"]()

    class Meta:
        verbose_name = _("chiusura")
        verbose_name_plural = _("chiusure")
        ordering: ClassVar = ["-data", "-pk"]

    def __str__(self) -> str:
        return gettext("Chiusura del caso n. %(numero)s") % {"numero": self.caso_id}

    @property
    def codice_sinba(self) -> str:
        motivo = motivo_chiusura(self.motivo)
        return motivo.codice_sinba if motivo else ""

    @property
    def codice_regionale(self) -> str:
        """The region's code of the reason (setting ``EQUO_MOTIVI_CHIUSURA_REGIONALI``), or ""."""
        riga = codice_regionale(self.motivo)
        return riga.codice_regionale if riga else ""

    @property
    def motivo_etichetta(self) -> str:
        motivo = motivo_chiusura(self.motivo)
        return motivo.etichetta if motivo else self.motivo

    def clean(self) -> None:
        caso = getattr(self, "caso", None)
        _stesso_ente(self, caso)
        errori: dict[str, str] = {}
        if motivo_chiusura(self.motivo) is None:
            errori["motivo"] = gettext("Scegli un motivo di chiusura dalla lista.")
        if not (self.valutazione_finale or "").strip():
            errori["valutazione_finale"] = gettext("La valutazione finale è obbligatoria.")
        data: dt.date | None = self.data  # None when the field itself was invalid
        if data is not None and data > timezone.localdate():
            errori["data"] = gettext("La data è nel futuro.")
        elif caso is not None and data is not None and data < caso.aperto_il:
            errori["data"] = gettext("Il caso è stato aperto il %(data)s.") % {
                "data": caso.aperto_il.strftime("%d/%m/%Y")
            }
        if errori:
            raise ValidationError(errori)
