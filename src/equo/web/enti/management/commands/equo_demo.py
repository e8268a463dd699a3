"""``python -m equo.web equo_demo``: load the demo data (idempotent; refused in production)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from equo.web.demo import PASSWORD_DEMO, carica_demo, database_vuoto, tabella_account


class Command(BaseCommand):
    help = "Carica i dati dimostrativi (enti, personale per ogni ruolo) se il database è vuoto."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anche-in-produzione",
            action="store_true",
            help="Carica i dati anche con EQUO_ENV=production (solo per un'installazione "
            "di prova).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUZIONE and not options["anche_in_produzione"]:
            raise CommandError(
                "Dati dimostrativi rifiutati in produzione: usa --anche-in-produzione solo su "
                "un'installazione di prova."
            )
        if not database_vuoto():
            self.stdout.write("Il database contiene già dati: nessun dato dimostrativo caricato.")
            return
        carica_demo()
        self.stdout.write(
            f"Dati dimostrativi caricati. Password di tutti gli account: {PASSWORD_DEMO}"
        )
        for username, nome, ruolo, ente in tabella_account():
            self.stdout.write(f"  {username:<8} {nome:<18} {ruolo:<28} {ente}")
