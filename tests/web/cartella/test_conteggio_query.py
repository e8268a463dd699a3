"""Query counts pinned: the case page, the API case list and the person's timeline do not grow
with the number of objectives, interventi, erogazioni, diario entries, équipe members or cases
(the permissions are computed once per request and in bulk for lists)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Persona
from equo.web.cartella import actions
from equo.web.cartella.models import Caso, Erogazione, Intervento, Progetto
from equo.web.enti.models import Ruolo
from tests.web.cartella import fabbrica
from tests.web.conftest import Enti, crea_persona

pytestmark = pytest.mark.django_db

ClientDi = Callable[[Utente], Client]

#: Queries of the case page for the case manager, in valutazione: session and user (2), the
#: case and the permissions (4), the sections (15), the guards of the possible transitions (9,
#: see flusso.py), the progetto's template tag (2), the menu and the base template (5), the
#: audit row (1) and the session (3).
QUERY_PAGINA_CASO = 40
#: Queries of GET /api/v1/casi/: session, user and API permission (5), the active-incarico
#: check of the équipe rule (1), the page (1), the count (1), the permissions of the page's
#: cases (2), the session (1). Not one more per case.
QUERY_API_CASI = 11


def _conta(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as catturate:
        assert client.get(url).status_code == 200
    return len(catturate)


def _arricchisci(caso: Caso, anna: Utente, enti: Enti, n: int) -> None:
    """Add ``n`` objectives, interventi, erogazioni, diario entries and équipe members."""
    progetto = Progetto.objects.senza_scope().filter(caso=caso).get()
    for i in range(n):
        obiettivo = actions.do_aggiungi_obiettivo(
            progetto,
            dati={
                "descrizione": f"Obiettivo {i}",
                "risultato_atteso": "Atteso",
                "indicatore": "Indicatore",
                "scadenza": fabbrica.INIZIO + dt.timedelta(days=90),
            },
            acting_user=anna,
        )
        actions.do_aggiungi_intervento(
            progetto,
            dati={
                "codice_siuss": "A1.05.01",
                "obiettivo": obiettivo,
                "erogatore": "Comune",
                "inizio": fabbrica.INIZIO,
            },
            acting_user=anna,
        )
        fabbrica.voce(caso, anna, riservata=bool(i % 2))
        actions.do_aggiungi_membro_equipe(
            caso,
            dati={
                "utente": crea_persona(f"membro{i}", enti.comune_a2, Ruolo.EDUCATORE),
                "servizio": "Servizio",
                "ruolo": "scuola",
            },
            acting_user=anna,
        )
    for intervento in Intervento.objects.senza_scope().filter(progetto=progetto):
        Erogazione.objects.create(
            ente_id=caso.ente_id,
            intervento=intervento,
            dal=fabbrica.INIZIO,
            al=fabbrica.INIZIO,
            ore=Decimal(2),
        )


def test_the_case_page_runs_a_fixed_number_of_queries(
    caso_di_anna: Caso,
    anna: Utente,
    enti: Enti,
    client_di: ClientDi,
    django_assert_num_queries: Any,
) -> None:
    client = client_di(anna)
    url = reverse("cartella:caso", kwargs={"pk": caso_di_anna.pk})
    client.get(url)  # warm the session
    prima = _conta(client, url)
    _arricchisci(caso_di_anna, anna, enti, 4)
    assert _conta(client, url) == prima
    with django_assert_num_queries(QUERY_PAGINA_CASO):
        client.get(url)


def test_the_api_case_list_runs_a_fixed_number_of_queries(
    enti: Enti,
    anna: Utente,
    client_di: ClientDi,
    django_assert_num_queries: Any,
) -> None:
    from tests.web.anagrafe.fabbrica import nuova_persona

    client = client_di(anna)
    url = reverse("api:casi")
    client.get(url)
    vuota = _conta(client, url)
    for i in range(6):
        persona = nuova_persona(enti.comune_a, nascita=dt.date(1980, 1, 1 + i))
        fabbrica.nuovo_caso(enti.comune_a, anna, persona)
    una = _conta(client, url + "?limit=2")
    assert _conta(client, url) == una
    assert una >= vuota
    with django_assert_num_queries(QUERY_API_CASI):
        dati = client.get(url).json()
    assert dati["totale"] == 6
    assert {r["ruolo"] for r in dati["risultati"]} == {"case_manager"}


def test_the_api_case_list_paginates_the_readable_cases_only(
    enti: Enti,
    anna: Utente,
    marco: Utente,
    franco: Utente,
    dora: Utente,
    sara: Utente,
    client_di: ClientDi,
) -> None:
    """The list (paginated in the database) holds exactly the cases whose section «caso» the
    caller reads, with the same rules as the case page."""
    from equo.web.cartella.permessi import Sezione, sezioni_caso
    from tests.web.anagrafe.fabbrica import nuova_persona

    casi = []
    for i, cm in enumerate((anna, anna, marco)):
        persona = nuova_persona(enti.comune_a, nascita=dt.date(1970, 1, 1 + i))
        casi.append(fabbrica.nuovo_caso(enti.comune_a, cm, persona))
    actions.do_aggiungi_membro_equipe(
        casi[0],
        dati={"utente": sara, "servizio": "ASL", "ruolo": "sanitario"},
        acting_user=anna,
    )
    assert client_di(dora).get(reverse("api:casi")).status_code == 403  # no cartella work
    quanti = {anna: 2, marco: 1, franco: 3, sara: 1}
    for utente in (anna, marco, franco, sara):
        attesi = [c.pk for c in casi if Sezione.CASO in sezioni_caso(utente, c)]
        assert len(attesi) == quanti[utente], utente
        visti: list[int] = []
        offset = 0
        while True:
            risposta = client_di(utente).get(reverse("api:casi"), {"limit": 1, "offset": offset})
            assert risposta.status_code == 200, utente
            dati = risposta.json()
            assert dati["totale"] == len(attesi), utente
            if not dati["risultati"]:
                break
            visti += [r["id"] for r in dati["risultati"]]
            offset += 1
        assert sorted(visti) == sorted(attesi), utente


def test_the_timeline_does_not_grow_with_the_cases(
    enti: Enti,
    anna: Utente,
    persona_di_anna: Persona,
    client_di: ClientDi,
) -> None:
    client = client_di(anna)
    url = reverse("cartella:cronologia", kwargs={"pk": persona_di_anna.pk})
    fabbrica.nuovo_caso(enti.comune_a, anna, persona_di_anna)
    client.get(url)
    una = _conta(client, url)
    for _ in range(3):
        fabbrica.nuovo_caso(enti.comune_a, anna, persona_di_anna)
    assert _conta(client, url) == una
