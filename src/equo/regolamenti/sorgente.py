"""Read a regolamento file, keeping the line of every value, and report problems precisely.

Every problem of a document — a YAML syntax error, an unknown or missing field, a wrong type, a
condition naming a field that does not exist — is a :class:`Problema` with the file, the line
and the field (``requisiti[1].condizione``), worded in Italian for the officer who wrote it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from equo.isee.errors import field_path

__all__ = ["Problema", "RegolamentoNonValido", "Sorgente", "leggi_yaml", "problemi_pydantic"]


@dataclass(frozen=True)
class Problema:
    """One problem of a document: where (file, line, field) and what."""

    file: str
    riga: int | None
    campo: str
    messaggio: str

    def __str__(self) -> str:
        where = self.file if self.riga is None else f"{self.file}:{self.riga}"
        field = f" {self.campo}:" if self.campo else ""
        return f"{where}:{field} {self.messaggio}"


class RegolamentoNonValido(ValueError):  # noqa: N818 - Italian name of a domain error
    """A document that cannot be used, with every problem found."""

    def __init__(self, problemi: Iterable[Problema]) -> None:
        self.problemi = list(problemi)
        super().__init__("\n".join(str(p) for p in self.problemi))


@dataclass(frozen=True)
class Sorgente:
    """A parsed YAML document and the line where each path of it starts."""

    file: str
    dati: Any
    righe: Mapping[tuple[int | str, ...], int]

    def riga(self, path: tuple[int | str, ...]) -> int | None:
        """The line of ``path``, or of its nearest written ancestor."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.righe:
                return self.righe[path[:end]]
        return None

    def problema(self, path: tuple[int | str, ...], messaggio: str) -> Problema:
        """A :class:`Problema` at ``path`` of this document."""
        return Problema(self.file, self.riga(path), field_path(path), messaggio)


def _lines(node: yaml.Node, path: tuple[int | str, ...], out: dict[Any, int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                out[(*path, key.value)] = key.start_mark.line + 1
                _lines(value, (*path, key.value), out)
                out[(*path, key.value)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, (*path, i), out)


def leggi_yaml(testo: str, file: str) -> Sorgente:
    """Parse ``testo``; a syntax error becomes :class:`RegolamentoNonValido` with its line."""
    loader = yaml.SafeLoader(testo)
    try:
        node = loader.get_single_node()
        dati = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        riga = mark.line + 1 if mark is not None else None
        problem = exc.problem or "YAML non valido"
        raise RegolamentoNonValido(
            [Problema(file, riga, "", f"sintassi YAML non valida: {problem}")]
        ) from None
    finally:
        loader.dispose()
    if not isinstance(dati, dict):
        raise RegolamentoNonValido(
            [Problema(file, 1, "", "il documento deve essere una mappa di campi (chiave: valore)")]
        )
    righe: dict[tuple[int | str, ...], int] = {}
    if node is not None:
        _lines(node, (), righe)
    return Sorgente(file, dati, righe)


_MESSAGES = {
    "missing": "campo obbligatorio mancante",
    "extra_forbidden": "campo sconosciuto",
    "float_parsing": "deve essere un numero",
    "float_type": "deve essere un numero",
    "int_parsing": "deve essere un numero intero",
    "int_type": "deve essere un numero intero",
    "int_from_float": "deve essere un numero intero",
    "bool_parsing": "deve essere vero o falso (true/false)",
    "bool_type": "deve essere vero o falso (true/false)",
    "string_type": "deve essere un testo",
    "date_parsing": "deve essere una data AAAA-MM-GG",
    "date_from_datetime_parsing": "deve essere una data AAAA-MM-GG",
    "date_type": "deve essere una data AAAA-MM-GG",
    "list_type": "deve essere un elenco",
    "model_type": "deve essere una mappa di campi",
    "dict_type": "deve essere una mappa di campi",
    "model_attributes_type": "deve essere una mappa di campi",
    "union_tag_not_found": "indicare una forma di calcolo",
}


def _message(err: Mapping[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "literal_error":
        return f"valore non ammesso: ammessi {ctx.get('expected', '')}"
    if kind == "enum":
        return f"valore non ammesso: ammessi {ctx.get('expected', '')}"
    if kind == "string_pattern_mismatch":
        return "formato non valido (lettere minuscole, cifre e '_'; per i codici SIUSS A1.05.01)"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"deve essere almeno {ctx.get('ge', ctx.get('gt'))}"
    if kind in {"less_than_equal", "less_than"}:
        return f"deve essere al massimo {ctx.get('le', ctx.get('lt'))}"
    if kind in {"too_short", "string_too_short"}:
        return "non può essere vuoto"
    if kind == "string_too_long":
        return "troppo lungo"
    return str(err["msg"]).removeprefix("Value error, ")


def _written_path(dati: Any, loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """``loc`` without the steps pydantic adds that are not in the document (union tags)."""
    path: list[int | str] = []
    current = dati
    for i, step in enumerate(loc):
        if _is_union_tag(current, loc, i):
            continue
        in_dict = isinstance(current, dict) and step in current
        in_list = isinstance(current, list) and isinstance(step, int) and step < len(current)
        if in_dict or in_list:
            current = current[step]
            path.append(step)
        elif i == len(loc) - 1 or isinstance(step, int):
            path.append(step)
    return tuple(path)


def _is_union_tag(current: Any, loc: tuple[int | str, ...], i: int) -> bool:
    """Whether ``loc[i]`` is a union tag that pydantic repeats before the field of the same name.

    A calcolo ``{lineare: {...}}`` is reported at ``calcolo.lineare.lineare``: the first
    ``lineare`` names the shape, the second the field.
    """
    step = loc[i]
    if not isinstance(step, str) or i + 1 >= len(loc) or loc[i + 1] != step:
        return False
    return isinstance(current, dict) and step in current


def problemi_pydantic(sorgente: Sorgente, exc: ValidationError) -> list[Problema]:
    """Each pydantic error as a :class:`Problema` with line and Italian wording.

    A model check that finds several problems reports them joined by ``"; "``, each starting
    with the field it concerns (``fasce[2].da: …``); they become separate problems.
    """
    problems = []
    for err in exc.errors(include_url=False):
        path = _written_path(sorgente.dati, tuple(err["loc"]))
        message = _message(err)
        parts = [part.partition(": ") for part in message.split("; ")]
        fields = [_relative_path(head) if sep else None for head, sep, _ in parts]
        if len(parts) > 1 and None in fields:
            parts, fields = [("", "", message)], [None]
        for (head, sep, rest), extra in zip(parts, fields, strict=True):
            if extra is not None:
                problems.append(sorgente.problema((*path, *extra), rest))
            else:
                problems.append(sorgente.problema(path, f"{head}{sep}{rest}"))
    return problems


def _relative_path(text: str) -> tuple[int | str, ...] | None:
    """``"fasce[2].da"`` → ``("fasce", 2, "da")``; None if ``text`` is not a field path."""
    steps: list[int | str] = []
    for part in text.split("."):
        name, _, indexes = part.partition("[")
        if not name.replace("_", "").isalnum() or not name.islower():
            return None
        steps.append(name)
        for index in indexes.rstrip("]").split("][") if indexes else []:
            if not index.isdigit():
                return None
            steps.append(int(index))
    return tuple(steps)


def leggi_file(path: Path) -> Sorgente:
    """Read and parse a file; an unreadable file is a :class:`RegolamentoNonValido` too."""
    try:
        testo = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegolamentoNonValido(
            [Problema(str(path), None, "", f"impossibile leggere il file: {exc}")]
        ) from None
    return leggi_yaml(testo, str(path))
