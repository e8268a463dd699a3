"""The ISEE engine: one vectorized code path for one DSU or millions.

:func:`compute` takes the four input frames of :mod:`equo.isee.frames`, attaches to each DSU the
parameters in force at its ``data_presentazione`` (one sorted search in the parameter timeline,
so a batch may mix DSUs of any date), and runs the formulas of :mod:`equo.isee.formulas` as
Polars expressions. The result has one row per DSU with every intermediate quantity as a named
column; with ``detail=True`` it also keeps the member, relationship and property rows that the
explanation (:mod:`equo.isee.explain`) shows line by line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Literal

import polars as pl

from equo.isee.formulas.componenti import (
    FIGLI,
    FIGLI_CONVIVENTI,
    GENITORI,
    franchigia_disabilita,
    reddito_componente_stages,
)
from equo.isee.formulas.nucleo import (
    indicatori_stages,
    minorenni_stages,
    neutralizza_assegno_unico,
    residenze_stages,
    scala_stages,
)
from equo.isee.formulas.patrimonio import immobili_netti, rapporti_netti
from equo.isee.frames import DsuFrames, dsu_del_figlio, dsu_frames
from equo.isee.model import (
    DSU,
    CondizioneGenitoreNonConvivente,
    Disabilita,
    FiglioNonCompreso,
    RapportoConDichiarante,
)
from equo.isee.parameters import ParameterSet, load_parameters
from equo.isee.universita import autonomia_studenti, motivo_universita
from equo.isee.varianti import (
    MOTIVO_COMPONENTE_AGGIUNTIVA,
    MOTIVO_SENZA_CORRENTE,
    REGOLE,
    RegoleVariante,
    Variante,
    VariantNotApplicableError,
    comuni_capoluogo_metropolitano,
)

__all__ = [
    "NUCLEO_INPUT_COLUMNS",
    "RESULT_COLUMNS",
    "IseeResult",
    "apply_variant",
    "attach_parameters",
    "compute",
    "ise_del_figlio",
    "nucleo_indicators",
]

P = pl.col

RESULT_COLUMNS = (
    "dsu_id",
    "protocollo",
    "data_presentazione",
    "isr",
    "isp",
    "ise",
    "scala_equivalenza",
    "isee",
)
_MONEY = ("isr", "isp", "ise", "isee")
_SUM_DECIMALS = 6
_MEMBER_SCALA_PARAMETERS = ("scala_equivalenza.eta_figlio_piccolo",)
# A member outside the variant's nucleo has a null rapporto (see _members_of_the_variant).
_IN_THE_NUCLEO = P("rapporto").is_not_null()
_GNC = RapportoConDichiarante.GENITORE_NON_CONVIVENTE.value
_CASI_CON_COMPONENTE = [
    c.value for c in CondizioneGenitoreNonConvivente if c.con_componente_aggiuntiva
]
# Polars engine by batch size: in-memory is twice as fast as "auto" on one DSU; streaming is
# faster on large batches (measured with benchmarks/isee_batch.py).
_STREAMING_FROM = 20_000


def _engine(n: int) -> Literal["in-memory", "streaming"]:
    return "streaming" if n >= _STREAMING_FROM else "in-memory"


@dataclass(frozen=True)
class IseeResult:
    """What :func:`compute` returns.

    ``nuclei`` has one row per DSU with every intermediate column (unrounded) plus the rounded
    indicators of :data:`RESULT_COLUMNS`; ``componenti``, ``rapporti`` and ``immobili`` hold the
    row-level detail when ``detail=True`` (else they are empty).
    """

    nuclei: pl.DataFrame
    componenti: pl.DataFrame
    rapporti: pl.DataFrame
    immobili: pl.DataFrame

    def indicatori(self) -> pl.DataFrame:
        """The results as INPS prints them: indicators rounded to the cent."""
        return self.nuclei.select(RESULT_COLUMNS)


def attach_parameters(frame: pl.DataFrame, timeline: pl.DataFrame) -> pl.DataFrame:
    """Append to each row the parameters in force at its ``data_presentazione``."""
    index = (
        timeline["valid_from"]
        .search_sorted(frame["data_presentazione"], side="right")
        .cast(pl.Int64)
        - 1
    )
    if index.len() and index.min() < 0:  # type: ignore[operator]
        raise ValueError(
            f"a DSU is dated before {timeline['valid_from'][0]}, the first date of the rules"
        )
    return pl.concat(
        [frame, timeline.drop("valid_from").select(pl.all().gather(index))], how="horizontal"
    )


def _euro_sum(amounts: pl.Expr) -> pl.Expr:
    """Sum of euro amounts, exact to a millionth of a euro.

    Inputs have at most cents and shares at most a few decimals, so every true sum is exact at
    six decimals; rounding there removes the binary noise whose sign depends on the order in
    which Polars adds, so that the same DSU always gives the same cents (alone or in a batch).
    """
    return amounts.sum().round(_SUM_DECIMALS)


def _cents(amount: pl.Expr) -> pl.Expr:
    """Round to the cent, half away from zero, as a decimal computation would.

    ``91886.985`` is stored as ``91886.98499999…``: snapping to a ten-thousandth of a cent
    first makes a true half cent round up.
    """
    cents = (amount * 100).round(4).round(0, mode="half_away_from_zero")
    # Vectorized division by 100 is not correctly rounded (it may multiply by 0.01); round(2)
    # returns the double nearest to the decimal value, the same alone or in a batch.
    return (cents / 100).round(2)


def _table_keys(params: ParameterSet, name: str) -> tuple[int, ...]:
    return tuple(int(k) for k in params[name].table_keys)


def _sum_per_nucleo(rows: pl.LazyFrame, n: int, sums: dict[str, pl.Expr]) -> pl.LazyFrame:
    """Per-DSU sums of ``rows`` aligned on dsu_id 0..n-1 (zero where a DSU has no row)."""
    per_dsu = rows.group_by("dsu_id").agg(**sums)
    return (
        pl.LazyFrame({"dsu_id": pl.int_range(n, eager=True, dtype=pl.Int64)})
        .join(per_dsu, on="dsu_id", how="left")
        .with_columns(pl.col(list(sums)).fill_null(0))
        .sort("dsu_id")
    )


def _with_stages(frame: pl.LazyFrame, stages: list[list[pl.Expr]]) -> pl.LazyFrame:
    for stage in stages:
        frame = frame.with_columns(stage)
    return frame


def apply_variant(
    nuclei: pl.DataFrame, regole: RegoleVariante, params: ParameterSet
) -> pl.DataFrame:
    """Replace, in the attached parameters, the ordinary values by the variant's.

    Raises :class:`VariantNotApplicableError` naming the first DSU the variant does not exist for.
    """
    if regole.in_vigore_con is not None:
        missing = nuclei[regole.in_vigore_con].is_null()
        if missing.any():
            first = int(missing.arg_true()[0])
            day = nuclei["data_presentazione"][first]
            raise VariantNotApplicableError(
                f"the {regole.etichetta} does not exist for a DSU presented on {day}: "
                f"its rules apply from {params[regole.in_vigore_con].values[0][0]}"
            )
    scalars = {base: variant for base, variant in regole.sostituzioni.items() if base in nuclei}
    nuclei = nuclei.with_columns(P(variant).alias(base) for base, variant in scalars.items())
    if regole.sostituzione_capoluogo is not None:
        capoluogo = P("codice_comune_abitazione").is_in(sorted(comuni_capoluogo_metropolitano()))
        nuclei = nuclei.with_columns(
            pl.when(capoluogo)
            .then(P(regole.sostituzione_capoluogo))
            .otherwise(P("isp.franchigia_casa_abitazione"))
            .alias("isp.franchigia_casa_abitazione")
        )
    return nuclei


def _members_of_the_variant(
    frames: DsuFrames, nuclei: pl.DataFrame, regole: RegoleVariante
) -> pl.DataFrame:
    """The members with the ``rapporto`` the variant's nucleo gives them (null: not in it).

    The genitore non convivente (GNC) belongs only to the ISEE minorenni, and there only when no
    case of art. 7 c. 1 excludes him. For the nucleo ristretto (art. 6 c. 2), the relationship
    to the beneficiary replaces the one to the dichiarante (the beneficiary becomes "D"), so
    that the same composition rules apply.
    """
    gnc = P("rapporto") == _GNC
    attratto = P("condizione_art_7").is_null() if regole.minorenni else pl.lit(False)
    membri = frames.componenti.with_columns(
        pl.when(gnc & ~attratto).then(None).otherwise(P("rapporto")).alias("rapporto")
    )
    if regole.universita:
        # dottorato (art. 8 c. 4): the student's own nucleo, declared as a nucleo ristretto
        proprio = (nuclei["dottorato"].fill_null(False) & nuclei["ha_nucleo_ristretto"]).gather(
            membri["dsu_id"]
        )
        return membri.with_columns(
            pl.when(proprio)
            .then(P("rapporto_ristretto"))
            .otherwise(P("rapporto"))
            .alias("rapporto")
        )
    if not regole.nucleo_ristretto:
        return membri
    ristretto = nuclei["ha_nucleo_ristretto"].gather(membri["dsu_id"])
    membri = membri.with_columns(
        pl.when(ristretto).then(P("rapporto_ristretto")).otherwise(P("rapporto")).alias("rapporto")
    )
    if regole.residenze:
        beneficiari = membri.filter(P("rapporto") == RapportoConDichiarante.DICHIARANTE.value)
        senza = beneficiari.filter(P("disabilita") == Disabilita.NESSUNA.value)
        if senza.height:
            day = nuclei["data_presentazione"][int(senza["dsu_id"][0])]
            raise VariantNotApplicableError(
                f"the {regole.etichetta} needs a beneficiary with disabilità media, grave or non "
                f"autosufficienza: the beneficiary of the DSU presented on {day} "
                f"({senza['codice_fiscale'][0]}) has none"
            )
    return membri


def _compute_corrente(frames: DsuFrames, params: ParameterSet, detail: bool) -> IseeResult:
    """ISEE corrente (DPCM 159/2013 art. 9): the ordinary computation on current incomes.

    The declared twelve-month incomes replace the members' ordinary ones; the result is
    admissible on a work variation or an interruption of trattamenti and/or an ISR lower than
    the ordinary one by more than the threshold (``varianti.corrente.condizioni_alternative``
    says which), and is valid for ``varianti.corrente.validita_mesi`` months.
    """
    senza = frames.nuclei.filter(P("corrente_variazione_lavoro").is_null())
    if senza.height:
        raise VariantNotApplicableError(
            MOTIVO_SENZA_CORRENTE.format(day=senza["data_presentazione"][0])
        )
    ordinario = compute(frames, params=params)
    componenti = frames.componenti.update(frames.redditi_correnti, on="componente_id")
    aggiornati = componenti.filter(P("patrimonio_aggiornato"))["componente_id"]
    nuovi = replace(
        frames,
        componenti=componenti,
        rapporti=pl.concat(
            [
                frames.rapporti.filter(~P("componente_id").is_in(aggiornati)),
                frames.rapporti_correnti,
            ]
        ),
        immobili=pl.concat(
            [
                frames.immobili.filter(~P("componente_id").is_in(aggiornati)),
                frames.immobili_correnti,
            ]
        ),
    )
    corrente = compute(nuovi, params=params, detail=detail)
    soglia_isp = P("varianti.corrente.soglia_variazione_isp")
    con_patrimonio = (
        corrente.nuclei.select(
            "dsu_id", "data_presentazione", "varianti.corrente.soglia_variazione_isp"
        )
        .join(componenti.filter(P("patrimonio_aggiornato")).select("dsu_id").unique(), on="dsu_id")
        .filter(soglia_isp.is_null())
    )
    if con_patrimonio.height:
        raise VariantNotApplicableError(
            "the ISEE corrente with an updated patrimonio exists for DSUs from "
            f"{params['varianti.corrente.soglia_variazione_isp'].values[0][0]}: the DSU presented "
            f"on {con_patrimonio['data_presentazione'][0]} declares one"
        )
    evento = P("corrente_variazione_lavoro") | P("corrente_interruzione_trattamenti")
    calo = (P("riduzione_isr") > P("varianti.corrente.soglia_variazione_isr")) | (
        P("riduzione_isp") > soglia_isp
    ).fill_null(False)
    nuclei = (
        corrente.nuclei.with_columns(
            isr_ordinario=ordinario.nuclei["isr"], isp_ordinario=ordinario.nuclei["isp"]
        )
        .with_columns(
            pl.when(P(f"{x}_ordinario") > 0)
            .then(1 - P(x) / P(f"{x}_ordinario"))
            .otherwise(0.0)
            .alias(f"riduzione_{x}")
            for x in ("isr", "isp")
        )
        .with_columns(
            pl.when(P("varianti.corrente.condizioni_alternative"))
            .then(evento | calo)
            .otherwise(evento & calo)
            .alias("corrente_ammissibile"),
            P("data_presentazione")
            .dt.offset_by(pl.format("{}mo", P("varianti.corrente.validita_mesi").cast(pl.Int32)))
            .dt.offset_by("-1d")
            .alias("valida_fino_al"),
        )
    )
    esclusi = nuclei.filter(~P("corrente_ammissibile"))
    if esclusi.height:
        first = esclusi.row(0, named=True)
        raise VariantNotApplicableError(
            f"the ISEE corrente is not admissible for the DSU presented on "
            f"{first['data_presentazione']}: the current ISR is lower than the ordinary one by "
            f"{first['riduzione_isr']:.1%} (more than "
            f"{first['varianti.corrente.soglia_variazione_isr']:.0%} is needed"
            + (
                ", or an ISP lower by more than "
                f"{first['varianti.corrente.soglia_variazione_isp']:.0%}"
                if first["varianti.corrente.soglia_variazione_isp"] is not None
                else ""
            )
            + (", or" if first["varianti.corrente.condizioni_alternative"] else ", and")
            + " a variation of work or an interruption of trattamenti must be declared)"
        )
    return replace(corrente, nuclei=nuclei)


def _check_universita(
    nuclei: pl.DataFrame, frames: DsuFrames, params: ParameterSet
) -> pl.DataFrame:
    """The student's autonomy test (art. 8 c. 2); a DSU that cannot give the ISEE università
    (no student, or a nucleo the test contradicts) raises :class:`VariantNotApplicableError`.

    The reasons come from :func:`motivo_universita`, asked once per distinct combination of
    (autonomous, student's rapporto), so the check stays vectorized.
    """
    nuclei = autonomia_studenti(nuclei, params)
    studente = nuclei["studente_id"]
    rapporto = pl.select(
        pl.when(studente.is_null())
        .then(None)
        .otherwise(frames.componenti["rapporto"].gather(studente.fill_null(0)))
    ).to_series()
    # dottorato di ricerca (art. 8 c. 4): no autonomy test, the nucleo is chosen by the DSU
    dottorato = nuclei["dottorato"].fill_null(False)
    casi = pl.DataFrame(
        {
            "studente_autonomo": nuclei["studente_autonomo"],
            "rapporto_studente": rapporto,
            "data_presentazione": nuclei["data_presentazione"],
        }
    )
    casi = casi.filter(~dottorato)
    for autonomo, codice in casi.select("studente_autonomo", "rapporto_studente").unique().rows():
        if motivo_universita(autonomo, codice, dt.date.min) is None:
            continue
        first = casi.with_row_index().filter(
            P("studente_autonomo").eq_missing(autonomo) & P("rapporto_studente").eq_missing(codice)
        )["data_presentazione"][0]
        raise VariantNotApplicableError(motivo_universita(autonomo, codice, first))
    return nuclei


def _componente_aggiuntiva_genitore(
    frames: DsuFrames, nuclei: pl.DataFrame, n: int
) -> pl.LazyFrame:
    """The componenti aggiuntive of genitori non conviventi in cases a) and b) of art. 7.

    Taken as given (as printed on an attestazione): the formula of DPCM 159/2013 Allegato 2 c. 2
    is not verified in our sources, so a missing value is refused, never computed.
    """
    casi = frames.componenti.filter(
        (P("rapporto") == _GNC) & P("condizione_art_7").is_in(_CASI_CON_COMPONENTE)
    )
    mancanti = casi.filter(P("componente_aggiuntiva").is_null())
    if mancanti.height:
        raise VariantNotApplicableError(
            MOTIVO_COMPONENTE_AGGIUNTIVA.format(cf=mancanti["codice_fiscale"][0])
        )
    return _sum_per_nucleo(
        casi.lazy(),
        n,
        {"componente_aggiuntiva_genitore": _euro_sum(P("componente_aggiuntiva"))},
    )


def _ise_figli(frames: DsuFrames, params: ParameterSet) -> pl.Series:
    """The ISE on each figlio alone (Allegato 2 c. 1 lett. a-b): given, or from his own data.

    The figli given with their own data (``figli_dati``, one-member DSUs without casa di
    abitazione or donations) go through the ordinary :func:`compute` once for the whole batch.
    """
    figli = frames.figli_non_compresi
    righe = figli["figlio_dsu_id"]
    if righe.null_count() == figli.height:
        return figli["ise_figlio"]
    if frames.figli_dati is None:
        raise ValueError("figli_non_compresi.figlio_dsu_id is set but figli_dati is missing")
    ise = compute(frames.figli_dati, params=params).nuclei["ise"]
    calcolato = ise.gather(righe.fill_null(0))
    return (
        pl.select(
            pl.when(righe.is_null()).then(figli["ise_figlio"]).otherwise(calcolato).alias("ise")
        )
        .to_series()
        .alias("ise_figlio")
    )


def _componenti_aggiuntive_figli(
    frames: DsuFrames, nuclei: pl.DataFrame, n: int, params: ParameterSet
) -> pl.LazyFrame:
    """Σ over the figli outside the nucleo of 0.2 × (ISE / scala of their nucleo − 9,000).

    DPCM 159/2013 Allegato 2 c. 1 lett. a)-e): nothing for a figlio below the threshold or
    excluded (disability in his nucleo, estraneità); the division by the beneficiary's scala
    (lett. f) happens with the scala (see :func:`equo.isee.formulas.nucleo.residenze_stages`).
    """
    soglia, quota = (
        "varianti.residenze.soglia_componente_aggiuntiva",
        "varianti.residenze.coefficiente_componente_aggiuntiva",
    )
    figli = pl.concat(
        [
            frames.figli_non_compresi.with_columns(_ise_figli(frames, params)),
            nuclei.select(soglia, quota).gather(frames.figli_non_compresi["dsu_id"]),
        ],
        how="horizontal",
    ).lazy()
    eccedenza = P("ise_figlio") / P("scala_nucleo_figlio") - P(soglia)
    lorda = (
        pl.when(P("escluso"))
        .then(pl.lit(0.0))
        .otherwise(pl.max_horizontal(P(quota) * eccedenza, pl.lit(0.0)))
    )
    return _sum_per_nucleo(
        figli.with_columns(lorda.alias("_lorda")),
        n,
        {
            "componenti_aggiuntive_lorde": _euro_sum(P("_lorda")),
            "n_figli_non_compresi": pl.len().cast(pl.Int64),
        },
    )


def compute(
    frames: DsuFrames,
    *,
    params: ParameterSet | None = None,
    detail: bool = False,
    variante: Variante = Variante.ORDINARIO,
) -> IseeResult:
    """Compute the ISEE of every DSU in ``frames`` (ordinario, or a parameter-level variant)."""
    params = params or load_parameters()
    regole = REGOLE[variante]
    if regole.corrente:
        return _compute_corrente(frames, params, detail)
    n = len(frames)
    nuclei = apply_variant(attach_parameters(frames.nuclei, params.timeline()), regole, params)
    member_params = [
        c for c in nuclei.columns if c.startswith("isr.") or c in _MEMBER_SCALA_PARAMETERS
    ]
    if regole.universita:
        nuclei = _check_universita(nuclei, frames, params)
    membri = _members_of_the_variant(frames, nuclei, regole)
    immobili_in = frames.immobili if regole.residenze else frames.immobili.filter(~P("donazione"))

    # dsu_id and componente_id are row numbers: parameters and owners are gathered, not joined.
    componenti = pl.concat(
        [membri, nuclei.select(member_params).gather(membri["dsu_id"])],
        how="horizontal",
    ).lazy()
    componenti = _with_stages(
        componenti.filter(_IN_THE_NUCLEO), reddito_componente_stages()
    ).with_columns(franchigia_disabilita())
    owners = membri.select("rapporto", "eta").gather(frames.rapporti["componente_id"])
    rapporti_params = nuclei.select(
        "isp.esclusione_titoli_stato_massimo", "isp.giacenza_media"
    ).gather(frames.rapporti["dsu_id"])
    rapporti = rapporti_netti(
        pl.concat([frames.rapporti, owners, rapporti_params], how="horizontal")
        .lazy()
        .filter(_IN_THE_NUCLEO)
    )
    immobili_owners = membri.select("rapporto").gather(immobili_in["componente_id"])
    immobili = immobili_netti(
        pl.concat([immobili_in, immobili_owners], how="horizontal").lazy().filter(_IN_THE_NUCLEO)
    )

    mobiliare_componente = (
        rapporti.group_by("componente_id")
        .agg(
            P("dsu_id").first(),
            P("isp.giacenza_media").first(),
            _euro_sum(P("saldo_netto")).alias("depositi_saldo"),
            _euro_sum(P("giacenza_netta")).alias("depositi_giacenza"),
            _euro_sum(P("valore_netto")).alias("altri_mobiliari"),
            _euro_sum(P("titoli_esclusi")),
        )
        .with_columns(
            (
                pl.when(P("isp.giacenza_media"))
                .then(pl.max_horizontal(P("depositi_saldo"), P("depositi_giacenza")))
                .otherwise(P("depositi_saldo"))
                + P("altri_mobiliari")
            ).alias("patrimonio_mobiliare_componente")
        )
    )

    is_figlio = P("rapporto").is_in(FIGLI)
    minorenne = P("eta") < P("isr.eta_maggiore_eta")
    composizione = _sum_per_nucleo(
        componenti,
        n,
        {
            "n_componenti": pl.len().cast(pl.Int64),
            "n_figli": is_figlio.sum().cast(pl.Int64),
            "n_figli_conviventi": P("rapporto").is_in(FIGLI_CONVIVENTI).sum().cast(pl.Int64),
            "n_figli_minorenni": (is_figlio & minorenne).sum().cast(pl.Int64),
            "n_figli_piccoli": (is_figlio & (P("eta") < P("scala_equivalenza.eta_figlio_piccolo")))
            .sum()
            .cast(pl.Int64),
            "n_genitori": P("rapporto").is_in(GENITORI).sum().cast(pl.Int64),
            "n_genitori_lavoratori": (
                P("rapporto").is_in(GENITORI) & P("attivita_lavorativa_6_mesi")
            )
            .sum()
            .cast(pl.Int64),
            "n_disabili": (P("disabilita") != Disabilita.NESSUNA.value).sum().cast(pl.Int64),
            "somma_redditi": _euro_sum(P("reddito_componente")),
            "franchigie_disabilita": _euro_sum(P("franchigia_disabilita")),
        },
    )
    mobiliare = _sum_per_nucleo(
        mobiliare_componente,
        n,
        {
            "patrimonio_mobiliare": _euro_sum(P("patrimonio_mobiliare_componente")),
            "base_reddito_figurativo": _euro_sum(P("altri_mobiliari")),
            "titoli_esclusi": _euro_sum(P("titoli_esclusi")),
        },
    )
    casa = P("casa_abitazione")
    immobiliare = _sum_per_nucleo(
        immobili,
        n,
        {
            "casa_abitazione_lorda": _euro_sum(P("valore_quota").filter(casa)),
            "casa_abitazione_mutuo": _euro_sum(
                (P("valore_quota") - P("valore_netto")).filter(casa)
            ),
            "casa_abitazione_netta": _euro_sum(P("valore_netto").filter(casa)),
            "altri_immobili_lordi": _euro_sum(P("valore_quota").filter(~casa)),
            "altri_immobili_netti": _euro_sum(P("valore_netto").filter(~casa)),
        },
    )
    parts = [composizione, mobiliare.drop("dsu_id"), immobiliare.drop("dsu_id")]
    if regole.minorenni:
        parts.append(_componente_aggiuntiva_genitore(frames, nuclei, n).drop("dsu_id"))
    if regole.residenze:
        parts.append(_componenti_aggiuntive_figli(frames, nuclei, n, params).drop("dsu_id"))
    aggregates = pl.concat(parts, how="horizontal")
    result = nucleo_indicators(
        pl.concat([nuclei.lazy(), aggregates.drop("dsu_id")], how="horizontal"), params, regole
    )
    if not detail:
        empty = pl.DataFrame()
        return IseeResult(result.collect(engine=_engine(n)), empty, empty, empty)
    componenti = componenti.join(
        mobiliare_componente.select(
            "componente_id",
            "depositi_saldo",
            "depositi_giacenza",
            "altri_mobiliari",
            "patrimonio_mobiliare_componente",
        ),
        on="componente_id",
        how="left",
    ).sort("componente_id")
    # One collection for the four plans, so their shared parts run once.
    return IseeResult(*pl.collect_all([result, componenti, rapporti, immobili], engine=_engine(n)))


NUCLEO_INPUT_COLUMNS = (
    "data_presentazione",
    "titolo_abitazione",
    "canone_annuo",
    "n_componenti",
    "n_figli",
    "n_figli_conviventi",
    "n_figli_minorenni",
    "n_figli_piccoli",
    "n_genitori",
    "n_genitori_lavoratori",
    "n_disabili",
    "somma_redditi",
    "franchigie_disabilita",
    "patrimonio_mobiliare",
    "base_reddito_figurativo",
    "casa_abitazione_netta",
    "altri_immobili_netti",
)
"""What the nucleo-level formulas need: composition counts and member-level sums."""


def nucleo_indicators(
    nuclei: pl.LazyFrame, params: ParameterSet, regole: RegoleVariante = REGOLE[Variante.ORDINARIO]
) -> pl.LazyFrame:
    """ISR, ISP, ISE, scala and ISEE from nucleo-level inputs with their parameters attached.

    ``nuclei`` holds :data:`NUCLEO_INPUT_COLUMNS` and the parameter columns of
    :func:`attach_parameters`. :func:`compute` builds these inputs from full DSUs; a caller
    holding only what an attestazione prints (sums per nucleo, composition) uses this function
    directly, so both go through the same formulas.
    """
    figli = regole.sostituzioni.get(
        "scala_equivalenza.maggiorazione_figli", "scala_equivalenza.maggiorazione_figli"
    )
    stages = indicatori_stages() + scala_stages(
        _table_keys(params, "scala_equivalenza.parametro_base"),
        figli,
        _table_keys(params, figli),
    )
    if regole.minorenni:
        stages.append(minorenni_stages())
    if regole.neutralizza_assegno_unico:
        stages.append(neutralizza_assegno_unico())
    if regole.residenze:
        stages.append(residenze_stages())
    result = _with_stages(nuclei, stages).with_columns(_periodi())
    return result.with_columns(_cents(P(c)) for c in (*_MONEY, "scala_equivalenza"))


def _periodi() -> list[pl.Expr]:
    """Reference years of incomes and patrimonio, and the DSU's validity (§8 of the domain)."""
    anno = P("data_presentazione").dt.year()
    return [
        (anno - P("periodi.anni_redditi").cast(pl.Int32)).alias("anno_redditi"),
        pl.date(anno - P("periodi.anni_patrimonio").cast(pl.Int32), 12, 31).alias(
            "data_patrimonio"
        ),
        pl.when(P("periodi.validita_fino_al_15_gennaio"))
        .then(pl.date(anno + 1, 1, 15))
        .otherwise(pl.date(anno, 12, 31))
        .alias("valida_fino_al"),
    ]


def ise_del_figlio(
    figlio: FiglioNonCompreso, dsu: DSU, params: ParameterSet | None = None
) -> float:
    """The ISE of a figlio outside the nucleo (residenze): as given, or computed on his own
    data alone by this engine (Allegato 2 c. 1 lett. a), as the batch does."""
    if figlio.dati is None:
        return figlio.ise_figlio
    alone = compute(dsu_frames([dsu_del_figlio(figlio.dati, dsu)]), params=params)
    return float(alone.nuclei["ise"][0])
