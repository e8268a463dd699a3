"""Turn pydantic validation errors into precise, readable messages naming the field."""

from __future__ import annotations

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


def field_errors(exc: ValidationError) -> list[FieldError]:
    """Every error of ``exc``, with the field path and pydantic's wording cleaned up."""
    errors = []
    for err in exc.errors(include_url=False):
        message = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] in {"missing", "extra_forbidden"}:
            message = "missing field" if err["type"] == "missing" else "unknown field"
        errors.append(FieldError(field_path(tuple(err["loc"])), message))
    return errors
