"""The tables of the five bands: overall (``bande``) and by ISEE decile (``bande_per_decile``).

``bande``: ``banda``, ``etichetta``, ``nuclei``, ``quota`` (% of the nuclei),
``variazione_totale`` and ``variazione_media`` of the amount (alternativa − base), then
``Totale``. ``bande_per_decile``: ``decile`` (null: without ISEE, or the total), ``etichetta``,
one count column per band, ``totale``. The counts of the second, its margins, the grand total
and the numbers of nuclei that gain and that lose are masked together as one system of
equations (:func:`~equo.simulazione.soppressione.maschera_incrocio`); the first table takes its
counts' masks from the margins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from equo.simulazione.bande import BANDE, GUADAGNI, PERDITE
from equo.simulazione.soppressione import (
    Famiglia,
    Incrocio,
    applica_maschere,
    maschera_incrocio,
    maschera_tabella,
)

__all__ = ["bande", "bande_per_decile", "etichetta_decile"]


def bande_per_decile(
    confronto: pl.DataFrame, decili: Sequence[int | None], k: int
) -> tuple[pl.DataFrame, Incrocio]:
    codici = [codice for codice, _ in BANDE]
    conteggi = (
        confronto.group_by("decile", "banda")
        .len()
        .with_columns(pl.col("banda").cast(pl.String))
        .pivot(on="banda", index="decile", values="len")
    )
    for codice in codici:
        if codice not in conteggi.columns:
            conteggi = conteggi.with_columns(pl.lit(0, pl.UInt32).alias(codice))
    ordine = pl.DataFrame(
        {"decile": pl.Series(list(decili), dtype=pl.Int8), "_ordine": range(len(decili))}
    )
    conteggi = (
        ordine.join(conteggi, on="decile", how="left", nulls_equal=True)
        .sort("_ordine")
        .select("decile", *[pl.col(c).fill_null(0).cast(pl.Int64) for c in codici])
    )
    matrice = conteggi.select(codici).to_numpy().astype(np.int64)
    indici = {codice: j for j, codice in enumerate(codici)}
    somme = ([indici[b] for b in GUADAGNI], [indici[b] for b in PERDITE])
    maschere = maschera_incrocio(matrice, k, somme)
    celle = {
        codice: pl.Series(
            codice,
            [None if maschere.celle[i, j] else int(matrice[i, j]) for i in range(len(decili))],
            dtype=pl.Int64,
        )
        for j, codice in enumerate(codici)
    }
    righe = pl.DataFrame({"decile": conteggi["decile"], **celle}).with_columns(
        etichetta=pl.Series([etichetta_decile(d) for d in decili], dtype=pl.String),
        totale=pl.Series(
            [None if maschere.righe[i] else int(matrice[i].sum()) for i in range(len(decili))],
            dtype=pl.Int64,
        ),
    )
    totale = {
        codice: None if maschere.colonne[j] else int(matrice[:, j].sum())
        for j, codice in enumerate(codici)
    }
    ultima = pl.DataFrame(
        {
            "decile": pl.Series([None], dtype=pl.Int8),
            **{c: pl.Series([v], dtype=pl.Int64) for c, v in totale.items()},
            "etichetta": ["Totale"],
            "totale": pl.Series([None if maschere.totale else int(matrice.sum())], dtype=pl.Int64),
        }
    )
    tabella = pl.concat([righe, ultima.select(righe.columns)]).select(
        "decile", "etichetta", *codici, "totale"
    )
    return tabella, maschere


def etichetta_decile(decile: int | None) -> str:
    return "Senza ISEE" if decile is None else f"{decile}° decile"


def bande(
    confronto: pl.DataFrame, incrocio: Incrocio, nascosti: Mapping[str, bool], k: int
) -> pl.DataFrame:
    codici = [codice for codice, _ in BANDE]
    per_banda = (
        confronto.group_by("banda")
        .agg(
            pl.len().cast(pl.Int64).alias("nuclei"),
            (pl.col("importo_alternativa_c") - pl.col("importo_base_c")).sum().alias("_var_c"),
        )
        .with_columns(pl.col("banda").cast(pl.String))
    )
    righe = (
        pl.DataFrame({"banda": codici, "etichetta": [e for _, e in BANDE]})
        .join(per_banda, on="banda", how="left", maintain_order="left")
        .with_columns(pl.col("nuclei").fill_null(0), pl.col("_var_c").fill_null(0))
    )
    n = max(confronto.height, 1)
    righe = righe.with_columns(
        (pl.col("nuclei") / n * 100).round(2).alias("quota"),
        (pl.col("_var_c") / 100).alias("variazione_totale"),
        pl.when(pl.col("nuclei") > 0)
        .then((pl.col("_var_c") / 100 / pl.col("nuclei")).round(2))
        .alias("variazione_media"),
    ).drop("_var_c")
    famiglie = (
        Famiglia("nuclei", ("nuclei",), ("nuclei",)),
        Famiglia("variazione", ("nuclei",), ("variazione_totale",)),
    )
    invariato = np.array([c == "invariato" for c in codici])
    maschere = maschera_tabella(
        righe,
        famiglie,
        k,
        forzate={"nuclei": incrocio.colonne},
        note={"variazione": invariato},
        totali_nascosti={"nuclei": incrocio.totale, "variazione": nascosti["beneficiari"]},
    )
    derivate = {"quota": ("nuclei",), "variazione_media": ("nuclei", "variazione")}
    righe = applica_maschere(righe, maschere, famiglie, derivate, k=k)
    var_totale = int(confronto["importo_alternativa_c"].sum()) - int(
        confronto["importo_base_c"].sum()
    )
    totale = pl.DataFrame(
        {
            "banda": [None],
            "etichetta": ["Totale"],
            "nuclei": [None if incrocio.totale else confronto.height],
            "quota": [None if incrocio.totale else 100.0],
            "variazione_totale": [None if nascosti["beneficiari"] else var_totale / 100],
            "variazione_media": [
                None
                if nascosti["beneficiari"] or incrocio.totale or not confronto.height
                else round(var_totale / 100 / confronto.height, 2)
            ],
            "riservata": [incrocio.totale],
        }
    )
    return pl.concat([righe, totale.select(righe.columns)], how="vertical_relaxed")
