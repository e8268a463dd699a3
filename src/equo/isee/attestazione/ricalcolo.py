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

Variants (``variante``): the same path runs on the variant block the attestazione prints, with
``nucleo_indicators(..., regole=REGOLE[variante])``; one row per block (per beneficiary):

- ``sociosanitario``: each ``Ridotto/ISEERistretto`` (its own lines, composition from the
  nucleo ristretto listed; the non-printed facts of the ordinario do not apply), else the
  ordinario;
- ``residenze``: ``ISEESocioSanRes`` / ``ISEESocioSanResRistretto``, plus each figlio's
  componente aggiuntiva: recomputed with the parameters at the new date
  (``varianti.residenze.*``) when his ISE and scala are given, else carried as printed (lorda =
  printed value × printed scala) and flagged at another date;
- ``minorenni`` / ``universita``: the nucleo part of ``ISEEMin`` / ``ISEEUni`` is recomputed;
  the componente aggiuntiva of the genitore non convivente (Allegato 2 c. 2, formula not
  verified) is carried as printed, flagged at another date;
- ``specifiche-2026``: the ordinario with the variant's parameters (casa threshold, maggiorazione
  figli table); needs ``casa_abitazione_netta`` and ``codice_comune_abitazione``, flagged
  otherwise;
- ``nido``: the minorenni block (else the ordinario) with the assegno unico neutralised; needs
  ``assegno_unico_annuo``, flagged otherwise.

The check against the printed lines at the original date is always done on the block's own lines
(ISR, ISP, ISE, scala and ISE / scala), with the ordinary formulas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl

from equo.isee.attestazione.model import (
    ComponenteAggiuntiva,
    ComponentiAttestazione,
    IseeBeneficiario,
    MembroNucleo,
    QuadroIsee,
    conta_nucleo,
)
from equo.isee.engine import (
    NUCLEO_INPUT_COLUMNS,
    apply_variant,
    attach_parameters,
    nucleo_indicators,
)
from equo.isee.explain import PARAMETRI_PER_RIGA, ParametroUsato
from equo.isee.format import euro, numero, percentuale
from equo.isee.model import Disabilita, RapportoConDichiarante, TitoloAbitazione
from equo.isee.parameters import ParameterSet, load_parameters
from equo.isee.varianti import REGOLE, RegoleVariante, Variante

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
_GRUPPI = PARAMETRI_PER_RIGA
_INDICATORI = ("isr", "isp", "ise", "scala_equivalenza", "isee")
_TOLLERANZA = 0.015  # a cent, plus the rounding of the printed parts


_RELAZIONE = {"B": "D", "C": "C", "F": "F", "MA": "MA", "FC": "FC", "FNC": "FNC"}
_CONTEGGI = (
    "n_componenti",
    "n_figli",
    "n_figli_conviventi",
    "n_figli_minorenni",
    "n_genitori",
    "n_figli_piccoli",
)
_NOTA_BLOCCO = (
    "{variante}: l'attestazione non riporta il blocco della variante; ricalcolato sul nucleo "
    "ordinario"
)


@dataclass(frozen=True)
class _Blocco:
    """The lines of one variant block, the composition of its nucleo and its extra parts."""

    indice: int
    c: ComponentiAttestazione
    blocco: str
    quadro: QuadroIsee
    conteggi: dict[str, int | None]
    fatti: bool  # the ordinario's non-printed facts apply (same nucleo)
    beneficiario: str | None = None
    isee_finale: float | None = None
    componente_genitore: float = 0.0
    figli: tuple[ComponenteAggiuntiva, ...] = ()
    note: tuple[str, ...] = ()


def _conteggi(c: ComponentiAttestazione) -> dict[str, int | None]:
    return {k: getattr(c, k) for k in _CONTEGGI}


def _ordinario(i: int, c: ComponentiAttestazione, note: tuple[str, ...] = ()) -> _Blocco:
    return _Blocco(i, c, "ordinario", c.ordinario, _conteggi(c), True, note=note)


