"""Search persons by name or codice fiscale, tolerant to accents and typos, on any database.

Design (docs/web/architettura.md, "Anagrafe: search"):

1. **A stored search key.** Each person keeps ``chiave_ricerca``: surname and name, lowercased,
   without accents (``unicodedata``), one space between words, with a space at both ends, and
   the joined form of multi-word surnames and names (``"De Luca"`` → ``" de luca deluca "``).
2. **A prefilter in SQL** that both SQLite and PostgreSQL run the same way (``LIKE``): for each
   word typed, the candidates have a word that *starts* with its first two letters or *ends*
   with its last two or three. A single typo cannot break both ends of a word of four letters or
   more, so "Rosi" still finds "Rossi" and "Tossi" finds it too. Several words must all match
   (AND), which keeps the candidate set small.
3. **Ranking in Python with rapidfuzz**: for each word typed, the best similarity
   (``fuzz.ratio``, 0–100) with a word of the key, a typed prefix counting 95; the mean over
   the typed words is the score; below :data:`SOGLIA` a candidate is dropped.
4. **A codice fiscale** (6 letters and 2 digits at least) is searched on the code instead: the
   candidates share the first or the second half with it, so one wrong character anywhere
   still finds the person; they are ranked by edit distance (at most 2).

The queryset passed in is already scoped (``Persona.objects.per_utente(user)``): the search can
only rank what the user may see.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db.models import Q
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from equo.web.anagrafe.codice_fiscale import normalizza_codice_fiscale
from equo.web.anagrafe.testo import normalizza

if TYPE_CHECKING:
    from equo.web.anagrafe.models import Persona
    from equo.web.enti.scoping import TenantQuerySet

__all__ = ["SOGLIA", "cerca_persone", "chiave_ricerca", "sembra_codice_fiscale"]

#: The lowest score (0–100) of a name result.
SOGLIA = 75.0
#: At most this many candidates are ranked (a query of one or two letters stops here).
MASSIMO_CANDIDATI = 5000
_CODICE = re.compile(r"[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z0-9]{0,8}|[0-9]{11}")


def chiave_ricerca(cognome: str, nome: str) -> str:
    """The stored search key of a person.

    >>> chiave_ricerca("De Luca", "Nicolò")
    ' de luca nicolo deluca '
    """
    parole: list[str] = []
    composte: list[str] = []
    for parte in (cognome, nome):
        pezzi = normalizza(parte).split()
        parole.extend(pezzi)
        if len(pezzi) > 1:
            composte.append("".join(pezzi))
    return " " + " ".join(parole + composte) + " "


def sembra_codice_fiscale(testo: str) -> bool:
    """Whether a query is (the start of) a codice fiscale rather than a name."""
    return bool(_CODICE.fullmatch(normalizza_codice_fiscale(testo)))


def _prefiltro(parola: str) -> Q:
    filtro = Q(chiave_ricerca__contains=" " + parola[:2])
    if len(parola) >= 2:
        fine = parola[-3:] if len(parola) >= 5 else parola[-2:]
        filtro |= Q(chiave_ricerca__contains=fine + " ")
    return filtro


def _somiglianza(parola: str, chiave: str) -> float:
    migliore = 0.0
    for candidata in chiave.split():
        if candidata == parola:
            return 100.0
        punteggio = fuzz.ratio(parola, candidata)
        if candidata.startswith(parola):
            punteggio = max(punteggio, 95.0)
        migliore = max(migliore, punteggio)
    return migliore


def _per_nome(persone: TenantQuerySet[Persona], testo: str) -> list[tuple[float, str, int]]:
    parole = normalizza(testo).split()
    if not parole:
        return []
    filtro = Q()
    for parola in parole:
        filtro &= _prefiltro(parola)
    candidati = persone.filter(filtro).values_list("pk", "chiave_ricerca")[:MASSIMO_CANDIDATI]
    risultati = []
    for pk, chiave in candidati:
        punteggio = sum(_somiglianza(p, chiave) for p in parole) / len(parole)
        if punteggio >= SOGLIA:
            risultati.append((punteggio, chiave, pk))
    return risultati


def _per_codice(persone: TenantQuerySet[Persona], testo: str) -> list[tuple[float, str, int]]:
    codice = normalizza_codice_fiscale(testo)
    filtro = Q(codice_fiscale__startswith=codice[:8])
    if len(codice) >= 16:
        filtro |= Q(codice_fiscale__endswith=codice[8:])
    candidati = persone.filter(filtro).values_list("pk", "codice_fiscale")[:MASSIMO_CANDIDATI]
    risultati = []
    for pk, trovato in candidati:
        distanza = Levenshtein.distance(codice, trovato[: len(codice)])
        if distanza <= (2 if len(codice) >= 16 else 1):
            risultati.append((100.0 - 10 * distanza, trovato, pk))
    return risultati


def cerca_persone(
    persone: TenantQuerySet[Persona], testo: str, *, limite: int = 50
) -> list[Persona]:
    """The persons of ``persone`` matching ``testo``, best first (two queries)."""
    testo = testo.strip()
    if not testo:
        return []
    trovati = (
        _per_codice(persone, testo) if sembra_codice_fiscale(testo) else _per_nome(persone, testo)
    )
    trovati.sort(key=lambda t: (-t[0], t[1], t[2]))
    scelti = [pk for _, _, pk in trovati[:limite]]
    if not scelti:
        return []
    per_pk = persone.in_bulk(scelti)
    return [per_pk[pk] for pk in scelti if pk in per_pk]
