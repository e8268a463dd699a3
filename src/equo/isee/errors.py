"""Turn pydantic validation errors into precise, readable messages naming the field."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import ValidationError

__all__ = ["FieldError", "field_errors", "field_path"]


@dataclass(frozen=True)
class FieldError:
    """One problem in an input: where (``componenti[1].redditi.pensione``) and what."""

    campo: str
    errore: str

    def __str__(self) -> str:
        return f"{self.campo}: {self.errore}" if self.campo else self.errore


def field_path(loc: tuple[int | str, ...]) -> str:
    """``("componenti", 1, "redditi", "pensione")`` → ``"componenti[1].redditi.pensione"``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


# A message that starts by naming a field ("valore: ...", "componenti[2].rapporto: ...").
_FIELD_PREFIX = re.compile(
    r"(?P<path>[a-z_][a-z0-9_]*(?:\[\d+\])*(?:\.[a-z_][a-z0-9_]*(?:\[\d+\])*)*): (?P<msg>.+)",
    re.DOTALL,
)


def _precise(error: FieldError) -> list[FieldError]:
    """Move a field named at the start of a message into the path, one problem per error.

    Consistency checks over several fields report each problem starting with its field, and
    several problems joined by "; " (``componenti[1].data_nascita: ...; componenti[2].rapporto:
    ...``).
    """
    parts = error.errore.split("; ")
    if len(parts) > 1 and not all(_FIELD_PREFIX.fullmatch(p) for p in parts):
        parts = [error.errore]
    precise = []
    for part in parts:
        match = _FIELD_PREFIX.fullmatch(part)
        if match is None:
            precise.append(FieldError(error.campo, part))
        else:
            path = f"{error.campo}.{match['path']}" if error.campo else match["path"]
            precise.append(FieldError(path, match["msg"]))
    return precise


def field_errors(exc: ValidationError) -> list[FieldError]:
    """Every error of ``exc``, one per problem, with the full field path and clean wording."""
    errors = []
    for err in exc.errors(include_url=False):
        message = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] in {"missing", "extra_forbidden"}:
            message = "missing field" if err["type"] == "missing" else "unknown field"
        errors.extend(_precise(FieldError(field_path(tuple(err["loc"])), message)))
    return errors