def _da_beneficiario(
    i: int, c: ComponentiAttestazione, nome: str, b: IseeBeneficiario, residenze: bool
) -> _Blocco:
    """A minorenni, università or residenze block (``ISEEOrd``: the ordinario's lines)."""
    conteggi = _conteggi(c)
    fatti = True
    if b.nucleo_attratto:
        conteggi = {**conteggi, **conta_nucleo(b.nucleo_attratto, c.data_presentazione)}
        fatti = False
    elif "Attr" in b.esito:
        # the genitore non convivente is attracted: one more member, counted as a genitore
        conteggi["n_componenti"] = c.n_componenti + 1
        conteggi["n_genitori"] = c.n_genitori + 1
        fatti = False
    aggiuntive = tuple(a for a in b.componenti_aggiuntive if a.valore is not None)
    note: tuple[str, ...] = ()
    if b.esito == "ISEENonCalcolabile":
        note = (f"{nome}: l'attestazione dichiara l'ISEE della variante non calcolabile",)
    return _Blocco(
        i,
        c,
        nome,
        b.calcolo or c.ordinario,
        conteggi,
        fatti,
        beneficiario=b.codice_fiscale,
        isee_finale=b.isee,
        componente_genitore=0.0 if residenze else sum(a.valore or 0.0 for a in aggiuntive),
        figli=aggiuntive if residenze else (),
        note=note,
    )


def _blocchi(i: int, c: ComponentiAttestazione, variante: Variante) -> list[_Blocco]:
    """The blocks of ``c`` that hold the variant (one per beneficiary)."""
    manca = (_NOTA_BLOCCO.format(variante=variante.value),)
    if variante in (Variante.ORDINARIO, Variante.SPECIFICHE_2026):
        return [_ordinario(i, c)]
    if variante is Variante.CORRENTE:
        raise ValueError(
            "the ISEE corrente is printed as the ordinario block of its own attestazione "
            "(Ordinario/@Corrente): recompute it as ordinario"
        )
    out: list[_Blocco] = []
    if variante is Variante.SOCIOSANITARIO:
        for j, r in enumerate(c.ridotti):
            if r.ristretto is None:
                continue
            out.append(
                _Blocco(
                    i,
                    c,
                    f"ridotti[{j}].ristretto",
                    r.ristretto,
                    _conteggi_ristretto(r.nucleo, c),
                    False,
                    beneficiario=r.codice_fiscale_beneficiario,
                )
            )
        return out or [_ordinario(i, c)]
    if variante is Variante.RESIDENZE:
        for j, r in enumerate(c.ridotti):
            s = r.sociosanitario_residenze
            if s is None:
                continue
            b = _da_beneficiario(i, c, f"ridotti[{j}].sociosanitario_residenze", s, True)
            quadro = s.calcolo or r.ristretto or c.ordinario
            out.append(
                _Blocco(
                    i,
                    c,
                    b.blocco,
                    quadro,
                    _conteggi_ristretto(r.nucleo, c),
                    False,
                    beneficiario=r.codice_fiscale_beneficiario,
                    isee_finale=b.isee_finale,
                    figli=b.figli,
                    note=b.note,
                )
            )
        for j, s in enumerate(c.sociosanitari_residenze):
            out.append(_da_beneficiario(i, c, f"sociosanitari_residenze[{j}]", s, True))
        return out or [_ordinario(i, c, manca)]
    lista = c.universitari if variante is Variante.UNIVERSITA else c.minorenni
    nome = "universitari" if variante is Variante.UNIVERSITA else "minorenni"
    out = [_da_beneficiario(i, c, f"{nome}[{j}]", b, False) for j, b in enumerate(lista)]
    if variante is Variante.NIDO:
        return out[:1] or [_ordinario(i, c)]
    return out or [_ordinario(i, c, manca)]


def _conteggi_ristretto(nucleo: Sequence[Any], c: ComponentiAttestazione) -> dict[str, int | None]:
    """Counts of a nucleo ristretto: the beneficiary takes the place of the dichiarante."""
    membri = [
        MembroNucleo(
            rapporto=RapportoConDichiarante(_RELAZIONE[m.relazione]),
            cognome=m.cognome,
            nome=m.nome,
            codice_fiscale=m.codice_fiscale,
        )
        for m in nucleo
    ]
    return conta_nucleo(membri, c.data_presentazione)


