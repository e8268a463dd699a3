"""``equo serve``, ``equo backup``, ``equo restore``: the web platform from the command line.

``serve`` is the development server (EQUO_ENV defaults to ``development`` here); production runs
``gunicorn equo.web.wsgi`` (docs/web/architettura.md). ``backup``/``restore`` copy the SQLite
database consistently with SQLite's backup API; for PostgreSQL they print the pg_dump and
pg_restore commands to use instead and exit with status 2.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["backup", "restore", "serve"]

USCITA_POSTGRES = 2


def _ambiente_cli() -> None:
    os.environ.setdefault("EQUO_ENV", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equo.web.settings.base")


def _errore(messaggio: str, codice: int = 1) -> typer.Exit:
    typer.secho(messaggio, fg=typer.colors.RED, err=True)
    return typer.Exit(codice)


def serve(
    host: Annotated[str, typer.Option(help="Indirizzo su cui ascoltare.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Porta.")] = 8000,
) -> None:
    """Avvia la piattaforma web (server di sviluppo): migrazioni, dati dimostrativi, server."""
    _ambiente_cli()
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise _errore(f"Configurazione non valida: {exc}") from None
    from django.conf import settings
    from django.core.management import call_command
    from rich.console import Console
    from rich.table import Table

    from equo.web.assets import aggiornati, leggi_lock
    from equo.web.demo import (
        PASSWORD_DEMO,
        carica_demo,
        database_vuoto,
        demo_presente,
        tabella_account,
    )

    destinazione, pacchetti = leggi_lock()
    if not aggiornati(destinazione, pacchetti):
        raise _errore(
            "Mancano Bootstrap Italia e htmx: esegui `make run` (o `python -m equo.web.assets`)."
        )
    console = Console()
    console.print(f"Database: {settings.DATABASES['default']['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    if database_vuoto() and not settings.PRODUZIONE:
        carica_demo()
        console.print("Caricati i dati dimostrativi (enti, personale).")
    if demo_presente():
        tabella = Table(title=f"Account dimostrativi — password per tutti: {PASSWORD_DEMO}")
        for colonna in ("utente", "nome", "ruolo", "ente"):
            tabella.add_column(colonna)
        for riga in tabella_account():
            tabella.add_row(*riga)
        console.print(tabella)
    console.print(f"Equo è su http://{host}:{port}/  (Ctrl-C per fermarlo)")
    call_command("runserver", f"{host}:{port}", use_reloader=False, skip_checks=False)


def _sqlite(url: str) -> Path:
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.sqlite3":
        nome = config.get("NAME", "equo")
        raise _errore(
            "Il database è PostgreSQL: usa i suoi strumenti (vedi README, sezione PostgreSQL):\n"
            f'  backup:   pg_dump --format=custom --file=equo.dump "$DATABASE_URL"   # {nome}\n'
            '  restore:  pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" '
            "equo.dump",
            USCITA_POSTGRES,
        )
    nome = str(config["NAME"])
    if nome in {"", ":memory:"}:
        raise _errore("Il database SQLite è in memoria: non c'è niente da salvare.")
    return Path(nome)


def _url_database() -> str:
    _ambiente_cli()
    from equo.web.settings.env import ConfigurazioneErrata, ambiente, database_url

    try:
        return database_url(ambiente())
    except ConfigurazioneErrata as exc:
        raise _errore(f"Configurazione non valida: {exc}") from None


def _copia(sorgente: sqlite3.Connection, destinazione: sqlite3.Connection) -> None:
    with destinazione:
        sorgente.backup(destinazione)


def backup(
    file: Annotated[Path, typer.Argument(help="Il file di backup da creare.")],
) -> None:
    """Copia coerente del database SQLite in FILE (anche con il server acceso)."""
    database = _sqlite(_url_database())
    if not database.exists():
        raise _errore(f"Il database {database} non esiste.")
    if file.exists():
        raise _errore(f"{file} esiste già: scegli un altro nome (non sovrascrivo un backup).")
    sorgente = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    copia = sqlite3.connect(file)
    try:
        _copia(sorgente, copia)
    finally:
        sorgente.close()
        copia.close()
    typer.echo(f"Backup di {database} scritto in {file}.")


def restore(
    file: Annotated[Path, typer.Argument(help="Un file creato da `equo backup`.")],
) -> None:
    """Sostituisce il database SQLite con il backup FILE (fermare prima il server)."""
    database = _sqlite(_url_database())
    if not file.exists():
        raise _errore(f"{file} non esiste.")
    sorgente = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        try:
            esito = sorgente.execute("PRAGMA integrity_check").fetchone()
            tabelle = sorgente.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'django_migrations'"
            ).fetchone()
        except sqlite3.DatabaseError:
            raise _errore(f"{file} non è un database SQLite.") from None
        if esito != ("ok",) or tabelle != (1,):
            raise _errore(
                f"{file} non è un backup di Equo valido (controllo di integrità fallito)."
            )
        database.parent.mkdir(parents=True, exist_ok=True)
        destinazione = sqlite3.connect(database)
        try:
            _copia(sorgente, destinazione)
        finally:
            destinazione.close()
    finally:
        sorgente.close()
    typer.echo(f"Database {database} ripristinato da {file}.")
    print("Riavvia il server se era acceso.", file=sys.stderr)
