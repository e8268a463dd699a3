"""The impact of an alternative on 20 households, every figure computed by hand.

The population is in :mod:`tests.simulazione.popolazioni` (ISEE, Comune, composition of each
household). Base: 1000 euro up to ISEE 5000, 500 up to 10000. Alternative: admitted from ISEE
1500 to 12000; 1040 up to 3000, 900 up to 5000, 525 up to 8000, 490 above. So, household by
household (base → alternative, gain, band):

- n01 (1000): 1000 → 0 (no longer admitted), −100 %: perde più del 5%
- n02–n04 (2000–3000): 1000 → 1040, +4 %: guadagna fino al 5%
- n05–n07 (3500–5000): 1000 → 900, −10 %: perde più del 5%
- n08–n10 (6000–8000): 500 → 525, +5 % exactly: guadagna fino al 5%
- n11–n12 (9000–10000): 500 → 490, −2 %: perde fino al 5%
- n13–n14 (11000–12000): 0 → 490 (newly admitted), from zero: guadagna più del 5%
- n15–n20: 0 → 0: nessuna variazione

k = 1 masks nothing (no cell has between 1 and 0 nuclei): the figures are the raw ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from equo.simulazione import Impatto, carica_scenario, esegui, impatto
from tests.simulazione.popolazioni import (
    COMPARTECIPAZIONE,
    CONTRIBUTO,
    GRADUATORIA,
    MODIFICHE_CONTRIBUTO,
    A,
    B,
    C,
    scrivi,
    venti,
)


def _scenario(cartella: Path, regolamento: str, modifiche: dict[str, Any]) -> Path:
    scrivi(cartella, "regolamento.yaml", regolamento)
    righe = "\n".join(f"      {k}: {v!r}" for k, v in modifiche.items())
    return scrivi(
        cartella,
        "scenario.yaml",
        f"""\
formato: equo-scenario/1
titolo: Prova
base:
  nome: Base
  regolamento: regolamento.yaml
