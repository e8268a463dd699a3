"""A population in one Parquet file: one row per nucleo, its DSU nested in the row.

Columns of the file (format ``equo-popolazione/1``):

- the columns of the nuclei (``id_nucleo``, the domanda fields…) except ``dsu_id``, which the
  file does not need: a nucleo's DSU is in its own row;
- ``dsu``: a struct with the fields of the DSU frame ``nuclei`` (:data:`~equo.isee.frames.SCHEMAS`)
  but ``dsu_id``; null for a nucleo without DSU;
- ``componenti``, ``rapporti``, ``immobili``, ``redditi_correnti``, ``figli_non_compresi``,
  ``rapporti_correnti``, ``immobili_correnti``: one list of structs per nucleo with the fields
  of the frame of the same name, without the ids the nesting makes implicit (``dsu_id``, and
  ``componente_id`` of the members). In the other lists ``componente_id`` is the position of
  the member in the nucleo's ``componenti`` list (0 for the first);
- a population without DSUs (past domande with their attestazione) has the nuclei columns only.

The metadata of the population (generator, version, seed, number of nuclei, SHA-256 of the
calibration file…) are in the Parquet key-value metadata, with the prefix ``equo.``; the file
records no timestamp, so that the same population always gives the same bytes. Reading
rebuilds :class:`~equo.isee.frames.DsuFrames` with ``dsu_id`` and ``componente_id`` as row
numbers, the way the engine expects them.

Files are written to a temporary file beside the destination and renamed over it only when
complete: a failed or interrupted write leaves the previous file (or none), never half a file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from equo.isee.frames import SCHEMAS, DsuFrames
from equo.popolazione.modello import Popolazione

__all__ = [
    "FORMATO",
    "TABELLE_ANNIDATE",
    "FileNonValido",
    "ScrittorePopolazione",
    "leggi_blocchi",
    "leggi_metadati",
    "leggi_popolazione",
    "salva_popolazione",
    "tabella_arrow",
]

FORMATO = "equo-popolazione/1"
TABELLE_ANNIDATE = (
    "componenti",
    "rapporti",
    "immobili",
    "redditi_correnti",
    "figli_non_compresi",
    "rapporti_correnti",
    "immobili_correnti",
)
"""The DSU frames stored as one list of structs per nucleo, in the order of the columns."""

RIGHE_PER_GRUPPO = 1_000_000
"""Rows per Parquet row group when a whole population is saved at once."""

_PREFISSO = "equo."
_CHIAVE_FORMATO = "equo.formato"
_CHIAVE_DSU = "equo.con_dsu"
_DSU = "dsu"
Ints = npt.NDArray[np.int64]
P = pl.col

_TIPI: dict[str, pl.DataType] = {
    nome: dtype for schema in SCHEMAS.values() for nome, dtype in schema.items()
}
"""The type of every column name of the DSU frames (a name has one type in every frame)."""


class FileNonValido(ValueError):  # noqa: N818 - Italian name of a domain error
    """A file that is not a population of Equo, or cannot be read or written."""


def _campi(tabella: str) -> list[str]:
    """The fields of a nested table: the frame's columns without the implicit ids."""
    implicite = {"dsu_id"} | ({"componente_id"} if tabella == "componenti" else set())
    return [c for c in SCHEMAS[tabella] if c not in implicite]


# --- writing ---------------------------------------------------------------------------------


def _struct(frame: pl.DataFrame, campi: list[str]) -> pa.StructArray:
    tabella = frame.select(P(c).cast(_TIPI[c]) for c in campi).to_arrow()
    return pa.StructArray.from_arrays(
        [tabella.column(c).combine_chunks() for c in campi], names=campi
    )


def _ordinati(dsu: Ints) -> Ints | None:
    """The order that sorts ``dsu`` (stable), or None if it is sorted already."""
    if dsu.size < 2 or bool(np.all(dsu[1:] >= dsu[:-1])):
        return None
    return np.argsort(dsu, kind="stable").astype(np.int64)


def _lista(frame: pl.DataFrame, dsu: Ints, n: int, campi: list[str]) -> pa.ListArray:
    """One list per DSU of the rows of ``frame`` (``dsu``: the DSU of each row)."""
    ordine = _ordinati(dsu)
    if ordine is not None:
        frame, dsu = frame[ordine], dsu[ordine]
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(dsu, minlength=n), out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), _struct(frame, campi))


