"""Nucleo-level formulas: ISR, ISP, ISE, scala di equivalenza and ISEE (DPCM 159/2013 art. 2-5).

They run on the ``nuclei`` frame once it holds the parameters in force at each DSU's date, the
composition counts and the member-level sums (see :func:`equo.isee.engine.compute`). Each
function returns a list of successive stages (lists of columns), so that every intermediate
quantity is a named column the explanation can show.
"""

from __future__ import annotations

import polars as pl

from equo.isee.model import TitoloAbitazione

__all__ = [
    "indicatori_stages",
    "minorenni_stages",
    "neutralizza_assegno_unico",
    "residenze_stages",
    "scala_stages",
]

P = pl.col


def _table_lookup(name: str, keys: tuple[int, ...], count: pl.Expr) -> pl.Expr:
    """Value of a table parameter for ``count``: the largest key ≤ count (0 below every key)."""
    expr: pl.Expr = pl.lit(0.0)
    for key in sorted(keys):
        expr = pl.when(count >= key).then(P(f"{name}.{key}")).otherwise(expr)
    return expr


def _oltre(count: pl.Expr, soglia: pl.Expr) -> pl.Expr:
    """How many beyond ``soglia`` ("per ogni figlio successivo al secondo")."""
    return pl.max_horizontal(count - soglia, pl.lit(0))


def indicatori_stages() -> list[list[pl.Expr]]:
    """ISR (art. 4), ISP (art. 5) and ISE (art. 2 c. 3), stage by stage."""
    tasso_rf = pl.min_horizontal(
        P("reddito_figurativo.rendimento_titoli_decennali"),
        P("reddito_figurativo.tasso_interesse_legale")
        + P("reddito_figurativo.maggiorazione_tasso_legale"),
    )
    limite_canone = P("isr.detrazione_canone_massimo") + P(
        "isr.detrazione_canone_incremento_figlio"
    ) * _oltre(P("n_figli_conviventi"), P("isr.detrazione_canone_figli_senza_incremento"))
    soglia_casa = P("isp.franchigia_casa_abitazione") + P(
        "isp.franchigia_casa_incremento_figlio"
    ) * _oltre(P("n_figli_conviventi"), P("isp.franchigia_casa_figli_senza_incremento"))
    franchigia_mobiliare = pl.min_horizontal(
        P("isp.franchigia_mobiliare_base")
        + P("isp.franchigia_mobiliare_incremento_componente") * (P("n_componenti") - 1),
        P("isp.franchigia_mobiliare_massimo"),
    ) + P("isp.franchigia_mobiliare_incremento_figlio") * _oltre(
        P("n_figli"), P("isp.franchigia_mobiliare_figli_senza_incremento")
    )
    in_locazione = P("titolo_abitazione") == TitoloAbitazione.LOCAZIONE.value
    return [
        [
            tasso_rf.alias("tasso_reddito_figurativo"),
            pl.when(in_locazione)
            .then(pl.min_horizontal(P("canone_annuo"), limite_canone))
            .otherwise(pl.lit(0.0))
            .alias("detrazione_canone"),
            soglia_casa.alias("franchigia_casa"),
            franchigia_mobiliare.alias("franchigia_mobiliare"),
        ],
        [
            (P("tasso_reddito_figurativo") * P("base_reddito_figurativo")).alias(
                "reddito_figurativo"
            ),
            (P("detrazione_canone") + P("franchigie_disabilita")).alias("detrazioni_nucleo"),
            (
                P("isp.quota_eccedenza_casa")
                * pl.max_horizontal(P("casa_abitazione_netta") - P("franchigia_casa"), 0.0)
            ).alias("casa_abitazione_rilevante"),
            pl.max_horizontal(P("patrimonio_mobiliare") - P("franchigia_mobiliare"), 0.0).alias(
                "patrimonio_mobiliare_netto"
            ),
        ],
        [
            pl.max_horizontal(
                P("somma_redditi") + P("reddito_figurativo") - P("detrazioni_nucleo"), 0.0
            ).alias("isr"),
            (P("altri_immobili_netti") + P("casa_abitazione_rilevante")).alias(
                "patrimonio_immobiliare_netto"
            ),
        ],
        [(P("patrimonio_immobiliare_netto") + P("patrimonio_mobiliare_netto")).alias("isp")],
        [(P("isr") + P("ise.coefficiente_isp") * P("isp")).alias("ise")],
    ]


