"""The old ISEE (D.Lgs 109/1998 as rewritten by D.Lgs 130/2000) as its own dated rule set.

- :mod:`~equo.isee.vecchio.regole`: the old parameters (``parameters/``) and the date at which a
  DSU resolves them;
- :mod:`~equo.isee.vecchio.engine`: the vectorized engine on the same DSU frames as the new ISEE;
- :mod:`~equo.isee.vecchio.explain`: the line-by-line explanation, as text or JSON;
- :mod:`~equo.isee.vecchio.ricalcola`: old and new ISEE of one DSU side by side;
- :mod:`~equo.isee.vecchio.cli`: the ``equo isee ricalcola`` command.
"""

from __future__ import annotations

from equo.isee.vecchio.engine import IseeVecchioResult, compute_vecchio, frames_vecchio
from equo.isee.vecchio.explain import SpiegazioneVecchio, explain_vecchio, render_text
from equo.isee.vecchio.regole import data_regole, load_parametri_vecchi, ultimo_giorno
from equo.isee.vecchio.ricalcola import Confronto, Differenza, render_confronto, ricalcola

__all__ = [
    "Confronto",
    "Differenza",
    "IseeVecchioResult",
    "SpiegazioneVecchio",
    "compute_vecchio",
    "data_regole",
    "explain_vecchio",
    "frames_vecchio",
    "load_parametri_vecchi",
    "render_confronto",
    "render_text",
    "ricalcola",
    "ultimo_giorno",
]
