"""The report's tables: titles, Italian headers and cells formatted for reading.

Code columns (``voce``, ``banda``, ``decile``, ``comune``, ``tipologia``) are shown through
their ``etichetta``, the row header. A masked cell (null) is "n.d."; a mean over an empty group
(a band no nucleo is in) is "–".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import polars as pl

from equo.isee.format import euro, numero
from equo.simulazione.bande import BANDE

__all__ = ["ND", "TITOLI", "Tabella", "intestazione", "tabella"]

ND = "n.d."
VUOTO = "–"

TITOLI = {
    "totali": "Costo e beneficiari",
    "movimenti": "Movimenti tra la base e l'alternativa",
    "bande": "Nuclei per variazione dell'importo",
    "bande_per_decile": "Nuclei per variazione dell'importo e decile ISEE",
    "per_decile": "Impatto per decile ISEE",
    "per_comune": "Impatto per Comune",
    "per_tipologia": "Impatto per tipologia di nucleo",
    "graduatoria": "Graduatoria: soglia e domande finanziate",
    "sweep": "Costo e beneficiari per valore del parametro",
}
_RIGA = {
    "bande": "Variazione",
    "bande_per_decile": "Decile",
    "per_decile": "Decile",
    "per_comune": "Comune",
    "per_tipologia": "Tipologia",
}
_CODICI = frozenset({"voce", "banda", "decile", "comune", "tipologia", "etichetta"})
_INTESTAZIONI = {
    "base": "Base",
    "alternativa": "Alternativa",
    "variazione": "Variazione",
    "nuclei": "Nuclei",
    "quota": "Quota (%)",
    "variazione_totale": "Variazione totale (€)",
    "variazione_media": "Variazione media per nucleo (€)",
    "totale": "Totale",
    "isee_fino_a": "ISEE fino a (€)",
    "beneficiari_base": "Beneficiari base",
    "beneficiari_alternativa": "Beneficiari alternativa",
    "variazione_beneficiari": "Variazione beneficiari",
    "importo_base": "Importo base (€)",
    "importo_alternativa": "Importo alternativa (€)",
    "variazione_importo": "Variazione importo (€)",
    "nuovi_ammessi": "Nuovi ammessi",
    "nuovi_esclusi": "Nuovi esclusi",
    "guadagnano": "Guadagnano",
    "perdono": "Perdono",
    "riservata": "Riservata",
    "valore": "Valore",
    "ammessi": "Ammessi",
    "beneficiari": "Beneficiari",
    "importo_totale": "Importo totale (€)",
    "importo_medio": "Importo medio (€)",
    **dict(BANDE),
}
_EURO = frozenset(
    {
        "variazione_totale",
        "variazione_media",
        "isee_fino_a",
        "importo_base",
        "importo_alternativa",
        "variazione_importo",
        "importo_totale",
        "importo_medio",
    }
)


def intestazione(colonna: str) -> str:
    """The Italian header of a column."""
    return _INTESTAZIONI.get(colonna, colonna.replace("_", " ").capitalize())


@dataclass(frozen=True)
class Tabella:
    """A table ready for the template: caption, headers, rows (row header, then cells)."""

    nome: str
    titolo: str
    intestazione_righe: str | None
    intestazioni: tuple[str, ...]
    righe: tuple[tuple[str | None, tuple[str, ...]], ...]

    def __iter__(self) -> Iterator[tuple[str | None, tuple[str, ...]]]:
        return iter(self.righe)


def _formato(nome: str, colonna: str, riga: dict[str, Any]) -> str:
    if nome == "totali" and colonna in ("base", "alternativa", "variazione"):
        return "euro" if str(riga["voce"]).startswith("importo") else "intero"
    if colonna in _EURO:
        return "euro"
    if colonna == "quota":
        return "quota"
    if colonna == "valore":
        return "numero"
    return "intero"


def cella(valore: Any, formato: str, vuota: bool = False) -> str:
    """One cell as text (module docstring)."""
    if valore is None:
        return VUOTO if vuota else ND
    if isinstance(valore, bool):
        return "sì" if valore else "no"
    if isinstance(valore, str):
        return valore
    if formato == "euro":
        return euro(float(valore))
    if formato == "quota":
        return numero(float(valore), 2)
    if formato == "numero":
        return numero(float(valore)).removesuffix(",00")
    return numero(float(valore), 0)


def tabella(nome: str, frame: pl.DataFrame) -> Tabella:
    """``frame`` (a table of an impact, or the sweep) as a :class:`Tabella`."""
    con_etichetta = "etichetta" in frame.columns
    colonne = [c for c in frame.columns if not (con_etichetta and c in _CODICI)]
    righe = []
    for riga in frame.iter_rows(named=True):
        vuota = riga.get("nuclei") == 0
        celle = tuple(cella(riga[c], _formato(nome, c, riga), vuota) for c in colonne)
        righe.append((str(riga["etichetta"]) if con_etichetta else None, celle))
    return Tabella(
        nome=nome,
        titolo=TITOLI.get(nome, nome),
        intestazione_righe=_RIGA.get(nome, "Voce") if con_etichetta else None,
        intestazioni=tuple(intestazione(c) for c in colonne),
        righe=tuple(righe),
    )
