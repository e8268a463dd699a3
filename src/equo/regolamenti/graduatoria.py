"""The graduatoria and the stanziamento: rank the admitted domande, share the money or places.

Money is shared in whole cents (integers), so that "does the next contributo fit" is exact and
the total assigned never exceeds the stanziamento by a rounding. Places are shared the same way
with one unit per domanda.

Who enters the graduatoria: every admitted domanda, except — when the stanziamento is in euro —
those whose amount is zero (nothing to fund). The order is the document's ``ordine`` followed by
``id_domanda``, so that it is total and the same in every run.

With reserved quotas (``quote_riservate``) each group is first funded from its own quota, in
graduatoria order; then what is left (``residuo: graduatoria_generale``) — the unreserved part
plus the unused quotas — funds what is still unfunded, in the general order; with ``residuo:
non_redistribuito`` only the unreserved part does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

import polars as pl

from equo.regolamenti.documento import Graduatoria, ModoUltimo, Stanziamento, Verso

__all__ = ["Disponibilita", "assegna", "disponibilita", "ordina"]


@dataclass(frozen=True)
class Disponibilita:
    """What can be assigned: in cents (euro stanziamento) or in places."""

    in_euro: bool
    totale: int
    """The stanziamento (cents or places)."""
    riserva: int
    """Held back (cents)."""
    quote: dict[str, int]
    """Reserved share of each group (cents or places)."""

    @property
    def assegnabile(self) -> int:
        """The stanziamento minus the riserva."""
        return self.totale - self.riserva


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def disponibilita(stanziamento: Stanziamento, graduatoria: Graduatoria) -> Disponibilita:
    """The stanziamento in units, after the riserva, with each quota (rounded down).

    >>> from equo.regolamenti.documento import Stanziamento, Graduatoria
    >>> s = Stanziamento(importo=1000, riserva={"percentuale": 10})
    >>> g = Graduatoria(ordine=[{"chiave": "isee", "verso": "crescente"}])
    >>> disponibilita(s, g).assegnabile
    90000
    """
    if stanziamento.importo is not None:
        totale = _floor(Decimal(str(stanziamento.importo)) * 100)
        riserva = 0
        if stanziamento.riserva is not None:
            if stanziamento.riserva.importo is not None:
                riserva = _floor(Decimal(str(stanziamento.riserva.importo)) * 100)
            else:
                share = Decimal(str(stanziamento.riserva.percentuale)) / 100
                riserva = _floor(totale * share)
        in_euro = True
    else:
        totale, riserva, in_euro = stanziamento.posti or 0, 0, False
    quote = {}
    if graduatoria.quote_riservate is not None:
        for quota in graduatoria.quote_riservate.quote:
            share = Decimal(str(quota.percentuale)) / 100
            quote[quota.valore] = _floor((totale - riserva) * share)
    return Disponibilita(in_euro, totale, riserva, quote)


def ordina(
    candidati: pl.DataFrame, graduatoria: Graduatoria, chiavi: Sequence[pl.Expr]
) -> pl.DataFrame:
    """``candidati`` in graduatoria order, with ``posizione`` from 1 (missing values last).

    ``chiavi`` are the compiled keys of ``graduatoria.ordine`` (fields or expressions).
    """
    keys = [*chiavi, pl.col("id_domanda")]
    descending = [key.verso is Verso.decrescente for key in graduatoria.ordine] + [False]
    ordered = candidati.sort(keys, descending=descending, nulls_last=True)
    return ordered.with_columns(posizione=pl.int_range(1, ordered.height + 1, dtype=pl.Int64))


def _allocate(requested: pl.Expr, budget: pl.Expr, modo: ModoUltimo, over: str | None) -> pl.Expr:
    """What each row gets, in the frame's order, of ``budget`` (per group when ``over``)."""

    def grouped(expr: pl.Expr) -> pl.Expr:
        return expr.over(over) if over is not None else expr

    if modo is ModoUltimo.proporzionale:
        total = grouped(requested.sum())
        reduced = (requested * budget) // pl.max_horizontal(total, pl.lit(1))
        return pl.when(total <= budget).then(requested).otherwise(reduced)
    before = grouped(requested.cum_sum()) - requested
    if modo is ModoUltimo.parziale:
        return pl.min_horizontal(requested, (budget - before).clip(lower_bound=0))
    return pl.when(before + requested <= budget).then(requested).otherwise(0)


def assegna(
    ordinati: pl.DataFrame,
    richiesto: str,
    disponibile: Disponibilita,
    graduatoria: Graduatoria,
    modo: ModoUltimo,
) -> pl.DataFrame:
    """Add ``assegnato`` (cents or places) to the ranked ``ordinati``.

    ``richiesto`` names the integer column of what each domanda asks (cents, or 1 place).
    """
    quote = graduatoria.quote_riservate
    frame = ordinati.with_columns(pl.col(richiesto).alias("_richiesto"))
    if quote is None or not disponibile.quote:
        budget = pl.lit(disponibile.assegnabile)
        return frame.with_columns(
            assegnato=_allocate(pl.col("_richiesto"), budget, modo, None)
        ).drop("_richiesto")
    group = pl.col(quote.per).cast(pl.String)
    quota_of_group = group.replace_strict(
        list(disponibile.quote), list(disponibile.quote.values()), default=0, return_dtype=pl.Int64
    )
    frame = frame.with_columns(_gruppo=group.fill_null(""), _quota=quota_of_group)
    first = _allocate(pl.col("_richiesto"), pl.col("_quota"), modo, "_gruppo")
    frame = frame.with_columns(_prima=first)
    reserved_total = sum(disponibile.quote.values())
    if quote.residuo == "graduatoria_generale":
        left = disponibile.assegnabile - int(frame["_prima"].sum())
    else:
        left = disponibile.assegnabile - reserved_total
    outstanding = pl.col("_richiesto") - pl.col("_prima")
    second = _allocate(outstanding, pl.lit(max(left, 0)), modo, None)
    return frame.with_columns(assegnato=pl.col("_prima") + second).drop(
        "_richiesto", "_gruppo", "_quota", "_prima"
    )
