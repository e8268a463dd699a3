"""The ISEE used for the bonus asilo nido: the assegno unico neutralised (INPS circ. 60/2025).

From 2025 (L. 207/2024 art. 1 c. 206) the assegno unico universale received by the nucleo does
not count in the ISEE used for the bonus asilo nido: INPS subtracts the annual amount divided by
the scala di equivalenza from the ISEE minorenni. Which AUU amounts are netted is an input here
(see ``docs/known-uncertainties.md``).
"""

from __future__ import annotations

import datetime as dt

from equo.isee.parameters import ParameterSet, load_parameters

__all__ = ["isee_nido"]


def isee_nido(
    isee: float,
    scala_equivalenza: float,
    assegno_unico_annuo: float,
    data_presentazione: dt.date,
    *,
    params: ParameterSet | None = None,
) -> float:
    """ISEE for the bonus asilo nido, rounded to the cent, floored at zero.

    >>> isee_nido(40_400, 2.5, 1_500, dt.date(2025, 5, 1))
    39800.0
    """
    if scala_equivalenza <= 0:
        raise ValueError("scala_equivalenza must be positive")
    if assegno_unico_annuo < 0:
        raise ValueError("assegno_unico_annuo cannot be negative")
    params = params or load_parameters()
    if not params["nido.neutralizza_assegno_unico"].at(data_presentazione):
        return round(isee, 2)
    return round(max(isee - assegno_unico_annuo / scala_equivalenza, 0.0), 2)