def _input_frame(blocchi: Sequence[_Blocco], data: dt.date | None) -> pl.DataFrame:
    rows = []
    for riga, b in enumerate(blocchi):
        i, c, q, n = b.indice, b.c, b.quadro, b.conteggi
        canone = c.canone_annuo if b.fatti else None
        titolo = c.titolo_abitazione if b.fatti else None
        if canone is None and titolo is not None and titolo is not TitoloAbitazione.LOCAZIONE:
            canone = 0.0
        if canone is not None and titolo is None:
            titolo = TitoloAbitazione.LOCAZIONE if canone > 0 else TitoloAbitazione.ALTRO
        disabili = c.componenti_disabili if b.fatti else None
        row: dict[str, Any] = {
            "indice": i,
            "protocollo": c.protocollo,
            "data_originale": c.data_presentazione,
            "data_ricalcolo": data or c.data_presentazione,
            **{f"{k}_stampato": float(getattr(q, k)) for k in _STAMPATE},
            "n_componenti": n["n_componenti"],
            "n_figli": n["n_figli"],
            "n_figli_conviventi": n["n_figli_conviventi"],
            "n_figli_minorenni": n["n_figli_minorenni"],
            "n_genitori": n["n_genitori"],
            "n_figli_piccoli_noto": n["n_figli_piccoli"],
            "n_genitori_lavoratori_noto": c.n_genitori_lavoratori if b.fatti else None,
            "disabili_noti": disabili is not None,
            "canone_noto": canone is not None,
            "titolo_abitazione": (titolo or TitoloAbitazione.ALTRO).value,
            "canone_annuo": canone or 0.0,
            "casa_nota": b.fatti and c.casa_abitazione_netta is not None,
            "casa_abitazione_netta": (c.casa_abitazione_netta if b.fatti else None) or 0.0,
            "base_rf_nota": c.base_reddito_figurativo if b.fatti else None,
        }
        for key in _CLASSI:
            row[f"disabili_{key}"] = sum(
                f"{d.classe.value}{'_minorenne' if d.minorenne else ''}" == key
                for d in disabili or []
            )
        row.update(
            riga=riga,
            blocco=b.blocco,
            beneficiario=b.beneficiario,
            isee_finale_stampato=b.isee_finale,
            componente_aggiuntiva_genitore=b.componente_genitore,
            componenti_aggiuntive_stampate=sum(a.valore or 0.0 for a in b.figli),
            assegno_unico_noto=c.assegno_unico_annuo is not None,
            assegno_unico_annuo=c.assegno_unico_annuo or 0.0,
            codice_comune_abitazione=c.codice_comune_abitazione if b.fatti else None,
            note_blocco=list(b.note),
        )
        rows.append(row)
    schema = {
        "beneficiario": pl.String(),
        "isee_finale_stampato": pl.Float64(),
        "codice_comune_abitazione": pl.String(),
        "note_blocco": pl.List(pl.String()),
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


_SOGLIA = "varianti.residenze.soglia_componente_aggiuntiva"
_QUOTA = "varianti.residenze.coefficiente_componente_aggiuntiva"
_NUOVE = (
    "riga",
    "blocco",
    "beneficiario",
    "isee_finale_stampato",
    "componente_aggiuntiva_genitore",
    "componenti_aggiuntive_stampate",
    "assegno_unico_noto",
    "assegno_unico_annuo",
    "codice_comune_abitazione",
    "note_blocco",
    "componenti_aggiuntive_lorde",
    "figli_non_ricalcolabili",
    "figli_incoerenti",
)


def _figli(blocchi: Sequence[_Blocco], base: pl.DataFrame, params: ParameterSet) -> pl.DataFrame:
    """Σ of the figli's componenti aggiuntive (lorde: before the beneficiary's scala) per row.

    With the figlio's ISE and scala the componente is 0.2 × (ISE / scala − 9,000) with the
    parameters at the new date (a printed 0 where the formula at the original date gives more
    means an exclusion of Allegato 2 c. 1, kept); without them the printed value × the printed
    scala is carried (when none is recomputable: (printed final ISEE − printed ISE / scala) ×
    the printed scala, one rounding instead of one per figlio).
    """
    rows = [
        {"riga": riga, "valore": a.valore, "ise": a.ise_figlio, "scala": a.scala_nucleo_figlio}
        for riga, b in enumerate(blocchi)
        for a in b.figli
    ]
    schema = {
        "riga": pl.Int64(),
        "valore": pl.Float64(),
        "ise": pl.Float64(),
        "scala": pl.Float64(),
    }
    figli = pl.DataFrame(rows, schema=schema).join(
        base.select("riga", "data_originale", "data_ricalcolo", "scala_equivalenza_stampato"),
        on="riga",
    )
    timeline = params.timeline()
    if _SOGLIA not in timeline.columns:
        raise ValueError(f"the parameters have no {_SOGLIA}")
    p0 = attach_parameters(
        figli.with_columns(data_presentazione=P("data_originale")), timeline
    ).select(*figli.columns, P(_SOGLIA).alias("s0"), P(_QUOTA).alias("q0"))
    p1 = attach_parameters(
        p0.with_columns(data_presentazione=P("data_ricalcolo")), timeline
    ).select(*p0.columns, P(_SOGLIA).alias("s1"), P(_QUOTA).alias("q1"))
    noto = P("ise").is_not_null() & P("scala").is_not_null()
    lorda0 = pl.max_horizontal(P("q0") * (P("ise") / P("scala") - P("s0")), pl.lit(0.0))
    lorda1 = pl.max_horizontal(P("q1") * (P("ise") / P("scala") - P("s1")), pl.lit(0.0))
    escluso = noto & (P("valore") == 0) & (lorda0 > 0)
    coerente = (
        ~noto
        | escluso
        | ((lorda0 / P("scala_equivalenza_stampato") - P("valore")).abs() <= _TOLLERANZA)
    )
    lorda = (
        pl.when(~noto)
        .then(P("valore") * P("scala_equivalenza_stampato"))
        .when(escluso)
        .then(pl.lit(0.0))
        .otherwise(lorda1)
    )
    per_riga = p1.group_by("riga").agg(
        lorda.sum().round(6).alias("componenti_aggiuntive_lorde"),
        (~noto).sum().cast(pl.Int64).alias("figli_non_ricalcolabili"),
        pl.len().cast(pl.Int64).alias("_figli"),
        (~coerente).sum().cast(pl.Int64).alias("figli_incoerenti"),
    )
    # With no figlio recomputable, the printed final ISEE gives their sum with one rounding
    # instead of one per figlio.
    da_stampato = (P("figli_non_ricalcolabili") == P("_figli")) & P(
        "isee_finale_stampato"
    ).is_not_null()
    return (
        base.select("riga", "isee_finale_stampato", "isee_stampato", "scala_equivalenza_stampato")
        .join(per_riga, on="riga", how="left")
        .with_columns(
            pl.when(da_stampato)
            .then(
                (
                    (P("isee_finale_stampato") - P("isee_stampato")).clip(lower_bound=0.0)
                    * P("scala_equivalenza_stampato")
                ).round(6)
            )
            .otherwise(P("componenti_aggiuntive_lorde"))
            .fill_null(0.0)
            .alias("componenti_aggiuntive_lorde"),
            P("figli_non_ricalcolabili").fill_null(0),
            P("figli_incoerenti").fill_null(0),
        )
        .select(
            "riga", "componenti_aggiuntive_lorde", "figli_non_ricalcolabili", "figli_incoerenti"
        )
        .sort("riga")
    )


def _indicatori(
    frame: pl.DataFrame,
    giorno: str,
    params: ParameterSet,
    regole: RegoleVariante = REGOLE[Variante.ORDINARIO],
) -> pl.DataFrame:
    """Run the engine's nucleo formulas with the parameters at the date in column ``giorno``."""
    attached = attach_parameters(
        frame.with_columns(data_presentazione=P(giorno)), params.timeline()
    )
    with_params = apply_variant(attached, regole, params).with_columns(
        (P("detrazioni_fisse") + _franchigie()).alias("franchigie_disabilita"),
        _franchigie().alias("franchigie_calcolate"),
    )
    missing = set(NUCLEO_INPUT_COLUMNS) - set(with_params.columns)
    assert not missing, missing  # noqa: S101 - a programming error, not an input error
    return nucleo_indicators(with_params.lazy(), params, regole).collect()


def _isee_nucleo() -> pl.Expr:
    """ISE / scala before a variant's final step, to the cent (the block's printed ISEE)."""
    cents = (P("ise") / P("scala_equivalenza") * 100).round(4).round(0, mode="half_away_from_zero")
    return (cents / 100).round(2).alias("isee_nucleo")


def ricalcola(
    componenti: Sequence[ComponentiAttestazione],
    *,
    data: dt.date | None = None,
    variante: Variante = Variante.ORDINARIO,
    params: ParameterSet | None = None,
) -> pl.DataFrame:
    """Recompute each attestazione at ``data`` (default: its own ``data_presentazione``).

    One row per attestazione (per variant block with ``variante``: ``blocco`` and
    ``beneficiario`` say which), in input order: the printed lines (``*_stampato``), every
    recomputed quantity under the engine's column names, the composition used, ``esatto`` and
    ``note`` (one entry per line that is an approximation, starting with the line's code).
    """
    params = params or load_parameters()
    if not componenti:
        raise ValueError("no attestazione to recompute")
    blocchi = [b for i, c in enumerate(componenti) for b in _blocchi(i, c, variante)]
    base = _ricostruisci(_input_frame(blocchi, data), params)
    base = base.join(_figli(blocchi, base, params), on="riga").sort("riga")
    candidati = _candidati(base)
    regole = REGOLE[variante]
    originale = _indicatori(candidati, "data_originale", params)
    riproduce = (
        originale["scala_equivalenza"] - candidati["scala_equivalenza_stampato"]
    ).abs() <= 0.005
    nuovo = _indicatori(candidati, "data_ricalcolo", params, regole).with_columns(
        riproduce_scala=riproduce,
        **{f"{k}_originale": originale[k] for k in _INDICATORI},
    )
    # Keep the candidates that reproduce the printed scala (all of them if none does).
    nuovo = nuovo.with_columns(
        ammesso=P("riproduce_scala") | ~P("riproduce_scala").any().over("riga")
    ).filter(P("ammesso"))
    esiti = nuovo.group_by("riga").agg(
        pl.struct(*_INDICATORI).n_unique().alias("esiti_diversi"),
        P("riproduce_scala").any().alias("scala_riprodotta"),
    )
    scelto = (
        nuovo.sort("riga", "candidato")
        .group_by("riga", maintain_order=True)
        .first()
        .join(esiti, on="riga")
        .sort("riga")
    )
    note = _note(params)
    if variante is not Variante.ORDINARIO:
        note = pl.concat_list(note, _note_variante(variante), P("note_blocco")).alias("note")
    result = (
        scelto.with_columns(_isee_nucleo(), variante=pl.lit(variante.value))
        .with_columns(note)
        .with_columns(esatto=P("note").list.len() == 0)
        .drop("candidato", "ammesso", "riproduce_scala")
    )
    if variante is Variante.ORDINARIO:
        return result.drop(*_NUOVE, "isee_nucleo", "variante")
    return result.drop("riga")


def _note_variante(variante: Variante) -> pl.Expr:
    altra_data = P("data_ricalcolo") != P("data_originale")
    notes: list[tuple[pl.Expr, str]] = []
    if variante in (Variante.MINORENNI, Variante.UNIVERSITA, Variante.NIDO):
        notes.append(
            (
                (P("componente_aggiuntiva_genitore") > 0) & altra_data,
                "componente_aggiuntiva: la componente aggiuntiva del genitore non convivente "
                "(Allegato 2 c. 2, formula non verificata) è riportata come stampata, non "
                "ricalcolata alla nuova data",
            )
        )
    if variante is Variante.RESIDENZE:
        notes += [
            (
                (P("figli_non_ricalcolabili") > 0) & altra_data,
                "componenti_aggiuntive: ISE e scala del nucleo del figlio non indicati; la "
                "componente aggiuntiva stampata è riportata (divisa per la nuova scala), non "
                "ricalcolata con soglia e coefficiente alla nuova data",
            ),
            (
                P("figli_incoerenti") > 0,
                "componenti_aggiuntive: ISE e scala del figlio indicati non riproducono la "
                "componente aggiuntiva stampata alla data originale",
            ),
        ]
    if variante is Variante.NIDO:
        notes.append(
            (
                ~P("assegno_unico_noto") & P("nido.neutralizza_assegno_unico").fill_null(False),
                "isee: assegno unico non indicato; l'ISEE per il bonus nido non è neutralizzato",
            )
        )
    if variante is Variante.SPECIFICHE_2026:
        notes += [
            (
                ~P("casa_nota") & (P("patrimonio_immobiliare_stampato") > 0),
                "patrimonio_immobiliare: valore della casa di abitazione non indicato; la "
                "franchigia sulla casa della variante non si può applicare",
            ),
            (
                P("casa_nota")
                & P("codice_comune_abitazione").is_null()
                & (P("casa_abitazione_netta") > P("franchigia_casa")),
                "patrimonio_immobiliare: comune dell'abitazione non indicato; assunto non "
                "capoluogo di città metropolitana",
            ),
        ]
    if not notes:
        return pl.lit([], dtype=pl.List(pl.String()))
    return pl.concat_list(
        pl.when(cond).then(pl.lit(text)).otherwise(pl.lit(None, dtype=pl.String))
        for cond, text in notes
    ).list.drop_nulls()


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
    variante: str = Variante.ORDINARIO.value
    blocco: str = "ordinario"
    beneficiario: str | None = None

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
    stampato: float | None = None,
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
        stampato=r[f"{codice}_stampato"] if stampato is None else stampato,
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
            r.get("isee_nucleo", r["isee"]),
            f"ISE {euro(r['ise'])} / scala {numero(r['scala_equivalenza'])}",
            f"{DPCM} art. 2 c. 2",
        ),
    )  # fmt: skip


