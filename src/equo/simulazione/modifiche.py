"""Changes to a regolamento written as dotted paths: ``importo.calcolo.lineare.a: 35000``.

A path walks the document as the officer wrote it (``docs/guida/regolamenti.md``): field names
separated by dots; an item of a list by its position from 0 (``requisiti.0.condizione``) or by
its ``id`` (``requisiti.isee_massimo.condizione``; for ``campi_domanda`` by ``nome``, for the
quote by ``valore``). The value replaces what is there, a whole section included
(``importo.esenzione: {isee_fino_a: 5000}``). A field the document does not write but may have
(``importo.massimo``) can be set; a field that does not exist, an index out of range, or a path
through a section the document does not have is an error.

The changed document is checked and compiled like a file: every problem is reported at the
line of the change that caused it, in the scenario file.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from equo.isee.errors import field_path
from equo.regolamenti.compilato import RegolamentoCompilato, compila
from equo.regolamenti.documento import Regolamento
from equo.regolamenti.sorgente import Problema, RegolamentoNonValido, Sorgente, problemi_pydantic

__all__ = ["CAMPI_REGOLAMENTO", "Modifica", "applica_modifiche", "risolvi_percorso"]

CAMPI_REGOLAMENTO = frozenset(Regolamento.model_fields)
"""The top-level fields of a regolamento: a path starting with one of them is a modifica."""

_IDENTIFICATIVI = ("id", "nome", "valore")

Percorso = tuple[int | str, ...]


@dataclass(frozen=True)
class Modifica:
    """One change: the path as written, the value, where it is in the scenario."""

    chiave: str
    valore: Any
    percorso: Percorso = ()


def _nome(passi: Sequence[int | str]) -> str:
    return field_path(tuple(passi)) or "il regolamento"


def _suggerisci(parola: str, scelte: Sequence[str]) -> str:
    vicini = difflib.get_close_matches(parola, list(scelte), n=1, cutoff=0.6)
    return f"; forse '{vicini[0]}'?" if vicini else ""


def risolvi_percorso(dati: Any, chiave: str) -> Percorso | str:
    """The path of ``chiave`` in the dumped document ``dati``, or why it does not exist.

    >>> dati = {"requisiti": [{"id": "eta", "condizione": "x"}]}
    >>> risolvi_percorso(dati, "requisiti.eta.condizione")
    ('requisiti', 0, 'condizione')
    >>> risolvi_percorso({"importo": None}, "importo.massimo")
    "importo non è nel regolamento: indicare l'intera sezione (modifica 'importo')"
    """
    passi: list[int | str] = []
    corrente = dati
    for parola in chiave.split("."):
        if corrente is None:
            return (
                f"{_nome(passi)} non è nel regolamento: indicare l'intera sezione "
                f"(modifica '{'.'.join(str(p) for p in passi)}')"
            )
        if isinstance(corrente, dict):
            if parola not in corrente:
                campi = sorted(corrente)
                return (
                    f"il campo '{parola}' non esiste in {_nome(passi)} (campi: "
                    f"{', '.join(campi)}){_suggerisci(parola, campi)}"
                )
            passi.append(parola)
            corrente = corrente[parola]
        elif isinstance(corrente, list):
            indice = _indice(corrente, parola)
            if isinstance(indice, str):
                return f"{_nome(passi)}: {indice}"
            passi.append(indice)
            corrente = corrente[indice]
        else:
            return f"{_nome(passi)} è un valore, non una sezione: '{parola}' non si può indicare"
    return tuple(passi)


def _indice(elenco: list[Any], parola: str) -> int | str:
    if parola.isdigit():
        indice = int(parola)
        if indice < len(elenco):
            return indice
        if not elenco:
            return "l'elenco è vuoto"
        return f"l'elenco ha {len(elenco)} elementi: indici da 0 a {len(elenco) - 1}"
    nomi = []
    for i, elemento in enumerate(elenco):
        if isinstance(elemento, dict):
            for campo in _IDENTIFICATIVI:
                if elemento.get(campo) == parola:
                    return i
                if isinstance(elemento.get(campo), str):
                    nomi.append(str(elemento[campo]))
                    break
    elenco_nomi = f" ({', '.join(nomi)})" if nomi else ""
    return (
        f"nessun elemento '{parola}': indicare la posizione da 0 o l'id{elenco_nomi}"
        f"{_suggerisci(parola, nomi)}"
    )


def _imposta(dati: Any, percorso: Percorso, valore: Any) -> None:
    corrente = dati
    for passo in percorso[:-1]:
        corrente = corrente[passo]
    corrente[percorso[-1]] = copy.deepcopy(valore)


def _riscrivi(problema: Problema, file: str, dove: str) -> Problema:
    campo = f"{problema.campo}: " if problema.campo else ""
    return Problema(file, problema.riga, dove, f"{campo}{problema.messaggio}")


def applica_modifiche(
    documento: Regolamento,
    modifiche: Sequence[Modifica],
    *,
    file: str,
    righe: Mapping[Percorso, int] | None = None,
    radice: Percorso = (),
) -> RegolamentoCompilato:
    """``documento`` with ``modifiche`` applied, checked and compiled.

    Raises :class:`RegolamentoNonValido` with every problem at the line of its modifica in
    ``file`` (``righe`` maps a scenario path to its line; ``radice`` is the path of the
    ``modifiche`` mapping, used for changes that cannot be placed more precisely).
    """
    righe = righe or {}
    dati = documento.model_dump(mode="json")
    dove = field_path(radice)
    problemi: list[Problema] = []
    applicate: list[tuple[Percorso, Modifica]] = []
    for modifica in modifiche:
        riga = righe.get(modifica.percorso, righe.get(radice))
        percorso = risolvi_percorso(dati, modifica.chiave)
        if isinstance(percorso, str):
            problemi.append(Problema(file, riga, dove, f"{modifica.chiave}: {percorso}"))
            continue
        for altro_percorso, altra in applicate:
            corto = min(len(percorso), len(altro_percorso))
            if percorso[:corto] == altro_percorso[:corto]:
                problemi.append(
                    Problema(
                        file,
                        riga,
                        dove,
                        f"modifiche in conflitto: '{modifica.chiave}' e '{altra.chiave}' "
                        "cambiano la stessa parte del regolamento",
                    )
                )
                break
        else:
            applicate.append((percorso, modifica))
    if problemi:
        raise RegolamentoNonValido(problemi)
    posizioni: dict[Percorso, int] = {}
    radice_riga = righe.get(radice)
    if radice_riga is not None:
        posizioni[()] = radice_riga
    for percorso, modifica in applicate:
        _imposta(dati, percorso, modifica.valore)
        riga = righe.get(modifica.percorso, radice_riga)
        if riga is None:
            continue
        posizioni[percorso] = riga
        for fine in range(1, len(percorso)):
            posizioni.setdefault(percorso[:fine], riga)
    sorgente = Sorgente(file, dati, posizioni)
    try:
        nuovo = Regolamento.model_validate(dati)
        return compila(nuovo, sorgente)
    except ValidationError as exc:
        raise RegolamentoNonValido(
            _riscrivi(p, file, dove) for p in problemi_pydantic(sorgente, exc)
        ) from None
    except RegolamentoNonValido as exc:
        raise RegolamentoNonValido(_riscrivi(p, file, dove) for p in exc.problemi) from None
