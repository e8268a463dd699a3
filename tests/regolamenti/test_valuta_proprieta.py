"""One domanda evaluated alone equals the same domanda inside a batch."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from equo.regolamenti import valuta, valuta_domanda

from .builders import DATA_DOMANDA, compilato

REGOLAMENTO = compilato(
    requisiti=[
        {"id": "soglia", "descrizione": "ISEE fino a 30.000", "condizione": "isee <= 30000"},
        {
            "id": "residenza",
            "descrizione": "Residenti da almeno 2 anni",
            "condizione": "anni_residenza >= 2",
        },
    ],
    importo={
        "tipo": "compartecipazione",
        "calcolo": {
            "fasce": {
                "percentuale_di": "costo_servizio",
                "fasce": [
                    {"da": 0, "a": 8000, "percentuale": 10},
                    {"da": 8000.01, "a": 16000, "percentuale": 35.5},
                    {"da": 16000.01, "importo": 180},
                ],
            }
        },
        "per": "quantita_servizio",
        "maggiorazioni": [
            {
                "id": "minori",
                "descrizione": "Minori",
                "per_ogni": "numero_minorenni",
                "oltre": 1,
                "importo": -5,
            }
        ],
        "riduzioni": [
            {
                "id": "fratelli",
                "descrizione": "Fratelli",
                "condizione": "ordine_figlio >= 2",
                "percentuale": 25,
            }
        ],
        "esenzione": {"isee_fino_a": 3000},
        "minimo": 10,
        "massimo": 900,
    },
    graduatoria={
        "punteggi": [
            {
                "id": "minori",
                "descrizione": "Minori",
                "condizione": "numero_minorenni > 1",
                "punti": 3,
            },
            {
                "id": "isee",
                "descrizione": "ISEE basso",
                "punti_espressione": "10 - isee / 3000",
                "massimo": 10,
            },
        ],
        "ordine": [{"chiave": "punteggio", "verso": "decrescente"}],
    },
)

PER_DOMANDA = ["ammissibile", "requisito__soglia", "requisito__residenza", "importo", "punteggio"]

cents = st.integers(min_value=0, max_value=4_000_000).map(lambda c: c / 100)
domanda = st.fixed_dictionaries(
    {
        "isee": st.one_of(st.none(), cents),
        "anni_residenza": st.one_of(st.none(), st.integers(0, 30).map(float)),
        "costo_servizio": st.integers(0, 50_000).map(lambda c: c / 100),
        "quantita_servizio": st.integers(0, 40).map(float),
        "numero_minorenni": st.integers(0, 5),
        "ordine_figlio": st.integers(1, 4),
        "data_dsu": st.dates(dt.date(2025, 6, 1), DATA_DOMANDA),
    }
)


@settings(max_examples=60, deadline=None)
@given(st.lists(domanda, min_size=1, max_size=12), st.data())
def test_a_domanda_alone_has_the_same_esito_as_in_a_batch(
    rows: list[dict[str, Any]], data: st.DataObject
) -> None:
    batch = [
        {"id_domanda": f"D{i}", "data_domanda": DATA_DOMANDA, **row} for i, row in enumerate(rows)
    ]
    frame = pl.DataFrame(batch, schema_overrides={"anni_residenza": pl.Float64})
    esiti = valuta(REGOLAMENTO, frame)
    chosen = data.draw(st.integers(0, len(batch) - 1))
    alone = valuta_domanda(REGOLAMENTO, batch[chosen])
    in_batch = esiti.riga(f"D{chosen}")
    assert {k: alone[k] for k in PER_DOMANDA} == {k: in_batch[k] for k in PER_DOMANDA}
    ranked = esiti.frame.filter(pl.col("posizione").is_not_null())
    assert sorted(ranked["posizione"].to_list()) == list(range(1, ranked.height + 1))
    assert ranked.height == esiti.frame["ammissibile"].sum()
