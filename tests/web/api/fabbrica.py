"""Tokens for the API tests: created through the action, with their secret at hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from equo.web.accounts.models import Utente
from equo.web.api.actions import do_crea_token_api, do_crea_token_personale
from equo.web.api.models import PermessoApi, PermessoPersonale, TokenApi, TokenPersonale
from equo.web.enti.models import Ente

TUTTI = tuple(PermessoApi.values)


@dataclass
class TokenDiProva:
    token: TokenApi | TokenPersonale
    segreto: str

    @property
    def pk(self) -> int:
        return self.token.pk

    @property
    def intestazioni(self) -> dict[str, str]:
        """Keyword arguments of Django's test client: the Authorization header."""
        return {"HTTP_AUTHORIZATION": f"Bearer {self.segreto}"}


def nuovo_token(
    ente: Ente,
    *permessi: str,
    nome: str = "Gestionale di prova",
    scade_il: dt.datetime | None = None,
) -> TokenDiProva:
    token, segreto = do_crea_token_api(
        ente=ente,
        nome=nome,
        permessi=permessi or TUTTI,
        scade_il=scade_il,
        acting_user=None,
    )
    return TokenDiProva(token, segreto)


def nuovo_token_personale(
    utente: Utente,
    *permessi: str,
    nome: str = "App visite",
    scade_il: dt.datetime | None = None,
) -> TokenDiProva:
    """A personal token of ``utente`` (by default both permissions, valid 30 days)."""
    token, segreto = do_crea_token_personale(
        nome=nome,
        permessi=permessi or tuple(PermessoPersonale.values),
        scade_il=scade_il or timezone.now() + dt.timedelta(days=30),
        acting_user=utente,
    )
    return TokenDiProva(token, segreto)
