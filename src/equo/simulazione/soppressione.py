"""Small-cell suppression: no published figure describes fewer than k nuclei.

The impact tables leave the office, so every published cell is checked against ``k`` (the
scenario's ``opzioni.k_minimo``, 10 by default).

**Primary suppression.** A cell is masked when it describes at least one and fewer than ``k``
nuclei:

- a group (a row: a Comune, a type, a decile, a band) of fewer than ``k`` nuclei is masked
  whole — its count, its sums, its means;
- within a larger group, a count of a subgroup (beneficiaries, newly admitted, …) of fewer than
  ``k`` nuclei is masked with every figure computed on that subgroup (the amounts paid to the
  beneficiaries, their change): the cells of one :class:`Famiglia` are masked together.

A zero count is published (it describes nobody).

**Secondary (complementary) suppression.** The totals are published, so a single masked cell
in a column could be recomputed as the total minus the visible cells. In a one-way table, when
exactly one cell of a column is masked, the visible cell of the smallest positive group in that
column is masked too — even when the total itself is masked, because a total can often be
rebuilt from another table (:func:`maschera_tabella`). In the two-way table (decile × band)
with its margins, the cells, the margins and the grand total form a system of linear
equations: while some masked value is determined by the published ones (checked exactly by
:func:`deducibili`), the smallest visible cell of an equation where it is the only unknown is
masked, inner cells first (:func:`maschera_incrocio`).

What this does not protect: bounds (a masked count is between 0 and the total minus the visible
cells) and differences between two runs on populations that differ by a few nuclei.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

__all__ = [
    "Famiglia",
    "Incrocio",
    "applica_maschere",
    "deducibili",
    "equazioni_incrocio",
    "maschera_incrocio",
    "maschera_tabella",
    "maschera_totali",
]

Maschera = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Famiglia:
    """Cells computed on the same nuclei, masked together.

    ``contatori`` are the columns counting those nuclei (a cell is masked if any of them is
    between 1 and k − 1); ``colonne`` every column masked with them (the counts included).
    ``additiva``: the columns add up over the rows to a published total (so they need
    complementary suppression).
    """

    nome: str
    contatori: tuple[str, ...]
    colonne: tuple[str, ...]
    additiva: bool = True
    con: tuple[str, ...] = ()
    """Earlier families whose masked cells mask this one's too (linked by an identity, such as
    beneficiaries in the alternative − in the base = newly funded − no longer funded)."""


def _piccolo(valori: npt.NDArray[np.float64], k: int) -> Maschera:
    return (valori > 0) & (valori < k)


def maschera_totali(
    totale: Mapping[str, float], famiglie: Sequence[Famiglia], k: int
) -> dict[str, bool]:
    """Which families of the totals row are masked (primary suppression only).

    >>> f = Famiglia("beneficiari", ("beneficiari",), ("beneficiari", "importo"))
    >>> maschera_totali({"beneficiari": 3, "importo": 900.0}, [f], 10)
    {'beneficiari': True}
    """
    return {f.nome: bool(any(0 < float(totale[c]) < k for c in f.contatori)) for f in famiglie}


def maschera_tabella(
    righe: pl.DataFrame,
    famiglie: Sequence[Famiglia],
    k: int,
    *,
    nuclei: str = "nuclei",
    forzate: Mapping[str, Maschera] | None = None,
    note: Mapping[str, Maschera] | None = None,
    totali_nascosti: Mapping[str, bool] | None = None,
) -> dict[str, Maschera]:
    """The mask of each family over the rows of a one-way table (module docstring).

    Complementary suppression applies whether or not the column's total is masked: a total
    can often be rebuilt from other tables. ``forzate`` are masks decided elsewhere (the
    margins of the two-way table); ``note`` rows whose value in a family is known anyway (a
    structural zero): they neither count as masked nor protect another cell.
    ``totali_nascosti`` names the families whose total is masked: at least two of their rows
    are then masked, or the total would be the sum of the visible rows.
    """
    n = righe.height
    gruppo_piccolo = (
        _piccolo(righe[nuclei].to_numpy().astype(np.float64), k) if n else np.zeros(0, bool)
    )
    maschere: dict[str, Maschera] = {}
    for famiglia in famiglie:
        maschera = gruppo_piccolo.copy()
        contatori = np.zeros((len(famiglia.contatori), n))
        for i, colonna in enumerate(famiglia.contatori):
            contatori[i] = righe[colonna].fill_null(0).to_numpy().astype(np.float64)
            maschera |= _piccolo(contatori[i], k)
        if forzate is not None and famiglia.nome in forzate:
            maschera |= forzate[famiglia.nome]
        for altra in famiglia.con:
            maschera |= maschere[altra]
        nota = (
            note[famiglia.nome] if note is not None and famiglia.nome in note else np.zeros(n, bool)
        )
        maschera &= ~nota
        if famiglia.additiva:
            dimensione = contatori.max(axis=0) if n else np.zeros(0)
            nascosto = totali_nascosti is not None and totali_nascosti.get(famiglia.nome, False)
            # masked rows: none or at least two; at least two when the total is masked
            while (quante := int(maschera.sum())) == 1 or (nascosto and quante == 0):
                scelta = _complemento(~maschera & ~nota, dimensione)
                if scelta is None:
                    break
                maschera[scelta] = True
        maschere[famiglia.nome] = maschera
    return maschere


def _complemento(candidati: Maschera, dimensione: npt.NDArray[np.float64]) -> int | None:
    """The row to mask as a complement: the smallest positive one, else the smallest."""
    positivi = candidati & (dimensione > 0)
    scelta = positivi if positivi.any() else candidati
    if not scelta.any():
        return None
    indici = np.flatnonzero(scelta)
    return int(indici[np.argmin(dimensione[indici])])


def applica_maschere(
    righe: pl.DataFrame,
    maschere: Mapping[str, Maschera],
    famiglie: Sequence[Famiglia],
    derivate: Mapping[str, Sequence[str]] | None = None,
    *,
    nuclei: str = "nuclei",
    k: int,
) -> pl.DataFrame:
    """``righe`` with the masked cells set to null and ``riservata`` (the group is below k).

    ``derivate`` maps a column computed from other families (a mean) to those families: it is
    masked where any of them is.
    """
    colonne: dict[str, pl.Series] = {}
    for famiglia in famiglie:
        maschera = pl.Series(maschere[famiglia.nome])
        for nome in famiglia.colonne:
            colonne[nome] = _nulla(righe[nome], maschera)
    for nome, dipende in (derivate or {}).items():
        maschera = pl.Series(np.logical_or.reduce([maschere[f] for f in dipende]))
        colonne[nome] = _nulla(righe[nome], maschera)
    riservata = pl.Series("riservata", _piccolo(righe[nuclei].to_numpy().astype(np.float64), k))
    return righe.with_columns(**colonne).with_columns(riservata)


def _nulla(serie: pl.Series, maschera: pl.Series) -> pl.Series:
    return pl.select(pl.when(maschera).then(None).otherwise(serie)).to_series().alias(serie.name)


# --- two-way table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Incrocio:
    """Masks of a two-way table of counts: inner cells, row and column margins, grand total,
    and the published sums of groups of columns (e.g. the gaining bands)."""

    celle: Maschera
    righe: Maschera
    colonne: Maschera
    totale: bool
    somme: Maschera


def equazioni_incrocio(
    r: int, c: int, somme: Sequence[Sequence[int]] = ()
) -> npt.NDArray[np.float64]:
    """The equations linking a table's cells (``i·c + j``), row margins (``r·c + i``), column
    margins (``r·c + r + j``), grand total (``r·c + r + c``) and sums of column margins (after
    it, one per group of ``somme``): each row of the matrix sums to zero.

    >>> equazioni_incrocio(1, 2).astype(int)
    array([[ 1,  1, -1,  0,  0,  0],
           [ 1,  0,  0, -1,  0,  0],
           [ 0,  1,  0,  0, -1,  0],
           [ 0,  0,  1,  0,  0, -1],
           [ 0,  0,  0,  1,  1, -1]])
    """
    totale = r * c + r + c
    incognite = totale + 1 + len(somme)
    righe = []
    for i in range(r):
        riga = np.zeros(incognite)
        riga[i * c : (i + 1) * c] = 1
        riga[r * c + i] = -1
        righe.append(riga)
    for j in range(c):
        riga = np.zeros(incognite)
        riga[[i * c + j for i in range(r)]] = 1
        riga[r * c + r + j] = -1
        righe.append(riga)
    for inizio, quante in ((r * c, r), (r * c + r, c)):
        riga = np.zeros(incognite)
        riga[inizio : inizio + quante] = 1
        riga[totale] = -1
        righe.append(riga)
    for g, colonne in enumerate(somme):
        riga = np.zeros(incognite)
        riga[[r * c + r + j for j in colonne]] = 1
        riga[totale + 1 + g] = -1
        righe.append(riga)
    return np.array(righe)


def deducibili(equazioni: npt.NDArray[np.float64], mascherate: Maschera) -> Maschera:
    """Which masked unknowns are determined by the published ones through ``equazioni``.

    A masked value is determined exactly when every solution of the homogeneous system in the
    masked unknowns is zero at it (it lies in no direction the system leaves free).

    >>> A = np.array([[1.0, 1.0, -1.0]])  # a + b = total
    >>> deducibili(A, np.array([True, False, False])).tolist()
    [True, False, False]
    >>> deducibili(A, np.array([True, True, False])).tolist()
    [False, False, False]
    """
    indici = np.flatnonzero(mascherate)
    risultato = np.zeros(mascherate.shape, bool)
    if indici.size == 0:
        return risultato
    sotto = equazioni[:, indici]
    _, valori, vt = np.linalg.svd(sotto, full_matrices=True)
    rango = int((valori > 1e-9).sum())
    nucleo = vt[rango:]
    liberi = np.abs(nucleo).max(axis=0) > 1e-9 if nucleo.size else np.zeros(indici.size, bool)
    risultato[indici] = ~liberi
    return risultato


def maschera_incrocio(
    conteggi: npt.NDArray[np.int64], k: int, somme: Sequence[Sequence[int]] = ()
) -> Incrocio:
    """Masks of a two-way table of counts with its margins and grand total (module docstring).

    ``somme`` are groups of columns whose total is published too (the nuclei that gain, that
    lose): they are cells of the same system. The grand total (the population) is published
    elsewhere, so it is never masked as a complement (only when it is itself below k).

    >>> m = maschera_incrocio(np.array([[3, 20], [30, 40]]), 10)
    >>> m.celle.tolist(), m.righe.tolist(), m.colonne.tolist(), m.totale
    ([[True, True], [True, True]], [False, False], [False, False], False)
    """
    r, c = conteggi.shape
    colonne = conteggi.sum(axis=0)
    valori = np.concatenate(
        [
            conteggi.ravel(),
            conteggi.sum(axis=1),
            colonne,
            [conteggi.sum()],
            [colonne[list(g)].sum() for g in somme],
        ]
    ).astype(np.float64)
    equazioni = equazioni_incrocio(r, c, somme)
    mascherate = _piccolo(valori, k)
    interne = np.zeros(valori.size, bool)
    interne[: r * c] = True
    mascherabili = np.ones(valori.size, bool)
    mascherabili[r * c + r + c] = False
    while True:
        determinate = deducibili(equazioni, mascherate)
        if not determinate.any():
            break
        # an equation where a determined value is the only masked one (the total minus the
        # visible cells) is closed first; otherwise any equation of the first determined value
        vicine = None
        for bersaglio in np.flatnonzero(determinate):
            sue = equazioni[np.abs(equazioni[:, bersaglio]) > 0] != 0
            sole = sue[(sue & mascherate).sum(axis=1) == 1]
            if sole.size:
                vicine = sole.any(axis=0)
                break
        if vicine is None:
            primo = int(np.flatnonzero(determinate)[0])
            vicine = (equazioni[np.abs(equazioni[:, primo]) > 0] != 0).any(axis=0)
        scelta = _scegli(
            vicine & ~mascherate & mascherabili, valori, interne, ~mascherate & mascherabili
        )
        if scelta is None:  # pragma: no cover - everything that can be masked is
            break
        mascherate[scelta] = True
    totale = r * c + r + c
    return Incrocio(
        celle=mascherate[: r * c].reshape(r, c),
        righe=mascherate[r * c : r * c + r],
        colonne=mascherate[r * c + r : totale],
        totale=bool(mascherate[totale]),
        somme=mascherate[totale + 1 :],
    )


def _scegli(
    candidate: Maschera, valori: npt.NDArray[np.float64], interne: Maschera, libere: Maschera
) -> int | None:
    """The cell to mask: an inner positive one first, the smallest; then margins; then any."""
    for preferite in (
        candidate & interne & (valori > 0),
        candidate & (valori > 0),
        candidate,
        libere & (valori > 0),
        libere,
    ):
        if preferite.any():
            indici = np.flatnonzero(preferite)
            return int(indici[np.argmin(valori[indici])])
    return None
