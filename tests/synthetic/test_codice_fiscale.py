"""Synthetic codici fiscali: valid for python-stdnum, and they encode the invented person."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.it import codicefiscale

from equo.synthetic.codice_fiscale import codice_fiscale_sintetico

NAMES = st.text(
    alphabet=st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzàèéìòùÀÈ' -"),
    max_size=20,
)
DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
SEXES = st.sampled_from(["M", "F"])
BELFIORE = st.sampled_from(["H501", "F205", "F839", "L219", "Z112", "A944"])


@given(cognome=NAMES, nome=NAMES, nascita=DATES, sesso=SEXES, belfiore=BELFIORE)
def test_the_code_is_valid_and_encodes_birth_date_sex_and_place(
    cognome: str, nome: str, nascita: dt.date, sesso: str, belfiore: str
) -> None:
    code = codice_fiscale_sintetico(cognome, nome, nascita, sesso, belfiore)
    assert len(code) == 16
    assert codicefiscale.is_valid(code)
    assert codicefiscale.get_birth_date(code, minyear=nascita.year) == nascita
    assert codicefiscale.get_gender(code) == sesso
    assert code[11:15] == belfiore


@given(nascita=DATES, sesso=SEXES)
def test_women_have_40_added_to_the_day(nascita: dt.date, sesso: str) -> None:
    day = int(codice_fiscale_sintetico("Rossi", "Maria", nascita, sesso)[9:11])
    assert day == nascita.day + (40 if sesso == "F" else 0)


def test_it_matches_the_documented_example() -> None:
    assert codice_fiscale_sintetico("Rossi", "Maria", dt.date(1980, 3, 15), "F") == (
        "RSSMRA80C55H501Q"
    )


@pytest.mark.parametrize(
    ("cognome", "expected"),
    [
        ("Rossi", "RSS"),  # three consonants
        ("Bianchi", "BNC"),  # more than three: the first three
        ("Rea", "REA"),  # one consonant, then the vowels in order
        ("Aiello", "LLA"),  # consonants first even when the name starts with a vowel
        ("Lai", "LAI"),
        ("Fo", "FOX"),  # fewer than three letters: padded with X
        ("Po", "POX"),
        ("Oe", "OEX"),  # no consonant at all
        ("D'Angelo", "DNG"),  # apostrophes and spaces are ignored
        ("De Luca", "DLC"),
        ("Niccolò", "NCC"),  # accented letters count as plain ones
    ],
)
def test_the_surname_code_follows_consonants_vowels_and_x(cognome: str, expected: str) -> None:
    assert codice_fiscale_sintetico(cognome, "Maria", dt.date(1980, 1, 1), "F")[0:3] == expected


@pytest.mark.parametrize(
    ("nome", "expected"),
    [
        ("Gianfranco", "GFR"),  # four or more consonants: the first, third and fourth
        ("Francesco", "FNC"),
        ("Niccolò", "NCL"),
        ("Marco", "MRC"),  # exactly three consonants: all of them
        ("Maria", "MRA"),  # fewer: consonants, then vowels
        ("Ugo", "GUO"),
        ("Eva", "VEA"),
        ("Al", "LAX"),  # fewer than three letters: padded with X
        ("Ia", "IAX"),
    ],
)
def test_the_name_code_skips_the_second_consonant_when_there_are_four(
    nome: str, expected: str
) -> None:
    assert codice_fiscale_sintetico("Rossi", nome, dt.date(1980, 1, 1), "M")[3:6] == expected


def test_the_month_letter_and_two_digit_year_follow_the_date() -> None:
    letters = [
        codice_fiscale_sintetico("Rossi", "Mario", dt.date(2001, month, 9), "M")[6:9]
        for month in range(1, 13)
    ]
    assert letters == [f"01{letter}" for letter in "ABCDEHLMPRST"]


def test_the_place_of_birth_is_upper_cased() -> None:
    code = codice_fiscale_sintetico("Rossi", "Mario", dt.date(1990, 5, 5), "M", belfiore="f205")
    assert code[11:15] == "F205"
    assert codicefiscale.is_valid(code)
