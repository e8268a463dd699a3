"""A population of nuclei for simulations: their DSUs (when known) and their domanda fields.

Two kinds of population share this shape:

- **synthetic or DSU-based**: ``dsu`` holds the DSU frames of the ISEE engine (one DSU per
  nucleo, ``dsu_id`` = row number) and the ISEE is computed for each scenario, so national
  parameter changes can be simulated;
- **attestazione-based** (past domande with the values of their attestazione): ``dsu`` is
  None and ``nuclei`` carries ``isee``, ``ise``, ``isr``, ``isp``, ``scala_equivalenza``,
  ``data_dsu`` and the composition counts directly; only regulation changes can be simulated.

``nuclei`` has one row per nucleo with ``id_nucleo`` (text, unique) and ``dsu_id`` (Int64, the
row of its DSU, null without DSU), plus any field of the domanda vocabulary
(``equo.regolamenti.vocabolario``): ``comune_residenza``, ``anni_residenza``,
``data_domanda``, ``protocollo``, ``canone_annuo``, ``costo_servizio``, …
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from equo.isee.frames import DsuFrames

__all__ = ["Popolazione"]


@dataclass(frozen=True)
class Popolazione:
    """Nuclei, their DSUs when known, and where the population comes from (``metadati``)."""

    nuclei: pl.DataFrame
    dsu: DsuFrames | None = None
    metadati: Mapping[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return self.nuclei.height

    @property
    def con_dsu(self) -> bool:
        """Whether the ISEE can be recomputed (national parameter changes can be simulated)."""
        return self.dsu is not None
