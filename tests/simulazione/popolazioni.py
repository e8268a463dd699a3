"""Test populations and regolamenti: the 20 households computed by hand, and a DSU population.

The 20 households (``n01``…``n20``) carry the values of their attestazione (no DSU): ISEE,
Comune, composition. The hand computations of the tests refer to this table:

====  ======  =======  =====================  ====
id    ISEE    Comune   composition            type
====  ======  =======  =====================  ====
n01    1000   A        1 adult                persona_sola
n02    2000   A        3, 1 minor             con_minori
n03    2500   A        2, 1 disabled          con_disabili
n04    3000   A        2, 2 elderly           con_anziani
n05    3500   A        4, 2 minors            con_minori
n06    4000   A        2                      coppia
n07    5000   A        1, elderly             con_anziani
n08    6000   A        3                      altro
n09    7000   B        3, 1 minor, 1 disab.   con_disabili
n10    8000   B        2                      coppia
n11    9000   B        1                      persona_sola
n12   10000   B        4, 2 minors, 1 eld.    con_minori
n13   11000   B        2, 1 elderly           con_anziani
n14   12000   B        5, 3 minors            con_minori
n15   13000   B        1                      persona_sola
n16   15000   C        2                      coppia
n17   20000   C        3                      altro
n18   30000   C        1, disabled            con_disabili
n19   (none)  C        (unknown)              non_nota
n20   50000   (none)   2, 2 elderly           con_anziani
====  ======  =======  =====================  ====

A = 001013, B = 001006, C = 001093.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from equo.popolazione.modello import Popolazione
from equo.synthetic.dsu_frames import synthetic_dsu_frames

A, B, C = "001013", "001006", "001093"
DATA = dt.date(2026, 5, 4)

_RIGHE: list[tuple[str, float | None, str | None, tuple[int, int, int, int] | None]] = [
    # id, isee, comune, (componenti, minorenni, disabili, anziani)
    ("n01", 1000, A, (1, 0, 0, 0)),
    ("n02", 2000, A, (3, 1, 0, 0)),
    ("n03", 2500, A, (2, 0, 1, 0)),
    ("n04", 3000, A, (2, 0, 0, 2)),
    ("n05", 3500, A, (4, 2, 0, 0)),
    ("n06", 4000, A, (2, 0, 0, 0)),
    ("n07", 5000, A, (1, 0, 0, 1)),
    ("n08", 6000, A, (3, 0, 0, 0)),
    ("n09", 7000, B, (3, 1, 1, 0)),
    ("n10", 8000, B, (2, 0, 0, 0)),
    ("n11", 9000, B, (1, 0, 0, 0)),
    ("n12", 10000, B, (4, 2, 0, 1)),
    ("n13", 11000, B, (2, 0, 0, 1)),
    ("n14", 12000, B, (5, 3, 0, 0)),
    ("n15", 13000, B, (1, 0, 0, 0)),
    ("n16", 15000, C, (2, 0, 0, 0)),
    ("n17", 20000, C, (3, 0, 0, 0)),
    ("n18", 30000, C, (1, 0, 1, 0)),
    ("n19", None, C, None),
    ("n20", 50000, None, (2, 0, 0, 2)),
]


def venti() -> Popolazione:
    """The 20 households of the module docstring (attestazioni: no DSU)."""
    composizione = [r[3] or (None, None, None, None) for r in _RIGHE]
    nuclei = pl.DataFrame(
        {
            "id_nucleo": [r[0] for r in _RIGHE],
            "dsu_id": pl.Series([None] * len(_RIGHE), dtype=pl.Int64),
            "isee": pl.Series([r[1] for r in _RIGHE], dtype=pl.Float64),
            "ise": pl.Series([None if r[1] is None else r[1] * 1.5 for r in _RIGHE]),
            "comune_residenza": [r[2] for r in _RIGHE],
            "data_dsu": [None if r[1] is None else dt.date(2026, 2, 1) for r in _RIGHE],
            "data_domanda": [DATA] * len(_RIGHE),
            "protocollo": list(range(1, len(_RIGHE) + 1)),
            "numero_componenti": [c[0] for c in composizione],
            "numero_minorenni": [c[1] for c in composizione],
            "numero_disabili": [c[2] for c in composizione],
            "numero_anziani": [c[3] for c in composizione],
        }
    )
    return Popolazione(nuclei=nuclei)


TESTA = """\
formato: equo-regolamento/1
codice: prova
versione: "1"
titolo: Regolamento di prova
ente: {nome: Comune di Prova}
prestazione: {nome: Prova, codice_siuss: A1.04, area_utenza: povertà ed esclusione sociale}
delibera: {numero: "1", data: 2026-01-10}
vigenza: {dal: 2026-01-01}
"""

CONTRIBUTO = (
    TESTA
    + """\
