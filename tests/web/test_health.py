"""The health endpoint: public, JSON, and honest about the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_answers_ok_without_login(client: Client) -> None:
    risposta = client.get("/health")
    assert risposta.status_code == 200
    assert risposta.json()["stato"] == "ok"
    assert risposta.json()["database"] == "ok"


def test_it_answers_503_when_the_database_does_not(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection

    def guasto(*args: Any, **kwargs: Any) -> Any:
        raise DatabaseError("giù")

    monkeypatch.setattr(connection, "cursor", guasto)
    risposta = client.get("/health")
    assert risposta.status_code == 503
    assert risposta.json()["stato"] == "errore"
