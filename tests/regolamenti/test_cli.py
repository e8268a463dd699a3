"""``equo regolamento …``: results and Italian errors with file and line, never a traceback."""

from __future__ import annotations

import json
import shutil
from importlib.resources import files
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from equo.cli import app
from equo.regolamenti import carica
from equo.regolamenti.documento import json_schema

runner = CliRunner()
ESEMPI = Path(str(files("equo.regolamenti").joinpath("esempi")))
NIDO = ESEMPI / "asilo_nido.yaml"
AFFITTO = ESEMPI / "contributo_affitto.yaml"
AFFITTO_2027 = ESEMPI / "contributo_affitto_2027.yaml"

# Four domande for the asilo nido: D1 and D2 admitted, D3 too old, D4 not resident.
DOMANDE_NIDO = """\
id_domanda,data_domanda,protocollo,isee,data_dsu,comune_residenza,eta_beneficiario,\
in_regola_vaccinazioni,tempo_parziale,quantita_servizio,ordine_figlio,\
disabilita_beneficiario,nucleo_monogenitore,numero_occupati,numero_figli_minori_3_anni
D1,2026-04-02,1,8000.00,2026-02-03,001013,1,sì,no,11,1,nessuna,false,2,1
D2,2026-04-03,2,3000.00,2026-02-03,001006,0,true,false,10,2,grave,true,1,1
D3,2026-04-04,3,12000.00,2026-02-03,001013,4,true,false,11,1,nessuna,false,2,1
D4,2026-04-05,4,12000.00,2026-02-03,001272,1,true,false,11,1,nessuna,false,2,1
"""


