"""Recomputing an ISEE from its attestazione: the same formulas, and honest about approximations."""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl
import pytest

from equo.isee.attestazione.model import ComponenteDisabile
from equo.isee.attestazione.ricalcolo import ricalcola, spiega_ricalcolo
from equo.isee.engine import compute
from equo.isee.frames import dsu_frames
from equo.isee.parameters import ParameterSet, load_parameters
from tests.isee.attestazione.aiuti import (
    componenti,
    disabile_2015_con_risparmi,
    esempi,
    famiglia_con_casa_2024,
)

INDICATORI = ["isr", "isp", "ise", "scala_equivalenza", "isee"]


def _dsus() -> list:
    return [*esempi(), disabile_2015_con_risparmi(), famiglia_con_casa_2024()]


@pytest.mark.parametrize("stampato_soltanto", [False, True], ids=["con_fatti", "solo_stampato"])
def test_recomputing_at_the_original_date_reproduces_the_printed_isee_to_the_cent(
    stampato_soltanto: bool,
) -> None:
    dsus = _dsus()
    attese = compute(dsu_frames(dsus)).indicatori().select(INDICATORI)
    result = ricalcola(componenti(*dsus, stampato_soltanto=stampato_soltanto))
    assert result.select(INDICATORI).equals(attese)
    assert result["esatto"].all(), result["note"].to_list()


def test_one_batch_gives_the_same_rows_as_one_attestazione_at_a_time() -> None:
    items = componenti(*_dsus(), stampato_soltanto=True)
    batch = ricalcola(items, data=dt.date(2020, 3, 1))
    one_by_one = pl.concat([ricalcola([c], data=dt.date(2020, 3, 1)) for c in items])
    assert batch.drop("indice").equals(one_by_one.drop("indice"))


def test_a_2015_disabled_person_recomputed_in_june_2016_gets_the_2016_scala_rule() -> None:
    (c,) = componenti(disabile_2015_con_risparmi())
    assert c.componenti_disabili == [ComponenteDisabile(classe="media")]
    original = ricalcola([c]).row(0, named=True)
    assert original["scala_equivalenza"] == 1.0
    row = ricalcola([c], data=dt.date(2016, 6, 1)).row(0, named=True)
    assert row["maggiorazione_disabilita"] == 0.5
    assert row["scala_equivalenza"] == 1.5
    # ISP 30,000 − 6,000 = 24,000; ISE 4,800; ISEE 4,800 / 1.5
    assert row["isee"] == 3200.0
    assert row["esatto"], row["note"]


def test_without_the_disabled_members_the_2016_recompute_is_flagged_not_exact() -> None:
    (c,) = componenti(disabile_2015_con_risparmi(), stampato_soltanto=True)
    row = ricalcola([c], data=dt.date(2016, 6, 1)).row(0, named=True)
    assert not row["esatto"]
    assert any(n.startswith("scala_equivalenza:") for n in row["note"])


def test_the_2015_franchigia_for_a_disabled_member_is_removed_in_2016_when_known() -> None:
    dsu = next(d for d in esempi() if d.data_presentazione.year == 2015)
    (c,) = componenti(dsu)
    row = ricalcola([c], data=dt.date(2016, 6, 1)).row(0, named=True)
    assert row["franchigie_disabilita"] == 0.0
    assert row["detrazione_canone"] == 6000.0
    assert row["scala_equivalenza"] == 1.5
    # the disability trattamenti inside the printed somma dei redditi cannot be removed
    assert [n.split(":")[0] for n in row["note"]] == ["somma_redditi"]


def test_the_franchigie_cannot_be_separated_from_the_rent_without_the_disabled_members() -> None:
    dsu = next(d for d in esempi() if d.data_presentazione.year == 2015)
    (c,) = componenti(dsu, stampato_soltanto=True)
    row = ricalcola([c], data=dt.date(2016, 6, 1)).row(0, named=True)
    assert row["detrazioni_fisse"] == 13000.0
    assert any(n.startswith("detrazioni:") and "disabilità" in n for n in row["note"])


def _with_value(params: ParameterSet, name: str, day: dt.date, value: float) -> ParameterSet:
    parameter = params[name]
    values = tuple(sorted({**dict(parameter.values), day: value}.items()))
    return ParameterSet({**params, name: dataclasses.replace(parameter, values=values)})


def test_a_new_casa_franchigia_is_applied_only_when_the_casa_value_is_known() -> None:
    params = _with_value(
        load_parameters(), "isp.franchigia_casa_abitazione", dt.date(2026, 1, 1), 100_000
    )
    dsu = famiglia_con_casa_2024()
    day = dt.date(2026, 2, 1)
    (known,) = componenti(dsu)
    exact = ricalcola([known], data=day, params=params).row(0, named=True)
    # casa 180,000 − mutuo 40,000 = 140,000; 2/3 of the part above 100,000
    assert exact["casa_abitazione_rilevante"] == pytest.approx(26_666.67, abs=0.005)
    assert exact["esatto"], exact["note"]
    (unknown,) = componenti(dsu, stampato_soltanto=True)
    approx = ricalcola([unknown], data=day, params=params).row(0, named=True)
    assert not approx["esatto"]
    assert any(n.startswith("patrimonio_immobiliare:") for n in approx["note"])
    assert approx["isp"] > exact["isp"]


def test_with_a_zero_rate_the_base_of_the_reddito_figurativo_is_unknown() -> None:
    params = load_parameters()
    for name in ("reddito_figurativo.rendimento_titoli_decennali",):
        params = _with_value(params, name, dt.date(2024, 1, 1), 0.0)
    (c,) = componenti(famiglia_con_casa_2024(), stampato_soltanto=True)
    row = ricalcola([c], data=dt.date(2025, 6, 1), params=params).row(0, named=True)
    assert row["base_reddito_figurativo"] == 0.0
    assert any(n.startswith("reddito_figurativo:") for n in row["note"])


def test_facts_that_contradict_the_printed_lines_are_flagged() -> None:
    (c,) = componenti(famiglia_con_casa_2024())
    wrong = c.model_copy(update={"n_genitori_lavoratori": 0})
    row = ricalcola([wrong]).row(0, named=True)
    assert not row["esatto"]
    assert any("non riproduce la scala stampata" in n for n in row["note"])


def test_the_explanation_puts_printed_and_recomputed_lines_side_by_side() -> None:
    dsu = next(d for d in esempi() if d.data_presentazione.year == 2015)
    (text,) = spiega_ricalcolo(componenti(dsu), data=dt.date(2016, 6, 1))
    assert "ricalcolata con le regole in vigore al 01/06/2016" in text
    assert "stampato" in text and "ricalcolato" in text
    scala = next(line for line in text.splitlines() if "Valore della scala" in line)
    assert scala.split()[-3:] == ["1,00", "1,50", "≠"]
    assert "alla data originale Maggiorazione per ogni componente con disabilità" in text
    assert "Ricalcolo approssimato:" in text
    assert "  - somma_redditi:" in text


def test_the_explanation_says_when_the_recompute_is_exact() -> None:
    (text,) = spiega_ricalcolo(componenti(famiglia_con_casa_2024()))
    assert "con le regole della data di presentazione" in text
    assert "≠" not in text
    assert text.endswith("Ricalcolo esatto: ogni riga è ricostruita senza approssimazioni.")
