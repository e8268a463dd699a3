"""A linear attacker: which masked cells of an impact can be recomputed from the published ones?

Every cell of the impact tables is a sum over *atoms*: the households that share a Comune, a
type, a decile, a band and whether they are beneficiaries in the base and in the alternative.
The attacker does not know how many households each atom has, nor their amounts: those are the
unknowns ``x``. A published cell is an equation ``a · x = value``; a masked cell ``m · x`` is
recomputable exactly when ``m`` is a combination of the published ``a`` (it lies in their row
space). The test checks that none is.

The attacker is given more than a real reader knows, so that passing is conservative: an
amount is zero outside the beneficiaries; an unchanged household has the same amount in both
configurations; admitted means beneficiary (true for the regolamenti of these tests, which have
no stanziamento). Every published cell is also checked against the microdata (``a · x_true``
must be the published value), which proves that the equations describe the tables.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import polars as pl

from equo.simulazione import Impatto
from equo.simulazione.bande import BANDE, GUADAGNI, PERDITE
from equo.simulazione.tipologie import TIPOLOGIE

Atomo = tuple[Any, ...]  # comune, tipologia, decile, banda, beneficiario base, beneficiario alt


class _Sistema:
    """The unknowns: per atom, its households and (for beneficiaries) their amounts."""

    def __init__(self, atomi: list[Atomo]) -> None:
        self.atomi = atomi
        colonne = list(zip(*atomi, strict=True))
        self.comune, self.tipologia, self.decile, self.banda = (
            np.array(c, dtype=object) for c in colonne[:4]
        )
        self.ben_b = np.array(colonne[4], dtype=bool)
        self.ben_a = np.array(colonne[5], dtype=bool)
        n = len(atomi)
        self.n = np.arange(n)
        self.b = np.full(n, -1)
        self.b[self.ben_b] = n + np.arange(int(self.ben_b.sum()))
        prossimo = n + int(self.ben_b.sum())
        self.a = np.full(n, -1)
        condivisa = self.ben_a & self.ben_b & (self.banda == "invariato")
        self.a[condivisa] = self.b[condivisa]
        propria = self.ben_a & ~condivisa
        self.a[propria] = prossimo + np.arange(int(propria.sum()))
        self.incognite = prossimo + int(propria.sum())

    def vettore(self, dentro: np.ndarray, cosa: str) -> np.ndarray:
        """Coefficients of the households (``n``) or amounts (``b``, ``a``) of the atoms in
        ``dentro``."""
        indici = {"n": self.n, "b": self.b, "a": self.a}[cosa]
        scelti = indici[dentro & (indici >= 0)]
        v = np.zeros(self.incognite)
        np.add.at(v, scelti, 1.0)
        return v


def _celle(risultato: Impatto, s: _Sistema) -> list[tuple[str, np.ndarray, float | None]]:
    """(name, coefficients, published value or None if masked) of every linear cell."""
    celle: list[tuple[str, np.ndarray, float | None]] = []
    tutti = np.ones(len(s.atomi), dtype=bool)
    entra, esce = s.ben_a & ~s.ben_b, s.ben_b & ~s.ben_a
    guadagna = np.isin(s.banda, list(GUADAGNI))
    perde = np.isin(s.banda, list(PERDITE))

    def gruppo(tabella: str, frame: pl.DataFrame, valori: np.ndarray, bande: bool) -> None:
        for riga in frame.iter_rows(named=True):
            if riga["etichetta"] == "Totale":
                dentro = tutti
            else:
                chiave = riga[frame.columns[0]]
                dentro = np.array([v == chiave for v in valori], dtype=bool)
            nome = f"{tabella}[{riga['etichetta']}]"
            voci = {
                "nuclei": s.vettore(dentro, "n"),
                "beneficiari_base": s.vettore(dentro & s.ben_b, "n"),
                "beneficiari_alternativa": s.vettore(dentro & s.ben_a, "n"),
                "importo_base": s.vettore(dentro, "b"),
                "importo_alternativa": s.vettore(dentro, "a"),
                "nuovi_ammessi": s.vettore(dentro & entra, "n"),
                "nuovi_esclusi": s.vettore(dentro & esce, "n"),
            }
            voci["variazione_beneficiari"] = (
                voci["beneficiari_alternativa"] - voci["beneficiari_base"]
            )
            voci["variazione_importo"] = voci["importo_alternativa"] - voci["importo_base"]
            if bande:
                voci["guadagnano"] = s.vettore(dentro & guadagna, "n")
                voci["perdono"] = s.vettore(dentro & perde, "n")
            for colonna, vettore in voci.items():
                celle.append((f"{nome}.{colonna}", vettore, riga[colonna]))

    gruppo("per_comune", risultato.per_comune, s.comune, True)
    gruppo("per_tipologia", risultato.per_tipologia, s.tipologia, True)
    gruppo("per_decile", risultato.per_decile, s.decile, False)

    codici = [c for c, _ in BANDE]
    for riga in risultato.bande_per_decile.iter_rows(named=True):
        if riga["etichetta"] == "Totale":
            righe = tutti
        else:
            righe = np.array([d == riga["decile"] for d in s.decile], dtype=bool)
        for codice in [*codici, "totale"]:
            colonna = tutti if codice == "totale" else s.banda == codice
            celle.append(
                (
                    f"bande_per_decile[{riga['etichetta']}].{codice}",
                    s.vettore(righe & colonna, "n"),
                    riga[codice],
                )
            )
    for riga in risultato.bande.iter_rows(named=True):
        banda = riga["banda"]
        dentro = tutti if banda is None else s.banda == banda
        celle.append((f"bande[{banda}].nuclei", s.vettore(dentro, "n"), riga["nuclei"]))
        variazione = s.vettore(dentro, "a") - s.vettore(dentro, "b")
        celle.append((f"bande[{banda}].variazione", variazione, riga["variazione_totale"]))

    voci_totali = {
        "nuclei": (s.vettore(tutti, "n"), s.vettore(tutti, "n")),
        "ammessi": (s.vettore(s.ben_b, "n"), s.vettore(s.ben_a, "n")),
        "beneficiari": (s.vettore(s.ben_b, "n"), s.vettore(s.ben_a, "n")),
        "importo_totale": (s.vettore(tutti, "b"), s.vettore(tutti, "a")),
    }
    for riga in risultato.totali.iter_rows(named=True):
        if riga["voce"] not in voci_totali:
            continue
        base, alt = voci_totali[riga["voce"]]
        celle += [
            (f"totali.{riga['voce']}.base", base, riga["base"]),
            (f"totali.{riga['voce']}.alternativa", alt, riga["alternativa"]),
            (f"totali.{riga['voce']}.variazione", alt - base, riga["variazione"]),
        ]
    movimenti = {
        "nuovi_ammessi": entra,
        "nuovi_esclusi": esce,
        "nuovi_beneficiari": entra,
        "ex_beneficiari": esce,
    }
    for riga in risultato.movimenti.iter_rows(named=True):
        celle.append(
            (f"movimenti.{riga['voce']}", s.vettore(movimenti[riga["voce"]], "n"), riga["nuclei"])
        )
    return celle


def _vero(risultato: Impatto, s: _Sistema) -> np.ndarray:
    """The true unknowns, from the per-household comparison."""
    x = np.zeros(s.incognite)
    posizione = {atomo: i for i, atomo in enumerate(s.atomi)}
    for r in risultato.nuclei.iter_rows(named=True):
        i = posizione[
            (
                r["comune"],
                r["tipologia"],
                r["decile"],
                r["banda"],
                r["beneficiario_base"],
                r["beneficiario_alternativa"],
            )
        ]
        x[s.n[i]] += 1
        if r["beneficiario_base"]:
            x[s.b[i]] += r["importo_base"]
        if r["beneficiario_alternativa"] and s.a[i] != s.b[i]:
            x[s.a[i]] += r["importo_alternativa"]
    return x


def ricalcolabili(risultato: Impatto) -> list[str]:
    """The masked cells of ``risultato`` that the published cells determine (should be none)."""
    nuclei = risultato.nuclei
    assert (nuclei["ammessa_base"] == nuclei["beneficiario_base"]).all()
    assert (nuclei["ammessa_alternativa"] == nuclei["beneficiario_alternativa"]).all()
    comuni = sorted(nuclei["comune"].unique().to_list())
    decili = nuclei["decile"].unique().to_list()
    atomi = list(
        itertools.product(
            comuni,
            [t for t, _ in TIPOLOGIE],
            decili,
            [b for b, _ in BANDE],
            [False, True],
            [False, True],
        )
    )
    s = _Sistema(atomi)
    celle = _celle(risultato, s)
    vero = _vero(risultato, s)
    for nome, vettore, valore in celle:
        if valore is not None:
            assert abs(vettore @ vero - valore) < 1e-6, (nome, vettore @ vero, valore)
    pubblicate = np.array([v for _, v, valore in celle if valore is not None])
    # an orthonormal basis of the published equations, through their Gram matrix (small)
    autovalori, autovettori = np.linalg.eigh(pubblicate @ pubblicate.T)
    tenuti = autovalori > 1e-9 * autovalori.max()
    base = (pubblicate.T @ autovettori[:, tenuti] / np.sqrt(autovalori[tenuti])).T
    trovate = []
    for nome, vettore, valore in celle:
        if valore is None and np.abs(vettore).sum() > 0:
            resto = vettore - (base @ vettore) @ base
            if np.abs(resto).max() < 1e-8:
                trovate.append(nome)
    return trovate


def mascherate(risultato: Impatto) -> int:
    """How many linear cells are masked (to make sure a test masks something)."""
    return sum(
        tabella.select(pl.all().is_null().sum()).sum_horizontal().item()
        for nome, tabella in risultato.tabelle().items()
        if nome != "graduatoria"
    )
