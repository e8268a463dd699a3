"""``equo simula``: the summary, the JSON of every table, the sweep, and the errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from equo.cli import app
from equo.popolazione.file import salva_popolazione
from tests.simulazione.popolazioni import CONTRIBUTO, GRADUATORIA, scrivi, venti

runner = CliRunner()


@pytest.fixture
def cartella(tmp_path: Path) -> Path:
    scrivi(tmp_path, "r.yaml", CONTRIBUTO + GRADUATORIA)
    scrivi(
        tmp_path,
        "s.yaml",
        """\
formato: equo-scenario/1
titolo: Contributo di prova
popolazione: pop.parquet
base: {nome: Base, regolamento: r.yaml}
alternative:
  - nome: Soglia 12000
    modifiche: {requisiti.isee_massimo.condizione: "isee <= 12000"}
opzioni: {k_minimo: 3}
""",
    )
    salva_popolazione(venti(), tmp_path / "pop.parquet")
    return tmp_path


def test_simula_prints_the_summary_and_writes_every_table(cartella: Path) -> None:
    uscita = cartella / "impatto.json"
    risultato = runner.invoke(
        app, ["simula", str(cartella / "s.yaml"), "--json", str(uscita)], catch_exceptions=False
    )
    assert risultato.exit_code == 0, risultato.output
    assert "Soglia 12000 rispetto a Base" in risultato.output
    assert "Beneficiari (domande finanziate)" in risultato.output
    assert "Nuclei per variazione dell'importo" in risultato.output
    dati = json.loads(uscita.read_text(encoding="utf-8"))
    assert dati["scenario"]["nuclei"] == 20
    assert dati["scenario"]["k_minimo"] == 3
    (impatto,) = dati["impatti"]
    assert impatto["alternativa"] == "Soglia 12000"
    assert {
        "totali",
        "movimenti",
        "bande",
        "bande_per_decile",
        "per_comune",
        "per_tipologia",
        "per_decile",
        "graduatoria",
    } <= set(impatto)
    assert impatto["graduatoria"]["finanziate_base"] == 5


def test_the_population_option_and_k(cartella: Path) -> None:
    altra = cartella / "altra.parquet"
    (cartella / "pop.parquet").rename(altra)
    risultato = runner.invoke(
        app, ["simula", "esegui", str(cartella / "s.yaml"), "-p", str(altra), "--k", "20"]
    )
    assert risultato.exit_code == 0, risultato.output
    assert "riservato" in risultato.output


def test_simula_sweep(cartella: Path) -> None:
    uscita = cartella / "sweep.json"
    risultato = runner.invoke(
        app,
        [
            "simula",
            "sweep",
            str(cartella / "s.yaml"),
            "--parametro",
            "stanziamento.importo",
            "--da",
            "1000",
            "--a",
            "9000",
            "--passo",
            "4000",
            "--json",
            str(uscita),
        ],
        catch_exceptions=False,
    )
    assert risultato.exit_code == 0, risultato.output
    assert "stanziamento.importo: costo e beneficiari per valore" in risultato.output
    punti = json.loads(uscita.read_text(encoding="utf-8"))["punti"]
    # ranked by ISEE, 1000 euro each for n01–n07, then 500 each for n08–n12 (9500 in all):
    # 1000 funds n01; 5000 funds n01–n05; 9000 funds n01–n11 (n12 would reach 9500)
    assert [p["beneficiari"] for p in punti] == [1, 5, 11]
    assert [p["importo_totale"] for p in punti] == [1000, 5000, 9000]


def test_errors(cartella: Path) -> None:
    scrivi(cartella, "rotto.yaml", "formato: equo-scenario/1\ntitolo: X\nbase: {nome: B}\n")
    risultato = runner.invoke(app, ["simula", str(cartella / "rotto.yaml")])
    assert risultato.exit_code == 1
    assert "rotto.yaml:3: base.regolamento: campo obbligatorio mancante" in risultato.output
    risultato = runner.invoke(app, ["simula", str(cartella / "manca.yaml")])
    assert risultato.exit_code == 2
    assert "il file dello scenario non esiste" in risultato.output
    risultato = runner.invoke(
        app, ["simula", str(cartella / "s.yaml"), "-p", str(cartella / "manca.parquet")]
    )
    assert risultato.exit_code == 2
    assert "il file della popolazione non esiste" in risultato.output
    risultato = runner.invoke(
        app,
        [
            "simula",
            "sweep",
            str(cartella / "s.yaml"),
            "--parametro",
            "importo.massimo",
            "--da",
            "2",
            "--a",
            "1",
            "--passo",
            "1",
        ],
    )
    assert risultato.exit_code == 2
    assert "minore di quello iniziale" in risultato.output
