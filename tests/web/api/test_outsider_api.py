"""Every API operation (each method of each path), walked like the pages in
test_url_outsider.py: anonymous callers get 401; the outsider, with her session or with her
ente's token, gets 403/404 on Comune A's objects (and nothing is read or written), and sees
nothing of Comune A in lists and creations; an insider gets 2xx (so the refusals come from
scoping, not from broken examples). A new operation must be classified in url_registro.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from ninja.constants import NOT_SET

from equo.web.accounts.models import Utente
from equo.web.api.api import api
from equo.web.api.sicurezza import MESSAGGIO_SERVE_TOKEN_PERSONALE, TokenApiAuth, TokenPersonaleAuth
from tests.web.api.conftest import righe_audit
from tests.web.api.fabbrica import TokenDiProva
from tests.web.conftest import BACKEND
from tests.web.url_registro import API_OPERAZIONI, OperazioneApi

pytestmark = pytest.mark.django_db


def _router_con_figli() -> Iterator[Any]:
    """Every router of the API, the ones mounted on other routers too."""
    da_visitare = [router for _prefisso, router in api._routers]
    while da_visitare:
        router = da_visitare.pop(0)
        yield router
        da_visitare += [figlio for _p, figlio, *_ in router._routers]


def _operazioni() -> Iterator[tuple[str, str, bool, bool]]:
    """(URL name, method, open to integrators' tokens, open to personal tokens) of every
    operation of the API."""
    for router in _router_con_figli():
        for vista in router.path_operations.values():
            for operazione in vista.operations:
                # The operation's own auth, or its router's (ninja binds it later).
                auth = operazione.auth_param
                if auth is NOT_SET:
                    auth = router.auth
                auth = auth if isinstance(auth, list | tuple) else [auth]
                per_token = any(isinstance(a, TokenApiAuth) for a in auth)
                personale = any(isinstance(a, TokenPersonaleAuth) for a in auth)
                for metodo in operazione.methods:
                    yield f"api:{operazione.url_name}", metodo, per_token, personale


OPERAZIONI = sorted(_operazioni())
PER_TOKEN = {nome for nome, _, per_token, _p in OPERAZIONI if per_token}
PERSONALI = {nome for nome, _, _t, personale in OPERAZIONI if personale}


def test_every_api_operation_is_classified() -> None:
    trovate = {nome: metodo for nome, metodo, _t, _p in OPERAZIONI}
    assert len(trovate) == len(OPERAZIONI), "give every operation its own url_name"
    classificate = {nome: op.metodo for nome, op in API_OPERAZIONI.items()}
    assert trovate == classificate, "classify the API operations in tests/web/url_registro.py"


def _chiama(client: Client, nome: str, request: pytest.FixtureRequest, **extra: Any) -> Any:
    operazione = API_OPERAZIONI[nome]
    f = request.getfixturevalue
    url = reverse(nome, kwargs=operazione.kwargs(f) if operazione.kwargs else {})
    if operazione.metodo == "GET":
        return client.get(url, **extra)
    corpo = json.dumps(operazione.corpo(f) if operazione.corpo else {})
    chiamata = getattr(client, operazione.metodo.lower())
    return chiamata(url, corpo, content_type="application/json", **extra)


@pytest.fixture
def dati_di_anna(
    persona_di_anna: Any,
    membro_di_anna: Any,
    contatto_di_anna: Any,
    legame_di_anna: Any,
    caso_di_anna: Any,
    caso_attivo_di_anna: Any,
) -> list[str]:
    """Comune A's rows, and what must never reach the outsider."""
    return [persona_di_anna.codice_fiscale, "Famiglia Rossi", "Avigliana", "0000123456"]


def _sessione(utente: Utente) -> Client:
    client = Client()
    client.force_login(utente, backend=BACKEND)
    return client


def _controlla(
    operazione: OperazioneApi, risposta: Any, segreti: list[str], prima: int, nome: str
) -> None:
    contenuto = risposta.content.decode()
    if operazione.di_ente:
        assert risposta.status_code in {403, 404}, (nome, risposta.status_code, contenuto)
        assert righe_audit() == prima, f"{nome}: a refused call wrote an audit row"
    else:
        assert risposta.status_code in {200, 201}, (nome, risposta.status_code, contenuto)
    for segreto in segreti:
        assert segreto not in contenuto, (nome, segreto)


@pytest.mark.parametrize("nome", sorted(API_OPERAZIONI))
def test_an_anonymous_caller_gets_401(
    nome: str, request: pytest.FixtureRequest, dati_di_anna: list[str]
) -> None:
    assert _chiama(Client(), nome, request).status_code == 401


@pytest.mark.parametrize("nome", sorted(API_OPERAZIONI))
def test_the_outsiders_session_is_refused_or_sees_only_her_own(
    nome: str, request: pytest.FixtureRequest, carla: Utente, dati_di_anna: list[str]
) -> None:
    client = _sessione(carla)  # the login writes its own row
    prima = righe_audit()
    risposta = _chiama(client, nome, request)
    _controlla(API_OPERAZIONI[nome], risposta, dati_di_anna, prima, nome)


@pytest.mark.parametrize("nome", sorted(API_OPERAZIONI))
def test_the_outsiders_token_is_refused_or_sees_only_her_own(
    nome: str,
    request: pytest.FixtureRequest,
    token_di_carla: TokenDiProva,
    dati_di_anna: list[str],
) -> None:
    prima = righe_audit()
    risposta = _chiama(Client(), nome, request, **token_di_carla.intestazioni)
    if nome in PERSONALI:
        # The cartella: need-to-know is personal, an ente's token is refused with the reason.
        assert risposta.status_code == 403, risposta.content
        assert risposta.json()["detail"] == MESSAGGIO_SERVE_TOKEN_PERSONALE
        assert righe_audit() == prima
        return
    if nome not in PER_TOKEN:
        assert risposta.status_code == 401  # session-only operations refuse every token
        return
    _controlla(API_OPERAZIONI[nome], risposta, dati_di_anna, prima, nome)


@pytest.mark.parametrize("nome", sorted(PERSONALI))
def test_the_outsiders_personal_token_is_refused(
    nome: str, request: pytest.FixtureRequest, carla: Utente, dati_di_anna: list[str]
) -> None:
    from tests.web.api.fabbrica import nuovo_token_personale

    token = nuovo_token_personale(carla)
    prima = righe_audit()
    risposta = _chiama(Client(), nome, request, **token.intestazioni)
    _controlla(API_OPERAZIONI[nome], risposta, dati_di_anna, prima, nome)


INSIDER = [
    (nome, chi)
    for nome in sorted(API_OPERAZIONI)
    for chi in ("sessione", "token", "personale")
    if chi == "sessione"
    or (chi == "token" and nome in PER_TOKEN)
    or (chi == "personale" and nome in PERSONALI)
]


@pytest.mark.parametrize(("nome", "chi"), INSIDER)
def test_an_insider_succeeds(
    nome: str,
    chi: str,
    request: pytest.FixtureRequest,
    anna: Utente,
    token_di_anna: TokenDiProva,
    token_personale_di_anna: TokenDiProva,
    dati_di_anna: list[str],
) -> None:
    # Proves that the refusals above come from scoping, not from a broken example.
    if chi == "sessione":
        risposta = _chiama(_sessione(anna), nome, request)
    elif chi == "personale":
        risposta = _chiama(Client(), nome, request, **token_personale_di_anna.intestazioni)
    else:
        risposta = _chiama(Client(), nome, request, **token_di_anna.intestazioni)
    assert risposta.status_code in {200, 201}, risposta.content
