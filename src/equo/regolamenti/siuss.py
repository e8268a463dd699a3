"""Labels of the SIUSS list of prestazioni (``tipo_categoria_prestazione_siuss``).

A regolamento names its prestazione by SIUSS code (``A1.05.01``); the label table,
``dati/prestazioni_siuss.csv`` (columns ``codice,etichetta``), turns the code into the words a
reader understands.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib.resources import files

__all__ = ["etichetta_siuss"]


@cache
def _etichette() -> dict[str, str]:
    """The whole table, code → label, read once."""
    testo = files("equo.regolamenti").joinpath("dati/prestazioni_siuss.csv").read_text("utf-8")
    return {riga["codice"]: riga["etichetta"] for riga in csv.DictReader(io.StringIO(testo))}


def etichetta_siuss(codice: str) -> str | None:
    """The label of a SIUSS prestazione code, or None if the code is not in the list.

    >>> etichetta_siuss("A1.05.01")
    'Contributi economici per affitti erogati dai Comuni'
    >>> etichetta_siuss("Z9.99") is None
    True
    """
    return _etichette().get(codice)
