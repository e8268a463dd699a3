"""Overrides of the national ISEE parameters in a scenario: check them, merge them, apply them.

A scenario changes a national parameter by its name in ``src/equo/isee/parameters/`` (the path
of its file with dots: ``isp.franchigia_casa_abitazione``); one entry of a table parameter is
named with its key after a dot (``scala_equivalenza.parametro_base.3``), the whole table with a
mapping (``scala_equivalenza.parametro_base: {3: 2.10}``; the keys not written keep their
values). The value must fit the parameter's unit: an amount in euros (``EUR``), a ratio between
0 and 1 (``ratio``, also written ``"2/3"``), a coefficient, a whole number (``count``), a number
of years, ``true``/``false`` (``boolean``).

**From which date.** An override replaces the parameter's value from the configuration's date
on (the scenario's ``data``, or the alternative's): the values in force before it are kept,
the value in force on that date and every later dated value are replaced (for a table, only the
entries written). Without a date, every dated value is replaced. A parameter that is not in
force on that date cannot be overridden (it would have no effect).

**Conflicting overrides** (each an error naming both places):

- the same parameter, or the same entry of a table, given two different values at the same
  level (the scenario's common ``parametri``, the base's, or one alternative's ``parametri``
  together with its ``modifiche``, where a national parameter may also be written);
- a common parameter (the scenario's top-level ``parametri``: assumptions shared by every
  configuration) set to another value by the base or by an alternative.

An alternative inherits the base's overrides and may change them: that is the alternative's
change, not a conflict.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from equo.isee.errors import field_path
from equo.isee.parameters import Parameter, ParameterSet
from equo.isee.varianti import REGOLE, Variante

__all__ = [
    "Percorso",
    "Sostituzione",
    "applica_sostituzioni",
    "chiave_sostituzioni",
    "leggi_sostituzione",
    "nome_parametro",
    "unisci",
]

Percorso = tuple[int | str, ...]
"""Where a value is written in the scenario document (for line-precise messages)."""

Valore = float | bool

_UNITA = {
    "EUR": "un importo in euro (per esempio 91500)",
    "ratio": "un rapporto tra 0 e 1 (per esempio 0.2 o '2/3')",
    "coefficient": "un coefficiente (un numero non negativo, per esempio 0.35)",
    "count": "un numero intero non negativo",
    "years": "un numero di anni (non negativo)",
    "boolean": "vero o falso (true/false)",
    "table-coefficient": "una tabella di coefficienti",
    "table-EUR": "una tabella di importi in euro",
}

_PARAMETRI_DI_VARIANTE = {
    "varianti.specifiche_2026.": Variante.SPECIFICHE_2026,
    "varianti.corrente.": Variante.CORRENTE,
    "varianti.residenze.": Variante.RESIDENZE,
    "varianti.universita.": Variante.UNIVERSITA,
    "nido.": Variante.NIDO,
}
"""Parameters read only by one ISEE variant (by the prefix of their name)."""


@dataclass(frozen=True)
class Sostituzione:
    """One override: a parameter, or one entry of a table parameter, and its new value."""

    parametro: str
    chiave: str | None
    valore: Valore
    percorso: Percorso = ()
    """Where it is written in the scenario (empty when built in code)."""

    @property
    def nome(self) -> str:
        """``parametro`` or ``parametro.chiave``, as a scenario writes it."""
        return self.parametro if self.chiave is None else f"{self.parametro}.{self.chiave}"


def nome_parametro(nome: str, params: ParameterSet) -> tuple[str, str | None] | None:
    """``(parameter, table key or None)`` named by ``nome``; None if there is no such parameter.

    >>> from equo.isee.parameters import load_parameters
    >>> nome_parametro("scala_equivalenza.parametro_base.3", load_parameters())
    ('scala_equivalenza.parametro_base', '3')
    """
    if nome in params:
        return nome, None
    parametro, _, chiave = nome.rpartition(".")
    if parametro in params and params[parametro].is_table:
        return parametro, chiave
    return None


def _suggerimento(nome: str, params: ParameterSet) -> str:
    ultimo = nome.rsplit(".", 1)[-1]
    stesso_nome = [p for p in params if p.rsplit(".", 1)[-1] == ultimo]
    vicini = stesso_nome or difflib.get_close_matches(nome, list(params), n=1, cutoff=0.6)
    return f": forse '{vicini[0]}'?" if vicini else ""


def _numero(raw: object) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, str):
        try:
            return float(Fraction(raw.strip()))
        except (ValueError, ZeroDivisionError):
            return None
    return None


def _valore(parametro: Parameter, raw: object) -> Valore | str:
    """The value of a scalar (or of one table entry) in the parameter's unit, or why not."""
    unita = parametro.unit.removeprefix("table-")
    atteso = f"{parametro.label}: atteso {_UNITA[unita]}"
    if unita == "boolean":
        return raw if isinstance(raw, bool) else f"{atteso}, non {raw!r}"
    numero = _numero(raw)
    if numero is None:
        return f"{atteso}, non {raw!r}"
    if numero < 0:
        return f"{atteso}: {raw!r} è negativo"
    if unita == "ratio" and numero > 1:
        extra = (
            f" ({raw!r} sembra una percentuale: scrivere {numero / 100:g})" if numero <= 100 else ""
        )
        return f"{atteso}{extra}"
    if unita == "count" and numero != int(numero):
        return f"{atteso}, non {raw!r}"
    return numero


