"""The explanation follows the attestazione order and its numbers add up."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

import pytest

from equo.isee.engine import compute
from equo.isee.explain import Spiegazione, explain_dsu
from equo.isee.frames import dsu_frames
from equo.isee.model import DSU
from equo.isee.render import render_text

ESEMPI = sorted(
    (f for f in (resources.files("equo.isee") / "esempi").iterdir() if f.name.endswith(".json")),
    key=lambda f: f.name,
)


def _dsu(name: str) -> DSU:
    item = next(f for f in ESEMPI if f.name == f"{name}.json")
    return DSU.model_validate_json(item.read_text(encoding="utf-8"))


def _righe(s: Spiegazione) -> dict[str, float]:
    return {r.codice: r.valore for sezione in s.sezioni for r in sezione.righe}


ORDER = [
    "somma_redditi",
    "reddito_figurativo",
    "detrazioni_nucleo",
    "isr",
    "patrimonio_mobiliare",
    "franchigia_mobiliare",
    "patrimonio_mobiliare_netto",
    "patrimonio_immobiliare",
    "detrazione_mutui",
    "detrazione_casa_abitazione",
    "patrimonio_immobiliare_netto",
    "isp",
    "ise",
    "scala_parametro_base",
    "maggiorazione_figli",
    "maggiorazione_genitori",
    "maggiorazione_disabilita",
    "scala_equivalenza",
    "isee",
]


@pytest.mark.parametrize("item", ESEMPI, ids=lambda f: f.name)
def test_the_lines_follow_the_order_of_an_attestazione(item: resources.abc.Traversable) -> None:
    s = explain_dsu(DSU.model_validate_json(item.read_text(encoding="utf-8")))
    codes = [r.codice for sezione in s.sezioni for r in sezione.righe if r.codice in ORDER]
    assert codes == ORDER


@pytest.mark.parametrize("item", ESEMPI, ids=lambda f: f.name)
def test_the_lines_add_up_to_the_indicators(item: resources.abc.Traversable) -> None:
    s = explain_dsu(DSU.model_validate_json(item.read_text(encoding="utf-8")))
    r = _righe(s)
    isr = max(r["somma_redditi"] + r["reddito_figurativo"] - r["detrazioni_nucleo"], 0)
    assert s.isr == pytest.approx(isr, abs=0.005)
    mobiliare = max(r["patrimonio_mobiliare"] - r["franchigia_mobiliare"], 0)
    assert r["patrimonio_mobiliare_netto"] == pytest.approx(mobiliare, abs=0.005)
    immobiliare = (
        r["patrimonio_immobiliare"] - r["detrazione_mutui"] - r["detrazione_casa_abitazione"]
    )
    assert r["patrimonio_immobiliare_netto"] == pytest.approx(immobiliare, abs=0.005)
    assert s.isp == pytest.approx(mobiliare + immobiliare, abs=0.005)
    assert s.ise == pytest.approx(s.isr + 0.2 * s.isp, abs=0.01)
    scala = sum(
        r[k]
        for k in (
            "scala_parametro_base",
            "maggiorazione_figli",
            "maggiorazione_genitori",
            "maggiorazione_disabilita",
        )
    )
    assert s.scala_equivalenza == pytest.approx(scala)
    assert s.isee == pytest.approx(s.ise / s.scala_equivalenza, abs=0.01)


@pytest.mark.parametrize("item", ESEMPI, ids=lambda f: f.name)
def test_the_explanation_agrees_with_the_batch_engine(item: resources.abc.Traversable) -> None:
    dsu = DSU.model_validate_json(item.read_text(encoding="utf-8"))
    row = compute(dsu_frames([dsu])).indicatori().row(0, named=True)
    s = explain_dsu(dsu)
    assert (s.isr, s.isp, s.ise, s.isee) == (row["isr"], row["isp"], row["ise"], row["isee"])


def test_each_parameter_shown_has_its_value_at_the_dsu_date_and_a_reference() -> None:
    s = explain_dsu(_dsu("la_stessa_pensionata_nel_2015"))
    used = {p.nome: p for sezione in s.sezioni for r in sezione.righe for p in r.parametri}
    assert used["isr.trattamenti_disabilita_esclusi"].valore is False
    assert used["isr.franchigia_disabilita"].valore["non_autosufficiente"] == 7000
    assert "scala_equivalenza.maggiorazione_disabilita" not in used  # not in force in 2015
    assert all(p.riferimenti and p.riferimenti[0].href for p in used.values())
    later = explain_dsu(_dsu("pensionata_non_autosufficiente_in_affitto_2024"))
    used_later = {p.nome for sezione in later.sezioni for r in sezione.righe for p in r.parametri}
    assert "isr.franchigia_disabilita" not in used_later
    assert "scala_equivalenza.maggiorazione_disabilita" in used_later


def test_the_text_reads_like_an_attestazione() -> None:
    text = render_text(explain_dsu(_dsu("famiglia_numerosa_proprietaria_2025")))
    assert text.startswith("ISEE ordinario – DSU ESEMPIO-2025-0001 presentata il 16/06/2025")
    assert "Redditi dell'anno 2023; patrimonio al 31/12/2023; DSU valida fino al 31/12/2025" in text
    assert "ISEE – Indicatore della situazione economica equivalente" in text
    assert text.rstrip().endswith("scala 3,35)")
    assert "13.273,63 €" in text
    assert "DPCM 159/2013 art. 5 c. 4-bis" in text  # the titoli di Stato exclusion applied


def test_the_validity_follows_the_rules_of_the_dsu_year() -> None:
    s2015 = explain_dsu(_dsu("la_stessa_pensionata_nel_2015"))
    assert s2015.valida_fino_al == dt.date(2016, 1, 15)
    assert (s2015.anno_redditi, s2015.data_patrimonio) == (2013, dt.date(2014, 12, 31))
    s2024 = explain_dsu(_dsu("pensionata_non_autosufficiente_in_affitto_2024"))
    assert s2024.valida_fino_al == dt.date(2024, 12, 31)
    assert (s2024.anno_redditi, s2024.data_patrimonio) == (2022, dt.date(2022, 12, 31))


def test_the_json_form_is_serialisable_and_complete() -> None:
    data = explain_dsu(_dsu("coppia_con_figli_in_affitto_2022")).to_dict()
    text = json.dumps(data, ensure_ascii=False)
    back = json.loads(text)
    assert back["data_presentazione"] == "2022-09-05"
    assert back["isee"] == data["isee"]
    righe = [r for sezione in back["sezioni"] for r in sezione["righe"]]
    assert {"codice", "etichetta", "valore", "calcolo", "riferimento", "parametri"} <= set(righe[0])
