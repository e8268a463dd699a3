"""ISEE corrente (DPCM 159/2013 art. 9): current incomes, conditions and validity by date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from equo.isee.engine import compute
from equo.isee.explain import explain_dsu
from equo.isee.frames import dsu_frames
from equo.isee.model import DSU
from equo.isee.render import render_text
from equo.isee.varianti import Variante, VariantNotApplicableError, motivo_non_applicabile
from tests.isee.builders import born_aged, dsu_dict, member

COR = Variante.CORRENTE


def _dsu(day: dt.date, reddito_corrente: float, **richiesta: Any) -> DSU:
    """A worker who earned 30,000 two years ago and now earns less, living with his wife."""
    lavoratore = member(
        "Lodi",
        "Sergio",
        born_aged(50, day),
        "M",
        "D",
        attivita_lavorativa_6_mesi=True,
        redditi={"reddito_complessivo_irpef": 30_000, "lavoro_dipendente": 30_000},
    )
    moglie = member("Pace", "Nina", born_aged(48, day), "F", "C")
    data = dsu_dict(day, lavoratore, moglie)
    corrente = {
        "redditi_correnti": [
            {
                "codice_fiscale": lavoratore["codice_fiscale"],
                "redditi": {
                    "reddito_complessivo_irpef": reddito_corrente,
                    "lavoro_dipendente": reddito_corrente,
                },
            }
        ],
        **richiesta,
    }
    return DSU.model_validate({**data, "corrente": corrente})


def _row(dsu: DSU) -> dict[str, Any]:
    return compute(dsu_frames([dsu]), variante=COR).nuclei.row(0, named=True)


def test_the_current_incomes_replace_the_ordinary_ones() -> None:
    row = _row(_dsu(dt.date(2024, 3, 1), 12_000, variazione_lavoro=True))
    assert row["isr_ordinario"] == 27_000  # 30,000 − 3,000
    assert row["isr"] == 9_600  # 12,000 − 20 %
    assert row["isee"] == round(9_600 / 1.57, 2)
    assert row["riduzione_isr"] == pytest.approx(1 - 9_600 / 27_000)


def test_after_october_2019_one_condition_suffices() -> None:
    day = dt.date(2024, 3, 1)
    assert _row(_dsu(day, 12_000))["corrente_ammissibile"]  # ISR −64 % only
    assert _row(_dsu(day, 29_000, variazione_lavoro=True))["corrente_ammissibile"]  # event only
    with pytest.raises(VariantNotApplicableError, match="not admissible"):
        _row(_dsu(day, 29_000))  # neither


def test_until_october_2019_both_conditions_are_needed() -> None:
    day = dt.date(2018, 5, 2)
    assert _row(_dsu(day, 12_000, variazione_lavoro=True))["corrente_ammissibile"]
    for dsu in (_dsu(day, 12_000), _dsu(day, 29_000, interruzione_trattamenti=True)):
        assert "not admissible" in (motivo_non_applicabile(dsu, COR) or "")


def test_the_validity_was_two_months_and_is_six() -> None:
    before = _row(_dsu(dt.date(2018, 5, 2), 12_000, variazione_lavoro=True))
    after = _row(_dsu(dt.date(2024, 3, 1), 12_000, variazione_lavoro=True))
    assert before["valida_fino_al"] == dt.date(2018, 7, 1)
    assert after["valida_fino_al"] == dt.date(2024, 8, 31)


def test_the_variant_needs_the_request() -> None:
    plain = DSU.model_validate(
        dsu_dict("2024-03-01", member("Lodi", "Sergio", "1974-01-01", "M", "D"))
    )
    assert "needs its request" in (motivo_non_applicabile(plain, COR) or "")
    with pytest.raises(VariantNotApplicableError, match="needs its request"):
        _row(plain)


def test_current_incomes_must_belong_to_a_member() -> None:
    data = _dsu(dt.date(2024, 3, 1), 12_000).model_dump()
    data["corrente"]["redditi_correnti"][0]["codice_fiscale"] = "RSSMRA80A01H501U"
    with pytest.raises(ValueError, match=r"corrente\.redditi_correnti\[0\]\.codice_fiscale"):
        DSU.model_validate(data)


def test_the_explanation_shows_the_test_and_the_validity() -> None:
    text = render_text(
        explain_dsu(_dsu(dt.date(2024, 3, 1), 12_000, variazione_lavoro=True), variante=COR)
    )
    assert text.startswith("ISEE corrente – DSU")
    assert "ISR ordinario (redditi della DSU)" in text
    assert "valido fino al 31/08/2024" in text


def _con_patrimonio_aggiornato(day: dt.date, saldo_oggi: float) -> DSU:
    """A couple with 60,000 in the bank at the DSU's date and less today."""
    data = _dsu(day, 29_000).model_dump()
    data["componenti"][0]["rapporti"] = [
        {"tipo": "01", "saldo_31_12": 60_000, "giacenza_media": 60_000}
    ]
    cf = data["componenti"][0]["codice_fiscale"]
    data["corrente"] = {
        "redditi_correnti": [],
        "patrimoni_correnti": [
            {
                "codice_fiscale": cf,
                "rapporti": [
                    {"tipo": "01", "saldo_31_12": saldo_oggi, "giacenza_media": saldo_oggi}
                ],
            }
        ],
    }
    return DSU.model_validate(data)


def test_from_2021_a_patrimonio_lower_by_more_than_20_percent_allows_the_isee_corrente() -> None:
    row = _row(_con_patrimonio_aggiornato(dt.date(2024, 5, 2), 20_000))
    assert row["isp_ordinario"] == 60_000 - 8_000
    assert row["isp"] == 20_000 - 8_000
    assert row["riduzione_isp"] == pytest.approx(1 - 12_000 / 52_000)
    assert row["corrente_ammissibile"]
    with pytest.raises(VariantNotApplicableError, match="not admissible"):
        _row(_con_patrimonio_aggiornato(dt.date(2024, 5, 2), 50_000))  # −19 % only


def test_the_updated_patrimonio_does_not_exist_before_2021() -> None:
    with pytest.raises(VariantNotApplicableError, match="updated patrimonio exists for DSUs from"):
        _row(_con_patrimonio_aggiornato(dt.date(2020, 5, 4), 20_000))


def test_an_isee_corrente_declares_something_current() -> None:
    data = _dsu(dt.date(2024, 3, 1), 12_000).model_dump()
    data["corrente"]["redditi_correnti"] = []
    with pytest.raises(ValueError, match="current incomes or an updated patrimonio"):
        DSU.model_validate(data)
