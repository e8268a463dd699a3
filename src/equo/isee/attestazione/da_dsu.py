"""What the attestazione of a full DSU prints, from the engine's detailed result.

:func:`componenti_da_dsu` computes DSUs with :func:`equo.isee.engine.compute` (``detail=True``)
and returns, for each, the :class:`ComponentiAttestazione` an INPS attestazione would print, plus
the facts the DSU knows that an attestazione does not print (work condition, disabled members,
rent, casa di abitazione, base of the reddito figurativo). ``stampato_soltanto=True`` drops those,
leaving only what the attestazione prints (as when importing an XML).

Printed lines are rounded to the cent. Conventions where the INPS layout leaves a choice: the
detrazione del patrimonio mobiliare is the franchigia up to the patrimonio (so that patrimonio −
detrazione is the relevant amount), the detrazione del patrimonio immobiliare is mortgages plus
the casa franchigia and its third (gross − relevant).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from equo.isee.attestazione.model import (
    ComponenteDisabile,
    ComponentiAttestazione,
    MembroNucleo,
    QuadroIsee,
)
from equo.isee.engine import compute
from equo.isee.frames import dsu_frames
from equo.isee.model import DSU, Disabilita, RapportoConDichiarante, TitoloAbitazione
from equo.isee.parameters import ParameterSet, load_parameters

__all__ = ["componenti_da_dsu"]


def _c(value: float) -> float:
    return round(value + 0.0, 2)


def componenti_da_dsu(
    dsus: Sequence[DSU],
    *,
    params: ParameterSet | None = None,
    stampato_soltanto: bool = False,
) -> list[ComponentiAttestazione]:
    """The attestazione of each DSU (computed in one batch)."""
    params = params or load_parameters()
    result = compute(dsu_frames(list(dsus)), params=params, detail=True)
    componenti = result.componenti
    out = []
    for i, (dsu, row) in enumerate(zip(dsus, result.nuclei.iter_rows(named=True), strict=True)):
        lordo = row["casa_abitazione_lorda"] + row["altri_immobili_lordi"]
        quadro = QuadroIsee(
            data_rilascio=dsu.data_presentazione,
            somma_redditi=_c(row["somma_redditi"]),
            reddito_figurativo=_c(row["reddito_figurativo"]),
            detrazioni=_c(row["detrazioni_nucleo"]),
            isr=row["isr"],
            patrimonio_mobiliare=_c(row["patrimonio_mobiliare"]),
            detrazione_patrimonio_mobiliare=_c(
                min(row["franchigia_mobiliare"], row["patrimonio_mobiliare"])
            ),
            patrimonio_immobiliare=_c(lordo),
            detrazione_patrimonio_immobiliare=_c(lordo - row["patrimonio_immobiliare_netto"]),
            isp=row["isp"],
            ise=row["ise"],
            parametro_nucleo=_c(row["scala_parametro_base"]),
            maggiorazioni=_c(
                row["maggiorazione_figli"]
                + row["maggiorazione_genitori"]
                + row["maggiorazione_disabilita"]
            ),
            scala_equivalenza=row["scala_equivalenza"],
            isee=row["isee"],
        )
        membri = componenti.filter(pl.col("dsu_id") == i)
        dichiarante = next(
            m for m in dsu.componenti if m.rapporto is RapportoConDichiarante.DICHIARANTE
        )
        facts: dict[str, object] = {}
        if not stampato_soltanto:
            disabili = [
                ComponenteDisabile(classe=Disabilita(m["disabilita"]), minorenne=m["eta"] < 18)
                for m in membri.iter_rows(named=True)
                if m["disabilita"] != Disabilita.NESSUNA.value
            ]
            facts = {
                "n_genitori_lavoratori": row["n_genitori_lavoratori"],
                "componenti_disabili": disabili,
                "titolo_abitazione": dsu.abitazione.titolo,
                "canone_annuo": dsu.abitazione.canone_annuo
                if dsu.abitazione.titolo is TitoloAbitazione.LOCAZIONE
                else None,
                "casa_abitazione_netta": _c(row["casa_abitazione_netta"]),
                "base_reddito_figurativo": _c(row["base_reddito_figurativo"]),
            }
        out.append(
            ComponentiAttestazione.model_validate(
                {
                    "protocollo": dsu.protocollo,
                    "codice_fiscale_dichiarante": dichiarante.codice_fiscale,
                    "data_presentazione": dsu.data_presentazione,
                    "data_validita": row["valida_fino_al"],
                    "nucleo": [
                        MembroNucleo(
                            rapporto=m.rapporto,
                            cognome=m.cognome or "-",
                            nome=m.nome or "-",
                            codice_fiscale=m.codice_fiscale,
                        )
                        for m in dsu.componenti
                    ],
                    "ordinario": quadro,
                    **facts,
                }
            )
        )
    return out
