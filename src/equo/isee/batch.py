"""Batch ISEE: a file of DSUs in, a file of results out, all or nothing.

:func:`run_batch` reads DSUs from a JSON Lines, CSV or Parquet file (chosen by extension),
validates every row with the :class:`~equo.isee.model.DSU` model, computes the valid ones in
chunks through :func:`~equo.isee.frames.dsu_frames` and :func:`~equo.isee.engine.compute`, and
writes one result row per DSU, in input order, to a Parquet, CSV or JSON Lines file.

Input formats (one DSU per row; positions are what a person sees in an editor):

- ``.jsonl`` / ``.ndjson``: one DSU JSON object per line, in the shape of ``equo isee schema``;
  blank lines are ignored. Position: the line number.
- ``.csv``: a header line, then one DSU per record, with the columns ``protocollo``
  (optional), ``data_presentazione`` (``YYYY-MM-DD``), ``abitazione`` (optional, JSON text of the
  ``abitazione`` object) and ``componenti`` (JSON text of the list of members). The separator is
  ``,`` or, when the header has ``;`` and no ``,``, ``;``. Cells holding JSON are quoted the CSV
  way (``"[{""codice_fiscale"": ...}]"``) and may span several lines. Position: the physical
  line where the record starts (the header is line 1).
- ``.parquet``: one DSU per row, with the same four columns; ``componenti`` is a list of structs
  and ``abitazione`` a struct shaped like the model (null struct fields count as absent), or
  both hold JSON text. Position: the row number, from 1.

Policy (the project's rule: never a partial write):

- without ``rejects_path``, one bad row stops the batch: nothing is computed, nothing is
  written, and :class:`BatchRejected` carries a report listing every problem of every row;
- with ``rejects_path``, the bad rows go to that CSV file (``posizione``, ``campo``, ``errore``,
  ``dati_originali``: one line per problem, so a row with three problems has three lines) and
  the valid rows are computed and written.

Every file is written to a temporary file in the destination folder and then renamed over the
destination (:func:`os.replace`), so an interrupted or failed batch leaves the previous file, or
none, never half a file. Problems with a file as a whole (missing, unreadable, unknown extension,
missing columns) raise :class:`BatchInputError` with a plain English message.

Errors::

    BatchError
    ├── BatchInputError   the input or output file as a whole cannot be used
    └── BatchRejected     some rows are not valid DSUs and no rejects file was given
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import secrets
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

import polars as pl
from pydantic import ValidationError

from equo.isee.engine import compute
from equo.isee.errors import FieldError, field_errors
from equo.isee.frames import dsu_frames
from equo.isee.model import DSU
from equo.isee.varianti import Variante, motivo_non_applicabile

__all__ = [
    "CHUNK_SIZE",
    "INPUT_FORMATS",
    "OUTPUT_COLUMNS",
    "OUTPUT_FORMATS",
    "REJECTS_COLUMNS",
    "BatchError",
    "BatchInputError",
    "BatchRejected",
    "BatchReport",
    "RowError",
    "run_batch",
]

CHUNK_SIZE = 50_000
"""DSUs per call of the engine: bounds memory, and is large enough to keep Polars efficient."""

INPUT_FORMATS = (".jsonl", ".ndjson", ".csv", ".parquet")
OUTPUT_FORMATS = (".parquet", ".csv", ".jsonl", ".ndjson")

OUTPUT_COLUMNS: dict[str, pl.DataType] = {
    "riga": pl.Int64(),
    "protocollo": pl.String(),
    "data_presentazione": pl.Date(),
    "isr": pl.Float64(),
    "isp": pl.Float64(),
    "ise": pl.Float64(),
    "scala_equivalenza": pl.Float64(),
    "isee": pl.Float64(),
    "anno_redditi": pl.Int32(),
    "data_patrimonio": pl.Date(),
    "valida_fino_al": pl.Date(),
}
"""Columns of the result file: ``riga`` is the input position (line, or row for Parquet)."""

REJECTS_COLUMNS = ("posizione", "campo", "errore", "dati_originali")

_COLUMNS = ("protocollo", "data_presentazione", "abitazione", "componenti")
_REQUIRED_COLUMNS = ("data_presentazione", "componenti")
_JSON_COLUMNS = ("abitazione", "componenti")
_PROGRESS_EVERY = 1_000

Progress = Callable[[int, int], None]
Unit = Literal["line", "row"]


class BatchError(Exception):
    """Base of the errors of :func:`run_batch`."""


class BatchInputError(BatchError):
    """The input or output file as a whole cannot be used; the message says why."""


@dataclass(frozen=True)
class RowError:
    """One problem of one input row: where (line or row, field) and what."""

    posizione: int
    campo: str
    errore: str
    unita: Unit = "line"

    def __str__(self) -> str:
        where = f"{self.unita} {self.posizione}"
        return f"{where}, {self.campo}: {self.errore}" if self.campo else f"{where}: {self.errore}"


@dataclass(frozen=True)
class BatchReport:
    """What a batch did: rows read, computed and rejected, and every problem found."""

    rows_read: int
    rows_computed: int
    rows_rejected: int
    errors: list[RowError]
    output_path: Path
    rejects_path: Path | None = None
    unita: Unit = "line"


class BatchRejected(BatchError):  # noqa: N818 - the name the CLI and docs use
    """Some rows are not valid DSUs and no rejects file was given: nothing was written."""

    def __init__(self, report: BatchReport) -> None:
        self.report = report
        super().__init__(
            f"{report.rows_rejected} of {report.rows_read} DSUs are not valid "
            f"({len(report.errors)} problems): nothing was computed or written"
        )


@dataclass(frozen=True)
class _Row:
    """One input row: its position, its raw text, and what to validate (or why it can't be)."""

    posizione: int
    value: str | dict[str, Any] | list[FieldError]  # JSON text, fields, or early problems
    raw: str | None = None  # None: the JSON of ``value``

    def raw_text(self) -> str:
        if self.raw is not None:
            return self.raw
        return json.dumps(self.value, ensure_ascii=False, default=str)


@dataclass
class _Source:
    total: int
    rows: Iterator[_Row]
    unita: Unit


# --- readers ---------------------------------------------------------------------------------


def _open_text(path: Path) -> IO[str]:
    try:
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise BatchInputError(f"Cannot read {path}: {exc.strerror or exc}") from None


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> BatchInputError:
    return BatchInputError(
        f"Cannot read {path}: it is not UTF-8 text (byte {exc.start} of a read block: "
        f"{exc.reason}); save it as UTF-8"
    )


def _read_jsonl(path: Path) -> _Source:
    try:
        with _open_text(path) as fh:
            total = sum(1 for line in fh if line.strip())
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, exc) from None

    def rows() -> Iterator[_Row]:
        try:
            with _open_text(path) as fh:
                # Python splits on \n, \r\n and \r only, as JSON Lines does (not on U+2028).
                for number, line in enumerate(fh, start=1):
                    text = line.rstrip("\r\n")
                    if text.strip():
                        yield _Row(number, text, raw=text)
        except UnicodeDecodeError as exc:
            raise _not_utf8(path, exc) from None

    return _Source(total, rows(), "line")


