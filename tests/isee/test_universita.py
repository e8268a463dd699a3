"""ISEE università (DPCM 159/2013 art. 8): the student's autonomy test, dated threshold."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from equo.isee.engine import compute
from equo.isee.frames import dsu_frames
from equo.isee.model import DSU
from equo.isee.varianti import Variante, VariantNotApplicableError, motivo_non_applicabile
from tests.isee.builders import born_aged, dsu_dict, member

DAY = dt.date(2024, 9, 2)
UNI = Variante.UNIVERSITA


def _studente_da_solo(reddito: float, anno: int, **fatti: Any) -> DSU:
    studente = member(
        "Ricci",
        "Pietro",
        born_aged(23, DAY),
        "M",
        "D",
        redditi={"reddito_complessivo_irpef": reddito, "lavoro_dipendente": reddito},
    )
    data = dsu_dict(DAY, studente, abitazione={"titolo": "locazione", "canone_annuo": 4_800})
    universitario = {
        "studente": studente["codice_fiscale"],
        "anno_accademico": anno,
        "anni_residenza_fuori_famiglia": 3,
        "abitazione_non_di_familiari": True,
        **fatti,
    }
    return DSU.model_validate({**data, "universitario": universitario})


def _row(dsu: DSU, variante: Variante = UNI) -> dict[str, Any]:
    return compute(dsu_frames([dsu]), variante=variante).nuclei.row(0, named=True)


def test_an_autonomous_student_has_his_own_nucleo() -> None:
    row = _row(_studente_da_solo(10_000, 2024))
    assert row["studente_autonomo"] is True
    assert row["soglia_capacita_reddito"] == 9_000
    assert row["isee"] == _row(_studente_da_solo(10_000, 2024), Variante.ORDINARIO)["isee"]


def test_the_income_threshold_follows_the_anno_accademico() -> None:
    # 8,000 is enough up to 2021/22 (6,500) and not from 2022/23 (9,000)
    assert _row(_studente_da_solo(8_000, 2021))["soglia_capacita_reddito"] == 6_500
    with pytest.raises(VariantNotApplicableError, match="not autonomous"):
        _row(_studente_da_solo(8_000, 2022))


@pytest.mark.parametrize(
    "fatti",
    [{"anni_residenza_fuori_famiglia": 1.5}, {"abitazione_non_di_familiari": False}],
)
def test_both_conditions_of_article_8_are_needed(fatti: dict[str, Any]) -> None:
    dsu = _studente_da_solo(20_000, 2024, **fatti)
    assert "not autonomous" in (motivo_non_applicabile(dsu, UNI) or "")
    with pytest.raises(VariantNotApplicableError, match="their DSU is needed"):
        _row(dsu)


def _famiglia(anni_fuori: float) -> DSU:
    padre = member(
        "Ricci",
        "Aldo",
        born_aged(52, DAY),
        "M",
        "D",
        redditi={"reddito_complessivo_irpef": 35_000, "lavoro_dipendente": 35_000},
    )
    studente = member("Ricci", "Pietro", born_aged(21, DAY), "M", "FNC")
    data = dsu_dict(DAY, padre, studente)
    universitario = {
        "studente": studente["codice_fiscale"],
        "anno_accademico": 2024,
        "anni_residenza_fuori_famiglia": anni_fuori,
        "abitazione_non_di_familiari": True,
        "reddito_lavoro": 12_000,
    }
    return DSU.model_validate({**data, "universitario": universitario})


def test_a_student_who_is_not_autonomous_counts_in_the_parents_dsu() -> None:
    row = _row(_famiglia(anni_fuori=1))
    assert row["studente_autonomo"] is False
    assert row["n_componenti"] == 2


def test_an_autonomous_student_in_the_parents_dsu_is_refused() -> None:
    with pytest.raises(VariantNotApplicableError, match="his own DSU is needed"):
        _row(_famiglia(anni_fuori=4))


def test_the_variant_needs_the_student() -> None:
    dsu = DSU.model_validate(dsu_dict(DAY, member("Ricci", "Aldo", "1970-01-01", "M", "D")))
    assert "needs the student" in (motivo_non_applicabile(dsu, UNI) or "")
    with pytest.raises(VariantNotApplicableError, match="needs the student"):
        _row(dsu)


def test_the_student_must_be_a_member() -> None:
    data = _studente_da_solo(10_000, 2024).model_dump()
    data["universitario"]["studente"] = "RSSMRA80A01H501U"
    with pytest.raises(ValueError, match=r"universitario\.studente: .* is not a member"):
        DSU.model_validate(data)


def _dottorando_con_i_genitori(ristretto: bool) -> DSU:
    data = _famiglia(anni_fuori=0).model_dump()
    data["universitario"]["dottorato"] = True
    studente = data["universitario"]["studente"]
    data["componenti"][1]["redditi"] = {
        "reddito_complessivo_irpef": 16_000,
        "lavoro_dipendente": 16_000,
    }
    if ristretto:
        data["nucleo_ristretto"] = {"componenti": [{"codice_fiscale": studente, "relazione": "B"}]}
    return DSU.model_validate(data)


def test_a_dottorando_needs_no_autonomy_test_and_may_declare_his_own_nucleo() -> None:
    proprio = _row(_dottorando_con_i_genitori(ristretto=True))
    assert proprio["n_componenti"] == 1
    assert proprio["isr"] == 16_000 - 3_000
    assert proprio["isee"] == 13_000
    ordinario = _row(_dottorando_con_i_genitori(ristretto=False))  # the option of art. 8 c. 4
    assert ordinario["n_componenti"] == 2
    assert motivo_non_applicabile(_dottorando_con_i_genitori(ristretto=False), UNI) is None
