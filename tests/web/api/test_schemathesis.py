"""Schemathesis against the served OpenAPI schema: no generated request gets a 5xx.

The schema is the one ``/api/openapi.json`` serves to a token; the requests go to Equo's WSGI
application in this process, inside the test's transaction (so on SQLite and PostgreSQL alike),
with a valid token of Comune A that holds every permission, over a few persons and a nucleo.
Hypothesis is derandomized with a fixed number of examples per operation: the run is the same
every time and takes seconds.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from equo.web.api.api import api
from tests.web.anagrafe.fabbrica import nuova_persona
from tests.web.api.fabbrica import TokenDiProva
from tests.web.conftest import Enti

ESEMPI_PER_OPERAZIONE = 40


@contextlib.contextmanager
def _connessione_condivisa() -> Iterator[None]:
    """Keep the test's database connection open across the in-process requests, as Django's
    test client does (its handler would close it, with the test's transaction, on PostgreSQL).
    Entered right before the requests: Django's test client reconnects the signals."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def schema_servito(
    db: None,
    enti: Enti,
    token_di_anna: TokenDiProva,
    membro_di_anna: Any,
    contatto_di_anna: Any,
) -> Any:
    nuova_persona(enti.comune_a, cognome="Verdi", nome="Luca", sesso="M")
    nuova_persona(enti.comune_b, cognome="Gallo", nome="Pia")
    servito = Client().get("/api/openapi.json", **token_di_anna.intestazioni)
    assert servito.status_code == 200
    schema = schemathesis.openapi.from_dict(servito.json())
    schema.app = get_wsgi_application()
    return schema


def _operazioni() -> list[tuple[str, str]]:
    """(label, mode) of every operation in the API's schema: generated data valid for the schema
    ("positive"), invalid ("negative"), and, for the operations on one object, valid data on
    Comune A's real objects ("oggetti"; random ids are almost always 404)."""
    casi = []
    for percorso, metodi in api.get_openapi_schema()["paths"].items():
        for metodo in metodi:
            etichetta = f"{metodo.upper()} {percorso}"
            casi += [(etichetta, "positive"), (etichetta, "negative")]
            if "{" in percorso:
                casi.append((etichetta, "oggetti"))
    return casi


@pytest.mark.parametrize(("operazione", "modo"), _operazioni())
def test_no_generated_request_gets_a_server_error(
    operazione: str,
    modo: str,
    schema_servito: Any,
    token_di_anna: TokenDiProva,
    persona_di_anna: Any,
    nucleo_di_anna: Any,
) -> None:
    trovata = schema_servito.find_operation_by_label(operazione)
    assert trovata is not None, operazione
    intestazioni = {"Authorization": f"Bearer {token_di_anna.segreto}"}
    if modo == "oggetti":
        strategia = trovata.as_strategy(
            generation_mode=GenerationMode.POSITIVE,
            path_parameters={
                nome: valore
                for nome, valore in (
                    ("persona_id", persona_di_anna.pk),
                    ("nucleo_id", nucleo_di_anna.pk),
                )
                if f"{{{nome}}}" in operazione
            },
        )
    else:
        strategia = trovata.as_strategy(generation_mode=GenerationMode(modo))

    @given(case=strategia)
    @settings(
        max_examples=ESEMPI_PER_OPERAZIONE,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def prova(case: Any) -> None:
        case.call_and_validate(headers=intestazioni, checks=[not_a_server_error])

    with _connessione_condivisa():
        prova()
