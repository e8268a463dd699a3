"""The report: HTML with the summary numbers and no suppressed value, XLSX, JSON, the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from equo.cli import app
from equo.isee.format import euro, numero
from equo.popolazione.file import salva_popolazione
from equo.popolazione.genera import genera_popolazione
from equo.simulazione import carica_scenario, esegui, impatto
from equo.simulazione.impatto import Impatto
from equo.simulazione.rapporto import (
    FILE_RAPPORTO,
    Rapporto,
    Sweep,
    dati_json,
    fogli,
    rendi_html,
    riproducibilita,
    scrivi_rapporto,
)
from tests.simulazione.popolazioni import (
    CONTRIBUTO,
    GRADUATORIA,
    MODIFICHE_CONTRIBUTO,
    scrivi,
    venti,
)

runner = CliRunner()
ESEMPI = Path(__file__).parents[2] / "examples" / "scenari"

_SCENARIO = """\
formato: equo-scenario/1
titolo: Contributo di prova
popolazione: pop.parquet
base: {nome: Base, regolamento: r.yaml}
alternative:
  - nome: Fasce nuove
    modifiche: %s
opzioni: {k_minimo: 3}
"""
MASCHERATI = ("3.010,00", "1.010,00", "144,29", "980,00")
"""Amounts of the Comune 001006 (7 nuclei, 6 funded in the alternative) and of the band
'guadagna più del 5%' (2 nuclei): published with k = 1, masked with k = 3."""


@pytest.fixture
def cartella(tmp_path: Path) -> Path:
    scrivi(tmp_path, "r.yaml", CONTRIBUTO)
    scrivi(tmp_path, "s.yaml", _SCENARIO % json.dumps(MODIFICHE_CONTRIBUTO))
    salva_popolazione(venti(), tmp_path / "pop.parquet")
    return tmp_path


def _rapporto(cartella: Path, k: int) -> Rapporto:
    scenario = carica_scenario(cartella / "s.yaml")
    pop = venti()
    esecuzione = esegui(scenario, pop)
    impatti = tuple(
        impatto(
            esecuzione.base.esiti,
            r.esiti,
            esecuzione.domande,
            k_minimo=k,
            nome_base=scenario.base.nome,
            nome_alternativa=r.configurazione.nome,
        )
        for r in esecuzione.alternative
    )
    rip = riproducibilita(
        scenario,
        popolazione_file=cartella / "pop.parquet",
        metadati_popolazione={"seme": "7"},
        nuclei=len(pop),
        k_minimo=k,
        comando=["equo", "simula", "s.yaml"],
    )
    return Rapporto(scenario.titolo, len(pop), k, impatti, scenario.descrizione, None, rip)


def _testo(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _valore(impatto: Impatto, voce: str, colonna: str) -> float:
    return float(impatto.totali.filter(pl.col("voce") == voce)[colonna][0])


def test_the_html_has_the_summary_numbers(cartella: Path) -> None:
    rapporto = _rapporto(cartella, 3)
    html = rendi_html(rapporto)
    testo = _testo(html)
    (i,) = rapporto.impatti
    sintesi = re.search(r'<p class="sintesi">(.*?)</p>', html, re.S)
    assert sintesi is not None
    frase = " ".join(sintesi.group(1).split())
    assert (
        f"passa da {euro(_valore(i, 'importo_totale', 'base'))} a "
        f"{euro(_valore(i, 'importo_totale', 'alternativa'))}" in frase
    )
    assert euro(_valore(i, "importo_totale", "variazione")) in frase
    beneficiari = (_valore(i, "beneficiari", c) for c in ("base", "alternativa"))
    assert "passano da {} a {}".format(*(numero(v, 0) for v in beneficiari)) in frase
    movimenti = dict(i.movimenti.select("voce", "nuclei").iter_rows())
    assert movimenti["nuovi_beneficiari"] is None  # masked with k = 3: written n.d.
    assert "entrano tra i finanziati n.d. nuclei" in frase
    totale = i.per_comune.filter(pl.col("etichetta") == "Totale").row(0, named=True)
    assert f"guadagnano {totale['guadagnano']} nuclei" in frase
    assert f"perdono {totale['perdono']} nuclei" in frase
    # every table, with its caption, and the reproducibility section
    for titolo in ("Costo e beneficiari", "Impatto per Comune", "Impatto per decile ISEE"):
        assert f"<caption>{titolo}</caption>" in html
    assert '<html lang="it">' in html
    assert 'scope="row"' in html and 'scope="col"' in html
    assert "Riproducibilità" in testo and "r.yaml" in testo and "prova 1" in testo
    assert rapporto.riproducibilita["popolazione"]["sha256"] in html
    assert html.count("<svg") == 3 and html.count("<title id=") == 3


def test_the_html_is_self_contained(cartella: Path) -> None:
    html = rendi_html(_rapporto(cartella, 3))
    assert "<script" not in html
    assert "<link" not in html
    for riferimento in re.findall(r'(?:src|href)\s*=\s*["\']([^"\']*)', html):
        assert riferimento.startswith("#"), riferimento
    assert "@import" not in html and "url(" not in html


def test_a_suppressed_value_appears_nowhere(cartella: Path) -> None:
    aperto = rendi_html(_rapporto(cartella, 1))
    for valore in MASCHERATI:  # the check means something: with k = 1 they are published
        assert valore in aperto
    rapporto = _rapporto(cartella, 3)
    html = rendi_html(rapporto)
    (i,) = rapporto.impatti
    assert i.per_comune.filter(pl.col("comune") == "001006")["importo_alternativa"][0] is None
    for valore in MASCHERATI:
        assert valore not in html
    riga = re.search(r'<th scope="row">001006</th>(.*?)</tr>', html, re.S)
    assert riga is not None and "n.d." in riga.group(1)
    testo_json = json.dumps(dati_json(rapporto))
    for numero_grezzo in ("3010", "1010", "144.29", "980"):
        assert numero_grezzo not in testo_json


def test_the_files_xlsx_and_json(cartella: Path, tmp_path: Path) -> None:
    rapporto = _rapporto(cartella, 3)
    uscita = tmp_path / "out" / "report"
    scritti = scrivi_rapporto(uscita, rapporto)
    assert sorted(p.name for p in uscita.iterdir()) == sorted(FILE_RAPPORTO)
    assert [p.name for p in scritti] == list(FILE_RAPPORTO)
    libro = load_workbook(uscita / "report.xlsx", read_only=True)
    assert libro.sheetnames == fogli(rapporto)
    assert {"Indice", "A1 totali", "A1 bande", "A1 per_comune", "Riproducibilità"} <= set(
        libro.sheetnames
    )
    (i,) = rapporto.impatti
    totali = pl.read_excel(uscita / "report.xlsx", sheet_name="A1 totali", engine="openpyxl")
    assert totali["voce"].to_list() == i.totali["voce"].to_list()
    assert totali["alternativa"].cast(pl.Float64).to_list() == i.totali["alternativa"].to_list()
    righe = list(libro["A1 per_comune"].iter_rows(values_only=True))
    intestazione, *dati = righe
    assert list(intestazione) == i.per_comune.columns
    mascherata = dict(zip(intestazione, dati[0], strict=True))
    assert mascherata["comune"] == "001006" and mascherata["importo_alternativa"] == "n.d."
    rip = dict(libro["Riproducibilità"].iter_rows(min_row=2, values_only=True))
    assert rip["popolazione.seme"] == "7"
    assert rip["k_minimo"] == 3
    dati_letti = json.loads((uscita / "report.json").read_text(encoding="utf-8"))
    assert dati_letti == json.loads(json.dumps(dati_json(rapporto), default=str))
    assert dati_letti["impatti"][0]["totali"] == i.totali.to_dicts()
    assert dati_letti["riproducibilita"]["configurazioni"][0]["regolamento"]["codice"] == "prova"


def test_the_cli_writes_the_report(cartella: Path) -> None:
    uscita = cartella / "rapporto"
    risultato = runner.invoke(
        app, ["simula", str(cartella / "s.yaml"), "--report", str(uscita)], catch_exceptions=False
    )
    assert risultato.exit_code == 0, risultato.output
    assert sorted(p.name for p in uscita.iterdir()) == sorted(FILE_RAPPORTO)
    dati = json.loads((uscita / "report.json").read_text(encoding="utf-8"))
    rip = dati["riproducibilita"]
    assert rip["popolazione"]["file"] == "pop.parquet"
    assert len(rip["popolazione"]["sha256"]) == 64
    assert rip["comando"].startswith("equo simula ") and "--report" in rip["comando"]
    assert [c["ruolo"] for c in rip["configurazioni"]] == ["base", "alternativa"]
    assert rip["configurazioni"][1]["modifiche"] == MODIFICHE_CONTRIBUTO
    assert rip["configurazioni"][1]["regolamento"]["file"] == "r.yaml"


def test_the_cli_writes_nothing_on_error(cartella: Path) -> None:
    # the regolamento reads a field the population does not have
    scrivi(cartella, "r.yaml", CONTRIBUTO.replace("isee <= 10000", "isee <= 10000 AND eta > 1"))
    uscita = cartella / "rapporto"
    risultato = runner.invoke(app, ["simula", str(cartella / "s.yaml"), "--report", str(uscita)])
    assert risultato.exit_code == 1
    assert not uscita.exists()


def test_the_cli_reports_a_folder_it_cannot_write(cartella: Path) -> None:
    occupato = cartella / "file"
    occupato.write_text("x", encoding="utf-8")
    risultato = runner.invoke(app, ["simula", str(cartella / "s.yaml"), "--report", str(occupato)])
    assert risultato.exit_code == 2
    assert occupato.read_text(encoding="utf-8") == "x"


def test_the_sweep_report_has_the_curve(cartella: Path) -> None:
    scrivi(cartella, "r.yaml", CONTRIBUTO + GRADUATORIA)
    uscita = cartella / "rapporto"
    risultato = runner.invoke(
        app,
        [
            "simula",
            "sweep",
            str(cartella / "s.yaml"),
            "--parametro",
            "stanziamento.importo",
            "--da",
            "4000",
            "--a",
            "6000",
            "--passo",
            "1000",
            "--report",
            str(uscita),
        ],
        catch_exceptions=False,
    )
    assert risultato.exit_code == 0, risultato.output
    dati = json.loads((uscita / "report.json").read_text(encoding="utf-8"))
    assert [p["valore"] for p in dati["sweep"]["punti"]] == [4000, 5000, 6000]
    assert dati["riproducibilita"]["sweep"]["passo"] == 1000
    html = (uscita / "report.html").read_text(encoding="utf-8")
    assert "Variazione di un parametro: stanziamento.importo" in html
    assert "Graduatoria: soglia e domande finanziate" in html
    assert "Sweep" in load_workbook(uscita / "report.xlsx", read_only=True).sheetnames


def test_a_sweep_in_the_library(cartella: Path) -> None:
    rapporto = _rapporto(cartella, 3)
    punti = pl.DataFrame(
        {"valore": [1.0, 2.0], "ammessi": [3, 4], "beneficiari": [3, 4]}
        | {"importo_totale": [1234.5, 2345.5], "importo_medio": [411.5, 586.38]}
    )
    html = rendi_html(Rapporto(**{**rapporto.__dict__, "sweep": Sweep("x.y", punti)}))
    assert "2.345,50 €" in html


@pytest.mark.parametrize("esempio", ["asilo_nido_soglia.yaml", "affitto_franchigia_casa.yaml"])
def test_the_examples_run_end_to_end_with_the_report(tmp_path: Path, esempio: str) -> None:
    salva_popolazione(genera_popolazione(2000, seed=1), tmp_path / "p.parquet")
    uscita = tmp_path / "rapporto"
    risultato = runner.invoke(
        app,
        [
            "simula",
            str(ESEMPI / esempio),
            "--popolazione",
            str(tmp_path / "p.parquet"),
            "--report",
            str(uscita),
        ],
        catch_exceptions=False,
    )
    assert risultato.exit_code == 0, risultato.output
    dati = json.loads((uscita / "report.json").read_text(encoding="utf-8"))
    scenario = carica_scenario(ESEMPI / esempio)
    assert [i["alternativa"] for i in dati["impatti"]] == [a.nome for a in scenario.alternative]
    assert dati["riproducibilita"]["popolazione"]["seme"] == "1"
    html = (uscita / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 1 + 2 * len(scenario.alternative)
