"""``equo isee componenti``: readable results, clear errors, exit codes 1 and 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from equo.isee.attestazione.inps_xml import XSD_ENV, esporta_attestazione_xml
from equo.isee.cli_attestazione import componenti as comando
from tests.isee.attestazione.aiuti import (
    componenti,
    con_protocollo,
    disabile_2015_con_risparmi,
    famiglia_con_casa_2024,
    xsd_dir,
)

app = typer.Typer()
app.command()(comando)
runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_xsd_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(XSD_ENV, raising=False)


def _json_file(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "componenti.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _dump(*dsus: object, **kwargs: bool) -> list[dict[str, object]]:
    return [c.model_dump(mode="json") for c in componenti(*dsus, **kwargs)]  # type: ignore[arg-type]


def test_it_prints_the_printed_and_recomputed_lines_side_by_side(tmp_path: Path) -> None:
    path = _json_file(tmp_path, _dump(famiglia_con_casa_2024())[0])
    result = runner.invoke(app, [str(path)])
    assert result.exit_code == 0, result.output
    assert "stampato" in result.output and "ricalcolato" in result.output
    assert "Ricalcolo esatto" in result.output


def test_it_recomputes_a_list_at_another_date_and_gives_json(tmp_path: Path) -> None:
    data = _dump(disabile_2015_con_risparmi(), famiglia_con_casa_2024())
    path = _json_file(tmp_path, data)
    result = runner.invoke(app, [str(path), "--data", "2016-06-01", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["data_ricalcolo"] for r in rows] == ["2016-06-01", "2016-06-01"]
    isee = next(r for r in rows[0]["righe"] if r["codice"] == "isee")
    assert (isee["stampato"], isee["ricalcolato"]) == (4800.0, 3200.0)
    assert rows[0]["esatto"] is True


def test_it_reads_an_inps_attestazione_xml(tmp_path: Path) -> None:
    folder = xsd_dir()
    (c,) = componenti(famiglia_con_casa_2024(), stampato_soltanto=True)
    path = tmp_path / "attestazione.xml"
    path.write_bytes(esporta_attestazione_xml(con_protocollo(c, 3)))
    result = runner.invoke(app, [str(path), "--xsd-dir", str(folder)])
    assert result.exit_code == 0, result.output
    assert "INPS-ISEE-2024-00000003A-00" in result.output


def test_an_xml_without_the_inps_schemas_is_refused_with_exit_code_2(tmp_path: Path) -> None:
    path = tmp_path / "attestazione.xml"
    path.write_text("<Attestazione/>", encoding="utf-8")
    result = runner.invoke(app, [str(path)])
    assert result.exit_code == 2
    assert XSD_ENV in result.output and "Traceback" not in result.output


def test_an_inconsistent_xml_gives_exit_code_1_and_the_element(tmp_path: Path) -> None:
    folder = xsd_dir()
    (c,) = componenti(famiglia_con_casa_2024(), stampato_soltanto=True)
    xml = esporta_attestazione_xml(con_protocollo(c, 3))
    path = tmp_path / "attestazione.xml"
    path.write_bytes(xml.replace(b'ParametroNucleo="2.04"', b'ParametroNucleo="2.46"'))
    result = runner.invoke(app, [str(path), "--xsd-dir", str(folder)])
    assert result.exit_code == 1
    assert "ModalitaCalcoloISEEOrdinario/@ParametroNucleo" in result.output


def test_invalid_components_give_exit_code_1_and_the_field(tmp_path: Path) -> None:
    data = _dump(famiglia_con_casa_2024())[0]
    data["ordinario"]["isee"] = 1.0  # type: ignore[index]
    result = runner.invoke(app, [str(_json_file(tmp_path, data))])
    assert result.exit_code == 1
    assert "ordinario.isee:" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [("ciao", "neither JSON"), ("{ rotto", "not valid JSON (line 1")],
    ids=["unknown", "broken_json"],
)
def test_unusable_files_give_exit_code_2(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "file.txt"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, [str(path)])
    assert result.exit_code == 2
    assert message in result.output


def test_a_missing_file_gives_exit_code_2(tmp_path: Path) -> None:
    result = runner.invoke(app, [str(tmp_path / "nessuno.json")])
    assert result.exit_code == 2
    assert "Cannot read" in result.output


def test_it_recomputes_a_variant_block_with_variante(tmp_path: Path) -> None:
    from equo.isee.attestazione.da_dsu import componenti_da_dsu
    from equo.isee.varianti import Variante
    from tests.isee.test_sociosanitario import _figlio, _pensionata

    dsu = _pensionata(residenziale={"figli_non_compresi": [_figlio("Carlo", 30_000, 2.46)]})
    (c,) = componenti_da_dsu([dsu], varianti=[Variante.RESIDENZE])
    path = tmp_path / "residenze.json"
    path.write_text(c.model_dump_json(), encoding="utf-8")
    result = runner.invoke(app, [str(path), "--variante", "residenze", "--json"])
    assert result.exit_code == 0, result.output
    (payload,) = json.loads(result.stdout)
    assert payload["variante"] == "residenze"
    assert payload["blocco"] == "sociosanitari_residenze[0]"
    assert payload["righe"][-1]["ricalcolato"] == c.sociosanitari_residenze[0].isee
