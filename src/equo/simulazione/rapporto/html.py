"""The report as one self-contained HTML file (Jinja2, autoescaped; charts as inline SVG).

No script, no stylesheet and no image is loaded from elsewhere: the style is inline and the
charts are SVG (:mod:`.grafici`), so the file opens offline, prints, and passes a strict
Content-Security-Policy. ``lang="it"``, one ``h1``, sections with headings, tables with
``caption`` and ``scope`` on their headers, charts with ``<title>`` and ``<desc>``.
"""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import Markup

from equo.simulazione.rapporto.grafici import (
    grafico_bande,
    grafico_costi,
    grafico_decili,
    grafico_sweep,
)
from equo.simulazione.rapporto.modello import Rapporto
from equo.simulazione.rapporto.sintesi import sintesi
from equo.simulazione.rapporto.tabelle import Tabella, tabella

__all__ = ["rendi_html"]

_AMBIENTE = jinja2.Environment(
    loader=jinja2.PackageLoader("equo.simulazione.rapporto", "modelli"),
    autoescape=True,
    undefined=jinja2.ChainableUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _tabella(t: Tabella) -> Markup:
    return Markup(_AMBIENTE.get_template("tabella.html").render(t=t))  # noqa: S704 - autoescaped template


def rendi_html(rapporto: Rapporto) -> str:
    """The HTML text of ``rapporto`` (module docstring)."""
    alternative: list[dict[str, Any]] = []
    for impatto in rapporto.impatti:
        alternative.append(
            {
                "nome": impatto.alternativa,
                "sintesi": sintesi(impatto),
                "grafico_decili": Markup(grafico_decili(impatto).svg()),  # noqa: S704 - SVG from vl-convert, labels escaped
                "grafico_bande": Markup(grafico_bande(impatto).svg()),  # noqa: S704
                "nota_segno": (
                    "Per un contributo un importo più alto è un guadagno."
                    if impatto.tipo_importo == "contributo"
                    else "Per una retta un importo più basso è un guadagno."
                ),
                "tabelle": [tabella(nome, t) for nome, t in impatto.tabelle().items()],
            }
        )
    sweep = None
    if rapporto.sweep is not None:
        sweep = {
            "parametro": rapporto.sweep.parametro,
            "grafico": Markup(grafico_sweep(rapporto.sweep, rapporto.tipo_importo).svg()),  # noqa: S704
            "tabella": tabella("sweep", rapporto.sweep.punti),
        }
    costi = Markup(grafico_costi(rapporto.impatti).svg()) if rapporto.impatti else ""  # noqa: S704
    return _AMBIENTE.get_template("rapporto.html").render(
        titolo=rapporto.titolo,
        descrizione=rapporto.descrizione,
        nuclei=f"{rapporto.nuclei:,}".replace(",", "."),
        k=rapporto.k_minimo,
        base=rapporto.impatti[0].base if rapporto.impatti else "",
        alternative=alternative,
        grafico_costi=costi,
        sweep=sweep,
        r=rapporto.riproducibilita,
        tabella=_tabella,
    )