requisiti:
  - id: isee_massimo
    descrizione: ISEE fino a 10.000 euro
    condizione: isee <= 10000
importo:
  tipo: contributo
  calcolo:
    espressione: CASE WHEN isee <= 5000 THEN 1000 ELSE 500 END
"""
)
"""1000 euro up to ISEE 5000, 500 up to 10000; nobody else admitted; no stanziamento."""

GRADUATORIA = """\
graduatoria:
  ordine:
    - {chiave: isee, verso: crescente}
stanziamento:
  importo: 5000
  ultimo: escludi
"""
"""Ranked by ISEE, 5000 euro: the first domanda that does not fit and all after are out."""

COMPARTECIPAZIONE = (
    TESTA
    + """\
importo:
  tipo: compartecipazione
  calcolo:
    espressione: CASE WHEN isee <= 5000 THEN 100 ELSE 200 END
"""
)
"""A fee of 100 up to ISEE 5000, 200 above; everybody with an attestazione is served."""

MODIFICHE_CONTRIBUTO: dict[str, Any] = {
    "requisiti.isee_massimo.condizione": "isee > 1500 AND isee <= 12000",
    "importo.calcolo.espressione": (
        "CASE WHEN isee <= 3000 THEN 1040 WHEN isee <= 5000 THEN 900 "
        "WHEN isee <= 8000 THEN 525 ELSE 490 END"
    ),
}
"""The alternative: admitted from 1500 to 12000, 1040 / 900 / 525 / 490 by ISEE."""


def scrivi(cartella: Path, nome: str, testo: str) -> Path:
    """Write ``testo`` in ``cartella/nome`` and return the path."""
    path = cartella / nome
    path.write_text(testo, encoding="utf-8")
    return path


def con_dsu(n: int, seed: int = 0) -> Popolazione:
    """``n`` synthetic DSUs with simple domanda fields (renters and owners, three Comuni)."""
    frames = synthetic_dsu_frames(
        n, seed=seed, date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 3, 31)
    )
    rng = np.random.default_rng(seed)
    nuclei = pl.DataFrame(
        {
            "id_nucleo": [f"N{i:06d}" for i in range(n)],
            "dsu_id": np.arange(n, dtype=np.int64),
            "comune_residenza": rng.choice([A, B, C], n),
            "data_domanda": [DATA] * n,
            "protocollo": rng.permutation(n) + 1,
            "eta_beneficiario": rng.integers(0, 4, n),
            "disabilita_beneficiario": rng.choice(["nessuna", "media"], n, p=[0.95, 0.05]),
            "quantita_servizio": rng.choice([10.0, 11.0], n),
            "ordine_figlio": rng.integers(1, 3, n),
            "sfratto_in_corso": rng.random(n) < 0.05,
        }
    )
    return Popolazione(nuclei=nuclei, dsu=frames)


def casuale(n: int, seed: int) -> Popolazione:
    """``n`` attestazioni drawn at random (ISEE on a 500-euro grid, three Comuni and none)."""
    rng = np.random.default_rng(seed)
    isee = rng.integers(0, 40, n) * 500.0
    senza = rng.random(n) < 0.05
    componenti = rng.integers(1, 6, n)
    nuclei = pl.DataFrame(
        {
            "id_nucleo": [f"c{i:03d}" for i in range(n)],
            "dsu_id": pl.Series([None] * n, dtype=pl.Int64),
            "isee": pl.Series(np.where(senza, np.nan, isee)).fill_nan(None),
            "comune_residenza": pl.Series(rng.choice([A, B, C, ""], n)).replace("", None),
            "data_dsu": [None if s else dt.date(2026, 2, 1) for s in senza],
            "data_domanda": [DATA] * n,
            "protocollo": np.arange(1, n + 1),
            "numero_componenti": componenti,
            "numero_minorenni": np.minimum(rng.integers(0, 3, n), componenti - 1),
            "numero_disabili": (rng.random(n) < 0.15).astype(np.int64),
            "numero_anziani": (rng.random(n) < 0.2).astype(np.int64),
        }
    )
    return Popolazione(nuclei=nuclei)
