"""The one tenant-scoping mechanism: every read of tenant data goes through it, and fails closed.

A tenant-owned model inherits :class:`TenantScoped` (a non-null ``ente``) or, for a model whose
ente may be empty, uses :class:`TenantManager` with its own ``ente`` field. Its default manager,
``objects``, returns querysets that **refuse to run** until they are scoped:

- ``Model.objects.per_utente(user)`` keeps the rows of the enti where ``user`` holds an active
  incarico (optionally only with some roles: ``ruoli={Ruolo.AUDITOR}``), and of the enti under
  them (an incarico in an Unione covers its Comuni);
- ``Model.objects.senza_scope()`` is the named escape hatch for code that is not acting for a
  user (migrations, management commands, the superuser-only admin). Grep for it in review.

Evaluating an unscoped queryset (iterating, ``get``, ``count``, ``exists``, ``update``,
``delete``, using it as a subquery...) raises :class:`ScopeError`: a view that forgets to scope
fails loudly in its first test instead of showing another ente's data. Reverse related managers
(``ente.persone``) and ``ModelChoiceField`` querysets come from the same manager, so they fail
closed too and must be scoped (``ModelChoiceField(queryset=Persona.objects.per_utente(u))``).

:func:`access_for_user` fetches one object by primary key through the scope and raises ``Http404``
when it does not exist *or* belongs to an ente the user cannot see: the two answers are
identical, so nobody can probe another ente's ids. Per-model helpers are one line on top of it::

    def access_persona_for_user(user, pk):
        return access_for_user(Persona, user, pk, ruoli=RUOLI_OPERATIVI)

Known limitations (defence in depth, not a database-level boundary): ``Model._base_manager``
(used by Django for forward foreign keys, ``refresh_from_db`` and deletions), raw SQL, and the
second queryset of ``union()`` are not checked.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.http import Http404

from equo.web.enti.models import PROFONDITA_MASSIMA, Ente, Incarico, Ruolo

if TYPE_CHECKING:
    from equo.web.accounts.models import Utente

__all__ = [
    "ScopeError",
    "TenantManager",
    "TenantQuerySet",
    "TenantScoped",
    "access_for_user",
    "enti_visibili",
    "filtro_enti",
]

_M = TypeVar("_M", bound=models.Model)

# True inside Django's own uniqueness and constraint validation, which must see every ente.
_validazione_in_corso: ContextVar[bool] = ContextVar("equo_validazione_unicita", default=False)


class ScopeError(RuntimeError):
    """A tenant-owned queryset was evaluated without ``per_utente(user)`` or ``senza_scope()``."""


def _incarichi_attivi(user: Utente, ruoli: Collection[Ruolo] | None) -> models.QuerySet[Incarico]:
    incarichi = Incarico.objects.filter(
        utente_id=user.pk, attivo=True, utente__is_active=True, ente__attivo=True
    )
    if ruoli is not None:
        incarichi = incarichi.filter(ruolo__in=list(ruoli))
    return incarichi


def filtro_enti(
    user: Utente | AnonymousUser, campo: str = "ente", *, ruoli: Collection[Ruolo] | None = None
) -> Q:
    """A ``Q`` keeping the rows whose ``campo`` is an ente visible to ``user``.

    Visible: an ente where the user holds an active incarico (with one of ``ruoli``, when given)
    or an ente under it, down to :data:`PROFONDITA_MASSIMA` levels. One subquery, no extra
    round trip. An anonymous or inactive user, or one without incarichi, sees nothing.
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    enti = _incarichi_attivi(user, ruoli).values("ente_id")
    prefisso = f"{campo}__" if campo else ""
    condizione = Q(**{f"{prefisso}pk__in": enti})
    for livello in range(1, PROFONDITA_MASSIMA + 1):
        catena = "__".join(["superiore"] * livello)
        condizione |= Q(**{f"{prefisso}{catena}__in": enti})
    return condizione


def enti_visibili(
    user: Utente | AnonymousUser, *, ruoli: Collection[Ruolo] | None = None
) -> models.QuerySet[Ente]:
    """The enti visible to ``user`` (those of its incarichi and the ones under them)."""
    return Ente.objects.filter(filtro_enti(user, "", ruoli=ruoli), attivo=True).distinct()


