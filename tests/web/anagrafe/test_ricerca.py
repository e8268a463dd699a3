"""Search by name or codice fiscale: accents, typos, one wrong character, scoping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Persona
from equo.web.anagrafe.ricerca import cerca_persone, chiave_ricerca, sembra_codice_fiscale
from tests.web.anagrafe.fabbrica import nuova_persona
from tests.web.conftest import Enti

pytestmark = pytest.mark.django_db


@pytest.fixture
def persone(enti: Enti) -> dict[str, Persona]:
    a = enti.comune_a
    return {
        "nicolo": nuova_persona(a, cognome="Rossi", nome="Nicolò", sesso="M"),
        "mario": nuova_persona(a, cognome="Rossi", nome="Mario", sesso="M"),
        "russo": nuova_persona(a, cognome="Russo", nome="Maria", nascita=dt.date(1970, 1, 2)),
        "dangelo": nuova_persona(a, cognome="D'Angelo", nome="Giulia"),
        "deluca": nuova_persona(a, cognome="De Luca", nome="Luca", sesso="M"),
        # Same name, another ente: never found by Anna.
        "fuori": nuova_persona(enti.comune_b, cognome="Rossi", nome="Nicolò", sesso="M"),
    }


def _cerca(utente: Utente, testo: str) -> list[Persona]:
    return cerca_persone(Persona.objects.per_utente(utente), testo)


def test_the_search_key_is_unaccented_lowercase_with_joined_compound_names() -> None:
    assert chiave_ricerca("D'Angelo", "Nicolò") == " d angelo nicolo dangelo "


def test_accents_do_not_matter(anna: Utente, persone: dict[str, Persona]) -> None:
    assert _cerca(anna, "nicolo") == [persone["nicolo"]]
    assert _cerca(anna, "NICOLÒ ROSSI")[0] == persone["nicolo"]


def test_a_missing_letter_still_finds_the_surname(
    anna: Utente, persone: dict[str, Persona]
) -> None:
    trovate = _cerca(anna, "Rosi")
    assert set(trovate) == {persone["nicolo"], persone["mario"]}


def test_a_wrong_first_letter_still_finds_the_surname(
    anna: Utente, persone: dict[str, Persona]
) -> None:
    assert persone["mario"] in _cerca(anna, "Tossi Mario")


def test_words_in_any_order_and_the_best_match_first(
    anna: Utente, persone: dict[str, Persona]
) -> None:
    assert _cerca(anna, "mario rossi")[0] == persone["mario"]
    assert _cerca(anna, "rossi mario")[0] == persone["mario"]


def test_a_typed_prefix_finds_while_typing(anna: Utente, persone: dict[str, Persona]) -> None:
    assert persone["russo"] in _cerca(anna, "rus")


def test_compound_surnames_are_found_with_or_without_the_space(
    anna: Utente, persone: dict[str, Persona]
) -> None:
    assert _cerca(anna, "dangelo") == [persone["dangelo"]]
    assert _cerca(anna, "d'angelo") == [persone["dangelo"]]
    assert persone["deluca"] in _cerca(anna, "deluca")


def test_a_codice_fiscale_with_one_wrong_character_is_found(
    anna: Utente, persone: dict[str, Persona]
) -> None:
    codice = persone["russo"].codice_fiscale
    for posizione in (2, 9, 13):
        sbagliato = codice[:posizione] + ("X" if codice[posizione] != "X" else "Y")
        sbagliato += codice[posizione + 1 :]
        assert sembra_codice_fiscale(sbagliato)
        assert _cerca(anna, sbagliato) == [persone["russo"]], sbagliato
    assert _cerca(anna, codice.lower()) == [persone["russo"]]
    assert _cerca(anna, codice[:9]) == [persone["russo"]]


def test_an_unrelated_codice_fiscale_finds_nobody(
    anna: Utente, persone: dict[str, Persona]
) -> None:
    assert _cerca(anna, "BNCGNN60A01F205X") == []


def test_another_entes_persons_are_never_ranked(
    anna: Utente, carla: Utente, persone: dict[str, Persona]
) -> None:
    assert persone["fuori"] not in _cerca(anna, "nicolo rossi")
    assert persone["fuori"] not in _cerca(anna, persone["fuori"].codice_fiscale)
    assert _cerca(carla, "rossi") == [persone["fuori"]]


def test_a_search_costs_two_queries(
    anna: Utente,
    persone: dict[str, Persona],
    django_assert_num_queries: Callable[[int], object],
) -> None:
    with django_assert_num_queries(2):  # type: ignore[operator]
        assert _cerca(anna, "rossi")