def leggi_sostituzione(
    nome: str, raw: object, params: ParameterSet, percorso: Percorso = ()
) -> tuple[list[Sostituzione], list[tuple[Percorso, str]]]:
    """The overrides written as ``nome: raw``, or the problems (path, Italian message)."""
    trovato = nome_parametro(nome, params)
    if trovato is None:
        return [], [(percorso, f"parametro ISEE sconosciuto '{nome}'{_suggerimento(nome, params)}")]
    parametro_nome, chiave = trovato
    parametro = params[parametro_nome]
    chiavi = parametro.table_keys
    if chiave is not None and chiave not in chiavi:
        return [], [(percorso, _voce_sconosciuta(parametro_nome, chiave, chiavi))]
    if parametro.is_table and chiave is None:
        if not isinstance(raw, Mapping) or not raw:
            return [], [
                (
                    percorso,
                    f"{parametro.label}: attesa una tabella {{voce: valore}} con voci tra "
                    f"{', '.join(chiavi)} (o una sola voce: {parametro_nome}.{chiavi[0]})",
                )
            ]
        voci: list[tuple[str, object]] = [(str(k), v) for k, v in raw.items()]
    else:
        voci = [(chiave or "", raw)]
    sostituzioni, problemi = [], []
    for voce, grezzo in voci:
        if parametro.is_table and voce not in chiavi:
            problemi.append(((*percorso, voce), _voce_sconosciuta(parametro_nome, voce, chiavi)))
            continue
        valore = _valore(parametro, grezzo)
        if isinstance(valore, str):
            intera_tabella = parametro.is_table and chiave is None
            problemi.append(((*percorso, voce) if intera_tabella else percorso, valore))
            continue
        sostituzioni.append(
            Sostituzione(parametro_nome, voce if parametro.is_table else None, valore, percorso)
        )
    return sostituzioni, problemi


def _voce_sconosciuta(parametro: str, voce: str, chiavi: Sequence[str]) -> str:
    return f"la tabella {parametro} non ha la voce '{voce}' (voci: {', '.join(chiavi)})"


def _testo(valore: Valore) -> str:
    """``true``/``false`` or the number as written (``91500``, ``1.6``)."""
    return str(valore).lower() if isinstance(valore, bool) else f"{valore:g}"


def _dove(s: Sostituzione) -> str:
    return field_path(s.percorso) if s.percorso else s.nome


