"""The attestazione is valid on the domanda's date by the law in force when its DSU was filed."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from equo.regolamenti.documento import Indicatore
from equo.regolamenti.validita import validita_attestazione

D = dt.date


def valid(indicatore: Indicatore, dsu: dt.date, domanda: dt.date | None) -> bool:
    frame = pl.DataFrame(
        {"data_dsu": [dsu], "data_domanda": [domanda]},
        schema={"data_dsu": pl.Date, "data_domanda": pl.Date},
    )
    value = frame.select(validita_attestazione(indicatore).expr.fill_null(False)).item()
    return bool(value)


@pytest.mark.parametrize(
    ("dsu", "domanda", "expected"),
    [
        (D(2026, 2, 1), D(2026, 2, 1), True),
        (D(2026, 2, 1), D(2026, 12, 31), True),
        (D(2026, 2, 1), D(2027, 1, 1), False),
        (D(2026, 2, 1), D(2026, 1, 31), False),  # a DSU filed after the domanda
        (D(2018, 3, 1), D(2019, 1, 15), True),  # until 2018: valid to 15 January
        (D(2018, 3, 1), D(2019, 1, 16), False),
        (D(2019, 3, 1), D(2020, 1, 15), False),  # from 2019: to 31 December
        (D(2014, 12, 1), D(2014, 12, 2), False),  # before the DPCM 159/2013 ISEE
    ],
)
def test_the_ordinary_attestazione_is_valid_as_the_law_then_said(
    dsu: dt.date, domanda: dt.date, expected: bool
) -> None:
    assert valid(Indicatore(), dsu, domanda) is expected


@pytest.mark.parametrize(
    ("dsu", "domanda", "expected"),
    [
        (D(2026, 3, 15), D(2026, 9, 14), True),
        (D(2026, 3, 15), D(2026, 9, 15), False),
        (D(2019, 3, 15), D(2019, 5, 14), True),  # two months before DL 34/2019
        (D(2019, 3, 15), D(2019, 5, 15), False),
    ],
)
def test_the_isee_corrente_is_valid_for_its_months(
    dsu: dt.date, domanda: dt.date, expected: bool
) -> None:
    assert valid(Indicatore(variante="corrente"), dsu, domanda) is expected


def test_a_regolamento_may_ask_for_a_recent_dsu_in_days() -> None:
    indicatore = Indicatore(validita_attestazione=90)
    assert valid(indicatore, D(2026, 1, 1), D(2026, 4, 1))  # 90 days
    assert not valid(indicatore, D(2026, 1, 1), D(2026, 4, 2))


def test_a_missing_date_makes_the_attestazione_not_valid() -> None:
    assert not valid(Indicatore(), D(2026, 1, 1), None)
