"""The home page per role: search and recent persons, counts, aggregated figures only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Membro, Persona
from equo.web.enti.models import Ruolo
from tests.web.anagrafe.fabbrica import nuova_persona
from tests.web.conftest import Enti, crea_persona

pytestmark = pytest.mark.django_db

ClientDi = Callable[[Utente], Client]


def test_a_social_worker_finds_the_search_and_the_persons_she_opened(
    anna: Utente, persona_di_anna: Persona, client_di: ClientDi
) -> None:
    client = client_di(anna)
    home = client.get("/").content.decode()
    assert 'id="home-ricerca-persone"' in home and "Nessuna persona consultata" in home
    client.get(f"/anagrafe/persone/{persona_di_anna.pk}/")
    home = client.get("/").content.decode()
    assert f'href="/anagrafe/persone/{persona_di_anna.pk}/"' in home
    assert 'href="/anagrafe/persone/nuova/"' in home


def test_an_amministrativo_sees_how_many_persons_and_nuclei(
    bruno: Utente, membro_di_anna: Membro, client_di: ClientDi
) -> None:
    home = client_di(bruno).get("/").content.decode()
    assert "Una persona" in home and "un nucleo" in home


def test_an_analyst_sees_aggregated_counts_and_no_person(enti: Enti, client_di: ClientDi) -> None:
    for numero in range(6):
        nuova_persona(enti.comune_a, nascita=dt.date(1950, 1, 1) + dt.timedelta(days=numero))
    bambino = nuova_persona(enti.comune_a2, nome="Luca", sesso="M", nascita=dt.date(2020, 5, 1))
    analista = crea_persona("giulia", enti.unione, Ruolo.ANALISTA)
    home = client_di(analista).get("/").content.decode()
    assert "dati aggregati" in home
    riga = '<th scope="row">Comune di Avigliana</th><td>6</td><td>0</td><td>0</td><td>6</td>'
    assert riga in home
    assert "meno di 5" in home  # Almese's single child is not shown as "1"
    assert bambino.codice_fiscale not in home and "Rossi" not in home
    assert 'id="home-ricerca-persone"' not in home


def test_an_auditor_and_a_system_administrator_get_their_links_and_no_anagrafe(
    dora: Utente, ettore: Utente, persona_di_anna: Persona, client_di: ClientDi
) -> None:
    di_dora = client_di(dora).get("/").content.decode()
    assert 'href="/audit/"' in di_dora and "riquadro-anagrafe" not in di_dora
    di_ettore = client_di(ettore).get("/").content.decode()
    assert 'href="/admin/"' in di_ettore and "riquadro-anagrafe" not in di_ettore
    assert "Persone</span>" not in di_dora
