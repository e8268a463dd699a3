"""Typed helpers that read the environment and fail loudly.

Every setting that an operator may change is read here, by name, with its type. A malformed
value (``EQUO_DEBUG=maybe``) or a missing one that has no safe default (``EQUO_SECRET_KEY`` in
production) stops the process with a message that names the variable, instead of silently
falling back to something unsafe.
"""

from __future__ import annotations

import os
import secrets
from enum import StrEnum
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "Ambiente",
    "ConfigurazioneErrata",
    "ambiente",
    "cartella_dati",
    "chiave_segreta_sviluppo",
    "database_url",
    "env_bool",
    "env_int",
    "env_list",
    "env_secret",
    "env_str",
]

_VERO = {"true", "1", "yes", "on"}
_FALSO = {"false", "0", "no", "off"}


class ConfigurazioneErrata(ImproperlyConfigured):
    """An environment variable is missing or malformed."""


class Ambiente(StrEnum):
    """Where the application runs: it decides the safe defaults."""

    SVILUPPO = "development"
    PRODUZIONE = "production"
    TEST = "test"


def ambiente() -> Ambiente:
    """The environment named by ``EQUO_ENV``; production when unset."""
    valore = os.environ.get("EQUO_ENV", Ambiente.PRODUZIONE.value).strip().lower()
    try:
        return Ambiente(valore)
    except ValueError:
        ammessi = ", ".join(a.value for a in Ambiente)
        raise ConfigurazioneErrata(
            f"EQUO_ENV={valore!r} is not valid: use one of {ammessi}"
        ) from None


def env_str(nome: str, default: str | None = None) -> str:
    """A string variable; without a default it must be set and not empty."""
    valore = os.environ.get(nome)
    if valore is None or valore.strip() == "":
        if default is None:
            raise ConfigurazioneErrata(f"{nome} must be set")
        return default
    return valore.strip()


def env_bool(nome: str, default: bool) -> bool:
    """A boolean variable: true/false, 1/0, yes/no, on/off; anything else is an error."""
    valore = os.environ.get(nome)
    if valore is None or valore.strip() == "":
        return default
    testo = valore.strip().lower()
    if testo in _VERO:
        return True
    if testo in _FALSO:
        return False
    raise ConfigurazioneErrata(f"{nome}={valore!r} is not a boolean: use true or false")


def env_int(nome: str, default: int, *, minimo: int | None = None) -> int:
    """An integer variable, optionally with a lower bound."""
    valore = os.environ.get(nome)
    if valore is None or valore.strip() == "":
        return default
    try:
        numero = int(valore.strip())
    except ValueError:
        raise ConfigurazioneErrata(f"{nome}={valore!r} is not an integer") from None
    if minimo is not None and numero < minimo:
        raise ConfigurazioneErrata(f"{nome}={numero} must be at least {minimo}")
    return numero


def env_list(nome: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list; empty items are dropped."""
    valore = os.environ.get(nome)
    if valore is None or valore.strip() == "":
        return list(default or [])
    return [voce.strip() for voce in valore.split(",") if voce.strip()]


def env_secret(nome: str) -> str | None:
    """A secret from ``NOME`` or from the file named by ``NOME_FILE`` (Docker/systemd secrets)."""
    valore = os.environ.get(nome)
    if valore:
        return valore.strip()
    percorso = os.environ.get(f"{nome}_FILE")
    if percorso:
        try:
            return Path(percorso).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigurazioneErrata(f"{nome}_FILE={percorso!r} cannot be read: {exc}") from exc
    return None


def cartella_dati() -> Path:
    """The data directory (SQLite database, development secret): ``EQUO_DATA_DIR`` or ``./var``."""
    return Path(env_str("EQUO_DATA_DIR", str(Path.cwd() / "var"))).resolve()


def database_url(amb: Ambiente) -> str:
    """The database URL: ``DATABASE_URL``; outside production SQLite is the default.

    Production has no default: an operator says which database holds the data.
    """
    if amb is Ambiente.PRODUZIONE:
        return env_str("DATABASE_URL")
    if amb is Ambiente.TEST:
        return env_str("DATABASE_URL", "sqlite://:memory:")
    return env_str("DATABASE_URL", f"sqlite:///{cartella_dati() / 'equo.sqlite3'}")


def chiave_segreta_sviluppo(cartella: Path) -> str:
    """The development secret key, generated once into the (git-ignored) data directory."""
    file = cartella / "secret_key"
    if file.exists():
        return file.read_text(encoding="utf-8").strip()
    cartella.mkdir(parents=True, exist_ok=True)
    chiave = secrets.token_urlsafe(50)
    file.write_text(chiave, encoding="utf-8")
    file.chmod(0o600)
    return chiave
