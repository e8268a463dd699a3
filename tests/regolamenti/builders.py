"""Small regolamento documents and domande for tests, built from a base and a few changes."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import polars as pl

from equo.regolamenti import RegolamentoCompilato, compila
from equo.regolamenti.documento import Regolamento

BASE: dict[str, Any] = {
    "formato": "equo-regolamento/1",
    "codice": "prova",
    "versione": "1",
    "titolo": "Regolamento di prova",
    "ente": {"nome": "Comune di Prova"},
    "prestazione": {
        "nome": "Contributo di prova",
        "codice_siuss": "A1.04",
        "area_utenza": "povertà ed esclusione sociale",
    },
    "delibera": {"numero": "1", "data": dt.date(2026, 1, 10)},
    "vigenza": {"dal": dt.date(2026, 1, 1)},
}

DATA_DOMANDA = dt.date(2026, 5, 4)
DATA_DSU = dt.date(2026, 2, 1)


def documento(**changes: Any) -> dict[str, Any]:
    """The base document with top-level ``changes`` (a deep copy)."""
    doc = copy.deepcopy(BASE)
    doc.update(copy.deepcopy(changes))
    return doc


def compilato(**changes: Any) -> RegolamentoCompilato:
    """The base document with ``changes``, validated and compiled."""
    return compila(Regolamento.model_validate(documento(**changes)))


def domande(**columns: list[Any]) -> pl.DataFrame:
    """A frame of domande: ids D1…Dn, dated 4 May 2026 with a valid DSU, plus ``columns``."""
    n = len(next(iter(columns.values())))
    base: dict[str, Any] = {
        "id_domanda": [f"D{i + 1}" for i in range(n)],
        "data_domanda": [DATA_DOMANDA] * n,
        "data_dsu": [DATA_DSU] * n,
    }
    return pl.DataFrame({**base, **columns})