def _colonne_dsu(frames: DsuFrames) -> dict[str, pa.Array]:
    """The nested columns, one row per DSU of ``frames``."""
    if (
        frames.figli_dati is not None
        or frames.figli_non_compresi["figlio_dsu_id"].is_not_null().any()
    ):
        raise ValueError(
            "a population file cannot hold the data of figli outside the nucleo (figli_dati)"
        )
    n = len(frames)
    if not frames.nuclei["dsu_id"].equals(pl.Series("dsu_id", np.arange(n, dtype=np.int64))):
        raise ValueError("the nuclei frame of the DSUs must have dsu_id = row number")
    componenti = frames.componenti
    dsu_componente = componenti["dsu_id"].to_numpy().astype(np.int64)
    # position of each member in its nucleo's list (members sorted by nucleo, stably)
    ordine = _ordinati(dsu_componente)
    posizione_ordinata = np.arange(componenti.height, dtype=np.int64)
    if ordine is not None:
        posizione_ordinata[ordine] = np.arange(componenti.height, dtype=np.int64)
    if not componenti["componente_id"].equals(
        pl.Series("componente_id", np.arange(componenti.height, dtype=np.int64))
    ):
        raise ValueError("the componenti frame must have componente_id = row number")
    primo = np.concatenate([[0], np.cumsum(np.bincount(dsu_componente, minlength=n))[:-1]])
    relativa = posizione_ordinata - primo[dsu_componente]

    colonne: dict[str, pa.Array] = {_DSU: _struct(frames.nuclei, _campi("nuclei"))}
    for tabella in TABELLE_ANNIDATE:
        frame: pl.DataFrame = getattr(frames, tabella)
        if tabella == "componenti":
            dsu = dsu_componente
        elif tabella == "redditi_correnti":
            dsu = dsu_componente[frame["componente_id"].to_numpy()]
        else:
            dsu = frame["dsu_id"].to_numpy().astype(np.int64)
        if "componente_id" in frame.columns and tabella != "componenti":
            frame = frame.with_columns(
                componente_id=pl.Series(relativa[frame["componente_id"].to_numpy()])
            )
        colonne[tabella] = _lista(frame, dsu, n, _campi(tabella))
    return colonne


def tabella_arrow(pop: Popolazione) -> pa.Table:
    """``pop`` as the Arrow table of its file (without the file's metadata)."""
    nuclei = pop.nuclei
    tabella = nuclei.drop("dsu_id").to_arrow()
    if pop.dsu is None:
        return tabella
    colonne = _colonne_dsu(pop.dsu)
    indice = nuclei["dsu_id"]
    identita = (
        indice.null_count() == 0
        and indice.equals(pl.Series("dsu_id", np.arange(nuclei.height, dtype=np.int64)))
        and len(pop.dsu) == nuclei.height
    )
    if not identita:
        prendi = pa.array(
            indice.to_numpy(allow_copy=True), type=pa.int64(), mask=indice.is_null().to_numpy()
        )
        colonne = {nome: colonna.take(prendi) for nome, colonna in colonne.items()}
    for nome, colonna in colonne.items():
        tabella = tabella.append_column(nome, colonna)
    return tabella


def _metadati_file(pop_metadati: Mapping[str, str], con_dsu: bool) -> dict[bytes, bytes]:
    metadati = {_CHIAVE_FORMATO: FORMATO, _CHIAVE_DSU: "true" if con_dsu else "false"}
    metadati |= {f"{_PREFISSO}{k}": str(v) for k, v in pop_metadati.items()}
    return {k.encode(): v.encode() for k, v in metadati.items()}


