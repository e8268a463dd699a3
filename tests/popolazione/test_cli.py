"""``equo popolazione``: generate a file, check it, import past domande; never a traceback."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from equo.cli import app
from equo.popolazione.file import leggi_metadati, leggi_popolazione

from .test_carica import INTESTAZIONE, RIGHE

runner = CliRunner()


def _invoca(*argomenti: str) -> tuple[int, str]:
    result = runner.invoke(app, ["popolazione", *argomenti])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_genera_writes_a_population_and_prints_the_calibration_check(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    codice, output = _invoca("genera", "--nuclei", "1000", "--seed", "4", "-o", str(path))
    assert codice == 0, output
    assert f"Popolazione di 1.000 nuclei (seme 4, data 2026-03-01) scritta in {path}" in output
    assert "Calibrazione: obiettivo e valore ottenuto" in output
    assert "22,9%" in output  # the target share of one-member nuclei
    pop = leggi_popolazione(path)
    assert len(pop) == 1_000
    assert pop.metadati["seme"] == "4"


def test_genera_takes_the_reference_date_and_the_comuni(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    codice, output = _invoca(
        "genera",
        "--nuclei",
        "1000",
        "-o",
        str(path),
        "--data",
        "2025-05-31",
        "--comuni",
        "001272=2,001099=1",
    )
    assert codice == 0, output
    metadati = leggi_metadati(path)
    assert metadati["data"] == "2025-05-31"
    assert metadati["comuni"] == '{"001272": 2.0, "001099": 1.0}'


def test_genera_refuses_a_bad_date_or_bad_comuni(tmp_path: Path) -> None:
    path = str(tmp_path / "p.parquet")
    codice, output = _invoca("genera", "--nuclei", "10", "-o", path, "--data", "31/05/2025")
    assert codice == 2
    assert "--data 31/05/2025: data non valida, usare AAAA-MM-GG" in output
    codice, output = _invoca("genera", "--nuclei", "10", "-o", path, "--data", "2014-06-30")
    assert codice == 2
    assert "--data 2014-06-30: le DSU del DPCM 159/2013 partono dal 2015-01-01" in output
    codice, output = _invoca("genera", "--nuclei", "10", "-o", path, "--comuni", "001272=x")
    assert codice == 2
    assert "--comuni: '001272=x' non valido" in output
    codice, output = _invoca("genera", "--nuclei", "10", "-o", str(tmp_path / "p.csv"))
    assert codice == 2
    assert "estensione non ammessa: usare .parquet" in output


def test_verifica_checks_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    assert _invoca("genera", "--nuclei", "2000", "--seed", "1", "-o", str(path))[0] == 0
    codice, output = _invoca("verifica", str(path))
    assert "seme: 1" in output
    assert "Nuclei con ISEE superiore a 35.000 euro" in output
    assert codice in (0, 1)
    assert ("Tutti gli obiettivi misurabili sono rispettati." in output) == (codice == 0)


def test_verifica_refuses_a_file_that_is_not_a_population(tmp_path: Path) -> None:
    codice, output = _invoca("verifica", str(tmp_path / "manca.parquet"))
    assert codice == 2
    assert "il file non esiste" in output


def test_importa_without_scarti_writes_nothing_when_a_row_is_bad(tmp_path: Path) -> None:
    domande = tmp_path / "d.csv"
    domande.write_text("\n".join([INTESTAZIONE, *RIGHE]) + "\n", encoding="utf-8")
    output_path = tmp_path / "p.parquet"
    codice, output = _invoca("importa", str(domande), "-o", str(output_path))
    assert codice == 1
    assert "4 righe su 6 non sono valide (10 problemi). Non è stato scritto nulla." in output
    assert "riga 3, colonna ise: valore mancante" in output
    assert not output_path.exists()


def test_importa_with_scarti_writes_the_valid_rows_and_the_rejects(tmp_path: Path) -> None:
    domande = tmp_path / "d.csv"
    domande.write_text("\n".join([INTESTAZIONE, *RIGHE]) + "\n", encoding="utf-8")
    output_path, scarti = tmp_path / "p.parquet", tmp_path / "scarti.csv"
    codice, output = _invoca(
        "importa", str(domande), "-o", str(output_path), "--scarti", str(scarti)
    )
    assert codice == 0, output
    assert "Nuclei importati: 2" in output
    pop = leggi_popolazione(output_path)
    assert pop.dsu is None and len(pop) == 2
    righe = scarti.read_text(encoding="utf-8").splitlines()
    assert righe[0] == "riga,colonna,motivo,valore"
    assert righe[1] == (
        '2,cittadinanza,"valore non ammesso (ammessi: italiana, ue, extra_ue)",marziana'
    )
    assert len(righe) == 11


def test_importa_refuses_a_file_without_the_attestazione_columns(tmp_path: Path) -> None:
    domande = tmp_path / "d.csv"
    domande.write_text("id_nucleo,isee\nA,1\n", encoding="utf-8")
    codice, output = _invoca("importa", str(domande), "-o", str(tmp_path / "p.parquet"))
    assert codice == 2
    assert "mancano le colonne dell'attestazione: ise, isr, isp" in output
