"""The scenario document as written: pydantic models of the YAML (``formato: equo-scenario/1``).

The shape only — types, required parts, unknown fields, unique names; what the paths, the
regolamenti and the parameters mean is checked when the scenario is resolved
(:mod:`equo.simulazione.scenario`). ``docs/guida/simulazione.md`` describes every field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["FORMATO", "Alternativa", "Base", "DocumentoScenario", "Opzioni"]

FORMATO = "equo-scenario/1"


class _Parte(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Base(_Parte):
    """The configuration every alternative is compared with."""

    nome: str = Field(min_length=1, description="Name shown in the reports.")
    regolamento: str = Field(min_length=1, description="File, relative to the scenario.")
    parametri: dict[str, Any] = Field(
        default_factory=dict, description="National ISEE parameters: {name: value}."
    )


class Alternativa(_Parte):
    """A configuration compared with the base."""

    nome: str = Field(min_length=1)
    regolamento: str | None = Field(default=None, description="Default: the base's file.")
    modifiche: dict[str, Any] = Field(
        default_factory=dict, description="Changes to the regolamento: {dotted.path: value}."
    )
    parametri: dict[str, Any] = Field(default_factory=dict)
    data: dt.date | None = Field(default=None, description="Default: the scenario's date.")


class Opzioni(_Parte):
    """Options of the run."""

    k_minimo: int = Field(
        default=10, ge=1, description="Published groups of fewer nuclei are masked."
    )


class DocumentoScenario(_Parte):
    """A scenario as written."""

    formato: Literal["equo-scenario/1"]
    titolo: str = Field(min_length=1)
    descrizione: str | None = None
    popolazione: str | None = Field(default=None, description="Population file (Parquet).")
    data: dt.date | None = Field(
        default=None, description="Date of the DSUs and of the domande (default: their own)."
    )
    parametri: dict[str, Any] = Field(
        default_factory=dict,
        description="National ISEE parameters common to every configuration (not overridable).",
    )
    assunzioni: dict[str, Any] = Field(
        default_factory=dict,
        description="Values assumed for domanda fields the population does not have.",
    )
    base: Base
    alternative: list[Alternativa] = Field(min_length=1)
    opzioni: Opzioni = Field(default_factory=Opzioni)

    @model_validator(mode="after")
    def _nomi_unici(self) -> Self:
        visti = {self.base.nome}
        problemi = []
        for i, alternativa in enumerate(self.alternative):
            if alternativa.nome in visti:
                problemi.append(f"alternative[{i}].nome: il nome '{alternativa.nome}' è già usato")
            visti.add(alternativa.nome)
        if problemi:
            raise ValueError("; ".join(problemi))
        return self
