"""The old-ISEE engine reproduces the hand-computed cases in ``cases/``, to the cent.

Each case file has the shape of ``tests/isee/cases`` (``name``, ``source`` with ``citation`` and
``status``, optional ``assumptions``, ``dsu`` with compact members, ``expected`` columns of
:attr:`~equo.isee.vecchio.engine.IseeVecchioResult.nuclei`). No published old-ISEE computation
with full inputs was found, so every case is synthetic (status S): its arithmetic, written in
``source.citation``, applies isee.md §9 by hand.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from equo.isee.model import DSU
from equo.isee.vecchio.engine import compute_vecchio, frames_vecchio
from tests.isee.builders import expand_member

CASE_FILES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))
_KEYS = {"name", "source", "assumptions", "dsu", "expected"}


def _load(path: Path) -> dict[str, Any]:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(case, dict), f"{path.name}: not a mapping"
    assert set(case) <= _KEYS, f"{path.name}: unknown keys {set(case) - _KEYS}"
    assert str(case["name"]).strip(), f"{path.name}: no name"
    assert str(case["source"]["citation"]).strip(), f"{path.name}: no source.citation"
    assert case["source"]["status"] == "S", f"{path.name}: old-ISEE cases are synthetic (S)"
    return case


def _dsu(case: dict[str, Any], stem: str) -> DSU:
    raw = dict(case["dsu"])
    raw.setdefault("protocollo", stem)
    raw["componenti"] = [expand_member(c) for c in raw["componenti"]]
    return DSU.model_validate(raw)


def _cents(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _same(expected: object, actual: object) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, float) or isinstance(actual, float):
        assert isinstance(expected, int | float) and isinstance(actual, int | float)
        return _cents(expected) == _cents(actual)
    return expected == actual


def test_there_are_hand_computed_cases() -> None:
    assert len(CASE_FILES) >= 3


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_the_old_engine_reproduces_the_hand_computed_case(path: Path) -> None:
    case = _load(path)
    row = compute_vecchio(frames_vecchio([_dsu(case, path.stem)])).nuclei.row(0, named=True)
    wrong = [
        f"{column}: expected {want!r}, got {row.get(column)!r}"
        for column, want in case["expected"].items()
        if column not in row or not _same(want, row[column])
    ]
    assert not wrong, f"{path.name} ({case['name']}):\n  " + "\n  ".join(wrong)


def test_the_cases_give_the_same_indicators_in_one_batch() -> None:
    dsus = [_dsu(_load(p), p.stem) for p in CASE_FILES]
    batch = compute_vecchio(frames_vecchio(dsus)).indicatori().drop("dsu_id")
    for i, dsu in enumerate(dsus):
        alone = compute_vecchio(frames_vecchio([dsu])).indicatori().drop("dsu_id")
        assert batch.slice(i, 1).equals(alone), f"case {CASE_FILES[i].name} differs in a batch"
