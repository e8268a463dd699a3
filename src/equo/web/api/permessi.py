"""Who manages integrators' tokens, and which permissions each creator may grant.

- Tokens of an ente are managed (listed, created, revoked) by its **responsabile di servizio**
  or **amministratore di sistema** (``api.gestisci_token``; a role in an Unione covers its
  Comuni, as everywhere).
- **A token never gets more than its creator could do**: ``persone:leggi`` and ``nuclei:leggi``
  need a role that reads the anagrafe in that ente, ``*:scrivi`` one that writes it. An
  amministratore di sistema without such a role manages tokens but cannot grant access to
  personal data (the anagrafe is not his business, as in the admin). The command line
  (``python -m equo.web crea_token``) is for the server's operators and grants anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rules.permissions import add_perm

from equo.web.anagrafe.permessi import RUOLI_LETTURA, RUOLI_SCRITTURA
from equo.web.api.models import PermessoApi, TokenApi
from equo.web.enti.models import Ente, Ruolo
from equo.web.enti.permessi import ha_ruolo
from equo.web.enti.scoping import access_for_user, enti_visibili

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from equo.web.accounts.models import Utente

__all__ = [
    "GESTISCI_TOKEN",
    "RUOLI_GESTIONE_TOKEN",
    "RUOLI_PER_PERMESSO",
    "access_token_for_user",
    "enti_per_token",
    "permessi_concedibili",
]

GESTISCI_TOKEN = "api.gestisci_token"  # noqa: S105  (a permission name)
RUOLI_GESTIONE_TOKEN = frozenset({Ruolo.RESPONSABILE_SERVIZIO, Ruolo.AMMINISTRATORE_SISTEMA})

#: The roles a creator needs (in the token's ente) to grant each permission.
RUOLI_PER_PERMESSO: dict[str, frozenset[Ruolo]] = {
    PermessoApi.PERSONE_LEGGI: RUOLI_LETTURA,
    PermessoApi.NUCLEI_LEGGI: RUOLI_LETTURA,
    PermessoApi.PERSONE_SCRIVI: RUOLI_SCRITTURA,
    PermessoApi.NUCLEI_SCRIVI: RUOLI_SCRITTURA,
}

add_perm(GESTISCI_TOKEN, ha_ruolo(*sorted(RUOLI_GESTIONE_TOKEN)))


def enti_per_token(utente: Utente) -> QuerySet[Ente]:
    """The enti whose tokens ``utente`` manages."""
    return enti_visibili(utente, ruoli=RUOLI_GESTIONE_TOKEN).order_by("nome")


def permessi_concedibili(utente: Utente, ente: Ente) -> set[str]:
    """The permissions ``utente`` may put in a token of ``ente`` (none outside his enti)."""
    if not enti_per_token(utente).filter(pk=ente.pk).exists():
        return set()
    return {
        permesso
        for permesso, ruoli in RUOLI_PER_PERMESSO.items()
        if enti_visibili(utente, ruoli=ruoli).filter(pk=ente.pk).exists()
    }


def access_token_for_user(utente: Utente, pk: object) -> TokenApi:
    return access_for_user(TokenApi, utente, pk, ruoli=RUOLI_GESTIONE_TOKEN)
