"""Codice fiscale: valid (python-stdnum) and consistent with birth date, sex and place."""

from __future__ import annotations

import datetime as dt

from stdnum import luhn
from stdnum.it import codicefiscale

from equo.synthetic.codice_fiscale import codice_fiscale_sintetico
from equo.web.anagrafe.codice_fiscale import (
    dati_del_codice,
    errore_codice_fiscale,
    incoerenze,
    normalizza_codice_fiscale,
    provvisorio,
)

MARIA = codice_fiscale_sintetico("Rossi", "Maria", dt.date(1980, 3, 15), "F", "L219")
NASCITA = dt.date(1980, 3, 15)


def _omocodice(codice: str, posizioni: int) -> str:
    """The code with its last ``posizioni`` digits replaced by letters (omocodia)."""
    corpo = list(codice[:15])
    for indice in [14, 13, 12, 10, 9, 7, 6][:posizioni]:
        corpo[indice] = "LMNPQRSTUV"[int(corpo[indice])]
    testo = "".join(corpo)
    return testo + codicefiscale.calc_check_digit(testo)


def test_a_consistent_code_has_nothing_to_say() -> None:
    assert errore_codice_fiscale(MARIA) is None
    assert incoerenze(MARIA, data_nascita=NASCITA, sesso="F", belfiore="L219") == {}


def test_it_reads_spaces_and_lowercase() -> None:
    assert normalizza_codice_fiscale(" rss mra80c55 h501q ") == "RSSMRA80C55H501Q"


def test_each_kind_of_invalid_code_gets_its_italian_message() -> None:
    assert "16 caratteri" in (errore_codice_fiscale("RSSMRA80") or "")
    assert "controllo" in (errore_codice_fiscale(MARIA[:15] + "X") or "")
    assert "scritto correttamente" in (errore_codice_fiscale("RSSMRA8XC55L219Q") or "")


def test_each_inconsistency_names_its_field() -> None:
    errori = incoerenze(
        MARIA,
        data_nascita=dt.date(1980, 3, 16),
        sesso="M",
        belfiore="A518",
        luogo_nel_codice="Torino (TO)",
    )
    assert set(errori) == {"data_nascita", "sesso", "luogo_nascita"}
    assert "15/03/..80" in errori["data_nascita"]
    assert "donna" in errori["sesso"]
    assert "«Torino (TO)»" in errori["luogo_nascita"]


def test_the_century_is_not_checked_only_the_two_digits() -> None:
    # A person born in 1880 and one born in 1980 share the code's year: both are consistent.
    assert "data_nascita" not in incoerenze(
        MARIA, data_nascita=dt.date(1880, 3, 15), sesso="F", belfiore=None
    )


def test_omocodia_codes_are_read_through_the_substitution() -> None:
    for quante in (1, 3, 7):
        omocodice = _omocodice(MARIA, quante)
        assert errore_codice_fiscale(omocodice) is None, omocodice
        dati = dati_del_codice(omocodice)
        assert dati is not None
        assert (dati.anno, dati.mese, dati.giorno, dati.sesso, dati.belfiore) == (
            80,
            3,
            15,
            "F",
            "L219",
        )
        assert incoerenze(omocodice, data_nascita=NASCITA, sesso="F", belfiore="L219") == {}


def test_a_provisional_code_is_valid_and_encodes_nothing() -> None:
    codice = "0123456001" + luhn.calc_check_digit("0123456001")
    assert provvisorio(codice)
    assert errore_codice_fiscale(codice) is None
    assert incoerenze(codice, data_nascita=NASCITA, sesso="M", belfiore="A518") == {}
