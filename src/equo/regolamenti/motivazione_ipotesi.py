"""What a different indicator would change in the amount: the hypotheses of a motivazione.

:func:`ipotesi` writes, for one admitted domanda, what a lower ISEE would give: the esenzione
(below its ISEE threshold), the amount of the next lower fascia, the change of a linear amount
per 1.000 € of ISEE. Hypothetical amounts go through every step of
:class:`~equo.regolamenti.documento.Importo` with the domanda's other data unchanged; the small
helpers (:func:`arrotonda_valore`, :func:`fascia_di`) are the Python twins of the evaluation's
expressions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from equo.isee.format import euro
from equo.regolamenti.documento import (
    CalcoloFasce,
    CalcoloLineare,
    Fascia,
    Importo,
    ModoArrotondamento,
    TipoImporto,
)
from equo.regolamenti.motivazione_voci import Voci, articolo

__all__ = ["arrotonda_valore", "diversi", "fascia_di", "fattore_riduzioni", "ipotesi"]

_EPS = 0.005  # half a cent: amounts closer than this are the same amount


def arrotonda_valore(importo: float, passo: float, modo: ModoArrotondamento) -> float:
    """The Python twin of :func:`equo.regolamenti.importo.arrotonda`, for hypothetical amounts.

    >>> arrotonda_valore(12.345, 0.01, ModoArrotondamento.commerciale)
    12.35
    >>> arrotonda_valore(7.5, 5, ModoArrotondamento.per_eccesso)
    10.0
    """
    passi = round(importo / passo, 6)
    if modo is ModoArrotondamento.per_difetto:
        interi = math.floor(passi)
    elif modo is ModoArrotondamento.per_eccesso:
        interi = math.ceil(passi)
    else:
        interi = int(math.copysign(math.floor(abs(passi) + 0.5), passi))
    return float(round(interi * passo, 2))


def fascia_di(fasce: Sequence[Fascia], valore: float) -> int:
    """The 0-based band of ``valore``, as :func:`equo.regolamenti.importo.fascia_di` finds it.

    >>> fascia_di([Fascia(da=0, a=5000, importo=1), Fascia(da=5000.01, importo=2)], 5000)
    0
    """
    for indice, fascia in enumerate(fasce):
        if fascia.a is not None and valore <= fascia.a:
            return indice
    return len(fasce) - 1


def diversi(a: float | None, b: float | None) -> bool:
    """Whether two amounts differ by half a cent or more (None: not comparable)."""
    return a is not None and b is not None and abs(a - b) >= _EPS


def fattore_riduzioni(percentuali: Sequence[float], cumulo: str) -> float:
    """What is left after the riduzioni that apply: composed, or summed up to 100%.

    >>> fattore_riduzioni([20, 30], "composte"), fattore_riduzioni([20, 30], "sommate")
    (0.56, 0.5)
    """
    if cumulo == "sommate":
        return 1 - min(sum(percentuali), 100) / 100
    fattore = 1.0
    for percentuale in percentuali:
        fattore *= 1 - percentuale / 100
    return round(fattore, 12)


class _Ipotesi:
    """One admitted domanda and its regolamento, to compute hypothetical amounts."""

    def __init__(
        self, documento: Importo, voci: Voci, riga: Mapping[str, Any], riduzioni: Sequence[float]
    ) -> None:
        self.documento, self.voci, self.riga = documento, voci, riga
        self.fattore = fattore_riduzioni(riduzioni, documento.riduzioni_cumulate)
        contributo = documento.tipo is TipoImporto.contributo
        self.cosa = "il contributo" if contributo else "la quota a carico dell'utente"

    def esenzione(self) -> list[str]:
        esenzione, riga = self.documento.esenzione, self.riga
        if esenzione is None or esenzione.isee_fino_a is None:
            return []
        if riga.get("isee") is None or not riga["importo"]:
            return []
        return [
            f"con un ISEE non superiore a {euro(esenzione.isee_fino_a)} si applicherebbe "
            f"l'esenzione{articolo(esenzione.articolo)} e l'importo sarebbe pari a zero"
        ]

    def finale(self, base: float, isee: float | None) -> float:
        """The amount of the domanda with another ``base`` (and ISEE), its other data equal."""
        imp, riga = self.documento, self.riga
        importo = base * (riga[imp.per] if imp.per is not None else 1)
        for m in imp.maggiorazioni:
            importo += max(riga[m.per_ogni] - m.oltre, 0) * m.importo
        importo = max(importo * self.fattore, 0.0)
        if imp.minimo is not None:
            importo = max(importo, imp.minimo)
        if imp.massimo is not None:
            importo = min(importo, imp.massimo)
        soglia = imp.esenzione.isee_fino_a if imp.esenzione is not None else None
        if soglia is not None and isee is not None and isee <= soglia:
            return 0.0
        arrotondamento = imp.arrotondamento
        importo = arrotonda_valore(importo, arrotondamento.passo, arrotondamento.modo)
        if imp.soglia_erogazione is not None and importo < imp.soglia_erogazione:
            return 0.0
        return importo

    def fascia_inferiore(self, calcolo: CalcoloFasce) -> list[str]:
        spec, riga = calcolo.fasce, self.riga
        if riga[spec.su] is None:
            return []
        indice = fascia_di(spec.fasce, riga[spec.su])
        if indice == 0:
            return []
        fascia = spec.fasce[indice - 1]
        limite = fascia.a if fascia.a is not None else fascia.da
        esenzione = self.documento.esenzione
        soglia = esenzione.isee_fino_a if esenzione is not None else None
        if spec.su == "isee" and soglia is not None and limite <= soglia:
            return []  # the esenzione, already stated, is what a lower ISEE would give
        if fascia.importo is not None:
            base = fascia.importo
        else:
            base = riga[spec.percentuale_di or spec.su] * (fascia.percentuale or 0) / 100
        isee = limite if spec.su == "isee" else riga.get("isee")
        altro = self.finale(base, isee)
        return [
            f"con {self.voci.indicatore(spec.su)} fino a {self.voci.misura(spec.su, limite)} "
            f"(fascia {indice}) {self.cosa} sarebbe di {euro(altro)}, a parità degli altri dati"
        ]

    def pendenza(self, calcolo: CalcoloLineare) -> list[str]:
        s, v, imp, riga = calcolo.lineare, self.voci, self.documento, self.riga
        valore = riga[s.su]
        passo = 1000.0 if v.in_euro(s.su) else 1.0
        if valore <= s.da:
            return []
        variazione = (s.valore_a - s.valore_da) / (s.a - s.da) * passo
        if s.percentuale_di is not None:
            variazione *= riga[s.percentuale_di] / 100
        variazione *= (riga[imp.per] if imp.per is not None else 1) * self.fattore
        lordo = riga["importo_lordo"]
        basso = imp.minimo is not None and lordo <= imp.minimo
        alto = imp.massimo is not None and lordo >= imp.massimo
        if abs(variazione) < _EPS or basso or alto:  # the formula does not move a capped amount
            return []
        verso = "diminuirebbe" if variazione > 0 else "aumenterebbe"
        quanto = "sotto" if valore >= s.a else "in meno"
        unita = v.misura(s.su, passo) + (f" di {v.sigla(s.su)}" if v.in_euro(s.su) else "")
        fino = f", fino alla soglia di {v.misura(s.su, s.da)}"
        soglia = f" la soglia di {v.misura(s.su, s.a)}" if valore >= s.a else ""
        return [
            f"ogni {unita} {quanto}{soglia} {self.cosa} {verso} di {euro(abs(variazione))}"
            f"{fino} (prima dell'arrotondamento, a parità degli altri dati)"
        ]


def ipotesi(
    documento: Importo,
    voci: Voci,
    riga: Mapping[str, Any],
    riduzioni: Sequence[float],
    *,
    particolare: bool = False,
) -> list[str]:
    """What a lower indicator would give to an admitted domanda with an amount, not exempt.

    ``riduzioni`` are the percentages of the riduzioni that apply to it. Where a caso
    particolare set the base (``particolare``), the calcolo does not matter: only the esenzione
    by ISEE could change the amount.
    """
    caso = _Ipotesi(documento, voci, riga, riduzioni)
    frasi = caso.esenzione()
    calcolo = documento.calcolo
    if particolare:
        return frasi
    if isinstance(calcolo, CalcoloFasce):
        frasi += caso.fascia_inferiore(calcolo)
    elif isinstance(calcolo, CalcoloLineare):
        frasi += caso.pendenza(calcolo)
    return frasi
