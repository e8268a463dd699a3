"""The old ISEE (D.Lgs 109/1998 as rewritten by D.Lgs 130/2000), vectorized like the new engine.

:func:`compute_vecchio` takes the same four frames as :func:`equo.isee.engine.compute` (plus,
in ``immobili``, the optional ``valore_ici``: :func:`frames_vecchio` builds them from DSUs),
attaches to each DSU the old parameters at :func:`~equo.isee.vecchio.regole.data_regole` (its
presentation date, or the last day of the old rules for later DSUs) and computes, with one code
path for one DSU or many::

    ISR  = Σ reddito complessivo IRPEF + r × patrimonio mobiliare (whole, before the franchigia)
           − min(canone, 5,164.57) if renting, fino a concorrenza
    ISP  = Σ per property max(0, valore ICI × quota − mutuo), where for the owned casa the
           deduction is the larger of its mutuo and min(value, 51,645.69)
           + max(0, patrimonio mobiliare − 15,493.71)
    ISE  = ISR + 0.20 × ISP;  ISEE = ISE / scala (Tabella 2)

What the old ISEE does not count, though the DSU declares it: incomes outside the reddito
complessivo IRPEF (imposta sostitutiva, esenti, esteri not in the return, proventi agrari IRAP,
assegni per i figli percepiti, trattamenti assistenziali and for disability); the member-level
deductions of DPCM 159/2013 art. 4 c. 3; the giacenza media (deposits count at their saldo at
31/12); the exclusion of titoli di Stato. The nucleo is the DSU's own (without the genitore non
convivente of the ISEE minorenni).

The result has one row per DSU with every intermediate quantity as a named column; with
``detail=True`` also the member, relationship and property rows the explanation shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from equo.isee.formulas.componenti import FIGLI, GENITORI
from equo.isee.frames import DsuFrames, dsu_frames
from equo.isee.model import (
    DSU,
    Disabilita,
    RapportoConDichiarante,
    TipoImmobile,
    TipoRapporto,
    TitoloAbitazione,
)
from equo.isee.parameters import ParameterSet
from equo.isee.vecchio.regole import load_parametri_vecchi, ultimo_giorno

__all__ = [
    "NOTA_APPROSSIMAZIONE",
    "REDDITI_NON_CONSIDERATI",
    "RESULT_COLUMNS",
    "IseeVecchioResult",
    "compute_vecchio",
    "frames_vecchio",
]

P = pl.col

RESULT_COLUMNS = (
    "dsu_id",
    "protocollo",
    "data_presentazione",
    "data_regole",
    "isr",
    "isp",
    "ise",
    "scala_equivalenza",
    "isee",
    "approssimato",
)
REDDITI_NON_CONSIDERATI = (
    "redditi_imposta_sostitutiva",
    "redditi_esenti",
    "redditi_esteri",
    "proventi_agrari_irap",
    "assegni_figli_percepiti",
    "trattamenti_assistenziali",
    "trattamenti_disabilita",
)
"""Incomes of the DSU outside the reddito complessivo IRPEF: not in the old ISEE."""

NOTA_APPROSSIMAZIONE = (
    "valore ICI stimato dal valore IMU per almeno un immobile (parametro "
    "isp.valore_ici_su_valore_imu): il risultato è approssimato"
)
_MONEY = ("isr", "isp", "ise", "isee")
_SUM_DECIMALS = 6
_DEPOSITI = [t.value for t in TipoRapporto if t.is_deposito]
_IN_NUCLEO = P("rapporto") != RapportoConDichiarante.GENITORE_NON_CONVIVENTE.value
_MEMBER_PARAMETERS = (
    "nucleo.eta_maggiore_eta",
    "scala_equivalenza.handicap_include_disabilita_media",
)


@dataclass(frozen=True)
class IseeVecchioResult:
    """What :func:`compute_vecchio` returns (``componenti``, ``rapporti``, ``immobili`` are
    empty unless ``detail=True``)."""

    nuclei: pl.DataFrame
    componenti: pl.DataFrame
    rapporti: pl.DataFrame
    immobili: pl.DataFrame

    def indicatori(self) -> pl.DataFrame:
        """The indicators rounded to the cent, and whether an ICI value was estimated."""
        return self.nuclei.select(RESULT_COLUMNS)


def frames_vecchio(dsus: Sequence[DSU]) -> DsuFrames:
    """The engine frames of ``dsus`` with each property's ``valore_ici`` (null if not given)."""
    frames = dsu_frames(dsus)
    if "valore_ici" in frames.immobili.columns:
        return frames
    valori = [im.valore_ici for dsu in dsus for c in dsu.componenti for im in c.immobili]
    immobili = frames.immobili.with_columns(pl.Series("valore_ici", valori, dtype=pl.Float64))
    return DsuFrames(frames.nuclei, frames.componenti, frames.rapporti, immobili)