def _invoke(*args: object) -> tuple[int, str]:
    result = runner.invoke(app, ["regolamento", *map(str, args)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def _domande(tmp_path: Path, content: str = DOMANDE_NIDO) -> Path:
    path = tmp_path / "domande.csv"
    path.write_text(content, encoding="utf-8")
    return path


# --- verifica --------------------------------------------------------------------------------


def test_verifica_a_valid_file() -> None:
    code, output = _invoke("verifica", NIDO)
    assert code == 0, output
    assert f"✓ {NIDO}: asilo_nido 2026.1 — valido" in output


def _riga(testo: str, frammento: str) -> int:
    return next(i for i, r in enumerate(testo.splitlines(), start=1) if frammento in r)


def test_verifica_lists_every_problem_with_file_and_line(tmp_path: Path) -> None:
    originale = NIDO.read_text(encoding="utf-8")
    forma = originale.replace('numero: "31"', 'numero: "31"\n  colore: rosso')
    condizione = originale.replace(
        "condizione: eta_beneficiario < 3", "condizione: eta_bambino < 3"
    )
    (tmp_path / "forma.yaml").write_text(forma, encoding="utf-8")
    (tmp_path / "condizione.yaml").write_text(condizione, encoding="utf-8")
    code, output = _invoke("verifica", NIDO, tmp_path / "forma.yaml", tmp_path / "condizione.yaml")
    assert code == 1
    assert f"✓ {NIDO}" in output, "the valid file is still confirmed"
    riga = _riga(forma, "colore: rosso")
    assert f"{tmp_path / 'forma.yaml'}:{riga}: delibera.colore: campo sconosciuto" in output
    riga = _riga(condizione, "eta_bambino")
    assert (
        f"{tmp_path / 'condizione.yaml'}:{riga}: requisiti[1].condizione: "
        "campo sconosciuto 'eta_bambino'"
    ) in output


def test_verifica_checks_the_versions_of_one_regolamento_together(tmp_path: Path) -> None:
    code, output = _invoke("verifica", AFFITTO, AFFITTO_2027)
    assert code == 0, output
    assert "✓ contributo_affitto: 2 versioni, nessuna sovrapposizione delle vigenze" in output
    sovrapposta = tmp_path / "versioni" / "affitto_bis.yaml"
    sovrapposta.parent.mkdir()
    shutil.copy(AFFITTO, sovrapposta.parent / "affitto.yaml")
    testo = AFFITTO_2027.read_text(encoding="utf-8").replace("dal: 2027-01-01", "dal: 2026-12-01")
    sovrapposta.write_text(testo, encoding="utf-8")
    code, output = _invoke("verifica", sovrapposta.parent)
    assert code == 1
    assert f"{sovrapposta}:" in output and "si sovrappone" in output


def test_verifica_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    code, output = _invoke("verifica", tmp_path / "nessuno.yaml")
    assert code == 2
    assert "il file non esiste" in output


# --- valuta ----------------------------------------------------------------------------------


def test_valuta_writes_one_esito_per_domanda_with_the_expected_columns(tmp_path: Path) -> None:
    output = tmp_path / "esiti.csv"
    riepilogo = tmp_path / "riepilogo.json"
    code, text = _invoke("valuta", NIDO, _domande(tmp_path), "-o", output, "--riepilogo", riepilogo)
    assert code == 0, text
    esiti = pl.read_csv(output, schema_overrides={"id_domanda": pl.String})
    requisiti = [c.colonna for c in carica(NIDO).condizioni]
    assert esiti.columns == [
        "id_domanda",
        "esito",
        "ammissibile",
        *requisiti,
        "importo",
        "punteggio",
        "posizione",
        "finanziata",
        "importo_assegnato",
    ]
    assert esiti["id_domanda"].to_list() == ["D1", "D2", "D3", "D4"]
    assert esiti["ammissibile"].to_list() == [True, True, False, False]
    assert esiti["posizione"].to_list() == [2, 1, None, None]
    assert "Domande: 4" in text and "Ammissibili: 2" in text
    assert "Posti: 20; assegnati: 2; liberi: 18" in text
    dati = json.loads(riepilogo.read_text(encoding="utf-8"))
    assert dati["regolamento"] == "asilo_nido"
    assert dati["versioni"][0]["ammissibili"] == 2


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl"])
def test_valuta_with_motivazioni_in_other_formats(tmp_path: Path, suffix: str) -> None:
    output = tmp_path / f"esiti{suffix}"
    code, text = _invoke("valuta", NIDO, _domande(tmp_path), "-o", output, "--motivazioni")
    assert code == 0, text
    esiti = pl.read_parquet(output) if suffix == ".parquet" else pl.read_ndjson(output)
    assert esiti.columns[-1] == "motivazione"
    assert all(isinstance(m, str) and "D" in m for m in esiti["motivazione"].to_list())


def test_valuta_a_bad_value_names_row_and_column_and_writes_nothing(tmp_path: Path) -> None:
    bad = DOMANDE_NIDO.replace("D3,2026-04-04,3,12000.00", "D3,2026-04-04,3,dodicimila")
    output = tmp_path / "esiti.csv"
    output.write_text("esiti precedenti\n", encoding="utf-8")
    code, text = _invoke("valuta", NIDO, _domande(tmp_path, bad), "-o", output)
    assert code == 1
    assert "riga 3, colonna isee: valore non valido 'dodicimila'" in text
    assert "non è stato scritto" in text
    assert output.read_text(encoding="utf-8") == "esiti precedenti\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["domande.csv", "esiti.csv"]


def test_valuta_missing_columns_and_unknown_formats(tmp_path: Path) -> None:
    domande = _domande(tmp_path, "id_domanda,data_domanda\nD1,2026-04-02\n")
    code, text = _invoke("valuta", NIDO, domande, "-o", tmp_path / "esiti.csv")
    assert code == 1
    assert "mancano le colonne richieste dal regolamento asilo_nido 2026.1: " in text
    code, text = _invoke("valuta", NIDO, domande, "-o", tmp_path / "esiti.xlsx")
    assert code == 2
    assert "formato del file degli esiti non riconosciuto (.xlsx)" in text
    code, _ = _invoke("valuta", NIDO, domande)
    assert code == 2, "-o is required"


def test_valuta_with_versions_uses_the_one_in_force_on_each_date(tmp_path: Path) -> None:
    versioni = tmp_path / "versioni"
    versioni.mkdir()
    shutil.copy(AFFITTO, versioni)
    shutil.copy(AFFITTO_2027, versioni)
    header = (
        "id_domanda,data_domanda,protocollo,isee,ise,data_dsu,comune_residenza,"
        "titolo_abitazione,canone_annuo,proprieta_alloggio_adeguato,altri_contributi_abitativi,"
        "numero_minorenni,numero_disabili,numero_anziani,sfratto_in_corso,nucleo_monogenitore"
    )
    riga = "{id},{data},1,15500,20000,{data},001013,locazione,9000,no,0,1,0,0,no,no"
    righe = [
        riga.format(id="A", data="2027-02-01"),
        riga.format(id="B", data="2026-05-04"),
    ]
    output = tmp_path / "esiti.csv"
    code, text = _invoke(
        "valuta", versioni, _domande(tmp_path, "\n".join([header, *righe])), "-o", output
    )
    assert code == 0, text
    esiti = pl.read_csv(output, schema_overrides={"versione": pl.String})
    assert esiti["id_domanda"].to_list() == ["A", "B"]
    assert esiti["versione"].to_list() == ["2027.1", "2026.1"]
    assert esiti["ammissibile"].to_list() == [True, False], "ISEE 15.500: only under 2027.1"
    fuori = riga.format(id="C", data="2025-06-01")
    code, text = _invoke(
        "valuta", versioni, _domande(tmp_path, "\n".join([header, *righe, fuori])), "-o", output
    )
    assert code == 1
    assert "1 domanda ha la data_domanda in un giorno in cui nessuna versione" in text
    assert "C (01/06/2025)" in text


def test_valuta_an_invalid_regolamento(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("formato: equo-regolamento/1\ncodice: X\n", encoding="utf-8")
    code, text = _invoke("valuta", path, _domande(tmp_path), "-o", tmp_path / "e.csv")
    assert code == 1
    assert f"{path}:2: codice:" in text


# --- spiega, diff, campi, schema -------------------------------------------------------------


def test_spiega_prints_the_regolamento_in_italian() -> None:
    code, output = _invoke("spiega", AFFITTO)
    assert code == 0, output
    assert "isee <= 15000" in output


def test_diff_lists_the_changes_one_per_line() -> None:
    code, output = _invoke("diff", AFFITTO, AFFITTO_2027)
    assert code == 0, output
    righe = output.strip().splitlines()
    assert any("isee <= 15000" in r and "isee <= 16000" in r for r in righe)
    assert any("40.000,00 €" in r and "45.000,00 €" in r for r in righe)
    code, output = _invoke("diff", AFFITTO, AFFITTO)
    assert (code, output.strip()) == (0, "Nessuna differenza.")


def test_campi_lists_the_vocabulary_and_a_regolamento_s_own_fields() -> None:
    code, output = _invoke("campi")
    assert code == 0, output
    for text in ("data_domanda", "isee", "euro", "canone_annuo", "L'abitazione"):
        assert text in output
    code, output = _invoke("campi", NIDO)
    assert code == 0, output
    assert "in_regola_vaccinazioni" in output


def test_schema_prints_the_published_json_schema() -> None:
    code, output = _invoke("schema")
    assert code == 0
    assert json.loads(output) == json_schema()