def unisci(
    livelli: Sequence[tuple[str, Iterable[Sostituzione]]], *, fissi: Iterable[Sostituzione] = ()
) -> tuple[list[Sostituzione], list[tuple[Percorso, str]]]:
    """Merge levels of overrides, later levels winning; report conflicts.

    ``livelli`` are (name, overrides) in order of precedence (the base's, then the
    alternative's); within one level the same entry with two values is a conflict. ``fissi``
    (the scenario's common overrides) come first and no level may change them.
    """
    problemi: list[tuple[Percorso, str]] = []
    effettive: dict[tuple[str, str | None], Sostituzione] = {}
    comuni = {(s.parametro, s.chiave): s for s in fissi}
    effettive.update(comuni)
    for _, sostituzioni in livelli:
        livello: dict[tuple[str, str | None], Sostituzione] = {}
        for s in sostituzioni:
            chiave = (s.parametro, s.chiave)
            prima = livello.get(chiave)
            if prima is not None and prima.valore != s.valore:
                problemi.append(
                    (
                        s.percorso,
                        f"sostituzioni in conflitto: {s.nome} vale {_testo(prima.valore)} in "
                        f"{_dove(prima)} e {_testo(s.valore)} qui",
                    )
                )
                continue
            comune = comuni.get(chiave)
            if comune is not None and comune.valore != s.valore:
                problemi.append(
                    (
                        s.percorso,
                        f"sostituzioni in conflitto: {s.nome} è un'ipotesi comune dello scenario "
                        f"({_dove(comune)}: {_testo(comune.valore)}) e non si può cambiare qui "
                        f"({_testo(s.valore)})",
                    )
                )
                continue
            livello[chiave] = s
        effettive.update(livello)
    return list(effettive.values()), problemi


def controlla_variante(
    sostituzioni: Iterable[Sostituzione], variante: str
) -> list[tuple[Percorso, str]]:
    """Overrides that the ISEE variant of the regolamento never reads (they would do nothing)."""
    try:
        regole = REGOLE[Variante(variante)]
    except ValueError:
        return []
    problemi = []
    for s in sostituzioni:
        sostituito = regole.sostituzioni.get(s.parametro)
        if sostituito is not None:
            problemi.append(
                (
                    s.percorso,
                    f"{s.nome} non ha effetto sull'{regole.etichetta} del regolamento, che usa "
                    f"al suo posto {sostituito}",
                )
            )
            continue
        for prefisso, propria in _PARAMETRI_DI_VARIANTE.items():
            if s.parametro.startswith(prefisso) and propria.value != variante:
                problemi.append(
                    (
                        s.percorso,
                        f"{s.nome} vale solo per l'{REGOLE[propria].etichetta}: il regolamento "
                        f"usa l'{regole.etichetta}",
                    )
                )
    return problemi


def chiave_sostituzioni(
    sostituzioni: Iterable[Sostituzione],
) -> tuple[tuple[str, str, Valore], ...]:
    """A hashable, order-independent key of a set of overrides (for caches)."""
    return tuple(sorted((s.parametro, s.chiave or "", s.valore) for s in sostituzioni))


def _sostituisci(valore: Any, parametro: Parameter, voci: Mapping[str | None, Valore]) -> Any:
    if valore is None:
        return None
    if parametro.is_table:
        return {**valore, **{k: v for k, v in voci.items() if k is not None}}
    return voci[None]


def applica_sostituzioni(
    params: ParameterSet, sostituzioni: Iterable[Sostituzione], dal: dt.date | None
) -> tuple[ParameterSet, list[tuple[Percorso, str]]]:
    """``params`` with the overrides in force from ``dal`` (every date when None)."""
    per_parametro: dict[str, dict[str | None, Valore]] = {}
    dove: dict[str, Sostituzione] = {}
    for s in sostituzioni:
        per_parametro.setdefault(s.parametro, {})[s.chiave] = s.valore
        dove.setdefault(s.parametro, s)
    if not per_parametro:
        return params, []
    nuovi: dict[str, Parameter] = dict(params.items())
    problemi: list[tuple[Percorso, str]] = []
    for nome, voci in per_parametro.items():
        parametro = params[nome]
        if dal is None:
            valori = tuple((d, _sostituisci(v, parametro, voci)) for d, v in parametro.values)
        else:
            if not parametro.in_force(dal):
                problemi.append(
                    (
                        dove[nome].percorso,
                        f"{nome} non è in vigore il {dal.isoformat()}: la sostituzione non avrebbe "
                        "effetto",
                    )
                )
                continue
            prima = tuple((d, v) for d, v in parametro.values if d < dal)
            dopo = tuple(
                (d, _sostituisci(v, parametro, voci)) for d, v in parametro.values if d > dal
            )
            valori = (*prima, (dal, _sostituisci(parametro.at(dal), parametro, voci)), *dopo)
        nuovi[nome] = replace(parametro, values=valori)
    return ParameterSet(nuovi), problemi
