"""The generated reference files (JSON Schema, docs/dsu.md, docs/known-uncertainties.md) are in
step with the DSU model and the parameter files, and the user guide's example DSU is valid."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
from pydantic import BaseModel

from equo.isee.explain import explain_dsu
from equo.isee.format import euro
from equo.isee.model import DSU
from equo.isee.parameters import load_parameters
from equo.isee.schema_docs import REGENERATE_COMMAND, generated_files
from equo.isee.vecchio.regole import load_parametri_vecchi

ROOT = Path(__file__).resolve().parents[2]
GENERATED = generated_files()


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


def test_every_uncertain_parameter_is_listed_in_known_uncertainties() -> None:
    text = _read("docs/known-uncertainties.md")
    uncertain = [name for name, p in load_parameters().items() if p.uncertain]
    assert uncertain, "expected at least one parameter marked uncertain"
    missing = [name for name in uncertain if f"`{name}`" not in text]
    assert not missing, f"not in docs/known-uncertainties.md: {missing}"


def test_every_uncertain_old_isee_parameter_is_listed_in_known_uncertainties() -> None:
    text = _read("docs/known-uncertainties.md")
    old_section = text.split("## The old ISEE", 1)[-1]
    uncertain = [name for name, p in load_parametri_vecchi().items() if p.uncertain]
    assert uncertain, "expected at least one old-ISEE parameter marked uncertain"
    missing = [name for name in uncertain if f"`{name}`" not in old_section]
    assert not missing, f"not in the old-ISEE part of docs/known-uncertainties.md: {missing}"
    assert "### Modelling choices of the old ISEE" in old_section


def _field_paths(
    model: type[BaseModel], prefix: str = "", seen: set[type[BaseModel]] | None = None
) -> Iterator[str]:
    """Every field path of ``model`` (lists written ``[]``), independently of the generator.

    A model used in several places (``Redditi``) is documented once, where it first appears.
    """
    seen = set() if seen is None else seen
    seen.add(model)
    for name, field in model.model_fields.items():
        path = prefix + name
        yield path
        annotation: Any = field.annotation
        for candidate in (annotation, *get_args(annotation)):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                if candidate in seen:
                    continue
                index = "[]" if get_origin(annotation) is list else ""
                yield from _field_paths(candidate, f"{path}{index}.", seen)


def test_every_dsu_field_is_documented_in_dsu_md() -> None:
    text = re.sub(r"\[[a-z]\]", "[]", _read("docs/dsu.md"))
    paths = list(_field_paths(DSU))
    assert "componenti[].redditi.pensione" in paths
    missing = [path for path in paths if f"`{path}`" not in text]
    assert not missing, f"not in docs/dsu.md: {missing}"


def test_the_published_schema_is_a_draft_2020_12_schema_of_the_dsu() -> None:
    schema = json.loads(_read("schemas/dsu.schema.json"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/schemas/dsu.schema.json")
    assert list(schema["properties"]) == list(DSU.model_fields)
    pensione = schema["$defs"]["Redditi"]["properties"]["pensione"]
    assert pensione["etichetta"] == "di cui redditi da pensione"
    assert pensione["quadro"]


def test_the_example_dsu_in_the_user_guide_is_valid_and_gives_the_stated_isee() -> None:
    guide = _read("docs/guida/isee.md")
    match = re.search(r"<!-- esempio-dsu.*?-->\s*```json\n(.*?)\n```", guide, re.DOTALL)
    assert match, "docs/guida/isee.md lost its example DSU (the `<!-- esempio-dsu` marker)"
    dsu = DSU.model_validate_json(match.group(1))
    isee = explain_dsu(dsu).isee
    assert f"**ISEE {euro(isee)}**" in guide, (
        f"the guide's example now gives ISEE {euro(isee)}: update docs/guida/isee.md"
    )
