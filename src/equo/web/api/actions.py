"""Writes on integrators' tokens: atomic, one audit row each (the secret is never logged).

The callers have checked who may do this (``api.permessi``); the actions check the data.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from equo.web.accounts.models import Utente
from equo.web.api.models import (
    LUNGHEZZA_INIZIO,
    PREFISSO_TOKEN_PERSONALE,
    TokenApi,
    TokenPersonale,
    genera_segreto,
    impronta_di,
)
from equo.web.audit.registro import istantanea, registra_scrittura
from equo.web.enti.models import Ente, Incarico, Ruolo

if TYPE_CHECKING:
    from equo.web.enti.scoping import TenantQuerySet

__all__ = [
    "RUOLO_TECNICO",
    "do_crea_token_api",
    "do_crea_token_personale",
    "do_revoca_token_api",
    "do_revoca_token_personale",
    "segna_uso",
]

#: The incarico of a token's technical user: a role that reads and writes the anagrafe. The
#: token's permissions narrow it: each API operation requires its own permission, so the role
#: is only an upper bound (and the user cannot log in: it has no password).
RUOLO_TECNICO = Ruolo.AMMINISTRATIVO

#: ``ultimo_uso`` is written at most once per this interval (not one write per request).
PRECISIONE_ULTIMO_USO = dt.timedelta(minutes=1)


def _nome_utente(ente: Ente, nome: str) -> str:
    radice = slugify(nome)[:60] or "token"
    return f"api-{ente.pk}-{radice}-{secrets.token_hex(3)}"


@transaction.atomic
def do_crea_token_api(
    *,
    ente: Ente,
    nome: str,
    permessi: Iterable[str],
    scade_il: dt.datetime | None = None,
    acting_user: Utente | None,
) -> tuple[TokenApi, str]:
    """Create a token and its technical user; return it with the secret (shown only now)."""
    segreto = genera_segreto()
    token = TokenApi(
        ente=ente,
        nome=nome.strip(),
        permessi=list(permessi),
        impronta=impronta_di(segreto),
        inizio=segreto[:LUNGHEZZA_INIZIO],
        creato_da=acting_user,
        scade_il=scade_il,
    )
    token.full_clean(exclude=["utente_tecnico"])
    utente = Utente(username=_nome_utente(ente, token.nome), first_name=token.nome[:150])
    utente.set_unusable_password()
    utente.save()
    Incarico.objects.create(utente=utente, ente=ente, ruolo=RUOLO_TECNICO)
    token.utente_tecnico = utente
    token.save()
    registra_scrittura(acting_user, token)
    return token, segreto


@transaction.atomic
def do_revoca_token_api(token: TokenApi, *, acting_user: Utente | None) -> None:
    """Revoke a token at once; its technical user and incarico are deactivated with it."""
    if token.revocato_il is not None:
        return
    prima = istantanea(token)
    token.revocato_il = timezone.now()
    token.save(update_fields=["revocato_il"])
    Utente.objects.filter(pk=token.utente_tecnico_id).update(is_active=False)
    Incarico.objects.filter(utente_id=token.utente_tecnico_id).update(attivo=False)
    registra_scrittura(acting_user, token, prima=prima)


def segna_uso(token: TokenApi | TokenPersonale) -> None:
    """Record when the token was last used (to the minute; not an audited write)."""
    ora = timezone.now()
    if token.ultimo_uso is not None and ora - token.ultimo_uso < PRECISIONE_ULTIMO_USO:
        return
    if isinstance(token, TokenPersonale):
        TokenPersonale.objects.filter(pk=token.pk).update(ultimo_uso=ora)
    else:
        righe: TenantQuerySet[TokenApi] = TokenApi.objects.senza_scope().filter(pk=token.pk)
        righe.update(ultimo_uso=ora)
    token.ultimo_uso = ora


# --- Personal tokens ----------------------------------------------------------------------------


@transaction.atomic
def do_crea_token_personale(
    *,
    nome: str,
    permessi: Iterable[str],
    scade_il: dt.datetime,
    acting_user: Utente,
    ente: Ente | None = None,
) -> tuple[TokenPersonale, str]:
    """Create a personal token of ``acting_user`` (always for themself); return it with the
    secret (shown only now). ``ente``: where the audit row goes (the session's active ente)."""
    segreto = genera_segreto(PREFISSO_TOKEN_PERSONALE)
    token = TokenPersonale(
        utente=acting_user,
        nome=nome.strip(),
        permessi=list(permessi),
        impronta=impronta_di(segreto),
        inizio=segreto[:LUNGHEZZA_INIZIO],
        scade_il=scade_il,
    )
    token.full_clean()
    token.save()
    registra_scrittura(acting_user, token, ente=ente)
    return token, segreto


@transaction.atomic
def do_revoca_token_personale(
    token: TokenPersonale, *, acting_user: Utente, ente: Ente | None = None
) -> None:
    """Revoke a personal token at once (its owner only: the caller checked it)."""
    if token.revocato_il is not None:
        return
    prima = istantanea(token)
    token.revocato_il = timezone.now()
    token.save(update_fields=["revocato_il"])
    registra_scrittura(acting_user, token, prima=prima, ente=ente)
