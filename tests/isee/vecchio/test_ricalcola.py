"""``ricalcola``: old and new ISEE side by side, the old explanation, and the CLI command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from equo.isee.explain import explain_dsu
from equo.isee.model import DSU
from equo.isee.vecchio.cli import ricalcola as ricalcola_command
from equo.isee.vecchio.explain import explain_vecchio, render_text
from equo.isee.vecchio.ricalcola import Confronto, render_confronto, ricalcola
from tests.isee.builders import born_aged, build_dsu, conto_corrente, immobile, member, rapporto

DAY = "2025-06-01"


@pytest.fixture(scope="module")
def dsu() -> DSU:
    """A couple with a minor child, owning their home (no ICI value), with savings and BTP."""
    return build_dsu(
        DAY,
        member(
            "Serra",
            "Luca",
            "1980-01-01",
            "M",
            "D",
            attivita_lavorativa_6_mesi=True,
            redditi={
                "reddito_complessivo_irpef": 30_000,
                "lavoro_dipendente": 30_000,
                "redditi_esenti": 2_000,
            },
            rapporti=[conto_corrente(25_000, 20_000), rapporto("02", valore=10_000)],
            immobili=[immobile(200_000, mutuo_residuo=20_000, casa_abitazione=True)],
        ),
        member("Serra", "Anna", "1982-02-02", "F", "C", disabilita="media"),
        member("Serra", "Bea", born_aged(8, DAY), "F", "F"),
        abitazione={"titolo": "proprieta"},
        protocollo="RICALCOLO-1",
    )


@pytest.fixture(scope="module")
def confronto(dsu: DSU) -> Confronto:
    return ricalcola(dsu)


def test_it_puts_the_old_and_the_new_isee_side_by_side(dsu: DSU, confronto: Confronto) -> None:
    assert confronto.vecchio.isee == explain_vecchio(dsu).isee
    assert confronto.nuovo.isee == explain_dsu(dsu).isee
    righe = {d.codice: d for d in confronto.differenze}
    assert righe["isee"].vecchio == confronto.vecchio.isee
    assert righe["isee"].nuovo == confronto.nuovo.isee
    assert {"redditi", "reddito_figurativo", "detrazione_canone", "isr", "isp"} <= set(righe)
    assert {"franchigia_mobiliare", "scala_equivalenza", "scala_maggiorazioni"} <= set(righe)


def test_the_text_mentions_each_differing_line_with_both_values(confronto: Confronto) -> None:
    text = render_confronto(confronto)
    differing = [d for d in confronto.differenze if d.differisce]
    assert len(differing) >= 8
    for d in differing:
        assert f"- {d.etichetta}: " in text, d.codice
        assert f"perché: {d.perche}" in text, d.codice
    for d in confronto.differenze:
        if not d.differisce:
            assert f"= {d.etichetta}: " in text, d.codice
    assert "Franchigia mobiliare: 15.493,71 € (vecchio) → 10.000,00 € (nuovo)" in text


def test_the_old_rules_are_those_last_in_force_and_the_text_says_so(confronto: Confronto) -> None:
    assert confronto.vecchio.data_regole.isoformat() == "2014-12-31"
    text = render_confronto(confronto)
    assert "regole al 31/12/2014" in text
    assert "l'ultimo giorno, il 31/12/2014" in text


def test_an_estimated_ici_value_is_flagged_in_the_comparison(confronto: Confronto) -> None:
    assert confronto.vecchio.approssimato
    text = render_confronto(confronto)
    assert "(approssimato)" in text
    assert "valore_ici" in text


def test_the_comparison_is_json_ready(confronto: Confronto) -> None:
    data = json.loads(json.dumps(confronto.to_dict(), ensure_ascii=False))
    assert data["isee_vecchio"] == confronto.vecchio.isee
    assert data["isee_nuovo"] == confronto.nuovo.isee
    assert data["vecchio"]["data_regole"] == "2014-12-31"
    assert data["nuovo"]["variante"] == "ordinario"
    franchigia = next(d for d in data["differenze"] if d["codice"] == "franchigia_mobiliare")
    assert franchigia["vecchio"] == 15_493.71
    assert franchigia["differisce"] is True


def test_the_old_explanation_adds_up_and_cites_its_parameters(dsu: DSU) -> None:
    s = explain_vecchio(dsu)
    righe = {r.codice: r for sezione in s.sezioni for r in sezione.righe}
    assert righe["isr"].valore == pytest.approx(
        righe["somma_redditi"].valore
        + righe["reddito_figurativo"].valore
        - righe["detrazione_canone"].valore
    )
    assert righe["patrimonio_immobiliare_netto"].valore == pytest.approx(
        righe["patrimonio_immobiliare"].valore
        - righe["detrazione_mutui"].valore
        - righe["detrazione_casa_abitazione"].valore
    )
    assert s.isp == pytest.approx(
        righe["patrimonio_mobiliare_netto"].valore + righe["patrimonio_immobiliare_netto"].valore,
        abs=0.005,
    )
    assert righe["scala_equivalenza"].valore == pytest.approx(2.04 + 0.5 + 0.0)
    used = {p.nome for r in righe.values() for p in r.parametri}
    assert "isp.franchigia_mobiliare" in used
    assert all(p.riferimenti for r in righe.values() for p in r.parametri)
    text = render_text(s)
    for sezione in s.sezioni:
        assert sezione.titolo.upper() in text
    assert "Vecchio ISEE: " in text
    json.dumps(s.to_dict())


# --- CLI ------------------------------------------------------------------------------------


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command()(ricalcola_command)
    return app


def test_the_command_prints_the_comparison(dsu: DSU, tmp_path: Path) -> None:
    path = tmp_path / "dsu.json"
    path.write_text(dsu.model_dump_json(), encoding="utf-8")
    result = CliRunner().invoke(_app(), [str(path)])
    assert result.exit_code == 0, result.output
    assert "Ricalcolo della DSU RICALCOLO-1" in result.output
    assert "Franchigia mobiliare: 15.493,71 € (vecchio) → 10.000,00 € (nuovo)" in result.output


def test_the_command_prints_json(dsu: DSU, tmp_path: Path) -> None:
    path = tmp_path / "dsu.json"
    path.write_text(dsu.model_dump_json(), encoding="utf-8")
    result = CliRunner().invoke(_app(), [str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["isee_nuovo"] == ricalcola(dsu).nuovo.isee
    assert {"vecchio", "nuovo", "differenze"} <= set(data)


def test_the_command_rejects_an_invalid_dsu_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "dsu.json"
    path.write_text('{"data_presentazione": "2025-01-01", "componenti": []}', encoding="utf-8")
    result = CliRunner().invoke(_app(), [str(path)])
    assert result.exit_code == 1
    assert "the DSU is not valid" in result.output
    assert "Traceback" not in result.output


def test_the_command_reports_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), [str(tmp_path / "nessuna.json")])
    assert result.exit_code == 2
    assert "Cannot read" in result.output