class ScrittorePopolazione:
    """Writes a population block by block (one Parquet row group each), then renames.

    With ``in_parallelo`` a block is converted and written in a background thread while the
    caller makes the next one (the generator is mostly single-threaded numpy, the Parquet
    encoder releases the GIL); blocks are written in order, one at a time, and an error in
    the thread is raised by the next :meth:`scrivi` or on exit. The bytes are the same.

    >>> # with ScrittorePopolazione(path, metadati) as scrittore:
    >>> #     for blocco in blocchi:
    >>> #         scrittore.scrivi(blocco)
    """

    def __init__(
        self, path: Path, metadati: Mapping[str, str], *, in_parallelo: bool = False
    ) -> None:
        if not path.parent.is_dir():
            raise FileNonValido(f"{path}: la cartella {path.parent} non esiste")
        if path.is_dir():
            raise FileNonValido(f"{path}: è una cartella, non un file")
        self.path = path
        self._metadati = dict(metadati)
        self._temporaneo = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        self._writer: pq.ParquetWriter | None = None
        self._schema: pa.Schema | None = None
        self._esecutore = ThreadPoolExecutor(max_workers=1) if in_parallelo else None
        self._in_corso: Future[None] | None = None
        self.righe = 0

    def scrivi(self, pop: Popolazione) -> None:
        """Append the nuclei of ``pop`` (its ids numbered from 0, as in a block)."""
        if self._esecutore is None:
            self._scrivi(pop)
            return
        self._attendi()
        self._in_corso = self._esecutore.submit(self._scrivi, pop)

    def _attendi(self) -> None:
        if self._in_corso is not None:
            in_corso, self._in_corso = self._in_corso, None
            in_corso.result()

    def _scrivi(self, pop: Popolazione) -> None:
        tabella = tabella_arrow(pop)
        if self._writer is None:
            self._schema = tabella.schema.with_metadata(
                _metadati_file(self._metadati, pop.dsu is not None)
            )
            try:
                self._writer = pq.ParquetWriter(self._temporaneo, self._schema, compression="zstd")
            except OSError as exc:
                raise FileNonValido(f"{self.path}: impossibile scrivere il file: {exc}") from None
        assert self._schema is not None  # noqa: S101 - set with the writer
        if tabella.schema.remove_metadata() != self._schema.remove_metadata():
            raise ValueError("every block of a population must have the same columns")
        self._writer.write_table(
            tabella.replace_schema_metadata(self._schema.metadata),
            row_group_size=RIGHE_PER_GRUPPO,
        )
        self.righe += tabella.num_rows

    def __enter__(self) -> ScrittorePopolazione:
        return self

    def __exit__(
        self,
        tipo: type[BaseException] | None,
        errore: BaseException | None,
        traccia: TracebackType | None,
    ) -> None:
        try:
            try:
                self._attendi()
            finally:
                if self._esecutore is not None:
                    self._esecutore.shutdown(wait=True)
            if self._writer is not None:
                self._writer.close()
            if tipo is None:
                if self._writer is None:
                    raise ValueError("nothing was written")
                with self._temporaneo.open("rb+") as fh:
                    os.fsync(fh.fileno())
                self._temporaneo.replace(self.path)
        except BaseException:
            if self._writer is not None:
                with contextlib.suppress(Exception):
                    self._writer.close()
            raise
        finally:
            with contextlib.suppress(OSError):
                self._temporaneo.unlink(missing_ok=True)


def salva_popolazione(pop: Popolazione, path: Path) -> None:
    """Write ``pop`` to the Parquet file ``path`` (see the module for the format)."""
    with ScrittorePopolazione(path, pop.metadati) as scrittore:
        scrittore.scrivi(pop)


# --- reading ---------------------------------------------------------------------------------


def _apri(path: Path) -> pq.ParquetFile:
    if not path.is_file():
        motivo = "è una cartella" if path.is_dir() else "il file non esiste"
        raise FileNonValido(f"{path}: impossibile leggere la popolazione: {motivo}")
    try:
        file = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as exc:
        raise FileNonValido(f"{path}: non è un file Parquet leggibile ({exc})") from None
    metadati = file.schema_arrow.metadata or {}
    formato = metadati.get(_CHIAVE_FORMATO.encode(), b"").decode()
    if formato != FORMATO:
        trovato = f"formato '{formato}'" if formato else "nessun formato di Equo"
        raise FileNonValido(
            f"{path}: non è un file di popolazione di Equo ({trovato}, atteso '{FORMATO}')"
        )
    return file


def _metadati(file: pq.ParquetFile) -> dict[str, str]:
    grezzi = file.schema_arrow.metadata or {}
    testo = {k.decode(): v.decode() for k, v in grezzi.items()}
    return {
        k.removeprefix(_PREFISSO): v
        for k, v in testo.items()
        if k.startswith(_PREFISSO) and k not in (_CHIAVE_FORMATO, _CHIAVE_DSU)
    }


