"""ISEE minorenni (DPCM 159/2013 art. 7): the genitore non convivente and his componente."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from equo.isee.engine import compute
from equo.isee.explain import explain_dsu
from equo.isee.frames import dsu_frames
from equo.isee.model import DSU
from equo.isee.render import render_text
from equo.isee.varianti import Variante, VariantNotApplicableError, motivo_non_applicabile
from tests.isee.builders import born_aged, conto_corrente, dsu_dict, member

DAY = dt.date(2025, 2, 3)
MIN, NIDO = Variante.MINORENNI, Variante.NIDO


def _dsu(**padre: Any) -> DSU:
    """A mother (dichiarante, 20,000 as employee, working) with her daughter of two; the
    daughter's father, not married to the mother and not living with them (GNC), earns 30,000."""
    madre = member(
        "Greco",
        "Irene",
        born_aged(34, DAY),
        "F",
        "D",
        attivita_lavorativa_6_mesi=True,
        redditi={"reddito_complessivo_irpef": 20_000, "lavoro_dipendente": 20_000},
    )
    figlia = member("Greco", "Lia", born_aged(2, DAY), "F", "F")
    gnc = member(
        "Vitale",
        "Omar",
        born_aged(36, DAY),
        "M",
        "GNC",
        attivita_lavorativa_6_mesi=True,
        redditi={"reddito_complessivo_irpef": 30_000, "lavoro_dipendente": 30_000},
        rapporti=[conto_corrente(20_000)],
        **padre,
    )
    data = dsu_dict(
        DAY, madre, figlia, gnc, abitazione={"titolo": "locazione", "canone_annuo": 7_200}
    )
    return DSU.model_validate({**data, "assegno_unico_annuo": 1_800})


def _row(dsu: DSU, variante: Variante = Variante.ORDINARIO) -> dict[str, Any]:
    return compute(dsu_frames([dsu]), variante=variante).nuclei.row(0, named=True)


def test_the_ordinary_isee_ignores_the_genitore_non_convivente() -> None:
    row = _row(_dsu())
    assert row["n_componenti"] == 2
    assert row["isr"] == 20_000 - 3_000 - 7_000
    assert row["scala_equivalenza"] == 1.57 + 0.3  # lett. b/c with a child under three


def test_minorenni_attracts_the_genitore_non_convivente_into_the_nucleo() -> None:
    row = _row(_dsu(), MIN)
    assert row["n_componenti"] == 3
    assert row["n_genitori"] == 2 and row["n_genitori_lavoratori"] == 2
    assert row["somma_redditi"] == 17_000 + 27_000
    assert row["patrimonio_mobiliare"] == 20_000
    assert row["scala_equivalenza"] == 2.04 + 0.3  # both parents working, a child under three
    # ISR 44,000 − rent 7,000 = 37,000; ISP 20,000 − 10,000 = 10,000; ISE 39,000
    assert row["isee"] == round(39_000 / 2.34, 2)


@pytest.mark.parametrize("caso", ["c", "d", "e"])
def test_in_cases_c_d_e_the_genitore_is_left_out_with_no_componente(caso: str) -> None:
    assert _row(_dsu(condizione_art_7=caso), MIN)["isee"] == _row(_dsu())["isee"]


def test_in_cases_a_b_the_componente_aggiuntiva_given_is_added() -> None:
    dsu = _dsu(condizione_art_7="b", componente_aggiuntiva=1_234.56)
    row = _row(dsu, MIN)
    assert row["n_componenti"] == 2
    assert row["isee"] == pytest.approx(_row(_dsu())["isee"] + 1_234.56, abs=0.005)


def test_without_the_componente_aggiuntiva_equo_refuses_rather_than_guess() -> None:
    dsu = _dsu(condizione_art_7="a")
    with pytest.raises(VariantNotApplicableError, match=r"Allegato 2 c\. 2.*will not guess"):
        compute(dsu_frames([dsu]), variante=MIN)
    assert "componente_aggiuntiva" in (motivo_non_applicabile(dsu, MIN) or "")
    assert _row(dsu)["isee"] == _row(_dsu())["isee"]  # the ordinary ISEE does not need it


def test_the_nido_isee_starts_from_the_minorenni_one() -> None:
    dsu = _dsu()
    minorenni, nido = _row(dsu, MIN), _row(dsu, NIDO)
    assert nido["isee"] == pytest.approx(
        (39_000 - 1_800) / 2.34, abs=0.005
    )  # ISE − AUU, over the scala
    assert nido["isee"] < minorenni["isee"]


def test_only_a_gnc_may_carry_the_article_7_fields() -> None:
    data = _dsu().model_dump()
    data["componenti"][0]["condizione_art_7"] = "a"
    with pytest.raises(ValidationError, match="only a member with rapporto GNC"):
        DSU.model_validate(data)
    with pytest.raises(ValidationError, match="only a genitore non convivente"):
        _dsu(condizione_art_7="c", componente_aggiuntiva=100)


def test_the_explanation_says_the_componente_is_taken_from_the_attestazione() -> None:
    text = render_text(
        explain_dsu(_dsu(condizione_art_7="b", componente_aggiuntiva=1_234.56), variante=MIN)
    )
    assert "Componente aggiuntiva del genitore non convivente" in text
    assert "non è verificata nelle fonti di Equo" in text
    assert "1.234,56 €" in text