def _euro_sum(amounts: pl.Expr) -> pl.Expr:
    """Sum of euro amounts, exact to a millionth (as in :mod:`equo.isee.engine`)."""
    return amounts.sum().round(_SUM_DECIMALS)


def _cents(amount: pl.Expr) -> pl.Expr:
    """Round to the cent, half away from zero (as in :mod:`equo.isee.engine`)."""
    cents = (amount * 100).round(4).round(0, mode="half_away_from_zero")
    return (cents / 100).round(2)


def _attach(nuclei: pl.DataFrame, params: ParameterSet) -> pl.DataFrame:
    """Add ``data_regole`` and the old parameters in force on it, one column each."""
    timeline = params.timeline()
    last = ultimo_giorno(params)
    nuclei = nuclei.with_columns(
        pl.min_horizontal(P("data_presentazione"), pl.lit(last)).alias("data_regole")
    )
    found = timeline["valid_from"].search_sorted(nuclei["data_regole"], side="right")
    index = found.cast(pl.Int64) - 1
    if (index < 0).any():
        first = timeline["valid_from"][0]
        raise ValueError(f"a DSU is dated before {first}, the first date of the old ISEE rules")
    return pl.concat(
        [nuclei, timeline.drop("valid_from").select(pl.all().gather(index))], how="horizontal"
    )


def _sum_per_nucleo(rows: pl.LazyFrame, n: int, sums: dict[str, pl.Expr]) -> pl.LazyFrame:
    """Per-DSU sums of ``rows`` aligned on dsu_id 0..n-1 (zero where a DSU has no row)."""
    per_dsu = rows.group_by("dsu_id").agg(**sums)
    return (
        pl.LazyFrame({"dsu_id": pl.int_range(n, eager=True, dtype=pl.Int64)})
        .join(per_dsu, on="dsu_id", how="left")
        .with_columns(pl.col(list(sums)).fill_null(0))
        .sort("dsu_id")
    )


def _componenti(componenti: pl.LazyFrame) -> pl.LazyFrame:
    """Member rows: the IRPEF income that counts, what does not, and the handicap condition.

    D.Lgs 109/1998 Tabella 1 parte I: the reddito is the reddito complessivo ai fini IRPEF.
    Tabella 2: +0.5 for handicap permanente grave (L. 104/1992 art. 3 c. 3) or invalidità over
    66%, read from the DSU's disability classes (see ``handicap_include_disabilita_media``).
    """
    sempre = [Disabilita.GRAVE.value, Disabilita.NON_AUTOSUFFICIENTE.value]
    media = P("disabilita") == Disabilita.MEDIA.value
    return componenti.with_columns(
        P("reddito_complessivo_irpef").alias("reddito_irpef"),
        pl.sum_horizontal(*REDDITI_NON_CONSIDERATI).alias("redditi_non_considerati"),
        (
            P("disabilita").is_in(sempre)
            | (media & P("scala_equivalenza.handicap_include_disabilita_media"))
        ).alias("handicap"),
        (P("rapporto").is_in(FIGLI) & (P("eta") < P("nucleo.eta_maggiore_eta"))).alias(
            "figlio_minore"
        ),
    )


def _rapporti(rapporti: pl.LazyFrame) -> pl.LazyFrame:
    """Each rapporto's value for the old ISEE: saldo at 31/12 for deposits, else its value.

    D.Lgs 109/1998 Tabella 1 parte II: no giacenza media, no exclusion of titoli di Stato.
    """
    return rapporti.with_columns(
        pl.when(P("tipo").is_in(_DEPOSITI))
        .then(P("saldo_31_12"))
        .otherwise(P("valore"))
        .alias("valore_vecchio")
    )


