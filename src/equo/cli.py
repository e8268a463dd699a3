"""The ``equo`` command line."""

from __future__ import annotations

import typer

from equo.isee.cli import isee_app

__all__ = ["app"]

app = typer.Typer(
    name="equo",
    help="Equo: piattaforma aperta per il welfare locale.",
    no_args_is_help=True,
)
app.add_typer(isee_app, name="isee")


def _register_batch() -> None:
    from equo.isee.cli_batch import batch

    isee_app.command("batch", help="Calcola l'ISEE di un file di DSU (JSONL, CSV, Parquet).")(batch)


_register_batch()
