"""Who is calling the API: an integrator's token (``Authorization: Bearer``) or the web session.

Each operation that integrators may use declares its permissions with :func:`accesso`::

    @router.get("/persone/", auth=accesso(PermessoApi.PERSONE_LEGGI, "anagrafe.consulta"))

- a **token** must be valid (not revoked, not expired, its ente active) and grant the
  permission (403 otherwise); the request then acts as the token's technical user, and reads
  only the rows of the token's own ente;
- a **session** user needs the Django permission (403 otherwise), as on the web pages, and CSRF
  on unsafe methods.

The cartella sociale is need-to-know, which is personal: its operations declare
``auth=accesso_personale(permesso, permesso_django)`` and accept the session or an operator's
**personal token** (``equop_…``, :class:`~equo.web.api.models.TokenPersonale`), acting as that
very operator; an integrator's token is refused there with a 403 that says why.

An operation without ``accesso`` (the API's default) accepts only the session: a new operation
is closed to tokens until it names the permission it needs. Either way the view gets a
:class:`Chiamante` in ``request.auth`` and reads through it (:meth:`Chiamante.visibili`,
:meth:`Chiamante.accedi`): 404 for another ente's rows as for missing ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.security import HttpBearer, SessionAuth

from equo.web.accounts.models import Utente
from equo.web.api.actions import segna_uso
from equo.web.api.models import PREFISSO_TOKEN, TokenApi, TokenPersonale, impronta_di
from equo.web.api.token_personali import segna_richiesta, token_personale_da_segreto
from equo.web.enti.attivo import ente_attivo
from equo.web.enti.models import Ente, Ruolo
from equo.web.enti.scoping import TenantQuerySet, access_for_user, enti_visibili

__all__ = [
    "Chiamante",
    "SessioneAuth",
    "TokenApiAuth",
    "TokenPersonaleAuth",
    "accesso",
    "accesso_personale",
    "chiamante_di",
    "documentazione_protetta",
    "token_da_segreto",
]

_M = TypeVar("_M", bound=models.Model)

MESSAGGIO_TOKEN_NON_VALIDO = "Token non valido, scaduto o revocato."  # noqa: S105
#: Why an integrator's token is refused on the cartella (a message, not a secret).
MESSAGGIO_SERVE_TOKEN_PERSONALE = (
    "La cartella sociale è riservata a chi segue il caso: un token dell'ente non vi dà "  # noqa: S105
    "accesso. Usa la sessione web o un token personale (equop_…), creato dall'operatore "
    "nella pagina «I miei token personali»."
)


@dataclass(frozen=True)
class Chiamante:
    """The user the request acts as, and the token it came with (both ``None``: the session).

    ``token`` is an integrator's token (reads limited to its ente); ``token_personale`` an
    operator's own token, which acts exactly as the operator's session."""

    utente: Utente
    token: TokenApi | None = None
    token_personale: TokenPersonale | None = None

    def _base(self, modello: type[_M] | TenantQuerySet[_M]) -> TenantQuerySet[_M]:
        if isinstance(modello, TenantQuerySet):
            queryset = modello
        else:
            queryset = modello._default_manager.get_queryset()  # type: ignore[assignment]
        if self.token is not None:
            # A token reads its own ente only (not the enti under it).
            queryset = queryset.filter(ente_id=self.token.ente_id)
        return queryset

    def visibili(
        self, modello: type[_M] | TenantQuerySet[_M], *, ruoli: frozenset[Ruolo]
    ) -> TenantQuerySet[_M]:
        """The rows the caller may read (scoped like the web pages)."""
        return self._base(modello).per_utente(self.utente, ruoli=ruoli)

    def accedi(
        self, modello: type[_M] | TenantQuerySet[_M], pk: object, *, ruoli: frozenset[Ruolo]
    ) -> _M:
        """One row the caller may read; ``Http404`` if missing or of another ente."""
        return access_for_user(self._base(modello), self.utente, pk, ruoli=ruoli)

    def verifica(self, permesso: str, oggetto: models.Model | None = None) -> None:
        """``PermissionDenied`` (403) unless the caller holds ``permesso`` (on ``oggetto``)."""
        if not self.utente.has_perm(permesso, oggetto):
            raise PermissionDenied

    def ente_per_scrivere(self, request: HttpRequest, ruoli: frozenset[Ruolo]) -> Ente:
        """Where new rows go: the token's ente, or the session's active ente (403 if the caller
        may not write there)."""
        ente = self.token.ente if self.token is not None else ente_attivo(request)
        if ente is None or not enti_visibili(self.utente, ruoli=ruoli).filter(pk=ente.pk).exists():
            raise PermissionDenied
        return ente


def chiamante_di(request: HttpRequest) -> Chiamante:
    """The caller of an operation (set by the authentication classes below)."""
    chiamante = getattr(request, "auth", None)
    if not isinstance(chiamante, Chiamante):
        raise PermissionDenied
    return chiamante


def token_da_segreto(segreto: str) -> TokenApi | None:
    """The valid token with this secret, or ``None`` (unknown, revoked, expired, ente off)."""
    if not segreto.startswith(PREFISSO_TOKEN) or len(segreto) > 200:
        return None
    # Authentication acts for nobody yet: it is how the caller is found.
    token = (
        TokenApi.objects.senza_scope()
        .select_related("ente", "utente_tecnico")
        .filter(impronta=impronta_di(segreto))
        .first()
    )
    if (
        token is None
        or not token.valido()
        or not token.ente.attivo
        or not token.utente_tecnico.is_active
    ):
        return None
    return token


class TokenApiAuth(HttpBearer):
    """``Authorization: Bearer equo_…``: a valid token that grants ``permesso``."""

    def __init__(self, permesso: str) -> None:
        super().__init__()
        self.permesso = permesso

    def authenticate(self, request: HttpRequest, token: str) -> Chiamante:
        trovato = token_da_segreto(token.strip())
        if trovato is None:
            raise AuthenticationError(401, MESSAGGIO_TOKEN_NON_VALIDO)
        if not trovato.concede(self.permesso):
            raise AuthorizationError(403, f"Il token non ha il permesso «{self.permesso}».")
        segna_uso(trovato)
        request.user = trovato.utente_tecnico
        return Chiamante(trovato.utente_tecnico, trovato)


class TokenPersonaleAuth(HttpBearer):
    """``Authorization: Bearer equop_…``: a valid personal token that grants ``permesso``,
    whose owner still holds ``permesso_django`` (the cartella); the request acts as the owner.

    An integrator's token (``equo_…``) that is otherwise valid gets 403 with
    :data:`MESSAGGIO_SERVE_TOKEN_PERSONALE`: need-to-know is personal."""

    def __init__(self, permesso: str, permesso_django: str) -> None:
        super().__init__()
        self.permesso = permesso
        self.permesso_django = permesso_django

    def authenticate(self, request: HttpRequest, token: str) -> Chiamante:
        segreto = token.strip()
        trovato = token_personale_da_segreto(segreto)
        if trovato is None:
            if token_da_segreto(segreto) is not None:
                raise AuthorizationError(403, MESSAGGIO_SERVE_TOKEN_PERSONALE)
            raise AuthenticationError(401, MESSAGGIO_TOKEN_NON_VALIDO)
        if not trovato.concede(self.permesso):
            raise AuthorizationError(403, f"Il token non ha il permesso «{self.permesso}».")
        utente = trovato.utente
        if not utente.has_perm(self.permesso_django):
            raise AuthorizationError(
                403, "Il titolare del token non ha più accesso alla cartella sociale."
            )
        segna_uso(trovato)
        segna_richiesta(trovato)
        request.user = utente
        return Chiamante(utente, token_personale=trovato)


class SessioneAuth(SessionAuth):
    """The web session (CSRF on unsafe methods), with an optional Django permission."""

    def __init__(self, permesso: str | None = None) -> None:
        super().__init__(csrf=True)
        self.permesso = permesso

    def __call__(self, request: HttpRequest) -> Chiamante | None:
        if not request.user.is_authenticated:
            return None  # anonymous: 401, before any CSRF check
        risultato: Chiamante | None = super().__call__(request)
        return risultato

    def _get_key(self, request: HttpRequest) -> str | None:
        try:
            return super()._get_key(request)
        except HttpError:
            raise HttpError(
                403, "Controllo CSRF non superato: invia l'intestazione X-CSRFToken."
            ) from None

    def authenticate(self, request: HttpRequest, key: str | None) -> Chiamante | None:
        utente = request.user
        if not isinstance(utente, Utente) or not utente.is_authenticated:
            return None
        if self.permesso is not None and not utente.has_perm(self.permesso):
            raise AuthorizationError(403, "Permesso negato.")
        return Chiamante(utente)


def accesso(permesso_token: str, permesso_sessione: str) -> list[Any]:
    """The authentication of an operation open to tokens: the token's permission, or the
    session user's Django permission."""
    return [TokenApiAuth(permesso_token), SessioneAuth(permesso_sessione)]


def accesso_personale(permesso_token: str, permesso_sessione: str) -> list[Any]:
    """The authentication of a cartella operation: an operator's personal token with
    ``permesso_token`` (its owner holding ``permesso_sessione``), or the session user's Django
    permission. Integrators' tokens get 403."""
    return [TokenPersonaleAuth(permesso_token, permesso_sessione), SessioneAuth(permesso_sessione)]


def _segreto_bearer(request: HttpRequest) -> str:
    schema, _, segreto = request.headers.get("Authorization", "").partition(" ")
    return segreto.strip() if schema.lower() == "bearer" else ""


def documentazione_protetta(vista: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The docs and the schema: for logged-in users and for any valid token, an integrator's or
    a personal one (programs read the schema with their token); anybody else goes to the login
    page."""

    @wraps(vista)
    def protetta(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        segreto = _segreto_bearer(request)
        if request.user.is_authenticated or (
            segreto and (token_da_segreto(segreto) or token_personale_da_segreto(segreto))
        ):
            return vista(request, *args, **kwargs)
        return redirect_to_login(request.get_full_path())

    protetta.login_required = False  # type: ignore[attr-defined]  # checked above
    return protetta
