"""``importa`` and ``esporta`` through a small Typer app (the main CLI registers them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
import xmlschema
from typer.testing import CliRunner

from equo.isee.attestazione.da_dsu import componenti_da_dsu
from equo.isee.attestazione.inps_xml import importa_attestazione_xml
from equo.isee.inps.cli import esporta, importa
from equo.isee.inps.dsu_xml import dsu_come_xml, esporta_dsu_xml
from equo.isee.model import DSU
from equo.isee.varianti import Variante
from tests.isee.inps.test_dsu_xml import con_genitori_non_conviventi, xsd_dir
from tests.isee.inps.test_universitario_corrente import studente_e_corrente

PROTOCOLLO = "INPS-ISEE-2025-00000042A-00"

app = typer.Typer()
app.command("importa")(importa)
app.command("esporta")(esporta)
runner = CliRunner()


def _dsu_file(tmp_path: Path) -> Path:
    path = tmp_path / "dsu.json"
    path.write_text(con_genitori_non_conviventi().model_dump_json(), encoding="utf-8")
    return path


def test_importa_prints_the_dsu_json_and_lists_the_avvisi(tmp_path: Path) -> None:
    folder = xsd_dir()
    xml = tmp_path / "dsu.xml"
    xml.write_bytes(esporta_dsu_xml(con_genitori_non_conviventi()))
    result = runner.invoke(app, ["importa", str(xml), "--xsd-dir", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert DSU.model_validate(payload["dsu"]) == dsu_come_xml(con_genitori_non_conviventi())[0]
    assert any("FlagConiugatoConPersonaDiversa" in a for a in payload["avvisi"])

    out = tmp_path / "out" / "dsu.json"
    out.parent.mkdir()
    result = runner.invoke(app, ["importa", str(xml), "--xsd-dir", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "scritta in" in result.stdout and "1 avvisi" in result.stderr
    assert DSU.model_validate_json(out.read_text()) == DSU.model_validate(payload["dsu"])
    assert [p.name for p in out.parent.iterdir()] == ["dsu.json"]  # no temporary left


def test_importa_errors_exit_with_clear_messages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = xsd_dir()
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<Dichiarazione>")
    result = runner.invoke(app, ["importa", str(bad), "--xsd-dir", str(folder)])
    assert result.exit_code == 2 and "line 1, column" in result.stderr
    invalid = tmp_path / "invalid.xml"
    invalid.write_bytes(esporta_dsu_xml(con_genitori_non_conviventi()).replace(b'"001"', b'"7"'))
    result = runner.invoke(app, ["importa", str(invalid), "--xsd-dir", str(folder)])
    assert result.exit_code == 1 and "/Dichiarazione/ModelloBase/Abitazione" in result.stderr
    monkeypatch.delenv("EQUO_INPS_XSD_DIR", raising=False)
    result = runner.invoke(app, ["importa", str(invalid)])
    assert result.exit_code == 2 and "--xsd-dir" in result.stderr
    result = runner.invoke(app, ["importa", str(tmp_path / "missing.xml")])
    assert result.exit_code == 2 and "Cannot read" in result.stderr
    assert "Traceback" not in result.output


def test_esporta_writes_a_valid_attestazione_that_imports_to_the_same_isee(
    tmp_path: Path,
) -> None:
    folder = xsd_dir()
    out = tmp_path / "attestazione.xml"
    args = ["esporta", str(_dsu_file(tmp_path)), "-o", str(out), "--xsd-dir", str(folder)]
    result = runner.invoke(app, [*args, "--protocollo", PROTOCOLLO])
    assert result.exit_code == 0, result.output
    xmlschema.XMLSchema10(str(folder / "ISEE_Attestazione.xsd")).validate(str(out))
    letta = importa_attestazione_xml(out.read_bytes(), xsd_dir=folder)
    atteso = componenti_da_dsu([con_genitori_non_conviventi()])[0].ordinario
    assert letta.ordinario.isee == atteso.isee
    assert letta.protocollo == PROTOCOLLO


def test_esporta_without_an_inps_protocol_points_to_the_option(tmp_path: Path) -> None:
    out = tmp_path / "a.xml"
    args = ["esporta", str(_dsu_file(tmp_path)), "-o", str(out), "--xsd-dir", str(xsd_dir())]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "--protocollo" in result.stderr and not out.exists()


def test_esporta_with_varianti_writes_their_blocks(tmp_path: Path) -> None:
    folder = xsd_dir()
    dsu = studente_e_corrente(anni_residenza_fuori_famiglia=0)  # not autonomous
    path = tmp_path / "dsu.json"
    path.write_text(dsu.model_dump_json(), encoding="utf-8")
    out = tmp_path / "attestazione.xml"
    args = ["esporta", str(path), "-o", str(out), "--xsd-dir", str(folder)]
    args += ["--protocollo", PROTOCOLLO]
    result = runner.invoke(app, [*args, "--variante", "universita", "--variante", "minorenni"])
    assert result.exit_code == 0, result.output
    xmlschema.XMLSchema10(str(folder / "ISEE_Attestazione.xsd")).validate(str(out))
    letta = importa_attestazione_xml(out.read_bytes(), xsd_dir=folder)
    atteso = componenti_da_dsu(
        [dsu.model_copy(update={"protocollo": PROTOCOLLO})],
        stampato_soltanto=True,
        varianti=[Variante.UNIVERSITA, Variante.MINORENNI],
    )[0]
    assert [u.codice_fiscale for u in letta.universitari] == [dsu.componenti[1].codice_fiscale]
    assert letta.universitari[0].isee == atteso.universitari[0].isee
    assert len(letta.minorenni) == 1

    solo = tmp_path / "solo.xml"
    result = runner.invoke(
        app, ["esporta", str(path), "-o", str(solo), "--xsd-dir", str(folder),
              "--protocollo", PROTOCOLLO, "--variante", "universita"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    letta = importa_attestazione_xml(solo.read_bytes(), xsd_dir=folder)
    assert len(letta.universitari) == 1 and letta.minorenni == []


def test_esporta_refuses_varianti_without_a_block_or_not_applicable(tmp_path: Path) -> None:
    folder = xsd_dir()
    out = tmp_path / "a.xml"
    args = ["esporta", str(_dsu_file(tmp_path)), "-o", str(out), "--xsd-dir", str(folder)]
    args += ["--protocollo", PROTOCOLLO]
    result = runner.invoke(app, [*args, "--variante", "corrente"])
    assert result.exit_code == 1 and "no block in the attestazione XML" in result.stderr
    result = runner.invoke(app, [*args, "--variante", "universita"])
    assert result.exit_code == 1 and "universit" in result.stderr
    assert not out.exists() and "Traceback" not in result.output
