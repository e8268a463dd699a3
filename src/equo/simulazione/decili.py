"""ISEE deciles of the population, from the base's ISEE.

With the ``n`` nuclei that have an ISEE sorted by it, ``x₁ ≤ … ≤ xₙ``, the upper bound of the
``d``-th decile (``d`` = 1…9) is ``c_d = x_⌈d·n/10⌉`` and a nucleo is in the first decile whose
bound is at least its ISEE (the tenth if above ``c₉``). Nuclei with the same ISEE are always in
the same decile, so a decile may hold more or fewer than a tenth. Nuclei without ISEE
(attestazione missing) are in no decile (null: "senza ISEE").
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

__all__ = ["decile", "limiti_decili"]


def limiti_decili(isee: pl.Series) -> list[float]:
    """``[c₁, …, c₉]`` (empty when no nucleo has an ISEE).

    >>> limiti_decili(pl.Series([float(v) for v in range(1, 21)]))
    [2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0]
    """
    valori = isee.drop_nulls().drop_nans().to_numpy()
    n = valori.size
    if n == 0:
        return []
    posizioni = [math.ceil(d * n / 10) - 1 for d in range(1, 10)]
    return [float(v) for v in np.partition(valori, posizioni)[posizioni]]


def decile(isee: pl.Series) -> pl.Series:
    """The decile (1…10, Int8) of each value; null without ISEE.

    >>> decile(pl.Series([2.0, 3.0, None, 1.0, 20.0] + [100.0] * 15)).to_list()[:5]
    [1, 2, None, 1, 2]
    """
    limiti = limiti_decili(isee)
    if not limiti:
        return pl.Series("decile", [None] * isee.len(), dtype=pl.Int8)
    sopra = pl.sum_horizontal([isee > limite for limite in limiti]).cast(pl.Int8)
    return (
        pl.select(pl.when(isee.is_null() | isee.is_nan()).then(None).otherwise(sopra + 1))
        .to_series()
        .alias("decile")
    )
