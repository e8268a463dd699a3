"""Recompute an ISEE from what its attestazione prints, with the same formulas as the engine.

:func:`ricalcola` maps a list of :class:`~equo.isee.attestazione.model.ComponentiAttestazione`
to the nucleo-level inputs of the engine (:data:`equo.isee.engine.NUCLEO_INPUT_COLUMNS`) in one
frame, attaches the parameters in force at the chosen date (by default each attestazione's own
``data_presentazione``) and runs :func:`equo.isee.engine.nucleo_indicators`.

How each input is reconstructed from the printed lines (P0 = parameters at the original date,
P1 = at the recompute date):

- ``somma_redditi``: taken as printed. The member-level deductions (art. 4 c. 3) and the
  exclusion of disability-related trattamenti (2016) cannot be redone without each member's
  incomes: flagged when those rules differ between P0 and P1.
- ``base_reddito_figurativo``: the value given, else printed RF / rate(P0), exact when the rate
  is positive (up to the cent of the printed RF). With a zero rate the base cannot be known: it
  is taken as 0 and flagged if the rate at P1 is positive.
- ``detrazioni``: the rent deduction is recomputed from ``canone_annuo`` when given; the
  franchigie for disabled members (until May 2016) from ``componenti_disabili`` when given. What
  the printed detrazioni hold beyond these is carried unchanged (``detrazioni_fisse``), flagged
  when the rent or franchigia rules differ between P0 and P1.
- ``patrimonio_mobiliare``: taken as printed (before the franchigia, which is recomputed; after
  the titoli di Stato excluded from April 2025, which cannot be redone: flagged when that rule or
  the giacenza media rule differ).
- patrimonio immobiliare: with ``casa_abitazione_netta`` the casa franchigia is recomputed
  exactly and the rest (``altri_immobili_netti``) is printed netto − casa rilevante(P0);
  without it the printed netto is carried unchanged, flagged when the casa rules differ.
- composition: the counts as given or derived from the listed members. Facts not printed
  (``n_genitori_lavoratori``, disabled members, ``n_figli_piccoli`` when unknown) are searched
  for among the values that reproduce the printed scala at P0; if they lead to different results
  at P1 the row is flagged.

Every row also gets recomputed at P0 and compared with the printed ISR, ISP, ISE, scala and
ISEE: a difference beyond a cent means the facts given are not those of the attestazione, and
is flagged. ``esatto`` is true when ``note`` is empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl

from equo.isee.attestazione.model import ComponentiAttestazione
from equo.isee.engine import NUCLEO_INPUT_COLUMNS, attach_parameters, nucleo_indicators
from equo.isee.explain import ParametroUsato
from equo.isee.format import euro, numero, percentuale
from equo.isee.model import Disabilita, TitoloAbitazione
from equo.isee.parameters import ParameterSet, load_parameters

__all__ = [
    "Confronto",
    "RigaConfronto",
    "confronta",
    "render_confronto",
    "ricalcola",
    "spiega_ricalcolo",
]

P = pl.col
DPCM = "DPCM 159/2013"

_CLASSI = [
    f"{classe.value}{suffix}"
    for classe in (Disabilita.MEDIA, Disabilita.GRAVE, Disabilita.NON_AUTOSUFFICIENTE)
    for suffix in ("", "_minorenne")
]
_STAMPATE = (
    "somma_redditi",
    "reddito_figurativo",
    "detrazioni",
    "isr",
    "patrimonio_mobiliare",
    "detrazione_patrimonio_mobiliare",
    "patrimonio_immobiliare",
    "detrazione_patrimonio_immobiliare",
    "isp",
    "ise",
    "parametro_nucleo",
    "maggiorazioni",
    "scala_equivalenza",
    "isee",
)
_GRUPPI = {
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
_INDICATORI = ("isr", "isp", "ise", "scala_equivalenza", "isee")
_TOLLERANZA = 0.015  # a cent, plus the rounding of the printed parts


def _input_frame(
    componenti: Sequence[ComponentiAttestazione], data: dt.date | None
) -> pl.DataFrame:
    rows = []
    for i, c in enumerate(componenti):
        q = c.ordinario
        canone = c.canone_annuo
        titolo = c.titolo_abitazione
        if canone is None and titolo is not None and titolo is not TitoloAbitazione.LOCAZIONE:
            canone = 0.0
        if canone is not None and titolo is None:
            titolo = TitoloAbitazione.LOCAZIONE if canone > 0 else TitoloAbitazione.ALTRO
        disabili = c.componenti_disabili
        row: dict[str, Any] = {
            "indice": i,
            "protocollo": c.protocollo,
            "data_originale": c.data_presentazione,
            "data_ricalcolo": data or c.data_presentazione,
            **{f"{k}_stampato": float(getattr(q, k)) for k in _STAMPATE},
            "n_componenti": c.n_componenti,
            "n_figli": c.n_figli,
            "n_figli_conviventi": c.n_figli_conviventi,
            "n_figli_minorenni": c.n_figli_minorenni,
            "n_genitori": c.n_genitori,
            "n_figli_piccoli_noto": c.n_figli_piccoli,
            "n_genitori_lavoratori_noto": c.n_genitori_lavoratori,
            "disabili_noti": disabili is not None,
            "canone_noto": canone is not None,
            "titolo_abitazione": (titolo or TitoloAbitazione.ALTRO).value,
            "canone_annuo": canone or 0.0,
            "casa_nota": c.casa_abitazione_netta is not None,
            "casa_abitazione_netta": c.casa_abitazione_netta or 0.0,
            "base_rf_nota": c.base_reddito_figurativo,
        }
        for key in _CLASSI:
            row[f"disabili_{key}"] = sum(
                f"{d.classe.value}{'_minorenne' if d.minorenne else ''}" == key
                for d in disabili or []
            )
        rows.append(row)
    schema = {
        "protocollo": pl.String(),
        "n_figli_piccoli_noto": pl.Int64(),
        "n_genitori_lavoratori_noto": pl.Int64(),
        "base_rf_nota": pl.Float64(),
        "data_originale": pl.Date(),
        "data_ricalcolo": pl.Date(),
    }
    return pl.DataFrame(rows, schema_overrides=schema, infer_schema_length=None)


def _tasso_rf() -> pl.Expr:
    return pl.min_horizontal(
        P("reddito_figurativo.rendimento_titoli_decennali"),
        P("reddito_figurativo.tasso_interesse_legale")
        + P("reddito_figurativo.maggiorazione_tasso_legale"),
    )


def _franchigie() -> pl.Expr:
    """Franchigie for the disabled members given, with the parameters attached (0 after 2016)."""
    expr = pl.lit(0.0)
    for key in _CLASSI:
        expr = expr + P(f"disabili_{key}") * P(f"isr.franchigia_disabilita.{key}").fill_null(0.0)
    return expr


def _oltre(count: pl.Expr, soglia: pl.Expr) -> pl.Expr:
    return pl.max_horizontal(count - soglia, pl.lit(0))


def _colonne(params: ParameterSet, gruppo: str) -> list[str]:
    return [c for name in _GRUPPI[gruppo] for c in params[name].columns()]


def _ricostruisci(frame: pl.DataFrame, params: ParameterSet) -> pl.DataFrame:
    """Inputs that do not change with the date, reconstructed with the parameters at P0."""
    p0 = attach_parameters(
        frame.with_columns(data_presentazione=P("data_originale")), params.timeline()
    )
    limite_canone = P("isr.detrazione_canone_massimo") + P(
        "isr.detrazione_canone_incremento_figlio"
    ) * _oltre(P("n_figli_conviventi"), P("isr.detrazione_canone_figli_senza_incremento"))
    canone0 = (
        pl.when(P("titolo_abitazione") == TitoloAbitazione.LOCAZIONE.value)
        .then(pl.min_horizontal(P("canone_annuo"), limite_canone))
        .otherwise(0.0)
    )
    soglia_casa = P("isp.franchigia_casa_abitazione") + P(
        "isp.franchigia_casa_incremento_figlio"
    ) * _oltre(P("n_figli_conviventi"), P("isp.franchigia_casa_figli_senza_incremento"))
    casa_rilevante0 = P("isp.quota_eccedenza_casa") * pl.max_horizontal(
        P("casa_abitazione_netta") - soglia_casa, 0.0
    )
    netto_stampato = (
        P("patrimonio_immobiliare_stampato") - P("detrazione_patrimonio_immobiliare_stampato")
    ).clip(lower_bound=0.0)
    confronto = [P(c).alias(f"p0:{c}") for gruppo in _GRUPPI for c in _colonne(params, gruppo)]
    reconstructed = p0.with_columns(
        _tasso_rf().alias("tasso_rf_originale"),
        _franchigie().alias("franchigie_originali"),
        canone0.alias("detrazione_canone_originale"),
    ).with_columns(
        pl.coalesce(
            P("base_rf_nota"),
            pl.when(P("tasso_rf_originale") > 0)
            .then(P("reddito_figurativo_stampato") / P("tasso_rf_originale"))
            .otherwise(0.0),
        ).alias("base_reddito_figurativo"),
        (P("detrazioni_stampato") - P("detrazione_canone_originale") - P("franchigie_originali"))
        .clip(lower_bound=0.0)
        .alias("detrazioni_fisse"),
        pl.when(P("casa_nota"))
        .then((netto_stampato - casa_rilevante0).clip(lower_bound=0.0))
        .otherwise(netto_stampato)
        .alias("altri_immobili_netti"),
        P("somma_redditi_stampato").alias("somma_redditi"),
        P("patrimonio_mobiliare_stampato").alias("patrimonio_mobiliare"),
        *confronto,
    )
    return reconstructed.select(
        *frame.columns,
        "tasso_rf_originale",
        "somma_redditi",
        "patrimonio_mobiliare",
        "base_reddito_figurativo",
        "detrazioni_fisse",
        "altri_immobili_netti",
        *(f"p0:{c}" for gruppo in _GRUPPI for c in _colonne(params, gruppo)),
    )


def _candidati(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per combination of the unknown composition facts."""
    lavoratori = (
        pl.when(P("n_genitori_lavoratori_noto").is_not_null())
        .then(pl.concat_list(P("n_genitori_lavoratori_noto")))
        .otherwise(pl.concat_list(P("n_genitori"), pl.lit(0, dtype=pl.Int64)))
    )
    disabili = (
        pl.when(P("disabili_noti"))
        .then(pl.concat_list(pl.sum_horizontal(P(f"disabili_{k}") for k in _CLASSI)))
        .otherwise(pl.int_ranges(0, P("n_componenti") + 1))
    )
    piccoli = (
        pl.when(P("n_figli_piccoli_noto").is_not_null())
        .then(pl.concat_list(P("n_figli_piccoli_noto")))
        .when(P("n_figli_minorenni") > 0)
        .then(pl.concat_list(pl.lit(0, dtype=pl.Int64), pl.lit(1, dtype=pl.Int64)))
        .otherwise(pl.concat_list(pl.lit(0, dtype=pl.Int64)))
    )
    return (
        frame.with_columns(
            lavoratori.cast(pl.List(pl.Int64)).alias("n_genitori_lavoratori"),
            disabili.cast(pl.List(pl.Int64)).alias("n_disabili"),
            piccoli.cast(pl.List(pl.Int64)).alias("n_figli_piccoli"),
        )
        .explode("n_genitori_lavoratori")
        .explode("n_disabili")
        .explode("n_figli_piccoli")
        .with_row_index("candidato")
    )


