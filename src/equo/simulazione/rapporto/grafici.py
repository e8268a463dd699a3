"""The report's charts: Altair (Vega-Lite) specifications rendered to static SVG.

Each chart is built with Altair and rendered to SVG by ``vl-convert`` (the Vega engine run
in-process, no browser and no network: ``allowed_base_urls=[]``), with the Italian number
format. The SVG is inlined in the HTML with a ``<title>`` and a ``<desc>``: the report is one
static file with no script, readable offline and printable.

Masked cells are never drawn: a masked bar is absent and labelled "n.d."; in the stacked bars
of the five bands the masked segments of a row are drawn as one grey "Riservato" segment, the
row total minus its published segments (a figure the published tables already give), and a
row whose total is masked is not drawn.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence
from typing import Any

import altair as alt
import polars as pl
import vl_convert as vlc

from equo.isee.format import euro, numero
from equo.simulazione.bande import BANDE
from equo.simulazione.impatto import Impatto
from equo.simulazione.rapporto.modello import Sweep

__all__ = [
    "Grafico",
    "grafico_bande",
    "grafico_costi",
    "grafico_decili",
    "grafico_sweep",
    "svg",
]

ND = "n.d."
RISERVATO = "Riservato (n.d.)"
_COLORI = {
    "perde_oltre_5": "#b2182b",
    "perde_fino_5": "#ef8a62",
    "invariato": "#d9d9d9",
    "guadagna_fino_5": "#67a9cf",
    "guadagna_oltre_5": "#2166ac",
}
_GRIGIO = "#6f6f6f"
_LARGHEZZA = 560
_VERSIONE_VL = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
_contatore = itertools.count()


class Grafico:
    """A chart: its specification, a title and a text description (for ``<desc>``)."""

    def __init__(self, spec: alt.TopLevelMixin, titolo: str, descrizione: str) -> None:
        self.spec = spec
        self.titolo = titolo
        self.descrizione = descrizione

    def svg(self) -> str:
        """The chart as inline SVG, with ``role="img"``, ``<title>`` and ``<desc>``."""
        return svg(self.spec.to_dict(), self.titolo, self.descrizione)


def svg(spec: dict[str, Any], titolo: str, descrizione: str) -> str:
    """Render a Vega-Lite ``spec`` to SVG and label it for assistive technology."""
    testo = vlc.vegalite_to_svg(
        spec, vl_version=_VERSIONE_VL, allowed_base_urls=[], format_locale="it-IT"
    )
    n = next(_contatore)
    fine = testo.index(">") + 1
    apertura = testo[: fine - 1]
    etichette = (
        f' role="img" aria-labelledby="grafico-{n}-titolo grafico-{n}-desc"'
        f' style="max-width:100%;height:auto"'
    )
    return (
        f"{apertura}{etichette}>"
        f'<title id="grafico-{n}-titolo">{html.escape(titolo)}</title>'
        f'<desc id="grafico-{n}-desc">{html.escape(descrizione)}</desc>'
        f"{testo[fine:]}"
    )


def _dati(valori: Sequence[dict[str, Any]]) -> alt.Data:
    """Inline data of a chart (rows as dicts; None is a JSON null)."""
    return alt.Data(values=list(valori))  # type: ignore[no-untyped-call]


def _valore(valore: float | None, formato: str) -> str:
    if valore is None:
        return ND
    if formato == "euro":
        return euro(valore)
    if formato == "quota":
        return f"{numero(valore, 1)}%"
    return numero(valore, 0)


def _barre(
    righe: Sequence[dict[str, Any]], titolo_asse: str | None, formato: str, larghezza: int
) -> alt.LayerChart | alt.FacetChart:
    """Horizontal bars of ``valore`` by ``categoria``; masked values labelled "n.d."."""
    dati = [
        {
            **r,
            "posizione": r["valore"] if r["valore"] is not None else 0,
            "testo": _valore(r["valore"], formato),
            "descrizione": f"{r['categoria']}: {_valore(r['valore'], formato)}",
        }
        for r in righe
    ]
    ordine = [r["categoria"] for r in righe]
    y = alt.Y("categoria:N", sort=ordine, title=None, axis=alt.Axis(labelLimit=260))
    base = alt.Chart(_dati(dati)).properties(width=larghezza)
    barre = (
        base.transform_filter("datum.valore != null")
        .mark_bar(color="#0066cc")
        .encode(
            y=y,
            x=alt.X("valore:Q", title=titolo_asse, axis=alt.Axis(format=",.0f")),
            description=alt.Description("descrizione:N"),
        )
    )
    testi = base.mark_text(align="left", dx=4).encode(
        y=y, x=alt.X("posizione:Q"), text=alt.Text("testo:N")
    )
    return alt.layer(barre, testi)


def grafico_costi(impatti: Sequence[Impatto]) -> Grafico:
    """The base and each alternative: the amount (when there is one) and the beneficiaries."""
    primo = impatti[0]

    def righe(voce: str) -> list[dict[str, Any]]:
        valori = {i.alternativa: _voce(i, voce, "alternativa") for i in impatti}
        basi = [v for v in (_voce(i, voce, "base") for i in impatti) if v is not None]
        return [
            {"categoria": primo.base, "valore": basi[0] if basi else None},
            *({"categoria": nome, "valore": v} for nome, v in valori.items()),
        ]

    pannelli = []
    descrizioni = []
    if primo.tipo_importo != "nessuno":
        etichetta = _etichetta(primo, "importo_totale")
        pannelli.append(
            _barre(righe("importo_totale"), None, "euro", 260).properties(title=etichetta)
        )
        descrizioni += [
            f"{r['categoria']}: {_valore(r['valore'], 'euro')}" for r in righe("importo_totale")
        ]
    pannelli.append(
        _barre(righe("beneficiari"), None, "intero", 200).properties(title="Beneficiari")
    )
    descrizioni += [
        f"{r['categoria']}: {_valore(r['valore'], 'intero')} beneficiari"
        for r in righe("beneficiari")
    ]
    spec = alt.vconcat(*pannelli).properties(padding=10)
    return Grafico(
        spec,
        "Costo e beneficiari: base e alternative",
        "; ".join(descrizioni) + ".",
    )


def _voce(impatto: Impatto, voce: str, colonna: str) -> float | None:
    righe = impatto.totali.filter(pl.col("voce") == voce)
    if not righe.height:
        return None
    valore = righe[colonna][0]
    return None if valore is None else float(valore)


def _etichetta(impatto: Impatto, voce: str) -> str:
    righe = impatto.totali.filter(pl.col("voce") == voce)
    return str(righe["etichetta"][0]) if righe.height else voce


def segno_guadagno(tipo_importo: str) -> int:
    """+1 when a higher amount is a gain (contributo), −1 when it is a loss (a fee)."""
    return 1 if tipo_importo == "contributo" else -1


def grafico_decili(impatto: Impatto) -> Grafico:
    """The average gain (+) or loss (−) per nucleo in each ISEE decile."""
    segno = segno_guadagno(impatto.tipo_importo)
    righe = []
    for riga in impatto.per_decile.iter_rows(named=True):
        if riga["etichetta"] == "Totale":
            continue
        media = riga["variazione_media"]
        valore = None if media is None else round(segno * float(media), 2)
        if valore == 0:
            valore = 0.0
        righe.append(
            {
                "categoria": riga["etichetta"],
                "valore": valore,
                "posizione": 0 if valore is None else valore,
                "testo": _valore(valore, "euro"),
                "esito": ND if valore is None else "Guadagno" if valore >= 0 else "Perdita",
                "descrizione": f"{riga['etichetta']}: {_valore(valore, 'euro')}",
            }
        )
    ordine = [r["categoria"] for r in righe]
    x = alt.X("categoria:N", sort=ordine, title="Decile ISEE", axis=alt.Axis(labelAngle=-30))
    base = alt.Chart(_dati(righe)).properties(width=_LARGHEZZA, height=260)
    barre = (
        base.transform_filter("datum.valore != null")
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y(
                "valore:Q",
                title="Guadagno medio per nucleo (euro)",
                axis=alt.Axis(format=",.0f"),
            ),
            color=alt.Color(
                "esito:N",
                scale=alt.Scale(
                    domain=["Guadagno", "Perdita"], range=[_COLORI["guadagna_oltre_5"], "#b2182b"]
                ),
                legend=alt.Legend(title=None, orient="top"),
            ),
            description=alt.Description("descrizione:N"),
        )
    )
    testi = base.mark_text(dy=-6, fontSize=10).encode(
        x=x, y=alt.Y("posizione:Q"), text=alt.Text("testo:N")
    )
    zero = alt.Chart(_dati([{"y": 0}])).mark_rule(color="#333").encode(y="y:Q")
    nota = (
        "una retta più bassa è un guadagno"
        if impatto.tipo_importo != "contributo"
        else "un contributo più alto è un guadagno"
    )
    return Grafico(
        alt.layer(barre, zero, testi),
        f"Guadagno o perdita media per decile ISEE: {impatto.alternativa}",
        f"Guadagno medio per nucleo rispetto a {impatto.base} ({nota}): "
        + "; ".join(r["descrizione"] for r in righe)
        + ".",
    )


def _segmenti(
    categoria: str, quote: dict[str, float | None], totale_visibile: bool
) -> list[dict[str, Any]]:
    """The stacked segments of one row: published bands, then the masked ones together."""
    if not totale_visibile:
        return []
    segmenti: list[dict[str, Any]] = []
    for ordine, (codice, etichetta) in enumerate(BANDE):
        quota = quote.get(codice)
        if quota is None:
            continue
        segmenti.append(
            {
                "categoria": categoria,
                "banda": etichetta,
                "ordine": ordine,
                "quota": quota,
                "descrizione": f"{categoria}, {etichetta}: {_valore(quota, 'quota')}",
            }
        )
    resto = round(100 - sum(float(s["quota"]) for s in segmenti), 6)
    if resto > 1e-6 and any(quote.get(c) is None for c, _ in BANDE):
        segmenti.append(
            {
                "categoria": categoria,
                "banda": RISERVATO,
                "ordine": len(BANDE),
                "quota": resto,
                "descrizione": f"{categoria}: celle riservate",
            }
        )
    return segmenti


def grafico_bande(impatto: Impatto) -> Grafico:
    """Who gains and who loses: the five bands as shares, overall and by ISEE decile."""
    segmenti: list[dict[str, Any]] = []
    categorie: list[str] = []
    non_disegnate: list[str] = []
    bande = {r["banda"]: r for r in impatto.bande.iter_rows(named=True)}
    totale = bande.get(None, {})
    tutti = "Tutti i nuclei"
    categorie.append(tutti)
    righe = _segmenti(
        tutti,
        {c: bande[c]["quota"] for c, _ in BANDE if c in bande},
        totale.get("nuclei") is not None,
    )
    segmenti += righe
    if not righe:
        non_disegnate.append(tutti)
    for riga in impatto.bande_per_decile.iter_rows(named=True):
        if riga["etichetta"] == "Totale":
            continue
        categoria = str(riga["etichetta"])
        categorie.append(categoria)
        n = riga["totale"]
        quote = {c: None if riga[c] is None or not n else riga[c] / n * 100 for c, _ in BANDE}
        righe = _segmenti(categoria, quote, bool(n))
        segmenti += righe
        if not righe:
            non_disegnate.append(categoria)
    dominio = [e for _, e in BANDE] + [RISERVATO]
    colori = [_COLORI[c] for c, _ in BANDE] + [_GRIGIO]
    y = alt.Y("categoria:N", sort=categorie, title=None, axis=alt.Axis(labelLimit=200))
    barre = (
        alt.Chart(_dati(segmenti))
        .mark_bar(stroke="white", strokeWidth=0.5)
        .encode(
            y=y,
            x=alt.X(
                "sum(quota):Q",
                title="Quota dei nuclei (%)",
                scale=alt.Scale(domain=[0, 100]),
                stack="zero",
            ),
            color=alt.Color(
                "banda:N",
                scale=alt.Scale(domain=dominio, range=colori),
                legend=alt.Legend(title=None, orient="bottom", columns=3),
            ),
            order=alt.Order("ordine:Q"),
            description=alt.Description("descrizione:N"),
        )
        .properties(width=_LARGHEZZA)
    )
    mancanti = [
        {"categoria": c, "quota": 0, "testo": "n.d. (totale riservato)"} for c in non_disegnate
    ]
    livelli: list[Any] = [barre]
    if mancanti:
        livelli.append(
            alt.Chart(_dati(mancanti))
            .mark_text(align="left", dx=4)
            .encode(y=y, x=alt.X("quota:Q"), text=alt.Text("testo:N"))
        )
    descrizione = "; ".join(s["descrizione"] for s in segmenti)
    if non_disegnate:
        descrizione += "; non disegnati (totale riservato): " + ", ".join(non_disegnate)
    return Grafico(
        alt.layer(*livelli),
        f"Chi guadagna e chi perde: {impatto.alternativa}",
        f"Quota di nuclei per variazione dell'importo rispetto a {impatto.base}: {descrizione}.",
    )


def grafico_sweep(sweep: Sweep, tipo_importo: str) -> Grafico:
    """Cost and beneficiaries of the base for each value of the swept parameter."""
    dati = [
        {k: v for k, v in r.items() if k in ("valore", "beneficiari", "importo_totale")}
        for r in sweep.punti.iter_rows(named=True)
    ]
    x = alt.X("valore:Q", title=sweep.parametro, axis=alt.Axis(format=",~r"))
    base = alt.Chart(_dati(dati)).properties(width=_LARGHEZZA, height=180)
    pannelli = []
    if tipo_importo != "nessuno":
        titolo = "Rette pagate (euro)" if tipo_importo != "contributo" else "Contributi (euro)"
        pannelli.append(
            base.mark_line(point=True).encode(
                x=x, y=alt.Y("importo_totale:Q", title=titolo, axis=alt.Axis(format=",.0f"))
            )
        )
    pannelli.append(
        base.mark_line(point=True, color="#b2182b").encode(
            x=x, y=alt.Y("beneficiari:Q", title="Beneficiari", axis=alt.Axis(format=",.0f"))
        )
    )
    descrizione = "; ".join(
        f"{numero(float(r['valore']))}: {_valore(r['importo_totale'], 'euro')}, "
        f"{_valore(r['beneficiari'], 'intero')} beneficiari"
        for r in dati
    )
    return Grafico(
        alt.vconcat(*pannelli),
        f"Costo e beneficiari al variare di {sweep.parametro}",
        f"Per ogni valore di {sweep.parametro}: {descrizione}.",
    )
