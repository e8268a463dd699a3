"""The anagrafe search on one ente of N invented persons (SQLite in memory, or DATABASE_URL).

    .venv/bin/python benchmarks/anagrafe_ricerca.py              # N = 100,000, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/equo_bench \\
        .venv/bin/python benchmarks/anagrafe_ricerca.py --n 100000

With PostgreSQL, give an empty database of its own: the script migrates it and fills it.
Prints, for a few typical queries, how many results and the best of 5 timings of
``equo.web.anagrafe.ricerca.cerca_persone`` (two queries and the rapidfuzz ranking).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="persons in the ente")
    argomenti = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equo.web.settings.test")
    os.environ.setdefault("EQUO_LOG_LIVELLO", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from equo.synthetic.codice_fiscale import codice_fiscale_sintetico
    from equo.web.accounts.models import Utente
    from equo.web.anagrafe.models import Persona
    from equo.web.anagrafe.ricerca import cerca_persone, chiave_ricerca
    from equo.web.enti.models import Ente, Incarico, Ruolo, TipoEnte

    call_command("migrate", verbosity=0)
    ente = Ente.objects.create(
        tipo=TipoEnte.COMUNE, nome="Prova", codice_ipa="c_prova", codice_istat="001272"
    )
    utente = Utente.objects.create(username="prova")
    Incarico.objects.create(utente=utente, ente=ente, ruolo=Ruolo.ASSISTENTE_SOCIALE)
    caso = random.Random(1)
    cognomi = [
        "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
        "Marino", "Greco", "Bruno", "Gallo", "Conti", "Mancini", "Costa", "Giordano", "Rizzo",
        "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso",
        "Ferrara", "Galli", "Martini", "Leone", "Longo", "Gentile", "Vitale", "Serra", "Coppola",
        "De Luca", "De Santis", "D'Angelo", "Lo Russo",
    ]  # fmt: skip
    nomi = [
        "Marco", "Giuseppe", "Luca", "Andrea", "Francesco", "Matteo", "Lorenzo", "Maria",
        "Giulia", "Francesca", "Chiara", "Sara", "Anna", "Elena", "Nicolò", "Martina", "Paolo",
        "Rosa", "Ilaria", "Davide",
    ]  # fmt: skip
    persone: list[Persona] = []
    codici: set[str] = set()
    inizio = time.perf_counter()
    while len(persone) < argomenti.n:
        cognome = caso.choice(cognomi) + caso.choice(["", "", "i", "o", "a", "ini"])
        nome, sesso = caso.choice(nomi), caso.choice("MF")
        nascita = dt.date(1930, 1, 1) + dt.timedelta(days=caso.randint(0, 32_000))
        codice = codice_fiscale_sintetico(cognome, nome, nascita, sesso, "L219")
        if codice in codici:
            continue
        codici.add(codice)
        persone.append(
            Persona(
                ente=ente,
                cognome=cognome,
                nome=nome,
                codice_fiscale=codice,
                sesso=sesso,
                data_nascita=nascita,
                nascita_codice_catastale="L219",
                nascita_luogo="Torino (TO)",
                chiave_ricerca=chiave_ricerca(cognome, nome),
            )
        )
    Persona.objects.bulk_create(persone, batch_size=5000)
    print(
        f"{connection.vendor}: {argomenti.n:,} persons in one ente, loaded in "
        f"{time.perf_counter() - inizio:.1f} s"
    )
    visibili = Persona.objects.per_utente(utente)
    codice = persone[123].codice_fiscale
    sbagliato = codice[:10] + ("X" if codice[10] != "X" else "Y") + codice[11:]
    for testo in ["rosi", "rossi maria", "nicolo de luca", "dangelo giulia", "ma", sbagliato]:
        tempi = []
        for _ in range(5):
            t0 = time.perf_counter()
            trovate = cerca_persone(visibili, testo)
            tempi.append(time.perf_counter() - t0)
        print(f"  {testo!r:22} {len(trovate):3} results  best {min(tempi) * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