def _indicatori(frame: pl.DataFrame, giorno: str, params: ParameterSet) -> pl.DataFrame:
    """Run the engine's nucleo formulas with the parameters at the date in column ``giorno``."""
    with_params = attach_parameters(
        frame.with_columns(data_presentazione=P(giorno)), params.timeline()
    ).with_columns(
        (P("detrazioni_fisse") + _franchigie()).alias("franchigie_disabilita"),
        _franchigie().alias("franchigie_calcolate"),
    )
    missing = set(NUCLEO_INPUT_COLUMNS) - set(with_params.columns)
    assert not missing, missing  # noqa: S101 - a programming error, not an input error
    return nucleo_indicators(with_params.lazy(), params).collect()


def ricalcola(
    componenti: Sequence[ComponentiAttestazione],
    *,
    data: dt.date | None = None,
    params: ParameterSet | None = None,
) -> pl.DataFrame:
    """Recompute each attestazione at ``data`` (default: its own ``data_presentazione``).

    One row per attestazione, in input order: the printed lines (``*_stampato``), every
    recomputed quantity under the engine's column names, the composition used, ``esatto`` and
    ``note`` (one entry per line that is an approximation, starting with the line's code).
    """
    params = params or load_parameters()
    if not componenti:
        raise ValueError("no attestazione to recompute")
    base = _ricostruisci(_input_frame(componenti, data), params)
    candidati = _candidati(base)
    originale = _indicatori(candidati, "data_originale", params)
    riproduce = (
        originale["scala_equivalenza"] - candidati["scala_equivalenza_stampato"]
    ).abs() <= 0.005
    nuovo = _indicatori(candidati, "data_ricalcolo", params).with_columns(
        riproduce_scala=riproduce,
        **{f"{k}_originale": originale[k] for k in _INDICATORI},
    )
    # Keep the candidates that reproduce the printed scala (all of them if none does).
    nuovo = nuovo.with_columns(
        ammesso=P("riproduce_scala") | ~P("riproduce_scala").any().over("indice")
    ).filter(P("ammesso"))
    esiti = nuovo.group_by("indice").agg(
        pl.struct(*_INDICATORI).n_unique().alias("esiti_diversi"),
        P("riproduce_scala").any().alias("scala_riprodotta"),
    )
    scelto = (
        nuovo.sort("indice", "candidato")
        .group_by("indice", maintain_order=True)
        .first()
        .join(esiti, on="indice")
        .sort("indice")
    )
    return (
        scelto.with_columns(_note(params))
        .with_columns(esatto=P("note").list.len() == 0)
        .drop("candidato", "ammesso", "riproduce_scala")
    )


