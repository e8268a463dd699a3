"""Dated legal parameters of the ISEE, loaded from the YAML files in ``parameters/``.

Every legal number the engine uses is a :class:`Parameter`: a description, an Italian label, a
unit, references (article and link) and values keyed by the first DSU presentation date they
apply to. ``null`` ends a parameter. :class:`ParameterSet` resolves values at a date, and builds
the *timeline*: one row per date on which any parameter changes, one column per (flattened)
parameter, so that a batch of DSUs of different dates gets its parameters as columns with one
sorted search (see :func:`equo.isee.engine.attach_parameters`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import polars as pl
import yaml

__all__ = [
    "PARAMETERS_DIR",
    "Parameter",
    "ParameterError",
    "ParameterSet",
    "Reference",
    "load_parameters",
]

PARAMETERS_DIR = Path(__file__).parent / "parameters"

Scalar = float | bool
Value = Scalar | dict[str, float]

_UNITS = {
    "EUR",
    "ratio",
    "coefficient",
    "count",
    "years",
    "boolean",
    "table-coefficient",
    "table-EUR",
}
_KEYS = {"description", "label", "unit", "references", "values", "uncertain"}


class ParameterError(ValueError):
    """A parameter file is malformed, or a parameter is asked for at a date it is not in force."""


@dataclass(frozen=True)
class Reference:
    """A legal reference: the article as a citation, and a link to the text."""

    title: str
    href: str


@dataclass(frozen=True)
class Parameter:
    """One dated legal parameter (see ``parameters/README.md`` for the file format)."""

    name: str
    description: str
    label: str
    unit: str
    references: tuple[Reference, ...]
    values: tuple[tuple[dt.date, Value | None], ...]  # ascending by date
    uncertain: str | None = None

    def at(self, day: dt.date) -> Value:
        """The value in force for a DSU presented on ``day``."""
        current: Value | None = None
        for start, value in self.values:
            if start > day:
                break
            current = value
        if current is None:
            raise ParameterError(f"parameter {self.name} is not in force on {day.isoformat()}")
        return current

    def number(self, day: dt.date) -> float:
        """The value at ``day``, which must be a number (not a switch or a table)."""
        value = self.at(day)
        if isinstance(value, bool) or not isinstance(value, float):
            raise ParameterError(f"parameter {self.name} is not a number")
        return value

    def in_force(self, day: dt.date) -> bool:
        try:
            self.at(day)
        except ParameterError:
            return False
        return True

    @property
    def is_table(self) -> bool:
        return self.unit.startswith("table-")

    @property
    def table_keys(self) -> tuple[str, ...]:
        for _, value in self.values:
            if isinstance(value, dict):
                return tuple(value)
        return ()

    def columns(self) -> tuple[str, ...]:
        """Names of the timeline columns this parameter becomes."""
        if self.is_table:
            return tuple(f"{self.name}.{key}" for key in self.table_keys)
        return (self.name,)


class ParameterSet(Mapping[str, Parameter]):
    """All parameters by name, with resolution by date and the timeline frame."""

    def __init__(self, parameters: Mapping[str, Parameter]) -> None:
        self._parameters = dict(sorted(parameters.items()))

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self._parameters[name]
        except KeyError:
            raise ParameterError(f"unknown parameter {name}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._parameters

    def __iter__(self) -> Iterator[str]:
        return iter(self._parameters)

    def __len__(self) -> int:
        return len(self._parameters)

    @property
    def start_date(self) -> dt.date:
        """The first date on which any rule is in force (DSUs before it are refused)."""
        return min(p.values[0][0] for p in self._parameters.values())

    def change_dates(self) -> list[dt.date]:
        return sorted({start for p in self._parameters.values() for start, _ in p.values})

    @cached_property
    def _timeline(self) -> pl.DataFrame:
        return self._build_timeline()

    def timeline(self) -> pl.DataFrame:
        """The timeline frame (built once per parameter set; see :meth:`_build_timeline`)."""
        return self._timeline

    def _build_timeline(self) -> pl.DataFrame:
        """One row per change date (column ``valid_from``), one column per parameter value.

        A parameter not in force on a row's date is null there.
        """
        dates = self.change_dates()
        columns: dict[str, list[Any]] = {"valid_from": dates}
        dtypes: dict[str, pl.DataType] = {"valid_from": pl.Date()}
        for parameter in self._parameters.values():
            resolved = [parameter.at(d) if parameter.in_force(d) else None for d in dates]
            if parameter.is_table:
                for key, column in zip(parameter.table_keys, parameter.columns(), strict=True):
                    columns[column] = [None if v is None else _table(v)[key] for v in resolved]
                    dtypes[column] = pl.Float64()
            else:
                columns[parameter.name] = resolved
                dtypes[parameter.name] = (
                    pl.Boolean() if parameter.unit == "boolean" else pl.Float64()
                )
        return pl.DataFrame(columns, schema=dtypes)


def _table(value: Value) -> dict[str, float]:
    if not isinstance(value, dict):
        raise ParameterError(f"expected a table, got {value!r}")
    return value


def _parse_number(raw: object, where: str) -> float:
    if isinstance(raw, bool):
        raise ParameterError(f"{where}: expected a number, got a boolean")
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, str):
        try:
            return float(Fraction(raw))
        except (ValueError, ZeroDivisionError):
            pass
    raise ParameterError(f"{where}: expected a number or a fraction like '2/3', got {raw!r}")


def _parse_value(raw: object, unit: str, where: str) -> Value | None:
    if raw is None:
        return None
    if unit == "boolean":
        if not isinstance(raw, bool):
            raise ParameterError(f"{where}: expected true or false, got {raw!r}")
        return raw
    if unit.startswith("table-"):
        if not isinstance(raw, dict) or not raw:
            raise ParameterError(f"{where}: expected a non-empty table, got {raw!r}")
        return {str(k): _parse_number(v, f"{where}[{k}]") for k, v in raw.items()}
    return _parse_number(raw, where)


def _parse_date(raw: object, where: str) -> dt.date:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    raise ParameterError(f"{where}: value keys must be dates written YYYY-MM-DD, got {raw!r}")


def parse_parameter(name: str, document: object, source: str) -> Parameter:
    """Validate one parameter document; every problem names the file."""
    if not isinstance(document, dict):
        raise ParameterError(f"{source}: expected a mapping at the top level")
    unknown = set(document) - _KEYS
    if unknown:
        raise ParameterError(f"{source}: unknown keys {sorted(unknown)}")
    for key in ("description", "label", "unit", "references", "values"):
        if key not in document:
            raise ParameterError(f"{source}: missing '{key}'")
    unit = document["unit"]
    if unit not in _UNITS:
        raise ParameterError(f"{source}: unit must be one of {sorted(_UNITS)}, got {unit!r}")
    references = document["references"]
    if not isinstance(references, list) or not references:
        raise ParameterError(f"{source}: 'references' must be a non-empty list")
    refs = []
    for i, ref in enumerate(references):
        if not isinstance(ref, dict) or not ref.get("title") or not ref.get("href"):
            raise ParameterError(f"{source}: references[{i}] needs a title and an href")
        refs.append(Reference(title=str(ref["title"]), href=str(ref["href"])))
    raw_values = document["values"]
    if not isinstance(raw_values, dict) or not raw_values:
        raise ParameterError(f"{source}: 'values' must be a non-empty mapping of dates")
    values = sorted(
        (
            (_parse_date(k, f"{source}: values"), _parse_value(v, unit, f"{source}: values[{k}]"))
            for k, v in raw_values.items()
        ),
        key=lambda item: item[0],
    )
    if values[0][1] is None:
        raise ParameterError(f"{source}: the first value cannot be null")
    parameter = Parameter(
        name=name,
        description=" ".join(str(document["description"]).split()),
        label=str(document["label"]),
        unit=unit,
        references=tuple(refs),
        values=tuple(values),
        uncertain=" ".join(str(document["uncertain"]).split()) if "uncertain" in document else None,
    )
    if parameter.is_table:
        keys = {tuple(v) for _, v in values if isinstance(v, dict)}
        if len(keys) != 1:
            raise ParameterError(f"{source}: a table must have the same keys at every date")
    return parameter


def load_parameters_from(directory: Path) -> ParameterSet:
    parameters: dict[str, Parameter] = {}
    for path in sorted(directory.rglob("*.yaml")):
        name = ".".join(path.relative_to(directory).with_suffix("").parts)
        source = str(path.relative_to(directory.parent))
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, ValueError) as exc:  # ValueError: an impossible date key
            raise ParameterError(f"{source}: not valid YAML: {exc}") from None
        parameters[name] = parse_parameter(name, document, source)
    if not parameters:
        raise ParameterError(f"no parameter files found in {directory}")
    return ParameterSet(parameters)


@cache
def load_parameters() -> ParameterSet:
    """The parameters shipped with Equo (loaded once per process)."""
    return load_parameters_from(PARAMETERS_DIR)