def _immobili(immobili: pl.LazyFrame) -> pl.LazyFrame:
    """Each property's ICI value for the member's share, less its mortgage (Tabella 1 parte II).

    The ICI value is ``valore_ici`` when the DSU gives it; otherwise ``valore_imu`` × the
    coefficient of ``isp.valore_ici_su_valore_imu`` for its kind, and ``approssimato`` is true.
    The mortgage reduces its own property only, "fino a concorrenza".
    """
    ratio = "isp.valore_ici_su_valore_imu"
    stimato = pl.when(P("estero")).then(P(f"{ratio}.estero")).when(
        P("tipo") == TipoImmobile.FABBRICATO.value
    ).then(P(f"{ratio}.fabbricato")).when(P("tipo") == TipoImmobile.AREA_FABBRICABILE.value).then(
        P(f"{ratio}.area_fabbricabile")
    ).otherwise(P(f"{ratio}.terreno_agricolo")) * P("valore_imu")
    return (
        immobili.with_columns(
            P("valore_ici").is_null().alias("approssimato"),
            pl.when(P("valore_ici").is_not_null())
            .then(P("valore_ici"))
            .otherwise(stimato)
            .alias("valore_ici_usato"),
        )
        .with_columns((P("valore_ici_usato") * P("quota_posseduta") / 100.0).alias("valore_quota"))
        .with_columns(
            pl.min_horizontal(P("mutuo_residuo"), P("valore_quota")).alias("detrazione_mutuo")
        )
        .with_columns((P("valore_quota") - P("detrazione_mutuo")).alias("valore_netto"))
    )


def _table_keys(params: ParameterSet, name: str) -> tuple[int, ...]:
    return tuple(int(k) for k in params[name].table_keys)


def _parametro_base(keys: tuple[int, ...]) -> pl.Expr:
    """Tabella 2: the parameter for the number of members, +0.35 for each beyond the largest."""
    largest = max(keys)
    name = "scala_equivalenza.parametro_base"
    table: pl.Expr = pl.lit(0.0)
    for key in sorted(keys):
        table = pl.when(P("n_componenti") >= key).then(P(f"{name}.{key}")).otherwise(table)
    return (
        pl.when(P("n_componenti") > largest)
        .then(
            P(f"{name}.{largest}")
            + P("scala_equivalenza.incremento_componente_ulteriore") * (P("n_componenti") - largest)
        )
        .otherwise(table)
    )


