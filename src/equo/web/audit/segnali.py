"""Audit rows for authentication events: login, logout, failed login, lockout."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from equo.web.audit.models import TipoEvento
from equo.web.audit.registro import registra_evento


def _accesso(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    registra_evento(user, TipoEvento.ACCESSO, ente=None)


def _uscita(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        registra_evento(user, TipoEvento.USCITA, ente=None)


def _accesso_negato(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    nome = str(credentials.get("username", ""))[:150]
    registra_evento(None, TipoEvento.ACCESSO_NEGATO, ente=None, utente_nome=nome)


def _bloccato(
    sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any
) -> None:
    registra_evento(None, TipoEvento.BLOCCO, ente=None, utente_nome=(username or "")[:150])


def collega() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(_accesso, dispatch_uid="equo_audit_accesso")
    user_logged_out.connect(_uscita, dispatch_uid="equo_audit_uscita")
    user_login_failed.connect(_accesso_negato, dispatch_uid="equo_audit_accesso_negato")
    user_locked_out.connect(_bloccato, dispatch_uid="equo_audit_blocco")