def _righe_variante(
    r: dict[str, Any], params: ParameterSet, variante: Variante
) -> tuple[RigaConfronto, ...]:
    """The variant's final step and its ISEE (none for the ordinario)."""
    if variante is Variante.ORDINARIO:
        return ()
    righe = []
    finale = r["isee_finale_stampato"]
    if variante in (Variante.MINORENNI, Variante.UNIVERSITA, Variante.NIDO):
        componente = r["componente_aggiuntiva_genitore"]
        if componente:
            righe.append(
                _riga(
                    r, params, "isee", "Componente aggiuntiva del genitore non convivente",
                    componente,
                    "riportata come stampata: la formula (Allegato 2 c. 2) non è verificata",
                    f"{DPCM} art. 7 c. 2", stampato=componente,
                )
            )  # fmt: skip
    if variante is Variante.RESIDENZE:
        stampata = r["componenti_aggiuntive_stampate"]
        righe.append(
            _riga(
                r,
                params,
                "isee",
                "Componenti aggiuntive dei figli non compresi nel nucleo",
                r["componenti_aggiuntive_lorde"] / r["scala_equivalenza"],
                f"{euro(r['componenti_aggiuntive_lorde'])} / scala "
                f"{numero(r['scala_equivalenza'])} (ricalcolate da ISE e scala del figlio: "
                f"{_n(r['figli_non_ricalcolabili'], 'figlio')} riportati come stampati)",
                f"{DPCM} Allegato 2 c. 1",
                (_SOGLIA, _QUOTA),
                stampato=stampata,
            )
        )
    if variante is Variante.NIDO:
        righe.append(
            _riga(
                r, params, "isee", "Assegno unico neutralizzato",
                r["assegno_unico_annuo"] / r["scala_equivalenza"]
                if r["nido.neutralizza_assegno_unico"] else 0.0,
                f"assegno unico {euro(r['assegno_unico_annuo'])} / scala "
                f"{numero(r['scala_equivalenza'])}"
                + ("" if r["assegno_unico_noto"] else " (non indicato)"),
                "INPS circ. 60/2025", ("nido.neutralizza_assegno_unico",), stampato=0.0,
            )
        )  # fmt: skip
    stampato = finale if finale is not None else r["isee_stampato"]
    origine = "ISEE della variante" if finale is not None else "ISEE del blocco"
    righe.append(
        _riga(
            r, params, "isee", f"ISEE – {REGOLE[variante].etichetta}", r["isee"],
            f"stampato: {origine}", f"{DPCM} art. 6-7; {REGOLE[variante].etichetta}",
            stampato=stampato,
        )
    )  # fmt: skip
    return tuple(righe)


