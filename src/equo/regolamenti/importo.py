"""The amount of a domanda (contributo) or the share its user pays (compartecipazione).

Every shape municipalities use is one :class:`~equo.regolamenti.documento.Importo`: fixed,
fasce, linear between two thresholds, percentage of a field, or a free expression; then the
steps of :class:`~equo.regolamenti.documento.Importo` in their documented order. All of it is
Polars expressions, the same for one domanda and for a million.

Polars evaluates both branches of a ``when/then/otherwise`` (STYLE.md): the linear
interpolation divides by ``a - da``, which the document guarantees is positive.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from equo.regolamenti.compila import Compilatore
from equo.regolamenti.documento import (
    CalcoloEspressione,
    CalcoloFasce,
    CalcoloFisso,
    CalcoloLineare,
    CalcoloPercentuale,
    Importo,
    ModoArrotondamento,
)

__all__ = ["ImportoCompilato", "arrotonda", "compila_importo", "fascia_di"]

_SNAP = 6  # decimals kept before rounding: removes binary noise (12.345 stored as 12.34499…)


def arrotonda(amount: pl.Expr, passo: float, modo: ModoArrotondamento) -> pl.Expr:
    """Round ``amount`` to a multiple of ``passo``: commercial (half up), down or up.

    >>> frame = pl.DataFrame({"x": [12.345, 12.344, 7.5]})
    >>> frame.select(
    ...     c=arrotonda(pl.col("x"), 0.01, ModoArrotondamento.commerciale),
    ...     d=arrotonda(pl.col("x"), 1, ModoArrotondamento.per_difetto),
    ...     e=arrotonda(pl.col("x"), 5, ModoArrotondamento.per_eccesso),
    ... ).rows()
    [(12.35, 12.0, 15.0), (12.34, 12.0, 15.0), (7.5, 7.0, 10.0)]
    """
    steps = (amount / passo).round(_SNAP)
    if modo is ModoArrotondamento.per_difetto:
        whole = steps.floor()
    elif modo is ModoArrotondamento.per_eccesso:
        whole = steps.ceil()
    else:
        whole = steps.round(0, mode="half_away_from_zero")
    return (whole * passo).round(2)


@dataclass(frozen=True)
class ImportoCompilato:
    """The compiled amount: each step as a column expression, for evaluation and motivazione.

    ``base`` is the calcolo (or the matching caso particolare, whose id is ``caso``);
    ``lordo`` after ``per``, maggiorazioni and riduzioni (never below zero); ``limitato`` after
    minimo/massimo; ``esente`` tells where the esenzione applies, ``sotto_soglia`` where the
    amount is below the soglia di erogazione; ``finale`` is the rounded amount of the domanda
    before the tetto per nucleo.
    """

    documento: Importo
    base: pl.Expr
    caso: pl.Expr
    lordo: pl.Expr
    limitato: pl.Expr
    esente: pl.Expr
    sotto_soglia: pl.Expr
    finale: pl.Expr
    campi: tuple[str, ...]


def fascia_di(calcolo: CalcoloFasce) -> pl.Expr:
    """The 0-based index of the band of each domanda (bands are contiguous from 0, open-ended).

    >>> from equo.regolamenti.documento import CalcoloFasce
    >>> c = CalcoloFasce.model_validate({"fasce": {"fasce": [
    ...     {"da": 0, "a": 5000, "importo": 10}, {"da": 5000.01, "importo": 20}]}})
    >>> pl.DataFrame({"isee": [5000.0, 5000.01]}).select(fascia_di(c)).to_series().to_list()
    [0, 1]
    """
    spec = calcolo.fasce
    value = pl.col(spec.su)
    last = len(spec.fasce) - 1
    chain: pl.Expr = pl.when(value.is_not_null()).then(pl.lit(last, dtype=pl.Int64))
    for index in range(last - 1, -1, -1):
        upper = spec.fasce[index].a
        if upper is None:  # only the last band is open: the document checks it
            raise ValueError(f"fasce[{index}].a: solo l'ultima fascia può essere senza limite")
        chain = pl.when(value <= upper).then(pl.lit(index, dtype=pl.Int64)).otherwise(chain)
    return chain


def _fasce(calcolo: CalcoloFasce) -> pl.Expr:
    spec = calcolo.fasce
    index = fascia_di(calcolo)
    result: pl.Expr = pl.lit(None, dtype=pl.Float64)
    for i, band in enumerate(spec.fasce):
        if band.importo is not None:
            value = pl.lit(float(band.importo))
        else:
            share = (band.percentuale or 0.0) / 100
            value = pl.col(spec.percentuale_di or spec.su) * share
        result = pl.when(index == i).then(value).otherwise(result)
    return result


def _lineare(calcolo: CalcoloLineare) -> pl.Expr:
    spec = calcolo.lineare
    share = ((pl.col(spec.su) - spec.da) / (spec.a - spec.da)).clip(0.0, 1.0)
    value = spec.valore_da + (spec.valore_a - spec.valore_da) * share
    if spec.percentuale_di is not None:
        return pl.col(spec.percentuale_di) * value / 100
    return value


def _fields_of_calcolo(
    importo: Importo, compilatore: Compilatore
) -> tuple[pl.Expr | None, list[str]]:
    """The base expression and the fields it reads (problems recorded on the compiler)."""
    calcolo = importo.calcolo
    path: tuple[int | str, ...] = ("importo", "calcolo")
    names: list[str] = []

    def need(nome: str, *steps: int | str) -> bool:
        ok = compilatore.campo(nome, (*path, *steps), numerico=True) is not None
        names.append(nome)
        return ok

    if isinstance(calcolo, CalcoloFisso):
        return pl.lit(float(calcolo.fisso)), names
    if isinstance(calcolo, CalcoloFasce):
        ok = need(calcolo.fasce.su, "fasce", "su")
        if calcolo.fasce.percentuale_di is not None:
            ok = need(calcolo.fasce.percentuale_di, "fasce", "percentuale_di") and ok
        return (_fasce(calcolo) if ok else None), names
    if isinstance(calcolo, CalcoloLineare):
        ok = need(calcolo.lineare.su, "lineare", "su")
        if calcolo.lineare.percentuale_di is not None:
            ok = need(calcolo.lineare.percentuale_di, "lineare", "percentuale_di") and ok
        return (_lineare(calcolo) if ok else None), names
    if isinstance(calcolo, CalcoloPercentuale):
        ok = need(calcolo.percentuale.di, "percentuale", "di")
        expr = pl.col(calcolo.percentuale.di) * (calcolo.percentuale.percentuale / 100)
        return (expr if ok else None), names
    if not isinstance(calcolo, CalcoloEspressione):  # pragma: no cover - the union is closed
        raise TypeError(f"forma di calcolo sconosciuta: {calcolo!r}")
    compiled = compilatore.sql(calcolo.espressione, (*path, "espressione"), "numero")
    if compiled is None:
        return None, names
    names.extend(compiled.campi)
    return compiled.expr.cast(pl.Float64), names


def _casi_particolari(
    importo: Importo, base: pl.Expr, compilatore: Compilatore, campi: list[str]
) -> tuple[pl.Expr, pl.Expr, bool]:
    """The base with the first matching caso particolare applied, and which case matched."""
    ok = True
    amount, which = base, pl.lit(None, dtype=pl.String)
    for i, caso in reversed(list(enumerate(importo.casi_particolari))):
        path: tuple[int | str, ...] = ("importo", "casi_particolari", i)
        condition = compilatore.sql(caso.condizione, (*path, "condizione"), "condizione")
        if condition is None:
            ok = False
            continue
        campi.extend(condition.campi)
        if caso.importo is not None:
            value = pl.lit(float(caso.importo))
        else:
            of = caso.di or "costo_servizio"
            ok = compilatore.campo(of, (*path, "di"), numerico=True) is not None and ok
            value = pl.col(of) * ((caso.percentuale or 0.0) / 100)
            campi.append(of)
        applies = condition.expr.fill_null(False)
        amount = pl.when(applies).then(value).otherwise(amount)
        which = pl.when(applies).then(pl.lit(caso.id)).otherwise(which)
    return amount, which, ok


def _riduzioni(
    importo: Importo, amount: pl.Expr, compilatore: Compilatore, campi: list[str]
) -> tuple[pl.Expr, bool]:
    """The amount after the reductions that apply, composed or summed as the document says."""
    ok = True
    total: pl.Expr = pl.lit(0.0)
    for i, cut in enumerate(importo.riduzioni):
        path = ("importo", "riduzioni", i, "condizione")
        condition = compilatore.sql(cut.condizione, path, "condizione")
        if condition is None:
            ok = False
            continue
        campi.extend(condition.campi)
        applies = condition.expr.fill_null(False)
        if importo.riduzioni_cumulate == "composte":
            amount = pl.when(applies).then(amount * (1 - cut.percentuale / 100)).otherwise(amount)
        else:
            total = total + pl.when(applies).then(cut.percentuale).otherwise(0.0)
    if importo.riduzioni_cumulate == "sommate" and importo.riduzioni:
        amount = amount * (1 - total.clip(upper_bound=100) / 100)
    return amount, ok


def _esenzione(
    importo: Importo, compilatore: Compilatore, campi: list[str]
) -> tuple[pl.Expr, bool]:
    """Where the esenzione applies (never where its data are missing)."""
    rule = importo.esenzione
    if rule is None:
        return pl.lit(False), True
    ok = True
    exempt: pl.Expr = pl.lit(False)
    if rule.isee_fino_a is not None:
        ok = compilatore.campo("isee", ("importo", "esenzione"), numerico=True) is not None
        exempt = (pl.col("isee") <= rule.isee_fino_a).fill_null(False)
        campi.append("isee")
    if rule.condizione is not None:
        path = ("importo", "esenzione", "condizione")
        condition = compilatore.sql(rule.condizione, path, "condizione")
        if condition is None:
            return exempt, False
        campi.extend(condition.campi)
        exempt = exempt | condition.expr.fill_null(False)
    return exempt, ok


def compila_importo(importo: Importo, compilatore: Compilatore) -> ImportoCompilato | None:
    """Compile ``importo``; None if any of its fields or expressions has a problem."""
    calcolo, campi = _fields_of_calcolo(importo, compilatore)
    ok = calcolo is not None
    base, caso, cases_ok = _casi_particolari(
        importo, calcolo if calcolo is not None else pl.lit(0.0), compilatore, campi
    )
    amount = base
    if importo.per is not None:
        ok = compilatore.campo(importo.per, ("importo", "per"), numerico=True) is not None and ok
        amount = amount * pl.col(importo.per)
        campi.append(importo.per)
    for i, plus in enumerate(importo.maggiorazioni):
        path = ("importo", "maggiorazioni", i, "per_ogni")
        ok = compilatore.campo(plus.per_ogni, path, numerico=True) is not None and ok
        units = (pl.col(plus.per_ogni) - plus.oltre).clip(lower_bound=0)
        amount = amount + units * plus.importo
        campi.append(plus.per_ogni)
    amount, cuts_ok = _riduzioni(importo, amount, compilatore, campi)
    lordo = amount.clip(lower_bound=0)
    limitato = lordo
    if importo.minimo is not None:
        limitato = limitato.clip(lower_bound=importo.minimo)
    if importo.massimo is not None:
        limitato = limitato.clip(upper_bound=importo.massimo)
    esente, exemption_ok = _esenzione(importo, compilatore, campi)
    passo, modo = importo.arrotondamento.passo, importo.arrotondamento.modo
    rounded = arrotonda(limitato, passo, modo)
    sotto_soglia: pl.Expr = pl.lit(False)
    if importo.soglia_erogazione is not None:
        sotto_soglia = ~esente & (rounded < importo.soglia_erogazione)
    finale = pl.when(esente | sotto_soglia).then(0.0).otherwise(rounded)
    if not (ok and cases_ok and cuts_ok and exemption_ok) or calcolo is None:
        return None
    return ImportoCompilato(
        documento=importo,
        base=base,
        caso=caso,
        lordo=lordo,
        limitato=limitato,
        esente=esente,
        sotto_soglia=sotto_soglia,
        finale=finale,
        campi=tuple(dict.fromkeys(campi)),
    )
