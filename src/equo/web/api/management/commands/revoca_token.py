"""``python -m equo.web revoca_token ID``: revoke an integrator's token at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from equo.web.api.actions import do_revoca_token_api
from equo.web.api.models import TokenApi


class Command(BaseCommand):
    help = "Revoca un token API (per id, come nella pagina Token API)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", type=int)

    def handle(self, *args: Any, **opzioni: Any) -> None:
        # A command acts for nobody: it sees every ente's tokens.
        token = TokenApi.objects.senza_scope().filter(pk=opzioni["id"]).first()
        if token is None:
            raise CommandError(f"Nessun token con id {opzioni['id']}.")
        if token.revocato_il is not None:
            self.stdout.write(f"Il token «{token.nome}» era già revocato.")
            return
        do_revoca_token_api(token, acting_user=None)
        self.stdout.write(f"Token «{token.nome}» revocato.")
