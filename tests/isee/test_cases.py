"""The engine reproduces the worked cases of the domain reference (isee.md §11), to the cent.

Each case is one YAML file in ``cases/`` (the test id is the file stem)::

    name: A sentence saying what the case shows
    source:
      citation: where the expected numbers come from (isee.md § and the original source)
      status: V, P, D, R, S or a combination like P/V (the legend of isee.md §11)
    assumptions:            # whatever the source leaves implicit, one item each
      - ...
    dsu: {...}              # a DSU in the model's shape (see "compact members" below)
    # or, for the bonus asilo nido, the arguments of equo.isee.nido.isee_nido:
    isee_nido: {isee: ..., scala_equivalenza: ..., assegno_unico_annuo: ...,
                data_presentazione: ...}
    expected:
      isee: 7368.42         # any column of IseeResult.nuclei: indicators and intermediates
      scala_equivalenza: 2.66
      rapporti:             # optional: per rapporto, in declaration order (detail rows)
        - {titoli_esclusi: 40000}
    xfail: reason           # optional: a known discrepancy, kept visible (strict xfail)

Compact members: a member may leave out ``codice_fiscale``; the runner then derives a valid
synthetic one from ``cognome``, ``nome``, ``data_nascita`` and ``sesso`` (all four required),
which stay in the DSU. Everything else is the model's own shape (``equo.isee.model.DSU``).

Money and coefficients are compared to the cent (rounded half away from zero, the engine's own
rule for the indicators); booleans, counts and dates exactly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from equo.isee.model import DSU
from equo.isee.nido import isee_nido
from tests.isee.builders import compute_dsus, expand_member

CASES_DIR = Path(__file__).parent / "cases"
CASE_FILES = sorted(CASES_DIR.glob("*.yaml"))

_KEYS = {"name", "source", "assumptions", "dsu", "isee_nido", "expected", "xfail"}
_STATUS = re.compile(r"^[VPDRS](/[VPDRS])*$")
_CONTEXT = ("isr", "isp", "ise", "scala_equivalenza", "isee")

# The oracles of isee.md §11 that apply to the ordinary ISEE: each must have a case file.
ORACLES = ("E3", "E5", "E7", "E8", "E9", "S1", "S2", "S2-2015", "S5")


def _read(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        pytest.fail(f"{path.name} is not valid YAML: {exc}", pytrace=False)


def _load(path: Path) -> dict[str, Any]:
    case = _read(path)
    problems = _shape_problems(case)
    if problems or not isinstance(case, dict):
        pytest.fail(
            f"{path.name} is not a well-formed case:\n  " + "\n  ".join(problems), pytrace=False
        )
    return case


def _shape_problems(case: object) -> list[str]:
    if not isinstance(case, dict):
        return ["the file must be a mapping"]
    problems = [f"unknown key {k!r}" for k in sorted(set(case) - _KEYS)]
    if not isinstance(case.get("name"), str) or not case["name"].strip():
        problems.append("name: a sentence saying what the case shows")
    source = case.get("source")
    if not isinstance(source, dict) or not str(source.get("citation", "")).strip():
        problems.append("source.citation: where the expected numbers come from")
    elif not _STATUS.match(str(source.get("status", ""))):
        problems.append("source.status: V, P, D, R or S (or a combination like P/V)")
    if ("dsu" in case) == ("isee_nido" in case):
        problems.append("exactly one of dsu and isee_nido")
    expected = case.get("expected")
    if not isinstance(expected, dict) or not expected:
        problems.append("expected: a mapping of column to value")
    elif "isee" not in expected and "isee_nido" not in expected:
        problems.append("expected: must include the isee (or isee_nido)")
    return problems


def _params() -> list[Any]:
    params = []
    for path in CASE_FILES:
        try:
            case = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            case = None  # reported by the test itself, with the file name
        reason = case.get("xfail") if isinstance(case, dict) else None
        marks = [pytest.mark.xfail(strict=True, reason=str(reason))] if reason else []
        params.append(pytest.param(path, id=path.stem, marks=marks))
    return params


def cents(value: float) -> Decimal:
    """A money amount or a coefficient rounded to the cent, half away from zero."""
    return Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _same(expected: object, actual: object) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return cents(expected) == cents(actual)
    return expected == actual  # strings, dates


def _show(value: object) -> str:
    """The value as compared, and in full when rounding changed it."""
    if isinstance(value, float) and cents(value) != Decimal(repr(value)):
        return f"{cents(value)} ({value!r})"
    return repr(value)


def _compare(
    label: str, expected: Mapping[str, Any], row: Mapping[str, Any]
) -> tuple[list[str], int]:
    """Lines of a diff table for one row, and the number of mismatches."""
    lines, wrong = [], 0
    for column, want in expected.items():
        if column not in row:
            lines.append(f"  ✗ {label}{column}: no such column (have: {', '.join(sorted(row))})")
            wrong += 1
            continue
        got = row[column]
        ok = _same(want, got)
        wrong += not ok
        mark = "✓" if ok else "✗"
        lines.append(f"  {mark} {label}{column:<28} expected {want!r:<14} got {_show(got)}")
    return lines, wrong


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _actual_dsu(case: Mapping[str, Any], stem: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    raw = dict(case["dsu"])
    raw.setdefault("protocollo", stem)
    raw["componenti"] = [expand_member(c) for c in raw.get("componenti", [])]
    dsu = DSU.model_validate(raw)
    result = compute_dsus(dsu, detail=True)
    return result.nuclei.row(0, named=True), result.rapporti.to_dicts()


def _actual_nido(case: Mapping[str, Any]) -> dict[str, Any]:
    args = dict(case["isee_nido"])
    value = isee_nido(
        float(args["isee"]),
        float(args["scala_equivalenza"]),
        float(args["assegno_unico_annuo"]),
        args["data_presentazione"],
    )
    return {"isee_nido": value}


@pytest.mark.parametrize("path", _params())
def test_the_engine_reproduces_the_worked_case(path: Path) -> None:
    case = _load(path)
    expected = dict(case["expected"])
    expected_rapporti = expected.pop("rapporti", None)
    rapporti: list[dict[str, Any]] = []
    if "dsu" in case:
        row, rapporti = _actual_dsu(case, path.stem)
    else:
        row = _actual_nido(case)

    lines, wrong = _compare("", expected, row)
    if expected_rapporti is not None:
        if len(expected_rapporti) != len(rapporti):
            lines.append(
                f"  ✗ rapporti: expected {len(expected_rapporti)} rows, got {len(rapporti)}"
            )
            wrong += 1
        for i, (want, got) in enumerate(zip(expected_rapporti, rapporti, strict=False)):
            more, bad = _compare(f"rapporti[{i}].", want, got)
            lines += more
            wrong += bad
    if wrong:
        context = ", ".join(f"{c}={row[c]!r}" for c in _CONTEXT if c in row)
        pytest.fail(
            f"{path.name}: {wrong} expected value(s) differ\n"
            f"  case: {case['name']}\n"
            f"  source [{case['source']['status']}]: {_one_line(case['source']['citation'])}\n"
            + "\n".join(lines)
            + (f"\n  engine: {context}" if context else ""),
            pytrace=False,
        )


def test_there_are_case_files() -> None:
    assert CASE_FILES, f"no case files in {CASES_DIR}"


@pytest.mark.parametrize("oracle", ORACLES)
def test_every_ordinary_oracle_of_the_domain_reference_has_a_case(oracle: str) -> None:
    pattern = re.compile(rf"\b{re.escape(oracle)}\b(?!-)")
    citing = [p.name for p in CASE_FILES if pattern.search(str(_load(p)["source"]["citation"]))]
    assert citing, f"no case file cites {oracle} of isee.md §11"


def test_the_cent_comparison_rounds_half_away_from_zero() -> None:
    assert cents(43333.333333) == Decimal("43333.33")
    assert cents(0.125) == Decimal("0.13")
    assert cents(2.675) == Decimal("2.68")  # repr is 2.675, not the binary 2.67499…
    assert _same(13273.63, 13273.634)
    assert not _same(13273.63, 13273.64)
    assert not _same(True, 1)


def test_a_malformed_case_is_reported_with_each_problem() -> None:
    problems = _shape_problems({"name": "", "source": {"citation": "x", "status": "Q"}, "x": 1})
    assert "unknown key 'x'" in problems
    assert any(p.startswith("name:") for p in problems)
    assert any(p.startswith("source.status:") for p in problems)
    assert "exactly one of dsu and isee_nido" in problems
    assert any(p.startswith("expected:") for p in problems)


def test_the_runner_shows_every_mismatch_in_its_diff() -> None:
    lines, wrong = _compare("", {"isee": 100.0, "isr": 5.0, "nope": 1}, {"isee": 99.0, "isr": 5.0})
    assert wrong == 2
    text = "\n".join(lines)
    assert "✗ isee" in text and "✓ isr" in text and "nope: no such column" in text


def test_the_case_dsus_give_the_same_indicators_in_one_batch() -> None:
    # Their amounts are whole euros, so the float sums are exact and the comparison can be too.
    dsus = []
    for path in CASE_FILES:
        case = _load(path)
        if "dsu" in case:
            raw = dict(case["dsu"])
            raw["componenti"] = [expand_member(c) for c in raw["componenti"]]
            dsus.append(DSU.model_validate(raw))
    batch = compute_dsus(*dsus).indicatori().drop("dsu_id")
    for i, dsu in enumerate(dsus):
        alone = compute_dsus(dsu).indicatori().drop("dsu_id")
        assert batch.slice(i, 1).equals(alone), f"case DSU {i} differs in the batch"
