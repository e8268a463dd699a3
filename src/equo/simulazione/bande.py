"""The five bands of gain and loss of a nucleo, computed exactly in cents.

For each nucleo the **beneficio** (what the nucleo is better off by) goes from the base to the
alternative:

- *contributo*: the amount assigned (``importo_assegnato``; zero when not funded): the gain is
  ``alternativa − base``, relative to the base amount;
- *compartecipazione*: the fee paid for the service (``importo_assegnato`` of a funded
  domanda): for a nucleo served in both, the gain is ``base − alternativa`` (a lower fee is a
  gain), relative to the base fee; a nucleo that gets the service only in the alternative
  gains more than 5 %, one that loses it loses more than 5 % (whatever the fee);
- a regolamento without amount (only requisiti and places): gaining or losing access, as for a
  compartecipazione.

With ``g`` the gain and ``r`` the reference, both in whole cents:

====================  ================================================
``invariato``         ``g = 0`` (equal to the cent)
``guadagna_fino_5``   ``g > 0`` and ``100·g ≤ 5·r``
``guadagna_oltre_5``  ``g > 0`` and ``100·g > 5·r`` (always when ``r = 0``)
``perde_fino_5``      ``g < 0`` and ``100·|g| ≤ 5·r``
``perde_oltre_5``     ``g < 0`` and ``100·|g| > 5·r`` (always when ``r = 0``)
====================  ================================================

So exactly 5 % is "fino al 5 %"; from a zero base any gain is "oltre il 5 %" (an infinite
relative change), and a nucleo that did not pay and now pays loses "oltre il 5 %".
"""

from __future__ import annotations

import polars as pl

__all__ = ["BANDA", "BANDE", "GUADAGNI", "PERDITE", "banda", "codice", "etichetta_banda"]

BANDE: tuple[tuple[str, str], ...] = (
    ("perde_oltre_5", "Perde più del 5%"),
    ("perde_fino_5", "Perde fino al 5%"),
    ("invariato", "Nessuna variazione"),
    ("guadagna_fino_5", "Guadagna fino al 5%"),
    ("guadagna_oltre_5", "Guadagna più del 5%"),
)
"""Code and Italian label of each band, from the worst to the best."""

PERDITE = ("perde_oltre_5", "perde_fino_5")
GUADAGNI = ("guadagna_fino_5", "guadagna_oltre_5")
BANDA = pl.Enum([codice for codice, _ in BANDE])
"""The type of the band column (an enumeration: ten times faster to build than text)."""
_SOGLIA_PERCENTO = 5


def etichetta_banda(codice: str) -> str:
    """The Italian label of a band.

    >>> etichetta_banda("perde_fino_5")
    'Perde fino al 5%'
    """
    return dict(BANDE)[codice]


def banda(guadagno: pl.Expr, riferimento: pl.Expr) -> pl.Expr:
    """The band code from the gain and the reference, both integer cents (module docstring).

    >>> g = [0, 500, 501, -500, -501, 1, -1]
    >>> r = [0, 10000, 10000, 10000, 10000, 0, 0]
    >>> df = pl.DataFrame({"g": g, "r": r}).select(banda(pl.col("g"), pl.col("r")))
    >>> for riga in zip(g, r, df["banda"], strict=True):
    ...     print(*riga)
    0 0 invariato
    500 10000 guadagna_fino_5
    501 10000 guadagna_oltre_5
    -500 10000 perde_fino_5
    -501 10000 perde_oltre_5
    1 0 guadagna_oltre_5
    -1 0 perde_oltre_5
    """
    entro = guadagno.abs() * 100 <= riferimento * _SOGLIA_PERCENTO
    return (
        pl.when(guadagno == 0)
        .then(codice("invariato"))
        .when(guadagno > 0)
        .then(pl.when(entro).then(codice("guadagna_fino_5")).otherwise(codice("guadagna_oltre_5")))
        .otherwise(pl.when(entro).then(codice("perde_fino_5")).otherwise(codice("perde_oltre_5")))
        .alias("banda")
    )


def codice(nome: str) -> pl.Expr:
    """A band as a literal of the band column's type."""
    return pl.lit(nome, dtype=BANDA)
