"""Compile the conditions and expressions of a regolamento to Polars, checking every field.

Conditions are SQL (``isee <= 15000 AND anni_residenza >= 5``) compiled once with
:func:`polars.sql_expr`. Each is checked against the vocabulary on an empty frame: a field that
does not exist, a text compared with a number, a condition that is not true/false, an amount
that is not a number — each is a :class:`~equo.regolamenti.sorgente.Problema` with file, line
and field, found when the document is loaded, never a silent ``False`` at evaluation time.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl
from polars.exceptions import PolarsError

from equo.regolamenti.vocabolario import Campo, schema_domande

__all__ = [
    "CAMPI_CALCOLATI",
    "Compilatore",
    "EspressioneCompilata",
    "TipoAtteso",
]

CAMPI_CALCOLATI: Mapping[str, pl.DataType] = {
    "punteggio": pl.Float64(),
    "importo": pl.Float64(),
}
"""Fields the evaluation computes, usable as keys of the graduatoria's ``ordine``."""

TipoAtteso = str
"""``"condizione"`` (true/false), ``"numero"`` or ``"chiave"`` (anything that can be sorted)."""

_NUMERIC = (pl.Float64, pl.Float32, pl.Int64, pl.Int32, pl.Int16, pl.Int8, pl.UInt32, pl.UInt64)


@dataclass(frozen=True)
class EspressioneCompilata:
    """A compiled condition or expression: its SQL text, Polars expression and fields used."""

    sql: str
    expr: pl.Expr
    campi: tuple[str, ...]


class Compilatore:
    """Compiles the SQL of one document against its vocabulary, collecting problems.

    ``problema`` receives the path of the field in the document and an Italian message; the
    caller turns it into a :class:`~equo.regolamenti.sorgente.Problema` with the line.
    """

    def __init__(self, campi: Mapping[str, Campo]) -> None:
        self.campi = campi
        self._schema = pl.Schema({**schema_domande(campi), **CAMPI_CALCOLATI})
        self._vuoto = pl.DataFrame(schema=self._schema)
        self.problemi: list[tuple[tuple[int | str, ...], str]] = []

    def _segnala(self, path: tuple[int | str, ...], messaggio: str) -> None:
        self.problemi.append((path, messaggio))

    def campo(
        self, nome: str, path: tuple[int | str, ...], *, numerico: bool = False
    ) -> EspressioneCompilata | None:
        """A field named directly (``su: isee``, ``per: quantita_servizio``)."""
        if nome not in self.campi and nome not in CAMPI_CALCOLATI:
            self._segnala(path, _sconosciuto(nome, self.campi))
            return None
        dtype = self._schema[nome]
        if numerico and not isinstance(dtype, _NUMERIC):
            self._segnala(path, f"il campo '{nome}' non è un numero")
            return None
        return EspressioneCompilata(nome, pl.col(nome), (nome,))

    def sql(
        self,
        testo: str,
        path: tuple[int | str, ...],
        atteso: TipoAtteso,
        *,
        calcolati: bool = False,
    ) -> EspressioneCompilata | None:
        """Compile ``testo``; None (and a problem recorded) if it is not usable."""
        try:
            expr = pl.sql_expr(testo)
        except PolarsError as exc:
            self._segnala(path, f"espressione SQL non valida ({_first_line(exc)}): {testo}")
            return None
        campi = tuple(dict.fromkeys(expr.meta.root_names()))
        allowed = set(self.campi) | (set(CAMPI_CALCOLATI) if calcolati else set())
        unknown = [c for c in campi if c not in allowed]
        if unknown:
            for nome in unknown:
                self._segnala(path, _sconosciuto(nome, self.campi, testo))
            return None
        try:
            # Evaluated (on no rows), not only planned: a text compared with a number fails
            # only when the comparison runs.
            dtype = self._vuoto.select(expr.alias("_")).schema["_"]
        except PolarsError as exc:
            self._segnala(path, f"{_incompatibili(exc)}: {testo}")
            return None
        if atteso == "condizione" and dtype != pl.Boolean:
            self._segnala(path, f"la condizione deve essere vera o falsa, non {_tipo(dtype)}")
            return None
        if atteso == "chiave" and dtype == pl.Null:
            self._segnala(path, "l'espressione non dipende da alcun campo")
            return None
        if atteso == "numero" and not isinstance(dtype, _NUMERIC):
            self._segnala(path, f"l'espressione deve dare un numero, non {_tipo(dtype)}")
            return None
        return EspressioneCompilata(testo, expr, campi)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _tipo(dtype: pl.DataType) -> str:
    names = {pl.Boolean: "vero/falso", pl.String: "un testo", pl.Date: "una data"}
    for kind, name in names.items():
        if dtype == kind:
            return name
    return "un numero" if isinstance(dtype, _NUMERIC) else str(dtype)


_TYPE_ERRORS = (
    (re.compile(r"cannot compare string with numeric"), "confronto tra un testo e un numero"),
    (re.compile(r"arithmetic on .*str"), "calcolo su un campo di testo"),
    (re.compile(r"cannot compare .*date"), "confronto tra una data e un valore non di data"),
)


def _incompatibili(exc: Exception) -> str:
    """Polars' type error in Italian where it is a common one, else quoted."""
    text = _first_line(exc)
    for pattern, italian in _TYPE_ERRORS:
        if pattern.search(text):
            return (
                f"tipi non compatibili: {italian} (i testi vanno tra apici singoli, le date "
                "come DATE 'AAAA-MM-GG')"
            )
    return f"tipi non compatibili ({text})"


def _sconosciuto(nome: str, campi: Mapping[str, Campo], testo: str = "") -> str:
    if f'"{nome}"' in testo:
        return (
            f'"{nome}" tra virgolette doppie è il nome di un campo, che non esiste: per un '
            f"testo usare gli apici singoli ('{nome}')"
        )
    vicini = difflib.get_close_matches(nome, list(campi), n=1)
    suggerimento = f" (forse '{vicini[0]}'?)" if vicini else ""
    return (
        f"campo sconosciuto '{nome}'{suggerimento}: i campi ammessi sono nel vocabolario "
        "(equo regolamento campi) o in campi_domanda"
    )
