"""The one-way tables of an impact: by Comune, by household type, by ISEE decile.

One row per group (in the order given), then ``Totale``. Columns: ``nuclei``,
``beneficiari_base``, ``beneficiari_alternativa``, ``variazione_beneficiari``, ``importo_base``,
``importo_alternativa``, ``variazione_importo``, ``variazione_media`` (per nucleo of the group),
``nuovi_ammessi``, ``nuovi_esclusi`` and, when asked, ``guadagnano`` and ``perdono`` (nuclei in
the gaining and in the losing bands); ``riservata`` marks a group below k. Cells are masked by
family (:mod:`.soppressione`): the beneficiaries with their amounts; the newly admitted and
excluded together, and with the beneficiaries (their difference is the change of the
beneficiaries when the admitted are the funded).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl

from equo.simulazione.bande import GUADAGNI, PERDITE
from equo.simulazione.soppressione import (
    Famiglia,
    applica_maschere,
    maschera_tabella,
)

__all__ = ["FAMIGLIE", "gruppi"]

BENEFICIARI = (
    "beneficiari_base",
    "beneficiari_alternativa",
    "variazione_beneficiari",
    "importo_base",
    "importo_alternativa",
    "variazione_importo",
)
FAMIGLIE = (
    Famiglia("nuclei", ("nuclei",), ("nuclei",)),
    Famiglia("beneficiari", ("beneficiari_base", "beneficiari_alternativa"), BENEFICIARI),
    # beneficiari_alternativa − beneficiari_base = newly − no longer funded, which are often the
    # newly admitted and excluded: the two counts go together, and with the beneficiaries
    Famiglia(
        "movimenti",
        ("nuovi_ammessi", "nuovi_esclusi"),
        ("nuovi_ammessi", "nuovi_esclusi"),
        con=("beneficiari",),
    ),
)
_FAMIGLIE_BANDE = (
    Famiglia("guadagnano", ("guadagnano",), ("guadagnano",)),
    Famiglia("perdono", ("perdono",), ("perdono",)),
)
_DERIVATE = {"variazione_media": ("nuclei", "beneficiari")}


def _aggregazioni(con_bande: bool) -> list[pl.Expr]:
    b, a = pl.col("importo_base_c"), pl.col("importo_alternativa_c")
    ammessa_b, ammessa_a = pl.col("ammessa_base"), pl.col("ammessa_alternativa")
    espressioni = [
        pl.len().cast(pl.Int64).alias("nuclei"),
        pl.col("beneficiario_base").sum().cast(pl.Int64).alias("beneficiari_base"),
        pl.col("beneficiario_alternativa").sum().cast(pl.Int64).alias("beneficiari_alternativa"),
        b.sum().alias("_base_c"),
        a.sum().alias("_alternativa_c"),
        (ammessa_a & ~ammessa_b).sum().cast(pl.Int64).alias("nuovi_ammessi"),
        (ammessa_b & ~ammessa_a).sum().cast(pl.Int64).alias("nuovi_esclusi"),
    ]
    if con_bande:
        espressioni += [
            pl.col("banda").is_in(GUADAGNI).sum().cast(pl.Int64).alias("guadagnano"),
            pl.col("banda").is_in(PERDITE).sum().cast(pl.Int64).alias("perdono"),
        ]
    return espressioni


def _derivate(frame: pl.DataFrame) -> pl.DataFrame:
    base, alt = pl.col("_base_c"), pl.col("_alternativa_c")
    return frame.with_columns(
        (pl.col("beneficiari_alternativa") - pl.col("beneficiari_base")).alias(
            "variazione_beneficiari"
        ),
        (base / 100).alias("importo_base"),
        (alt / 100).alias("importo_alternativa"),
        ((alt - base) / 100).alias("variazione_importo"),
        ((alt - base) / 100 / pl.col("nuclei")).round(2).alias("variazione_media"),
    ).drop("_base_c", "_alternativa_c")


def gruppi(
    confronto: pl.DataFrame,
    chiave: str,
    ordine: Sequence[Any],
    etichette: Mapping[Any, str],
    *,
    k: int,
    con_bande: bool,
    nascosti: Mapping[str, bool],
    forzate: Mapping[str, np.ndarray] | None = None,
) -> pl.DataFrame:
    """A one-way table by ``chiave`` (rows in ``ordine``, then the total), masked."""
    righe = _derivate(confronto.group_by(chiave).agg(_aggregazioni(con_bande)))
    if isinstance(righe.schema[chiave], pl.Enum):
        righe = righe.with_columns(pl.col(chiave).cast(pl.String))
    presenti = set(righe[chiave].to_list())
    ordinati = [v for v in ordine if v in presenti]
    posizioni = pl.DataFrame(
        {chiave: pl.Series(ordinati, dtype=righe.schema[chiave]), "_ordine": range(len(ordinati))}
    )
    righe = righe.join(posizioni, on=chiave, how="left", nulls_equal=True).sort("_ordine")
    righe = righe.drop("_ordine").with_columns(
        pl.col(chiave)
        .replace_strict(etichette, default=None, return_dtype=pl.String)
        .alias("etichetta")
    )
    famiglie = [*FAMIGLIE, *(_FAMIGLIE_BANDE if con_bande else ())]
    maschere = maschera_tabella(righe, famiglie, k, forzate=forzate, totali_nascosti=nascosti)
    righe = applica_maschere(righe, maschere, famiglie, _DERIVATE, k=k)
    totale = _derivate(confronto.select(_aggregazioni(con_bande))).with_columns(
        pl.lit(None, righe.schema[chiave]).alias(chiave), pl.lit("Totale").alias("etichetta")
    )
    totale = _nascondi_totale(totale, famiglie, nascosti)
    return pl.concat([righe, totale.select(righe.columns)], how="vertical_relaxed")


def _nascondi_totale(
    totale: pl.DataFrame, famiglie: Sequence[Famiglia], nascosti: Mapping[str, bool]
) -> pl.DataFrame:
    colonne = [c for f in famiglie if nascosti.get(f.nome, False) for c in f.colonne]
    if nascosti.get("nuclei", False) or nascosti.get("beneficiari", False):
        colonne.append("variazione_media")
    return totale.with_columns(
        [pl.lit(None, totale.schema[c]).alias(c) for c in colonne],
        riservata=pl.lit(nascosti.get("nuclei", False)),
    )
