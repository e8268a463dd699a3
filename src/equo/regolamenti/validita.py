"""Whether the attestazione ISEE of a domanda is valid on the domanda's date.

``legale`` (the default of a regolamento) applies the law in force when the DSU was presented,
read from the dated ISEE parameters:

- ``periodi.validita_fino_al_15_gennaio``: until 2018 a DSU was valid to 15 January of the
  next year (DPCM 159/2013 art. 10 c. 1, original text); from 2019 to 31 December of its year
  (DL 4/2019, DL 34/2019 art. 28-bis);
- ``varianti.corrente.validita_mesi``: an ISEE corrente is valid for that many months from its
  presentation (2, then 6 from DL 34/2019 art. 28-bis). "Six months" is read as up to the day
  before the same calendar day six months later — the law's wording does not settle the last
  day (see docs/known-uncertainties.md).

A number of days instead accepts a DSU presented at most that many days before the domanda.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from equo.isee.parameters import Parameter, load_parameters
from equo.regolamenti.documento import Indicatore

__all__ = ["ARTICOLO_VALIDITA_ISEE", "Validita", "validita_attestazione"]

ARTICOLO_VALIDITA_ISEE = "DPCM 159/2013, art. 10, c. 1; D.L. 34/2019, art. 28-bis"
"""Where the legal validity of the attestazione is set."""


@dataclass(frozen=True)
class Validita:
    """The validity condition: its Polars expression, its words and its legal reference."""

    expr: pl.Expr
    sql: str
    descrizione: str
    articolo: str | None


def _dated(parameter: Parameter, day: pl.Expr) -> pl.Expr:
    """The value of ``parameter`` in force on each ``day`` (null before its first date)."""
    result: pl.Expr = pl.lit(None)
    for start, value in parameter.values:
        result = pl.when(day >= pl.lit(start)).then(pl.lit(value)).otherwise(result)
    return result


def validita_attestazione(indicatore: Indicatore) -> Validita:
    """The condition "the attestazione is valid on data_domanda" for ``indicatore``."""
    dsu, domanda = pl.col("data_dsu"), pl.col("data_domanda")
    setting = indicatore.validita_attestazione
    if setting != "legale":
        return Validita(
            expr=(dsu <= domanda) & ((domanda - dsu).dt.total_days() <= setting),
            sql=f"data_dsu <= data_domanda AND data_domanda - data_dsu <= {setting} giorni",
            descrizione=f"DSU presentata non più di {setting} giorni prima della domanda",
            articolo=None,
        )
    params = load_parameters()
    if indicatore.variante == "corrente":
        months = _dated(params["varianti.corrente.validita_mesi"], dsu).cast(pl.Int64)
        end = dsu.dt.offset_by(pl.concat_str(months.cast(pl.String), pl.lit("mo")))
        valid = (dsu <= domanda) & (domanda < end)
        words = "ISEE corrente presentato nei mesi di validità previsti dalla legge"
    else:
        to_15_january = _dated(params["periodi.validita_fino_al_15_gennaio"], dsu)
        year = dsu.dt.year()
        end = pl.when(to_15_january).then(pl.date(year + 1, 1, 15)).otherwise(pl.date(year, 12, 31))
        valid = (dsu <= domanda) & (domanda <= end) & to_15_january.is_not_null()
        words = (
            "DSU valida alla data della domanda (fino al 31 dicembre dell'anno di "
            "presentazione; fino al 15 gennaio successivo per le DSU presentate fino al 2018)"
        )
    return Validita(valid, "validità legale della DSU", words, ARTICOLO_VALIDITA_ISEE)
