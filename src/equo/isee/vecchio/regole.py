"""The dated parameters of the old ISEE (D.Lgs 109/1998 as rewritten by D.Lgs 130/2000).

They live in ``parameters/`` beside this module, in the same format as the parameters of the
new ISEE, and are loaded with the same loader. Every one of them ends on the same date (the
first DSU date of DPCM 159/2013): :func:`ultimo_giorno` is the day before, the last day the old
rules were in force. :func:`data_regole` is the date at which a DSU resolves them: its own
presentation date if the old rules were then in force, else that last day, so that the old
rules can be applied to a DSU of any date *as they were last in force*.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from equo.isee.parameters import ParameterError, ParameterSet, load_parameters_from

__all__ = ["PARAMETERS_DIR", "data_regole", "load_parametri_vecchi", "ultimo_giorno"]

PARAMETERS_DIR = Path(__file__).parent / "parameters"


@cache
def load_parametri_vecchi() -> ParameterSet:
    """The parameters of the old ISEE shipped with Equo (loaded once per process)."""
    return load_parameters_from(PARAMETERS_DIR)


def ultimo_giorno(params: ParameterSet) -> dt.date:
    """The last day on which every parameter of ``params`` is in force.

    Raises :class:`ParameterError` unless all parameters end (``null``) on the same date.
    """
    ends = {
        name: next((start for start, value in p.values if value is None), None)
        for name, p in params.items()
    }
    distinct = {end for end in ends.values() if end is not None}
    if len(distinct) != 1 or None in ends.values():
        raise ParameterError(
            "every parameter of the old ISEE must end (null) on the same date, got "
            + ", ".join(f"{n}: {e}" for n, e in ends.items())
        )
    return distinct.pop() - dt.timedelta(days=1)


def data_regole(data_presentazione: dt.date, params: ParameterSet) -> dt.date:
    """The date at which a DSU presented on ``data_presentazione`` resolves the old rules."""
    return min(data_presentazione, ultimo_giorno(params))