def leggi_metadati(path: Path) -> dict[str, str]:
    """The metadata of the population file ``path`` (without the prefix ``equo.``)."""
    return _metadati(_apri(path))


def _esplodi(righe: pl.DataFrame, nome: str) -> pl.DataFrame:
    """The rows of the lists of column ``nome``, with the ``dsu_id`` of their list."""
    return (
        righe.select(pl.int_range(pl.len(), dtype=pl.Int64).alias("dsu_id"), nome)
        .filter(P(nome).list.len() > 0)
        .explode(nome)
        .unnest(nome)
    )


def _da_tabella(tabella: pa.Table, metadati: Mapping[str, str], path: Path) -> Popolazione:
    frame = pl.from_arrow(tabella)
    assert isinstance(frame, pl.DataFrame)  # noqa: S101 - a table gives a frame
    annidate = [_DSU, *TABELLE_ANNIDATE]
    colonne_nuclei = [c for c in frame.columns if c not in annidate]
    if "id_nucleo" not in colonne_nuclei:
        raise FileNonValido(f"{path}: manca la colonna id_nucleo")
    if _DSU not in frame.columns:
        nuclei = frame.select(colonne_nuclei).insert_column(
            1, pl.Series("dsu_id", [None] * frame.height, dtype=pl.Int64)
        )
        return Popolazione(nuclei=nuclei, dsu=None, metadati=dict(metadati))
    mancanti = [c for c in TABELLE_ANNIDATE if c not in frame.columns]
    if mancanti:
        raise FileNonValido(f"{path}: mancano le colonne {', '.join(mancanti)}")
    ha_dsu = frame[_DSU].is_not_null()
    dsu_id = (
        pl.when(ha_dsu).then(ha_dsu.cast(pl.Int64).cum_sum() - 1).otherwise(None).alias("dsu_id")
    )
    nuclei = frame.select(colonne_nuclei).insert_column(
        1, frame.select(dsu_id).to_series().cast(pl.Int64)
    )
    righe = frame.filter(ha_dsu)
    n = righe.height
    tabelle: dict[str, pl.DataFrame] = {
        "nuclei": righe.select(_DSU)
        .unnest(_DSU)
        .with_columns(dsu_id=pl.int_range(n, dtype=pl.Int64))
    }
    lunghezze = righe["componenti"].list.len().fill_null(0).cast(pl.Int64)
    primo = lunghezze.cum_sum() - lunghezze
    for nome in TABELLE_ANNIDATE:
        esplosa = _esplodi(righe, nome)
        if nome == "componenti":
            esplosa = esplosa.with_columns(
                componente_id=pl.int_range(esplosa.height, dtype=pl.Int64)
            )
        elif "componente_id" in esplosa.columns:
            esplosa = esplosa.with_columns(
                componente_id=primo.gather(esplosa["dsu_id"]) + P("componente_id")
            )
        tabelle[nome] = esplosa
    try:
        tipizzate = {
            nome: t.select(P(c).cast(dtype) for c, dtype in SCHEMAS[nome].items())
            for nome, t in tabelle.items()
        }
    except pl.exceptions.ColumnNotFoundError as exc:
        raise FileNonValido(f"{path}: manca un campo delle DSU ({exc})") from None
    frames = DsuFrames(
        nuclei=tipizzate["nuclei"],
        componenti=tipizzate["componenti"],
        rapporti=tipizzate["rapporti"],
        immobili=tipizzate["immobili"],
        redditi_correnti=tipizzate["redditi_correnti"],
        figli_non_compresi=tipizzate["figli_non_compresi"],
        rapporti_correnti=tipizzate["rapporti_correnti"],
        immobili_correnti=tipizzate["immobili_correnti"],
    )
    return Popolazione(nuclei=nuclei, dsu=frames, metadati=dict(metadati))


def leggi_popolazione(path: Path) -> Popolazione:
    """The population of the file ``path`` (all of it, in memory)."""
    file = _apri(path)
    return _da_tabella(file.read(), _metadati(file), path)


def leggi_blocchi(path: Path) -> Iterator[Popolazione]:
    """The population of ``path`` one row group at a time (ids from 0 in each block)."""
    file = _apri(path)
    metadati = _metadati(file)
    for gruppo in range(file.num_row_groups):
        yield _da_tabella(file.read_row_group(gruppo), metadati, path)