class _LineRecorder:
    """Feeds lines to :func:`csv.reader` and keeps those of the current record."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self.buffer: list[str] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.buffer.append(line)
        return line

    def take(self) -> tuple[str, int]:
        """The raw text of the record just read, and how many physical lines it spans."""
        text, count = "".join(self.buffer), len(self.buffer)
        self.buffer.clear()
        return text, count


def _csv_records(path: Path) -> Generator[tuple[int, list[str], str], None, None]:
    """(first physical line, cells, raw text) of each record; the header comes first."""
    try:
        with _open_text(path) as fh:
            header_line = fh.readline()
            fh.seek(0)
            delimiter = ";" if ";" in header_line and "," not in header_line else ","
            recorder = _LineRecorder(fh)
            reader = csv.reader(recorder, delimiter=delimiter, strict=True)
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise BatchInputError(
                        f"{path}, line {reader.line_num}: not valid CSV ({exc})"
                    ) from None
                raw, lines = recorder.take()
                yield reader.line_num - lines + 1, cells, raw.rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, exc) from None


def _check_columns(path: Path, columns: list[str]) -> None:
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    unknown = [c for c in columns if c not in _COLUMNS]
    missing = [c for c in _REQUIRED_COLUMNS if c not in columns]
    problems = []
    if duplicated:
        problems.append(f"repeated columns: {', '.join(duplicated)}")
    if unknown:
        problems.append(f"unknown columns: {', '.join(unknown)}")
    if missing:
        problems.append(f"missing columns: {', '.join(missing)}")
    if problems:
        raise BatchInputError(
            f"{path}: {'; '.join(problems)}. The columns are {', '.join(_COLUMNS)} "
            f"({', '.join(_REQUIRED_COLUMNS)} required)"
        )


def _assemble(cells: dict[str, Any]) -> dict[str, Any] | list[FieldError]:
    """The DSU fields of a CSV or Parquet row: empty cells are absent, JSON text is parsed."""
    data: dict[str, Any] = {}
    problems: list[FieldError] = []
    for name, value in cells.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if name in _JSON_COLUMNS and isinstance(value, str):
            try:
                data[name] = json.loads(value)
            except json.JSONDecodeError as exc:
                problems.append(
                    FieldError(
                        name,
                        f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno} "
                        "of the cell",
                    )
                )
            continue
        data[name] = _drop_nulls(value) if name in _JSON_COLUMNS else value
    return problems or data


def _drop_nulls(value: Any) -> Any:
    """Parquet structs have every field; a null field means "not declared" (the default)."""
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(v) for v in value]
    return value


def _read_csv(path: Path) -> _Source:
    records = _csv_records(path)
    try:
        header = next(records, None)
    finally:
        records.close()
    if header is None:
        raise BatchInputError(f"{path} is empty: expected a header line")
    columns = [c.strip() for c in header[1]]
    _check_columns(path, columns)
    total = sum(1 for _, cells, _ in _csv_records(path) if any(c.strip() for c in cells)) - 1

    def rows() -> Iterator[_Row]:
        records = _csv_records(path)
        next(records)  # the header
        for line, cells, raw in records:
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(columns):
                problem = FieldError(
                    "", f"the record has {len(cells)} fields, the header has {len(columns)}"
                )
                yield _Row(line, [problem], raw=raw)
                continue
            yield _Row(line, _assemble(dict(zip(columns, cells, strict=True))), raw=raw)

    return _Source(total, rows(), "line")


def _read_parquet(path: Path) -> _Source:
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
            fh.seek(max(0, path.stat().st_size - 4))
            tail = fh.read(4)
    except OSError as exc:
        raise BatchInputError(f"Cannot read {path}: {exc.strerror or exc}") from None
    if head != b"PAR1" or tail != b"PAR1":  # the magic bytes that open and close every file
        raise BatchInputError(f"Cannot read {path}: it is not a Parquet file (or it is truncated)")
    try:
        frame = pl.read_parquet(path)
    except (OSError, pl.exceptions.PolarsError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc).strip().splitlines()[0]
        raise BatchInputError(f"Cannot read {path} as Parquet: {reason}") from None
    _check_columns(path, frame.columns)

    def rows() -> Iterator[_Row]:
        for number, cells in enumerate(frame.iter_rows(named=True), start=1):
            value = _assemble(cells)
            yield _Row(number, value, raw=None if isinstance(value, dict) else _dump(cells))

    return _Source(frame.height, rows(), "row")


def _dump(cells: dict[str, Any]) -> str:
    return json.dumps(cells, ensure_ascii=False, default=str)


_READERS: dict[str, Callable[[Path], _Source]] = {
    ".jsonl": _read_jsonl,
    ".ndjson": _read_jsonl,
    ".csv": _read_csv,
    ".parquet": _read_parquet,
}


# --- validation ------------------------------------------------------------------------------


def _validate(row: _Row) -> DSU | list[FieldError]:
    if isinstance(row.value, list):
        return row.value
    try:
        if isinstance(row.value, str):
            return DSU.model_validate_json(row.value)
        return DSU.model_validate(row.value)
    except ValidationError as exc:
        return field_errors(exc)


# --- output ----------------------------------------------------------------------------------


def _compute(dsus: list[DSU], positions: list[int], variante: Variante) -> pl.DataFrame:
    result = compute(dsu_frames(dsus), variante=variante).nuclei
    return result.with_columns(riga=pl.Series(positions, dtype=pl.Int64())).select(
        pl.col(name).cast(dtype) for name, dtype in OUTPUT_COLUMNS.items()
    )


def _temporary(destination: Path) -> Path:
    return destination.with_name(f".{destination.name}.{secrets.token_hex(6)}.tmp")


def _suffix(path: Path) -> str:
    return path.suffix.lower()


def _write_frame(frame: pl.DataFrame, path: Path, suffix: str) -> None:
    with path.open("xb") as fh:
        if suffix == ".parquet":
            frame.write_parquet(fh)
        elif suffix == ".csv":
            frame.write_csv(fh)
        else:
            frame.write_ndjson(fh)
        fh.flush()
        os.fsync(fh.fileno())


class _RejectsWriter:
    """Streams the rejected rows to a temporary CSV file beside the destination."""

    def __init__(self, destination: Path) -> None:
        self.destination = destination
        self.temporary = _temporary(destination)
        try:
            self._fh = self.temporary.open("x", encoding="utf-8", newline="")
        except OSError as exc:
            raise self._cannot_write(exc) from None
        self._writer = csv.writer(self._fh)
        self._writer.writerow(REJECTS_COLUMNS)

    def _cannot_write(self, exc: OSError) -> BatchInputError:
        return BatchInputError(
            f"Cannot write the rejects file {self.destination}: {exc.strerror or exc}"
        )

    def write(self, row: _Row, errors: list[FieldError]) -> None:
        raw = row.raw_text()
        try:
            self._writer.writerows((row.posizione, e.campo, e.errore, raw) for e in errors)
        except OSError as exc:
            raise self._cannot_write(exc) from None

    def close(self) -> None:
        try:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
        except OSError as exc:
            raise self._cannot_write(exc) from None

    def discard(self) -> None:
        self._fh.close()
        self.temporary.unlink(missing_ok=True)


# --- the batch -------------------------------------------------------------------------------


def _check_paths(input_path: Path, output_path: Path, rejects_path: Path | None) -> None:
    if _suffix(input_path) not in _READERS:
        raise BatchInputError(
            f"{input_path}: unknown input format {input_path.suffix or '(no extension)'!r}; "
            f"use {', '.join(INPUT_FORMATS)}"
        )
    if _suffix(output_path) not in OUTPUT_FORMATS:
        raise BatchInputError(
            f"{output_path}: unknown output format {output_path.suffix or '(no extension)'!r}; "
            f"use {', '.join(OUTPUT_FORMATS)}"
        )
    if not input_path.exists():
        raise BatchInputError(f"Cannot read {input_path}: no such file")
    if input_path.is_dir():
        raise BatchInputError(f"Cannot read {input_path}: it is a folder, not a file")
    destinations = [("output", output_path)]
    if rejects_path is not None:
        destinations.append(("rejects", rejects_path))
    for what, path in destinations:
        if not path.parent.is_dir():
            raise BatchInputError(f"Cannot write the {what} file {path}: no folder {path.parent}")
        if path.is_dir():
            raise BatchInputError(f"Cannot write the {what} file {path}: it is a folder")
        if path.resolve() == input_path.resolve():
            raise BatchInputError(f"The {what} file {path} is the input file: choose another")
    if rejects_path is not None and rejects_path.resolve() == output_path.resolve():
        raise BatchInputError(f"The rejects file {rejects_path} is the output file: choose another")


def _process(
    source: _Source, rejects: _RejectsWriter | None, progress: Progress, variante: Variante
) -> tuple[int, int, list[RowError], pl.DataFrame]:
    """Validate every row, compute the valid ones chunk by chunk; write nothing."""
    keep_going = True  # without a rejects file, the first bad row makes computing pointless
    results: list[pl.DataFrame] = []
    chunk: list[DSU] = []
    positions: list[int] = []
    errors: list[RowError] = []
    read = rejected = 0

    def flush() -> None:
        if chunk and keep_going:
            results.append(_compute(chunk, positions, variante))
        chunk.clear()
        positions.clear()

    for row in source.rows:
        read += 1
        outcome = _validate(row)
        if isinstance(outcome, DSU) and (motivo := motivo_non_applicabile(outcome, variante)):
            outcome = [FieldError("variante", motivo)]
        if isinstance(outcome, DSU):
            if keep_going:
                chunk.append(outcome)
                positions.append(row.posizione)
        else:
            rejected += 1
            errors.extend(RowError(row.posizione, e.campo, e.errore, source.unita) for e in outcome)
            if rejects is not None:
                rejects.write(row, outcome)
            else:
                keep_going = False
                results.clear()
        if len(chunk) >= CHUNK_SIZE:
            flush()
        if read % _PROGRESS_EVERY == 0:
            progress(read, source.total)
    flush()
    progress(read, max(read, source.total))
    empty = pl.DataFrame(schema=OUTPUT_COLUMNS)
    frame = pl.concat(results, how="vertical") if results else empty
    return read, rejected, errors, frame if keep_going else empty


def run_batch(
    input_path: Path,
    output_path: Path,
    *,
    rejects_path: Path | None = None,
    progress: Progress | None = None,
    variante: Variante = Variante.ORDINARIO,
) -> BatchReport:
    """Compute the ISEE of every DSU in ``input_path`` and write the results to ``output_path``.

    See the module docstring for the formats and the policy. ``progress(done, total)`` is called
    as rows are validated and computed. Raises :class:`BatchInputError` for a file that cannot
    be used and :class:`BatchRejected` when rows are bad and no ``rejects_path`` is given; in
    both cases nothing is written.
    """
    _check_paths(input_path, output_path, rejects_path)
    source = _READERS[_suffix(input_path)](input_path)
    if source.total <= 0:
        raise BatchInputError(f"{input_path} contains no DSU")
    progress = progress or _no_progress
    progress(0, source.total)

    rejects = _RejectsWriter(rejects_path) if rejects_path is not None else None
    output_tmp = _temporary(output_path)
    try:
        read, rejected, errors, frame = _process(source, rejects, progress, variante)
        report = BatchReport(
            rows_read=read,
            rows_computed=frame.height,
            rows_rejected=rejected,
            errors=errors,
            output_path=output_path,
            rejects_path=rejects_path,
            unita=source.unita,
        )
        if errors and rejects is None:
            raise BatchRejected(report)
        try:
            _write_frame(frame, output_tmp, _suffix(output_path))
            if rejects is not None and rejects_path is not None:
                rejects.close()
                rejects.temporary.replace(rejects_path)
            output_tmp.replace(output_path)
        except OSError as exc:
            raise BatchInputError(f"Cannot write {output_path}: {exc.strerror or exc}") from None
    finally:
        if rejects is not None:
            rejects.discard()
        with contextlib.suppress(OSError):
            output_tmp.unlink(missing_ok=True)
    return report


def _no_progress(done: int, total: int) -> None:
    """The default progress callback: nothing to show."""
