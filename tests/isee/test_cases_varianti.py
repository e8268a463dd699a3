"""The engine reproduces the worked cases of the ISEE variants (isee.md §7, §11), to the cent.

Each case is one YAML file in ``cases/varianti/`` with the shape of the ordinary cases (see
:mod:`tests.isee.test_cases`) plus two keys::

    variante: residenze      # a value of equo.isee.varianti.Variante (required)
    dsu: {...}               # required: a variant case always starts from a full DSU
    expected: {...}          # columns of the variant's result, as for the ordinary cases
    expected_ordinario: {...} # optional: columns of the ordinary ISEE of the same DSU

The runner reuses the loader, the comparison and the failure table of ``test_cases``. The
example DSUs of ``examples/varianti/`` (listed with their ISEE in its README) are checked here
too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from equo.cli import app
from equo.isee.engine import compute
from equo.isee.frames import dsu_frames
from equo.isee.model import DSU
from equo.isee.varianti import Variante
from tests.isee.builders import expand_member
from tests.isee.test_cases import _CONTEXT, _compare, _one_line, _read, _shape_problems, cents

CASES_DIR = Path(__file__).parent / "cases" / "varianti"
CASE_FILES = sorted(CASES_DIR.glob("*.yaml"))
EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples" / "varianti"

# Keys the ordinary loader does not know: accepted here.
_VARIANT_KEYS = {"variante", "expected_ordinario"}

# The oracles of isee.md §11 about the variants: each must have a case file.
ORACLES = ("E5", "E6", "S3")


def _problems(case: object) -> list[str]:
    """The ordinary shape checks, with the variant keys allowed and ``variante``/``dsu``
    required."""
    problems = [
        p
        for p in _shape_problems(case)
        if not any(p == f"unknown key {k!r}" for k in _VARIANT_KEYS)
    ]
    if not isinstance(case, dict):
        return problems
    if case.get("variante") not in {v.value for v in Variante}:
        problems.append(f"variante: one of {', '.join(v.value for v in Variante)}")
    if "dsu" not in case:
        problems.append("dsu: a variant case starts from a full DSU")
    ordinario = case.get("expected_ordinario")
    if ordinario is not None and (not isinstance(ordinario, dict) or not ordinario):
        problems.append("expected_ordinario: a mapping of column to value")
    return problems


def _load(path: Path) -> dict[str, Any]:
    case = _read(path)
    problems = _problems(case)
    if problems or not isinstance(case, dict):
        pytest.fail(
            f"{path.name} is not a well-formed case:\n  " + "\n  ".join(problems), pytrace=False
        )
    return case


def _params() -> list[Any]:
    params = []
    for path in CASE_FILES:
        case = _read(path)
        reason = case.get("xfail") if isinstance(case, dict) else None
        marks = [pytest.mark.xfail(strict=True, reason=str(reason))] if reason else []
        params.append(pytest.param(path, id=path.stem, marks=marks))
    return params


def _dsu(case: dict[str, Any], stem: str) -> DSU:
    raw = dict(case["dsu"])
    raw.setdefault("protocollo", stem)
    raw["componenti"] = [expand_member(c) for c in raw.get("componenti", [])]
    return DSU.model_validate(raw)


def _row(dsu: DSU, variante: Variante) -> dict[str, Any]:
    return compute(dsu_frames([dsu]), variante=variante).nuclei.row(0, named=True)


@pytest.mark.parametrize("path", _params())
def test_the_engine_reproduces_the_variant_case(path: Path) -> None:
    case = _load(path)
    variante = Variante(case["variante"])
    dsu = _dsu(case, path.stem)
    row = _row(dsu, variante)
    lines, wrong = _compare(f"{variante.value}: ", case["expected"], row)
    ordinario: dict[str, Any] = {}
    if "expected_ordinario" in case:
        ordinario = _row(dsu, Variante.ORDINARIO)
        more, bad = _compare("ordinario: ", case["expected_ordinario"], ordinario)
        lines += more
        wrong += bad
    if wrong:
        context = ", ".join(f"{c}={row[c]!r}" for c in _CONTEXT if c in row)
        pytest.fail(
            f"{path.name}: {wrong} expected value(s) differ\n"
            f"  case: {_one_line(case['name'])}\n"
            f"  source [{case['source']['status']}]: {_one_line(case['source']['citation'])}\n"
            + "\n".join(lines)
            + f"\n  engine ({variante.value}): {context}",
            pytrace=False,
        )


def test_there_are_variant_case_files() -> None:
    assert CASE_FILES, f"no case files in {CASES_DIR}"


@pytest.mark.parametrize("oracle", ORACLES)
def test_every_variant_oracle_of_the_domain_reference_has_a_case(oracle: str) -> None:
    pattern = re.compile(rf"\b{re.escape(oracle)}\b(?!-)")
    citing = [p.name for p in CASE_FILES if pattern.search(str(_load(p)["source"]["citation"]))]
    assert citing, f"no variant case file cites {oracle} of isee.md §11"


def test_every_variant_but_the_ordinario_has_a_case() -> None:
    covered = {_load(p)["variante"] for p in CASE_FILES}
    missing = {v.value for v in Variante} - {Variante.ORDINARIO.value} - covered
    assert not missing, f"no case in {CASES_DIR.name}/ for: {sorted(missing)}"


def test_a_malformed_variant_case_is_reported() -> None:
    problems = _problems({"name": "x", "source": {"citation": "y", "status": "S"}, "expected": {}})
    assert any(p.startswith("variante:") for p in problems)
    assert any(p.startswith("dsu:") for p in problems)
    assert not any("unknown key" in p for p in _problems({"variante": "nido", "dsu": {}}))


# --- the example DSUs of examples/varianti/ ---------------------------------------------------

# | [file.json](file.json) | `variante` | `equo isee calcola …` | 1.234,56 € |
_README_ROW = re.compile(
    r"^\|\s*\[(?P<file>[\w.-]+\.json)\]\([\w.-]+\.json\)\s*\|\s*`(?P<variante>[\w-]+)`\s*\|"
    r"\s*`(?P<comando>[^`]+)`\s*\|\s*(?P<isee>[\d.]+,\d\d) €\s*\|",
    re.MULTILINE,
)


def _readme_rows() -> list[dict[str, str]]:
    readme = EXAMPLES_DIR / "README.md"
    if not readme.is_file():
        return []  # reported by test_the_readme_lists_every_example_once_and_every_variant
    text = readme.read_text(encoding="utf-8")
    return [m.groupdict() for m in _README_ROW.finditer(text)]


def _euro_to_float(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def test_the_readme_lists_every_example_once_and_every_variant() -> None:
    assert (EXAMPLES_DIR / "README.md").is_file(), f"{EXAMPLES_DIR}/README.md is missing"
    rows = _readme_rows()
    listed = [r["file"] for r in rows]
    on_disk = sorted(p.name for p in EXAMPLES_DIR.glob("*.json"))
    assert sorted(listed) == on_disk
    assert {r["variante"] for r in rows} == {v.value for v in Variante}
    for r in rows:
        assert r["file"].startswith(r["variante"].replace("-", "_")), r
        assert r["comando"] == (
            f"equo isee calcola examples/varianti/{r['file']} --variante {r['variante']} --spiega"
        )


@pytest.mark.parametrize("row", _readme_rows(), ids=lambda r: r["file"])
def test_each_example_computes_with_its_variant_the_isee_of_the_readme(
    row: dict[str, str],
) -> None:
    path = EXAMPLES_DIR / row["file"]
    result = CliRunner().invoke(
        app, ["isee", "calcola", str(path), "--variante", row["variante"], "--json"]
    )
    assert result.exit_code == 0, result.output
    isee = json.loads(result.output)["isee"]
    assert cents(isee) == cents(_euro_to_float(row["isee"])), (
        f"{row['file']} gives ISEE {isee} with --variante {row['variante']}, the README says "
        f"{row['isee']} €"
    )


def test_the_user_guide_lists_each_example_with_its_command_and_isee() -> None:
    guide = (EXAMPLES_DIR.parents[1] / "docs" / "guida" / "isee.md").read_text(encoding="utf-8")
    assert "## Esempi per variante" in guide
    section = guide.split("## Esempi per variante", 1)[1]
    for row in _readme_rows():
        line = f"| `{row['variante']}` | `{row['comando']}` | {row['isee']} € |"
        assert line in section, f"docs/guida/isee.md, Esempi per variante, lacks: {line}"
