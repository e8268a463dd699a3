"""The versions of one regolamento over time, and which one applies to each domanda.

A regolamento changes by delibera: each version is its own file, with the same ``codice``, its
own ``versione`` label and its own ``vigenza``. :class:`Versioni` holds them together and
checks that they belong together (same codice, distinct labels) and that no day is governed by
two versions at once; days governed by none (:meth:`Versioni.lacune`) are allowed. A domanda
is judged by the version in force on its ``data_domanda``: :meth:`Versioni.in_vigore` for one
day, :meth:`Versioni.versione_per_domanda` for a whole column of dates at once.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from pydantic import ValidationError

from equo.regolamenti.descrivi import data_breve, descrivi_vigenza
from equo.regolamenti.documento import Regolamento
from equo.regolamenti.sorgente import (
    Problema,
    RegolamentoNonValido,
    Sorgente,
    leggi_file,
    problemi_pydantic,
)

__all__ = ["NessunaVersioneInVigore", "Versione", "Versioni", "carica_versioni"]

_ESTENSIONI = (".yaml", ".yml")


class NessunaVersioneInVigore(LookupError):  # noqa: N818 - Italian name of a domain error
    """No version of the regolamento is in force on the day asked."""

    def __init__(self, codice: str, giorno: dt.date, versioni: Sequence[Regolamento]) -> None:
        self.codice = codice
        self.giorno = giorno
        elenco = "; ".join(f"{r.versione} {descrivi_vigenza(r.vigenza)}" for r in versioni)
        super().__init__(
            f"nessuna versione del regolamento «{codice}» è in vigore il {data_breve(giorno)} "
            f"(versioni: {elenco})"
        )


@dataclass(frozen=True)
class Versione:
    """One version with the file it comes from (and its lines, when read from YAML)."""

    documento: Regolamento
    file: str
    sorgente: Sorgente | None = None

    def problema(self, campo: str, messaggio: str) -> Problema:
        """A :class:`Problema` at the top-level field ``campo`` of this version's file."""
        riga = None if self.sorgente is None else self.sorgente.riga((campo,))
        return Problema(self.file, riga, campo, messaggio)


def _versione(documento: Regolamento, origine: Sorgente | str) -> Versione:
    if isinstance(origine, Sorgente):
        return Versione(documento, origine.file, origine)
    return Versione(documento, origine)


def _periodo(dal: dt.date, al: dt.date | None) -> str:
    """``per 3 giorni (dal 01/01/2027 al 03/01/2027)``, ``dal 01/01/2027 in poi``…"""
    if al is None:
        return f"dal {data_breve(dal)} in poi"
    if al == dal:
        return f"per un giorno (il {data_breve(dal)})"
    giorni = (al - dal).days + 1
    return f"per {giorni} giorni (dal {data_breve(dal)} al {data_breve(al)})"


def _ordina(voci: Sequence[Versione]) -> list[Versione]:
    """By first day in force; versions starting the same day keep their given order."""
    return sorted(voci, key=lambda v: v.documento.vigenza.dal)


def _controlla(voci: Sequence[Versione]) -> list[Problema]:
    """Problems of the versions taken together: codice, labels, overlapping vigenze."""
    problemi = []
    primo = voci[0]
    for v in voci[1:]:
        if v.documento.codice != primo.documento.codice:
            problemi.append(
                v.problema(
                    "codice",
                    f"il codice «{v.documento.codice}» è diverso da «{primo.documento.codice}» "
                    f"di {primo.file}: le versioni di uno stesso regolamento devono avere lo "
                    "stesso codice",
                )
            )
    for j, v in enumerate(voci):
        prima = next((u for u in voci[:j] if u.documento.versione == v.documento.versione), None)
        if prima is not None:
            problemi.append(
                v.problema(
                    "versione",
                    f"la versione «{v.documento.versione}» è già usata da {prima.file}: ogni "
                    "versione deve avere un'etichetta diversa",
                )
            )
    ordinate = _ordina(voci)
    for j, dopo in enumerate(ordinate):
        for prima in ordinate[:j]:
            a, b = prima.documento.vigenza, dopo.documento.vigenza
            if a.al is not None and a.al < b.dal:
                continue
            fine = b.al if a.al is None else a.al if b.al is None else min(a.al, b.al)
            problemi.append(
                dopo.problema(
                    "vigenza",
                    f"la vigenza della versione {dopo.documento.versione} ({descrivi_vigenza(b)}) "
                    f"si sovrappone a quella della versione {prima.documento.versione} di "
                    f"{prima.file} ({descrivi_vigenza(a)}): {_periodo(b.dal, fine)} sarebbero in "
                    "vigore entrambe",
                )
            )
    return problemi


