"""``equo popolazione …``: generate, check and import populations of nuclei.

Every error is an Italian message, never a traceback. Exit codes: 0 done; 1 the input is not
valid (rows of domande with problems and no ``--scarti``) or, for ``verifica``, a calibration
target is out of tolerance; 2 the command is used wrongly (a missing file, a bad option).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from equo.isee.parameters import load_parameters
from equo.popolazione.calibrazione import (
    Conteggi,
    Esito,
    carica_calibrazione,
    misura,
    righe_verifica,
    verifica,
)
from equo.popolazione.carica import (
    COLONNE_SCARTI,
    FileDomandeNonValido,
    Scarti,
    carica_domande_passate,
)
from equo.popolazione.file import (
    FileNonValido,
    ScrittorePopolazione,
    leggi_blocchi,
    leggi_metadati,
    salva_popolazione,
)
from equo.popolazione.genera import (
    DATA_PREDEFINITA,
    genera_blocchi,
    metadati_generazione,
)

__all__ = ["MAX_PROBLEMI_STAMPATI", "popolazione_app"]

_LARGHEZZA = 130
MAX_PROBLEMI_STAMPATI = 50
"""Problems printed on the terminal; the rejects file (``--scarti``) always has all of them."""

popolazione_app = typer.Typer(
    name="popolazione",
    help="Popolazioni di nuclei per le simulazioni: generazione sintetica calibrata, verifica "
    "della calibrazione, importazione delle domande passate.",
    no_args_is_help=True,
)


def _consoles() -> tuple[Console, Console]:
    # Built per call, so that they write to the streams of the moment (tests capture them).
    return (
        Console(highlight=False, soft_wrap=True),
        Console(stderr=True, highlight=False, soft_wrap=True),
    )


def _esci(messaggio: str, codice: int) -> typer.Exit:
    _consoles()[1].print(messaggio, markup=False)
    return typer.Exit(codice)


def _destinazione(path: Path, *sorgenti: Path, estensioni: Sequence[str]) -> None:
    if path.suffix.lower() not in estensioni:
        raise _esci(f"{path}: estensione non ammessa: usare {', '.join(estensioni)}", 2)
    if not path.parent.is_dir():
        raise _esci(f"{path}: la cartella {path.parent} non esiste", 2)
    if path.is_dir():
        raise _esci(f"{path}: è una cartella, non un file", 2)
    for sorgente in sorgenti:
        if sorgente.exists() and path.resolve() == sorgente.resolve():
            raise _esci(f"{path}: è il file di partenza: sceglierne un altro", 2)


def _barra(err: Console, testo: str) -> Progress:
    return Progress(
        TextColumn(testo),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


def _tabella(esiti: Iterable[Esito]) -> Table:
    tabella = Table(title="Calibrazione: obiettivo e valore ottenuto")
    for nome, allinea in (
        ("Obiettivo", "left"),
        ("Valore", "right"),
        ("Ottenuto", "right"),
        ("Tolleranza", "right"),
        ("Esito", "left"),
    ):
        tabella.add_column(nome, justify=allinea)  # type: ignore[arg-type]
    for riga in righe_verifica(esiti):
        tabella.add_row(*riga)
    return tabella


def _stampa_verifica(out: Console, esiti: list[Esito]) -> bool:
    """Print the calibration table; whether every measurable target is within tolerance."""
    # one line per target also when the output is not a terminal (a file, a pipe)
    larghezza = out.width if out.is_terminal else _LARGHEZZA
    Console(file=out.file, width=larghezza, highlight=False).print(_tabella(esiti))
    fuori = [e for e in esiti if e.rispettato is False]
    if fuori:
        out.print(
            f"{len(fuori)} obiettivi fuori tolleranza: " + ", ".join(e.obiettivo.id for e in fuori),
            markup=False,
        )
    else:
        out.print("Tutti gli obiettivi misurabili sono rispettati.", markup=False)
    return not fuori


def _data(testo: str | None) -> dt.date:
    if testo is None:
        return DATA_PREDEFINITA
    try:
        giorno = dt.date.fromisoformat(testo)
    except ValueError:
        raise _esci(f"--data {testo}: data non valida, usare AAAA-MM-GG", 2) from None
    inizio = load_parameters().start_date
    if giorno < inizio:
        raise _esci(f"--data {testo}: le DSU del DPCM 159/2013 partono dal {inizio.isoformat()}", 2)
    return giorno


def _comuni(testo: str | None) -> dict[str, float] | None:
    """``001013=40,001006=20`` as a mapping (None: the default comuni)."""
    if testo is None:
        return None
    comuni: dict[str, float] = {}
    for parte in testo.split(","):
        codice, uguale, peso = parte.strip().partition("=")
        try:
            valore = float(peso) if uguale else 1.0
        except ValueError:
            valore = -1.0
        if not codice or valore < 0:
            raise _esci(
                f"--comuni: '{parte.strip()}' non valido: usare CODICE=PESO separati da "
                "virgole, per esempio 001013=40,001006=20",
                2,
            )
        comuni[codice.strip()] = valore
    if sum(comuni.values()) <= 0:
        raise _esci("--comuni: almeno un peso deve essere maggiore di zero", 2)
    return comuni


@popolazione_app.command("genera")
def genera(
    nuclei: Annotated[
        int,
        typer.Option(
            "--nuclei",
            min=1,
            max=100_000_000,
            help="Numero di nuclei da generare (da 1.000 a 10.000.000 è l'uso previsto).",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="File Parquet della popolazione.", show_default=False),
    ],
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Seme: lo stesso seme dà lo stesso file.")
    ] = 0,
    data: Annotated[
        str | None,
        typer.Option(
            "--data",
            help="Data di riferimento AAAA-MM-GG: DSU e domande dal 1° gennaio di quell'anno "
            f"a quella data (predefinita {DATA_PREDEFINITA.isoformat()}).",
            show_default=False,
        ),
    ] = None,
    comuni: Annotated[
        str | None,
        typer.Option(
            "--comuni",
            help="Comuni di residenza con i pesi, come 001013=40,001006=20 (predefiniti: i "
            "quattro Comuni dell'Unione di esempio).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Genera una popolazione sintetica calibrata e la scrive in un file Parquet."""
    out, err = _consoles()
    _destinazione(output, estensioni=(".parquet",))
    giorno = _data(data)
    pesi = _comuni(comuni)
    calibrazione = carica_calibrazione()
    metadati = metadati_generazione(
        nuclei, seed=seed, data=giorno, comuni=pesi, calibrazione=calibrazione
    )
    conteggi = Conteggi()
    barra = _barra(err, "Generazione")
    compito = barra.add_task("genera", total=nuclei)
    try:
        with barra, ScrittorePopolazione(output, metadati, in_parallelo=True) as scrittore:
            for blocco in genera_blocchi(
                nuclei,
                seed=seed,
                data=giorno,
                comuni=pesi,
                calibrazione=calibrazione,
                progress=lambda fatti, totale: barra.update(compito, completed=fatti),
            ):
                scrittore.scrivi(blocco.popolazione)
                conteggi += misura(blocco.popolazione, calibrazione, isee=blocco.isee)
                del blocco  # not alive while the next block is generated
    except (FileNonValido, ValueError) as exc:
        raise _esci(f"{output}: {exc}", 2) from None
    quanti = f"{nuclei:,}".replace(",", ".")
    out.print(
        f"Popolazione di {quanti} nuclei (seme {seed}, data {giorno.isoformat()}) scritta in "
        f"{output}",
        markup=False,
    )
    _stampa_verifica(out, verifica(conteggi, calibrazione))


