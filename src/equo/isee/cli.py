"""``equo isee …``: compute, explain and batch-process ISEE from the command line."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from equo.isee.errors import field_errors
from equo.isee.explain import Spiegazione, explain_dsu
from equo.isee.format import euro, numero
from equo.isee.model import DSU
from equo.isee.render import render_text
from equo.isee.varianti import REGOLE, Variante, VariantNotApplicableError

__all__ = ["isee_app"]

isee_app = typer.Typer(
    name="isee",
    help="ISEE: calcolo, spiegazione riga per riga, elaborazioni massive.",
    no_args_is_help=True,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(message: str, code: int) -> typer.Exit:
    err.print(message, markup=False)
    return typer.Exit(code)


def read_dsu(path: Path) -> DSU:
    """Read and validate a DSU JSON file, or exit with every problem listed (never a traceback)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail(f"Cannot read {path}: {exc.strerror or exc}", 2) from None
    try:
        return DSU.model_validate_json(text)
    except ValidationError as exc:
        lines = [f"{path}: the DSU is not valid ({exc.error_count()} problems):"]
        lines += [f"  - {e}" for e in field_errors(exc)]
        raise _fail("\n".join(lines), 1) from None


def _riepilogo(s: Spiegazione) -> dict[str, Any]:
    return {
        "variante": s.variante,
        "protocollo": s.protocollo,
        "data_presentazione": s.data_presentazione.isoformat(),
        "isr": s.isr,
        "isp": s.isp,
        "ise": s.ise,
        "scala_equivalenza": s.scala_equivalenza,
        "isee": s.isee,
    }


def _tabella(s: Spiegazione) -> Table:
    etichetta = REGOLE[Variante(s.variante)].etichetta
    table = Table(title=f"{etichetta} – DSU del {s.data_presentazione:%d/%m/%Y}")
    table.add_column("Indicatore")
    table.add_column("Valore", justify="right")
    for label, value in (("ISR", euro(s.isr)), ("ISP", euro(s.isp)), ("ISE", euro(s.ise))):
        table.add_row(label, value)
    table.add_row("Scala di equivalenza", numero(s.scala_equivalenza))
    table.add_row("ISEE", euro(s.isee), style="bold")
    return table


@isee_app.command()
def calcola(
    dsu: Annotated[Path, typer.Argument(help="File JSON della DSU (vedi `equo isee schema`).")],
    spiega: Annotated[
        bool, typer.Option("--spiega", help="Spiegazione riga per riga, come un'attestazione.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Risultato in JSON.")] = False,
    variante: Annotated[
        Variante,
        typer.Option(
            "--variante",
            help="ordinario; minorenni (genitore non convivente, art. 7); universita (art. 8); "
            "corrente (art. 9, redditi degli ultimi 12 mesi); sociosanitario "
            "(nucleo ristretto); residenze (con le componenti "
            "aggiuntive dei figli); specifiche-2026 (ISEE per specifiche prestazioni, DSU dal "
            "2026); nido (ISEE per il bonus asilo nido, assegno unico neutralizzato).",
        ),
    ] = Variante.ORDINARIO,
) -> None:
    """Calcola l'ISEE di una DSU (ordinario o una variante)."""
    try:
        spiegazione = explain_dsu(read_dsu(dsu), variante=variante)
    except VariantNotApplicableError as exc:
        raise _fail(f"{dsu}: {exc}", 1) from None
    if as_json:
        data = spiegazione.to_dict() if spiega else _riepilogo(spiegazione)
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif spiega:
        out.print(render_text(spiegazione), markup=False)
    else:
        out.print(_tabella(spiegazione))


@isee_app.command()
def schema() -> None:
    """Stampa lo JSON Schema della DSU."""
    from equo.isee.schema_docs import dsu_json_schema

    sys.stdout.write(json.dumps(dsu_json_schema(), ensure_ascii=False, indent=2) + "\n")


@isee_app.command()
def esempi() -> None:
    """Calcola e spiega le DSU di esempio incluse in Equo."""
    folder = resources.files("equo.isee") / "esempi"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".json")), key=lambda f: f.name)
    for i, item in enumerate(files):
        dsu = DSU.model_validate_json(item.read_text(encoding="utf-8"))
        if i:
            out.print("\n" + "═" * 96 + "\n", markup=False)
        out.print(f"Esempio: {item.name}", markup=False, style="bold")
        out.print(render_text(explain_dsu(dsu)), markup=False)
    out.print(
        f"\n{len(files)} DSU di esempio calcolate. Per una DSU vostra: "
        "equo isee calcola DSU.json --spiega (formato: equo isee schema).",
        markup=False,
    )
