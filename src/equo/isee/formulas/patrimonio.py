"""Patrimonio mobiliare and immobiliare, relationship by relationship and property by property.

Both functions take their rows with the parameters of their DSU already attached, and return the
rows with the computed columns; the engine aggregates them per member and per nucleo.
"""

from __future__ import annotations

import polars as pl

from equo.isee.model import RapportoConDichiarante, TipoRapporto

__all__ = ["immobili_netti", "rapporti_netti"]

P = pl.col

_DEPOSITI = [t.value for t in TipoRapporto if t.is_deposito]
_PRIORITA_STRUMENTO = {t.value: t.titoli_priority for t in TipoRapporto}


def _priorita_componente() -> pl.Expr:
    """INPS msg 1895/2025: dichiarante first, then other members by decreasing age, GNC last."""
    return (
        pl.when(P("rapporto") == RapportoConDichiarante.DICHIARANTE.value)
        .then(pl.lit(0, dtype=pl.Int32))
        .when(P("rapporto") == RapportoConDichiarante.GENITORE_NON_CONVIVENTE.value)
        .then(pl.lit(2, dtype=pl.Int32))
        .otherwise(pl.lit(1, dtype=pl.Int32))
    )


def rapporti_netti(rapporti: pl.LazyFrame) -> pl.LazyFrame:
    """Exclude titoli di Stato, BFP and libretti postali up to the cap per nucleo (art. 5 c. 4-bis).

    ``rapporti`` carries, per row, the owner's ``rapporto`` and ``eta`` and the DSU's
    ``isp.esclusione_titoli_stato_massimo`` (null before the rule: nothing excluded). The cap is
    allocated in the INPS order (member priority, then kind of instrument, then declaration
    order) with a running sum per nucleo. Returns the rows with ``titoli_esclusi`` and the
    values net of them: ``saldo_netto``, ``giacenza_netta`` (libretti are reduced on both,
    each down to zero: INPS msg 1895/2025) and ``valore_netto``.
    """
    cap = P("isp.esclusione_titoli_stato_massimo").fill_null(0.0)
    rows = rapporti.with_row_index("_riga").with_columns(
        cap.alias("_cap"), P("titoli_stato").sum().over("dsu_id").alias("_titoli_nucleo")
    )
    # Only a nucleo whose titoli exceed the cap needs the INPS order; the others exclude all.
    contesa = (P("_cap") > 0) & (P("_titoli_nucleo") > P("_cap"))
    gia_esclusi = P("titoli_stato").cum_sum().over("dsu_id") - P("titoli_stato")
    in_ordine = (
        rows.filter(contesa)
        .sort(
            [
                P("dsu_id"),
                _priorita_componente(),
                -P("eta"),
                P("componente_id"),
                P("tipo").replace_strict(_PRIORITA_STRUMENTO, return_dtype=pl.Int32),
                P("_riga"),
            ]
        )
        .select(
            "_riga",
            pl.min_horizontal(
                P("titoli_stato"), pl.max_horizontal(P("_cap") - gia_esclusi, pl.lit(0.0))
            ).alias("_esclusi_in_ordine"),
        )
    )
    ordered = rows.join(in_ordine, on="_riga", how="left", maintain_order="left").with_columns(
        pl.when(P("_cap") == 0)
        .then(pl.lit(0.0))
        .when(contesa)
        .then(P("_esclusi_in_ordine"))
        .otherwise(P("titoli_stato"))
        .alias("titoli_esclusi")
    )
    deposito = P("tipo").is_in(_DEPOSITI)
    return ordered.drop("_riga", "_cap", "_titoli_nucleo", "_esclusi_in_ordine").with_columns(
        pl.when(deposito)
        .then(pl.max_horizontal(P("saldo_31_12") - P("titoli_esclusi"), 0.0))
        .otherwise(0.0)
        .alias("saldo_netto"),
        pl.when(deposito)
        .then(pl.max_horizontal(P("giacenza_media") - P("titoli_esclusi"), 0.0))
        .otherwise(0.0)
        .alias("giacenza_netta"),
        pl.when(deposito)
        .then(pl.lit(0.0))
        .otherwise(P("valore") - P("titoli_esclusi"))
        .alias("valore_netto"),
    )


def immobili_netti(immobili: pl.LazyFrame) -> pl.LazyFrame:
    """Each property's value for the member's share, less its residual mortgage (art. 5 c. 2-3).

    "Si detrae, fino a concorrenza, l'ammontare dell'eventuale debito residuo": the mortgage
    reduces the value of its own property only, down to zero.
    """
    return immobili.with_columns(
        (P("valore_imu") * P("quota_posseduta") / 100.0).alias("valore_quota"),
    ).with_columns(
        pl.max_horizontal(P("valore_quota") - P("mutuo_residuo"), pl.lit(0.0)).alias(
            "valore_netto"
        ),
    )