def confronta(
    componenti: Sequence[ComponentiAttestazione],
    *,
    data: dt.date | None = None,
    variante: Variante = Variante.ORDINARIO,
    params: ParameterSet | None = None,
) -> list[Confronto]:
    """Recompute (see :func:`ricalcola`) and pair each printed line with its recomputed value."""
    params = params or load_parameters()
    result = ricalcola(componenti, data=data, variante=variante, params=params)
    return [
        Confronto(
            protocollo=r["protocollo"],
            data_presentazione=r["data_originale"],
            data_ricalcolo=r["data_ricalcolo"],
            esatto=r["esatto"],
            note=tuple(r["note"]),
            righe=_righe(r, params) + _righe_variante(r, params, variante),
            variante=variante.value,
            blocco=r.get("blocco", "ordinario"),
            beneficiario=r.get("beneficiario"),
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
    titolo = REGOLE[Variante(c.variante)].etichetta
    blocco = "" if c.blocco == "ordinario" else f" (blocco {c.blocco}"
    if blocco:
        blocco += f", beneficiario {c.beneficiario})" if c.beneficiario else ")"
    lines = [
        f"Attestazione {titolo}{blocco} – DSU{protocollo} presentata il "
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
    variante: Variante = Variante.ORDINARIO,
    params: ParameterSet | None = None,
) -> list[str]:
    """For each attestazione (variant block), the printed and recomputed lines, in Italian."""
    confronti = confronta(componenti, data=data, variante=variante, params=params)
    return [render_confronto(c) for c in confronti]
