"""Build syntactically valid codici fiscali for synthetic people.

The code follows the DM 23-12-1976 algorithm (surname, name, birth date and sex, Belfiore code
of the place of birth, check character computed by python-stdnum), so it passes every validity
check without belonging to anybody real: the names are invented.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from stdnum.it import codicefiscale

__all__ = ["codice_fiscale_sintetico"]

_MONTHS = "ABCDEHLMPRST"
_VOWELS = set("AEIOU")


def _letters(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.upper() if ch.isalpha())


def _surname_code(surname: str) -> str:
    letters = _letters(surname)
    consonants = [ch for ch in letters if ch not in _VOWELS]
    vowels = [ch for ch in letters if ch in _VOWELS]
    return "".join(consonants + vowels + ["X", "X", "X"])[:3]


def _name_code(name: str) -> str:
    letters = _letters(name)
    consonants = [ch for ch in letters if ch not in _VOWELS]
    if len(consonants) >= 4:
        return consonants[0] + consonants[2] + consonants[3]
    vowels = [ch for ch in letters if ch in _VOWELS]
    return "".join(consonants + vowels + ["X", "X", "X"])[:3]


def codice_fiscale_sintetico(
    cognome: str, nome: str, data_nascita: dt.date, sesso: str, belfiore: str = "H501"
) -> str:
    """A valid codice fiscale for an invented person (``sesso`` is "M" or "F").

    >>> codice_fiscale_sintetico("Rossi", "Maria", dt.date(1980, 3, 15), "F")
    'RSSMRA80C55H501Q'
    """
    day = data_nascita.day + (40 if sesso == "F" else 0)
    body = (
        f"{_surname_code(cognome)}{_name_code(nome)}{data_nascita.year % 100:02d}"
        f"{_MONTHS[data_nascita.month - 1]}{day:02d}{belfiore.upper()}"
    )
    return body + str(codicefiscale.calc_check_digit(body))