class TenantQuerySet(models.QuerySet[_M], Generic[_M]):
    """A queryset of tenant-owned rows that refuses to run until it is scoped."""

    #: The path from the model to its ``Ente`` foreign key.
    campo_ente = "ente"
    _equo_scoped: bool = False

    def per_utente(
        self, user: Utente | AnonymousUser, *, ruoli: Collection[Ruolo] | None = None
    ) -> Self:
        """The rows of the enti visible to ``user`` (see :func:`filtro_enti`)."""
        scoped = self.filter(filtro_enti(user, self.campo_ente, ruoli=ruoli))
        scoped._equo_scoped = True
        return scoped

    def senza_scope(self) -> Self:
        """Every ente's rows: only for code that does not act for a user. Review each use."""
        clone = self.all()
        clone._equo_scoped = True
        return clone

    def _controlla_scope(self) -> None:
        if not self._equo_scoped and not _validazione_in_corso.get():
            raise ScopeError(
                f"{self.model.__name__} rows must be read through .per_utente(user) "
                "(or an access_*_for_user helper); .senza_scope() only outside a request"
            )

    # Every way Django runs a queryset passes through one of these.
    def _clone(self) -> Self:
        clone: Self = super()._clone()  # type: ignore[misc]  # not in django-stubs; stable in Django
        clone._equo_scoped = self._equo_scoped
        return clone

    def _fetch_all(self) -> None:
        self._controlla_scope()
        super()._fetch_all()

    def iterator(self, chunk_size: int | None = None) -> Iterator[_M]:
        self._controlla_scope()
        return super().iterator(chunk_size=chunk_size)

    def count(self) -> int:
        self._controlla_scope()
        return super().count()

    def exists(self) -> bool:
        self._controlla_scope()
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._controlla_scope()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        self._controlla_scope()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._controlla_scope()
        return super().delete()

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Any:
        # Used as a subquery (`filter(x__in=Model.objects.all())`).
        self._controlla_scope()
        return super().resolve_expression(*args, **kwargs)


class TenantManager(models.Manager[_M], Generic[_M]):
    """The default manager of tenant-owned models: its querysets fail closed."""

    _queryset_class = TenantQuerySet

    def get_queryset(self) -> TenantQuerySet[_M]:
        return TenantQuerySet(self.model, using=self._db, hints=self._hints)  # type: ignore[attr-defined]

    def per_utente(
        self, user: Utente | AnonymousUser, *, ruoli: Collection[Ruolo] | None = None
    ) -> TenantQuerySet[_M]:
        return self.get_queryset().per_utente(user, ruoli=ruoli)

    def senza_scope(self) -> TenantQuerySet[_M]:
        return self.get_queryset().senza_scope()


@contextlib.contextmanager
def _validazione_senza_scope() -> Iterator[None]:
    token = _validazione_in_corso.set(True)
    try:
        yield
    finally:
        _validazione_in_corso.reset(token)


class TenantScoped(models.Model):
    """Abstract base of tenant-owned models: a non-null ``ente`` and a fail-closed manager."""

    ente = models.ForeignKey(Ente, verbose_name="ente", on_delete=models.PROTECT, related_name="+")

    objects: TenantManager[Self] = TenantManager()

    class Meta:
        abstract = True

    # Django checks uniqueness across every ente (a unique value is unique in the table): these
    # two validations, and nothing else, run unscoped.
    def validate_unique(self, exclude: Collection[str] | None = None) -> None:
        with _validazione_senza_scope():
            super().validate_unique(exclude=exclude)

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        with _validazione_senza_scope():
            super().validate_constraints(exclude=exclude)


def access_for_user(
    modello: type[_M] | TenantQuerySet[_M],
    user: Utente | AnonymousUser,
    pk: object,
    *,
    ruoli: Collection[Ruolo] | None = None,
) -> _M:
    """The object ``pk`` if ``user`` may see it; ``Http404`` otherwise.

    "Does not exist" and "belongs to another ente" raise the same ``Http404`` with the same
    message. ``modello`` is a model whose default manager is a :class:`TenantManager`, or an
    already narrowed :class:`TenantQuerySet` (``Persona.objects.select_related("nucleo")``).
    """
    if isinstance(modello, TenantQuerySet):
        queryset = modello
    else:
        manager = modello._default_manager
        if not isinstance(manager, TenantManager):
            raise TypeError(f"{modello.__name__} is not tenant-scoped (no TenantManager)")
        queryset = manager.get_queryset()
    try:
        return queryset.per_utente(user, ruoli=ruoli).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("Non trovato.") from None
