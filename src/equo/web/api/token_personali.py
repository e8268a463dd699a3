"""Personal tokens at request time: finding the token, and saying so in the audit log.

A request authenticated by a personal token acts as its owner; every audit row written while it
is served (reads in the API views, writes in the actions) gets ``dettagli["token_personale"]``
with the token's id, name and first characters, so the log tells the owner's own clicks from
what a program did in their name. The mark is a context variable set by the authentication
(:class:`equo.web.api.sicurezza.TokenPersonaleAuth`) and cleared at the start and end of every
request; the audit row is tagged just before it is inserted (``pre_save``), so neither the
actions nor the audit helpers need to know about tokens.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.core.signals import request_finished, request_started
from django.db.models.signals import pre_save

from equo.web.api.models import PREFISSO_TOKEN_PERSONALE, TokenPersonale, impronta_di
from equo.web.audit.models import AuditEvent

__all__ = ["collega_segnali", "segna_richiesta", "token_corrente", "token_personale_da_segreto"]

_token_corrente: ContextVar[dict[str, Any] | None] = ContextVar(
    "equo_token_personale", default=None
)


def token_personale_da_segreto(segreto: str) -> TokenPersonale | None:
    """The valid personal token with this secret, or ``None`` (unknown, revoked, expired, or its
    owner deactivated)."""
    if not segreto.startswith(PREFISSO_TOKEN_PERSONALE) or len(segreto) > 200:
        return None
    token = (
        TokenPersonale.objects.select_related("utente")
        .filter(impronta=impronta_di(segreto))
        .first()
    )
    if token is None or not token.valido() or not token.utente.is_active:
        return None
    return token


def segna_richiesta(token: TokenPersonale) -> None:
    """Mark the request being served as made with ``token`` (for its audit rows)."""
    _token_corrente.set({"id": token.pk, "nome": token.nome, "inizio": token.inizio})


def token_corrente() -> dict[str, Any] | None:
    """The personal token of the request being served, as written in the audit rows."""
    return _token_corrente.get()


def _azzera(**kwargs: Any) -> None:
    _token_corrente.set(None)


def _etichetta_audit(sender: Any, instance: AuditEvent, **kwargs: Any) -> None:
    token = _token_corrente.get()
    if token is not None and instance._state.adding:
        instance.dettagli = {**(instance.dettagli or {}), "token_personale": dict(token)}


def collega_segnali() -> None:
    """Connect the receivers (from ``ApiConfig.ready``)."""
    request_started.connect(_azzera, dispatch_uid="equo_token_personale_inizio")
    request_finished.connect(_azzera, dispatch_uid="equo_token_personale_fine")
    pre_save.connect(_etichetta_audit, sender=AuditEvent, dispatch_uid="equo_token_personale")
