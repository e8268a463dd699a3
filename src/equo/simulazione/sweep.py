"""A parameter sweep: cost and beneficiaries of the base for each value of one parameter.

``percorso`` is either a path in the regolamento (as in ``modifiche``:
``importo.calcolo.lineare.a``, ``stanziamento.importo``) or a national ISEE parameter
(``isp.franchigia_casa_abitazione``). Each point is the base with that one change. A number
inside a condition or an expression is swept with a template after ``=``, ``{}`` standing for
the value: ``requisiti.isee_massimo.condizione=isee <= {}``.

What is not recomputed:

- a regolamento path: the ISEE is the base's (computed once, or taken from the cache); the
  regolamento is recompiled per point (milliseconds); the domande are checked and cast once;
  and a domanda that fails a requisito every point shares (same condition, unchanged by the
  sweep) is set aside once — it is not admitted at any point, so it changes neither the cost
  nor the graduatoria — and each point evaluates only the others;
- a national parameter: the ISEE is recomputed for each value (the engine's cost, a few
  seconds per million DSUs), but only for the nuclei that meet every requisito not reading the
  indicators (:mod:`.riduzione`): the others are never admitted at any value.

The result has one row per value: ``valore``, ``ammessi``, ``beneficiari`` (funded domande),
``importo_totale`` (contributi assigned or fees collected) and ``importo_medio`` (per
beneficiary). Totals over the whole population are not masked; differences between close
points may concern few nuclei: check them before publishing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import polars as pl

from equo.isee.parameters import load_parameters
from equo.popolazione.modello import Popolazione
from equo.regolamenti.compilato import RegolamentoCompilato
from equo.regolamenti.sorgente import Problema, RegolamentoNonValido
from equo.regolamenti.valuta import Esiti, prepara_domande, valuta
from equo.simulazione.esegui import CacheIsee, domande, valuta_configurazione
from equo.simulazione.modifiche import CAMPI_REGOLAMENTO, Modifica, applica_modifiche
from equo.simulazione.parametri import leggi_sostituzione, nome_parametro, unisci
from equo.simulazione.riduzione import riduci
from equo.simulazione.scenario import Configurazione, Scenario, ScenarioNonValido

__all__ = ["sweep", "valori_sweep"]


def valori_sweep(da: float, a: float, passo: float) -> list[float]:
    """``da``, ``da + passo``, … up to ``a`` included (rounded to a millionth).

    >>> valori_sweep(10000, 20000, 500)[:3], len(valori_sweep(10000, 20000, 500))
    ([10000.0, 10500.0, 11000.0], 21)
    """
    if passo <= 0:
        raise ValueError("il passo deve essere positivo")
    if a < da:
        raise ValueError("il valore finale è minore di quello iniziale")
    n = int((a - da) / passo + 1e-9)
    return [float(round(da + i * passo, 6)) for i in range(n + 1)]


def _riga(valore: Any, esiti: Esiti) -> dict[str, Any]:
    frame = esiti.frame
    beneficiari = int(frame["finanziata"].sum())
    importo = (
        float(frame["importo_assegnato"].fill_null(0).sum())
        if "importo_assegnato" in frame.columns
        else 0.0
    )
    return {
        "valore": valore,
        "ammessi": int(frame["ammissibile"].sum()),
        "beneficiari": beneficiari,
        "importo_totale": round(importo, 2),
        "importo_medio": round(importo / beneficiari, 2) if beneficiari else None,
    }


def _errore(file: str, percorso: str, messaggio: str) -> ScenarioNonValido:
    return ScenarioNonValido([Problema(file, None, percorso, messaggio)])


def _nel_modello(modello: str, valore: Any) -> Any:
    """``valore`` written into ``modello`` at ``{}`` (the modello itself when empty).

    >>> _nel_modello("isee <= {}", 15000.0), _nel_modello("", 3.5)
    ('isee <= 15000', 3.5)
    """
    if not modello:
        return valore
    if isinstance(valore, float) and valore.is_integer():
        valore = int(valore)
    return modello.replace("{}", str(valore))


def _compila_punti(
    base: Configurazione, percorso: str, modello: str, valori: Sequence[Any]
) -> list[RegolamentoCompilato]:
    compilati = []
    for valore in valori:
        try:
            compilati.append(
                applica_modifiche(
                    base.regolamento.documento,
                    [Modifica(percorso, _nel_modello(modello, valore))],
                    file=base.regolamento.file,
                )
            )
        except RegolamentoNonValido as exc:
            raise ScenarioNonValido(
                Problema(p.file, p.riga, p.campo, f"con il valore {valore!r}: {p.messaggio}")
                for p in exc.problemi
            ) from None
    return compilati


def _condizioni_comuni(compilati: Sequence[RegolamentoCompilato]) -> list[pl.Expr]:
    """The conditions every point shares (same id, same SQL): failing one excludes at all."""
    primo, *altri = compilati
    comuni = []
    for condizione in primo.condizioni:
        if all(
            any(c.id == condizione.id and c.sql == condizione.sql for c in altro.condizioni)
            for altro in altri
        ):
            comuni.append(condizione.expr.fill_null(False))
    return comuni


def _sweep_regolamento(
    base: Configurazione,
    popolazione: Popolazione,
    percorso: str,
    valori: Sequence[Any],
    cache: CacheIsee,
) -> pl.DataFrame:
    percorso, _, modello = percorso.partition("=")
    compilati = _compila_punti(base, percorso.strip(), modello.strip(), valori)
    punti = [dataclasses.replace(base, regolamento=c) for c in compilati]
    chiavi = {p.chiave_isee() for p in punti}
    if chiavi != {base.chiave_isee()}:  # the indicator itself changes: no shortcut
        righe = []
        for valore, punto in zip(valori, punti, strict=True):
            frame = domande(popolazione, punto, cache)
            righe.append(_riga(valore, valuta_configurazione(punto, frame).esiti))
        return pl.DataFrame(righe)
    frame = domande(popolazione, base, cache)
    usate = [c for compilato in compilati for c in compilato.campi_usati]
    nucleo = ["id_nucleo"] if "id_nucleo" in frame.columns else []
    colonne = list(dict.fromkeys(["id_domanda", *usate, *nucleo]))
    mancanti = [c for c in colonne if c not in frame.columns]
    if mancanti:
        raise _errore(
            base.regolamento.file,
            percorso,
            f"la popolazione non ha le colonne che il regolamento legge: {', '.join(mancanti)}",
        )
    frame = frame.select(colonne)
    for compilato in {c.campi_usati: c for c in compilati}.values():
        frame = prepara_domande(compilato, frame)
    comuni = _condizioni_comuni(compilati)
    if comuni:
        frame = frame.filter(pl.all_horizontal(comuni))
    return pl.DataFrame(
        [_riga(v, valuta(c, frame)) for v, c in zip(valori, compilati, strict=True)]
    )


def _sweep_parametro(
    base: Configurazione,
    popolazione: Popolazione,
    percorso: str,
    valori: Sequence[Any],
    cache: CacheIsee,
) -> pl.DataFrame:
    if popolazione.dsu is None:
        raise _errore(
            base.regolamento.file,
            percorso,
            "la popolazione è fatta di attestazioni (senza DSU): l'ISEE non si ricalcola",
        )
    params = load_parameters()
    righe = []
    popolazione = riduci(base, popolazione, cache)
    cache = CacheIsee(popolazione, massimo=1)
    for valore in valori:
        nuove, problemi = leggi_sostituzione(percorso, valore, params, (percorso,))
        effettive, conflitti = unisci([("base", base.parametri), ("sweep", nuove)])
        if problemi or conflitti:
            messaggio = "; ".join(m for _, m in [*problemi, *conflitti])
            raise _errore(base.regolamento.file, percorso, f"con il valore {valore!r}: {messaggio}")
        punto = dataclasses.replace(base, parametri=tuple(effettive))
        frame = domande(popolazione, punto, cache)
        righe.append(_riga(valore, valuta_configurazione(punto, frame).esiti))
    return pl.DataFrame(righe)


def sweep(
    scenario_o_base: Scenario | Configurazione,
    popolazione: Popolazione,
    percorso: str,
    valori: Sequence[Any],
    *,
    cache: CacheIsee | None = None,
) -> pl.DataFrame:
    """Cost and beneficiaries of the base with ``percorso`` set to each of ``valori``.

    Raises :class:`~equo.simulazione.scenario.ScenarioNonValido` for an unknown path or a value
    the regolamento or the parameter does not accept.
    """
    base = scenario_o_base.base if isinstance(scenario_o_base, Scenario) else scenario_o_base
    if not valori:
        raise _errore(base.regolamento.file, percorso, "nessun valore da provare")
    if cache is None or cache.popolazione is not popolazione:
        cache = CacheIsee(popolazione)
    if percorso.split(".", 1)[0].split("=", 1)[0].strip() in CAMPI_REGOLAMENTO:
        return _sweep_regolamento(base, popolazione, percorso, valori, cache)
    if nome_parametro(percorso, load_parameters()) is None:
        _, problemi = leggi_sostituzione(percorso, None, load_parameters())
        raise _errore(
            base.regolamento.file,
            percorso,
            f"'{percorso}' non è né un campo del regolamento "
            f"({', '.join(sorted(CAMPI_REGOLAMENTO))}) né {problemi[0][1]}",
        )
    return _sweep_parametro(base, popolazione, percorso, valori, cache)
