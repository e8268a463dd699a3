"""Parameter-level variants: the ISEE per specifiche prestazioni (2026) and the bonus nido ISEE."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from equo.cli import app
from equo.isee.engine import compute
from equo.isee.explain import explain_dsu
from equo.isee.frames import dsu_frames
from equo.isee.model import DSU
from equo.isee.nido import isee_nido
from equo.isee.render import render_text
from equo.isee.varianti import Variante, VariantNotApplicableError, comuni_capoluogo_metropolitano
from tests.isee.builders import born_aged, build_dsu, dsu_dict, immobile, member

DAY_2026 = dt.date(2026, 3, 2)
S26 = Variante.SPECIFICHE_2026


def _isee(dsu: DSU, variante: Variante = Variante.ORDINARIO) -> dict[str, Any]:
    return compute(dsu_frames([dsu]), variante=variante).nuclei.row(0, named=True)


def _famiglia(day: dt.date, figli: list[int], *, lavorano: bool, disabili: int = 0) -> DSU:
    """Two parents and figli of the given ages; the first ``disabili`` figli disabled."""
    nomi = ["Luca", "Sara", "Paolo", "Giulia", "Marco", "Elena", "Davide"]
    members = [
        member("Neri", "Franco", born_aged(45, day), "M", "D", attivita_lavorativa_6_mesi=lavorano),
        member("Conti", "Laura", born_aged(43, day), "F", "C", attivita_lavorativa_6_mesi=lavorano),
    ]
    for i, age in enumerate(figli):
        members.append(
            member(
                "Neri",
                nomi[i],
                born_aged(age, day),
                "M" if i % 2 else "F",
                "F" if age < 18 else "FC",
                disabilita="media" if i < disabili else "nessuna",
            )
        )
    return build_dsu(day, *members)


@pytest.mark.parametrize(
    ("figli", "lavorano", "disabili", "ordinario", "specifiche"),
    [
        ([10, 2], True, 0, 2.76, 2.86),  # §11.2: 4 members, both parents working, one under 3
        ([16, 14, 12, 8], False, 1, 4.05, 4.10),  # §11.2: 6 members, 4 figli, one disabled
        ([17, 15, 13, 11, 9], False, 0, 4.05, 4.10),  # §11.2: 7 members, 5 figli
        ([7], False, 0, 2.04, 2.04),  # one figlio: no maggiorazione for figli in either
    ],
)
def test_the_2026_scala_raises_the_maggiorazione_for_figli(
    figli: list[int], lavorano: bool, disabili: int, ordinario: float, specifiche: float
) -> None:
    dsu = _famiglia(DAY_2026, figli, lavorano=lavorano, disabili=disabili)
    assert _isee(dsu)["scala_equivalenza"] == ordinario
    assert _isee(dsu, S26)["scala_equivalenza"] == specifiche


def _proprietario(comune: str, *figli: int) -> DSU:
    """A single parent owning a home worth 159,768 (IMU) in ``comune``, with no income."""
    genitore = member(
        "Galli", "Rita", "1975-05-05", "F", "D", immobili=[immobile(159_768, casa_abitazione=True)]
    )
    bambini = [
        member("Galli", nome, born_aged(age, DAY_2026), "M", "F")
        for nome, age in zip(["Luca", "Paolo", "Marco"], figli, strict=False)
    ]
    return DSU.model_validate(
        dsu_dict(
            DAY_2026,
            genitore,
            *bambini,
            abitazione={"titolo": "proprieta", "codice_comune": comune},
        )
    )


def test_the_2026_casa_threshold_is_higher_and_higher_still_in_a_capoluogo_metropolitano() -> None:
    parma, roma = _proprietario("G337"), _proprietario("H501")
    # ordinary: (159,768 − 52,500) × 2/3 = 71,512 wherever the casa is
    assert _isee(parma)["casa_abitazione_rilevante"] == pytest.approx(71_512)
    assert _isee(roma)["casa_abitazione_rilevante"] == pytest.approx(71_512)
    # 2026: (159,768 − 91,500) × 2/3 = 45,512; in Rome (159,768 − 120,000) × 2/3 = 26,512
    assert _isee(parma, S26)["isee"] == 9_102.40
    assert _isee(roma, S26)["isee"] == 5_302.40
    assert _isee(parma)["isee"] == 14_302.40


def test_the_2026_casa_threshold_grows_from_the_second_figlio_convivente() -> None:
    uno, due, tre = (_proprietario("G337", *ages) for ages in ([5], [5, 7], [5, 7, 9]))
    assert _isee(uno, S26)["franchigia_casa"] == 91_500
    assert _isee(due, S26)["franchigia_casa"] == 94_000
    assert _isee(tre, S26)["franchigia_casa"] == 96_500
    assert _isee(tre)["franchigia_casa"] == 55_000  # ordinary: from the third figlio


def test_every_capoluogo_metropolitano_is_in_the_table() -> None:
    assert len(comuni_capoluogo_metropolitano()) == 15
    assert {"H501", "F205", "L219", "F839", "I452"} <= comuni_capoluogo_metropolitano()


def test_the_2026_variant_is_refused_for_a_dsu_presented_before_2026() -> None:
    dsu = _proprietario("G337").model_copy(update={"data_presentazione": dt.date(2025, 12, 31)})
    with pytest.raises(VariantNotApplicableError, match=r"2025-12-31.*2026-01-01"):
        compute(dsu_frames([dsu]), variante=S26)


def test_a_batch_of_the_2026_variant_gives_what_each_dsu_gives_alone() -> None:
    dsus = [
        _proprietario("G337", 5, 7),
        _proprietario("H501"),
        _famiglia(DAY_2026, [3, 1], lavorano=True),
    ]
    together = compute(dsu_frames(dsus), variante=S26).indicatori().drop("dsu_id")
    for i, dsu in enumerate(dsus):
        alone = compute(dsu_frames([dsu]), variante=S26).indicatori().drop("dsu_id")
        assert together.slice(i, 1).equals(alone)


def _con_assegno_unico(day: dt.date, auu: float) -> DSU:
    """Parents (the father earns 30,000 as an employee) and a child of two, receiving AUU."""
    data = dsu_dict(
        day,
        member(
            "Neri",
            "Franco",
            born_aged(45, day),
            "M",
            "D",
            attivita_lavorativa_6_mesi=True,
            redditi={"reddito_complessivo_irpef": 30_000, "lavoro_dipendente": 30_000},
        ),
        member("Conti", "Laura", born_aged(43, day), "F", "C", attivita_lavorativa_6_mesi=True),
        member("Neri", "Luca", born_aged(2, day), "M", "F"),
    )
    return DSU.model_validate({**data, "assegno_unico_annuo": auu})


def test_the_nido_isee_nets_the_assegno_unico_divided_by_the_scala() -> None:
    dsu = _con_assegno_unico(dt.date(2025, 5, 1), 1_500)
    ordinario, nido = _isee(dsu), _isee(dsu, Variante.NIDO)
    assert ordinario["isee"] == pytest.approx(27_000 / 2.34, abs=0.005)  # 3 members + lett. b 0.3
    expected = isee_nido(
        ordinario["isee"], ordinario["scala_equivalenza"], 1_500, dt.date(2025, 5, 1)
    )
    # isee_nido starts from the ISEE as printed (rounded), the engine from the exact one
    assert nido["isee"] == pytest.approx(expected, abs=0.015)
    assert nido["isee"] == pytest.approx((27_000 - 1_500) / 2.34, abs=0.005)


def test_the_nido_isee_equals_the_ordinary_one_before_2025() -> None:
    dsu = _con_assegno_unico(dt.date(2024, 5, 1), 1_500)
    assert _isee(dsu, Variante.NIDO)["isee"] == _isee(dsu)["isee"]


def test_the_assegno_unico_field_does_not_touch_the_ordinary_isee() -> None:
    assert (
        _isee(_con_assegno_unico(dt.date(2025, 5, 1), 1_500))["isee"]
        == _isee(_con_assegno_unico(dt.date(2025, 5, 1), 0))["isee"]
    )


def test_the_explanation_shows_the_parameters_of_the_variant() -> None:
    s = explain_dsu(_proprietario("H501", 5), variante=S26)
    used = {p.nome for sezione in s.sezioni for r in sezione.righe for p in r.parametri}
    assert "varianti.specifiche_2026.franchigia_casa_capoluogo_metropolitano" in used
    assert "varianti.specifiche_2026.maggiorazione_figli" in used
    assert "isp.franchigia_casa_abitazione" not in used
    text = render_text(s)
    assert text.startswith("ISEE per specifiche prestazioni familiari e per l'inclusione – DSU")
    assert "120.000,00 €" in text


def test_the_nido_explanation_shows_the_netting() -> None:
    text = render_text(
        explain_dsu(_con_assegno_unico(dt.date(2025, 5, 1), 1_500), variante=Variante.NIDO)
    )
    assert "ISEE prima della neutralizzazione dell'assegno unico" in text
    assert "assegno unico 1.500,00 €" in text


def test_the_cli_computes_a_variant_and_refuses_it_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "dsu.json"
    path.write_text(_proprietario("H501").model_dump_json(), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(
        app, ["isee", "calcola", str(path), "--variante", "specifiche-2026", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["isee"] == 5_302.40
    early = _proprietario("H501").model_copy(update={"data_presentazione": dt.date(2025, 6, 1)})
    path.write_text(early.model_dump_json(), encoding="utf-8")
    result = runner.invoke(app, ["isee", "calcola", str(path), "--variante", "specifiche-2026"])
    assert result.exit_code == 1
    assert "does not exist for a DSU presented on 2025-06-01" in result.output
    assert "Traceback" not in result.output
