"""ISEE università (DPCM 159/2013 art. 8): is the student autonomous of the parents?

A student not living with the parents belongs to their nucleo unless both conditions of art. 8
c. 2 hold: a) residence outside the family home for at least two years, in housing not owned by
a member of the family; b) an adequate income from lavoro dipendente or assimilato, whose
threshold depends on the anno accademico. :func:`autonomia_studenti` decides it for a frame of
students (one code path for one DSU or a batch); :func:`motivo_universita` turns the decision
into the reason a DSU cannot give the ISEE università, if any.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from equo.isee.parameters import ParameterSet

__all__ = ["SOGLIA", "autonomia_studenti", "motivo_universita"]

P = pl.col
SOGLIA = "varianti.universita.soglia_capacita_reddito"
ANNI = "varianti.universita.anni_residenza_autonoma"
_FIGLI = ("F", "MA", "FC", "FNC")


def autonomia_studenti(students: pl.DataFrame, params: ParameterSet) -> pl.DataFrame:
    """Add ``soglia_capacita_reddito``, ``anni_residenza_richiesti`` and ``studente_autonomo``.

    ``students`` has ``data_presentazione``, ``anno_accademico``, ``anni_residenza_fuori_
    famiglia``, ``abitazione_non_di_familiari`` and ``reddito_lavoro_studente``. The threshold
    is the one in force on 1 August of the year the anno accademico starts.
    """
    timeline = params.timeline()
    inizio = students.select(pl.date(P("anno_accademico"), 8, 1))[:, 0]
    at_year = timeline["valid_from"].search_sorted(inizio, side="right").cast(pl.Int64) - 1
    at_year = pl.select(pl.when(inizio.is_null()).then(None).otherwise(at_year.clip(0))).to_series()
    at_dsu = timeline["valid_from"].search_sorted(students["data_presentazione"], side="right") - 1
    soglia = timeline[SOGLIA].gather(at_year).alias("soglia_capacita_reddito")
    anni = timeline[ANNI].gather(at_dsu).alias("anni_residenza_richiesti")
    return students.with_columns(soglia, anni).with_columns(
        (
            (P("anni_residenza_fuori_famiglia") >= P("anni_residenza_richiesti"))
            & P("abitazione_non_di_familiari")
            & (P("reddito_lavoro_studente") >= P("soglia_capacita_reddito"))
        ).alias("studente_autonomo")
    )


def motivo_universita(
    autonomo: bool | None, rapporto_studente: str | None, day: dt.date
) -> str | None:
    """Why the DSU cannot give the ISEE università of its student (None when it can)."""
    if autonomo is None:
        return (
            f"the ISEE università needs the student (universitario block) in the DSU presented "
            f"on {day}"
        )
    if not autonomo and rapporto_studente == "D":
        return (
            f"the student of the DSU presented on {day} is not autonomous (DPCM 159/2013 art. 8 "
            "c. 2: two years of residence outside the family home, in housing not owned by the "
            "family, and the income threshold): he belongs to his parents' nucleo, so their DSU "
            "is needed, with him as a figlio"
        )
    if autonomo and rapporto_studente in _FIGLI:
        return (
            f"the student of the DSU presented on {day} is autonomous (DPCM 159/2013 art. 8 c. "
            "2): he forms his own nucleo, so his own DSU is needed, with him as dichiarante"
        )
    return None
