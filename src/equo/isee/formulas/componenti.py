"""Member-level formulas: each member's income after the deductions of art. 4 c. 3.

Every expression here runs on the ``componenti`` frame after the parameters in force at the
DSU's date were attached to each member (see :func:`equo.isee.engine.compute`).
"""

from __future__ import annotations

import polars as pl

from equo.isee.model import Disabilita, RapportoConDichiarante

__all__ = [
    "FIGLI",
    "FIGLI_CONVIVENTI",
    "GENITORI",
    "franchigia_disabilita",
    "reddito_componente_stages",
]

P = pl.col

FIGLI = [r.value for r in RapportoConDichiarante if r.is_figlio]
FIGLI_CONVIVENTI = [r.value for r in RapportoConDichiarante if r.is_figlio_convivente]
GENITORI = [r.value for r in RapportoConDichiarante if r.is_genitore]


def _trattamenti_disabilita_inclusi() -> pl.Expr:
    """Disability-related trattamenti count until the 2016 reform (DL 42/2016 art. 2-sexies)."""
    return (
        pl.when(P("isr.trattamenti_disabilita_esclusi"))
        .then(pl.lit(0.0))
        .otherwise(P("trattamenti_disabilita"))
    )


def reddito_componente_stages() -> list[list[pl.Expr]]:
    """A member's income (art. 4 c. 2) and deductions (art. 4 c. 3), as successive stages.

    Each stage is a list of columns that may use the columns of earlier stages.

    ``reddito_lordo`` is the sum of the income components; ``detrazioni_componente`` the
    deductions as computed; ``reddito_componente`` the income after them, floored at zero
    because each deduction applies "fino a concorrenza" of the member's income.
    """
    trattamenti = P("trattamenti_assistenziali") + P("trattamenti_disabilita_inclusi")
    detrazione_lavoro = pl.min_horizontal(
        P("isr.detrazione_lavoro_dipendente_aliquota") * P("lavoro_dipendente"),
        P("isr.detrazione_lavoro_dipendente_massimo"),
    )
    base_pensione = P("pensione") + (
        pl.when(P("isr.detrazione_pensione_include_trattamenti"))
        .then(trattamenti)
        .otherwise(pl.lit(0.0))
    )
    detrazione_pensione = pl.min_horizontal(
        P("isr.detrazione_pensione_aliquota") * base_pensione,
        P("isr.detrazione_pensione_massimo"),
    )
    return [
        [_trattamenti_disabilita_inclusi().alias("trattamenti_disabilita_inclusi")],
        [
            detrazione_lavoro.alias("detrazione_lavoro_dipendente"),
            detrazione_pensione.alias("detrazione_pensione"),
            pl.min_horizontal(
                P("spese_sanitarie_disabili"), P("isr.detrazione_spese_disabili_massimo")
            ).alias("detrazione_spese_disabili"),
        ],
        [
            (
                P("reddito_complessivo_irpef")
                + P("redditi_imposta_sostitutiva")
                + P("redditi_esenti")
                + P("redditi_esteri")
                + P("proventi_agrari_irap")
                + P("assegni_figli_percepiti")
                + P("trattamenti_assistenziali")
                + P("trattamenti_disabilita_inclusi")
            ).alias("reddito_lordo"),
            (
                pl.when(P("isr.detrazione_pensione_alternativa"))
                .then(
                    pl.max_horizontal(P("detrazione_lavoro_dipendente"), P("detrazione_pensione"))
                )
                .otherwise(P("detrazione_lavoro_dipendente") + P("detrazione_pensione"))
            ).alias("detrazione_lavoro_pensione"),
        ],
        [
            (
                P("detrazione_lavoro_pensione")
                + P("detrazione_spese_disabili")
                + P("assegni_coniuge_versati")
                + P("assegni_figli_versati")
                + P("redditi_agrari")
            ).alias("detrazioni_componente"),
        ],
        [
            pl.max_horizontal(P("reddito_lordo") - P("detrazioni_componente"), pl.lit(0.0)).alias(
                "reddito_componente"
            ),
        ],
    ]


def franchigia_disabilita() -> pl.Expr:
    """Pre-2016 ISR franchigia for a disabled member (art. 4 c. 4 lett. d), by class and age.

    Null parameters (after the 2016 reform) give no franchigia.
    """
    minorenne = P("eta") < P("isr.eta_maggiore_eta")
    expr = pl.lit(0.0)
    for classe in (Disabilita.MEDIA, Disabilita.GRAVE, Disabilita.NON_AUTOSUFFICIENTE):
        adult = P(f"isr.franchigia_disabilita.{classe.value}")
        minor = P(f"isr.franchigia_disabilita.{classe.value}_minorenne")
        expr = (
            pl.when(P("disabilita") == classe.value)
            .then(pl.when(minorenne).then(minor).otherwise(adult))
            .otherwise(expr)
        )
    return expr.fill_null(0.0).alias("franchigia_disabilita")
