"""``equo isee ricalcola``: the old and the new ISEE of a DSU, side by side.

The function is registered on the ``isee`` Typer app by :mod:`equo.isee.cli`'s owner; it is a
plain Typer command function so that tests can register it on an app of their own.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from equo.isee.cli import read_dsu
from equo.isee.vecchio.ricalcola import render_confronto
from equo.isee.vecchio.ricalcola import ricalcola as ricalcola_dsu

__all__ = ["ricalcola"]


def ricalcola(
    dsu: Annotated[Path, typer.Argument(help="File JSON della DSU (vedi `equo isee schema`).")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Confronto in JSON, con le due spiegazioni complete.")
    ] = False,
) -> None:
    """Ricalcola una DSU con le regole del vecchio ISEE (D.Lgs 109/1998) e la confronta con il
    nuovo (DPCM 159/2013), riga per riga."""
    confronto = ricalcola_dsu(read_dsu(dsu))
    if as_json:
        sys.stdout.write(json.dumps(confronto.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_confronto(confronto) + "\n")
