"""Text normalisation shared by the search and the place tables (standard library only)."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalizza"]

_NON_PAROLA = re.compile(r"[\W_]+")


def normalizza(testo: str) -> str:
    """Lowercase, without accents, words separated by one space.

    >>> normalizza("  Nicolò D'Àngelo-Bianchi ")
    'nicolo d angelo bianchi'
    """
    scomposto = unicodedata.normalize("NFKD", testo.casefold())
    senza_accenti = "".join(c for c in scomposto if not unicodedata.combining(c))
    return " ".join(_NON_PAROLA.sub(" ", senza_accenti).split())