def scala_stages(
    base_keys: tuple[int, ...], figli_table: str, figli_keys: tuple[int, ...]
) -> list[list[pl.Expr]]:
    """Scala di equivalenza (Allegato 1) and the ISEE (art. 2 c. 2: ISE / scala).

    ``base_keys`` are the keys of ``scala_equivalenza.parametro_base``; ``figli_table`` is the
    table of the maggiorazione for figli (``scala_equivalenza.maggiorazione_figli``, or a
    variant's) and ``figli_keys`` its keys.
    """
    largest = max(base_keys)
    parametro = (
        pl.when(P("n_componenti") > largest)
        .then(
            P(f"scala_equivalenza.parametro_base.{largest}")
            + P("scala_equivalenza.incremento_componente_ulteriore") * (P("n_componenti") - largest)
        )
        .otherwise(_table_lookup("scala_equivalenza.parametro_base", base_keys, P("n_componenti")))
    )
    con_minori = P("n_figli_minorenni") > 0
    figlio_piccolo = P("n_figli_piccoli") > 0
    genitori_lavoratori = (P("n_genitori") >= 1) & (P("n_genitori_lavoratori") == P("n_genitori"))
    # lett. c): a nucleo made only of one parent and minor children
    genitore_solo = (P("n_genitori") == 1) & (P("n_componenti") == 1 + P("n_figli_minorenni"))
    lettera_b = con_minori & genitori_lavoratori
    lettera_c = con_minori & genitore_solo & ~lettera_b
    aumentata = (lettera_b & figlio_piccolo) | (
        lettera_c & figlio_piccolo & P("scala_equivalenza.genitore_solo_figlio_piccolo")
    )
    return [
        [
            parametro.alias("scala_parametro_base"),
            _table_lookup(figli_table, figli_keys, P("n_figli")).alias("maggiorazione_figli"),
            pl.when(aumentata)
            .then(P("scala_equivalenza.maggiorazione_genitori_lavoratori_figlio_piccolo"))
            .when(lettera_b | lettera_c)
            .then(P("scala_equivalenza.maggiorazione_genitori_lavoratori"))
            .otherwise(pl.lit(0.0))
            .alias("maggiorazione_genitori"),
            lettera_b.alias("lettera_b"),
            lettera_c.alias("lettera_c"),
            (
                P("scala_equivalenza.maggiorazione_disabilita").fill_null(0.0) * P("n_disabili")
            ).alias("maggiorazione_disabilita"),
        ],
        [
            (
                P("scala_parametro_base")
                + P("maggiorazione_figli")
                + P("maggiorazione_genitori")
                + P("maggiorazione_disabilita")
            ).alias("scala_equivalenza"),
        ],
        [(P("ise") / P("scala_equivalenza")).alias("isee")],
    ]


def neutralizza_assegno_unico() -> list[pl.Expr]:
    """ISEE for the bonus asilo nido: the assegno unico divided by the scala is subtracted.

    INPS circ. 60/2025 (L. 207/2024 art. 1 c. 206): from 2025; not below zero.
    """
    return [
        P("isee").alias("isee_prima_della_neutralizzazione"),
        pl.when(P("nido.neutralizza_assegno_unico"))
        .then(
            pl.max_horizontal(
                P("isee") - P("assegno_unico_annuo") / P("scala_equivalenza"), pl.lit(0.0)
            )
        )
        .otherwise(P("isee"))
        .alias("isee"),
    ]


def residenze_stages() -> list[pl.Expr]:
    """ISEE residenze: the ISEE plus the figli's componenti aggiuntive over the scala.

    DPCM 159/2013 Allegato 2 c. 1 lett. f): each componente is divided by the scala di
    equivalenza of the beneficiary's nucleo; art. 6 c. 3 lett. b): they add to the ISEE.
    """
    return [
        P("isee").alias("isee_prima_delle_componenti_aggiuntive"),
        (P("componenti_aggiuntive_lorde") / P("scala_equivalenza")).alias("componenti_aggiuntive"),
        (P("isee") + P("componenti_aggiuntive_lorde") / P("scala_equivalenza")).alias("isee"),
    ]


def minorenni_stages() -> list[pl.Expr]:
    """ISEE minorenni: the componente aggiuntiva of the genitore non convivente is added.

    DPCM 159/2013 art. 7 c. 2 ("l'ISEE è integrato di una componente aggiuntiva"), in the cases
    a) and b) of c. 1; the amount is an input (Allegato 2 c. 2 not verified, see the engine).
    """
    return [
        P("isee").alias("isee_prima_della_componente_aggiuntiva"),
        (P("isee") + P("componente_aggiuntiva_genitore")).alias("isee"),
    ]
