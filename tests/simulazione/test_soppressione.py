"""Small-cell suppression: every cell of fewer than k nuclei is masked, and stays masked.

"Stays masked" is proved, not assumed: for each table the published cells are equations, and a
masked cell must not be a combination of them (exact arithmetic on fractions for the small
tables, :mod:`tests.simulazione.attacco` for the whole impact).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equo.simulazione import Scenario, carica_scenario, esegui, impatto
from equo.simulazione.soppressione import (
    Famiglia,
    applica_maschere,
    deducibili,
    equazioni_incrocio,
    maschera_incrocio,
    maschera_tabella,
)
from tests.simulazione.attacco import mascherate, ricalcolabili
from tests.simulazione.popolazioni import (
    CONTRIBUTO,
    MODIFICHE_CONTRIBUTO,
    casuale,
    scrivi,
    venti,
)

NUCLEI = Famiglia("nuclei", ("nuclei",), ("nuclei", "importo"))


def _determinate_esatte(equazioni: np.ndarray, mascherate: np.ndarray) -> list[int]:
    """Masked unknowns that the equations fix, by exact row reduction over the fractions.

    In the reduced row echelon form of the equations restricted to the masked unknowns, an
    unknown is fixed exactly when some row has its only non-zero entry there.
    """
    colonne = list(np.flatnonzero(mascherate))
    righe = [[Fraction(int(equazioni[r, c])) for c in colonne] for r in range(len(equazioni))]
    pivot_riga = 0
    pivot: list[int] = []
    for j in range(len(colonne)):
        scelta = next((r for r in range(pivot_riga, len(righe)) if righe[r][j] != 0), None)
        if scelta is None:
            continue
        righe[pivot_riga], righe[scelta] = righe[scelta], righe[pivot_riga]
        p = righe[pivot_riga][j]
        righe[pivot_riga] = [v / p for v in righe[pivot_riga]]
        for r in range(len(righe)):
            if r != pivot_riga and righe[r][j] != 0:
                f = righe[r][j]
                righe[r] = [a - f * b for a, b in zip(righe[r], righe[pivot_riga], strict=True)]
        pivot.append(j)
        pivot_riga += 1
    return [
        colonne[j]
        for riga, j in zip(righe, pivot, strict=False)
        if sum(1 for v in riga if v != 0) == 1
    ]


def _tabella(nuclei: list[int]) -> pl.DataFrame:
    return pl.DataFrame({"nuclei": nuclei, "importo": [100.0 * n for n in nuclei]})


def test_a_group_below_k_and_its_complement_are_masked() -> None:
    righe = _tabella([3, 50, 12, 40])
    maschere = maschera_tabella(righe, [NUCLEI], 10)
    # 3 < 10 is masked; alone it would be the total (105) minus 50 + 12 + 40: the smallest
    # other group (12) is masked too
    assert maschere["nuclei"].tolist() == [True, False, True, False]
    tabella = applica_maschere(righe, maschere, [NUCLEI], k=10)
    assert tabella["nuclei"].to_list() == [None, 50, None, 40]
    assert tabella["importo"].to_list() == [None, 5000.0, None, 4000.0]
    assert tabella["riservata"].to_list() == [True, False, False, False]


def test_the_complementary_cell_case_leaks_nothing() -> None:
    """The total and the visible groups give only the sum of the two masked ones."""
    nuclei = [3, 50, 12, 40]
    maschere = maschera_tabella(_tabella(nuclei), [NUCLEI], 10)["nuclei"]
    equazioni = np.array([[1, 1, 1, 1, -1]])  # groups − total = 0
    incognite = np.append(maschere, False)  # the total is published
    assert _determinate_esatte(equazioni, incognite) == []
    # without the complement, the masked group is the total minus the visible ones
    solo_primaria = np.array([True, False, False, False, False])
    assert _determinate_esatte(equazioni, solo_primaria) == [0]
    assert nuclei[0] == 105 - 50 - 12 - 40


def test_two_groups_below_k_need_no_complement() -> None:
    maschere = maschera_tabella(_tabella([3, 50, 4, 40]), [NUCLEI], 10)
    assert maschere["nuclei"].tolist() == [True, False, True, False]


def test_nothing_is_masked_when_every_group_is_large() -> None:
    maschere = maschera_tabella(_tabella([30, 50, 12, 40]), [NUCLEI], 10)
    assert not maschere["nuclei"].any()


def test_a_zero_count_is_published_but_never_a_complement_when_a_positive_one_exists() -> None:
    maschere = maschera_tabella(_tabella([5, 0, 30, 20]), [NUCLEI], 10)
    assert maschere["nuclei"].tolist() == [True, False, False, True]


def test_a_masked_total_needs_two_masked_groups() -> None:
    """A total masked elsewhere must not be the sum of the visible groups."""
    maschere = maschera_tabella(
        _tabella([30, 50, 12, 40]), [NUCLEI], 10, totali_nascosti={"nuclei": True}
    )
    assert maschere["nuclei"].tolist() == [True, False, True, False]  # 12, then 30


def test_a_row_known_anyway_does_not_protect() -> None:
    famiglia = Famiglia("variazione", ("nuclei",), ("importo",))
    nota = np.array([False, True, False, False])
    maschere = maschera_tabella(_tabella([3, 5, 12, 40]), [famiglia], 10, note={"variazione": nota})
    # row 1 (known: a structural zero) is neither masked nor counted: row 2 is the complement
    assert maschere["variazione"].tolist() == [True, False, True, False]


def test_a_small_cell_of_the_two_way_table() -> None:
    """The classic case: one small cell in a 2 × 2 table with margins masks all four."""
    m = maschera_incrocio(np.array([[3, 20], [30, 40]]), 10)
    assert m.celle.tolist() == [[True, True], [True, True]]
    assert not m.righe.any() and not m.colonne.any() and not m.totale


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda r: st.integers(1, 5).flatmap(
            lambda c: st.lists(
                st.lists(st.integers(0, 40), min_size=c, max_size=c), min_size=r, max_size=r
            )
        )
    ),
    st.integers(2, 12),
)
def test_no_masked_cell_of_a_two_way_table_can_be_recomputed(
    conteggi: list[list[int]], k: int
) -> None:
    tabella = np.array(conteggi, dtype=np.int64)
    r, c = tabella.shape
    m = maschera_incrocio(tabella, k)
    valori = np.concatenate([tabella.ravel(), tabella.sum(1), tabella.sum(0), [tabella.sum()]])
    incognite = np.concatenate([m.celle.ravel(), m.righe, m.colonne, [m.totale]])
    primarie = (valori > 0) & (valori < k)
    assert not (primarie & ~incognite).any(), "a cell below k is published"
    assert _determinate_esatte(equazioni_incrocio(r, c), incognite) == []
    assert not deducibili(equazioni_incrocio(r, c), incognite).any()


def test_deducibili_agrees_with_the_exact_reduction() -> None:
    equazioni = equazioni_incrocio(2, 3)
    rng = np.random.default_rng(1)
    for _ in range(200):
        incognite = rng.random(equazioni.shape[1]) < 0.4
        esatte = _determinate_esatte(equazioni, incognite)
        assert np.flatnonzero(deducibili(equazioni, incognite)).tolist() == sorted(esatte)


def _scenario_contributo(cartella: Path) -> Scenario:
    scrivi(cartella, "r.yaml", CONTRIBUTO)
    modifiche = "\n".join(f"      {c}: {v!r}" for c, v in MODIFICHE_CONTRIBUTO.items())
    return carica_scenario(
        scrivi(
            cartella,
            "s.yaml",
            "formato: equo-scenario/1\ntitolo: Prova\nbase: {nome: Base, regolamento: r.yaml}\n"
            f"alternative:\n  - nome: Alternativa\n    modifiche:\n{modifiche}\n",
        )
    )


@pytest.mark.parametrize("k", [2, 3, 4, 5, 10])
def test_no_masked_cell_of_an_impact_can_be_recomputed(tmp_path: Path, k: int) -> None:
    esecuzione = esegui(_scenario_contributo(tmp_path), venti())
    risultato = impatto(
        esecuzione.base.esiti, esecuzione.alternative[0].esiti, esecuzione.domande, k_minimo=k
    )
    assert mascherate(risultato) > 0
    assert ricalcolabili(risultato) == []
    # every count cell still published is 0 or at least k
    for nome, tabella in risultato.tabelle().items():
        for colonna in ("nuclei", "beneficiari_base", "nuovi_ammessi", "guadagnano"):
            if nome != "graduatoria" and colonna in tabella.columns:
                valori = tabella[colonna].drop_nulls()
                assert ((valori == 0) | (valori >= k)).all(), (nome, colonna)


@settings(max_examples=12, deadline=None)
@given(st.integers(12, 45), st.integers(0, 10_000), st.integers(2, 8))
def test_no_masked_cell_of_a_random_impact_can_be_recomputed(n: int, seed: int, k: int) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as cartella:
        scenario = _scenario_contributo(Path(cartella))
        esecuzione = esegui(scenario, casuale(n, seed))
    risultato = impatto(
        esecuzione.base.esiti, esecuzione.alternative[0].esiti, esecuzione.domande, k_minimo=k
    )
    assert ricalcolabili(risultato) == []


def test_means_are_masked_with_what_they_divide(tmp_path: Path) -> None:
    scrivi(tmp_path, "r.yaml", CONTRIBUTO)
    scenario = carica_scenario(
        scrivi(
            tmp_path,
            "s.yaml",
            "formato: equo-scenario/1\ntitolo: P\nbase: {nome: B, regolamento: r.yaml}\n"
            "alternative:\n  - nome: A\n    modifiche: {importo.calcolo.espressione: '700'}\n",
        )
    )
    esecuzione = esegui(scenario, venti())
    risultato = impatto(
        esecuzione.base.esiti, esecuzione.alternative[0].esiti, esecuzione.domande, k_minimo=5
    )
    for tabella in (risultato.per_comune, risultato.per_decile, risultato.per_tipologia):
        nascosta = tabella["variazione_importo"].is_null() | tabella["nuclei"].is_null()
        assert (tabella.filter(nascosta)["variazione_media"].is_null()).all()
    totali = {r["voce"]: r for r in risultato.totali.iter_rows(named=True)}
    assert (totali["importo_medio"]["base"] is None) == (totali["beneficiari"]["base"] is None)
