"""Evaluate domande spanning several versions: each with the version in force on its date.

A batch of domande may cross the day a new version comes into force (a bando open all year, a
delibera changing the thresholds in July). :func:`valuta_per_data` groups the domande by the
version in force on their ``data_domanda``
(:meth:`~equo.regolamenti.versioni.Versioni.indice_per_domanda`, vectorised) and evaluates each
group with its version: each version has its own graduatoria and stanziamento, so the result is
one :class:`~equo.regolamenti.valuta.Esiti` per version that has domande.

A domanda on a day no version governs is an error (:class:`DomandeFuoriVigenza`, listing the
first ones), never a silent choice of the nearest version.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from equo.regolamenti.compilato import RegolamentoCompilato, compila
from equo.regolamenti.domande import converti_colonne
from equo.regolamenti.sorgente import Problema, RegolamentoNonValido
from equo.regolamenti.spiega import data_breve, descrivi_vigenza
from equo.regolamenti.valuta import DomandeNonValide, Esiti, valuta
from equo.regolamenti.versioni import Versioni
from equo.regolamenti.vocabolario import Campo

__all__ = ["MOSTRATE", "DomandeFuoriVigenza", "compila_versioni", "valuta_per_data"]

MOSTRATE = 5
"""How many domande out of every vigenza the error lists."""

_INDICE = "_indice_versione"


class DomandeFuoriVigenza(DomandeNonValide):
    """Some domande were presented on a day no version of the regolamento is in force."""

    def __init__(self, versioni: Versioni, fuori: pl.DataFrame) -> None:
        self.id_domande: list[str] = fuori["id_domanda"].cast(pl.String).to_list()
        esempi = ", ".join(
            f"{r['id_domanda']} ({data_breve(r['data_domanda'])})"
            for r in fuori.head(MOSTRATE).iter_rows(named=True)
        )
        altre = f" e altre {fuori.height - MOSTRATE}" if fuori.height > MOSTRATE else ""
        vigenze = "; ".join(f"{r.versione} {descrivi_vigenza(r.vigenza)}" for r in versioni)
        quante = "1 domanda ha" if fuori.height == 1 else f"{fuori.height} domande hanno"
        super().__init__(
            [
                f"{quante} la data_domanda in un giorno in cui nessuna versione del regolamento "
                f"«{versioni.codice}» è in vigore (versioni: {vigenze}): {esempi}{altre}"
            ]
        )


def compila_versioni(versioni: Versioni) -> list[RegolamentoCompilato]:
    """Each version compiled, in the order of :meth:`Versioni.ordinate`.

    Every problem of every version is collected before raising :class:`RegolamentoNonValido`.
    """
    compilati = []
    problemi: list[Problema] = []
    for voce in versioni.voci:
        try:
            compilati.append(compila(voce.documento, voce.sorgente))
        except RegolamentoNonValido as exc:
            problemi += exc.problemi
    if problemi:
        raise RegolamentoNonValido(problemi)
    return compilati


def _controlla(domande: pl.DataFrame, compilati: Sequence[RegolamentoCompilato]) -> pl.DataFrame:
    """Checks that must see the whole batch (rows are positions in it, ids unique across it)."""
    mancano = [c for c in ("id_domanda", "data_domanda") if c not in domande.columns]
    if mancano:
        raise DomandeNonValide([f"mancano le colonne {', '.join(mancano)}"])
    campi: dict[str, Campo] = {}
    usati: list[str] = []
    for compilato in compilati:
        usati.extend(compilato.campi_usati)
        for nome in compilato.campi_usati:
            campi.setdefault(nome, compilato.campi[nome])
    domande = converti_colonne(domande, campi, usati)
    problemi = []
    ids = domande["id_domanda"].cast(pl.String)
    if ids.null_count():
        problemi.append(f"riga {int(ids.is_null().arg_true()[0]) + 1}: id_domanda mancante")
    ripetuti = ids.filter(ids.is_duplicated()).unique(maintain_order=True)
    if ripetuti.len():
        problemi.append(f"id_domanda ripetuti: {', '.join(ripetuti.head(MOSTRATE).to_list())}")
    date = domande["data_domanda"]
    if date.null_count():
        problemi.append(f"riga {int(date.is_null().arg_true()[0]) + 1}: data_domanda mancante")
    if problemi:
        raise DomandeNonValide(problemi)
    return domande


def valuta_per_data(
    versioni: Versioni,
    domande: pl.DataFrame,
    compilati: Sequence[RegolamentoCompilato] | None = None,
) -> list[Esiti]:
    """Evaluate each domanda with the version in force on its ``data_domanda``.

    ``compilati`` are the versions already compiled (:func:`compila_versioni`); without them
    they are compiled here. The result has one :class:`Esiti` per version with at least one
    domanda, in order of vigenza; within each, the domande keep their relative order. Raise
    :class:`DomandeFuoriVigenza` if a domanda falls on a day no version governs, and
    :class:`DomandeNonValide` for a domanda that cannot be evaluated.

    >>> from importlib.resources import files
    >>> from pathlib import Path
    >>> from equo.regolamenti.versioni import carica_versioni
    >>> esempi = Path(str(files("equo.regolamenti").joinpath("esempi")))
    >>> versioni = carica_versioni(
    ...     [esempi / "contributo_affitto.yaml", esempi / "contributo_affitto_2027.yaml"]
    ... )
    >>> import datetime as dt
    >>> domande = pl.DataFrame(
    ...     {"id_domanda": ["A", "B"], "data_domanda": [dt.date(2027, 2, 1), dt.date(2026, 5, 4)]}
    ... )
    >>> valuta_per_data(versioni, domande)
    Traceback (most recent call last):
    ...
    equo.regolamenti.valuta.DomandeNonValide: mancano le colonne richieste dal regolamento ...
    """
    compilati = list(compilati) if compilati is not None else compila_versioni(versioni)
    domande = _controlla(domande, compilati)
    indice = versioni.indice_per_domanda(domande["data_domanda"])
    fuori = indice.is_null()
    if fuori.any():
        raise DomandeFuoriVigenza(versioni, domande.filter(fuori))
    gruppi = domande.with_columns(indice.alias(_INDICE)).partition_by(
        _INDICE, as_dict=True, maintain_order=True, include_key=False
    )
    risultati = []
    for i, compilato in enumerate(compilati):
        gruppo = gruppi.get((i,))
        if gruppo is not None:
            risultati.append(valuta(compilato, gruppo))
    return risultati
