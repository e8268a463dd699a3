"""The vocabulary of a domanda: the fields a regolamento may use, with their types.

The common fields are in ``vocabolario.yaml`` (documented in ``docs/regolamenti/
vocabolario.md``); a regolamento adds its own with ``campi_domanda``. The vocabulary is what
makes a typo in a condition an error at load time instead of a silent ``False``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import polars as pl
import yaml

from equo.regolamenti.documento import CampoDomanda, TipoCampo

__all__ = ["DTYPES", "Campo", "campi_comuni", "gruppi", "schema_domande"]

DTYPES: Mapping[TipoCampo, pl.DataType] = {
    TipoCampo.euro: pl.Float64(),
    TipoCampo.numero: pl.Float64(),
    TipoCampo.intero: pl.Int64(),
    TipoCampo.booleano: pl.Boolean(),
    TipoCampo.data: pl.Date(),
    TipoCampo.testo: pl.String(),
}
"""The Polars type of each kind of field."""


@dataclass(frozen=True)
class Campo:
    """One field of the vocabulary."""

    nome: str
    tipo: TipoCampo
    descrizione: str
    gruppo: str
    obbligatorio: bool = False

    @property
    def dtype(self) -> pl.DataType:
        """The Polars type of the column."""
        return DTYPES[self.tipo]


@cache
def _data() -> dict[str, Any]:
    text = files("equo.regolamenti").joinpath("vocabolario.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def gruppi() -> dict[str, str]:
    """Group names and their Italian titles, in documentation order."""
    return dict(_data()["gruppi"])


@cache
def campi_comuni() -> dict[str, Campo]:
    """The fields every domanda may carry, by name."""
    return {
        item["nome"]: Campo(
            nome=item["nome"],
            tipo=TipoCampo(item["tipo"]),
            descrizione=item["descrizione"],
            gruppo=item["gruppo"],
            obbligatorio=bool(item.get("obbligatorio", False)),
        )
        for item in _data()["campi"]
    }


def campi_del_regolamento(aggiunti: Iterable[CampoDomanda]) -> dict[str, Campo]:
    """The common fields plus a regolamento's own ``campi_domanda``."""
    campi = dict(campi_comuni())
    for campo in aggiunti:
        campi[campo.nome] = Campo(campo.nome, campo.tipo, campo.descrizione, "regolamento")
    return campi


def schema_domande(campi: Mapping[str, Campo]) -> pl.Schema:
    """The Polars schema of a frame of domande with every field of ``campi``."""
    return pl.Schema({nome: campo.dtype for nome, campo in campi.items()})
