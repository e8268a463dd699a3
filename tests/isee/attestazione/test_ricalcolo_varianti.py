"""Recomputing the variant blocks of an attestazione through the engine's variant formulas."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from equo.isee.attestazione.da_dsu import componenti_da_dsu
from equo.isee.attestazione.model import ComponentiAttestazione
from equo.isee.attestazione.ricalcolo import ricalcola, spiega_ricalcolo
from equo.isee.engine import compute
from equo.isee.frames import dsu_frames
from equo.isee.model import DSU
from equo.isee.varianti import Variante
from tests.isee.test_minorenni import _dsu as _madre_con_gnc
from tests.isee.test_sociosanitario import _famiglia_con_figlio_disabile, _figlio, _pensionata
from tests.isee.test_varianti import _con_assegno_unico, _proprietario

V = Variante


def _ristretto() -> DSU:
    data = _famiglia_con_figlio_disabile()
    figlio_cf = data["componenti"][2]["codice_fiscale"]
    data["nucleo_ristretto"] = {"componenti": [{"codice_fiscale": figlio_cf, "relazione": "B"}]}
    return DSU.model_validate(data)


def _residenze() -> DSU:
    figli = [_figlio("Carlo", 30_000, 2.46), _figlio("Piero", 15_000, 1.57)]
    figli.append(_figlio("Gino", 40_000, 1.0, esclusione="A"))
    return _pensionata(residenziale={"figli_non_compresi": figli})


def _ristretto_residenze() -> DSU:
    data = _famiglia_con_figlio_disabile()
    figlio_cf = data["componenti"][2]["codice_fiscale"]
    data["nucleo_ristretto"] = {"componenti": [{"codice_fiscale": figlio_cf, "relazione": "B"}]}
    data["residenziale"] = {"figli_non_compresi": [_figlio("Ugo", 25_000, 1.0)]}
    return DSU.model_validate(data)


CASI: dict[Variante, list[Any]] = {
    V.SOCIOSANITARIO: [_ristretto, _pensionata],
    V.RESIDENZE: [_residenze, _ristretto_residenze],
    V.MINORENNI: [
        _madre_con_gnc,
        lambda: _madre_con_gnc(condizione_art_7="b", componente_aggiuntiva=1_234.56),
        lambda: _madre_con_gnc(condizione_art_7="c"),
    ],
    V.NIDO: [_madre_con_gnc, lambda: _con_assegno_unico(dt.date(2025, 5, 1), 1_500)],
    V.SPECIFICHE_2026: [lambda: _proprietario("G337", 5, 7), lambda: _proprietario("H501")],
}
_SERVONO_FATTI = {V.NIDO, V.SPECIFICHE_2026}  # assegno unico, casa and comune are not printed


def _componenti(
    dsus: list[DSU], variante: Variante, *, stampato_soltanto: bool = False
) -> list[ComponentiAttestazione]:
    return componenti_da_dsu(dsus, varianti=[variante], stampato_soltanto=stampato_soltanto)


@pytest.mark.parametrize("stampato_soltanto", [False, True], ids=["con_fatti", "solo_stampato"])
@pytest.mark.parametrize("variante", list(CASI), ids=[v.value for v in CASI])
def test_at_the_original_date_the_variant_isee_is_reproduced_to_the_cent(
    variante: Variante, stampato_soltanto: bool
) -> None:
    dsus = [make() for make in CASI[variante]]
    attese = compute(dsu_frames(dsus), variante=variante).indicatori()
    result = ricalcola(
        _componenti(dsus, variante, stampato_soltanto=stampato_soltanto), variante=variante
    )
    assert result["indice"].to_list() == list(range(len(dsus)))
    if stampato_soltanto and variante in _SERVONO_FATTI:
        assert not result["esatto"].all()
        return
    for k in ("isr", "isp", "ise", "scala_equivalenza", "isee"):
        assert result[k].to_list() == attese[k].to_list(), k
    assert result["esatto"].all(), result["note"].to_list()


def test_the_ordinario_default_ignores_the_variant_blocks() -> None:
    dsus = [_ristretto(), _residenze()]
    plain = ricalcola(componenti_da_dsu(dsus))
    with_blocks = ricalcola(componenti_da_dsu(dsus, varianti=list(V)[4:6]))
    assert plain.equals(with_blocks)
    assert "blocco" not in plain.columns


def test_the_ristretto_uses_its_own_lines_and_nucleo() -> None:
    (c,) = _componenti([_ristretto()], V.SOCIOSANITARIO)
    row = ricalcola([c], variante=V.SOCIOSANITARIO).row(0, named=True)
    assert row["blocco"] == "ridotti[0].ristretto"
    assert row["n_componenti"] == 1
    assert row["isee"] == 2_133.33
    assert row["beneficiario"] == c.ridotti[0].codice_fiscale_beneficiario


def test_residenze_recomputes_each_figlio_componente_with_his_ise_and_scala() -> None:
    (c,) = _componenti([_residenze()], V.RESIDENZE)
    aggiuntive = c.sociosanitari_residenze[0].componenti_aggiuntive
    assert [a.valore for a in aggiuntive] == [426.02, 73.89, 0.0]  # Gino is excluded (lett. A)
    row = ricalcola([c], variante=V.RESIDENZE, data=dt.date(2025, 3, 1)).row(0, named=True)
    assert row["esatto"], row["note"]
    # 0.2 × (30,000 / 2.46 − 9,000) + 0.2 × (15,000 / 1.57 − 9,000) over the beneficiary's scala
    lorde = 0.2 * (30_000 / 2.46 - 9_000) + 0.2 * (15_000 / 1.57 - 9_000)
    assert row["componenti_aggiuntive_lorde"] == pytest.approx(lorde, abs=1e-6)
    assert row["isee"] == pytest.approx(
        row["isee_nucleo"] + lorde / row["scala_equivalenza"], abs=0.01
    )


def test_residenze_without_the_figlio_ise_carries_the_printed_componente_and_flags_it() -> None:
    (c,) = _componenti([_residenze()], V.RESIDENZE, stampato_soltanto=True)
    original = ricalcola([c], variante=V.RESIDENZE).row(0, named=True)
    assert original["esatto"], original["note"]
    row = ricalcola([c], variante=V.RESIDENZE, data=dt.date(2025, 3, 1)).row(0, named=True)
    assert not row["esatto"]
    assert any(n.startswith("componenti_aggiuntive:") for n in row["note"])


def test_the_componente_aggiuntiva_of_the_genitore_is_carried_and_flagged_at_another_date() -> None:
    dsu = _madre_con_gnc(condizione_art_7="b", componente_aggiuntiva=1_234.56)
    (c,) = _componenti([dsu], V.MINORENNI)
    assert c.minorenni[0].esito == "ISEEMinAgg"
    row = ricalcola([c], variante=V.MINORENNI, data=dt.date(2025, 9, 1)).row(0, named=True)
    assert row["componente_aggiuntiva_genitore"] == 1_234.56
    assert row["isee"] == pytest.approx(row["isee_nucleo"] + 1_234.56, abs=0.01)
    assert not row["esatto"]
    assert any(n.startswith("componente_aggiuntiva:") for n in row["note"])


def test_the_attracted_genitore_counts_in_the_recomputed_nucleo() -> None:
    (c,) = _componenti([_madre_con_gnc()], V.MINORENNI)
    assert c.minorenni[0].esito == "ISEEMinAttr"
    row = ricalcola([c], variante=V.MINORENNI).row(0, named=True)
    assert (row["n_componenti"], row["n_genitori"]) == (3, 2)
    assert row["isee"] == round(39_000 / 2.34, 2)


def test_nido_recomputed_from_2025_nets_the_assegno_unico() -> None:
    dsu = _con_assegno_unico(dt.date(2024, 11, 4), 1_500)
    (c,) = _componenti([dsu], V.NIDO)
    before = ricalcola([c], variante=V.NIDO).row(0, named=True)
    assert before["isee"] == c.ordinario.isee  # no neutralisation before 2025
    after = ricalcola([c], variante=V.NIDO, data=dt.date(2025, 5, 1)).row(0, named=True)
    assert after["isee"] == pytest.approx(
        after["isee_nucleo"] - 1_500 / after["scala_equivalenza"], abs=0.01
    )
    senza = c.model_copy(update={"assegno_unico_annuo": None})
    row = ricalcola([senza], variante=V.NIDO, data=dt.date(2025, 5, 1)).row(0, named=True)
    assert not row["esatto"]
    assert any("assegno unico" in n for n in row["note"])


def test_specifiche_2026_needs_the_casa_and_its_comune() -> None:
    (c,) = _componenti([_proprietario("H501")], V.SPECIFICHE_2026)
    assert ricalcola([c], variante=V.SPECIFICHE_2026)["isee"].item() == 5_302.40
    senza_comune = c.model_copy(update={"codice_comune_abitazione": None})
    row = ricalcola([senza_comune], variante=V.SPECIFICHE_2026).row(0, named=True)
    assert row["isee"] == 9_102.40  # as outside a capoluogo metropolitano
    assert any("comune" in n for n in row["note"])


def test_specifiche_2026_is_refused_at_a_date_before_it_existed() -> None:
    (c,) = _componenti([_proprietario("G337")], V.SPECIFICHE_2026)
    with pytest.raises(ValueError, match="2026-01-01"):
        ricalcola([c], variante=V.SPECIFICHE_2026, data=dt.date(2025, 6, 1))


def test_a_ristretto_recomputed_across_the_2016_scala_rule_is_flagged_without_the_disabled() -> (
    None
):
    data = _famiglia_con_figlio_disabile()
    data["data_presentazione"] = "2015-09-01"
    figlio_cf = data["componenti"][2]["codice_fiscale"]
    data["nucleo_ristretto"] = {"componenti": [{"codice_fiscale": figlio_cf, "relazione": "B"}]}
    (c,) = _componenti([DSU.model_validate(data)], V.SOCIOSANITARIO)
    row = ricalcola([c], variante=V.SOCIOSANITARIO, data=dt.date(2016, 9, 1)).row(0, named=True)
    assert not row["esatto"]
    assert any(n.startswith("scala_equivalenza:") for n in row["note"])


def test_a_missing_block_falls_back_to_the_ordinario_with_a_note() -> None:
    (c,) = componenti_da_dsu([_pensionata()])
    row = ricalcola([c], variante=V.MINORENNI).row(0, named=True)
    assert row["blocco"] == "ordinario"
    assert row["isee"] == c.ordinario.isee
    assert any("non riporta il blocco" in n for n in row["note"])


def test_the_explanation_shows_the_variant_lines() -> None:
    dsu = _madre_con_gnc(condizione_art_7="b", componente_aggiuntiva=1_234.56)
    (text,) = spiega_ricalcolo(_componenti([dsu], V.MINORENNI), variante=V.MINORENNI)
    assert "ISEE per prestazioni rivolte a minorenni" in text
    assert "Componente aggiuntiva" in text
