"""The generated reference files (regolamento JSON Schema, vocabulary page) are in step with the
code, and every bundled example regolamento loads and matches the document model."""

from __future__ import annotations

import difflib
import json
from importlib.resources import files
from pathlib import Path

import pytest
import yaml

from equo.regolamenti import Regolamento, carica
from equo.regolamenti.compila import CAMPI_CALCOLATI, Compilatore
from equo.regolamenti.docs import ESEMPI_SQL, REGENERATE_COMMAND, generated_files
from equo.regolamenti.documento import json_schema
from equo.regolamenti.vocabolario import campi_comuni, gruppi

ROOT = Path(__file__).resolve().parents[2]
GENERATED = generated_files()
ESEMPI = sorted(Path(str(files("equo.regolamenti").joinpath("esempi"))).glob("*.yaml"))


def _read(relative: str) -> str:
    path = ROOT / relative
    if not path.is_file():
        pytest.fail(f"{relative} is missing: run `{REGENERATE_COMMAND}`")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("relative", sorted(GENERATED))
def test_the_committed_file_is_what_the_generator_writes(relative: str) -> None:
    current = _read(relative)
    expected = GENERATED[relative]
    if current != expected:
        diff = difflib.unified_diff(
            current.splitlines(),
            expected.splitlines(),
            f"{relative} (committed)",
            f"{relative} (generated)",
            lineterm="",
        )
        excerpt = "\n".join(list(diff)[:40])
        pytest.fail(
            f"{relative} is out of date: run `{REGENERATE_COMMAND}` and commit the result.\n"
            f"{excerpt}"
        )


def test_the_published_schema_is_valid_json_with_its_id() -> None:
    schema = json.loads(_read("schemas/regolamento.schema.json"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == json_schema()["$id"]
    assert schema["$id"].endswith("/schemas/regolamento.schema.json")
    assert list(schema["properties"]) == list(Regolamento.model_fields)
    assert set(schema["required"]) >= {"formato", "codice", "versione", "vigenza"}


def test_there_are_example_regolamenti() -> None:
    assert len(ESEMPI) >= 2
    assert {p.stem for p in ESEMPI} >= {"asilo_nido", "contributo_affitto"}


@pytest.mark.parametrize("path", ESEMPI, ids=[p.stem for p in ESEMPI])
def test_every_example_loads_and_matches_the_model(path: Path) -> None:
    compilato = carica(path)
    dati = yaml.safe_load(path.read_text(encoding="utf-8"))
    documento = Regolamento.model_validate(dati)
    assert documento == compilato.documento
    assert documento.formato == json_schema()["properties"]["formato"]["const"]
    assert set(dati) <= set(json_schema()["properties"]), "a key the schema does not know"


def test_every_field_of_the_vocabulary_is_documented_in_its_group() -> None:
    text = _read("docs/regolamenti/vocabolario.md")
    for titolo in gruppi().values():
        assert f"## {titolo}" in text
    for nome in campi_comuni():
        assert f"| `{nome}`" in text, nome
    for nome in CAMPI_CALCOLATI:
        assert f"| `{nome}` |" in text, nome


@pytest.mark.parametrize("esempio", [e[2] for e in ESEMPI_SQL])
def test_every_documented_sql_example_compiles_against_the_vocabulary(esempio: str) -> None:
    compilatore = Compilatore(campi_comuni())
    assert compilatore.sql(esempio, ("condizione",), "condizione") is not None
    assert compilatore.problemi == []
