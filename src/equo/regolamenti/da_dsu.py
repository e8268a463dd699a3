"""The vocabulary's fields that a DSU gives: the indicator of the regolamento and the nucleo.

A domanda usually carries the values of its attestazione ISEE. When the DSU itself is at hand
(a simulation on a population of DSUs, or a domanda filed with its DSU), :func:`campi_da_dsu`
computes the regolamento's indicator with the ISEE engine (the variant the regolamento names)
and derives the composition of the nucleo, so that the same document evaluates both.

``nucleo_monogenitore`` is derived as "no coniuge in the nucleo and at least one minor child":
the DSU does not say whether the other parent is alive or has recognised the child, so the
domanda's own declaration, when available, is more precise.
"""

from __future__ import annotations

import polars as pl

from equo.isee.engine import compute
from equo.isee.frames import DsuFrames
from equo.isee.model import Disabilita, RapportoConDichiarante, TitoloAbitazione
from equo.isee.parameters import ParameterSet
from equo.isee.varianti import Variante
from equo.regolamenti.documento import Indicatore

__all__ = ["ETA_ANZIANI", "campi_da_dsu"]

ETA_ANZIANI = 65
"""Age from which a member counts in ``numero_anziani`` (the vocabulary's definition)."""

_FIGLI_MINORI = (
    RapportoConDichiarante.FIGLIO_MINORENNE.value,
    RapportoConDichiarante.FIGLIO_AFFIDAMENTO_PREADOTTIVO.value,
)
_DISABILI = (Disabilita.MEDIA.value, Disabilita.GRAVE.value, Disabilita.NON_AUTOSUFFICIENTE.value)
# The figlio maggiorenne non convivente a carico IRPEF belongs to the nucleo (DPCM 159/2013
# art. 3 c. 2); the genitore non convivente does not (he adds a componente aggiuntiva).
_NON_IN_NUCLEO = (RapportoConDichiarante.GENITORE_NON_CONVIVENTE.value,)
_MAGGIORE_ETA = "isr.eta_maggiore_eta"


def _composizione(componenti: pl.DataFrame, maggiore_eta: pl.DataFrame) -> pl.DataFrame:
    """Per DSU: counts of members by age, disability, work, and the single-parent flag.

    ``maggiore_eta`` gives, per ``dsu_id``, the age of majority in force at the DSU date (the
    ISEE parameter ``isr.eta_maggiore_eta``).
    """
    members = componenti.filter(~pl.col("rapporto").is_in(_NON_IN_NUCLEO)).join(
        maggiore_eta, on="dsu_id", how="left"
    )
    eta, rapporto = pl.col("eta"), pl.col("rapporto")
    figlio = rapporto.is_in(_FIGLI_MINORI)
    return members.group_by("dsu_id").agg(
        numero_componenti=pl.len().cast(pl.Int64),
        numero_minorenni=(eta < pl.col(_MAGGIORE_ETA)).sum().cast(pl.Int64),
        numero_figli_minori_3_anni=(figlio & (eta < 3)).sum().cast(pl.Int64),
        numero_disabili=pl.col("disabilita").is_in(_DISABILI).sum().cast(pl.Int64),
        numero_non_autosufficienti=(pl.col("disabilita") == Disabilita.NON_AUTOSUFFICIENTE.value)
        .sum()
        .cast(pl.Int64),
        numero_anziani=(eta >= ETA_ANZIANI).sum().cast(pl.Int64),
        numero_occupati=pl.col("attivita_lavorativa_6_mesi").fill_null(False).sum().cast(pl.Int64),
        nucleo_monogenitore=(rapporto == RapportoConDichiarante.CONIUGE.value).sum().eq(0)
        & figlio.any(),
    )


def campi_da_dsu(
    frames: DsuFrames, indicatore: Indicatore, *, params: ParameterSet | None = None
) -> pl.DataFrame:
    """One row per DSU (``dsu_id``, ``protocollo_dsu``) with the fields a DSU gives.

    Columns: ``data_dsu``, ``isee``, ``ise``, ``isr``, ``isp``, ``scala_equivalenza`` (of the
    variant ``indicatore.variante``), the composition of the nucleo, ``titolo_abitazione`` and
    ``canone_annuo``. Raises the engine's ``VariantNotApplicableError`` if the variant does not
    exist for a DSU, and ``ValueError`` if the indicator is not the ISEE.
    """
    if indicatore.tipo != "isee":
        raise ValueError(f"the indicator '{indicatore.descrizione}' is not computed from a DSU")
    result = compute(frames, params=params, variante=Variante(indicatore.variante))
    indicatori = result.indicatori().select(
        "dsu_id",
        pl.col("protocollo").alias("protocollo_dsu"),
        pl.col("data_presentazione").alias("data_dsu"),
        "isee",
        "ise",
        "isr",
        "isp",
        "scala_equivalenza",
    )
    abitazione = frames.nuclei.select(
        "dsu_id",
        pl.col("titolo_abitazione").fill_null(TitoloAbitazione.ALTRO.value),
        pl.col("canone_annuo").fill_null(0.0),
    )
    return (
        indicatori.join(
            _composizione(frames.componenti, result.nuclei.select("dsu_id", _MAGGIORE_ETA)),
            on="dsu_id",
            how="left",
        )
        .join(abitazione, on="dsu_id", how="left")
        .sort("dsu_id")
    )
