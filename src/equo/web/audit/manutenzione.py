"""The database side of the audit log's immutability, and its one (dangerous) maintenance switch.

Triggers refuse ``UPDATE`` and ``DELETE`` on ``audit_auditevent`` in SQLite and PostgreSQL
(migration ``0002``). They let a row through only inside :func:`manutenzione_audit`, meant for a
retention purge decided by the ente and for the test suite's teardown; no view uses it.

- PostgreSQL: the trigger checks the transaction-local setting ``equo.audit_manutenzione``.
- SQLite: the trigger calls ``equo_audit_manutenzione()``, a function that Equo registers on its
  own connections; any other client (the ``sqlite3`` shell) does not have it, so its UPDATE or
  DELETE fails.

Hardening for PostgreSQL production (documented in docs/web/architettura.md): the application
role should not own the table, and should have no TRUNCATE on it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.db import connections, transaction

__all__ = ["manutenzione_audit", "registra_funzione_sqlite"]

_manutenzione: ContextVar[bool] = ContextVar("equo_audit_manutenzione", default=False)


def _stato_manutenzione() -> int:
    return 1 if _manutenzione.get() else 0


def registra_funzione_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: give SQLite connections the trigger's function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "equo_audit_manutenzione", 0, _stato_manutenzione, deterministic=False
        )


@contextlib.contextmanager
def manutenzione_audit(using: str = "default") -> Iterator[None]:
    """DANGEROUS: inside this block (one transaction) raw SQL may change or delete audit rows."""
    with transaction.atomic(using=using):
        connessione = connections[using]
        if connessione.vendor == "postgresql":
            with connessione.cursor() as cursore:
                cursore.execute("SELECT set_config('equo.audit_manutenzione', 'on', true)")
        token = _manutenzione.set(True)
        try:
            yield
        finally:
            _manutenzione.reset(token)
            if connessione.vendor == "postgresql" and not connessione.needs_rollback:
                with connessione.cursor() as cursore:
                    cursore.execute("SELECT set_config('equo.audit_manutenzione', 'off', true)")
