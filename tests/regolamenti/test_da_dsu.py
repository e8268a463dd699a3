"""The fields a DSU gives to a domanda: the ISEE of the regolamento's variant and the nucleo."""

from __future__ import annotations

import datetime as dt
import json
from importlib.resources import files

import polars as pl
import pytest

from equo.isee.engine import compute
from equo.isee.frames import dsu_frames
from equo.isee.model import DSU, eta_alla_data
from equo.isee.varianti import Variante
from equo.regolamenti.da_dsu import campi_da_dsu
from equo.regolamenti.documento import Indicatore
from equo.synthetic.dsu_frames import synthetic_dsu_frames


def esempi() -> list[DSU]:
    folder = files("equo.isee").joinpath("esempi")
    return [
        DSU.model_validate(json.loads(p.read_text(encoding="utf-8")))
        for p in sorted(folder.iterdir(), key=lambda p: p.name)
        if p.name.endswith(".json")
    ]


def test_the_indicator_is_the_engine_s_isee_of_each_dsu() -> None:
    frames = synthetic_dsu_frames(200, seed=3, date_from=dt.date(2025, 1, 1))
    campi = campi_da_dsu(frames, Indicatore())
    expected = compute(frames).indicatori()
    assert campi["isee"].to_list() == expected["isee"].to_list()
    assert campi["data_dsu"].to_list() == expected["data_presentazione"].to_list()
    assert campi.height == 200


def test_the_composition_counts_the_members_of_the_nucleo() -> None:
    dsus = esempi()
    campi = campi_da_dsu(dsu_frames(dsus), Indicatore())
    for dsu, row in zip(dsus, campi.iter_rows(named=True), strict=True):
        in_nucleo = [c for c in dsu.componenti if c.rapporto.value != "GNC"]
        ages = [eta_alla_data(c.data_nascita, dsu.data_presentazione) for c in in_nucleo]
        assert row["numero_componenti"] == len(in_nucleo)
        assert row["numero_minorenni"] == sum(a < 18 for a in ages)
        assert row["numero_anziani"] == sum(a >= 65 for a in ages)
        disabled = [c for c in in_nucleo if c.disabilita.value != "nessuna"]
        assert row["numero_disabili"] == len(disabled)


def test_a_variant_is_computed_when_the_regolamento_asks_for_it() -> None:
    frames = synthetic_dsu_frames(50, seed=5, date_from=dt.date(2026, 1, 1))
    campi = campi_da_dsu(frames, Indicatore(variante="specifiche-2026"))
    expected = compute(frames, variante=Variante.SPECIFICHE_2026).indicatori()
    assert campi["isee"].to_list() != compute(frames).indicatori()["isee"].to_list()
    assert campi["isee"].to_list() == expected["isee"].to_list()


def test_another_indicator_cannot_come_from_a_dsu() -> None:
    frames = synthetic_dsu_frames(1, seed=1)
    with pytest.raises(ValueError, match="not computed from a DSU"):
        campi_da_dsu(frames, Indicatore(tipo="altro", descrizione="ICEF"))


def test_the_columns_have_the_vocabulary_types() -> None:
    from equo.regolamenti.vocabolario import campi_comuni

    campi = campi_da_dsu(synthetic_dsu_frames(10, seed=2), Indicatore())
    vocabolario = campi_comuni()
    for name, dtype in campi.schema.items():
        if name in vocabolario:
            assert dtype == vocabolario[name].dtype, name
    assert set(campi.columns) - set(vocabolario) == {"dsu_id", "protocollo_dsu"}
    assert campi.filter(pl.col("numero_componenti").is_null()).height == 0