def _differs(params: ParameterSet, gruppo: str) -> pl.Expr:
    return pl.any_horizontal(P(f"p0:{c}").ne_missing(P(c)) for c in _colonne(params, gruppo))


def _note(params: ParameterSet) -> pl.Expr:
    notes = [
        (
            _differs(params, "redditi_componenti") & (P("somma_redditi_stampato") > 0),
            "somma_redditi: presa come stampata; le detrazioni dei singoli componenti e "
            "l'esclusione dei trattamenti per disabilità (art. 4 c. 2-3) cambiano tra le due date "
            "e non si possono rifare senza i redditi di ciascun componente",
        ),
        (
            P("base_rf_nota").is_null()
            & (P("tasso_rf_originale") <= 0)
            & (P("tasso_reddito_figurativo") > 0),
            "reddito_figurativo: con tasso nullo alla data originale la base non si ricava dal "
            "reddito figurativo stampato; assunta pari a zero",
        ),
        (
            ~P("canone_noto") & (P("detrazioni_fisse") > 0) & _differs(params, "canone"),
            "detrazioni: canone di locazione non indicato; la detrazione stampata è riportata "
            "invariata, ma i limiti del canone cambiano tra le due date",
        ),
        (
            ~P("disabili_noti") & (P("detrazioni_fisse") > 0) & _differs(params, "franchigie"),
            "detrazioni: componenti con disabilità non indicati; le franchigie per disabilità "
            "(fino al 2016) eventualmente comprese nelle detrazioni stampate non si possono "
            "separare",
        ),
        (
            _differs(params, "mobiliare") & (P("patrimonio_mobiliare_stampato") > 0),
            "patrimonio_mobiliare: preso come stampato; le regole su giacenza media o titoli di "
            "Stato esclusi cambiano tra le due date e non si possono rifare senza i rapporti",
        ),
        (
            ~P("casa_nota") & (P("patrimonio_immobiliare_stampato") > 0) & _differs(params, "casa"),
            "patrimonio_immobiliare: valore della casa di abitazione non indicato; la nuova "
            "franchigia sulla casa non si può applicare",
        ),
        (
            P("esiti_diversi") > 1,
            "scala_equivalenza: condizione lavorativa dei genitori, componenti con disabilità o "
            "figli sotto i tre anni non indicati, e i valori compatibili con la scala stampata "
            "danno risultati diversi alla nuova data",
        ),
        (
            ~P("scala_riprodotta"),
            "scala_equivalenza: la composizione indicata non riproduce la scala stampata alla "
            "data originale",
        ),
    ]
    for k in _INDICATORI:
        stampato = "scala_equivalenza_stampato" if k == "scala_equivalenza" else f"{k}_stampato"
        notes.append(
            (
                (P(f"{k}_originale") - P(stampato)).abs() > _TOLLERANZA,
                f"{k}: alla data originale il ricalcolo non riproduce il valore stampato; i dati "
                "non stampati indicati non sono coerenti con l'attestazione",
            )
        )
    return (
        pl.concat_list(
            pl.when(cond).then(pl.lit(text)).otherwise(pl.lit(None, dtype=pl.String))
            for cond, text in notes
        )
        .list.drop_nulls()
        .alias("note")
    )


