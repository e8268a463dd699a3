"""The part of a population a sweep of national parameters needs to recompute.

A national ISEE parameter changes the indicators (``isee``, ``ise``, ``isr``, ``isp``,
``scala_equivalenza``) and nothing else a domanda carries: the composition, the dwelling, the
dates do not depend on it. A domanda that fails a requisito not reading the indicators fails it
at every value of the parameter, is never admitted, and changes neither the cost nor the
graduatoria: its DSU need not be recomputed. :func:`riduci` keeps the other nuclei and their
DSUs (:func:`sottoinsieme`, ids renumbered as the engine wants them).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from equo.isee.frames import DsuFrames
from equo.popolazione.modello import Popolazione
from equo.regolamenti.valuta import prepara_domande
from equo.simulazione.esegui import CacheIsee, domande
from equo.simulazione.scenario import Configurazione

__all__ = ["INDICATORI", "riduci", "sottoinsieme"]

INDICATORI = frozenset({"isee", "ise", "isr", "isp", "scala_equivalenza"})
"""The fields of a domanda that national ISEE parameters change."""


def sottoinsieme(frames: DsuFrames, scelti: npt.NDArray[np.int64]) -> DsuFrames | None:
    """The DSUs ``scelti`` (sorted, distinct ``dsu_id``), renumbered from 0.

    None when the frames carry parts this does not renumber (figli non compresi, ISEE corrente,
    figli given with their own DSU): the caller then keeps the whole population.
    """
    ausiliari = (
        frames.figli_non_compresi,
        frames.redditi_correnti,
        frames.rapporti_correnti,
        frames.immobili_correnti,
    )
    if any(f.height for f in ausiliari) or frames.figli_dati is not None:
        return None
    nuovo = np.full(len(frames), -1, dtype=np.int64)
    nuovo[scelti] = np.arange(scelti.size)
    dsu_dei_componenti = nuovo[frames.componenti["dsu_id"].to_numpy()]
    tenuti = dsu_dei_componenti >= 0
    nuovo_componente = np.full(tenuti.size, -1, dtype=np.int64)
    nuovo_componente[tenuti] = np.arange(int(tenuti.sum()))
    studente = frames.nuclei["studente_id"][scelti]
    studente_nuovo = pl.Series(
        "studente_id", nuovo_componente[studente.fill_null(0).to_numpy()], dtype=pl.Int64
    )
    nuclei = frames.nuclei[scelti].with_columns(
        dsu_id=pl.int_range(scelti.size, dtype=pl.Int64, eager=True),
        studente_id=pl.when(studente.is_null()).then(None).otherwise(studente_nuovo),
    )
    componenti = frames.componenti.filter(pl.Series(tenuti)).with_columns(
        componente_id=pl.int_range(int(tenuti.sum()), dtype=pl.Int64, eager=True),
        dsu_id=pl.Series(dsu_dei_componenti[tenuti]),
    )

    def per_componente(frame: pl.DataFrame) -> pl.DataFrame:
        componente = nuovo_componente[frame["componente_id"].to_numpy()]
        tieni = componente >= 0
        return frame.filter(pl.Series(tieni)).with_columns(
            dsu_id=pl.Series(nuovo[frame["dsu_id"].to_numpy()][tieni], dtype=pl.Int64),
            componente_id=pl.Series(componente[tieni], dtype=pl.Int64),
        )

    return DsuFrames(
        nuclei=nuclei,
        componenti=componenti,
        rapporti=per_componente(frames.rapporti),
        immobili=per_componente(frames.immobili),
    )


def riduci(base: Configurazione, popolazione: Popolazione, cache: CacheIsee) -> Popolazione:
    """The nuclei that meet every requisito of ``base`` not reading the indicators, with their
    DSUs (the whole population when nothing can be set aside)."""
    frames = popolazione.dsu
    compilato = base.regolamento
    condizioni = [
        c.expr.fill_null(False) for c in compilato.condizioni if not set(c.campi) & INDICATORI
    ]
    if frames is None or not condizioni:
        return popolazione
    frame = domande(popolazione, base, cache)
    colonne = [c for c in dict.fromkeys(["id_domanda", *compilato.campi_usati])]
    if any(c not in frame.columns for c in colonne):
        return popolazione  # the evaluation will say what is missing
    preparato = prepara_domande(compilato, frame.select(colonne))
    tenuti = preparato.select(pl.all_horizontal(condizioni)).to_series().fill_null(False)
    nuclei = popolazione.nuclei.filter(tenuti)
    scelti = np.unique(nuclei["dsu_id"].drop_nulls().to_numpy()).astype(np.int64)
    ridotti = sottoinsieme(frames, scelti)
    if ridotti is None:
        return popolazione
    nuovo = np.full(len(frames), -1, dtype=np.int64)
    nuovo[scelti] = np.arange(scelti.size)
    dsu_id = nuclei["dsu_id"]
    rinumerati = pl.Series(nuovo[dsu_id.fill_null(0).to_numpy()], dtype=pl.Int64)
    nuclei = nuclei.with_columns(dsu_id=pl.when(dsu_id.is_null()).then(None).otherwise(rinumerati))
    return Popolazione(nuclei=nuclei, dsu=ridotti, metadati=popolazione.metadati)
