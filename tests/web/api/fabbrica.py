"""Tokens for the API tests: created through the action, with their secret at hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from equo.web.api.actions import do_crea_token_api
from equo.web.api.models import PermessoApi, TokenApi
from equo.web.enti.models import Ente

TUTTI = tuple(PermessoApi.values)


@dataclass
class TokenDiProva:
    token: TokenApi
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
