"""Checks on a person's codice fiscale: valid (python-stdnum) and consistent with the person.

A codice fiscale of 16 characters encodes the birth date (two digits of the year, month letter,
day, + 40 for women), the sex and the Belfiore code of the place of birth (DM 23-12-1976). When
two people would get the same code, the Agenzia delle Entrate replaces digits with letters
(*omocodia*: 0-9 → L M N P Q R S T U V); the checks read the code through that substitution.
An 11-digit code is a *provisional* codice fiscale: valid, but it encodes nothing to compare.

The messages are Italian and name the field to correct; they go next to that field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.exceptions import ValidationError as ErroreStdnum
from stdnum.it import codicefiscale

__all__ = [
    "DatiDelCodice",
    "dati_del_codice",
    "errore_codice_fiscale",
    "incoerenze",
    "normalizza_codice_fiscale",
    "provvisorio",
]

_OMOCODIA = str.maketrans("LMNPQRSTUV", "0123456789")
_MESI = "ABCDEHLMPRST"


def normalizza_codice_fiscale(valore: str) -> str:
    """Uppercase, without spaces or separators."""
    return str(codicefiscale.compact(valore))


def provvisorio(codice: str) -> bool:
    """An 11-digit provisional codice fiscale (it encodes no personal data)."""
    return len(codice) == 11 and codice.isdigit()


def errore_codice_fiscale(codice: str) -> str | None:
    """Why ``codice`` (already normalised) is not a valid codice fiscale, or ``None``."""
    try:
        codicefiscale.validate(codice)
    except InvalidLength:
        return _("Il codice fiscale ha 16 caratteri (11 cifre se provvisorio).")
    except InvalidChecksum:
        return _(
            "Il codice fiscale non è valido: l'ultimo carattere (di controllo) non corrisponde "
            "agli altri. Controlla che non ci siano errori di battitura."
        )
    except ErroreStdnum:
        return _(
            "Il codice fiscale non è scritto correttamente (6 lettere, 2 cifre, 1 lettera, "
            "2 cifre, 1 lettera, 3 cifre, 1 lettera)."
        )
    return None


@dataclass(frozen=True)
class DatiDelCodice:
    """What a 16-character codice fiscale encodes."""

    anno: int  # the last two digits only
    mese: int
    giorno: int
    sesso: str  # "M" or "F"
    belfiore: str


def dati_del_codice(codice: str) -> DatiDelCodice | None:
    """The birth data encoded in a valid codice fiscale (``None`` for a provisional one)."""
    if len(codice) != 16:
        return None
    giorno = int(codice[9:11].translate(_OMOCODIA))
    return DatiDelCodice(
        anno=int(codice[6:8].translate(_OMOCODIA)),
        mese=_MESI.index(codice[8]) + 1,
        giorno=giorno % 40,
        sesso="F" if giorno > 40 else "M",
        belfiore=codice[11] + codice[12:15].translate(_OMOCODIA),
    )


def incoerenze(
    codice: str,
    *,
    data_nascita: dt.date | None,
    sesso: str | None,
    belfiore: str | None,
    luogo_nel_codice: str | None = None,
) -> dict[str, str]:
    """Field → message for each piece of data that contradicts a valid ``codice``.

    Keys: ``data_nascita``, ``sesso``, ``luogo_nascita``. ``belfiore`` is the code of the place
    of birth given for the person (``None``: not given, nothing to compare);
    ``luogo_nel_codice`` is the name of the place the code points at, for the message.
    """
    dati = dati_del_codice(codice)
    if dati is None:
        return {}
    errori: dict[str, str] = {}
    if data_nascita is not None and (
        (data_nascita.year % 100, data_nascita.month, data_nascita.day)
        != (dati.anno, dati.mese, dati.giorno)
    ):
        errori["data_nascita"] = _(
            "Non corrisponde al codice fiscale, che indica il %(giorno)02d/%(mese)02d/..%(anno)02d."
        ) % {"giorno": dati.giorno, "mese": dati.mese, "anno": dati.anno}
    if sesso and sesso != dati.sesso:
        errori["sesso"] = (
            _("Non corrisponde al codice fiscale, che è di una donna.")
            if dati.sesso == "F"
            else _("Non corrisponde al codice fiscale, che è di un uomo.")
        )
    if belfiore and belfiore.upper() != dati.belfiore:
        errori["luogo_nascita"] = _(
            "Non corrisponde al codice fiscale, che indica come luogo di nascita %(luogo)s."
        ) % {"luogo": f"«{luogo_nel_codice}»" if luogo_nel_codice else dati.belfiore}
    return errori
