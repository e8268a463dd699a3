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

``varianti`` adds the blocks an attestazione prints for those variants, computed with
``compute(..., variante=V)``: ``Ridotto/ISEERistretto`` (sociosanitario, when the DSU declares a
nucleo ristretto), ``ISEESocioSanRes`` or ``ISEESocioSanResRistretto`` (residenze, with each
figlio's componente aggiuntiva: the value added to the ISEE, and, unless ``stampato_soltanto``,
his ISE and scala), ``ISEEMin`` (minorenni and nido; beneficiary: the first minor figlio) and
``ISEEUni`` (università; beneficiary: the student). A block's ``calcolo`` holds ISE / scala as
its ISEE; the block's ``isee`` is the variant's final one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import polars as pl

from equo.isee.attestazione.model import (
    ComponenteAggiuntiva,
    ComponenteDisabile,
    ComponentiAttestazione,
    IseeBeneficiario,
    MembroNucleo,
    MembroNucleoRistretto,
    NucleoRidotto,
    QuadroIsee,
)
from equo.isee.engine import compute, ise_del_figlio
from equo.isee.frames import dsu_frames
from equo.isee.model import DSU, Disabilita, RapportoConDichiarante, TitoloAbitazione
from equo.isee.parameters import ParameterSet, load_parameters
from equo.isee.varianti import Variante

__all__ = ["componenti_da_dsu"]


def _c(value: float) -> float:
    return round(value + 0.0, 2)


def _quadro(row: dict[str, Any], day: dt.date, isee: float) -> QuadroIsee:
    lordo = row["casa_abitazione_lorda"] + row["altri_immobili_lordi"]
    return QuadroIsee(
        data_rilascio=day,
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
        isee=_c(isee),
    )


def _persona(dsu: DSU, cf: str) -> dict[str, str]:
    m = next(c for c in dsu.componenti if c.codice_fiscale == cf)
    return {"cognome": m.cognome or "-", "nome": m.nome or "-", "codice_fiscale": cf}


def _blocchi_varianti(
    dsus: Sequence[DSU],
    varianti: Sequence[Variante],
    params: ParameterSet,
    stampato_soltanto: bool,
) -> list[dict[str, Any]]:
    """The variant blocks of each DSU, as fields of :class:`ComponentiAttestazione`."""
    out: list[dict[str, Any]] = [{} for _ in dsus]
    frames = dsu_frames(list(dsus))
    richieste = set(varianti)
    if Variante.NIDO in richieste:
        richieste.add(Variante.MINORENNI)
    for variante in sorted(
        richieste
        & {Variante.SOCIOSANITARIO, Variante.RESIDENZE, Variante.MINORENNI, Variante.UNIVERSITA}
    ):
        rows = compute(frames, params=params, variante=variante).nuclei.iter_rows(named=True)
        for blocchi, dsu, row in zip(out, dsus, rows, strict=True):
            day = dsu.data_presentazione
            if variante is Variante.SOCIOSANITARIO:
                if dsu.nucleo_ristretto is not None:
                    blocchi["ristretto"] = _quadro(row, day, row["isee"])
            elif variante is Variante.RESIDENZE:
                blocchi["residenze"] = _residenze(dsu, row, params, stampato_soltanto)
            else:
                blocchi[variante.value] = _minorenni(dsu, row, variante)
    return [_campi(dsu, b) for dsu, b in zip(dsus, out, strict=True)]


def _residenze(
    dsu: DSU, row: dict[str, Any], params: ParameterSet, stampato_soltanto: bool
) -> IseeBeneficiario:
    day = dsu.data_presentazione
    soglia = params["varianti.residenze.soglia_componente_aggiuntiva"].number(day)
    quota = params["varianti.residenze.coefficiente_componente_aggiuntiva"].number(day)
    figli = dsu.residenziale.figli_non_compresi if dsu.residenziale else []
    aggiuntive = []
    for f in figli:
        ise = ise_del_figlio(f, dsu, params)
        lorda = 0.0 if f.esclusione else max(quota * (ise / f.scala_nucleo_figlio - soglia), 0)
        fatti = (
            {}
            if stampato_soltanto
            else {"ise_figlio": ise, "scala_nucleo_figlio": f.scala_nucleo_figlio}
        )
        aggiuntive.append(
            ComponenteAggiuntiva(
                cognome="-",
                nome="-",
                codice_fiscale=f.codice_fiscale,
                valore=_c(lorda / row["scala_equivalenza"]),
                **fatti,
            )
        )
    ristretto = dsu.nucleo_ristretto is not None
    beneficiario = (
        dsu.nucleo_ristretto.beneficiario
        if dsu.nucleo_ristretto is not None
        else next(c.codice_fiscale for c in dsu.componenti if c.rapporto.value == "D")
    )
    return IseeBeneficiario(
        esito="ISEESocioSanResRistretto" if ristretto else "ISEESocioSanRes",
        **_persona(dsu, beneficiario),
        isee=row["isee"],
        componenti_aggiuntive=aggiuntive,
        calcolo=_quadro(row, day, row["isee_prima_delle_componenti_aggiuntive"]),
    )


