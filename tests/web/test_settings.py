"""Environment-driven settings: safe defaults, and loud failures on missing or bad values."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from equo.web.settings import base
from equo.web.settings.env import ConfigurazioneErrata, env_bool, env_int

SEGRETO = "s" * 60


def _carica(monkeypatch: pytest.MonkeyPatch, **variabili: str) -> ModuleType:
    """Execute the settings module afresh with exactly these EQUO_*/DATABASE_URL variables."""
    import os

    for nome in list(os.environ):
        if nome.startswith("EQUO_") or nome == "DATABASE_URL":
            monkeypatch.delenv(nome)
    for nome, valore in variabili.items():
        monkeypatch.setenv(nome, valore)
    spec = importlib.util.spec_from_file_location("equo_settings_prova", base.__file__)
    assert spec is not None and spec.loader is not None
    modulo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modulo)
    return modulo


PRODUZIONE = {
    "EQUO_ENV": "production",
    "EQUO_SECRET_KEY": SEGRETO,
    "EQUO_ALLOWED_HOSTS": "equo.esempio.it",
    "DATABASE_URL": "postgres://equo@db.esempio.it/equo",
}


def test_production_is_the_default_and_refuses_to_start_without_a_secret_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ConfigurazioneErrata, match="EQUO_SECRET_KEY"):
        _carica(monkeypatch)


@pytest.mark.parametrize("manca", ["EQUO_SECRET_KEY", "EQUO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(manca: str, monkeypatch: pytest.MonkeyPatch) -> None:
    variabili = {k: v for k, v in PRODUZIONE.items() if k != manca}
    with pytest.raises(ConfigurazioneErrata, match=manca):
        _carica(monkeypatch, **variabili)


def test_production_refuses_a_short_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurazioneErrata, match="50 characters"):
        _carica(monkeypatch, **{**PRODUZIONE, "EQUO_SECRET_KEY": "corta"})


def test_production_refuses_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurazioneErrata, match="EQUO_DEBUG"):
        _carica(monkeypatch, **PRODUZIONE, EQUO_DEBUG="true")


def test_production_is_locked_down(monkeypatch: pytest.MonkeyPatch) -> None:
    impostazioni = _carica(monkeypatch, **PRODUZIONE)
    assert impostazioni.DEBUG is False
    assert impostazioni.SESSION_COOKIE_SECURE and impostazioni.CSRF_COOKIE_SECURE
    assert impostazioni.SECURE_SSL_REDIRECT
    assert impostazioni.SECURE_HSTS_SECONDS >= 31_536_000
    assert impostazioni.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in impostazioni.MIDDLEWARE
    assert impostazioni.LOGGING["handlers"]["console"]["formatter"] == "json"


def test_the_secret_can_come_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    file = tmp_path / "segreto"
    file.write_text(SEGRETO + "\n", encoding="utf-8")
    variabili = {k: v for k, v in PRODUZIONE.items() if k != "EQUO_SECRET_KEY"}
    impostazioni = _carica(monkeypatch, **variabili, EQUO_SECRET_KEY_FILE=str(file))
    assert impostazioni.SECRET_KEY == SEGRETO


def test_development_generates_and_keeps_a_secret_in_the_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    primo = _carica(monkeypatch, EQUO_ENV="development", EQUO_DATA_DIR=str(tmp_path))
    secondo = _carica(monkeypatch, EQUO_ENV="development", EQUO_DATA_DIR=str(tmp_path))
    assert primo.DEBUG is True
    assert primo.SECRET_KEY == secondo.SECRET_KEY == (tmp_path / "secret_key").read_text()
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert primo.DATABASES["default"]["NAME"] == str(tmp_path / "equo.sqlite3")


def test_an_unknown_environment_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurazioneErrata, match="EQUO_ENV"):
        _carica(monkeypatch, EQUO_ENV="staging")


def test_typed_helpers_reject_malformed_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EQUO_X", "forse")
    with pytest.raises(ConfigurazioneErrata, match="EQUO_X"):
        env_bool("EQUO_X", default=False)
    monkeypatch.setenv("EQUO_X", "dieci")
    with pytest.raises(ConfigurazioneErrata, match="not an integer"):
        env_int("EQUO_X", 1)
    monkeypatch.setenv("EQUO_X", "0")
    with pytest.raises(ConfigurazioneErrata, match="at least 1"):
        env_int("EQUO_X", 1, minimo=1)


def test_the_test_settings_are_production_like() -> None:
    from django.conf import settings

    assert settings.DEBUG is False
    assert settings.AMBIENTE == "test"
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
