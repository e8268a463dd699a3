"""The old ISEE's parameters: one dated rule set, ending when DPCM 159/2013 begins."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from equo.isee.parameters import ParameterError, ParameterSet, load_parameters
from equo.isee.vecchio.regole import data_regole, load_parametri_vecchi, ultimo_giorno

PARAMS = load_parametri_vecchi()


def test_every_old_parameter_starts_with_the_dlgs_130_2000_regime_and_ends_in_2015() -> None:
    for name, parameter in PARAMS.items():
        assert parameter.values[0][0] == dt.date(2000, 6, 7), name
        assert parameter.values[-1] == (dt.date(2015, 1, 1), None), name


def test_the_old_rules_were_last_in_force_the_day_before_the_new_isee() -> None:
    assert ultimo_giorno(PARAMS) == dt.date(2014, 12, 31)
    assert ultimo_giorno(PARAMS) == load_parameters().start_date - dt.timedelta(days=1)


def test_a_dsu_resolves_the_old_rules_at_its_date_or_at_their_last_day() -> None:
    assert data_regole(dt.date(2010, 5, 1), PARAMS) == dt.date(2010, 5, 1)
    assert data_regole(dt.date(2025, 6, 1), PARAMS) == dt.date(2014, 12, 31)


def test_the_lire_amounts_are_converted_at_1936_27() -> None:
    lire = {
        "isr.detrazione_canone_massimo": 10_000_000,
        "isp.detrazione_casa_massimo": 100_000_000,
        "isp.franchigia_mobiliare": 30_000_000,
    }
    day = dt.date(2014, 12, 31)
    for name, amount in lire.items():
        assert PARAMS[name].number(day) == round(amount / 1936.27, 2), name


def test_the_old_scala_base_table_is_the_new_one() -> None:
    new = load_parameters()
    assert PARAMS["scala_equivalenza.parametro_base"].at(dt.date(2014, 12, 31)) == new[
        "scala_equivalenza.parametro_base"
    ].at(dt.date(2015, 1, 1))


def test_parameters_ending_on_different_dates_are_refused() -> None:
    franchigia = PARAMS["isp.franchigia_mobiliare"]
    shorter = dataclasses.replace(
        franchigia, values=((dt.date(2000, 6, 7), 1.0), (dt.date(2010, 1, 1), None))
    )
    broken = ParameterSet({**PARAMS, "isp.franchigia_mobiliare": shorter})
    with pytest.raises(ParameterError, match="same date"):
        ultimo_giorno(broken)


def test_the_uncertain_old_parameters_say_why() -> None:
    uncertain = {name for name, p in PARAMS.items() if p.uncertain}
    assert {
        "reddito_figurativo.rendimento_titoli_decennali",
        "isp.valore_ici_su_valore_imu",
        "scala_equivalenza.handicap_include_disabilita_media",
    } <= uncertain
