"""Explain the old ISEE of one DSU line by line, in the style of :mod:`equo.isee.explain`.

:func:`explain_vecchio` computes one DSU with :func:`~equo.isee.vecchio.engine.compute_vecchio`
(``detail=True``) and returns a :class:`SpiegazioneVecchio`: the same :class:`Sezione` and
:class:`Riga` as the new ISEE's explanation (value, computation with its numbers, article,
parameters with value and references, detail per member or property), plus the date at which the
old rules were resolved and the notes on what is approximated or left out.
:func:`render_text` prints it as Italian text; :meth:`SpiegazioneVecchio.to_dict` gives JSON.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from equo.isee.explain import ParametroUsato, Riga, Sezione
from equo.isee.format import euro, numero, percentuale
from equo.isee.model import DSU, TipoImmobile
from equo.isee.parameters import ParameterSet
from equo.isee.render import render_riga
from equo.isee.vecchio.engine import NOTA_APPROSSIMAZIONE, compute_vecchio, frames_vecchio
from equo.isee.vecchio.regole import load_parametri_vecchi, ultimo_giorno

__all__ = ["SpiegazioneVecchio", "explain_vecchio", "render_text"]

DLGS = "D.Lgs 109/1998"


@dataclass(frozen=True)
class SpiegazioneVecchio:
    """The whole explanation of one DSU's old ISEE."""

    protocollo: str | None
    data_presentazione: dt.date
    data_regole: dt.date
    anno_redditi: int
    data_patrimonio: dt.date
    isr: float
    isp: float
    ise: float
    scala_equivalenza: float
    isee: float
    approssimato: bool
    note: tuple[str, ...] = ()
    sezioni: tuple[Sezione, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings)."""
        data = asdict(self)
        for key in ("data_presentazione", "data_regole", "data_patrimonio"):
            data[key] = data[key].isoformat()
        return data


class _Context:
    def __init__(self, dsu: DSU, params: ParameterSet) -> None:
        result = compute_vecchio(frames_vecchio([dsu]), params=params, detail=True)
        self.row: dict[str, Any] = result.nuclei.row(0, named=True)
        self.componenti = result.componenti
        self.immobili = result.immobili
        self.dsu = dsu
        self.params = params
        self.day: dt.date = self.row["data_regole"]

    def __getitem__(self, column: str) -> Any:
        return self.row[column]

    def p(self, name: str) -> Any:
        return self.params[name].at(self.day)

    def parametri(self, *names: str) -> tuple[ParametroUsato, ...]:
        return tuple(
            ParametroUsato(
                nome=name,
                etichetta=self.params[name].label,
                valore=self.params[name].at(self.day),
                unita=self.params[name].unit,
                riferimenti=self.params[name].references,
            )
            for name in names
        )

    def chi(self, componente_id: int) -> str:
        member = self.dsu.componenti[componente_id]  # one DSU: ids are positions
        return f"{member.codice_fiscale} ({member.rapporto.value})"


def explain_vecchio(dsu: DSU, *, params: ParameterSet | None = None) -> SpiegazioneVecchio:
    """Compute and explain the old ISEE of one DSU, with the old rules at min(DSU date, last day
    of the old rules)."""
    params = params or load_parametri_vecchi()
    ctx = _Context(dsu, params)
    return SpiegazioneVecchio(
        protocollo=dsu.protocollo,
        data_presentazione=dsu.data_presentazione,
        data_regole=ctx.day,
        anno_redditi=ctx["anno_redditi"],
        data_patrimonio=ctx["data_patrimonio"],
        isr=ctx["isr"],
        isp=ctx["isp"],
        ise=ctx["ise"],
        scala_equivalenza=ctx["scala_equivalenza"],
        isee=ctx["isee"],
        approssimato=ctx["approssimato"],
        note=_note(ctx, ultimo_giorno(params)),
        sezioni=(
            Sezione("Situazione reddituale (ISR)", _redditi(ctx)),
            Sezione("Patrimonio mobiliare", _mobiliare(ctx)),
            Sezione("Patrimonio immobiliare", _immobiliare(ctx)),
            Sezione("Indicatori (ISP e ISE)", _indicatori(ctx)),
            Sezione("Scala di equivalenza e ISEE", _scala(ctx)),
        ),
    )


def _note(ctx: _Context, ultimo: dt.date) -> tuple[str, ...]:
    note = []
    if ctx.dsu.data_presentazione > ultimo:
        note.append(
            f"Regole del vecchio ISEE come erano in vigore l'ultimo giorno, il "
            f"{ultimo:%d/%m/%Y}: la DSU è del {ctx.dsu.data_presentazione:%d/%m/%Y}, quando "
            "valeva già il DPCM 159/2013. I dati sono quelli dichiarati nella DSU (redditi e "
            "patrimonio dei periodi della DSU nuova)."
        )
    if ctx["approssimato"]:
        n = ctx["n_immobili_approssimati"]
        note.append(
            f"{NOTA_APPROSSIMAZIONE[0].upper()}{NOTA_APPROSSIMAZIONE[1:]} "
            f"({n} {'immobile' if n == 1 else 'immobili'} senza valore_ici). Indicate "
            "valore_ici nella DSU per un risultato esatto."
        )
    if ctx["redditi_non_considerati"]:
        note.append(
            f"Redditi dichiarati fuori dal reddito complessivo IRPEF "
            f"({euro(ctx['redditi_non_considerati'])}): il vecchio ISEE non li considera."
        )
    return tuple(note)


def _redditi(ctx: _Context) -> tuple[Riga, ...]:
    dettaglio = [
        f"{ctx.chi(m['componente_id'])}: reddito complessivo IRPEF {euro(m['reddito_irpef'])}"
        + (
            f" (non considerati: altri redditi {euro(m['redditi_non_considerati'])})"
            if m["redditi_non_considerati"]
            else ""
        )
        for m in ctx.componenti.iter_rows(named=True)
    ]
    canone = (
        f"canone {euro(ctx['canone_annuo'])}, detraibile fino a "
        f"{euro(ctx.p('isr.detrazione_canone_massimo'))} e fino a concorrenza del reddito"
        if ctx["titolo_abitazione"] == "locazione"
        else "nessuna: il nucleo non è in locazione"
    )
    return (
        Riga(
            "somma_redditi",
            "Somma dei redditi complessivi IRPEF dei componenti",
            ctx["somma_redditi"],
            "Σ reddito complessivo ai fini IRPEF; nessuna detrazione per componente, nessun "
            "reddito esente o a imposta sostitutiva",
            f"{DLGS} Tabella 1 parte I",
            dettaglio=tuple(dettaglio),
        ),
        Riga(
            "reddito_figurativo",
            "Rendimento del patrimonio mobiliare",
            ctx["reddito_figurativo"],
            f"{percentuale(ctx['tasso_reddito_figurativo'])} × "
            f"{euro(ctx['patrimonio_mobiliare'])} (tutto il patrimonio mobiliare, depositi "
            "compresi, prima della franchigia)",
            f"{DLGS} Tabella 1 parte I",
            parametri=ctx.parametri("reddito_figurativo.rendimento_titoli_decennali"),
        ),
        Riga(
            "detrazione_canone",
            "Detrazione del canone di locazione",
            ctx["detrazione_canone"],
            canone,
            f"{DLGS} Tabella 1 parte I",
            parametri=ctx.parametri("isr.detrazione_canone_massimo"),
        ),
        Riga(
            "isr",
            "ISR – Indicatore della situazione reddituale",
            ctx["isr"],
            f"{euro(ctx['somma_redditi'])} + {euro(ctx['reddito_figurativo'])} − "
            f"{euro(ctx['detrazione_canone'])}",
            f"{DLGS} art. 2 e Tabella 1 parte I",
        ),
    )


def _mobiliare(ctx: _Context) -> tuple[Riga, ...]:
    dettaglio = [
        f"{ctx.chi(m['componente_id'])}: depositi e conti (saldi al 31/12) "
        f"{euro(m['depositi_saldo'])}; altri rapporti {euro(m['altri_mobiliari'])}"
        for m in ctx.componenti.iter_rows(named=True)
        if m["patrimonio_mobiliare_componente"]
    ]
    return (
        Riga(
            "patrimonio_mobiliare",
            "Patrimonio mobiliare del nucleo",
            ctx["patrimonio_mobiliare"],
            "Σ saldi al 31/12 dei depositi e conti e valori degli altri rapporti (senza "
            "giacenza media e senza esclusione dei titoli di Stato)",
            f"{DLGS} Tabella 1 parte II",
            dettaglio=tuple(dettaglio),
        ),
        Riga(
            "franchigia_mobiliare",
            "Franchigia sul patrimonio mobiliare",
            ctx["isp.franchigia_mobiliare"],
            "importo fisso, uguale per ogni nucleo (L. 30.000.000)",
            f"{DLGS} Tabella 1 parte II",
            parametri=ctx.parametri("isp.franchigia_mobiliare"),
        ),
        Riga(
            "patrimonio_mobiliare_netto",
            "Patrimonio mobiliare rilevante",
            ctx["patrimonio_mobiliare_netto"],
            f"{euro(ctx['patrimonio_mobiliare'])} − {euro(ctx['isp.franchigia_mobiliare'])}, "
            "non inferiore a zero",
            f"{DLGS} Tabella 1 parte II",
        ),
    )


def _immobiliare(ctx: _Context) -> tuple[Riga, ...]:
    dettaglio = []
    for im in ctx.immobili.iter_rows(named=True):
        kind = TipoImmobile(im["tipo"]).value.replace("_", " ")
        casa = ", casa di abitazione" if im["casa_abitazione"] else ""
        if im["approssimato"]:
            fonte = (
                f"valore ICI stimato {euro(im['valore_imu'])} (IMU) × "
                f"{numero(im['valore_ici_usato'] / im['valore_imu'] if im['valore_imu'] else 0, 4)}"
                f" = {euro(im['valore_ici_usato'])}"
            )
        else:
            fonte = f"valore ICI {euro(im['valore_ici_usato'])}"
        dettaglio.append(
            f"{ctx.chi(im['componente_id'])}: {kind}{casa}: {fonte} × quota "
            f"{numero(im['quota_posseduta'])}% = {euro(im['valore_quota'])}; mutuo residuo "
            f"{euro(im['mutuo_residuo'])}"
        )
    lordo = ctx["casa_abitazione_lorda"] + ctx["altri_immobili_lordi"]
    scelta = (
        f"detrazione del valore fino a {euro(ctx.p('isp.detrazione_casa_massimo'))}, più "
        f"favorevole del mutuo ({euro(ctx['casa_abitazione_mutuo'])})"
        if ctx["detrazione_casa_scelta_franchigia"]
        else f"mutuo residuo, più favorevole della detrazione del valore fino a "
        f"{euro(ctx.p('isp.detrazione_casa_massimo'))}"
    )
    return (
        Riga(
            "patrimonio_immobiliare",
            "Patrimonio immobiliare del nucleo (valori ai fini ICI)",
            lordo,
            "Σ valori ICI per la quota posseduta",
            f"{DLGS} Tabella 1 parte II",
            parametri=ctx.parametri("isp.valore_ici_su_valore_imu") if ctx["approssimato"] else (),
            dettaglio=tuple(dettaglio),
        ),
        Riga(
            "detrazione_mutui",
            "Detrazione dei mutui sugli altri immobili",
            ctx["altri_immobili_mutui"],
            "per ciascun immobile diverso dalla casa di abitazione, fino a concorrenza del suo "
            "valore",
            f"{DLGS} Tabella 1 parte II",
        ),
        Riga(
            "detrazione_casa_abitazione",
            "Detrazione per la casa di abitazione",
            ctx["detrazione_casa_abitazione"],
            f"casa {euro(ctx['casa_abitazione_lorda'])}: {scelta}"
            if ctx["casa_abitazione_lorda"]
            else "nessuna casa di abitazione di proprietà",
            f"{DLGS} Tabella 1 parte II",
            parametri=ctx.parametri("isp.detrazione_casa_massimo"),
        ),
        Riga(
            "patrimonio_immobiliare_netto",
            "Patrimonio immobiliare rilevante",
            ctx["patrimonio_immobiliare_netto"],
            f"{euro(lordo)} − {euro(ctx['altri_immobili_mutui'])} − "
            f"{euro(ctx['detrazione_casa_abitazione'])}",
            f"{DLGS} Tabella 1 parte II",
        ),
    )


def _indicatori(ctx: _Context) -> tuple[Riga, ...]:
    return (
        Riga(
            "isp",
            "ISP – Indicatore della situazione patrimoniale",
            ctx["isp"],
            f"{euro(ctx['patrimonio_mobiliare_netto'])} + "
            f"{euro(ctx['patrimonio_immobiliare_netto'])}",
            f"{DLGS} Tabella 1 parte II",
        ),
        Riga(
            "ise",
            "ISE – Indicatore della situazione economica",
            ctx["ise"],
            f"ISR {euro(ctx['isr'])} + {percentuale(ctx.p('ise.coefficiente_isp'))} × ISP "
            f"{euro(ctx['isp'])}",
            f"{DLGS} art. 2",
            parametri=ctx.parametri("ise.coefficiente_isp"),
        ),
    )


def _scala(ctx: _Context) -> tuple[Riga, ...]:
    lavoratori = (
        "figli minori ed entrambi i genitori lavoratori"
        if ctx["maggiorazione_genitori_lavoratori"]
        else "condizione non ricorrente"
    )
    return (
        Riga(
            "scala_parametro_base",
            "Parametro della scala di equivalenza",
            ctx["scala_parametro_base"],
            f"{ctx['n_componenti']} componenti",
            f"{DLGS} Tabella 2",
            unita="scala",
            parametri=ctx.parametri(
                "scala_equivalenza.parametro_base",
                "scala_equivalenza.incremento_componente_ulteriore",
            ),
        ),
        Riga(
            "maggiorazione_assenza_coniuge",
            "Maggiorazione per assenza del coniuge e presenza di figli minori",
            ctx["maggiorazione_assenza_coniuge"],
            f"figli minori: {ctx['n_figli_minori']}; coniuge "
            f"{'presente' if ctx['n_coniugi'] else 'assente'}",
            f"{DLGS} Tabella 2",
            unita="scala",
            parametri=ctx.parametri("scala_equivalenza.maggiorazione_assenza_coniuge_figli_minori"),
        ),
        Riga(
            "maggiorazione_handicap",
            "Maggiorazione per componenti con handicap o invalidità superiore al 66%",
            ctx["maggiorazione_handicap"],
            "componenti con disabilità grave o non autosufficienza"
            + (" o media" if ctx.p("scala_equivalenza.handicap_include_disabilita_media") else "")
            + f": {ctx['n_handicap']}",
            f"{DLGS} Tabella 2",
            unita="scala",
            parametri=ctx.parametri(
                "scala_equivalenza.maggiorazione_handicap",
                "scala_equivalenza.handicap_include_disabilita_media",
            ),
        ),
        Riga(
            "maggiorazione_genitori_lavoratori",
            "Maggiorazione per figli minori ed entrambi i genitori lavoratori",
            ctx["maggiorazione_genitori_lavoratori"],
            lavoratori,
            f"{DLGS} Tabella 2",
            unita="scala",
            parametri=ctx.parametri("scala_equivalenza.maggiorazione_genitori_lavoratori"),
        ),
        Riga(
            "scala_equivalenza",
            "Valore della scala di equivalenza",
            ctx["scala_equivalenza"],
            f"{numero(ctx['scala_parametro_base'])} + "
            f"{numero(ctx['maggiorazione_assenza_coniuge'])} + "
            f"{numero(ctx['maggiorazione_handicap'])} + "
            f"{numero(ctx['maggiorazione_genitori_lavoratori'])}",
            f"{DLGS} Tabella 2",
            unita="scala",
        ),
        Riga(
            "isee",
            "ISEE – Indicatore della situazione economica equivalente (vecchio)",
            ctx["isee"],
            f"ISE {euro(ctx['ise'])} / scala {numero(ctx['scala_equivalenza'])}",
            f"{DLGS} art. 2",
        ),
    )


def render_text(spiegazione: SpiegazioneVecchio) -> str:
    """The explanation of the old ISEE as plain Italian text."""
    s = spiegazione
    protocollo = f" {s.protocollo}" if s.protocollo else ""
    lines = [
        f"Vecchio ISEE (D.Lgs 109/1998, testo del D.Lgs 130/2000) – DSU{protocollo} presentata "
        f"il {s.data_presentazione:%d/%m/%Y}; regole al {s.data_regole:%d/%m/%Y}",
    ]
    lines += [f"Nota: {n}" for n in s.note]
    n = 0
    for sezione in s.sezioni:
        lines += ["", sezione.titolo.upper()]
        for riga in sezione.righe:
            n += 1
            lines += render_riga(n, riga)
    approssimato = " (approssimato)" if s.approssimato else ""
    lines += [
        "",
        f"Vecchio ISEE: {euro(s.isee)}{approssimato}  (ISR {euro(s.isr)}, ISP {euro(s.isp)}, "
        f"ISE {euro(s.ise)}, scala {numero(s.scala_equivalenza)})",
    ]
    return "\n".join(lines)