@popolazione_app.command("verifica")
def verifica_file(
    path: Annotated[
        Path, typer.Argument(help="File Parquet di una popolazione.", show_default=False)
    ],
) -> None:
    """Misura una popolazione rispetto agli obiettivi di calibrazione (esce con 1 se fuori)."""
    out, err = _consoles()
    try:
        metadati = leggi_metadati(path)
        calibrazione = carica_calibrazione()
        conteggi = Conteggi()
        totale = int(metadati.get("nuclei", 0)) or None
        barra = _barra(err, "Verifica")
        compito = barra.add_task("verifica", total=totale)
        with barra:
            for blocco in leggi_blocchi(path):
                conteggi += misura(blocco, calibrazione)
                barra.advance(compito, len(blocco))
    except FileNonValido as exc:
        raise _esci(str(exc), 2) from None
    for chiave, valore in metadati.items():
        out.print(f"{chiave}: {valore}", markup=False)
    sha = metadati.get("calibrazione_sha256")
    if sha is not None and sha != calibrazione.sha256:
        out.print(
            "Attenzione: il file è stato generato con un altro file di calibrazione.",
            markup=False,
        )
    if not _stampa_verifica(out, verifica(conteggi, calibrazione)):
        raise typer.Exit(1)


def _scrivi_scarti(scarti: Scarti, path: Path) -> None:
    testo = io.StringIO()
    scrittore = csv.writer(testo, lineterminator="\n")
    scrittore.writerow(list(COLONNE_SCARTI))
    scrittore.writerows(scarti.problemi.select(list(COLONNE_SCARTI)).rows())
    temporaneo = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        temporaneo.write_text(testo.getvalue(), encoding="utf-8")
        temporaneo.replace(path)
    except OSError as exc:
        temporaneo.unlink(missing_ok=True)
        raise _esci(f"{path}: impossibile scrivere il file: {exc}", 2) from None


