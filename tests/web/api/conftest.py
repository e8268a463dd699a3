"""Fixtures of the API tests: clients that speak JSON, with a session or a token."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from equo.web.audit.models import AuditEvent


class ClientApi:
    """Django's test client sending and reading JSON, with optional extra headers."""

    def __init__(self, client: Client, **intestazioni: str) -> None:
        self.client = client
        self.intestazioni = intestazioni

    def get(self, url: str, **parametri: Any) -> Any:
        return self.client.get(url, parametri, **self.intestazioni)

    def _con_corpo(self, metodo: str, url: str, corpo: Any) -> Any:
        chiama = getattr(self.client, metodo)
        return chiama(url, json.dumps(corpo), content_type="application/json", **self.intestazioni)

    def post(self, url: str, corpo: Any) -> Any:
        return self._con_corpo("post", url, corpo)

    def patch(self, url: str, corpo: Any) -> Any:
        return self._con_corpo("patch", url, corpo)


@pytest.fixture
def con_token() -> Callable[[Any], ClientApi]:
    """A client that presents a token (a TokenDiProva of tests/web/api/fabbrica.py)."""
    return lambda token: ClientApi(Client(), **token.intestazioni)


@pytest.fixture
def con_sessione(client_di: Callable[[Any], Client]) -> Callable[[Any], ClientApi]:
    """A client logged in as a persona."""
    return lambda utente: ClientApi(client_di(utente))


def righe_audit() -> int:
    return AuditEvent.objects.senza_scope().count()


def ultima_riga() -> AuditEvent:
    riga = AuditEvent.objects.senza_scope().order_by("-pk").first()
    assert riga is not None
    return riga
