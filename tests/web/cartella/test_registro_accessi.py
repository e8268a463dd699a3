"""The registro degli accessi: who may open it, what each filter keeps, paging, links to the
accesso page, and a number of queries that does not grow with the rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Persona
from equo.web.cartella import actions
from equo.web.cartella.models import Accesso, AreaUtenza, Canale, EsitoAccesso
from equo.web.cartella.views.registro_accessi import PER_PAGINA
from tests.web.anagrafe.fabbrica import nuova_persona
from tests.web.cartella import fabbrica
from tests.web.conftest import Enti

pytestmark = pytest.mark.django_db

ClientDi = Callable[[Utente], Client]
REGISTRO = reverse("cartella:accessi")


def _registra(ente: Any, operatore: Utente, **campi: Any) -> Accesso:
    dati: dict[str, Any] = {
        "data": fabbrica.INIZIO,
        "canale": Canale.SPORTELLO,
        "richiedente": "L'interessato",
        "bisogno_espresso": "Informazioni.",
        "area": AreaUtenza.FAMIGLIA_MINORI,
        "esito": EsitoAccesso.INFORMAZIONE,
        "nominativo": "Senza anagrafe",
        **campi,
    }
    return actions.do_registra_accesso(ente=ente, dati=dati, acting_user=operatore)


def _numeri(risposta: Any) -> list[int]:
    return [a.pk for a in risposta.context["pagina"].object_list]


@pytest.fixture
def accessi(enti: Enti, anna: Utente, marco: Utente, persona_di_anna: Persona) -> dict[str, Any]:
    con_caso = fabbrica.nuovo_accesso(enti.comune_a, anna, persona_di_anna)
    fabbrica.nuovo_caso(enti.comune_a, anna, persona_di_anna, accesso=con_caso)
    return {
        "con_caso": con_caso,  # 10/01, poverta, sportello, apertura_caso, anna
        "telefono": _registra(
            enti.comune_a,
            marco,
            data=fabbrica.INIZIO - dt.timedelta(days=20),
            canale=Canale.TELEFONO,
            area=AreaUtenza.DISABILITA,
        ),
        "invio": _registra(
            enti.comune_a,
            anna,
            data=fabbrica.INIZIO + dt.timedelta(days=5),
            esito=EsitoAccesso.INVIO,
            servizio_invio="Consultorio",
        ),
    }


@pytest.mark.parametrize(
    ("filtri", "attesi"),
    [
        ({}, ["invio", "con_caso", "telefono"]),
        ({"dal": "2026-01-01"}, ["invio", "con_caso"]),
        ({"al": "2026-01-10"}, ["con_caso", "telefono"]),
        ({"esito": EsitoAccesso.INVIO}, ["invio"]),
        ({"area": AreaUtenza.DISABILITA}, ["telefono"]),
        ({"canale": Canale.TELEFONO}, ["telefono"]),
        ({"caso": "si"}, ["con_caso"]),
        ({"caso": "no"}, ["invio", "telefono"]),
    ],
)
def test_each_filter_keeps_what_it_says(
    anna: Utente,
    accessi: dict[str, Any],
    client_di: ClientDi,
    filtri: dict[str, str],
    attesi: list[str],
) -> None:
    risposta = client_di(anna).get(REGISTRO, filtri)
    assert risposta.status_code == 200
    assert _numeri(risposta) == [accessi[nome].pk for nome in attesi]


def test_the_operator_filter_and_the_row_content(
    anna: Utente, marco: Utente, accessi: dict[str, Any], client_di: ClientDi
) -> None:
    client = client_di(anna)
    assert _numeri(client.get(REGISTRO, {"operatore": marco.pk})) == [accessi["telefono"].pk]
    pagina = client.get(REGISTRO).content.decode()
    url = reverse("cartella:accesso", kwargs={"pk": accessi["telefono"].pk})
    assert f'href="{url}"' in pagina
    assert "Senza anagrafe" in pagina  # the nominativo of an accesso by name
    assert "Disabilità e non autosufficienza" in pagina  # the area's label


def test_a_period_upside_down_is_a_clear_error(
    anna: Utente, accessi: dict[str, Any], client_di: ClientDi
) -> None:
    risposta = client_di(anna).get(REGISTRO, {"dal": "2026-02-01", "al": "2026-01-01"})
    assert risposta.context["filtri"].errors["al"] == [
        "La fine del periodo viene prima dell'inizio."
    ]


def test_only_segretariato_roles_of_the_ente_see_its_accessi(
    anna: Utente,
    bruno: Utente,
    carla: Utente,
    franco: Utente,
    accessi: dict[str, Any],
    client_di: ClientDi,
) -> None:
    assert client_di(bruno).get(REGISTRO).status_code == 403  # amministrativo
    assert _numeri(client_di(carla).get(REGISTRO)) == []  # another ente
    assert len(_numeri(client_di(franco).get(REGISTRO))) == 3  # responsabile above the comune


def test_the_list_is_paged_with_a_fixed_number_of_queries(
    enti: Enti,
    anna: Utente,
    marco: Utente,
    client_di: ClientDi,
    django_assert_num_queries: Any,
) -> None:
    client = client_di(anna)
    persona = nuova_persona(enti.comune_a, cognome="Bianchi")
    _registra(enti.comune_a, anna, persona=persona, nominativo="")
    client.get(REGISTRO)  # warm the session
    with django_assert_num_queries(QUERY_REGISTRO):
        client.get(REGISTRO, {"esito": EsitoAccesso.INFORMAZIONE})
    for numero in range(PER_PAGINA + 5):
        _registra(enti.comune_a, marco if numero % 2 else anna, nominativo=f"Persona {numero}")
    with django_assert_num_queries(QUERY_REGISTRO):
        risposta = client.get(REGISTRO, {"esito": EsitoAccesso.INFORMAZIONE})
    assert len(_numeri(risposta)) == PER_PAGINA
    seconda = client.get(REGISTRO, {"esito": EsitoAccesso.INFORMAZIONE, "pagina": 2})
    assert len(_numeri(seconda)) == 6
    assert "esito=informazione&amp;pagina=1" in seconda.content.decode()


#: Session (read and saved), user, the header's enti and menu permissions, the page's
#: permission, the operators and the configured areas of the filters, the count and the page
#: (persons, operators, area labels and "with a case" in the same query): the same with one
#: accesso or a full page, never one query per row.
QUERY_REGISTRO = 15
