"""``equo isee batch``: the ISEE of a whole file of DSUs, with a progress bar.

A thin shell over :func:`equo.isee.batch.run_batch`: it shows progress, prints a summary, and
turns the batch errors into messages and exit codes (1: some DSUs are not valid, nothing
written; 2: a file cannot be used), never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from equo.isee.batch import BatchInputError, BatchRejected, BatchReport, RowError, run_batch
from equo.isee.varianti import Variante

__all__ = ["MAX_PRINTED_ERRORS", "batch"]

MAX_PRINTED_ERRORS = 50
"""Problems printed on the terminal; the rejects file (``--scarti``) always has every one."""


def _consoles() -> tuple[Console, Console]:
    # Built per call, so that they write to the streams of the moment (tests capture them).
    return (
        Console(highlight=False, soft_wrap=True),
        Console(stderr=True, highlight=False, soft_wrap=True),
    )


def _problems(errors: list[RowError], rejects: Path | None) -> list[str]:
    lines = [f"  - {e}" for e in errors[:MAX_PRINTED_ERRORS]]
    hidden = len(errors) - MAX_PRINTED_ERRORS
    if hidden > 0:
        more = f"  ... and {hidden} more problems"
        lines.append(f"{more} (all of them are in {rejects})" if rejects else more)
    return lines


def _summary(report: BatchReport) -> list[str]:
    lines = [
        f"DSUs read: {report.rows_read}",
        f"DSUs computed: {report.rows_computed}",
        f"DSUs rejected: {report.rows_rejected}",
        f"Results: {report.output_path}",
    ]
    if report.rejects_path is not None:
        lines.append(f"Rejects: {report.rejects_path}")
    return lines


def batch(
    input: Annotated[
        Path,
        typer.Argument(
            help="File di DSU: .jsonl/.ndjson (una DSU JSON per riga), .csv o .parquet.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            help="File dei risultati: .parquet, .csv o .jsonl.",
            show_default=False,
        ),
    ],
    scarti: Annotated[
        Path | None,
        typer.Option(
            "--scarti",
            help="File CSV per le DSU non valide: le valide vengono calcolate comunque. "
            "Senza questa opzione, una sola DSU non valida blocca tutto e nulla viene scritto.",
            show_default=False,
        ),
    ] = None,
    variante: Annotated[
        Variante,
        typer.Option(
            "--variante",
            help="Variante dell'ISEE (come in `equo isee calcola`): una DSU a cui la variante "
            "non si applica è trattata come non valida.",
        ),
    ] = Variante.ORDINARIO,
) -> None:
    """Calcola l'ISEE di tutte le DSU di un file (JSONL, CSV o Parquet)."""
    out, err = _consoles()
    bar = Progress(
        TextColumn("Calcolo ISEE"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    task = bar.add_task("isee", total=None)
    try:
        with bar:
            report = run_batch(
                input,
                output,
                rejects_path=scarti,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                variante=variante,
            )
    except BatchInputError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(2) from None
    except BatchRejected as exc:
        report = exc.report
        lines = [
            f"{input}: {report.rows_rejected} of {report.rows_read} DSUs are not valid "
            f"({len(report.errors)} problems). Nothing was computed and {output} was not "
            "written.",
            *_problems(report.errors, None),
            "Fix them, or pass --scarti FILE.csv to set them aside and compute the others.",
        ]
        err.print("\n".join(lines), markup=False)
        raise typer.Exit(1) from None
    out.print("\n".join(_summary(report)), markup=False)
    if report.rows_rejected:
        lines = [
            f"{report.rows_rejected} DSUs were rejected ({len(report.errors)} problems); "
            f"every one is in {scarti}:",
            *_problems(report.errors, scarti),
        ]
        err.print("\n".join(lines), markup=False)
