"""The comparison nucleo by nucleo: what each gets in the base and in the alternative.

One row per domanda of the population (one per nucleo), with:

- ``id_domanda``; ``comune`` (``comune_residenza``, "non indicato" when missing); ``tipologia``
  (:mod:`.tipologie`); ``isee_base`` and ``decile`` (:mod:`.decili`, of the base's ISEE);
- ``ammessa_base``/``ammessa_alternativa`` (``ammissibile``), ``beneficiario_base``/
  ``beneficiario_alternativa`` (``finanziata``: funded, or given the service);
- ``importo_base``/``importo_alternativa``: the amount of the nucleo — the contributo assigned
  (``importo_assegnato``), or the fee paid for the service (compartecipazione); zero when not
  funded; ``variazione = importo_alternativa − importo_base`` (to the cent);
- ``banda`` (:mod:`.bande`; an enumeration, as ``tipologia``), ``entra``/``esce`` (enters or
  leaves the funded set),
  ``posizione_base``/``posizione_alternativa`` (rank in the graduatoria, null outside it).

Amounts are kept in whole cents internally (``*_c`` columns), so sums and bands are exact.
"""

from __future__ import annotations

import polars as pl

from equo.regolamenti.valuta import Esiti
from equo.simulazione.bande import banda, codice
from equo.simulazione.decili import decile
from equo.simulazione.tipologie import tipologia

__all__ = ["COMUNE_NON_INDICATO", "confronta", "tipo_importo"]

COMUNE_NON_INDICATO = "non indicato"


def tipo_importo(esiti: Esiti) -> str:
    """``contributo``, ``compartecipazione`` or ``nessuno`` (a regolamento without amount)."""
    importo = esiti.regolamento.documento.importo
    return "nessuno" if importo is None else importo.tipo.value


def _esiti(esiti: Esiti, suffisso: str) -> pl.DataFrame:
    frame = esiti.frame
    assegnato = pl.col("importo_assegnato") if "importo_assegnato" in frame.columns else pl.lit(0.0)
    posizione = pl.col("posizione") if "posizione" in frame.columns else pl.lit(None, pl.Int64)
    return frame.select(
        pl.col("id_domanda"),
        pl.col("ammissibile").fill_null(False).alias(f"ammessa_{suffisso}"),
        pl.col("finanziata").fill_null(False).alias(f"beneficiario_{suffisso}"),
        (assegnato.fill_null(0.0) * 100).round(0).cast(pl.Int64).alias(f"importo_{suffisso}_c"),
        posizione.cast(pl.Int64).alias(f"posizione_{suffisso}"),
    )


def _allinea(sinistra: pl.DataFrame, destra: pl.DataFrame, cosa: str) -> pl.DataFrame:
    """``destra`` in the row order of ``sinistra`` (by ``id_domanda``); the same domande."""
    if sinistra["id_domanda"].equals(destra["id_domanda"]):
        return destra.drop("id_domanda")
    unite = sinistra.select("id_domanda").join(
        destra, on="id_domanda", how="left", maintain_order="left"
    )
    if sinistra.height != destra.height or unite.height != sinistra.height:
        raise ValueError(f"{cosa}: the domande are not those of the base")
    return unite.drop("id_domanda")


def confronta(base: Esiti, alternativa: Esiti, nuclei: pl.DataFrame) -> pl.DataFrame:
    """The per-nucleo comparison (module docstring); ``nuclei`` is the base's frame of domande."""
    b = _esiti(base, "base")
    a = _allinea(b, _esiti(alternativa, "alternativa"), "alternative")
    colonne = [c for c in ("isee", "comune_residenza", *_COMPOSIZIONE) if c in nuclei.columns]
    info = _allinea(b, nuclei.select("id_domanda", *colonne), "nuclei")
    frame = pl.concat([b, a, info], how="horizontal")
    isee = (
        frame["isee"]
        if "isee" in frame.columns
        else pl.Series([None] * frame.height, dtype=pl.Float64)
    )
    comune = (
        pl.col("comune_residenza").cast(pl.String).fill_null(COMUNE_NON_INDICATO)
        if "comune_residenza" in frame.columns
        else pl.lit(COMUNE_NON_INDICATO)
    )
    frame = frame.with_columns(
        comune.alias("comune"),
        tipologia(frame.columns),
        isee.cast(pl.Float64).alias("isee_base"),
        decile(isee.cast(pl.Float64)),
    )
    return frame.with_columns(_variazioni(tipo_importo(base))).select(_COLONNE)


_COMPOSIZIONE = ("numero_componenti", "numero_minorenni", "numero_disabili", "numero_anziani")
_COLONNE = (
    "id_domanda",
    "comune",
    "tipologia",
    "isee_base",
    "decile",
    "ammessa_base",
    "ammessa_alternativa",
    "beneficiario_base",
    "beneficiario_alternativa",
    "importo_base_c",
    "importo_alternativa_c",
    "importo_base",
    "importo_alternativa",
    "variazione",
    "banda",
    "entra",
    "esce",
    "posizione_base",
    "posizione_alternativa",
)


def _variazioni(tipo: str) -> list[pl.Expr]:
    b, a = pl.col("importo_base_c"), pl.col("importo_alternativa_c")
    servito_b, servito_a = pl.col("beneficiario_base"), pl.col("beneficiario_alternativa")
    if tipo == "contributo":
        fascia = banda(a - b, b)
    else:
        guadagno = (b - a) if tipo == "compartecipazione" else pl.lit(0, pl.Int64)
        fascia = (
            pl.when(servito_a & ~servito_b)
            .then(codice("guadagna_oltre_5"))
            .when(servito_b & ~servito_a)
            .then(codice("perde_oltre_5"))
            .otherwise(banda(guadagno, b))
            .alias("banda")
        )
    return [
        (b / 100).alias("importo_base"),
        (a / 100).alias("importo_alternativa"),
        ((a - b) / 100).alias("variazione"),
        fascia,
        (servito_a & ~servito_b).alias("entra"),
        (servito_b & ~servito_a).alias("esce"),
    ]
