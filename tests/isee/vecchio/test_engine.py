"""The old-ISEE engine: its rules one by one, the ICI approximation and its properties."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equo.isee.engine import compute
from equo.isee.frames import dsu_frames
from equo.isee.model import DSU
from equo.isee.parameters import ParameterSet
from equo.isee.vecchio.engine import (
    NOTA_APPROSSIMAZIONE,
    IseeVecchioResult,
    compute_vecchio,
    frames_vecchio,
)
from equo.isee.vecchio.regole import load_parametri_vecchi
from tests.isee.builders import born_aged, build_dsu, conto_corrente, immobile, member, rapporto

DAY = "2016-06-01"
PARAMS = load_parametri_vecchi()


def _row(dsu: DSU, params: ParameterSet | None = None) -> dict[str, Any]:
    return compute_vecchio(frames_vecchio([dsu]), params=params).nuclei.row(0, named=True)


def _single(**fields: Any) -> dict[str, Any]:
    return member("Neri", "Paolo", "1970-03-03", "M", "D", **fields)


def test_only_the_irpef_income_counts() -> None:
    dsu = build_dsu(
        DAY,
        _single(
            redditi={
                "reddito_complessivo_irpef": 10_000,
                "redditi_esenti": 1_000,
                "redditi_imposta_sostitutiva": 2_000,
                "trattamenti_assistenziali": 3_000,
                "lavoro_dipendente": 10_000,
            }
        ),
    )
    row = _row(dsu)
    assert row["somma_redditi"] == 10_000
    assert row["redditi_non_considerati"] == 6_000
    assert row["isr"] == 10_000


def test_the_reddito_figurativo_applies_to_the_whole_mobiliare_before_the_franchigia() -> None:
    dsu = build_dsu(
        DAY, _single(rapporti=[conto_corrente(10_000, 50_000), rapporto("02", valore=5_000)])
    )
    row = _row(dsu)
    assert row["patrimonio_mobiliare"] == 15_000  # saldo, not giacenza media
    assert row["reddito_figurativo"] == pytest.approx(0.0432 * 15_000)
    assert row["patrimonio_mobiliare_netto"] == 0


def test_the_rent_is_deducted_only_up_to_the_income() -> None:
    dsu = build_dsu(DAY, _single(), abitazione={"titolo": "locazione", "canone_annuo": 4_000})
    row = _row(dsu)
    assert row["detrazione_canone"] == 0
    assert row["isr"] == 0


def test_a_mortgage_larger_than_the_casa_deduction_is_deducted_instead() -> None:
    dsu = build_dsu(
        DAY,
        _single(
            immobili=[
                immobile(160_000, valore_ici=100_000, mutuo_residuo=70_000, casa_abitazione=True)
            ]
        ),
        abitazione={"titolo": "proprieta"},
    )
    row = _row(dsu)
    assert row["detrazione_casa_scelta_franchigia"] is False
    assert row["detrazione_casa_abitazione"] == 70_000
    assert row["isp"] == 30_000


def test_the_casa_deduction_applies_once_to_the_shares_of_both_owners() -> None:
    casa = immobile(160_000, valore_ici=100_000, quota_posseduta=50, casa_abitazione=True)
    dsu = build_dsu(
        DAY,
        _single(immobili=[casa]),
        member("Neri", "Ada", "1971-04-04", "F", "C", immobili=[casa]),
        abitazione={"titolo": "proprieta"},
    )
    row = _row(dsu)
    assert row["casa_abitazione_lorda"] == 100_000
    assert row["detrazione_casa_abitazione"] == pytest.approx(51_645.69)


def test_a_given_ici_value_is_used_as_is_and_not_flagged() -> None:
    dsu = build_dsu(DAY, _single(immobili=[immobile(100_000, valore_ici=70_000)]))
    result = compute_vecchio(frames_vecchio([dsu]), detail=True)
    assert result.immobili["valore_ici_usato"].to_list() == [70_000]
    row = result.nuclei.row(0, named=True)
    assert row["approssimato"] is False
    assert row["nota"] is None


@pytest.mark.parametrize(
    ("tipo", "estero", "valore_ici"),
    [
        ("fabbricato", False, 100_000.0),
        ("area_fabbricabile", False, 160_000.0),
        ("terreno_agricolo", False, 160_000 * 75 / 135),
        ("fabbricato", True, 160_000.0),
    ],
)
def test_a_missing_ici_value_is_estimated_from_the_imu_value_and_flagged(
    tipo: str, estero: bool, valore_ici: float
) -> None:
    dsu = build_dsu(DAY, _single(immobili=[immobile(160_000, tipo=tipo, estero=estero)]))
    result = compute_vecchio(frames_vecchio([dsu]), detail=True)
    assert result.immobili["valore_ici_usato"][0] == pytest.approx(valore_ici)
    assert result.immobili["approssimato"].to_list() == [True]
    row = result.nuclei.row(0, named=True)
    assert row["approssimato"] is True
    assert row["n_immobili_approssimati"] == 1
    assert row["nota"] == NOTA_APPROSSIMAZIONE


def test_frames_without_an_ici_column_are_all_approximated() -> None:
    dsu = build_dsu(DAY, _single(immobili=[immobile(160_000, valore_ici=1.0)]))
    frames = frames_vecchio([dsu])
    frames = dataclasses.replace(frames, immobili=frames.immobili.drop("valore_ici"))
    assert compute_vecchio(frames).nuclei["altri_immobili_lordi"].to_list() == [100_000]


@pytest.mark.parametrize(
    ("disabilita", "include_media", "maggiorazione"),
    [
        ("grave", True, 0.5),
        ("non_autosufficiente", False, 0.5),
        ("media", True, 0.5),
        ("media", False, 0.0),
        ("nessuna", True, 0.0),
    ],
)
def test_the_disability_classes_map_to_the_old_handicap_maggiorazione(
    disabilita: str, include_media: bool, maggiorazione: float
) -> None:
    switch = PARAMS["scala_equivalenza.handicap_include_disabilita_media"]
    params = ParameterSet(
        {
            **PARAMS,
            switch.name: dataclasses.replace(
                switch,
                values=((dt.date(2000, 6, 7), include_media), (dt.date(2015, 1, 1), None)),
            ),
        }
    )
    row = _row(build_dsu(DAY, _single(disabilita=disabilita)), params)
    assert row["maggiorazione_handicap"] == maggiorazione


def test_a_single_parent_gets_the_absent_spouse_maggiorazione_and_not_the_working_one() -> None:
    dsu = build_dsu(
        DAY,
        _single(attivita_lavorativa_6_mesi=True),
        member("Neri", "Bice", born_aged(5, DAY), "F", "F"),
    )
    row = _row(dsu)
    assert row["maggiorazione_assenza_coniuge"] == 0.2
    assert row["maggiorazione_genitori_lavoratori"] == 0
    assert row["scala_equivalenza"] == 1.77


def test_a_dsu_before_2015_in_the_frames_uses_the_rules_of_its_own_date() -> None:
    dsu = build_dsu(DAY, _single(rapporti=[conto_corrente(10_000)]))
    frames = frames_vecchio([dsu])
    nuclei = frames.nuclei.with_columns(pl.lit(dt.date(2010, 5, 1)).alias("data_presentazione"))
    row = compute_vecchio(dataclasses.replace(frames, nuclei=nuclei)).nuclei.row(0, named=True)
    assert row["data_regole"] == dt.date(2010, 5, 1)
    assert row["tasso_reddito_figurativo"] == 0.0431
    early = frames.nuclei.with_columns(pl.lit(dt.date(1999, 1, 1)).alias("data_presentazione"))
    with pytest.raises(ValueError, match="first date of the old ISEE"):
        compute_vecchio(dataclasses.replace(frames, nuclei=early))


def test_the_genitore_non_convivente_is_not_in_the_nucleo() -> None:
    dsu = build_dsu(
        DAY,
        _single(),
        member("Neri", "Bice", born_aged(5, DAY), "F", "F"),
        member(
            "Conte",
            "Ugo",
            "1969-09-09",
            "M",
            "GNC",
            redditi={"reddito_complessivo_irpef": 50_000},
        ),
    )
    row = _row(dsu)
    assert row["n_componenti"] == 2
    assert row["somma_redditi"] == 0


# --- properties ---------------------------------------------------------------------------

NOMI = (("Luca", "M"), ("Anna", "F"), ("Marco", "M"), ("Sara", "F"), ("Elena", "F"))


@st.composite
def dsus(draw: st.DrawFn) -> DSU:
    """Random valid DSUs: a dichiarante, maybe a coniuge, up to three figli, random amounts."""
    day = draw(st.dates(dt.date(2015, 1, 1), dt.date(2026, 12, 31)))
    money = st.integers(0, 80_000).map(float)
    titolo = draw(st.sampled_from(["proprieta", "locazione", "altro"]))

    def person(i: int, rapporto_: str, age: int) -> dict[str, Any]:
        nome, sesso = NOMI[i]
        return member(
            "Bruno",
            nome,
            born_aged(age, day, days_after_birthday=10),
            sesso,
            rapporto_,
            disabilita=draw(st.sampled_from(["nessuna", "media", "grave", "non_autosufficiente"])),
            attivita_lavorativa_6_mesi=draw(st.booleans()),
            redditi={"reddito_complessivo_irpef": draw(money), "redditi_esenti": draw(money)},
            rapporti=[conto_corrente(draw(money)), rapporto("02", valore=draw(money))],
            immobili=[
                immobile(
                    draw(money),
                    valore_ici=draw(st.none() | money),
                    mutuo_residuo=draw(money),
                    casa_abitazione=(i == 0 and titolo == "proprieta"),
                )
            ],
        )

    componenti = [person(0, "D", draw(st.integers(25, 80)))]
    if draw(st.booleans()):
        componenti.append(person(1, "C", draw(st.integers(25, 80))))
    for i in range(draw(st.integers(0, 3))):
        age = draw(st.integers(0, 30))
        componenti.append(person(2 + i, "F" if age < 18 else "FC", age))
    abitazione: dict[str, Any] = {"titolo": titolo}
    if titolo == "locazione":
        abitazione["canone_annuo"] = draw(st.integers(0, 12_000).map(float))
    return build_dsu(day, *componenti, abitazione=abitazione)


SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def _pair(first: DSU, second: DSU) -> IseeVecchioResult:
    return compute_vecchio(frames_vecchio([first, second]))


@SETTINGS
@given(dsus())
def test_the_old_isee_and_its_indicators_are_never_negative(dsu: DSU) -> None:
    row = _row(dsu)
    for column in ("isr", "isp", "ise", "isee"):
        assert row[column] >= 0, column
    assert row["scala_equivalenza"] >= 1


@SETTINGS
@given(dsus(), st.integers(1, 50_000), st.data())
def test_more_irpef_income_never_lowers_the_old_isee(
    dsu: DSU, extra: int, data: st.DataObject
) -> None:
    i = data.draw(st.integers(0, len(dsu.componenti) - 1))
    raw = dsu.model_dump()
    raw["componenti"][i]["redditi"]["reddito_complessivo_irpef"] += extra
    richer = DSU.model_validate(raw)
    before, after = _pair(dsu, richer).nuclei["isee"].to_list()
    assert after >= before


@pytest.mark.parametrize("n", range(1, 10))
def test_old_and_new_scala_agree_for_adults_without_maggiorazioni(n: int) -> None:
    nomi = ("Luca", "Anna", "Marco", "Sara", "Elena", "Paolo", "Giulia", "Tommaso", "Ugo")
    componenti = [member("Villa", nomi[0], "1960-01-01", "M", "D")]
    componenti += [
        member("Villa", nome, f"{1980 + i}-02-02", "M", "P") for i, nome in enumerate(nomi[1:n])
    ]
    dsu = build_dsu("2020-01-01", *componenti)
    old = _row(dsu)
    new = compute(dsu_frames([dsu])).nuclei.row(0, named=True)
    assert old["scala_parametro_base"] == pytest.approx(new["scala_parametro_base"])
    assert old["scala_equivalenza"] == new["scala_equivalenza"]


@SETTINGS
@given(dsus(), dsus())
def test_a_batch_gives_what_each_dsu_gives_alone(first: DSU, second: DSU) -> None:
    batch = _pair(first, second).indicatori().drop("dsu_id")
    for i, dsu in enumerate((first, second)):
        alone = compute_vecchio(frames_vecchio([dsu])).indicatori().drop("dsu_id")
        assert batch.slice(i, 1).equals(alone)
