"""The example scenarios of ``examples/scenari`` run end to end on a generated population."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from equo.cli import app
from equo.popolazione.file import salva_popolazione
from equo.popolazione.genera import genera_popolazione
from equo.popolazione.modello import Popolazione
from equo.simulazione import carica_scenario, esegui, impatto, sweep

ESEMPI = Path(__file__).parents[2] / "examples" / "scenari"


@pytest.fixture(scope="module")
def popolazione() -> Popolazione:
    return genera_popolazione(3000, seed=5)


def test_every_example_is_listed() -> None:
    assert sorted(p.name for p in ESEMPI.glob("*.yaml")) == [
        "affitto_franchigia_casa.yaml",
        "asilo_nido_soglia.yaml",
    ]


def test_asilo_nido_threshold(popolazione: Popolazione) -> None:
    scenario = carica_scenario(ESEMPI / "asilo_nido_soglia.yaml")
    esecuzione = esegui(scenario, popolazione)
    assert esecuzione.base.esiti.riepilogo.ammissibili > 0
    for risultato in esecuzione.alternative:
        esito = impatto(esecuzione.base.esiti, risultato.esiti, esecuzione.domande)
        nuclei = esito.nuclei
        # raising the threshold of the highest fee never raises anybody's fee
        servite = nuclei.filter(nuclei["beneficiario_base"] & nuclei["beneficiario_alternativa"])
        assert (servite["importo_alternativa"] <= servite["importo_base"]).all()
        assert esito.tipo_importo == "compartecipazione"
    punti = sweep(scenario, popolazione, "importo.calcolo.lineare.a", [30000, 35000, 40000])
    assert punti["importo_totale"].to_list() == sorted(punti["importo_totale"], reverse=True)


def test_affitto_with_the_2026_casa_threshold(popolazione: Popolazione) -> None:
    scenario = carica_scenario(ESEMPI / "affitto_franchigia_casa.yaml")
    esecuzione = esegui(scenario, popolazione)
    assert esecuzione.base.esiti.riepilogo.ammissibili > 0
    franchigia, specifiche = (
        impatto(esecuzione.base.esiti, r.esiti, esecuzione.domande) for r in esecuzione.alternative
    )
    # a higher casa threshold can only lower ISEE values: nobody is newly excluded
    movimenti = dict(franchigia.movimenti.select("voce", "nuclei").iter_rows())
    assert movimenti["nuovi_esclusi"] in (0, None)
    assert specifiche.totali.height == 5


def test_the_cli_runs_an_example(tmp_path: Path, popolazione: Popolazione) -> None:
    salva_popolazione(popolazione, tmp_path / "p.parquet")
    risultato = CliRunner().invoke(
        app,
        ["simula", str(ESEMPI / "asilo_nido_soglia.yaml"), "-p", str(tmp_path / "p.parquet")],
        catch_exceptions=False,
    )
    assert risultato.exit_code == 0, risultato.output
    assert "Retta massima da 35.000 euro rispetto a Regolamento 2026" in risultato.output
