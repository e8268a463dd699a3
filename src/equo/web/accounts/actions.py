"""Writes on users: each one atomic, with its audit row in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from equo.web.accounts.models import Utente
from equo.web.audit.models import TipoEvento
from equo.web.audit.registro import istantanea, registra_evento, registra_scrittura

__all__ = ["do_attiva_totp", "do_cambia_password", "do_crea_utente", "do_disattiva_totp"]

NOME_DISPOSITIVO = "App di autenticazione"


@transaction.atomic
def do_crea_utente(
    username: str,
    *,
    password: str | None,
    nome: str = "",
    cognome: str = "",
    email: str = "",
    codice_fiscale: str | None = None,
    superutente: bool = False,
    password_cifrata: str | None = None,
    acting_user: Utente | None,
) -> Utente:
    """Create a staff user (``password=None``: no usable password, e.g. SPID/CIE only).

    ``password_cifrata`` is an already hashed password (``make_password``), for loading many
    accounts that share one (the demo data) without hashing it each time.
    """
    utente = Utente(
        username=username,
        first_name=nome,
        last_name=cognome,
        email=email,
        codice_fiscale=codice_fiscale,
        is_staff=superutente,
        is_superuser=superutente,
    )
    if password_cifrata is not None:
        utente.password = password_cifrata
    elif password is None:
        utente.set_unusable_password()
    else:
        utente.set_password(password)
    utente.full_clean()
    utente.save()
    registra_scrittura(acting_user, utente, ente=None)
    return utente


@transaction.atomic
def do_cambia_password(utente: Utente, nuova: str, *, acting_user: Utente | None) -> None:
    """Set a new password (validated by the caller's form); the log says only that it changed."""
    prima = istantanea(utente, ["password"])
    utente.set_password(nuova)
    utente.save(update_fields=["password"])
    registra_scrittura(acting_user, utente, prima=prima, ente=None)


@transaction.atomic
def do_attiva_totp(
    utente: Utente, chiave_hex: str, codice: str, *, acting_user: Utente
) -> TOTPDevice | None:
    """Turn on the TOTP second factor if ``codice`` matches the new key; ``None`` otherwise."""
    dispositivo = TOTPDevice(user=utente, key=chiave_hex, name=NOME_DISPOSITIVO, confirmed=True)
    dispositivo.save()
    if not dispositivo.verify_token(codice):
        transaction.set_rollback(True)
        return None
    _registra_due_fattori(utente, attivo=True, acting_user=acting_user)
    return dispositivo


@transaction.atomic
def do_disattiva_totp(utente: Utente, *, acting_user: Utente) -> None:
    """Turn off the TOTP second factor (the caller has checked a current code)."""
    TOTPDevice.objects.filter(user=utente).delete()
    _registra_due_fattori(utente, attivo=False, acting_user=acting_user)


def _registra_due_fattori(utente: Utente, *, attivo: bool, acting_user: Any) -> None:
    # The device holds the secret key: the log records the change of state, never the key.
    registra_evento(
        acting_user,
        TipoEvento.MODIFICA,
        oggetto=utente,
        ente=None,
        modifiche={"due_fattori": {"prima": not attivo, "dopo": attivo}},
    )
