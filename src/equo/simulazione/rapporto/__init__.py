"""The simulation report: one self-contained HTML file, plus XLSX and JSON with the same numbers.

:func:`scrivi_rapporto` writes ``report.html``, ``report.xlsx`` and ``report.json`` into a
folder (all or nothing, :mod:`.scrittura`) from a :class:`Rapporto`: the impact of each
alternative (:class:`~equo.simulazione.impatto.Impatto`, publishable tables only), an optional
:class:`Sweep`, and the reproducibility block of :func:`riproducibilita`. The HTML
(:mod:`.html`) has an Italian summary per alternative (:mod:`.sintesi`), the charts
(:mod:`.grafici`: cost and beneficiaries, average gain or loss by decile, the five bands, the
sweep curve) and every table; masked cells stay masked everywhere. ``equo simula S.yaml
--report DIR`` is the command; the guide is ``docs/guida/simulazione.md``.
"""

from equo.simulazione.rapporto.html import rendi_html
from equo.simulazione.rapporto.modello import Rapporto, Sweep, riproducibilita, sha256_file
from equo.simulazione.rapporto.scrittura import (
    FILE_RAPPORTO,
    RapportoNonScrivibile,
    dati_json,
    scrivi_rapporto,
)
from equo.simulazione.rapporto.sintesi import sintesi
from equo.simulazione.rapporto.xlsx import fogli, rendi_xlsx

__all__ = [
    "FILE_RAPPORTO",
    "Rapporto",
    "RapportoNonScrivibile",
    "Sweep",
    "dati_json",
    "fogli",
    "rendi_html",
    "rendi_xlsx",
    "riproducibilita",
    "scrivi_rapporto",
    "sha256_file",
    "sintesi",
]
