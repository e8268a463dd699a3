"""``equo backup`` / ``equo restore``: a consistent SQLite copy, and a pointer for PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from equo.cli import app

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    percorso = tmp_path / "equo.sqlite3"
    with sqlite3.connect(percorso) as conn:
        conn.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT)")
        conn.execute("CREATE TABLE dati (valore TEXT)")
        conn.execute("INSERT INTO dati VALUES ('originale')")
    conn.close()
    monkeypatch.setenv("EQUO_ENV", "development")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{percorso}")
    return percorso


def _valori(percorso: Path) -> list[str]:
    conn = sqlite3.connect(percorso)
    try:
        return [riga[0] for riga in conn.execute("SELECT valore FROM dati")]
    finally:
        conn.close()


def test_a_backup_restores_the_database_as_it_was(database: Path, tmp_path: Path) -> None:
    copia = tmp_path / "backup.sqlite3"
    risultato = runner.invoke(app, ["backup", str(copia)])
    assert risultato.exit_code == 0, risultato.output
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE dati SET valore = 'cambiato'")
    conn.close()
    risultato = runner.invoke(app, ["restore", str(copia)])
    assert risultato.exit_code == 0, risultato.output
    assert _valori(database) == ["originale"]


def test_a_backup_never_overwrites_a_file(database: Path, tmp_path: Path) -> None:
    esistente = tmp_path / "esiste.sqlite3"
    esistente.write_text("non toccare", encoding="utf-8")
    risultato = runner.invoke(app, ["backup", str(esistente)])
    assert risultato.exit_code == 1
    assert "esiste già" in risultato.output
    assert esistente.read_text(encoding="utf-8") == "non toccare"


def test_restore_refuses_a_file_that_is_not_a_backup(database: Path, tmp_path: Path) -> None:
    falso = tmp_path / "falso.sqlite3"
    falso.write_text("non sono un database", encoding="utf-8")
    risultato = runner.invoke(app, ["restore", str(falso)])
    assert risultato.exit_code == 1
    assert "non è un database SQLite" in risultato.output
    assert _valori(database) == ["originale"]


@pytest.mark.parametrize("comando", ["backup", "restore"])
def test_with_postgresql_it_prints_the_pg_dump_commands_and_exits_2(
    comando: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("EQUO_ENV", "development")
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/equo")
    risultato = runner.invoke(app, [comando, str(tmp_path / "x.dump")])
    assert risultato.exit_code == 2
    assert "pg_dump" in risultato.output and "pg_restore" in risultato.output