def _minorenni(dsu: DSU, row: dict[str, Any], variante: Variante) -> IseeBeneficiario:
    uni = variante is Variante.UNIVERSITA
    gnc = [
        c for c in dsu.componenti if c.rapporto is RapportoConDichiarante.GENITORE_NON_CONVIVENTE
    ]
    con_componente = [c for c in gnc if c.componente_aggiuntiva is not None]
    attratti = [c for c in gnc if c.condizione_art_7 is None]
    prefisso = "ISEEUni" if uni else "ISEEMin"
    if dsu.universitario is not None and uni:
        beneficiario = dsu.universitario.studente
    else:
        figli = [c for c in dsu.componenti if c.rapporto.is_figlio]
        beneficiario = (figli or dsu.componenti)[0].codice_fiscale
    calcolo = None
    esito = "ISEEOrd"
    if con_componente or attratti:
        esito = prefisso + ("Agg" if con_componente else "Attr")
        calcolo = _quadro(
            row, dsu.data_presentazione, row["isee_prima_della_componente_aggiuntiva"]
        )
    return IseeBeneficiario(
        esito=esito,
        **_persona(dsu, beneficiario),
        isee=row["isee"],
        componenti_aggiuntive=[
            ComponenteAggiuntiva(**_persona(dsu, c.codice_fiscale), valore=c.componente_aggiuntiva)
            for c in con_componente
        ],
        calcolo=calcolo,
    )


def _campi(dsu: DSU, blocchi: dict[str, Any]) -> dict[str, Any]:
    campi: dict[str, Any] = {}
    if Variante.MINORENNI.value in blocchi:
        campi["minorenni"] = [blocchi[Variante.MINORENNI.value]]
    if Variante.UNIVERSITA.value in blocchi:
        campi["universitari"] = [blocchi[Variante.UNIVERSITA.value]]
    residenze = blocchi.get("residenze")
    nr = dsu.nucleo_ristretto
    if nr is not None and ("ristretto" in blocchi or residenze is not None):
        campi["ridotti"] = [
            NucleoRidotto(
                codice_fiscale_beneficiario=nr.beneficiario,
                nucleo=[
                    MembroNucleoRistretto(
                        relazione=m.relazione.value,
                        **{k: v for k, v in _persona(dsu, m.codice_fiscale).items()},
                    )
                    for m in nr.componenti
                ],
                ristretto=blocchi.get("ristretto"),
                sociosanitario_residenze=residenze,
            )
        ]
    elif residenze is not None:
        campi["sociosanitari_residenze"] = [residenze]
    return campi


def componenti_da_dsu(
    dsus: Sequence[DSU],
    *,
    params: ParameterSet | None = None,
    stampato_soltanto: bool = False,
    varianti: Sequence[Variante] = (),
) -> list[ComponentiAttestazione]:
    """The attestazione of each DSU (computed in one batch), with the blocks of ``varianti``."""
    params = params or load_parameters()
    result = compute(dsu_frames(list(dsus)), params=params, detail=True)
    componenti = result.componenti
    varie = _blocchi_varianti(dsus, varianti, params, stampato_soltanto)
    out = []
    for i, (dsu, row) in enumerate(zip(dsus, result.nuclei.iter_rows(named=True), strict=True)):
        quadro = _quadro(row, dsu.data_presentazione, row["isee"])
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
                "assegno_unico_annuo": dsu.assegno_unico_annuo,
                "codice_comune_abitazione": dsu.abitazione.codice_comune,
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
                    **varie[i],
                }
            )
        )
    return out