def _indicatori_stages(base_keys: tuple[int, ...]) -> list[list[pl.Expr]]:
    """ISR, ISP, ISE, scala and ISEE of the old ISEE, stage by stage.

    D.Lgs 109/1998 art. 2 and Tabella 1 (parts I and II) and Tabella 2, as rewritten by
    D.Lgs 130/2000 art. 2, 8 and 9.
    """
    in_locazione = P("titolo_abitazione") == TitoloAbitazione.LOCAZIONE.value
    in_proprieta = P("titolo_abitazione") == TitoloAbitazione.PROPRIETA.value
    con_minori = P("n_figli_minori") > 0
    genitori_lavoratori = (
        con_minori & (P("n_genitori") == 2) & (P("n_genitori_lavoratori") == P("n_genitori"))
    )
    assenza_coniuge = con_minori & (P("n_coniugi") == 0)
    return [
        [
            P("reddito_figurativo.rendimento_titoli_decennali").alias("tasso_reddito_figurativo"),
            pl.when(in_proprieta)
            .then(pl.min_horizontal(P("casa_abitazione_lorda"), P("isp.detrazione_casa_massimo")))
            .otherwise(pl.lit(0.0))
            .alias("detrazione_casa_alternativa"),
            pl.max_horizontal(
                P("patrimonio_mobiliare") - P("isp.franchigia_mobiliare"), pl.lit(0.0)
            ).alias("patrimonio_mobiliare_netto"),
        ],
        [
            # Tabella 1 parte I: the franchigia does not apply to the reddito figurativo.
            (P("tasso_reddito_figurativo") * P("patrimonio_mobiliare")).alias("reddito_figurativo"),
            # Tabella 1 parte II: for the casa, in alternative to the mutuo, if more favourable.
            (P("detrazione_casa_alternativa") > P("casa_abitazione_mutuo")).alias(
                "detrazione_casa_scelta_franchigia"
            ),
        ],
        [
            (P("somma_redditi") + P("reddito_figurativo")).alias("reddito_prima_del_canone"),
            pl.when(P("detrazione_casa_scelta_franchigia"))
            .then(P("detrazione_casa_alternativa"))
            .otherwise(P("casa_abitazione_mutuo"))
            .alias("detrazione_casa_abitazione"),
        ],
        [
            # Tabella 1 parte I: the rent is deducted up to the cap, fino a concorrenza.
            pl.when(in_locazione)
            .then(
                pl.min_horizontal(
                    P("canone_annuo"),
                    P("isr.detrazione_canone_massimo"),
                    P("reddito_prima_del_canone"),
                )
            )
            .otherwise(pl.lit(0.0))
            .alias("detrazione_canone"),
            (P("casa_abitazione_lorda") - P("detrazione_casa_abitazione")).alias(
                "casa_abitazione_netta"
            ),
        ],
        [
            (P("reddito_prima_del_canone") - P("detrazione_canone")).alias("isr"),
            (P("altri_immobili_netti") + P("casa_abitazione_netta")).alias(
                "patrimonio_immobiliare_netto"
            ),
        ],
        [(P("patrimonio_immobiliare_netto") + P("patrimonio_mobiliare_netto")).alias("isp")],
        [
            (P("isr") + P("ise.coefficiente_isp") * P("isp")).alias("ise"),
            # Tabella 2
            _parametro_base(base_keys).alias("scala_parametro_base"),
            pl.when(assenza_coniuge)
            .then(P("scala_equivalenza.maggiorazione_assenza_coniuge_figli_minori"))
            .otherwise(pl.lit(0.0))
            .alias("maggiorazione_assenza_coniuge"),
            (P("scala_equivalenza.maggiorazione_handicap") * P("n_handicap")).alias(
                "maggiorazione_handicap"
            ),
            pl.when(genitori_lavoratori)
            .then(P("scala_equivalenza.maggiorazione_genitori_lavoratori"))
            .otherwise(pl.lit(0.0))
            .alias("maggiorazione_genitori_lavoratori"),
        ],
        [
            (
                P("scala_parametro_base")
                + P("maggiorazione_assenza_coniuge")
                + P("maggiorazione_handicap")
                + P("maggiorazione_genitori_lavoratori")
            ).alias("scala_equivalenza")
        ],
        [(P("ise") / P("scala_equivalenza")).alias("isee")],
    ]


def _periodi() -> list[pl.Expr]:
    """Reference years of the old DSU, counted from the DSU year (informative)."""
    anno = P("data_presentazione").dt.year()
    return [
        (anno - P("periodi.anni_redditi").cast(pl.Int32)).alias("anno_redditi"),
        pl.date(anno - P("periodi.anni_patrimonio").cast(pl.Int32), 12, 31).alias(
            "data_patrimonio"
        ),
    ]