def _problemi(scarti: Scarti, path_scarti: Path | None) -> list[str]:
    messaggi = scarti.messaggi()
    righe = [f"  - {m}" for m in messaggi[:MAX_PROBLEMI_STAMPATI]]
    nascosti = len(messaggi) - MAX_PROBLEMI_STAMPATI
    if nascosti > 0:
        altri = f"  … e altri {nascosti} problemi"
        righe.append(f"{altri} (tutti in {path_scarti})" if path_scarti else altri)
    return righe


@popolazione_app.command("importa")
def importa(
    domande: Annotated[
        Path,
        typer.Argument(
            help="File CSV o Parquet delle domande passate con i valori dell'attestazione.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="File Parquet della popolazione.", show_default=False),
    ],
    scarti: Annotated[
        Path | None,
        typer.Option(
            "--scarti",
            help="File CSV per le righe non valide: le valide vengono importate comunque. Senza "
            "questa opzione, una sola riga non valida blocca tutto e nulla viene scritto.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Importa le domande passate (con i valori dell'attestazione ISEE) come popolazione."""
    out, err = _consoles()
    _destinazione(output, domande, estensioni=(".parquet",))
    if scarti is not None:
        _destinazione(scarti, domande, output, estensioni=(".csv",))
    try:
        pop, rifiutate = carica_domande_passate(domande)
    except FileDomandeNonValido as exc:
        raise _esci(str(exc), 2) from None
    if rifiutate.colonne_fuori_vocabolario:
        err.print(
            "Colonne non del vocabolario, importate come sono: "
            + ", ".join(rifiutate.colonne_fuori_vocabolario),
            markup=False,
        )
    if len(rifiutate) and scarti is None:
        righe = [
            f"{domande}: {rifiutate.righe_scartate} righe su {rifiutate.righe_lette} non sono "
            f"valide ({len(rifiutate)} problemi). Non è stato scritto nulla.",
            *_problemi(rifiutate, None),
            "Correggerle, oppure usare --scarti FILE.csv per metterle da parte e importare le "
            "altre.",
        ]
        raise _esci("\n".join(righe), 1)
    if not len(pop):
        if scarti is not None:
            _scrivi_scarti(rifiutate, scarti)
        raise _esci(f"{domande}: nessuna riga valida; {output} non è stato scritto.", 1)
    try:
        salva_popolazione(pop, output)
    except FileNonValido as exc:
        raise _esci(str(exc), 2) from None
    if scarti is not None:
        _scrivi_scarti(rifiutate, scarti)
    out.print(
        f"Righe lette: {rifiutate.righe_lette}\nNuclei importati: {len(pop)}\n"
        f"Righe scartate: {rifiutate.righe_scartate}\nPopolazione: {output}",
        markup=False,
    )
    if scarti is not None:
        out.print(f"Scarti: {scarti}", markup=False)
    if len(rifiutate):
        err.print(
            "\n".join(
                [
                    f"{rifiutate.righe_scartate} righe scartate ({len(rifiutate)} problemi), "
                    f"tutte in {scarti}:",
                    *_problemi(rifiutate, scarti),
                ]
            ),
            markup=False,
        )
    conteggi = misura(pop)
    _stampa_verifica(out, verifica(conteggi))
