"""The synthetic population: deterministic, the right shape, valid DSUs, made in blocks."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from equo.isee.frames import SCHEMAS
from equo.popolazione.calibrazione import Calibrazione
from equo.popolazione.file import salva_popolazione
from equo.popolazione.genera import (
    COLONNE_NUCLEI,
    comuni_predefiniti,
    genera_blocchi,
    genera_popolazione,
    seleziona,
)
from equo.popolazione.modello import Popolazione
from equo.regolamenti.vocabolario import campi_comuni
from equo.synthetic.dsu_frames import dsu_from_frames

from .conftest import A_BLOCCHI, BLOCCO, PICCOLA

P = pl.col
TABELLE = ("nuclei", "componenti", "rapporti", "immobili")


def _uguali(a: Popolazione, b: Popolazione) -> None:
    assert_frame_equal(a.nuclei, b.nuclei)
    assert a.dsu is not None and b.dsu is not None
    for tabella in TABELLE:
        assert_frame_equal(getattr(a.dsu, tabella), getattr(b.dsu, tabella))
    assert a.metadati == b.metadati


def test_the_same_seed_gives_the_same_population(piccola: Popolazione) -> None:
    _uguali(genera_popolazione(PICCOLA, seed=11), piccola)


def test_another_seed_gives_another_population(piccola: Popolazione) -> None:
    altra = genera_popolazione(PICCOLA, seed=12)
    assert not altra.nuclei.equals(piccola.nuclei)


def test_the_same_seed_gives_the_same_parquet_bytes(tmp_path: Path) -> None:
    impronte = []
    for nome in ("a.parquet", "b.parquet"):
        salva_popolazione(genera_popolazione(1_200, seed=3), tmp_path / nome)
        impronte.append(hashlib.sha256((tmp_path / nome).read_bytes()).hexdigest())
    assert impronte[0] == impronte[1]


def test_a_population_has_exactly_the_nuclei_asked_with_one_dsu_each(
    piccola: Popolazione,
) -> None:
    assert len(piccola) == PICCOLA
    assert piccola.con_dsu and piccola.dsu is not None
    assert len(piccola.dsu) == PICCOLA
    assert piccola.nuclei["dsu_id"].to_list() == list(range(PICCOLA))
    assert piccola.nuclei["id_nucleo"].n_unique() == PICCOLA
    assert piccola.nuclei["id_nucleo"][0] == "N000000001"


def test_the_dsu_frames_have_the_engine_schemas_and_row_number_ids(
    piccola: Popolazione,
) -> None:
    assert piccola.dsu is not None
    for tabella in TABELLE:
        frame = getattr(piccola.dsu, tabella)
        assert dict(frame.schema) == SCHEMAS[tabella], tabella
    componenti = piccola.dsu.componenti
    assert componenti["componente_id"].to_list() == list(range(componenti.height))
    assert componenti["dsu_id"].is_sorted()
    for tabella in ("rapporti", "immobili"):
        frame = getattr(piccola.dsu, tabella)
        proprietari = componenti["dsu_id"].gather(frame["componente_id"])
        assert (proprietari == frame["dsu_id"]).all(), tabella
    assert piccola.dsu.nuclei["protocollo"].n_unique() == PICCOLA


def test_every_generated_dsu_is_valid_under_the_model(piccola: Popolazione) -> None:
    assert piccola.dsu is not None
    for dsu_id in range(0, PICCOLA, 25):
        dsu_from_frames(piccola.dsu, dsu_id)  # raises if the DSU is not valid


def test_the_nuclei_have_the_vocabulary_types(piccola: Popolazione) -> None:
    assert dict(piccola.nuclei.schema) == COLONNE_NUCLEI
    vocabolario = campi_comuni()
    for nome, dtype in COLONNE_NUCLEI.items():
        if nome in vocabolario:
            assert vocabolario[nome].dtype == dtype, nome


def test_the_domanda_fields_are_consistent_with_the_dsu(piccola: Popolazione) -> None:
    assert piccola.dsu is not None
    n = piccola.nuclei.join(
        piccola.dsu.nuclei.select("dsu_id", "data_presentazione", "titolo_abitazione"),
        on="dsu_id",
    )
    assert n.filter(P("data_domanda") < P("data_presentazione")).height == 0
    assert n["data_presentazione"].min() >= dt.date(2026, 1, 1)  # type: ignore[operator]
    assert n["data_domanda"].max() <= dt.date(2026, 3, 1)  # type: ignore[operator]
    affitto = n.filter(P("titolo_abitazione") == "locazione")
    assert (affitto["canone_annuo"] > 0).all()
    assert (n.filter(P("titolo_abitazione") != "locazione")["canone_annuo"] == 0).all()
    assert not n.filter(P("titolo_abitazione") != "locazione")["sfratto_in_corso"].any()
    assert set(n["comune_residenza"].unique()) <= set(comuni_predefiniti())
    assert sorted(n["protocollo"]) == list(range(1, PICCOLA + 1))
    # the order of arrival follows the date of the domanda
    per_data = n.sort("protocollo")["data_domanda"]
    assert per_data.is_sorted()
    # a long-term permit is said for citizens outside the EU only
    assert n.filter(P("cittadinanza") != "extra_ue")["permesso_lungo_periodo"].null_count() == (
        n.filter(P("cittadinanza") != "extra_ue").height
    )
    assert (n["anni_residenza"] <= n["eta_richiedente"]).all()


def test_the_beneficiary_is_a_minor_child_with_an_order_among_the_children(
    piccola: Popolazione,
) -> None:
    n = piccola.nuclei
    con_figli = n.filter(P("figli_iscritti") > 0)
    assert (con_figli["eta_beneficiario"] < 18).all()
    assert (con_figli["ordine_figlio"] >= 1).all()
    assert (con_figli["ordine_figlio"] <= con_figli["figli_iscritti"]).all()
    senza = n.filter(P("figli_iscritti") == 0)
    assert senza["ordine_figlio"].null_count() == senza.height
    assert (senza["eta_beneficiario"] == senza["eta_richiedente"]).all()
    nido = n.filter(P("eta_beneficiario") < 3)
    assert (nido["quantita_servizio"] == 11).all()
    assert (n.filter(P("eta_beneficiario") >= 18)["costo_servizio"] == 22.5).all()


def test_the_assegno_di_inclusione_goes_to_eligible_nuclei_only(piccola: Popolazione) -> None:
    assert piccola.dsu is not None
    from equo.isee.engine import compute

    isee = compute(piccola.dsu).indicatori()["isee"]
    con_adi = isee.filter(piccola.nuclei["assegno_inclusione"])
    assert con_adi.len() == 80  # 8% of 1,000, exactly
    assert (con_adi <= 10_140).all()


def test_a_population_by_blocks_numbers_everything_across_the_blocks(
    a_blocchi: Popolazione,
) -> None:
    assert a_blocchi.dsu is not None
    assert len(a_blocchi) == A_BLOCCHI
    assert a_blocchi.nuclei["id_nucleo"].n_unique() == A_BLOCCHI
    assert a_blocchi.nuclei["dsu_id"].to_list() == list(range(A_BLOCCHI))
    assert a_blocchi.dsu.nuclei["protocollo"].n_unique() == A_BLOCCHI
    componenti = a_blocchi.dsu.componenti
    assert componenti["componente_id"].to_list() == list(range(componenti.height))
    assert sorted(a_blocchi.nuclei["protocollo"]) == list(range(1, A_BLOCCHI + 1))
    assert a_blocchi.nuclei.sort("protocollo")["data_domanda"].is_sorted()
    for tabella in ("rapporti", "immobili"):
        frame = getattr(a_blocchi.dsu, tabella)
        proprietari = componenti["dsu_id"].gather(frame["componente_id"])
        assert (proprietari == frame["dsu_id"]).all(), tabella


def test_the_blocks_have_the_configured_size_and_the_dates_follow_them(
    a_blocchi_di_1500: Calibrazione,
) -> None:
    blocchi = list(genera_blocchi(A_BLOCCHI, seed=5, calibrazione=a_blocchi_di_1500))
    assert [len(b.popolazione) for b in blocchi] == [BLOCCO, BLOCCO, A_BLOCCHI - 2 * BLOCCO]
    assert [b.inizio for b in blocchi] == [0, BLOCCO, 2 * BLOCCO]
    finestre = [
        (b.popolazione.nuclei["data_domanda"].min(), b.popolazione.nuclei["data_domanda"].max())
        for b in blocchi
    ]
    for (_, fine), (inizio, _) in itertools.pairwise(finestre):
        assert fine <= inizio  # type: ignore[operator]
    for b in blocchi:
        assert b.isee.len() == len(b.popolazione)


def test_the_comuni_and_their_weights_can_be_given() -> None:
    pop = genera_popolazione(1_000, seed=1, comuni={"001272": 3, "001099": 1})
    conteggi = dict(pop.nuclei["comune_residenza"].value_counts().iter_rows())
    assert set(conteggi) == {"001272", "001099"}
    assert 650 < conteggi["001272"] < 850
    assert pop.metadati["comuni"] == '{"001272": 3.0, "001099": 1.0}'


def test_the_reference_date_sets_the_period_of_dsus_and_domande() -> None:
    pop = genera_popolazione(1_000, seed=1, data=dt.date(2025, 6, 30))
    assert pop.dsu is not None
    assert pop.dsu.nuclei["data_presentazione"].min() >= dt.date(2025, 1, 1)  # type: ignore[operator]
    assert pop.nuclei["data_domanda"].max() <= dt.date(2025, 6, 30)  # type: ignore[operator]
    assert pop.metadati["data"] == "2025-06-30"


def test_progress_is_reported_up_to_the_number_of_nuclei() -> None:
    chiamate: list[tuple[int, int]] = []
    genera_popolazione(1_000, seed=1, progress=lambda f, t: chiamate.append((f, t)))
    assert chiamate[-1] == (1_000, 1_000)
    assert [f for f, _ in chiamate] == sorted(f for f, _ in chiamate)


def test_the_metadata_say_how_the_population_was_made(piccola: Popolazione) -> None:
    assert piccola.metadati["generatore"] == "equo.popolazione.genera"
    assert piccola.metadati["seme"] == "11"
    assert piccola.metadati["nuclei"] == "1000"
    assert len(piccola.metadati["calibrazione_sha256"]) == 64


@pytest.mark.parametrize(
    ("argomenti", "messaggio"),
    [
        ({"n_nuclei": 0, "seed": 1}, "at least 1"),
        ({"n_nuclei": 10, "seed": -1}, "seed"),
        ({"n_nuclei": 10, "seed": 1, "data": dt.date(2014, 12, 31)}, "before"),
        ({"n_nuclei": 10, "seed": 1, "comuni": {}}, "comune"),
        ({"n_nuclei": 10, "seed": 1, "comuni": {"001272": -1.0}}, "weights"),
    ],
)
def test_wrong_arguments_are_refused(argomenti: dict[str, object], messaggio: str) -> None:
    with pytest.raises(ValueError, match=messaggio):
        genera_popolazione(**argomenti)  # type: ignore[arg-type]


def test_the_selection_meets_every_margin_when_the_rows_allow_it() -> None:
    rng = np.random.default_rng(4)
    a = rng.integers(0, 3, 5_000)
    b = rng.integers(0, 2, 5_000)
    quote_a, quote_b = np.asarray([0.5, 0.3, 0.2]), np.asarray([0.7, 0.3])
    scelti = seleziona([a, b], [quote_a, quote_b], 2_000, rng)
    assert scelti.size == 2_000 and np.unique(scelti).size == 2_000
    # exact up to the rounding of each cell (combination of classes) to whole rows
    margini = np.bincount(a[scelti], minlength=3) - np.asarray([1_000, 600, 400])
    assert np.abs(margini).max() <= 2
    margini = np.bincount(b[scelti], minlength=2) - np.asarray([1_400, 600])
    assert np.abs(margini).max() <= 2
