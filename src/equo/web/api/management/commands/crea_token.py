"""``python -m equo.web crea_token --ente c_a518 --nome "Protocollo" --permesso persone:leggi``

Creates an integrator's token for one ente (by codice IPA) and prints it once. For the server's
operators: the command acts as "il sistema" in the audit log and may grant any permission (the
web page lets a user grant only what he could do himself).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from equo.web.api.actions import do_crea_token_api
from equo.web.api.models import PermessoApi
from equo.web.enti.models import Ente


class Command(BaseCommand):
    help = "Crea un token API per un ente e lo stampa (una sola volta)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ente", required=True, help="codice IPA dell'ente (es. c_a518)")
        parser.add_argument("--nome", required=True, help="chi lo usa (es. «Protocollo»)")
        parser.add_argument(
            "--permesso",
            action="append",
            required=True,
            choices=PermessoApi.values,
            help="un permesso; ripeti l'opzione per darne più di uno",
        )
        parser.add_argument("--scade-il", help="ultimo giorno di validità, AAAA-MM-GG")

    def handle(self, *args: Any, **opzioni: Any) -> None:
        ente = Ente.objects.filter(codice_ipa=opzioni["ente"], attivo=True).first()
        if ente is None:
            raise CommandError(f"Nessun ente attivo con codice IPA {opzioni['ente']!r}.")
        scade_il = None
        if opzioni["scade_il"]:
            try:
                giorno = dt.date.fromisoformat(opzioni["scade_il"])
            except ValueError:
                raise CommandError("--scade-il: usa il formato AAAA-MM-GG.") from None
            scade_il = timezone.make_aware(dt.datetime.combine(giorno, dt.time.max))
        try:
            token, segreto = do_crea_token_api(
                ente=ente,
                nome=opzioni["nome"],
                permessi=opzioni["permesso"],
                scade_il=scade_il,
                acting_user=None,
            )
        except ValidationError as errore:
            messaggi = "; ".join(f"{c}: {' '.join(m)}" for c, m in errore.message_dict.items())
            raise CommandError(messaggi) from None
        self.stderr.write(
            f"Token «{token.nome}» (id {token.pk}) per {ente.nome}, permessi "
            f"{', '.join(token.permessi)}. Copialo ora: non sarà più mostrato."
        )
        self.stdout.write(segreto)
