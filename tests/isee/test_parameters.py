"""The dated legal parameters: the shipped files are complete, malformed files are refused.

Every refusal is a :class:`ParameterError` whose message names the file, so that whoever edits
a parameter sees at once which file to fix.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from equo.isee.parameters import (
    PARAMETERS_DIR,
    Parameter,
    ParameterError,
    load_parameters,
    load_parameters_from,
    parse_parameter,
)

SHIPPED = load_parameters()
NAMES = sorted(SHIPPED)
SOURCE = "parameters/isp/franchigia_di_prova.yaml"

VALID: dict[str, Any] = {
    "description": "A franchigia used only by these tests.",
    "label": "Franchigia di prova",
    "unit": "EUR",
    "references": [
        {"title": "DPCM 159/2013 art. 5 c. 4", "href": "https://www.normattiva.it/uri-res/N2Ls"}
    ],
    "values": {dt.date(2015, 1, 1): 6_000, dt.date(2020, 1, 1): 7_000},
}
TABLE: dict[str, Any] = {
    **VALID,
    "unit": "table-coefficient",
    "values": {dt.date(2015, 1, 1): {1: 1.0, 2: 1.57}, dt.date(2020, 1, 1): {1: 1.0, 2: 1.6}},
}


def _with(document: dict[str, Any], **changes: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    for key, value in changes.items():
        if value is _DROP:
            del changed[key]
        else:
            changed[key] = value
    return changed


_DROP = object()


# --- the shipped parameters -----------------------------------------------------------------------


def test_the_shipped_parameters_load() -> None:
    assert len(SHIPPED) > 20
    assert SHIPPED.start_date == dt.date(2015, 1, 1)


def test_the_change_dates_are_sorted_and_start_on_the_first_day_of_the_new_isee() -> None:
    dates = SHIPPED.change_dates()
    assert dates == sorted(set(dates))
    assert dates[0] == SHIPPED.start_date


@pytest.mark.parametrize("name", NAMES)
def test_every_parameter_cites_its_legal_references_with_a_link(name: str) -> None:
    parameter = SHIPPED[name]
    assert parameter.references, f"{name} has no references"
    for ref in parameter.references:
        assert ref.title.strip(), f"{name}: a reference without a title"
        assert ref.href.startswith("https://"), f"{name}: reference {ref.title!r} has no link"


@pytest.mark.parametrize("name", NAMES)
def test_every_parameter_starts_with_a_value(name: str) -> None:
    parameter = SHIPPED[name]
    assert parameter.values[0][1] is not None
    assert parameter.description.strip() and parameter.label.strip()
    assert [d for d, _ in parameter.values] == sorted({d for d, _ in parameter.values})


@pytest.mark.parametrize("name", NAMES)
def test_every_parameter_resolves_on_each_change_date_or_is_not_in_force(name: str) -> None:
    parameter = SHIPPED[name]
    for day in SHIPPED.change_dates():
        if parameter.in_force(day):
            value = parameter.at(day)
            assert value is not None
        else:
            with pytest.raises(ParameterError, match=name):
                parameter.at(day)


def test_the_timeline_has_one_row_per_change_date() -> None:
    timeline = SHIPPED.timeline()
    assert timeline["valid_from"].to_list() == SHIPPED.change_dates()
    expected_columns = {c for name in NAMES for c in SHIPPED[name].columns()}
    assert set(timeline.columns) == {"valid_from", *expected_columns}


def test_an_unknown_parameter_is_an_error_naming_it() -> None:
    with pytest.raises(ParameterError, match=re.escape("isp.non_esiste")):
        SHIPPED["isp.non_esiste"]


# --- how a document is read -----------------------------------------------------------------------


def test_a_valid_document_is_parsed() -> None:
    parameter = parse_parameter("isp.franchigia_di_prova", VALID, SOURCE)
    assert parameter.at(dt.date(2019, 12, 31)) == 6_000
    assert parameter.at(dt.date(2020, 1, 1)) == 7_000
    assert parameter.number(dt.date(2030, 1, 1)) == 7_000


def test_a_value_before_the_first_date_is_not_in_force() -> None:
    parameter = parse_parameter("isp.franchigia_di_prova", VALID, SOURCE)
    assert not parameter.in_force(dt.date(2014, 12, 31))


def test_null_ends_a_parameter() -> None:
    document = _with(VALID, values={dt.date(2015, 1, 1): 4_000, dt.date(2016, 5, 29): None})
    parameter = parse_parameter("isr.finita", document, SOURCE)
    assert parameter.at(dt.date(2016, 5, 28)) == 4_000
    assert not parameter.in_force(dt.date(2016, 5, 29))


def test_a_fraction_is_read_exactly() -> None:
    document = _with(VALID, unit="ratio", values={dt.date(2015, 1, 1): "2/3"})
    assert parse_parameter("isp.quota", document, SOURCE).at(dt.date(2015, 1, 1)) == 2 / 3


def test_a_table_keeps_its_keys() -> None:
    parameter = parse_parameter("scala.tabella", TABLE, SOURCE)
    assert parameter.table_keys == ("1", "2")
    assert parameter.columns() == ("scala.tabella.1", "scala.tabella.2")


MALFORMED: dict[str, tuple[dict[str, Any] | list[Any], str]] = {
    "not a mapping": (["description"], "mapping"),
    "unknown key": (_with(VALID, valore=3), "unknown keys"),
    "missing description": (_with(VALID, description=_DROP), "missing 'description'"),
    "missing references": (_with(VALID, references=_DROP), "missing 'references'"),
    "empty references": (_with(VALID, references=[]), "non-empty list"),
    "reference without href": (
        _with(VALID, references=[{"title": "DPCM 159/2013 art. 5"}]),
        "href",
    ),
    "reference without title": (_with(VALID, references=[{"href": "https://x.it"}]), "title"),
    "bad date key": (_with(VALID, values={"2015/01/01": 6_000}), "YYYY-MM-DD"),
    "datetime key": (
        _with(VALID, values={dt.datetime(2015, 1, 1, 10, 0, tzinfo=dt.UTC): 6_000}),
        "YYYY-MM-DD",
    ),
    "no values": (_with(VALID, values={}), "non-empty"),
    "wrong unit": (_with(VALID, unit="euro"), "unit must be one of"),
    "table with changing keys": (
        _with(TABLE, values={dt.date(2015, 1, 1): {1: 1.0, 2: 1.57}, dt.date(2020, 1, 1): {1: 1}}),
        "same keys",
    ),
    "table that is not a table": (_with(TABLE, values={dt.date(2015, 1, 1): 1.0}), "table"),
    "boolean where a number is expected": (
        _with(VALID, values={dt.date(2015, 1, 1): True}),
        "boolean",
    ),
    "boolean in a table": (
        _with(TABLE, values={dt.date(2015, 1, 1): {1: True, 2: 1.57}}),
        "boolean",
    ),
    "text where a number is expected": (
        _with(VALID, values={dt.date(2015, 1, 1): "seimila"}),
        "expected a number",
    ),
    "number where a boolean is expected": (
        _with(VALID, unit="boolean", values={dt.date(2015, 1, 1): 1}),
        "true or false",
    ),
    "null first value": (
        _with(VALID, values={dt.date(2015, 1, 1): None, dt.date(2020, 1, 1): 7_000}),
        "first value cannot be null",
    ),
}


@pytest.mark.parametrize(("document", "problem"), MALFORMED.values(), ids=list(MALFORMED))
def test_parse_parameter_refuses_a_malformed_document_naming_the_file(
    document: dict[str, Any] | list[Any], problem: str
) -> None:
    with pytest.raises(ParameterError) as info:
        parse_parameter("isp.franchigia_di_prova", document, SOURCE)
    assert str(info.value).startswith(f"{SOURCE}:")
    assert problem in str(info.value)


# --- loading a directory --------------------------------------------------------------------------


def _write(directory: Path, relative: str, text: str) -> Path:
    path = directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _tree(tmp_path: Path) -> Path:
    """A parameters directory with one valid file, ``isp/franchigia_mobiliare_base.yaml``."""
    root = tmp_path / "parameters"
    _write(root, "isp/franchigia_mobiliare_base.yaml", yaml.safe_dump(VALID, sort_keys=False))
    return root


def test_a_directory_of_parameter_files_loads_with_dotted_names(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    _write(root, "scala/parametro_base.yaml", yaml.safe_dump(TABLE, sort_keys=False))
    params = load_parameters_from(root)
    assert sorted(params) == ["isp.franchigia_mobiliare_base", "scala.parametro_base"]
    assert params.change_dates() == [dt.date(2015, 1, 1), dt.date(2020, 1, 1)]
    assert isinstance(params["scala.parametro_base"], Parameter)


@pytest.mark.parametrize(("document", "problem"), MALFORMED.values(), ids=list(MALFORMED))
def test_loading_refuses_a_malformed_file_naming_it(
    tmp_path: Path, document: dict[str, Any] | list[Any], problem: str
) -> None:
    root = _tree(tmp_path)
    _write(root, "isr/rotto.yaml", yaml.safe_dump(document, sort_keys=False))
    with pytest.raises(ParameterError) as info:
        load_parameters_from(root)
    assert str(info.value).startswith("parameters/isr/rotto.yaml:")
    assert problem in str(info.value)


RAW_MALFORMED: dict[str, tuple[str, str]] = {
    "invalid YAML": ("description: [unclosed\nunit: EUR\n", "not valid YAML"),
    "empty file": ("", "mapping"),
}


@pytest.mark.parametrize(("text", "problem"), RAW_MALFORMED.values(), ids=list(RAW_MALFORMED))
def test_loading_refuses_an_unreadable_file_naming_it(
    tmp_path: Path, text: str, problem: str
) -> None:
    root = _tree(tmp_path)
    _write(root, "isr/rotto.yaml", text)
    with pytest.raises(ParameterError) as info:
        load_parameters_from(root)
    assert str(info.value).startswith("parameters/isr/rotto.yaml:")
    assert problem in str(info.value)


_IMPOSSIBLE_DATE = yaml.safe_dump(_with(VALID, values=_DROP), sort_keys=False) + (
    "values:\n  2015-02-30: 6000\n"
)


def test_loading_refuses_an_impossible_date_key_naming_the_file(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    _write(root, "isr/rotto.yaml", _IMPOSSIBLE_DATE)
    with pytest.raises(ParameterError) as info:
        load_parameters_from(root)
    assert str(info.value).startswith("parameters/isr/rotto.yaml:")


def test_an_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="no parameter files"):
        load_parameters_from(tmp_path)


def _shipped_document(name: str) -> dict[str, Any]:
    path = PARAMETERS_DIR / (name.replace(".", "/") + ".yaml")
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


BREAKERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "no references": lambda d: _with(d, references=_DROP),
    "unknown key": lambda d: _with(d, fonte="x"),
}


@pytest.mark.parametrize("breaker", BREAKERS.values(), ids=list(BREAKERS))
def test_breaking_a_shipped_file_is_caught(breaker: Callable[[dict[str, Any]], Any]) -> None:
    document = breaker(_shipped_document("isp.franchigia_mobiliare_base"))
    with pytest.raises(ParameterError, match=re.escape("isp/franchigia_mobiliare_base.yaml")):
        parse_parameter(
            "isp.franchigia_mobiliare_base", document, "isp/franchigia_mobiliare_base.yaml"
        )
