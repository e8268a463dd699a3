"""The ``equo`` command line: results, explanations and clear errors, never a traceback."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from typer.testing import CliRunner

from equo.cli import app

runner = CliRunner()
ESEMPI = resources.files("equo.isee") / "esempi"


def _esempio(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text((ESEMPI / f"{name}.json").read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_it_prints_the_indicators_of_a_dsu(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "isee",
            "calcola",
            str(_esempio(tmp_path, "pensionata_non_autosufficiente_in_affitto_2024")),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "4.666,67 €" in result.output
    assert "1,50" in result.output


def test_it_explains_a_dsu_line_by_line(tmp_path: Path) -> None:
    path = _esempio(tmp_path, "single_senza_reddito_con_casa_2023")
    result = runner.invoke(app, ["isee", "calcola", str(path), "--spiega"])
    assert result.exit_code == 0, result.output
    assert "Detrazione per la casa di abitazione" in result.output
    assert "14.302,40 €" in result.output


def test_it_gives_json_with_and_without_the_explanation(tmp_path: Path) -> None:
    path = _esempio(tmp_path, "famiglia_numerosa_proprietaria_2025")
    short = json.loads(runner.invoke(app, ["isee", "calcola", str(path), "--json"]).output)
    assert short["isee"] == 13273.63
    full = json.loads(
        runner.invoke(app, ["isee", "calcola", str(path), "--json", "--spiega"]).output
    )
    assert full["isee"] == 13273.63
    assert len(full["sezioni"]) == 5


def test_it_lists_every_problem_of_an_invalid_dsu_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps({"data_presentazione": "2014-05-01", "componenti": [], "extra": 1}),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["isee", "calcola", str(path)])
    assert result.exit_code == 1
    assert "data_presentazione" in result.output and "old ISEE" in result.output
    assert "componenti" in result.output
    assert "extra: unknown field" in result.output
    assert "Traceback" not in result.output


def test_it_reports_a_malformed_json_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["isee", "calcola", str(path)])
    assert result.exit_code == 1
    assert "not valid" in result.output and "Traceback" not in result.output


def test_it_reports_a_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["isee", "calcola", str(tmp_path / "none.json")])
    assert result.exit_code == 2
    assert "Cannot read" in result.output


def test_it_computes_and_explains_the_bundled_examples() -> None:
    result = runner.invoke(app, ["isee", "esempi"])
    assert result.exit_code == 0, result.output
    assert result.output.count("ISEE ordinario –") == 5
    assert "5 DSU di esempio calcolate" in result.output


def test_it_prints_the_dsu_json_schema() -> None:
    result = runner.invoke(app, ["isee", "schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert "componenti" in schema["properties"]
