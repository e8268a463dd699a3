"""Explain an ISEE line by line, in the order of an INPS attestazione.

:func:`explain_dsu` computes one DSU with ``detail=True`` (the same engine as the batch) and turns
the result into a :class:`Spiegazione`: sections (redditi, patrimonio mobiliare, patrimonio
immobiliare, indicatori, scala di equivalenza) of :class:`Riga`, each with its value, the
computation with its numbers, the article it applies, the parameters it used (value at the DSU
date and legal references) and, where useful, the detail per member, relationship or property.
:mod:`equo.isee.render` prints it as Italian text; :meth:`Spiegazione.to_dict` gives JSON.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl

from equo.isee.engine import compute, ise_del_figlio
from equo.isee.format import euro, numero, percentuale
from equo.isee.frames import dsu_frames
from equo.isee.model import DSU, TipoImmobile, TipoRapporto
from equo.isee.parameters import ParameterSet, Reference, Value, load_parameters
from equo.isee.varianti import REGOLE, Variante, comuni_capoluogo_metropolitano

__all__ = ["PARAMETRI_PER_RIGA", "ParametroUsato", "Riga", "Sezione", "Spiegazione", "explain_dsu"]

DPCM = "DPCM 159/2013"

PARAMETRI_PER_RIGA: dict[str, tuple[str, ...]] = {
    "redditi_componenti": (
        "isr.detrazione_lavoro_dipendente_aliquota",
        "isr.detrazione_lavoro_dipendente_massimo",
        "isr.detrazione_pensione_aliquota",
        "isr.detrazione_pensione_massimo",
        "isr.detrazione_pensione_alternativa",
        "isr.detrazione_pensione_include_trattamenti",
        "isr.detrazione_spese_disabili_massimo",
        "isr.trattamenti_disabilita_esclusi",
    ),
    "canone": (
        "isr.detrazione_canone_massimo",
        "isr.detrazione_canone_incremento_figlio",
        "isr.detrazione_canone_figli_senza_incremento",
    ),
    "franchigie": ("isr.franchigia_disabilita",),
    "mobiliare": ("isp.giacenza_media", "isp.esclusione_titoli_stato_massimo"),
    "casa": (
        "isp.franchigia_casa_abitazione",
        "isp.franchigia_casa_incremento_figlio",
        "isp.franchigia_casa_figli_senza_incremento",
        "isp.quota_eccedenza_casa",
    ),
}
"""The parameters each line of the explanation uses (also what a recompute compares)."""


@dataclass(frozen=True)
class ParametroUsato:
    """A parameter as used for one DSU: its value at the DSU date and its references."""

    nome: str
    etichetta: str
    valore: Value
    unita: str
    riferimenti: tuple[Reference, ...]


@dataclass(frozen=True)
class Riga:
    """One line of the explanation."""

    codice: str
    etichetta: str
    valore: float
    calcolo: str
    riferimento: str
    unita: str = "EUR"
    parametri: tuple[ParametroUsato, ...] = ()
    dettaglio: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sezione:
    titolo: str
    righe: tuple[Riga, ...]


@dataclass(frozen=True)
class Spiegazione:
    """The whole explanation of one DSU's ISEE."""

    variante: str
    protocollo: str | None
    data_presentazione: dt.date
    anno_redditi: int
    data_patrimonio: dt.date
    valida_fino_al: dt.date
    isr: float
    isp: float
    ise: float
    scala_equivalenza: float
    isee: float
    sezioni: tuple[Sezione, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings)."""
        data = asdict(self)
        for key in ("data_presentazione", "data_patrimonio", "valida_fino_al"):
            data[key] = data[key].isoformat()
        return data


class _Context:
    """The one-DSU result rows and the parameters at the DSU date."""

    def __init__(self, dsu: DSU, params: ParameterSet, variante: Variante) -> None:
        result = compute(dsu_frames([dsu]), params=params, detail=True, variante=variante)
        self.regole = REGOLE[variante]
        self.row: dict[str, Any] = result.nuclei.row(0, named=True)
        self.componenti = result.componenti
        self.rapporti = result.rapporti
        self.immobili = result.immobili
        self.dsu = dsu
        self.params = params
        self.day = dsu.data_presentazione

    def __getitem__(self, column: str) -> Any:
        return self.row[column]

    def nome(self, name: str) -> str:
        """The parameter the variant uses in place of the ordinary ``name``."""
        regole = self.regole
        if (
            name == "isp.franchigia_casa_abitazione"
            and regole.sostituzione_capoluogo is not None
            and self.dsu.abitazione.codice_comune in comuni_capoluogo_metropolitano()
        ):
            return regole.sostituzione_capoluogo
        return regole.sostituzioni.get(name, name)

    def parametri(self, *names: str) -> tuple[ParametroUsato, ...]:
        used = []
        for name in map(self.nome, names):
            parameter = self.params[name]
            if parameter.in_force(self.day):
                used.append(
                    ParametroUsato(
                        nome=name,
                        etichetta=parameter.label,
                        valore=parameter.at(self.day),
                        unita=parameter.unit,
                        riferimenti=parameter.references,
                    )
                )
        return tuple(used)

    def p(self, name: str) -> Any:
        return self.params[self.nome(name)].at(self.day)

    def in_force(self, name: str) -> bool:
        return self.params[self.nome(name)].in_force(self.day)

    def chi(self, componente_id: int) -> str:
        """How a member is named in the detail lines: codice fiscale and relationship code.

        The code is the one in the variant's nucleo (in a nucleo ristretto the beneficiary is D).
        """
        member = self.dsu.componenti[componente_id]
        codes = dict(
            zip(self.componenti["componente_id"], self.componenti["rapporto"], strict=True)
        )
        return f"{member.codice_fiscale} ({codes.get(componente_id, member.rapporto.value)})"


def _figli(n: int, aggettivo: str = "") -> str:
    """``1`` → "1 figlio convivente", ``2`` → "2 figli conviventi"."""
    word = "figlio" if n == 1 else "figli"
    if aggettivo:
        word += " " + (aggettivo.removesuffix("i") + "e" if n == 1 else aggettivo)
    return f"{n} {word}"


def explain_dsu(
    dsu: DSU, *, params: ParameterSet | None = None, variante: Variante = Variante.ORDINARIO
) -> Spiegazione:
    """Compute and explain the ISEE of one DSU (ordinario or a parameter-level variant)."""
    ctx = _Context(dsu, params or load_parameters(), variante)
    return Spiegazione(
        variante=variante.value,
        protocollo=dsu.protocollo,
        data_presentazione=dsu.data_presentazione,
        anno_redditi=ctx["anno_redditi"],
        data_patrimonio=ctx["data_patrimonio"],
        valida_fino_al=ctx["valida_fino_al"],
        isr=ctx["isr"],
        isp=ctx["isp"],
        ise=ctx["ise"],
        scala_equivalenza=round(ctx["scala_equivalenza"], 2),
        isee=ctx["isee"],
        sezioni=(
            Sezione("Situazione reddituale (ISR)", _redditi(ctx)),
            Sezione("Patrimonio mobiliare", _mobiliare(ctx)),
            Sezione("Patrimonio immobiliare", _immobiliare(ctx)),
            Sezione("Indicatori (ISP e ISE)", _indicatori(ctx)),
            Sezione("Scala di equivalenza e ISEE", _scala(ctx)),
        ),
    )


def _redditi(ctx: _Context) -> tuple[Riga, ...]:
    dettaglio = []
    for m in ctx.componenti.iter_rows(named=True):
        parts = [
            f"{label} {euro(m[col])}"
            for col, label in (
                ("detrazione_lavoro_pensione", "lavoro dipendente/pensione"),
                ("detrazione_spese_disabili", "spese sanitarie disabili"),
                ("assegni_coniuge_versati", "assegni al coniuge"),
                ("assegni_figli_versati", "assegni per i figli"),
                ("redditi_agrari", "redditi agrari"),
            )
            if m[col]
        ]
        detr = (
            f" − detrazioni {euro(m['detrazioni_componente'])} ({', '.join(parts)})"
            if parts
            else ""
        )
        dettaglio.append(
            f"{ctx.chi(m['componente_id'])}: redditi {euro(m['reddito_lordo'])}{detr}"
            f" = {euro(m['reddito_componente'])}"
        )
    esclusi = ctx.p("isr.trattamenti_disabilita_esclusi")
    trattamenti_disabilita = float(ctx.componenti["trattamenti_disabilita"].sum())
    if esclusi and trattamenti_disabilita:
        dettaglio.append(
            "I trattamenti percepiti in ragione della disabilità "
            f"({euro(trattamenti_disabilita)}) sono esclusi dall'ISR "
            "(DL 42/2016 art. 2-sexies)."
        )
    righe = [
        Riga(
            "somma_redditi",
            "Somma dei redditi dei componenti del nucleo",
            ctx["somma_redditi"],
            "Σ per componente: redditi (art. 4 c. 2) − detrazioni (art. 4 c. 3), "
            "fino a concorrenza del reddito del componente",
            f"{DPCM} art. 4 c. 2-3",
            parametri=ctx.parametri(*PARAMETRI_PER_RIGA["redditi_componenti"]),
            dettaglio=tuple(dettaglio),
        ),
        Riga(
            "reddito_figurativo",
            "Reddito figurativo del patrimonio mobiliare",
            ctx["reddito_figurativo"],
            f"{percentuale(ctx['tasso_reddito_figurativo'])} × "
            f"{euro(ctx['base_reddito_figurativo'])} (patrimonio mobiliare esclusi depositi e "
            "conti correnti); tasso = minore tra rendimento dei titoli decennali "
            f"({percentuale(ctx.p('reddito_figurativo.rendimento_titoli_decennali'))}) e tasso "
            f"legale + 1 punto ({percentuale(ctx.p('reddito_figurativo.tasso_interesse_legale'))}"
            f" + {percentuale(ctx.p('reddito_figurativo.maggiorazione_tasso_legale'))})",
            f"{DPCM} art. 4",
            parametri=ctx.parametri(
                "reddito_figurativo.rendimento_titoli_decennali",
                "reddito_figurativo.tasso_interesse_legale",
                "reddito_figurativo.maggiorazione_tasso_legale",
            ),
        ),
        _detrazioni_nucleo(ctx),
        Riga(
            "isr",
            "ISR – Indicatore della situazione reddituale",
            ctx["isr"],
            f"{euro(ctx['somma_redditi'])} + {euro(ctx['reddito_figurativo'])} − "
            f"{euro(ctx['detrazioni_nucleo'])}, non inferiore a zero",
            f"{DPCM} art. 4",
        ),
    ]
    return tuple(righe)


def _detrazioni_nucleo(ctx: _Context) -> Riga:
    dettaglio = []
    if ctx["titolo_abitazione"] == "locazione":
        limite = ctx.p("isr.detrazione_canone_massimo") + ctx.p(
            "isr.detrazione_canone_incremento_figlio"
        ) * max(
            ctx["n_figli_conviventi"] - ctx.p("isr.detrazione_canone_figli_senza_incremento"), 0
        )
        dettaglio.append(
            f"Canone di locazione {euro(ctx['canone_annuo'])}, detraibile fino a {euro(limite)} "
            f"({_figli(ctx['n_figli_conviventi'], 'conviventi')}): {euro(ctx['detrazione_canone'])}"
        )
    if ctx["franchigie_disabilita"]:
        for m in ctx.componenti.filter(pl.col("franchigia_disabilita") > 0).iter_rows(named=True):
            dettaglio.append(
                f"Franchigia per disabilità {m['disabilita']} di {ctx.chi(m['componente_id'])}: "
                f"{euro(m['franchigia_disabilita'])}"
            )
    return Riga(
        "detrazioni_nucleo",
        "Detrazioni per spese e franchigie del nucleo",
        ctx["detrazioni_nucleo"],
        f"canone {euro(ctx['detrazione_canone'])} + franchigie per disabilità "
        f"{euro(ctx['franchigie_disabilita'])}",
        f"{DPCM} art. 4 c. 4",
        parametri=ctx.parametri(*PARAMETRI_PER_RIGA["canone"], *PARAMETRI_PER_RIGA["franchigie"]),
        dettaglio=tuple(dettaglio),
    )


def _mobiliare(ctx: _Context) -> tuple[Riga, ...]:
    giacenza = ctx.p("isp.giacenza_media")
    dettaglio = []
    for m in ctx.componenti.iter_rows(named=True):
        if not m["patrimonio_mobiliare_componente"]:
            continue
        depositi = (
            f"depositi e conti: maggiore tra saldi {euro(m['depositi_saldo'])} e giacenze medie "
            f"{euro(m['depositi_giacenza'])}"
            if giacenza
            else f"depositi e conti: saldi {euro(m['depositi_saldo'])}"
        )
        dettaglio.append(
            f"{ctx.chi(m['componente_id'])}: {depositi}; altri rapporti "
            f"{euro(m['altri_mobiliari'])}; totale {euro(m['patrimonio_mobiliare_componente'])}"
        )
    for r in ctx.rapporti.filter(pl.col("titoli_esclusi") > 0).iter_rows(named=True):
        dettaglio.append(
            f"Escluso da un rapporto {r['tipo']} ({TipoRapporto(r['tipo']).name.lower()}) di "
            f"{ctx.chi(r['componente_id'])}: {euro(r['titoli_esclusi'])}"
        )
    righe = [
        Riga(
            "patrimonio_mobiliare",
            "Patrimonio mobiliare del nucleo",
            ctx["patrimonio_mobiliare"],
            "Σ per componente dei rapporti al "
            f"{ctx['data_patrimonio'].strftime('%d/%m/%Y')}, al netto dei titoli esclusi",
            f"{DPCM} art. 5 c. 4",
            parametri=ctx.parametri("isp.giacenza_media"),
            dettaglio=tuple(dettaglio),
        ),
    ]
    if ctx.in_force("isp.esclusione_titoli_stato_massimo"):
        righe.append(
            Riga(
                "titoli_esclusi",
                "Titoli di Stato, buoni fruttiferi e libretti postali esclusi",
                ctx["titoli_esclusi"],
                f"fino a {euro(ctx.p('isp.esclusione_titoli_stato_massimo'))} per nucleo, "
                "nell'ordine: dichiarante, poi gli altri componenti per età decrescente; titoli "
                "di Stato, poi buoni fruttiferi, poi libretti",
                f"{DPCM} art. 5 c. 4-bis",
                parametri=ctx.parametri("isp.esclusione_titoli_stato_massimo"),
            )
        )
    righe += [
        Riga(
            "franchigia_mobiliare",
            "Detrazione del patrimonio mobiliare (franchigia)",
            ctx["franchigia_mobiliare"],
            f"min({euro(ctx.p('isp.franchigia_mobiliare_base'))} + "
            f"{euro(ctx.p('isp.franchigia_mobiliare_incremento_componente'))} × "
            f"{ctx['n_componenti'] - 1} componenti oltre il primo; "
            f"{euro(ctx.p('isp.franchigia_mobiliare_massimo'))}) + "
            f"{euro(ctx.p('isp.franchigia_mobiliare_incremento_figlio'))} per ogni figlio oltre "
            f"il secondo ({_figli(ctx['n_figli'])})",
            f"{DPCM} art. 5 c. 4",
            parametri=ctx.parametri(
                "isp.franchigia_mobiliare_base",
                "isp.franchigia_mobiliare_incremento_componente",
                "isp.franchigia_mobiliare_massimo",
                "isp.franchigia_mobiliare_incremento_figlio",
                "isp.franchigia_mobiliare_figli_senza_incremento",
            ),
        ),
        Riga(
            "patrimonio_mobiliare_netto",
            "Patrimonio mobiliare rilevante",
            ctx["patrimonio_mobiliare_netto"],
            f"{euro(ctx['patrimonio_mobiliare'])} − {euro(ctx['franchigia_mobiliare'])}, "
            "non inferiore a zero",
            f"{DPCM} art. 5 c. 4",
        ),
    ]
    return tuple(righe)


def _immobiliare(ctx: _Context) -> tuple[Riga, ...]:
    dettaglio = []
    for im in ctx.immobili.iter_rows(named=True):
        kind = TipoImmobile(im["tipo"]).value.replace("_", " ")
        where = " all'estero (IVIE)" if im["estero"] else ""
        casa = ", casa di abitazione" if im["casa_abitazione"] else ""
        dettaglio.append(
            f"{ctx.chi(im['componente_id'])}: {kind}{where}{casa}: valore "
            f"{euro(im['valore_imu'])} × quota {numero(im['quota_posseduta'])}% = "
            f"{euro(im['valore_quota'])} − mutuo {euro(im['mutuo_residuo'])} = "
            f"{euro(im['valore_netto'])}"
        )
    lordo = ctx["casa_abitazione_lorda"] + ctx["altri_immobili_lordi"]
    netto = ctx["casa_abitazione_netta"] + ctx["altri_immobili_netti"]
    return (
        Riga(
            "patrimonio_immobiliare",
            "Patrimonio immobiliare del nucleo",
            lordo,
            "Σ valori IMU/IVIE per la quota posseduta al "
            f"{ctx['data_patrimonio'].strftime('%d/%m/%Y')}",
            f"{DPCM} art. 5 c. 2-3",
            dettaglio=tuple(dettaglio),
        ),
        Riga(
            "detrazione_mutui",
            "Detrazione per il debito residuo dei mutui",
            lordo - netto,
            "per ciascun immobile, fino a concorrenza del suo valore",
            f"{DPCM} art. 5 c. 2",
        ),
        Riga(
            "detrazione_casa_abitazione",
            "Detrazione per la casa di abitazione",
            ctx["casa_abitazione_netta"] - ctx["casa_abitazione_rilevante"],
            f"casa al netto del mutuo {euro(ctx['casa_abitazione_netta'])}: non rileva fino a "
            f"{euro(ctx['franchigia_casa'])} ({_figli(ctx['n_figli_conviventi'], 'conviventi')}), "
            f"oltre rileva per {numero(ctx.p('isp.quota_eccedenza_casa') * 100)}%: "
            f"{euro(ctx['casa_abitazione_rilevante'])} rilevante",
            f"{DPCM} art. 5 c. 2",
            parametri=ctx.parametri(*PARAMETRI_PER_RIGA["casa"]),
        ),
        Riga(
            "patrimonio_immobiliare_netto",
            "Patrimonio immobiliare rilevante",
            ctx["patrimonio_immobiliare_netto"],
            f"{euro(lordo)} − {euro(lordo - netto)} − "
            f"{euro(ctx['casa_abitazione_netta'] - ctx['casa_abitazione_rilevante'])}",
            f"{DPCM} art. 5 c. 2-3",
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
            f"{DPCM} art. 5 c. 1",
        ),
        Riga(
            "ise",
            "ISE – Indicatore della situazione economica",
            ctx["ise"],
            f"ISR {euro(ctx['isr'])} + {percentuale(ctx.p('ise.coefficiente_isp'))} × ISP "
            f"{euro(ctx['isp'])}",
            f"{DPCM} art. 2 c. 3",
            parametri=ctx.parametri("ise.coefficiente_isp"),
        ),
    )


def _scala(ctx: _Context) -> tuple[Riga, ...]:
    if ctx["lettera_b"]:
        genitori = "figli minorenni e genitori che hanno lavorato almeno sei mesi (lett. b)"
    elif ctx["lettera_c"]:
        genitori = "un solo genitore con figli minorenni (lett. c)"
    else:
        genitori = "condizione non ricorrente"
    piccoli = (
        f"; figli di età inferiore a {ctx.p('scala_equivalenza.eta_figlio_piccolo'):.0f} anni: "
        f"{ctx['n_figli_piccoli']}"
        if ctx["n_figli_piccoli"]
        else ""
    )
    return (
        Riga(
            "scala_parametro_base",
            "Parametro della scala di equivalenza",
            ctx["scala_parametro_base"],
            f"{ctx['n_componenti']} componenti",
            f"{DPCM} Allegato 1",
            unita="scala",
            parametri=ctx.parametri(
                "scala_equivalenza.parametro_base",
                "scala_equivalenza.incremento_componente_ulteriore",
            ),
        ),
        Riga(
            "maggiorazione_figli",
            "Maggiorazione per tre o più figli",
            ctx["maggiorazione_figli"],
            f"{_figli(ctx['n_figli'])} nel nucleo",
            f"{DPCM} Allegato 1 lett. a)",
            unita="scala",
            parametri=ctx.parametri("scala_equivalenza.maggiorazione_figli"),
        ),
        Riga(
            "maggiorazione_genitori",
            "Maggiorazione per figli minorenni e genitori lavoratori o genitore solo",
            ctx["maggiorazione_genitori"],
            genitori + piccoli,
            f"{DPCM} Allegato 1 lett. b) e c)",
            unita="scala",
            parametri=ctx.parametri(
                "scala_equivalenza.maggiorazione_genitori_lavoratori",
                "scala_equivalenza.maggiorazione_genitori_lavoratori_figlio_piccolo",
                "scala_equivalenza.eta_figlio_piccolo",
                "scala_equivalenza.genitore_solo_figlio_piccolo",
            ),
        ),
        Riga(
            "maggiorazione_disabilita",
            "Maggiorazione per componenti con disabilità",
            ctx["maggiorazione_disabilita"],
            f"{ctx['n_disabili']} componenti con disabilità media, grave o non autosufficienza"
            if ctx.in_force("scala_equivalenza.maggiorazione_disabilita")
            else "non prevista prima della riforma del 2016 (vedi franchigie nell'ISR)",
            "DL 42/2016 art. 2-sexies",
            unita="scala",
            parametri=ctx.parametri("scala_equivalenza.maggiorazione_disabilita"),
        ),
        Riga(
            "scala_equivalenza",
            "Valore della scala di equivalenza",
            ctx["scala_equivalenza"],
            f"{numero(ctx['scala_parametro_base'])} + {numero(ctx['maggiorazione_figli'])} + "
            f"{numero(ctx['maggiorazione_genitori'])} + {numero(ctx['maggiorazione_disabilita'])}",
            f"{DPCM} Allegato 1",
            unita="scala",
        ),
        *_isee(ctx),
    )


def _isee(ctx: _Context) -> tuple[Riga, ...]:
    calcolo = f"ISE {euro(ctx['ise'])} / scala {numero(ctx['scala_equivalenza'])}"
    if ctx.regole.residenze:
        return _isee_residenze(ctx, calcolo)
    if ctx.regole.corrente:
        return _isee_corrente(ctx, calcolo)
    if ctx.regole.minorenni and ctx["componente_aggiuntiva_genitore"]:
        return _isee_minorenni(ctx, calcolo)
    if not ctx.regole.neutralizza_assegno_unico:
        return (
            Riga(
                "isee",
                "ISEE – Indicatore della situazione economica equivalente",
                ctx["isee"],
                calcolo,
                f"{DPCM} art. 2 c. 2",
            ),
        )
    return _isee_nido(ctx, calcolo)


def _isee_nido(ctx: _Context, calcolo: str) -> tuple[Riga, ...]:
    """ISEE for the bonus asilo nido: the assegno unico netted out (INPS circ. 60/2025)."""
    prima = ctx["isee_prima_della_neutralizzazione"]
    applicata = ctx.p("nido.neutralizza_assegno_unico")
    return (
        Riga(
            "isee_prima_della_neutralizzazione",
            "ISEE prima della neutralizzazione dell'assegno unico",
            prima,
            calcolo,
            f"{DPCM} art. 2 c. 2",
        ),
        Riga(
            "isee",
            "ISEE per il bonus asilo nido",
            ctx["isee"],
            (
                f"{euro(prima)} − assegno unico {euro(ctx['assegno_unico_annuo'])} / scala "
                f"{numero(ctx['scala_equivalenza'])}, non inferiore a zero"
            )
            if applicata
            else "nessuna neutralizzazione per DSU presentate prima del 2025",
            "L. 207/2024 art. 1 c. 206; INPS circ. 60/2025",
            parametri=ctx.parametri("nido.neutralizza_assegno_unico"),
        ),
    )


def _isee_residenze(ctx: _Context, calcolo: str) -> tuple[Riga, ...]:
    """ISEE residenze: the componente aggiuntiva of each figlio outside the nucleo."""
    soglia = ctx.p("varianti.residenze.soglia_componente_aggiuntiva")
    quota = ctx.p("varianti.residenze.coefficiente_componente_aggiuntiva")
    scala = ctx["scala_equivalenza"]
    dettaglio = []
    figli = ctx.dsu.residenziale.figli_non_compresi if ctx.dsu.residenziale else []
    for f in figli:
        if f.esclusione is not None:
            dettaglio.append(
                f"{f.codice_fiscale}: escluso ({f.esclusione.name.lower().replace('_', ' ')})"
            )
            continue
        ise = ise_del_figlio(f, ctx.dsu, ctx.params)
        x = ise / f.scala_nucleo_figlio
        componente = max(quota * (x - soglia), 0.0) / scala
        dettaglio.append(
            f"{f.codice_fiscale}: ISE {euro(ise)} / scala "
            f"{numero(f.scala_nucleo_figlio)} = {euro(x)}; − {euro(soglia)} → "
            f"{percentuale(quota)} × {euro(max(x - soglia, 0.0))} / {numero(scala)} = "
            f"{euro(componente)}"
        )
    return (
        Riga(
            "isee_prima_delle_componenti_aggiuntive",
            "ISEE del beneficiario (nucleo ristretto)"
            if ctx.dsu.nucleo_ristretto
            else "ISEE del beneficiario (nucleo ordinario)",
            ctx["isee_prima_delle_componenti_aggiuntive"],
            calcolo,
            f"{DPCM} art. 6 c. 2-3",
        ),
        Riga(
            "componenti_aggiuntive",
            "Componenti aggiuntive per i figli non compresi nel nucleo",
            ctx["componenti_aggiuntive"],
            "per ogni figlio: quota × (ISE del figlio / scala del suo nucleo − soglia), "
            "se positiva, / scala del beneficiario",
            f"{DPCM} Allegato 2 c. 1",
            parametri=ctx.parametri(
                "varianti.residenze.soglia_componente_aggiuntiva",
                "varianti.residenze.coefficiente_componente_aggiuntiva",
            ),
            dettaglio=tuple(dettaglio),
        ),
        Riga(
            "isee",
            "ISEE per prestazioni socio-sanitarie residenziali",
            ctx["isee"],
            f"{euro(ctx['isee_prima_delle_componenti_aggiuntive'])} + "
            f"{euro(ctx['componenti_aggiuntive'])}",
            f"{DPCM} art. 6 c. 3",
        ),
    )


def _isee_minorenni(ctx: _Context, calcolo: str) -> tuple[Riga, ...]:
    """ISEE minorenni with the componente aggiuntiva of a genitore non convivente (art. 7)."""
    genitori = [
        f"{c.codice_fiscale}: caso {c.condizione_art_7.value}) dell'art. 7 c. 1, componente "
        f"{euro(c.componente_aggiuntiva or 0.0)} (come da attestazione INPS)"
        for c in ctx.dsu.componenti
        if c.condizione_art_7 is not None and c.condizione_art_7.con_componente_aggiuntiva
    ]
    prima = ctx["isee_prima_della_componente_aggiuntiva"]
    con_componente = prima + ctx["componente_aggiuntiva_genitore"]
    righe = [
        Riga(
            "isee_prima_della_componente_aggiuntiva",
            "ISEE del nucleo del minorenne",
            prima,
            calcolo,
            f"{DPCM} art. 2 c. 2 e art. 7",
        ),
        Riga(
            "componente_aggiuntiva_genitore",
            "Componente aggiuntiva del genitore non convivente",
            ctx["componente_aggiuntiva_genitore"],
            "valore indicato come da attestazione: la formula dell'Allegato 2 c. 2 non è "
            "verificata nelle fonti di Equo, che non la calcola",
            f"{DPCM} art. 7 c. 2, Allegato 2 c. 2",
            dettaglio=tuple(genitori),
        ),
    ]
    if ctx.regole.neutralizza_assegno_unico:
        return (*righe, *_isee_nido(ctx, f"{euro(prima)} + componente aggiuntiva"))
    righe.append(
        Riga(
            "isee",
            "ISEE per prestazioni rivolte a minorenni",
            ctx["isee"],
            f"{euro(prima)} + {euro(ctx['componente_aggiuntiva_genitore'])} = "
            f"{euro(con_componente)}",
            f"{DPCM} art. 7",
        )
    )
    return tuple(righe)


def _isee_corrente(ctx: _Context, calcolo: str) -> tuple[Riga, ...]:
    """ISEE corrente: the admissibility test and the validity (art. 9)."""
    alternative = ctx.p("varianti.corrente.condizioni_alternative")
    eventi = [
        label
        for flag, label in (
            ("corrente_variazione_lavoro", "variazione dell'attività lavorativa"),
            ("corrente_interruzione_trattamenti", "interruzione dei trattamenti"),
        )
        if ctx[flag]
    ]
    return (
        Riga(
            "isr_ordinario",
            "ISR ordinario (redditi della DSU)",
            ctx["isr_ordinario"],
            f"ISR corrente {euro(ctx['isr'])}: riduzione del "
            f"{percentuale(ctx['riduzione_isr'])} (soglia "
            f"{percentuale(ctx.p('varianti.corrente.soglia_variazione_isr'))})",
            f"{DPCM} art. 9 c. 1",
            parametri=ctx.parametri(
                "varianti.corrente.soglia_variazione_isr",
                "varianti.corrente.condizioni_alternative",
                "varianti.corrente.validita_mesi",
            ),
            dettaglio=(
                "eventi dichiarati: " + (", ".join(eventi) if eventi else "nessuno"),
                "condizioni "
                + ("alternative" if alternative else "congiunte")
                + f"; ISEE corrente valido fino al {ctx['valida_fino_al']:%d/%m/%Y}",
            ),
        ),
        Riga(
            "isee",
            "ISEE corrente",
            ctx["isee"],
            calcolo,
            f"{DPCM} art. 9",
        ),
    )