alternative:
  - nome: Alternativa
    modifiche:
{righe}
""",
    )


def _impatto(cartella: Path, regolamento: str, modifiche: dict[str, Any], k: int = 1) -> Impatto:
    scenario = carica_scenario(_scenario(cartella, regolamento, modifiche))
    esecuzione = esegui(scenario, venti())
    return impatto(
        esecuzione.base.esiti, esecuzione.alternative[0].esiti, esecuzione.domande, k_minimo=k
    )


@pytest.fixture
def contributo(tmp_path: Path) -> Impatto:
    return _impatto(tmp_path, CONTRIBUTO, MODIFICHE_CONTRIBUTO)


def _voci(tabella: pl.DataFrame, chiave: str, colonne: list[str]) -> dict[Any, tuple[Any, ...]]:
    return {r[chiave]: tuple(r[c] for c in colonne) for r in tabella.iter_rows(named=True)}


def test_totals_cost_and_beneficiaries(contributo: Impatto) -> None:
    totali = _voci(contributo.totali, "voce", ["base", "alternativa", "variazione"])
    assert totali["nuclei"] == (20, 20, 0)
    # base: n01–n12 (ISEE ≤ 10000); alternative: n02–n14 (1500 < ISEE ≤ 12000)
    assert totali["ammessi"] == (12, 13, 1)
    assert totali["beneficiari"] == (12, 13, 1)
    # base: 7 × 1000 (n01–n07) + 5 × 500 (n08–n12) = 9500
    # alternative: 3 × 1040 + 3 × 900 + 3 × 525 + 4 × 490 = 3120 + 2700 + 1575 + 1960 = 9355
    assert totali["importo_totale"] == (9500, 9355, -145)
    # 9500 / 12 = 791.666… → 791.67; 9355 / 13 = 719.615… → 719.62
    assert totali["importo_medio"] == (791.67, 719.62, -72.05)
    assert contributo.tipo_importo == "contributo"


def test_newly_admitted_and_excluded(contributo: Impatto) -> None:
    movimenti = dict(contributo.movimenti.select("voce", "nuclei").iter_rows())
    # n13, n14 enter; n01 (ISEE 1000 ≤ 1500) leaves
    assert movimenti == {
        "nuovi_ammessi": 2,
        "nuovi_esclusi": 1,
        "nuovi_beneficiari": 2,
        "ex_beneficiari": 1,
    }


def test_five_bands_overall(contributo: Impatto) -> None:
    bande = _voci(contributo.bande, "banda", ["nuclei", "quota", "variazione_totale"])
    # perde > 5 %: n01 (−1000), n05–n07 (3 × −100) → −1300
    assert bande["perde_oltre_5"] == (4, 20.0, -1300)
    # perde ≤ 5 %: n11, n12 (2 × −10)
    assert bande["perde_fino_5"] == (2, 10.0, -20)
    assert bande["invariato"] == (6, 30.0, 0)
    # guadagna ≤ 5 %: n02–n04 (3 × 40) and n08–n10 (3 × 25, exactly 5 %) → 195
    assert bande["guadagna_fino_5"] == (6, 30.0, 195)
    # guadagna > 5 %: n13, n14 from zero (2 × 490)
    assert bande["guadagna_oltre_5"] == (2, 10.0, 980)
    # total: −1300 − 20 + 195 + 980 = −145, per nucleo −7.25
    assert bande[None] == (20, 100.0, -145)
    medie = _voci(contributo.bande, "banda", ["variazione_media"])
    assert medie["perde_oltre_5"] == (-325,)  # −1300 / 4
    assert medie[None] == (-7.25,)


def test_bands_by_decile(contributo: Impatto) -> None:
    # 19 households have an ISEE: the bound of decile d is the ⌈1.9·d⌉-th ISEE:
    # 2000, 3000, 4000, 6000, 8000, 10000, 12000, 15000, 30000 (n20, 50000, is in the tenth)
    colonne = ["perde_oltre_5", "perde_fino_5", "invariato", "guadagna_fino_5", "guadagna_oltre_5"]
    tabella = _voci(contributo.bande_per_decile, "etichetta", [*colonne, "totale"])
    assert tabella["1° decile"] == (1, 0, 0, 1, 0, 2)  # n01 loses, n02 gains
    assert tabella["2° decile"] == (0, 0, 0, 2, 0, 2)  # n03, n04
    assert tabella["3° decile"] == (2, 0, 0, 0, 0, 2)  # n05, n06
    assert tabella["4° decile"] == (1, 0, 0, 1, 0, 2)  # n07 loses, n08 gains
    assert tabella["5° decile"] == (0, 0, 0, 2, 0, 2)  # n09, n10 (+5 % exactly)
    assert tabella["6° decile"] == (0, 2, 0, 0, 0, 2)  # n11, n12
    assert tabella["7° decile"] == (0, 0, 0, 0, 2, 2)  # n13, n14
    for decile in ("8° decile", "9° decile"):
        assert tabella[decile] == (0, 0, 2, 0, 0, 2)
    assert tabella["10° decile"] == (0, 0, 1, 0, 0, 1)  # n20
    assert tabella["Senza ISEE"] == (0, 0, 1, 0, 0, 1)  # n19
    assert tabella["Totale"] == (4, 2, 6, 6, 2, 20)
    limiti = _voci(contributo.per_decile, "decile", ["isee_fino_a"])
    assert [limiti[d][0] for d in range(1, 11)] == [
        2000,
        3000,
        4000,
        6000,
        8000,
        10000,
        12000,
        15000,
        30000,
        None,
    ]


_GRUPPI = [
    "nuclei",
    "beneficiari_base",
    "beneficiari_alternativa",
    "importo_base",
    "importo_alternativa",
    "variazione_importo",
    "nuovi_ammessi",
    "nuovi_esclusi",
]


def test_by_comune(contributo: Impatto) -> None:
    tabella = _voci(contributo.per_comune, "etichetta", [*_GRUPPI, "guadagnano", "perdono"])
    # A = n01–n08: base 7 × 1000 + 500 = 7500; alternative 3 × 1040 + 3 × 900 + 525 = 6345
    assert tabella[A] == (8, 8, 7, 7500, 6345, -1155, 0, 1, 4, 4)
    # B = n09–n15: base 4 × 500 = 2000; alternative 2 × 525 + 4 × 490 = 3010
    assert tabella[B] == (7, 4, 6, 2000, 3010, 1010, 2, 0, 4, 2)
    assert tabella[C] == (4, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert tabella["non indicato"] == (1, 0, 0, 0, 0, 0, 0, 0, 0, 0)  # n20
    assert tabella["Totale"] == (20, 12, 13, 9500, 9355, -145, 2, 1, 8, 6)
    medie = _voci(contributo.per_comune, "etichetta", ["variazione_media"])
    assert medie[A] == (-144.38,)  # −1155 / 8 = −144.375
    assert contributo.per_comune["riservata"].to_list() == [False] * 5


def test_by_household_type(contributo: Impatto) -> None:
    tabella = _voci(contributo.per_tipologia, "tipologia", [*_GRUPPI, "guadagnano", "perdono"])
    # persona sola: n01 (1000 → 0), n11 (500 → 490), n15 (0)
    assert tabella["persona_sola"] == (3, 2, 1, 1500, 490, -1010, 0, 1, 0, 2)
    # with minors: n02 (1000 → 1040), n05 (1000 → 900), n12 (500 → 490), n14 (0 → 490)
    assert tabella["con_minori"] == (4, 3, 4, 2500, 2920, 420, 1, 0, 2, 2)
    # with disabled (before minors): n03 (1000 → 1040), n09 (500 → 525), n18 (0)
    assert tabella["con_disabili"] == (3, 2, 2, 1500, 1565, 65, 0, 0, 2, 0)
    # with elderly: n04 (1000 → 1040), n07 (1000 → 900), n13 (0 → 490), n20 (0)
    assert tabella["con_anziani"] == (4, 2, 3, 2000, 2430, 430, 1, 0, 2, 1)
    # two adults: n06 (1000 → 900), n10 (500 → 525), n16 (0)
    assert tabella["coppia"] == (3, 2, 2, 1500, 1425, -75, 0, 0, 1, 1)
    # three or more adults: n08 (500 → 525), n17 (0)
    assert tabella["altro"] == (2, 1, 1, 500, 525, 25, 0, 0, 1, 0)
    assert tabella["non_nota"] == (1, 0, 0, 0, 0, 0, 0, 0, 0, 0)  # n19


def test_by_decile(contributo: Impatto) -> None:
    tabella = _voci(contributo.per_decile, "etichetta", _GRUPPI)
    assert tabella["1° decile"] == (2, 2, 1, 2000, 1040, -960, 0, 1)  # n01, n02
    assert tabella["2° decile"] == (2, 2, 2, 2000, 2080, 80, 0, 0)
    assert tabella["3° decile"] == (2, 2, 2, 2000, 1800, -200, 0, 0)
    assert tabella["4° decile"] == (2, 2, 2, 1500, 1425, -75, 0, 0)  # n07, n08
    assert tabella["5° decile"] == (2, 2, 2, 1000, 1050, 50, 0, 0)
    assert tabella["6° decile"] == (2, 2, 2, 1000, 980, -20, 0, 0)
    assert tabella["7° decile"] == (2, 0, 2, 0, 980, 980, 2, 0)  # n13, n14
    assert tabella["Senza ISEE"] == (1, 0, 0, 0, 0, 0, 0, 0)
    assert tabella["Totale"] == (20, 12, 13, 9500, 9355, -145, 2, 1)


def test_graduatoria_replay(tmp_path: Path) -> None:
    risultato = _impatto(tmp_path, CONTRIBUTO + GRADUATORIA, MODIFICHE_CONTRIBUTO)
    g = risultato.graduatoria
    assert g is not None
    # base: n01–n12 ranked by ISEE; 1000 each for n01–n05 fills 5000 exactly; n06 does not fit
    # alternative: n02–n04 (1040 each: 3120), n05 (4020), n06 (4920); n07 (+900) does not fit
    assert (g.in_graduatoria_base, g.in_graduatoria_alternativa) == (12, 13)
    assert (g.finanziate_base, g.finanziate_alternativa) == (5, 5)
    assert (g.ultima_posizione_base, g.ultima_posizione_alternativa) == (5, 5)
    assert g.soglia_base == {"isee": 3500.0}  # n05
    assert g.soglia_alternativa == {"isee": 4000.0}  # n06
    assert (g.entrano, g.escono) == (1, 1)  # n06 enters, n01 leaves
    nuclei = risultato.nuclei
    assert nuclei.filter(pl.col("entra"))["id_domanda"].to_list() == ["n06"]
    assert nuclei.filter(pl.col("esce"))["id_domanda"].to_list() == ["n01"]
    totali = _voci(risultato.totali, "voce", ["base", "alternativa"])
    assert totali["importo_totale"] == (5000, 4920)
    tabella = _voci(g.tabella(), "voce", ["base", "alternativa"])
    assert tabella["soglia.isee"] == ("3500.0", "4000.0")


def test_compartecipazione_a_lower_fee_is_a_gain(tmp_path: Path) -> None:
    modifiche = {
        "importo.calcolo.espressione": "CASE WHEN isee <= 5000 THEN 95 ELSE 230 END",
        "requisiti": [
            {
                "id": "isee_massimo",
                "descrizione": "ISEE fino a 40.000",
                "condizione": "isee <= 40000",
            }
        ],
    }
    risultato = _impatto(tmp_path, COMPARTECIPAZIONE, modifiche)
    assert risultato.tipo_importo == "compartecipazione"
    bande = _voci(risultato.bande, "banda", ["nuclei", "variazione_totale"])
    # n01–n07 pay 95 instead of 100: −5 on 100 is a 5 % gain ("fino al 5%")
    assert bande["guadagna_fino_5"] == (7, -35)
    # n08–n18 pay 230 instead of 200 (+15 %); n20 (50000) loses the service: 11 + 1
    assert bande["perde_oltre_5"] == (12, 11 * 30 - 200)
    assert bande["invariato"] == (1, 0)  # n19, no attestazione: served in neither
    totali = _voci(risultato.totali, "voce", ["base", "alternativa"])
    # fees: 7 × 100 + 12 × 200 = 3100; 7 × 95 + 11 × 230 = 3195
    assert totali["importo_totale"] == (3100, 3195)
    assert totali["beneficiari"] == (19, 18)


def test_to_dict_is_json(contributo: Impatto) -> None:
    import json

    dati = json.loads(json.dumps(contributo.to_dict()))
    assert set(dati) >= {"totali", "bande", "per_comune", "per_tipologia", "per_decile"}
    assert dati["totali"][0]["voce"] == "nuclei"
    assert "nuclei" not in dati  # the per-household comparison is never published
