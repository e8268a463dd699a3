"""Populations shared by the tests of this folder (generated once per session)."""

from __future__ import annotations

import dataclasses

import pytest

from equo.popolazione.calibrazione import Calibrazione, carica_calibrazione
from equo.popolazione.genera import genera_popolazione
from equo.popolazione.modello import Popolazione

PICCOLA = 1_000
BLOCCO = 1_500
A_BLOCCHI = 4_000


@pytest.fixture(scope="session")
def piccola() -> Popolazione:
    """1,000 nuclei, seed 11."""
    return genera_popolazione(PICCOLA, seed=11)


@pytest.fixture(scope="session")
def a_blocchi_di_1500() -> Calibrazione:
    """The bundled calibration with blocks of 1,500 nuclei, to test the generation by blocks."""
    calibrazione = carica_calibrazione()
    parametri = {**calibrazione.parametri, "blocco": BLOCCO}
    return dataclasses.replace(calibrazione, parametri=parametri)


@pytest.fixture(scope="session")
def a_blocchi(a_blocchi_di_1500: Calibrazione) -> Popolazione:
    """4,000 nuclei generated in blocks of 1,500, 1,500 and 1,000."""
    return genera_popolazione(A_BLOCCHI, seed=5, calibrazione=a_blocchi_di_1500)
