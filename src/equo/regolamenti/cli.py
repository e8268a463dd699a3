"""``equo regolamento …``: check, explain, compare and apply regulations from the command line.

Every error is an Italian message, never a traceback. Exit codes: 0 done; 1 the input is not
valid (a regolamento with problems, a file of domande with bad values: the message lists them
with file and line, or row and column); 2 the command is used wrongly (a missing file, an
unknown extension).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from equo.regolamenti.caricamento import carica
from equo.regolamenti.compilato import RegolamentoCompilato
from equo.regolamenti.sorgente import Problema, RegolamentoNonValido
from equo.regolamenti.vocabolario import Campo, campi_comuni, campi_del_regolamento, gruppi

__all__ = ["regolamento_app"]

regolamento_app = typer.Typer(
    name="regolamento",
    help="Regolamenti come dati: verifica, spiegazione, confronto tra versioni, valutazione "
    "delle domande.",
    no_args_is_help=True,
)

_ESTENSIONI = (".yaml", ".yml")


def consoles() -> tuple[Console, Console]:
    """Standard output and standard error, built per call (so tests capture them)."""
    return (
        Console(highlight=False, soft_wrap=True),
        Console(stderr=True, highlight=False, soft_wrap=True),
    )


def esci(messaggio: str, codice: int) -> typer.Exit:
    """Print ``messaggio`` on standard error; the exit to raise."""
    consoles()[1].print(messaggio, markup=False)
    return typer.Exit(codice)


def esci_per_problemi(problemi: Iterable[Problema]) -> typer.Exit:
    """Print each problem as ``file:riga: campo: messaggio``; exit 1."""
    return esci("\n".join(str(p) for p in problemi), 1)


def file_regolamento(paths: Sequence[Path]) -> list[Path]:
    """The files named, a directory standing for its ``*.yaml``/``*.yml``; exit 2 if missing."""
    trovati: list[Path] = []
    for path in paths:
        if path.is_dir():
            contenuto = sorted(p for p in path.iterdir() if p.is_file() and p.suffix in _ESTENSIONI)
            if not contenuto:
                raise esci(f"{path}: la cartella non contiene file .yaml o .yml", 2)
            trovati += contenuto
        elif path.is_file():
            trovati.append(path)
        else:
            raise esci(f"{path}: il file non esiste", 2)
    return list(dict.fromkeys(trovati))


def carica_o_esci(path: Path) -> RegolamentoCompilato:
    """The compiled regolamento of ``path``, or exit with its problems."""
    if not path.is_file():
        motivo = "è una cartella: indicare un file .yaml" if path.is_dir() else "non esiste"
        raise esci(f"{path}: il file {motivo}", 2)
    try:
        return carica(path)
    except RegolamentoNonValido as exc:
        raise esci_per_problemi(exc.problemi) from None


_FILE = Annotated[
    Path, typer.Argument(help="File YAML del regolamento.", show_default=False, metavar="R.yaml")
]


@regolamento_app.command()
def verifica(
    regolamenti: Annotated[
        list[Path],
        typer.Argument(
            help="File YAML dei regolamenti, o cartelle che li contengono.",
            show_default=False,
            metavar="R.yaml...",
        ),
    ],
) -> None:
    """Verifica i regolamenti: forma, campi, condizioni; con più versioni, le loro vigenze."""
    from equo.regolamenti.versioni import carica_versioni

    out, err = consoles()
    problemi: list[Problema] = []
    validi: dict[str, list[Path]] = {}
    for path in file_regolamento(regolamenti):
        try:
            compilato = carica(path)
        except RegolamentoNonValido as exc:
            problemi += exc.problemi
            continue
        documento = compilato.documento
        out.print(f"✓ {path}: {documento.codice} {documento.versione} — valido", markup=False)
        validi.setdefault(documento.codice, []).append(path)
    for codice, paths in validi.items():
        if len(paths) < 2:
            continue
        try:
            versioni = carica_versioni(paths)
        except RegolamentoNonValido as exc:
            problemi += exc.problemi
            continue
        out.print(
            f"✓ {codice}: {len(versioni)} versioni, nessuna sovrapposizione delle vigenze",
            markup=False,
        )
        for inizio, fine in versioni.lacune():
            err.print(
                f"  attenzione: dal {inizio:%d/%m/%Y} al {fine:%d/%m/%Y} nessuna versione di "
                f"{codice} è in vigore",
                markup=False,
            )
    if problemi:
        raise esci_per_problemi(problemi)


@regolamento_app.command()
def spiega(regolamento: _FILE) -> None:
    """Spiega un regolamento in italiano: requisiti, importo, graduatoria, stanziamento."""
    from equo.regolamenti.spiega import spiega as spiega_documento

    compilato = carica_o_esci(regolamento)
    consoles()[0].print(spiega_documento(compilato.documento), markup=False)


@regolamento_app.command()
def diff(
    prima: Annotated[
        Path, typer.Argument(help="La versione precedente.", show_default=False, metavar="A.yaml")
    ],
    dopo: Annotated[
        Path, typer.Argument(help="La versione successiva.", show_default=False, metavar="B.yaml")
    ],
) -> None:
    """Elenca le differenze tra due versioni di un regolamento, una per riga."""
    from equo.regolamenti.diff import differenze

    a, b = carica_o_esci(prima), carica_o_esci(dopo)
    righe = differenze(a.documento, b.documento)
    consoles()[0].print("\n".join(righe) if righe else "Nessuna differenza.", markup=False)


def _tabella_campi(campi: dict[str, Campo], titoli: dict[str, str]) -> Table:
    table = Table(title="Vocabolario delle domande", show_lines=False)
    table.add_column("Campo", no_wrap=True)
    table.add_column("Tipo", no_wrap=True)
    table.add_column("Descrizione")
    ordine = {gruppo: i for i, gruppo in enumerate(titoli)}
    per_gruppo = sorted(campi.values(), key=lambda c: ordine.get(c.gruppo, len(ordine)))
    gruppo_corrente = None
    for campo in per_gruppo:
        if campo.gruppo != gruppo_corrente:
            gruppo_corrente = campo.gruppo
            table.add_section()
            table.add_row(f"[bold]{titoli.get(campo.gruppo, campo.gruppo)}[/bold]", "", "")
        nome = f"{campo.nome} *" if campo.obbligatorio else campo.nome
        table.add_row(nome, campo.tipo.value, campo.descrizione)
    return table


@regolamento_app.command()
def campi(
    regolamento: Annotated[
        Path | None,
        typer.Argument(
            help="Un regolamento: aggiunge i suoi campi_domanda.",
            show_default=False,
            metavar="[R.yaml]",
        ),
    ] = None,
) -> None:
    """Elenca i campi che le condizioni possono usare (nome, tipo, descrizione)."""
    titoli = gruppi()
    elenco = dict(campi_comuni())
    if regolamento is not None:
        compilato = carica_o_esci(regolamento)
        elenco = campi_del_regolamento(compilato.documento.campi_domanda)
        titoli["regolamento"] = f"Campi propri di {compilato.documento.etichetta}"
    out = consoles()[0]
    out.print(_tabella_campi(elenco, titoli))
    out.print(
        "* obbligatorio in ogni domanda. Nella graduatoria (ordine) si possono usare anche "
        "punteggio e importo, calcolati da Equo.",
        markup=False,
    )


@regolamento_app.command()
def schema() -> None:
    """Stampa lo JSON Schema dei regolamenti (anche in schemas/regolamento.schema.json)."""
    from equo.regolamenti.docs import schema_testo

    sys.stdout.write(schema_testo())


def _registra_valuta() -> None:
    from equo.regolamenti.cli_valuta import valuta

    regolamento_app.command(
        "valuta",
        help="Valuta un file di domande (CSV, Parquet, JSON Lines) e scrive gli esiti.",
    )(valuta)


_registra_valuta()
