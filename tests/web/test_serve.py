"""``equo serve``: migrations, demo data in an empty database, the accounts table, the server."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import management
from typer.testing import CliRunner

from equo.cli import app
from equo.web.accounts.models import Utente
from equo.web.demo import PASSWORD_DEMO

pytestmark = pytest.mark.django_db


def test_serve_loads_the_demo_prints_the_accounts_and_starts_the_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chiamate: list[tuple[str, ...]] = []
    originale = management.call_command

    def finto(nome: str, *args: Any, **kwargs: Any) -> Any:
        chiamate.append((nome, *map(str, args)))
        if nome == "runserver":
            return None
        return originale(nome, *args, **kwargs)

    monkeypatch.setattr(management, "call_command", finto)
    risultato = CliRunner().invoke(app, ["serve", "--port", "8123"])
    assert risultato.exit_code == 0, risultato.output
    assert chiamate[0][0] == "migrate"
    assert chiamate[-1] == ("runserver", "127.0.0.1:8123")
    assert PASSWORD_DEMO in risultato.output and "irene" in risultato.output
    assert Utente.objects.filter(username="anna").exists()
