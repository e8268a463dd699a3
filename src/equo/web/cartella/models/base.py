"""What every model of the cartella shares: the queryset and manager that add the équipe
widening to the tenant fence, the cross-ente check, the no-future-date check and the money
field options."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from equo.web.enti.scoping import TenantManager, TenantQuerySet, filtro_enti

if TYPE_CHECKING:
    from equo.web.accounts.models import Utente


_M = TypeVar("_M", bound=models.Model)
_SOLDI: dict[str, Any] = {
    "max_digits": 10,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal(0))],
}


class CartellaQuerySet(TenantQuerySet[_M]):
    """A tenant queryset that can also admit the équipe members of a case (of any ente)."""

    def per_utente_o_equipe(self, user: Utente | AnonymousUser) -> Self:
        """The rows of the enti visible to ``user``, plus those of the cases where ``user`` is an
        active équipe member. Visibility of each section is decided afterwards by
        ``permessi.sezioni_caso``: this is only the outer fence."""
        if not user.is_authenticated or not user.is_active:
            vuoto = self.none()
            vuoto._equo_scoped = True
            return vuoto
        from equo.web.cartella.models.equipe import MembroEquipe  # equipe imports this module

        campo_caso: str = getattr(self.model, "campo_caso", "caso")
        casi = (
            MembroEquipe.objects.senza_scope()  # narrowed to the user's own memberships
            .filter(utente_id=user.pk, attivo=True)
            .values("equipe__caso_id")
        )
        chiave = f"{campo_caso}__in" if campo_caso else "pk__in"
        scoped = self.filter(filtro_enti(user, self.campo_ente) | Q(**{chiave: casi}))
        scoped._equo_scoped = True
        return scoped


class CartellaManager(TenantManager[_M]):
    def get_queryset(self) -> CartellaQuerySet[_M]:
        return CartellaQuerySet(self.model, using=self._db, hints=self._hints)  # type: ignore[attr-defined]

    def per_utente_o_equipe(self, user: Utente | AnonymousUser) -> CartellaQuerySet[_M]:
        return self.get_queryset().per_utente_o_equipe(user)


def _stesso_ente(oggetto: Any, *collegati: Any) -> None:
    for collegato in collegati:
        if collegato is not None and collegato.ente_id != oggetto.ente_id:
            raise ValidationError(gettext("Dati di enti diversi non si possono collegare."))


def _non_nel_futuro(campo: str, data: dt.date | None) -> None:
    if data is not None and data > timezone.localdate():
        raise ValidationError({campo: gettext("La data è nel futuro.")})
