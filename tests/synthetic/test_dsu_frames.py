"""The synthetic DSU population: deterministic, exactly the engine's schemas, valid DSUs."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from stdnum.it import codicefiscale

from equo.isee.engine import compute
from equo.isee.frames import REDDITI_FIELDS, SCHEMAS, DsuFrames, dsu_frames
from equo.isee.model import TipoRapporto, eta_alla_data
from equo.synthetic.dsu_frames import dsu_from_frames, synthetic_dsu_frames

P = pl.col
TABLES = ("nuclei", "componenti", "rapporti", "immobili")
N = 3_000
DEPOSITI = [t.value for t in TipoRapporto if t.is_deposito]
CON_TITOLI = [t.value for t in TipoRapporto if t.may_hold_titoli_stato]
CF_PATTERN = re.compile(r"^[A-Z]{6}\d{2}[ABCDEHLMPRST]\d{2}[A-Z]\d{3}[A-Z]$")


@pytest.fixture(scope="module")
def frames() -> DsuFrames:
    return synthetic_dsu_frames(N, seed=7)


@pytest.fixture(scope="module")
def members(frames: DsuFrames) -> pl.DataFrame:
    """Members with their nucleo's date, dwelling and the dichiarante's age."""
    dichiaranti = frames.componenti.filter(P("rapporto") == "D").select(
        "dsu_id", P("eta").alias("eta_dichiarante")
    )
    return frames.componenti.join(
        frames.nuclei.select("dsu_id", "data_presentazione", "titolo_abitazione"),
        on="dsu_id",
        how="left",
    ).join(dichiaranti, on="dsu_id", how="left")


def test_the_same_seed_gives_the_same_frames() -> None:
    first, second = synthetic_dsu_frames(500, seed=3), synthetic_dsu_frames(500, seed=3)
    for table in TABLES:
        assert_frame_equal(getattr(first, table), getattr(second, table))


def test_another_seed_gives_other_frames() -> None:
    first, second = synthetic_dsu_frames(500, seed=3), synthetic_dsu_frames(500, seed=4)
    for table in TABLES:
        assert not getattr(first, table).equals(getattr(second, table))


@pytest.mark.parametrize("n", [0, 1, N])
def test_the_frames_have_exactly_the_engine_schemas(n: int) -> None:
    frames = synthetic_dsu_frames(n)
    for table in TABLES:
        assert list(getattr(frames, table).schema.items()) == list(SCHEMAS[table].items())
    assert len(frames) == n


def test_it_rejects_a_negative_size_and_dates_before_the_dpcm() -> None:
    with pytest.raises(ValueError, match="n must be"):
        synthetic_dsu_frames(-1)
    with pytest.raises(ValueError, match="before 2015-01-01"):
        synthetic_dsu_frames(10, date_from=dt.date(2014, 12, 31))
    with pytest.raises(ValueError, match="before"):
        synthetic_dsu_frames(10, date_from=dt.date(2020, 1, 2), date_to=dt.date(2020, 1, 1))


def test_ids_are_dense_row_numbers_and_rows_follow_their_member(frames: DsuFrames) -> None:
    assert frames.nuclei["dsu_id"].to_list() == list(range(N))
    componenti = frames.componenti
    assert componenti["componente_id"].to_list() == list(range(componenti.height))
    assert componenti["dsu_id"].is_sorted()
    assert componenti["dsu_id"].unique().to_list() == list(range(N))
    member_dsu = componenti["dsu_id"].to_numpy()
    for table in ("rapporti", "immobili"):
        rows = getattr(frames, table)
        assert rows.height > 0
        assert rows["componente_id"].is_sorted()
        owner = rows["componente_id"].to_numpy()
        assert np.array_equal(rows["dsu_id"].to_numpy(), member_dsu[owner])


def test_every_dsu_has_one_dichiarante_at_most_one_coniuge_and_1_to_7_members(
    frames: DsuFrames,
) -> None:
    per_dsu = frames.componenti.group_by("dsu_id").agg(
        (P("rapporto") == "D").sum().alias("d"),
        (P("rapporto") == "C").sum().alias("c"),
        (P("rapporto") == "GNC").sum().alias("gnc"),
        pl.len().alias("size"),
        P("rapporto").first().alias("first"),
    )
    assert (per_dsu["d"] == 1).all()
    assert (per_dsu["first"] == "D").all()
    assert per_dsu["c"].max() == 1
    assert per_dsu["gnc"].max() == 1
    assert set(per_dsu["size"].unique().to_list()) == set(range(1, 8))


def test_ages_follow_the_relationship_codes(members: pl.DataFrame) -> None:
    eta = P("eta")
    assert members.filter(P("rapporto").is_in(["F", "MA"]) & (eta >= 18)).is_empty()
    assert members.filter(
        P("rapporto").is_in(["D", "C", "FC", "FNC", "P", "GNC"]) & (eta < 18)
    ).is_empty()
    assert members.filter((P("rapporto") == "FNC") & (eta > 25)).is_empty()
    figli = members.filter(P("rapporto").is_in(["F", "MA", "FC", "FNC"]))
    assert (figli["eta_dichiarante"] - figli["eta"] >= 18).all()
    assert members["eta"].min() == 0
    assert members["eta"].max() <= 99  # type: ignore[operator]


def test_deposits_have_saldo_and_giacenza_the_other_kinds_a_valore(frames: DsuFrames) -> None:
    rapporti = frames.rapporti
    deposito = P("tipo").is_in(DEPOSITI)
    assert rapporti.filter(deposito & (P("valore") != 0)).is_empty()
    assert rapporti.filter(
        ~deposito & ((P("saldo_31_12") != 0) | (P("giacenza_media") != 0))
    ).is_empty()
    assert set(rapporti["tipo"].unique().to_list()) == {t.value for t in TipoRapporto}


def test_titoli_stato_sit_only_in_their_kinds_and_within_the_rapporto(frames: DsuFrames) -> None:
    rapporti = frames.rapporti
    titoli = rapporti.filter(P("titoli_stato") > 0)
    assert titoli.height > 0
    assert set(titoli["tipo"].unique().to_list()) == set(CON_TITOLI)
    ceiling = (
        pl.when(P("tipo").is_in(DEPOSITI))
        .then(pl.min_horizontal("saldo_31_12", "giacenza_media"))
        .otherwise(P("valore"))
    )
    assert rapporti.filter(P("titoli_stato") > ceiling).is_empty()


def test_the_casa_di_abitazione_belongs_to_owners_only(frames: DsuFrames) -> None:
    immobili = frames.immobili.join(
        frames.nuclei.select("dsu_id", "titolo_abitazione"), on="dsu_id", how="left"
    )
    case = immobili.filter(P("casa_abitazione"))
    assert (case["titolo_abitazione"] == "proprieta").all()
    assert (case["tipo"] == "fabbricato").all()
    assert not case["estero"].any()
    owners = frames.nuclei.filter(P("titolo_abitazione") == "proprieta")["dsu_id"]
    assert set(owners.to_list()) == set(case["dsu_id"].to_list())
    assert (immobili["quota_posseduta"] > 0).all()
    assert (immobili["quota_posseduta"] <= 100).all()
    valore_quota = P("valore_imu") * P("quota_posseduta") / 100
    assert immobili.filter(P("mutuo_residuo") > valore_quota + 0.01).is_empty()
    assert immobili.filter(~P("casa_abitazione") & P("estero")).height > 0


def test_only_renters_pay_a_rent(frames: DsuFrames) -> None:
    nuclei = frames.nuclei
    renting = P("titolo_abitazione") == "locazione"
    assert (nuclei.filter(renting)["canone_annuo"] > 0).all()
    assert (nuclei.filter(~renting)["canone_annuo"] == 0).all()


def test_incomes_are_cents_and_employment_and_pension_are_parts_of_them(
    frames: DsuFrames,
) -> None:
    componenti = frames.componenti
    amounts = componenti.select(REDDITI_FIELDS)
    assert amounts.select(pl.all().min()).row(0) >= (0.0,) * amounts.width
    assert (
        amounts.select((pl.all() * 100 - (pl.all() * 100).round()).abs().max()).max_horizontal()[0]
        < 1e-6
    )
    parti = P("lavoro_dipendente") + P("pensione")
    totale = P("reddito_complessivo_irpef") + P("redditi_imposta_sostitutiva") + P("redditi_esteri")
    assert componenti.filter(parti > totale + 0.005).is_empty()
    for name in amounts.columns:
        assert (componenti[name] > 0).any(), name


def test_the_population_has_every_feature_in_plausible_shares(frames: DsuFrames) -> None:
    nuclei, componenti = frames.nuclei, frames.componenti
    titolo = nuclei["titolo_abitazione"].value_counts(normalize=True)
    shares = dict(zip(titolo["titolo_abitazione"], titolo["proportion"], strict=True))
    assert 0.4 < shares["proprieta"] < 0.65
    assert 0.2 < shares["locazione"] < 0.45
    assert 0.0 < (componenti["disabilita"] != "nessuna").mean() < 0.1  # type: ignore[operator]
    assert set(componenti["disabilita"].unique()) == {
        "nessuna",
        "media",
        "grave",
        "non_autosufficiente",
    }
    assert set(componenti["rapporto"].unique()) == {"D", "C", "F", "MA", "FC", "FNC", "P", "GNC"}
    assert 1.2 < frames.rapporti.height / componenti.height < 2.5
    assert (frames.immobili["mutuo_residuo"] > 0).any()
    assert set(frames.immobili["tipo"].unique()) == {
        "fabbricato",
        "area_fabbricabile",
        "terreno_agricolo",
    }


def test_dates_spread_over_the_range() -> None:
    nuclei = synthetic_dsu_frames(2_000, seed=1).nuclei
    date = nuclei["data_presentazione"]
    assert date.min() >= dt.date(2015, 1, 1)  # type: ignore[operator]
    assert date.max() <= dt.date(2026, 12, 31)  # type: ignore[operator]
    assert date.dt.year().unique().to_list() == list(range(2015, 2027))
    narrow = synthetic_dsu_frames(200, date_from=dt.date(2025, 4, 3), date_to=dt.date(2025, 4, 3))
    assert narrow.nuclei["data_presentazione"].unique().to_list() == [dt.date(2025, 4, 3)]
    assert nuclei["protocollo"].n_unique() == nuclei.height


def test_codici_fiscali_look_real_encode_the_member_but_never_validate(
    members: pl.DataFrame,
) -> None:
    sample = members.head(500)
    for cf, eta, day in sample.select("codice_fiscale", "eta", "data_presentazione").iter_rows():
        assert CF_PATTERN.match(cf), cf
        assert not codicefiscale.is_valid(cf)
        fixed = cf[:15] + codicefiscale.calc_check_digit(cf[:15])
        assert codicefiscale.is_valid(fixed)
        nascita = codicefiscale.get_birth_date(cf, minyear=day.year - eta - 1)
        assert eta_alla_data(nascita, day) == eta
    coppie = (
        members.filter(P("rapporto").is_in(["D", "C"]))
        .group_by("dsu_id")
        .agg(
            P("codice_fiscale").str.slice(9, 2).cast(pl.Int32).gt(40).n_unique().alias("sessi"),
            pl.len().alias("size"),
        )
    )
    assert (coppie.filter(P("size") == 2)["sessi"] == 2).all()


def test_every_dsu_is_valid_under_the_model_and_gives_the_same_frames() -> None:
    frames = synthetic_dsu_frames(150, seed=11)
    dsus = [dsu_from_frames(frames, i) for i in range(len(frames))]
    rebuilt = dsu_frames(dsus)
    for table in TABLES:
        assert_frame_equal(
            getattr(rebuilt, table).drop("codice_fiscale", strict=False),
            getattr(frames, table).drop("codice_fiscale", strict=False),
        )
    # The model's codes are the frames' codes with the check character corrected.
    assert (
        rebuilt.componenti["codice_fiscale"].str.slice(0, 15)
        == frames.componenti["codice_fiscale"].str.slice(0, 15)
    ).all()


def test_the_engine_computes_every_dsu_without_nulls(frames: DsuFrames) -> None:
    result = compute(frames).indicatori()
    assert result.height == N
    assert result.null_count().sum_horizontal()[0] == 0
    assert (result["isee"] >= 0).all()
    assert (result["scala_equivalenza"] >= 1).all()
    assert result["isee"].median() > 0  # type: ignore[operator]
