"""Walk every URL pattern: anonymous users go to the login, the outsider is refused.

The list of patterns comes from Django's resolver, so a new view is walked as soon as it has a
URL; it must be classified in url_registro.py (the test fails otherwise).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from equo.web.accounts.models import Utente
from tests.web.conftest import Enti
from tests.web.url_registro import (
    API_CON_LOGIN,
    API_OPERAZIONI_PREFISSO,
    DI_ENTE,
    PERSONALI,
    PUBBLICI,
    Esempio,
)

pytestmark = pytest.mark.django_db


def _schemi(
    resolver: URLResolver | None = None, namespace: tuple[str, ...] = ()
) -> Iterator[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    for schema in resolver.url_patterns:
        if isinstance(schema, URLResolver):
            ns = (*namespace, schema.namespace) if schema.namespace else namespace
            yield from _schemi(schema, ns)
        else:
            yield ":".join((*namespace, str(schema.name))), schema


SCHEMI = sorted({nome: schema for nome, schema in _schemi()}.items())
NON_ADMIN = [nome for nome, _ in SCHEMI if not nome.startswith("admin:")]
ADMIN = [(nome, schema) for nome, schema in SCHEMI if nome.startswith("admin:")]


def _url_admin(nome: str, schema: URLPattern) -> str:
    if schema.name is None:  # the admin's catch-all pattern
        return "/admin/qualunque/"
    argomenti = {chiave: "1" for chiave in schema.pattern.regex.groupindex}
    if "app_label" in argomenti:
        argomenti["app_label"] = "enti"
    return reverse(nome, kwargs=argomenti)


def _url(nome: str, request: pytest.FixtureRequest) -> str:
    esempio = DI_ENTE.get(nome, Esempio(""))
    kwargs = esempio.kwargs(request.getfixturevalue) if esempio.kwargs else {}
    return reverse(nome, kwargs=kwargs)


def test_every_url_pattern_is_classified() -> None:
    classificati = PUBBLICI | PERSONALI | set(DI_ENTE)
    mancanti = [nome for nome in NON_ADMIN if nome not in classificati]
    assert not mancanti, f"classify these URL names in tests/web/url_registro.py: {mancanti}"
    superflui = classificati - set(NON_ADMIN)
    assert not superflui, f"these names in url_registro.py are not URL patterns: {superflui}"


@pytest.mark.parametrize("nome", NON_ADMIN)
def test_an_anonymous_visitor_is_sent_to_the_login(
    nome: str, client: Client, request: pytest.FixtureRequest, enti: Enti
) -> None:
    url = _url(nome, request)
    risposta = client.get(url)
    if nome in PUBBLICI:
        assert risposta.status_code in {200, 302}, url
    elif url.startswith(API_OPERAZIONI_PREFISSO) and nome not in API_CON_LOGIN:
        assert risposta.status_code == 401, url
    else:
        assert risposta.status_code == 302, url
        assert risposta["Location"].startswith(reverse("accounts:accedi")), url


@pytest.mark.parametrize("nome", NON_ADMIN)
def test_the_outsider_is_refused_or_sees_only_her_own(
    nome: str,
    request: pytest.FixtureRequest,
    enti: Enti,
    carla: Utente,
    client_di: Callable[[Utente], Client],
) -> None:
    url = _url(nome, request)
    risposta = client_di(carla).get(url)
    if nome in DI_ENTE:
        assert risposta.status_code in {403, 404}, url
    elif nome in PERSONALI:
        assert risposta.status_code in {200, 302, 404, 405}, url
        contenuto = b"".join(risposta.streaming_content) if risposta.streaming else risposta.content
        assert enti.comune_a.nome.encode() not in contenuto, url


@pytest.mark.parametrize("nome", sorted(DI_ENTE))
def test_an_insider_opens_the_pages_of_her_ente(
    nome: str, request: pytest.FixtureRequest, client_di: Callable[[Utente], Client]
) -> None:
    # Proves the outsider's 403/404 above comes from scoping, not from a broken example.
    insider: Any = request.getfixturevalue(DI_ENTE[nome].insider)
    assert client_di(insider).get(_url(nome, request)).status_code == 200


@pytest.mark.parametrize(("nome", "schema"), ADMIN, ids=[nome for nome, _ in ADMIN])
def test_the_admin_refuses_the_outsider_and_redirects_anonymous_visitors(
    nome: str,
    schema: URLPattern,
    client: Client,
    carla: Utente,
    client_di: Callable[[Utente], Client],
) -> None:
    url = _url_admin(nome, schema)
    anonimo = client.get(url)
    if nome != "admin:logout":
        assert anonimo.status_code == 302, url
    assert client_di(carla).get(url).status_code in {403, 405}, url
