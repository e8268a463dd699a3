"""Login: argon2, django-axes lockout, the optional TOTP step, logout, password change."""

from __future__ import annotations

from binascii import unhexlify
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from equo.web.accounts.actions import do_crea_utente
from equo.web.accounts.models import Utente
from equo.web.accounts.views import CHIAVE_TOTP_NUOVA
from equo.web.audit.models import AuditEvent, TipoEvento
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _accedi(client: Client, username: str, password: str = PASSWORD) -> object:
    return client.post("/accedi/", {"username": username, "password": password})


def _codice(chiave_hex: str) -> str:
    return f"{totp(unhexlify(chiave_hex), step=30, t0=0, digits=6):06d}"


def _tipi() -> list[str]:
    return list(AuditEvent.objects.senza_scope().order_by("pk").values_list("tipo", flat=True))


def test_new_passwords_are_hashed_with_argon2() -> None:
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    utente = do_crea_utente("nuovo", password="una-password-lunga-2026", acting_user=None)
    assert utente.password.startswith("argon2$argon2id$")


def test_a_user_logs_in_and_the_login_is_audited(client: Client, anna: Utente) -> None:
    risposta = client.post("/accedi/", {"username": "anna", "password": PASSWORD})
    assert risposta.status_code == 302
    assert client.get("/").status_code == 200
    assert _tipi() == [TipoEvento.ACCESSO]


def test_a_wrong_password_shows_an_italian_message(client: Client, anna: Utente) -> None:
    risposta = client.post("/accedi/", {"username": "anna", "password": "sbagliata"})
    assert risposta.status_code == 200
    assert "Nome utente o password non corretti." in risposta.content.decode()
    assert _tipi() == [TipoEvento.ACCESSO_NEGATO]


def test_repeated_failures_lock_the_account_even_with_the_right_password(
    client: Client, anna: Utente
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accedi/", {"username": "anna", "password": "sbagliata"})
    risposta = client.post("/accedi/", {"username": "anna", "password": PASSWORD})
    assert risposta.status_code == 429
    assert "Accesso temporaneamente bloccato" in risposta.content.decode()
    assert TipoEvento.BLOCCO in _tipi()
    assert client.get("/").status_code == 302  # still not logged in


def test_the_lockout_is_per_username(client: Client, anna: Utente, bruno: Utente) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accedi/", {"username": "anna", "password": "sbagliata"})
    assert client.post("/accedi/", {"username": "bruno", "password": PASSWORD}).status_code == 302


@pytest.fixture
def chiave_di_anna(anna: Utente) -> str:
    dispositivo = TOTPDevice.objects.create(user=anna, name="telefono", confirmed=True)
    return str(dispositivo.key)


def test_with_totp_the_password_alone_does_not_log_in(
    client: Client, anna: Utente, chiave_di_anna: str
) -> None:
    risposta = client.post("/accedi/", {"username": "anna", "password": PASSWORD})
    assert risposta["Location"] == "/accedi/codice/"
    assert client.get("/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_with_totp_the_right_code_logs_in_verified(
    client: Client, anna: Utente, chiave_di_anna: str
) -> None:
    client.post("/accedi/", {"username": "anna", "password": PASSWORD})
    risposta = client.post("/accedi/codice/", {"codice": _codice(chiave_di_anna)})
    assert risposta.status_code == 302
    assert client.get("/").status_code == 200
    assert client.session["_auth_user_id"] == str(anna.pk)
    assert "otp_device_id" in client.session


def test_with_totp_a_wrong_code_is_refused_and_counted(
    client: Client, anna: Utente, chiave_di_anna: str
) -> None:
    client.post("/accedi/", {"username": "anna", "password": PASSWORD})
    giusto = _codice(chiave_di_anna)
    sbagliato = f"{(int(giusto) + 1) % 1_000_000:06d}"
    risposta = client.post("/accedi/codice/", {"codice": sbagliato})
    assert "Codice non valido" in risposta.content.decode()
    assert client.get("/").status_code == 302
    assert _tipi().count(TipoEvento.ACCESSO_NEGATO) == 1


def test_the_code_page_without_a_password_step_goes_back_to_login(client: Client) -> None:
    risposta = client.get("/accedi/codice/")
    assert risposta["Location"] == "/accedi/"


def test_a_malformed_code_gets_a_clear_message(
    client: Client, anna: Utente, chiave_di_anna: str
) -> None:
    client.post("/accedi/", {"username": "anna", "password": PASSWORD})
    risposta = client.post("/accedi/codice/", {"codice": "abc"})
    assert "Il codice è fatto di 6 cifre." in risposta.content.decode()


def test_a_user_turns_totp_on_with_a_code_from_the_app(
    anna: Utente, client_di: Callable[[Utente], Client]
) -> None:
    client = client_di(anna)
    pagina = client.get("/account/due-fattori/")
    assert "<svg" in pagina.content.decode()
    chiave = client.session[CHIAVE_TOTP_NUOVA]
    assert not TOTPDevice.objects.filter(user=anna).exists()  # nothing stored before the code
    client.post(
        "/account/due-fattori/", {"codice": "000000" if _codice(chiave) != "000000" else "111111"}
    )
    assert not TOTPDevice.objects.filter(user=anna).exists()
    prima = AuditEvent.objects.senza_scope().count()
    client.post("/account/due-fattori/", {"codice": _codice(chiave)})
    assert TOTPDevice.objects.get(user=anna).confirmed
    evento = AuditEvent.objects.senza_scope().order_by("pk").last()
    assert AuditEvent.objects.senza_scope().count() == prima + 1
    assert evento is not None and evento.modifiche == {
        "due_fattori": {"prima": False, "dopo": True}
    }
    assert chiave not in str(evento.dettagli) + str(evento.modifiche)


def test_logout_needs_a_post_and_ends_the_session(
    anna: Utente, client_di: Callable[[Utente], Client]
) -> None:
    client = client_di(anna)
    assert client.get("/esci/").status_code == 405
    assert client.post("/esci/").status_code == 302
    assert client.get("/").status_code == 302
    assert TipoEvento.USCITA in _tipi()


def test_a_password_change_validates_and_is_audited(
    anna: Utente, client_di: Callable[[Utente], Client]
) -> None:
    client = client_di(anna)
    corta = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "corta", "new_password2": "corta"},
    )
    assert "troppo corta" in corta.content.decode()
    nuova = "una-password-nuova-e-lunga"
    ok = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": nuova, "new_password2": nuova},
    )
    assert ok.status_code == 302
    anna.refresh_from_db()
    assert anna.check_password(nuova)
    assert client.get("/").status_code == 200  # the session survives the change
    assert TipoEvento.MODIFICA in _tipi()


def test_sessions_expire_after_inactivity_and_cookies_are_secure() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_the_login_page_sets_the_security_headers(client: Client) -> None:
    risposta = client.get("/accedi/")
    csp = risposta["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert risposta["X-Frame-Options"] == "DENY"
    assert risposta["X-Content-Type-Options"] == "nosniff"
