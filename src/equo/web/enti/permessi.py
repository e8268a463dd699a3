"""Role predicates (django ``rules``) and the permissions built from them.

``ha_ruolo(*ruoli)`` is true for a user holding one of ``ruoli`` in some ente; with an object
that has an ``ente`` it is true only if that ente is visible to the user with one of those roles.
Views check permissions with ``PermissionRequiredMixin`` / ``permission_required(...,
raise_exception=True)``: a user without the role gets 403.
"""

from __future__ import annotations

from typing import Any, cast

from rules.permissions import add_perm
from rules.predicates import Predicate, predicate

from equo.web.enti.models import Ruolo
from equo.web.enti.scoping import enti_visibili

__all__ = ["ha_ruolo"]


def ha_ruolo(*ruoli: Ruolo) -> Predicate:
    """A predicate: the user holds one of ``ruoli`` (in the object's ente, given an object)."""

    @predicate(name=f"ha_ruolo({', '.join(ruoli)})")
    def predicato(user: Any, oggetto: Any = None) -> bool:
        if user is None or not user.is_authenticated:
            return False
        visibili = enti_visibili(user, ruoli=ruoli)
        ente_id = getattr(oggetto, "ente_id", None) if oggetto is not None else None
        if ente_id is not None:
            return bool(visibili.filter(pk=ente_id).exists())
        # Without an object the answer is remembered on the user instance, like Django's own
        # permission cache (``_perm_cache``): one instance per request, so a page asking the
        # menu's permissions several times runs the query once per set of roles.
        memoria: dict[frozenset[Ruolo], bool] = user.__dict__.setdefault("_equo_ruoli", {})
        chiave = frozenset(ruoli)
        if chiave not in memoria:
            memoria[chiave] = bool(visibili.exists())
        return memoria[chiave]

    return cast(Predicate, predicato)


add_perm("audit.consulta_registro", ha_ruolo(Ruolo.AUDITOR))
