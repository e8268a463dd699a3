"""Files of domande in, files of esiti out: CSV, Parquet or JSON Lines, chosen by extension.

:func:`leggi_domande` reads a file of domande into a Polars frame whose columns used by the
regolamento have the vocabulary's types (:mod:`equo.regolamenti.vocabolario`). A CSV file is
read as text and converted column by column, the way an officer writes it:

- numbers with a decimal point (``1234.5``) or, with no point, a decimal comma (``1234,5``);
- integers (``3``, also ``3.0``);
- booleans ``true``/``false``, ``sì``/``si``/``no``, ``vero``/``falso``, ``1``/``0`` (any case);
- dates ``AAAA-MM-GG``;
- an empty cell is a missing value (never an error: the condition that reads it is not met).

A value that cannot be converted is an error naming the row (``riga 3`` is the third domanda
of the file, the header not counted) and the column; every column's first bad value is
reported at once (:class:`~equo.regolamenti.valuta.DomandeNonValide`). Parquet and JSON Lines
columns already of the right type are kept; text columns are converted as in a CSV file.

:func:`scrivi_esiti` writes the esiti transactionally: to a temporary file beside the
destination, renamed over it only when complete, so that a failed run leaves the previous file
(or none), never half a file. A file that cannot be used as a whole (unknown extension,
missing folder) is :class:`FileNonUtilizzabile`.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO

import polars as pl
from polars.exceptions import PolarsError

from equo.regolamenti.compilato import RegolamentoCompilato
from equo.regolamenti.documento import TipoCampo
from equo.regolamenti.valuta import DomandeNonValide, Esiti
from equo.regolamenti.vocabolario import Campo

__all__ = [
    "COLONNA_RIGA",
    "FORMATI",
    "FileNonUtilizzabile",
    "controlla_destinazione",
    "converti_colonne",
    "leggi_domande",
    "scrivi_atomico",
    "scrivi_esiti",
    "tabella_esiti",
]

FORMATI = (".csv", ".parquet", ".jsonl", ".ndjson")
"""Extensions of the files of domande and of esiti."""

COLONNA_RIGA = "_riga"
"""Optional column of the position of each domanda in its file (from 0): if the frames of
:func:`tabella_esiti` carry it, the esiti are written in that order (and it is dropped)."""

_DESCRIZIONE_TIPO = {
    TipoCampo.euro: "atteso un importo in euro, per esempio 1234.56",
    TipoCampo.numero: "atteso un numero, per esempio 12.5",
    TipoCampo.intero: "atteso un numero intero",
    TipoCampo.booleano: "atteso true/false, sì/no o 1/0",
    TipoCampo.data: "attesa una data AAAA-MM-GG",
    TipoCampo.testo: "atteso un testo",
}
_VERO = ("true", "vero", "sì", "si", "1")
_FALSO = ("false", "falso", "no", "0")
_MAX_INTERO_ESATTO = 2.0**53


class FileNonUtilizzabile(ValueError):  # noqa: N818 - Italian name of a domain error
    """A file that cannot be used as a whole (unknown format, missing folder, not writable)."""


def _formato(path: Path, cosa: str) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATI:
        raise FileNonUtilizzabile(
            f"{path}: formato del file {cosa} non riconosciuto "
            f"({path.suffix or 'senza estensione'}): usare {', '.join(FORMATI)}"
        )
    return suffix


# --- conversion ------------------------------------------------------------------------------


def _da_testo(testo: pl.Expr, tipo: TipoCampo) -> pl.Expr:
    """The typed value of the (stripped, non-empty) text ``testo``; null if not convertible."""
    if tipo in (TipoCampo.euro, TipoCampo.numero):
        decimale = (
            pl.when(testo.str.contains(".", literal=True))
            .then(testo)
            .otherwise(testo.str.replace(",", ".", literal=True))
        )
        valore = decimale.cast(pl.Float64, strict=False)
        return pl.when(valore.is_finite()).then(valore)
    if tipo is TipoCampo.intero:
        intero = testo.cast(pl.Int64, strict=False)
        return pl.when(intero.is_not_null()).then(intero).otherwise(_intero(testo))
    if tipo is TipoCampo.booleano:
        minuscolo = testo.str.to_lowercase()
        return (
            pl.when(minuscolo.is_in(_VERO))
            .then(pl.lit(True))
            .when(minuscolo.is_in(_FALSO))
            .then(pl.lit(False))
        )
    if tipo is TipoCampo.data:
        valida = testo.str.contains(r"^\d{4}-\d{2}-\d{2}$")
        return pl.when(valida).then(testo.str.to_date("%Y-%m-%d", strict=False))
    return testo


def _intero(valore: pl.Expr) -> pl.Expr:
    """A float-like value (``3.0``) as an integer; null if it has a fractional part."""
    numero = valore.cast(pl.Float64, strict=False)
    esatto = numero.is_finite() & (numero == numero.floor()) & (numero.abs() < _MAX_INTERO_ESATTO)
    return pl.when(esatto).then(numero.cast(pl.Int64, strict=False))


def _converti(nome: str, origine: pl.DataType, campo: Campo) -> tuple[pl.Expr, pl.Expr]:
    """The converted column and the mask of its values that could not be converted."""
    col = pl.col(nome)
    valore: pl.Expr
    if origine == pl.String:
        testo = col.str.strip_chars()
        presente = testo.str.len_chars() > 0
        valore = pl.when(presente).then(_da_testo(testo, campo.tipo))
    elif origine == campo.dtype or origine == pl.Null:
        return col.cast(campo.dtype), pl.lit(False)
    else:
        presente = col.is_not_null()
        if campo.tipo is TipoCampo.intero and origine.is_float():
            valore = _intero(col)
        elif campo.tipo is TipoCampo.booleano and origine.is_numeric():
            valore = pl.when(col == 1).then(pl.lit(True)).when(col == 0).then(pl.lit(False))
        elif campo.tipo is TipoCampo.data and isinstance(origine, pl.Datetime):
            valore = col.dt.date()
        else:
            valore = col.cast(campo.dtype, strict=False)
    convertito = valore.cast(campo.dtype)
    return convertito, presente & convertito.is_null()


def _mostra(valore: object) -> str:
    testo = repr(valore) if isinstance(valore, str) else str(valore)
    return testo if len(testo) <= 40 else testo[:37] + "…"


def converti_colonne(
    domande: pl.DataFrame, campi: Mapping[str, Campo], colonne: Iterable[str]
) -> pl.DataFrame:
    """``domande`` with ``colonne`` converted to the types of ``campi``.

    Raise :class:`DomandeNonValide` naming, for each column with a bad value, the first row
    (from 1) and the value, and how many other rows of the column are bad.

    >>> from equo.regolamenti.vocabolario import campi_comuni
    >>> frame = pl.DataFrame({"isee": ["1234,5", ""], "nucleo_monogenitore": ["sì", "0"]})
    >>> converti_colonne(frame, campi_comuni(), ["isee", "nucleo_monogenitore"]).rows()
    [(1234.5, True), (None, False)]
    >>> converti_colonne(frame.with_columns(isee=pl.lit("12a")), campi_comuni(), ["isee"])
    Traceback (most recent call last):
    ...
    equo.regolamenti.valuta.DomandeNonValide: riga 1, colonna isee: valore non valido '12a' (atteso un importo in euro, per esempio 1234.56); anche in altre 1 righe
    """  # noqa: E501 - a doctest's expected output is one line
    valori: dict[str, pl.Expr] = {}
    errati: dict[str, pl.Expr] = {}
    for nome in dict.fromkeys(colonne):
        if nome not in domande.columns or nome not in campi:
            continue
        valore, errato = _converti(nome, domande.schema[nome], campi[nome])
        valori[nome] = valore
        errati[nome] = errato
    if not valori:
        return domande
    controllo = domande.select(
        *(e.sum().alias(f"n:{n}") for n, e in errati.items()),
        *(e.arg_true().first().alias(f"i:{n}") for n, e in errati.items()),
    ).row(0, named=True)
    problemi = []
    for nome in errati:
        quanti = int(controllo[f"n:{nome}"] or 0)
        if not quanti:
            continue
        riga = int(controllo[f"i:{nome}"])
        altre = f"; anche in altre {quanti - 1} righe" if quanti > 1 else ""
        problemi.append(
            f"riga {riga + 1}, colonna {nome}: valore non valido "
            f"{_mostra(domande[nome][riga])} ({_DESCRIZIONE_TIPO[campi[nome].tipo]}){altre}"
        )
    if problemi:
        raise DomandeNonValide(problemi)
    return domande.with_columns(**valori)


# --- reading ---------------------------------------------------------------------------------


def _prima_riga(path: Path) -> str:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return fh.readline()


def _leggi_csv(path: Path) -> pl.DataFrame:
    try:
        intestazione = _prima_riga(path)
    except UnicodeDecodeError:
        raise DomandeNonValide([f"{path}: il file non è testo UTF-8: salvarlo in UTF-8"]) from None
    if not intestazione.strip():
        raise DomandeNonValide([f"{path}: il file è vuoto (manca la riga di intestazione)"])
    separatore = ";" if ";" in intestazione and "," not in intestazione else ","
    colonne = [c.strip() for c in next(csv.reader([intestazione], delimiter=separatore))]
    ripetute = sorted({c for c in colonne if colonne.count(c) > 1})
    if ripetute:
        raise DomandeNonValide(
            [f"{path}: colonne ripetute nell'intestazione: {', '.join(ripetute)}"]
        )
    try:
        frame = pl.read_csv(path, separator=separatore, infer_schema=False)
    except PolarsError as exc:
        raise DomandeNonValide([f"{path}: CSV non valido ({_prima(exc)})"]) from None
    return frame.rename({c: c.strip() for c in frame.columns if c != c.strip()})


def _leggi_jsonl(path: Path) -> pl.DataFrame:
    try:
        return pl.read_ndjson(path, infer_schema_length=None)
    except PolarsError as exc:
        problema = _errore_json(path) or f"{path}: JSON non valido ({_prima(exc)})"
        raise DomandeNonValide([problema]) from None
    except UnicodeDecodeError:
        raise DomandeNonValide([f"{path}: il file non è testo UTF-8: salvarlo in UTF-8"]) from None


def _errore_json(path: Path) -> str | None:
    """The first line of ``path`` that is not a JSON object, in words (None if none is found)."""
    with contextlib.suppress(OSError, UnicodeDecodeError), path.open(encoding="utf-8-sig") as fh:
        for numero, riga in enumerate(fh, start=1):
            if not riga.strip():
                continue
            try:
                valore = json.loads(riga)
            except json.JSONDecodeError as exc:
                return f"{path}, riga {numero}: JSON non valido ({exc.msg}, colonna {exc.colno})"
            if not isinstance(valore, dict):
                return f"{path}, riga {numero}: ogni riga deve essere un oggetto JSON {{…}}"
    return None


def _leggi_parquet(path: Path) -> pl.DataFrame:
    try:
        return pl.read_parquet(path)
    except (PolarsError, OSError) as exc:
        raise DomandeNonValide([f"{path}: Parquet non valido ({_prima(exc)})"]) from None


def _prima(exc: BaseException) -> str:
    testo = str(exc).strip()
    return testo.splitlines()[0] if testo else type(exc).__name__


_LETTORI: dict[str, Callable[[Path], pl.DataFrame]] = {
    ".csv": _leggi_csv,
    ".parquet": _leggi_parquet,
    ".jsonl": _leggi_jsonl,
    ".ndjson": _leggi_jsonl,
}


def _mancanti(frame: pl.DataFrame, regolamenti: Sequence[RegolamentoCompilato]) -> list[str]:
    problemi = []
    for compilato in regolamenti:
        mancano = [c for c in compilato.campi_usati if c not in frame.columns]
        if mancano:
            problema = (
                "mancano le colonne richieste dal regolamento "
                f"{compilato.documento.etichetta}: {', '.join(mancano)}"
            )
            if problema not in problemi:
                problemi.append(problema)
    return problemi


def leggi_domande(
    path: Path, regolamenti: RegolamentoCompilato | Sequence[RegolamentoCompilato]
) -> pl.DataFrame:
    """Read the domande of ``path`` with the columns the regolamenti use typed.

    With several versions, the columns are those any of them uses (the first version that
    declares a field gives its type). Columns no regolamento uses are kept as read. Raise
    :class:`FileNonUtilizzabile` for a missing file or an unknown extension and
    :class:`DomandeNonValide` for anything wrong inside the file.
    """
    elenco = [regolamenti] if isinstance(regolamenti, RegolamentoCompilato) else list(regolamenti)
    formato = _formato(path, "delle domande")
    if not path.is_file():
        motivo = "è una cartella" if path.is_dir() else "il file non esiste"
        raise FileNonUtilizzabile(f"{path}: impossibile leggere le domande: {motivo}")
    try:
        frame = _LETTORI[formato](path)
    except OSError as exc:
        raise FileNonUtilizzabile(f"{path}: impossibile leggere il file: {exc}") from None
    if frame.height == 0:
        raise DomandeNonValide([f"{path}: il file non contiene domande"])
    problemi = _mancanti(frame, elenco)
    if problemi:
        raise DomandeNonValide([f"{path}: {p}" for p in problemi])
    campi: dict[str, Campo] = {}
    usati: list[str] = []
    for compilato in elenco:
        usati.extend(compilato.campi_usati)
        for nome in compilato.campi_usati:
            campi.setdefault(nome, compilato.campi[nome])
    try:
        return converti_colonne(frame, campi, usati)
    except DomandeNonValide as exc:
        raise DomandeNonValide([f"{path}: {p}" for p in exc.problemi]) from None


# --- esiti -----------------------------------------------------------------------------------


def _colonne(esiti: Esiti, versione: bool) -> list[str]:
    presenti = set(esiti.frame.columns)
    colonne = ["id_domanda", *(["versione"] if versione else []), "esito", "ammissibile"]
    colonne += [c.colonna for c in esiti.regolamento.condizioni]
    colonne += [c for c in ("importo", "punteggio", "posizione") if c in presenti]
    colonne += [c for c in ("finanziata", "importo_assegnato") if c in presenti]
    return colonne


def tabella_esiti(
    esiti: Esiti | Sequence[Esiti],
    motivazioni: pl.DataFrame | None = None,
    *,
    versione: bool | None = None,
) -> pl.DataFrame:
    """The columns written to a file of esiti, one row per domanda.

    ``id_domanda``, ``versione`` (with several versions, or if ``versione``), ``esito``,
    ``ammissibile``, every ``requisito__*``, then ``importo``, ``punteggio``, ``posizione``,
    ``finanziata`` and ``importo_assegnato`` where the regolamento has them, and
    ``motivazione`` if ``motivazioni`` (``id_domanda``, ``motivazione``) is given. Rows are in
    the order of :data:`COLONNA_RIGA` where the frames carry it.
    """
    elenco = [esiti] if isinstance(esiti, Esiti) else list(esiti)
    con_versione = len(elenco) > 1 if versione is None else versione
    parti = []
    ordine: list[str] = []
    for e in elenco:
        colonne = _colonne(e, con_versione)
        ordine.extend(c for c in colonne if c not in ordine)
        frame = e.frame.with_columns(versione=pl.lit(e.regolamento.documento.versione))
        extra = [COLONNA_RIGA] if COLONNA_RIGA in frame.columns else []
        parti.append(frame.select(*colonne, *extra))
    tabella = pl.concat(parti, how="diagonal_relaxed") if len(parti) > 1 else parti[0]
    if COLONNA_RIGA in tabella.columns:
        tabella = tabella.sort(COLONNA_RIGA)
    tabella = tabella.select(ordine)
    if motivazioni is not None:
        testi = motivazioni.select("id_domanda", "motivazione")
        tabella = tabella.join(testi, on="id_domanda", how="left", maintain_order="left")
    return tabella


def controlla_destinazione(path: Path, *sorgenti: Path) -> None:
    """Raise :class:`FileNonUtilizzabile` if the esiti cannot be written to ``path``."""
    _formato(path, "degli esiti")
    if not path.parent.is_dir():
        raise FileNonUtilizzabile(f"{path}: la cartella {path.parent} non esiste")
    if path.is_dir():
        raise FileNonUtilizzabile(f"{path}: è una cartella, non un file")
    for sorgente in sorgenti:
        if sorgente.exists() and path.resolve() == sorgente.resolve():
            raise FileNonUtilizzabile(f"{path}: è il file delle domande: sceglierne un altro")


def scrivi_atomico(path: Path, scrivi: Callable[[IO[bytes]], None]) -> None:
    """Write ``path`` through a temporary file renamed over it only when complete."""
    temporaneo = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with temporaneo.open("xb") as fh:
            scrivi(fh)
            fh.flush()
            os.fsync(fh.fileno())
        temporaneo.replace(path)
    except OSError as exc:
        raise FileNonUtilizzabile(f"{path}: impossibile scrivere il file: {exc}") from None
    finally:
        with contextlib.suppress(OSError):
            temporaneo.unlink(missing_ok=True)


def scrivi_esiti(tabella: pl.DataFrame, path: Path) -> None:
    """Write ``tabella`` (see :func:`tabella_esiti`) as CSV, Parquet or JSON Lines."""
    formato = _formato(path, "degli esiti")

    def scrivi(fh: IO[bytes]) -> None:
        if formato == ".parquet":
            tabella.write_parquet(fh)
        elif formato == ".csv":
            tabella.write_csv(fh)
        else:
            tabella.write_ndjson(fh)

    scrivi_atomico(path, scrivi)
