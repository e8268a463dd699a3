"""The aree utenza a case or an accesso can belong to, as configured by the system
administrators (Django admin), each mapped to the area of the ISTAT survey *Interventi e servizi
sociali dei comuni singoli o associati*.

The ISTAT survey classifies users in seven areas (SDMX dataflow codes ``FAM``, ``DIS``, ``ADD``,
``ELD``, ``IMMNOM``, ``POV``, ``MULBEN``; see ``shared/domain/interop.md`` §2, confirmed from the
ISTAT dataflow, while the correspondence with the CISIS nomenclatore is uncertain). The table is
global (not per ente): the codes must mean the same thing everywhere, for the statistical flows.
``Caso.area`` and ``Accesso.area`` hold the ``codice``; a row that is no longer ``attiva`` stays
valid on the cases that already use it but cannot be chosen any more.
"""

from __future__ import annotations

import time
from typing import ClassVar, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

_M = TypeVar("_M", bound=models.Model)


class AreaIstat(models.TextChoices):
    """The seven aree di utenza of the ISTAT survey on municipal social services (SDMX codes)."""

    FAM = "FAM", _("Famiglia e minori")
    DIS = "DIS", _("Disabili")
    ADD = "ADD", _("Dipendenze")
    ELD = "ELD", _("Anziani")
    IMMNOM = "IMMNOM", _("Immigrati, Rom, Sinti e Caminanti")
    POV = "POV", _("Povertà, disagio adulti e senza dimora")
    MULBEN = "MULBEN", _("Multiutenza")


class AreaConfigurata(models.Model):
    """An area utenza that can be chosen for cases and accessi (global, managed in the admin)."""

    codice = models.SlugField(
        _("codice"),
        max_length=30,
        unique=True,
        help_text=_("Codice stabile salvato sui casi: non cambiarlo dopo l'uso."),
    )
    etichetta = models.CharField(_("etichetta"), max_length=100)
    area_istat = models.CharField(
        _("area ISTAT"),
        max_length=10,
        choices=AreaIstat.choices,
        help_text=_(
            "Area dell'indagine ISTAT «Interventi e servizi sociali dei comuni singoli o "
            "associati» a cui corrisponde."
        ),
    )
    attiva = models.BooleanField(
        _("attiva"), default=True, help_text=_("Se non attiva, non si può più scegliere.")
    )
    ordine = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        verbose_name = _("area utenza")
        verbose_name_plural = _("aree utenza")
        ordering: ClassVar = ["ordine", "etichetta"]

    def __str__(self) -> str:
        return self.etichetta


#: The areas every installation has (codice, etichetta, ISTAT area, ordine): the three built-in
#: ones (``AreaUtenza``) and the other areas of the ISTAT survey. ISTAT has one area "Povertà,
#: disagio adulti e senza dimora": both ``poverta`` and ``disagio_adulti`` map to ``POV``.
#: Seeded by migration 0004 (its own frozen copy) and recreated if missing after every
#: ``migrate`` or ``flush`` (:func:`semina_aree_mancanti`).
AREE_INIZIALI: tuple[tuple[str, str, str, int], ...] = (
    ("famiglia_minori", "Famiglia e minori", AreaIstat.FAM, 10),
    ("disabilita", "Disabilità e non autosufficienza", AreaIstat.DIS, 20),
    ("poverta", "Povertà ed esclusione sociale", AreaIstat.POV, 30),
    ("anziani", "Anziani", AreaIstat.ELD, 40),
    ("dipendenze", "Dipendenze", AreaIstat.ADD, 50),
    ("immigrati", "Immigrati, Rom, Sinti e Caminanti", AreaIstat.IMMNOM, 60),
    ("disagio_adulti", "Disagio adulti e senza dimora", AreaIstat.POV, 70),
    ("multiutenza", "Multiutenza", AreaIstat.MULBEN, 80),
)


def semina_aree_mancanti(using: str = "default", **_: object) -> None:
    """Create the initial areas that are missing (never changing the existing rows: labels and
    ``attiva`` are the administrators'). Connected to ``post_migrate``, which also follows a
    ``flush`` (the tests' transactional cleanup), so the built-in codes always exist."""
    if AreaConfigurata._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated backwards, before 0004
    for codice, etichetta, area_istat, ordine in AREE_INIZIALI:
        AreaConfigurata.objects.using(using).get_or_create(
            codice=codice,
            defaults={"etichetta": etichetta, "area_istat": area_istat, "ordine": ordine},
        )
    _dimentica_etichette()


def scelte_aree(*, tutte: bool = False) -> list[tuple[str, str]]:
    """The (codice, etichetta) choices of the active areas (``tutte``: also the retired ones,
    for filters over old rows), in order."""
    aree = AreaConfigurata.objects.all() if tutte else AreaConfigurata.objects.filter(attiva=True)
    return list(aree.values_list("codice", "etichetta"))


#: How long a process keeps the labels before reading them again (an edit in the admin is
#: seen at once by the process that made it, by the others within this many seconds).
DURATA_ETICHETTE = 60.0
_etichette: tuple[float, dict[str, str]] | None = None


def etichette_aree() -> dict[str, str]:
    """Every configured area, codice → etichetta (one query a minute at most)."""
    global _etichette
    adesso = time.monotonic()
    if _etichette is None or adesso - _etichette[0] > DURATA_ETICHETTE:
        _etichette = (adesso, dict(AreaConfigurata.objects.values_list("codice", "etichetta")))
    return _etichette[1]


def _dimentica_etichette(**_: object) -> None:
    global _etichette
    _etichette = None


post_save.connect(_dimentica_etichette, sender=AreaConfigurata)
post_delete.connect(_dimentica_etichette, sender=AreaConfigurata)


def etichetta_area(codice: str) -> str:
    """The label of the area ``codice`` (the code itself if it is not configured)."""
    return etichette_aree().get(codice, codice)


def con_etichetta_area(righe: models.QuerySet[_M]) -> models.QuerySet[_M]:
    """``righe`` (cases or accessi) annotated with ``area_etichetta`` in the same query."""
    etichetta = AreaConfigurata.objects.filter(codice=models.OuterRef("area")).values("etichetta")
    etichettate = righe.annotate(
        area_etichetta=Coalesce(models.Subquery(etichetta[:1]), models.F("area"))
    )
    return cast("models.QuerySet[_M]", etichettate)


def valida_area(campo: str, codice: str, *, precedente: str | None) -> None:
    """Refuse an area that is not configured and active, unless it is the one the row already
    had (``precedente``): an old case keeps its retired area on unrelated edits."""
    if not codice or codice == precedente:
        return
    if not AreaConfigurata.objects.filter(codice=codice, attiva=True).exists():
        raise ValidationError(
            {
                campo: gettext("L'area utenza «%(codice)s» non è tra quelle attive.")
                % {"codice": codice}
            }
        )