def compute_vecchio(
    frames: DsuFrames, *, params: ParameterSet | None = None, detail: bool = False
) -> IseeVecchioResult:
    """Compute the old ISEE of every DSU in ``frames`` (see the module docstring)."""
    params = params or load_parametri_vecchi()
    n = len(frames)
    nuclei = _attach(frames.nuclei, params)

    componenti = _componenti(
        pl.concat(
            [
                frames.componenti,
                nuclei.select(_MEMBER_PARAMETERS).gather(frames.componenti["dsu_id"]),
            ],
            how="horizontal",
        )
        .lazy()
        .filter(_IN_NUCLEO)
    )
    owners = frames.componenti.select("rapporto")
    rapporti = _rapporti(
        pl.concat(
            [frames.rapporti, owners.gather(frames.rapporti["componente_id"])], how="horizontal"
        )
        .lazy()
        .filter(_IN_NUCLEO)
    )
    immobili_frame = frames.immobili
    if "valore_ici" not in immobili_frame.columns:
        immobili_frame = immobili_frame.with_columns(pl.lit(None, pl.Float64).alias("valore_ici"))
    ratio_columns = params["isp.valore_ici_su_valore_imu"].columns()
    immobili = _immobili(
        pl.concat(
            [
                immobili_frame,
                owners.gather(immobili_frame["componente_id"]),
                nuclei.select(ratio_columns).gather(immobili_frame["dsu_id"]),
            ],
            how="horizontal",
        )
        .lazy()
        .filter(_IN_NUCLEO)
    )
    mobiliare_componente = rapporti.group_by("componente_id").agg(
        _euro_sum(P("valore_vecchio").filter(P("tipo").is_in(_DEPOSITI))).alias("depositi_saldo"),
        _euro_sum(P("valore_vecchio").filter(~P("tipo").is_in(_DEPOSITI))).alias("altri_mobiliari"),
        _euro_sum(P("valore_vecchio")).alias("patrimonio_mobiliare_componente"),
    )

    genitori = P("rapporto").is_in(GENITORI)
    composizione = _sum_per_nucleo(
        componenti,
        n,
        {
            "n_componenti": pl.len().cast(pl.Int64),
            "n_figli_minori": P("figlio_minore").sum().cast(pl.Int64),
            "n_coniugi": (P("rapporto") == RapportoConDichiarante.CONIUGE.value)
            .sum()
            .cast(pl.Int64),
            "n_genitori": genitori.sum().cast(pl.Int64),
            "n_genitori_lavoratori": (genitori & P("attivita_lavorativa_6_mesi"))
            .sum()
            .cast(pl.Int64),
            "n_handicap": P("handicap").sum().cast(pl.Int64),
            "somma_redditi": _euro_sum(P("reddito_irpef")),
            "redditi_non_considerati": _euro_sum(P("redditi_non_considerati")),
        },
    )
    mobiliare = _sum_per_nucleo(
        rapporti, n, {"patrimonio_mobiliare": _euro_sum(P("valore_vecchio"))}
    )
    casa = P("casa_abitazione")
    immobiliare = _sum_per_nucleo(
        immobili,
        n,
        {
            "casa_abitazione_lorda": _euro_sum(P("valore_quota").filter(casa)),
            "casa_abitazione_mutuo": _euro_sum(P("detrazione_mutuo").filter(casa)),
            "altri_immobili_lordi": _euro_sum(P("valore_quota").filter(~casa)),
            "altri_immobili_mutui": _euro_sum(P("detrazione_mutuo").filter(~casa)),
            "altri_immobili_netti": _euro_sum(P("valore_netto").filter(~casa)),
            "n_immobili_approssimati": P("approssimato").sum().cast(pl.Int64),
        },
    )
    aggregates = pl.concat(
        [composizione, mobiliare.drop("dsu_id"), immobiliare.drop("dsu_id")], how="horizontal"
    )
    result = pl.concat([nuclei.lazy(), aggregates.drop("dsu_id")], how="horizontal")
    for stage in _indicatori_stages(_table_keys(params, "scala_equivalenza.parametro_base")):
        result = result.with_columns(stage)
    result = result.with_columns(
        *_periodi(),
        (P("n_immobili_approssimati") > 0).alias("approssimato"),
        pl.when(P("n_immobili_approssimati") > 0)
        .then(pl.lit(NOTA_APPROSSIMAZIONE))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias("nota"),
    ).with_columns(_cents(P(c)) for c in (*_MONEY, "scala_equivalenza"))
    if not detail:
        empty = pl.DataFrame()
        return IseeVecchioResult(result.collect(), empty, empty, empty)
    componenti = componenti.join(mobiliare_componente, on="componente_id", how="left").with_columns(
        pl.col("depositi_saldo", "altri_mobiliari", "patrimonio_mobiliare_componente").fill_null(
            0.0
        )
    )
    return IseeVecchioResult(
        *pl.collect_all([result, componenti.sort("componente_id"), rapporti, immobili])
    )