# --- Side-by-side explanation -------------------------------------------------------------


@dataclass(frozen=True)
class RigaConfronto:
    """One line: printed value, recomputed value, how, and the parameters at the new date."""

    codice: str
    etichetta: str
    stampato: float
    ricalcolato: float
    calcolo: str
    riferimento: str
    unita: str = "EUR"
    parametri: tuple[ParametroUsato, ...] = ()
    parametri_originali: tuple[ParametroUsato, ...] = ()
    non_in_vigore_alla_data_originale: tuple[str, ...] = ()


@dataclass(frozen=True)
class Confronto:
    """An attestazione recomputed: its lines side by side, and whether the result is exact."""

    protocollo: str | None
    data_presentazione: dt.date
    data_ricalcolo: dt.date
    esatto: bool
    note: tuple[str, ...]
    righe: tuple[RigaConfronto, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["data_presentazione"] = self.data_presentazione.isoformat()
        data["data_ricalcolo"] = self.data_ricalcolo.isoformat()
        return data


def _usati(params: ParameterSet, day: dt.date, names: Sequence[str]) -> tuple[ParametroUsato, ...]:
    return tuple(
        ParametroUsato(
            nome=name,
            etichetta=params[name].label,
            valore=params[name].at(day),
            unita=params[name].unit,
            riferimenti=params[name].references,
        )
        for name in names
        if params[name].in_force(day)
    )


def _riga(
    r: dict[str, Any],
    params: ParameterSet,
    codice: str,
    etichetta: str,
    ricalcolato: float,
    calcolo: str,
    riferimento: str,
    nomi: Sequence[str] = (),
    unita: str = "EUR",
) -> RigaConfronto:
    d0, d1 = r["data_originale"], r["data_ricalcolo"]
    usati = _usati(params, d1, nomi)
    per_nome = {p.nome: p for p in usati}
    originali = tuple(p for p in _usati(params, d0, nomi) if per_nome.get(p.nome) != p)
    nuovi = tuple(
        params[n].label for n in nomi if params[n].in_force(d1) and not params[n].in_force(d0)
    )
    return RigaConfronto(
        codice=codice,
        etichetta=etichetta,
        stampato=r[f"{codice}_stampato"],
        ricalcolato=ricalcolato,
        calcolo=calcolo,
        riferimento=riferimento,
        unita=unita,
        parametri=usati,
        parametri_originali=originali,
        non_in_vigore_alla_data_originale=nuovi,
    )


_PLURALE = {"componente": "componenti", "figlio": "figli"}


def _n(count: int, word: str) -> str:
    """``1, "figlio"`` → "1 figlio"; ``2, "figlio"`` → "2 figli"."""
    return f"{count} {word if count == 1 else _PLURALE[word]}"


def _righe(r: dict[str, Any], params: ParameterSet) -> tuple[RigaConfronto, ...]:
    base_rf = (
        "indicata"
        if r["base_rf_nota"] is not None
        else f"reddito figurativo stampato / tasso alla data originale "
        f"{percentuale(r['tasso_rf_originale'])}"
    )
    franchigia_mob = min(r["franchigia_mobiliare"], r["patrimonio_mobiliare"])
    detrazione_imm = r["patrimonio_immobiliare_stampato"] - r["patrimonio_immobiliare_netto"]
    casa = (
        f"casa di abitazione al netto del mutuo {euro(r['casa_abitazione_netta'])}: franchigia "
        f"{euro(r['franchigia_casa'])}, rileva {euro(r['casa_abitazione_rilevante'])}; altri "
        f"immobili al netto dei mutui {euro(r['altri_immobili_netti'])}"
        if r["casa_nota"]
        else f"valore della casa non indicato: patrimonio immobiliare netto stampato "
        f"{euro(r['altri_immobili_netti'])} riportato invariato"
    )
    canone = (
        f"canone {euro(r['canone_annuo'])} → detrazione {euro(r['detrazione_canone'])}"
        if r["canone_noto"]
        else "canone non indicato"
    )
    maggiorazioni = (
        r["maggiorazione_figli"] + r["maggiorazione_genitori"] + r["maggiorazione_disabilita"]
    )
    lavoratori = "indicati" if r["n_genitori_lavoratori_noto"] is not None else "dedotti"
    return (
        _riga(
            r, params, "somma_redditi", "Somma dei redditi dei componenti del nucleo",
            r["somma_redditi"],
            "presa come stampata (le detrazioni dei componenti non si rifanno senza i loro "
            "redditi)",
            f"{DPCM} art. 4 c. 2-3",
        ),
        _riga(
            r, params, "reddito_figurativo", "Reddito figurativo del patrimonio mobiliare",
            r["reddito_figurativo"],
            f"{percentuale(r['tasso_reddito_figurativo'])} × base "
            f"{euro(r['base_reddito_figurativo'])} ({base_rf})",
            f"{DPCM} art. 4",
            (
                "reddito_figurativo.rendimento_titoli_decennali",
                "reddito_figurativo.tasso_interesse_legale",
                "reddito_figurativo.maggiorazione_tasso_legale",
            ),
        ),
        _riga(
            r, params, "detrazioni", "Detrazioni per spese e franchigie del nucleo",
            r["detrazioni_nucleo"],
            f"{canone} + franchigie per disabilità {euro(r['franchigie_calcolate'])} + importo "
            f"stampato non scomposto {euro(r['detrazioni_fisse'])}",
            f"{DPCM} art. 4 c. 4",
            (
                "isr.detrazione_canone_massimo",
                "isr.detrazione_canone_incremento_figlio",
                "isr.franchigia_disabilita",
            ),
        ),
        _riga(
            r, params, "isr", "ISR – Indicatore della situazione reddituale", r["isr"],
            f"{euro(r['somma_redditi'])} + {euro(r['reddito_figurativo'])} − "
            f"{euro(r['detrazioni_nucleo'])}, non inferiore a zero",
            f"{DPCM} art. 4",
        ),
        _riga(
            r, params, "patrimonio_mobiliare", "Patrimonio mobiliare del nucleo",
            r["patrimonio_mobiliare"], "preso come stampato", f"{DPCM} art. 5 c. 4",
        ),
        _riga(
            r, params, "detrazione_patrimonio_mobiliare",
            "Detrazione patrimonio mobiliare (franchigia)", franchigia_mob,
            f"franchigia {euro(r['franchigia_mobiliare'])} per "
            f"{_n(r['n_componenti'], 'componente')} e {_n(r['n_figli'], 'figlio')}, fino a "
            "concorrenza del patrimonio",
            f"{DPCM} art. 5 c. 4",
            (
                "isp.franchigia_mobiliare_base",
                "isp.franchigia_mobiliare_incremento_componente",
                "isp.franchigia_mobiliare_massimo",
                "isp.franchigia_mobiliare_incremento_figlio",
            ),
        ),
        _riga(
            r, params, "patrimonio_immobiliare", "Patrimonio immobiliare del nucleo",
            r["patrimonio_immobiliare_stampato"], "preso come stampato", f"{DPCM} art. 5 c. 2-3",
        ),
        _riga(
            r, params, "detrazione_patrimonio_immobiliare",
            "Detrazione patrimonio immobiliare (mutui e casa di abitazione)", detrazione_imm,
            casa,
            f"{DPCM} art. 5 c. 2",
            (
                "isp.franchigia_casa_abitazione",
                "isp.franchigia_casa_incremento_figlio",
                "isp.quota_eccedenza_casa",
            ),
        ),
        _riga(
            r, params, "isp", "ISP – Indicatore della situazione patrimoniale", r["isp"],
            f"{euro(r['patrimonio_mobiliare_netto'])} + {euro(r['patrimonio_immobiliare_netto'])}",
            f"{DPCM} art. 5 c. 1",
        ),
        _riga(
            r, params, "ise", "ISE – Indicatore della situazione economica", r["ise"],
            f"ISR {euro(r['isr'])} + {percentuale(r['ise.coefficiente_isp'])} × ISP "
            f"{euro(r['isp'])}",
            f"{DPCM} art. 2 c. 3",
            ("ise.coefficiente_isp",),
        ),
        _riga(
            r, params, "parametro_nucleo", "Parametro della scala di equivalenza",
            r["scala_parametro_base"], _n(r["n_componenti"], "componente"), f"{DPCM} Allegato 1",
            ("scala_equivalenza.parametro_base",), unita="scala",
        ),
        _riga(
            r, params, "maggiorazioni", "Maggiorazioni", maggiorazioni,
            f"figli {numero(r['maggiorazione_figli'])} ({r['n_figli']} figli) + genitori "
            f"{numero(r['maggiorazione_genitori'])} ({r['n_figli_minorenni']} figli minorenni, "
            f"{r['n_genitori_lavoratori']} di {r['n_genitori']} genitori lavoratori, {lavoratori})"
            f" + disabilità {numero(r['maggiorazione_disabilita'])} ({r['n_disabili']} "
            "componenti)",
            f"{DPCM} Allegato 1; DL 42/2016 art. 2-sexies",
            (
                "scala_equivalenza.maggiorazione_figli",
                "scala_equivalenza.maggiorazione_genitori_lavoratori",
                "scala_equivalenza.maggiorazione_genitori_lavoratori_figlio_piccolo",
                "scala_equivalenza.maggiorazione_disabilita",
            ),
            unita="scala",
        ),
        _riga(
            r, params, "scala_equivalenza", "Valore della scala di equivalenza",
            r["scala_equivalenza"],
            f"{numero(r['scala_parametro_base'])} + {numero(maggiorazioni)}",
            f"{DPCM} Allegato 1", unita="scala",
        ),
        _riga(
            r, params, "isee", "ISEE – Indicatore della situazione economica equivalente",
            r["isee"], f"ISE {euro(r['ise'])} / scala {numero(r['scala_equivalenza'])}",
            f"{DPCM} art. 2 c. 2",
        ),
    )  # fmt: skip


def confronta(
    componenti: Sequence[ComponentiAttestazione],
    *,
    data: dt.date | None = None,
    params: ParameterSet | None = None,
) -> list[Confronto]:
    """Recompute (see :func:`ricalcola`) and pair each printed line with its recomputed value."""
    params = params or load_parameters()
    result = ricalcola(componenti, data=data, params=params)
    return [
        Confronto(
            protocollo=r["protocollo"],
            data_presentazione=r["data_originale"],
            data_ricalcolo=r["data_ricalcolo"],
            esatto=r["esatto"],
            note=tuple(r["note"]),
            righe=_righe(r, params),
        )
        for r in result.iter_rows(named=True)
    ]


_WIDTH = 96
_COLONNA = 16


def _valore(value: float, unita: str) -> str:
    return numero(value) if unita == "scala" else euro(value)


def _valore_parametro(p: ParametroUsato) -> str:
    value = p.valore
    if isinstance(value, bool):
        return "sì" if value else "no"
    unit = p.unita.removeprefix("table-")
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_scalare(v, unit)}" for k, v in value.items())
    return _scalare(value, unit)


