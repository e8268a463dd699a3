"""The ``equo`` command line."""

from __future__ import annotations

import typer

from equo.isee.cli import isee_app
from equo.popolazione.cli import popolazione_app
from equo.regolamenti.cli import regolamento_app
from equo.simulazione.cli import simula_app

__all__ = ["app"]

app = typer.Typer(
    name="equo",
    help="Equo: piattaforma aperta per il welfare locale.",
    no_args_is_help=True,
)
app.add_typer(isee_app, name="isee")
app.add_typer(regolamento_app, name="regolamento")
app.add_typer(popolazione_app, name="popolazione")
app.add_typer(simula_app, name="simula")


def _register_isee_commands() -> None:
    from equo.isee.cli_attestazione import componenti
    from equo.isee.cli_batch import batch
    from equo.isee.inps.cli import esporta, importa
    from equo.isee.vecchio.cli import ricalcola

    isee_app.command("batch", help="Calcola l'ISEE di un file di DSU (JSONL, CSV, Parquet).")(batch)
    isee_app.command(
        "ricalcola", help="Vecchio ISEE (D.Lgs 109/1998) e nuovo ISEE a confronto, riga per riga."
    )(ricalcola)
    isee_app.command(
        "componenti",
        help="Ricalcola l'ISEE dai componenti di un'attestazione (JSON o XML INPS), anche a "
        "un'altra data.",
    )(componenti)
    isee_app.command(
        "importa", help="Importa una DSU dall'XML INPS (validato con lo XSD INPS) in JSON."
    )(importa)
    isee_app.command(
        "esporta", help="Calcola una DSU e scrive l'attestazione nell'XML INPS (validato)."
    )(esporta)


_register_isee_commands()


def _register_web_commands() -> None:
    from equo.web.cli import backup, restore, serve

    app.command("serve", help="Avvia la piattaforma web (sviluppo) con i dati dimostrativi.")(serve)
    app.command("backup", help="Copia coerente del database SQLite della piattaforma web.")(backup)
    app.command("restore", help="Ripristina il database SQLite da un backup.")(restore)


_register_web_commands()