class Versioni:
    """The versions of one regolamento, none overlapping another.

    Built from ``(documento, origine)`` pairs, where ``origine`` is the :class:`Sorgente`
    the document was read from (so that problems carry a line) or just a file name. Raises
    :class:`RegolamentoNonValido` listing every problem found.
    """

    def __init__(self, voci: Iterable[tuple[Regolamento, Sorgente | str]]) -> None:
        elenco = [_versione(documento, origine) for documento, origine in voci]
        if not elenco:
            raise RegolamentoNonValido([Problema("", None, "", "nessuna versione del regolamento")])
        problemi = _controlla(elenco)
        if problemi:
            raise RegolamentoNonValido(problemi)
        self.voci: tuple[Versione, ...] = tuple(_ordina(elenco))
        """The versions with their files, by first day in force."""
        self._inizi = [v.documento.vigenza.dal for v in self.voci]

    @property
    def codice(self) -> str:
        """The codice shared by every version."""
        return self.voci[0].documento.codice

    def __len__(self) -> int:
        return len(self.voci)

    def __iter__(self) -> Iterator[Regolamento]:
        return iter(self.ordinate())

    def ordinate(self) -> list[Regolamento]:
        """The versions by first day in force (``vigenza.dal``)."""
        return [v.documento for v in self.voci]

    def lacune(self) -> list[tuple[dt.date, dt.date]]:
        """Periods (first and last day, both included) between two versions, covered by none.

        Days before the first version or after the last are not gaps.
        """
        lacune = []
        for prima, dopo in zip(self.voci, self.voci[1:], strict=False):
            fine = prima.documento.vigenza.al
            inizio = dopo.documento.vigenza.dal
            if fine is not None and fine + dt.timedelta(days=1) < inizio:
                lacune.append((fine + dt.timedelta(days=1), inizio - dt.timedelta(days=1)))
        return lacune

    def in_vigore(self, giorno: dt.date) -> Regolamento:
        """The version in force on ``giorno``; :class:`NessunaVersioneInVigore` if none."""
        i = bisect.bisect_right(self._inizi, giorno) - 1
        if i >= 0 and self.voci[i].documento.vigenza.comprende(giorno):
            return self.voci[i].documento
        raise NessunaVersioneInVigore(self.codice, giorno, self.ordinate())

    def indice_per_domanda(self, date_domanda: pl.Series) -> pl.Series:
        """For each date, the position in :meth:`ordinate` of the version in force (UInt32).

        Null where no version is in force or the date is missing. Vectorised: one
        ``search_sorted`` over the first days of the versions.
        """
        giorni = _date(date_domanda)
        inizi = pl.Series("dal", self._inizi, dtype=pl.Date)
        fini = pl.Series(
            "al", [v.documento.vigenza.al or dt.date.max for v in self.voci], dtype=pl.Date
        )
        posizione = inizi.search_sorted(giorni, side="right").cast(pl.Int64) - 1
        indice = posizione.clip(lower_bound=0).cast(pl.UInt32)
        in_vigore = (posizione >= 0) & (giorni <= fini.gather(indice))
        risultato = pl.select(pl.when(in_vigore).then(indice)).to_series()
        return risultato.alias("indice_versione")

    def versione_per_domanda(self, date_domanda: pl.Series) -> pl.Series:
        """For each date, the ``versione`` label of the version in force (null where none)."""
        etichette = pl.Series("versione", [v.documento.versione for v in self.voci])
        return etichette.gather(self.indice_per_domanda(date_domanda)).alias("versione")


def _date(serie: pl.Series) -> pl.Series:
    if serie.dtype == pl.Date:
        return serie
    if isinstance(serie.dtype, pl.Datetime):
        return serie.dt.date()
    raise TypeError(f"le date delle domande devono essere di tipo data, non {serie.dtype}")


def _file_indicati(paths: Iterable[Path]) -> tuple[list[Path], list[Problema]]:
    """The files named, with every ``*.yaml``/``*.yml`` of a directory; each file once."""
    trovati: list[Path] = []
    problemi = []
    for path in paths:
        if path.is_dir():
            contenuto = sorted(p for p in path.iterdir() if p.suffix in _ESTENSIONI and p.is_file())
            if not contenuto:
                problemi.append(
                    Problema(str(path), None, "", "la cartella non contiene file .yaml o .yml")
                )
            trovati += contenuto
        else:
            trovati.append(path)
    visti: set[Path] = set()
    unici = []
    for path in trovati:
        if path.resolve() not in visti:
            visti.add(path.resolve())
            unici.append(path)
    return unici, problemi


def carica_versioni(paths: Iterable[Path]) -> Versioni:
    """Read and check every version named (a directory: each YAML file in it).

    Every problem of every file, and of the versions taken together, is collected before
    raising :class:`RegolamentoNonValido`.
    """
    files, problemi = _file_indicati(paths)
    if not files and not problemi:
        problemi.append(Problema("", None, "", "nessun file di regolamento indicato"))
    voci = []
    for path in files:
        try:
            sorgente = leggi_file(path)
        except RegolamentoNonValido as exc:
            problemi += exc.problemi
            continue
        try:
            voci.append(_versione(Regolamento.model_validate(sorgente.dati), sorgente))
        except ValidationError as exc:
            problemi += problemi_pydantic(sorgente, exc)
    if voci:
        problemi += _controlla(voci)
    if problemi:
        raise RegolamentoNonValido(problemi)
    return Versioni((v.documento, v.sorgente or v.file) for v in voci)