def _scalare(value: float, unit: str) -> str:
    if unit == "EUR":
        return euro(value)
    if unit == "ratio":
        return percentuale(value)
    return numero(value)


def render_confronto(c: Confronto) -> str:
    """The side-by-side text of one recomputed attestazione (Italian)."""
    protocollo = f" {c.protocollo}" if c.protocollo else ""
    stessa_data = c.data_ricalcolo == c.data_presentazione
    regole = (
        "con le regole della data di presentazione"
        if stessa_data
        else f"con le regole in vigore al {c.data_ricalcolo:%d/%m/%Y}"
    )
    label_width = _WIDTH - 2 * (_COLONNA + 1)
    lines = [
        f"Attestazione ISEE ordinario – DSU{protocollo} presentata il "
        f"{c.data_presentazione:%d/%m/%Y}, ricalcolata {regole}",
        "",
        f"{'':<{label_width}} {'stampato':>{_COLONNA}} {'ricalcolato':>{_COLONNA}}",
    ]
    for n, riga in enumerate(c.righe, start=1):
        head = f"{n:>2}. {riga.etichetta}"
        dots = "." * max(label_width - len(head) - 1, 2)
        stampato = _valore(riga.stampato, riga.unita)
        ricalcolato = _valore(riga.ricalcolato, riga.unita)
        segno = " ≠" if round(riga.stampato, 2) != round(riga.ricalcolato, 2) else ""
        lines.append(f"{head} {dots} {stampato:>{_COLONNA}} {ricalcolato:>{_COLONNA}}{segno}")
        lines.append(f"    {riga.calcolo} [{riga.riferimento}]")
        for p in riga.parametri:
            refs = "; ".join(ref.title for ref in p.riferimenti)
            lines.append(f"      parametro {p.etichetta}: {_valore_parametro(p)} ({refs})")
        for p in riga.parametri_originali:
            lines.append(f"      alla data originale {p.etichetta}: {_valore_parametro(p)}")
        for etichetta in riga.non_in_vigore_alla_data_originale:
            lines.append(f"      alla data originale {etichetta}: non prevista")
    lines.append("")
    if c.esatto:
        lines.append("Ricalcolo esatto: ogni riga è ricostruita senza approssimazioni.")
    else:
        lines.append("Ricalcolo approssimato:")
        lines += [f"  - {nota}" for nota in c.note]
    return "\n".join(lines)


def spiega_ricalcolo(
    componenti: Sequence[ComponentiAttestazione],
    *,
    data: dt.date | None = None,
    params: ParameterSet | None = None,
) -> list[str]:
    """For each attestazione, the printed and recomputed lines side by side, in Italian."""
    return [render_confronto(c) for c in confronta(componenti, data=data, params=params)]
