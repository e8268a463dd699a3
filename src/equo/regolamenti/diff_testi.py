"""The wording of :mod:`equo.regolamenti.diff`: how each part of a regolamento is named.

:data:`SEMPLICI` words the scalar fields one by one, :data:`VOCI` the items of each list
(requisiti, riduzioni, casi particolari…), :data:`PARTI` the optional parts that appear or
disappear. The mechanics (matching, coverage, the generic fallback) stay in
:mod:`equo.regolamenti.diff`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from equo.isee.format import euro
from equo.regolamenti import descrivi as d
from equo.regolamenti.documento import (
    CalcoloFasce,
    CalcoloLineare,
    Graduatoria,
    Importo,
    Stanziamento,
)
from equo.regolamenti.siuss import etichetta_siuss

__all__ = [
    "PARTI",
    "SEMPLICI",
    "VOCI",
    "Composto",
    "Percorso",
    "Scalare",
    "Voce",
    "calcolo_in_breve",
    "codice",
    "in_parole",
    "maiuscola",
    "ordine_in_breve",
]

Percorso = tuple[str | int, ...]


def maiuscola(testo: str) -> str:
    """The sentence with a capital first letter.

    >>> maiuscola("la soglia")
    'La soglia'
    """
    return testo[:1].upper() + testo[1:]


def in_parole(valore: Any) -> str:
    """Any value of a dumped document, in words (for the generic sentences).

    >>> in_parole({"a": 1, "b": None, "c": [True, "x"]})
    '(a: 1, c: [sì; «x»])'
    """
    if valore is None:
        return "nessun valore"
    if isinstance(valore, bool):
        return "sì" if valore else "no"
    if isinstance(valore, Enum):
        return f"«{valore.value}»"
    if isinstance(valore, int | float):
        return d.numero_breve(valore)
    if isinstance(valore, dt.date):
        return d.data_breve(valore)
    if isinstance(valore, dict):
        return "(" + ", ".join(f"{k}: {in_parole(v)}" for k, v in valore.items() if v) + ")"
    if isinstance(valore, list):
        return "[" + "; ".join(in_parole(v) for v in valore) + "]"
    return f"«{valore}»"


def _virgolette(valore: Any) -> str:
    return f"«{valore.value if isinstance(valore, Enum) else valore}»"


def codice(valore: Any) -> str:
    """A condition or an expression, in backticks on one line."""
    return d.sql(str(valore))


def _siuss(numero: Any) -> str:
    etichetta = etichetta_siuss(str(numero))
    return f"{numero} («{etichetta}»)" if etichetta else str(numero)


def _validita(valore: Any) -> str:
    if valore == "legale":
        return "«attestazione valida per legge alla data della domanda»"
    return f"«DSU presentata al più {valore} giorni prima della domanda»"


def _residuo(valore: Any) -> str:
    if valore == "graduatoria_generale":
        return "«torna alla graduatoria generale»"
    return "«non viene redistribuita»"


def _cumulo(valore: Any) -> str:
    return f"«{valore}: {d.RIDUZIONI_CUMULATE[str(valore)]}»"


@dataclass(frozen=True)
class Scalare:
    """How one scalar field is worded: its label (with article), format, empty value, verb."""

    etichetta: str
    formato: Callable[[Any], str] = _virgolette
    vuoto: str = "nessuno"
    verbo: str = "passa"


SEMPLICI: dict[Percorso, Scalare] = {
    ("codice",): Scalare("il codice del regolamento"),
    ("versione",): Scalare("l'etichetta di versione"),
    ("titolo",): Scalare("il titolo"),
    ("ente", "nome"): Scalare("il nome dell'ente"),
    ("ente", "codice_istat"): Scalare("il codice ISTAT dell'ente"),
    ("ente", "codice_ipa"): Scalare("il codice IPA dell'ente"),
    ("prestazione", "nome"): Scalare("il nome della prestazione"),
    ("prestazione", "codice_siuss"): Scalare("il codice SIUSS della prestazione", _siuss),
    ("prestazione", "area_utenza"): Scalare("l'area utenza della prestazione"),
    ("delibera", "organo"): Scalare("l'organo che adotta la delibera"),
    ("delibera", "numero"): Scalare("il numero della delibera"),
    ("delibera", "data"): Scalare("la data della delibera", d.data_breve),
    ("delibera", "url"): Scalare("il collegamento alla delibera"),
    ("indicatore", "tipo"): Scalare("il tipo di indicatore"),
    ("indicatore", "variante"): Scalare("la variante dell'ISEE"),
    ("indicatore", "descrizione"): Scalare("la descrizione dell'indicatore"),
    ("indicatore", "validita_attestazione"): Scalare("la validità dell'attestazione", _validita),
    ("importo", "tipo"): Scalare("il tipo di importo"),
    ("importo", "descrizione"): Scalare("la descrizione dell'importo"),
    ("importo", "articolo"): Scalare("l'articolo sull'importo"),
    ("importo", "calcolo", "fisso"): Scalare("l'importo fisso", euro),
    ("importo", "calcolo", "percentuale", "percentuale"): Scalare("la percentuale", d.percento),
    ("importo", "calcolo", "percentuale", "di"): Scalare("la base della percentuale"),
    ("importo", "calcolo", "espressione"): Scalare("l'espressione dell'importo", codice),
    ("importo", "calcolo", "lineare", "su"): Scalare("il campo della retta proporzionale"),
    ("importo", "calcolo", "lineare", "percentuale_di"): Scalare(
        "la base percentuale della retta proporzionale", vuoto="nessuna (valori in euro)"
    ),
    ("importo", "calcolo", "fasce", "su"): Scalare("il campo su cui si leggono le fasce"),
    ("importo", "calcolo", "fasce", "percentuale_di"): Scalare(
        "il campo su cui si applicano le percentuali delle fasce"
    ),
    ("importo", "per"): Scalare("il campo per cui si moltiplica l'importo"),
    ("importo", "riduzioni_cumulate"): Scalare("il modo di cumulare le riduzioni", _cumulo),
    ("importo", "minimo"): Scalare("il minimo per domanda", euro, "nessun minimo"),
    ("importo", "massimo"): Scalare("il massimo per domanda", euro, "nessun massimo"),
    ("importo", "esenzione", "isee_fino_a"): Scalare(
        "la soglia ISEE dell'esenzione", euro, "nessuna"
    ),
    ("importo", "esenzione", "condizione"): Scalare(
        "la condizione dell'esenzione", codice, "nessuna"
    ),
    ("importo", "esenzione", "articolo"): Scalare("l'articolo sull'esenzione"),
    ("importo", "soglia_erogazione"): Scalare(
        "la soglia di erogazione (sotto la quale il contributo non è erogato)",
        euro,
        "nessuna soglia",
    ),
    ("importo", "tetto_nucleo", "importo"): Scalare("il tetto per nucleo", euro),
    ("importo", "tetto_nucleo", "articolo"): Scalare("l'articolo sul tetto per nucleo"),
    ("graduatoria", "articolo"): Scalare("l'articolo sulla graduatoria"),
    ("graduatoria", "quote_riservate", "per"): Scalare("il campo che definisce le quote riservate"),
    ("graduatoria", "quote_riservate", "residuo"): Scalare(
        "la regola per la parte non usata delle quote riservate", _residuo
    ),
    ("graduatoria", "quote_riservate", "articolo"): Scalare("l'articolo sulle quote riservate"),
    ("stanziamento", "articolo"): Scalare("l'articolo sullo stanziamento"),
    ("stanziamento", "importo"): Scalare(
        "lo stanziamento", euro, "nessuno (stanziamento in posti)"
    ),
    ("stanziamento", "posti"): Scalare(
        "i posti disponibili", d.numero_breve, "nessuno (stanziamento in euro)", "passano"
    ),
    ("stanziamento", "ultimo"): Scalare(
        "il trattamento dell'ultima domanda quando i fondi non bastano",
        lambda modo: f"«{d.MODO_ULTIMO[modo]}»",
    ),
    ("note",): Scalare("le note", verbo="passano"),
}
"""Scalar fields worded one by one; their path is the path in the document."""


@dataclass(frozen=True)
class Composto:
    """Several fields of a list item worded as one value (``150,00 €`` or ``100% di «x»``)."""

    etichetta: str
    campi: tuple[str, ...]
    formato: Callable[[Any], str]


@dataclass(frozen=True)
class Voce:
    """How the items of one list are worded."""

    nome: str  # with its article: "il requisito"
    femminile: bool
    dettaglio: Callable[[Any], str]  # what an added or removed item is
    campi: dict[str, Scalare]
    composti: tuple[Composto, ...] = field(default=())


def _articolo(articolo: str | None) -> str:
    return f", {articolo}" if articolo else ""


def _condizione(voce: Any) -> str:
    return f" ({voce.descrizione}{_articolo(voce.articolo)}): {d.sql(voce.condizione)}"


def _maggiorazione(m: Any) -> str:
    oltre = {0: "", 1: " oltre la prima"}.get(m.oltre, f" oltre le prime {m.oltre}")
    return f" ({m.descrizione}): {euro(m.importo)} per ogni unità di «{m.per_ogni}»{oltre}"


def _punteggio(p: Any) -> str:
    punti = f"{d.numero_breve(p.punti)} punti" if p.punti is not None else ""
    punti = punti or f"punti pari a {codice(p.punti_espressione)}"
    se = f" se {codice(p.condizione)}" if p.condizione else ""
    return f" ({p.descrizione}): {punti}{se}"


def _caso(c: Any) -> str:
    return (
        f" ({c.descrizione}{_articolo(c.articolo)}): importo di base {d.descrivi_caso(c)} "
        f"dove {d.sql(c.condizione)}"
    )


_DESCRIZIONE = Scalare("la descrizione")
_ARTICOLO = Scalare("l'articolo")
_CONDIZIONE = Scalare("la condizione", codice)
_REQUISITO = {"condizione": _CONDIZIONE, "descrizione": _DESCRIZIONE, "articolo": _ARTICOLO}

VOCI: dict[Percorso, Voce] = {
    ("campi_domanda",): Voce(
        "il campo della domanda",
        False,
        lambda c: f" ({c.tipo.value}): {c.descrizione}",
        {"tipo": Scalare("il tipo"), "descrizione": _DESCRIZIONE},
    ),
    ("requisiti",): Voce("il requisito", False, _condizione, _REQUISITO),
    ("ulteriori_criteri",): Voce("il criterio di selezione", False, _condizione, _REQUISITO),
    ("importo", "casi_particolari"): Voce(
        "il caso particolare",
        False,
        _caso,
        _REQUISITO,
        (Composto("l'importo di base", ("importo", "percentuale", "di"), d.descrivi_caso),),
    ),
    ("importo", "maggiorazioni"): Voce(
        "la maggiorazione",
        True,
        _maggiorazione,
        {
            "importo": Scalare("l'importo per unità", euro),
            "per_ogni": Scalare("il campo contato"),
            "oltre": Scalare("le unità non contate", d.numero_breve, verbo="passano"),
            "descrizione": _DESCRIZIONE,
            "articolo": _ARTICOLO,
        },
    ),
    ("importo", "riduzioni"): Voce(
        "la riduzione",
        True,
        lambda r: (
            f" ({r.descrizione}{_articolo(r.articolo)}): meno {d.percento(r.percentuale)} "
            f"dove {d.sql(r.condizione)}"
        ),
        {"percentuale": Scalare("la percentuale", d.percento), **_REQUISITO},
    ),
    ("graduatoria", "punteggi"): Voce(
        "il punteggio",
        False,
        _punteggio,
        {
            "punti": Scalare("i punti", d.numero_breve, "nessuno", "passano"),
            "punti_espressione": Scalare("l'espressione dei punti", codice),
            "condizione": Scalare("la condizione", codice, "nessuna (sempre)"),
            "massimo": Scalare("il massimo di punti", d.numero_breve, "nessun massimo"),
            "descrizione": _DESCRIZIONE,
            "articolo": _ARTICOLO,
        },
    ),
    ("graduatoria", "quote_riservate", "quote"): Voce(
        "la quota riservata a",
        True,
        lambda q: (
            f": {d.percento(q.percentuale)} dello stanziamento (al netto dell'eventuale riserva)"
        ),
        {"percentuale": Scalare("la percentuale", d.percento), "descrizione": _DESCRIZIONE},
    ),
}
"""Lists whose items are matched by id and worded one by one."""


def calcolo_in_breve(calcolo: object) -> str:
    """The calcolo in one line: ``3 fasce di ISEE``, ``importo fisso di 300,00 €``…"""
    if isinstance(calcolo, CalcoloFasce):
        return f"{len(calcolo.fasce.fasce)} fasce di {d.nome_campo(calcolo.fasce.su)}"
    if isinstance(calcolo, CalcoloLineare):
        s = calcolo.lineare
        soglie = f"da {d.misura(s.su, s.da)} a {d.misura(s.su, s.a)}"
        return f"retta proporzionale su {d.nome_campo(s.su)} {soglie}"
    return d.descrivi_calcolo(calcolo)[0]


def ordine_in_breve(g: Graduatoria) -> str:
    """``punteggio decrescente, poi isee crescente``; expressions in backticks."""
    parti = []
    for o in g.ordine:
        nome = o.chiave if o.chiave is not None else codice(o.espressione)
        descrizione = f" ({o.descrizione})" if o.descrizione else ""
        parti.append(f"{nome}{descrizione} {o.verso.value}")
    return ", poi ".join(parti)


def _importo_in_breve(i: Importo) -> str:
    return f"{i.tipo.value}: {calcolo_in_breve(i.calcolo)}"


def _fondi(s: Stanziamento) -> str:
    return euro(s.importo) if s.importo is not None else f"{s.posti} posti"


PARTI: dict[Percorso, tuple[Callable[[Any], str], Callable[[Any], str]]] = {
    ("importo",): (
        lambda i: f"Introdotto l'importo ({_importo_in_breve(i)}).",
        lambda i: f"Eliminato l'importo (era {_importo_in_breve(i)}).",
    ),
    ("importo", "esenzione"): (
        lambda e: f"Introdotta l'esenzione: {d.descrivi_esenzione(e)}, l'importo è zero.",
        lambda e: f"Eliminata l'esenzione (era {d.descrivi_esenzione(e)}).",
    ),
    ("importo", "tetto_nucleo"): (
        lambda t: f"Introdotto il tetto per nucleo di {euro(t.importo)}.",
        lambda t: f"Eliminato il tetto per nucleo (era {euro(t.importo)}).",
    ),
    ("graduatoria",): (
        lambda g: f"Introdotta la graduatoria (ordine: {ordine_in_breve(g)}).",
        lambda g: "Eliminata la graduatoria.",
    ),
    ("graduatoria", "quote_riservate"): (
        lambda q: f"Introdotte le quote riservate per «{q.per}».",
        lambda q: f"Eliminate le quote riservate (erano per «{q.per}»).",
    ),
    ("stanziamento",): (
        lambda s: f"Introdotto lo stanziamento ({_fondi(s)}).",
        lambda s: "Eliminato lo stanziamento.",
    ),
}
"""Optional parts: what to say when one appears or disappears."""
