"""Attestazioni INPS: what they print, recomputing from it, and the INPS XML format.

- :mod:`.model`: :class:`ComponentiAttestazione`, the printed lines and composition;
- :mod:`.ricalcolo`: :func:`ricalcola` and :func:`spiega_ricalcolo`, with the engine's formulas;
- :mod:`.inps_xml`: import (validated against the INPS XSD, not shipped) and export;
- :mod:`.da_dsu`: the attestazione of a full DSU, computed by the engine.
"""

from equo.isee.attestazione.model import ComponentiAttestazione, QuadroIsee
from equo.isee.attestazione.ricalcolo import confronta, ricalcola, spiega_ricalcolo

__all__ = ["ComponentiAttestazione", "QuadroIsee", "confronta", "ricalcola", "spiega_ricalcolo"]
