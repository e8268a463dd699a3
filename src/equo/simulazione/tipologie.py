"""The type of a nucleo, one per nucleo, from the composition counts of its domanda.

The first rule that holds, in this order:

1. ``con_disabili`` — at least one member with disabilità media, grave or non autosufficienza
   (``numero_disabili ≥ 1``);
2. ``con_minori`` — at least one member under 18 (``numero_minorenni ≥ 1``);
3. ``con_anziani`` — at least one member aged 65 or more (``numero_anziani ≥ 1``);
4. ``persona_sola`` — one member;
5. ``coppia`` — two members (adults under 65: the counts do not say whether they are a couple);
6. ``altro`` — three or more adults under 65;
7. ``non_nota`` — a count is missing (attestazioni without composition).
"""

from __future__ import annotations

import polars as pl

__all__ = ["COLONNE", "TIPO", "TIPOLOGIE", "tipologia"]

TIPOLOGIE: tuple[tuple[str, str], ...] = (
    ("con_disabili", "Con persone con disabilità"),
    ("con_minori", "Con minorenni"),
    ("con_anziani", "Con anziani (65 anni e più)"),
    ("persona_sola", "Persona sola"),
    ("coppia", "Due adulti"),
    ("altro", "Tre o più adulti"),
    ("non_nota", "Composizione non nota"),
)
"""Code and Italian label of each type, in priority order."""

TIPO = pl.Enum([codice for codice, _ in TIPOLOGIE])
"""The type of the column (an enumeration)."""

COLONNE = ("numero_componenti", "numero_minorenni", "numero_disabili", "numero_anziani")
"""The counts the type is derived from (fields of the domanda vocabulary)."""


def tipologia(colonne: list[str] | tuple[str, ...]) -> pl.Expr:
    """The type code of each nucleo, given the columns the frame has.

    >>> df = pl.DataFrame({
    ...     "numero_componenti": [1, 2, 3, 4, 1, None],
    ...     "numero_minorenni": [0, 0, 0, 2, 0, 0],
    ...     "numero_disabili": [0, 0, 0, 1, 0, 0],
    ...     "numero_anziani": [0, 0, 0, 0, 1, 0],
    ... })
    >>> df.select(tipologia(df.columns))["tipologia"].to_list()
    ['persona_sola', 'coppia', 'altro', 'con_disabili', 'con_anziani', 'non_nota']
    """
    if any(c not in colonne for c in COLONNE):
        return _tipo("non_nota").alias("tipologia")
    n, minori, disabili, anziani = (pl.col(c) for c in COLONNE)
    nota = pl.all_horizontal(pl.col(c).is_not_null() for c in COLONNE)
    return (
        pl.when(~nota)
        .then(_tipo("non_nota"))
        .when(disabili >= 1)
        .then(_tipo("con_disabili"))
        .when(minori >= 1)
        .then(_tipo("con_minori"))
        .when(anziani >= 1)
        .then(_tipo("con_anziani"))
        .when(n == 1)
        .then(_tipo("persona_sola"))
        .when(n == 2)
        .then(_tipo("coppia"))
        .otherwise(_tipo("altro"))
        .alias("tipologia")
    )


def _tipo(nome: str) -> pl.Expr:
    return pl.lit(nome, dtype=TIPO)
