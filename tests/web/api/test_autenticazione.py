"""Who may call the API: a valid token with the permission (its own ente only), or the web
session with the role rules of the pages; everybody else gets 401, 403 or 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Nucleo, Persona
from equo.web.api.actions import do_revoca_token_api
from equo.web.api.models import PermessoApi, TokenApi
from equo.web.enti.models import Ente, Ruolo
from tests.web.anagrafe.fabbrica import nuova_persona
from tests.web.api.conftest import ClientApi, righe_audit
from tests.web.api.fabbrica import TokenDiProva, nuovo_token
from tests.web.conftest import Enti, crea_persona

pytestmark = pytest.mark.django_db

ConToken = Callable[[TokenDiProva], ClientApi]
ConSessione = Callable[[Utente], ClientApi]


def _con_intestazione(valore: str) -> Any:
    return Client().get("/api/v1/persone/", HTTP_AUTHORIZATION=valore)


def test_a_valid_token_reads_its_entes_persons(
    token_di_anna: TokenDiProva, persona_di_anna: Persona, con_token: ConToken
) -> None:
    risposta = con_token(token_di_anna).get("/api/v1/persone/")
    assert risposta.status_code == 200
    assert [p["id"] for p in risposta.json()["risultati"]] == [persona_di_anna.pk]


@pytest.mark.parametrize(
    "intestazione",
    [
        "Bearer equo_non-esiste",
        "Bearer nonunnostrotoken",
        "Bearer ",
        "bearer equo_" + "x" * 300,
    ],
    ids=["unknown", "not ours", "empty", "too long"],
)
def test_a_wrong_token_gets_401_with_the_scheme(enti: Enti, intestazione: str) -> None:
    risposta = _con_intestazione(intestazione)
    assert risposta.status_code == 401
    assert risposta["WWW-Authenticate"] == 'Bearer realm="equo"'
    assert risposta.json() == {"detail": "Token non valido, scaduto o revocato."}


def test_a_revoked_token_gets_401_at_once(token_di_anna: TokenDiProva, con_token: ConToken) -> None:
    client = con_token(token_di_anna)
    assert client.get("/api/v1/persone/").status_code == 200
    do_revoca_token_api(token_di_anna.token, acting_user=None)
    assert client.get("/api/v1/persone/").status_code == 401


def test_an_expired_token_gets_401(enti: Enti, con_token: ConToken) -> None:
    token = nuovo_token(enti.comune_a, scade_il=timezone.now() + dt.timedelta(hours=1))
    client = con_token(token)
    assert client.get("/api/v1/persone/").status_code == 200
    TokenApi.objects.senza_scope().filter(pk=token.pk).update(
        scade_il=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get("/api/v1/persone/").status_code == 401


def test_the_token_of_a_deactivated_ente_gets_401(
    enti: Enti, token_di_anna: TokenDiProva, con_token: ConToken
) -> None:
    Ente.objects.filter(pk=enti.comune_a.pk).update(attivo=False)
    assert con_token(token_di_anna).get("/api/v1/persone/").status_code == 401


def test_another_entes_token_gets_404_like_a_missing_object(
    token_di_carla: TokenDiProva,
    persona_di_anna: Persona,
    membro_di_anna: Any,
    con_token: ConToken,
) -> None:
    client = con_token(token_di_carla)
    prima = righe_audit()
    nucleo = membro_di_anna.nucleo_id
    for url in (
        f"/api/v1/persone/{persona_di_anna.pk}/",
        f"/api/v1/nuclei/{nucleo}/",
        f"/api/v1/nuclei/{nucleo}/membri/",
    ):
        altrui = client.get(url)
        mancante = client.get(
            url.replace(f"/{persona_di_anna.pk}/", "/999999/").replace(f"/{nucleo}/", "/999999/")
        )
        assert altrui.status_code == mancante.status_code == 404, url
        assert altrui.json() == mancante.json() == {"detail": "Non trovato."}
    assert client.get("/api/v1/persone/").json()["totale"] == 0
    assert client.get("/api/v1/persone/", q="Rossi").json()["totale"] == 0
    assert righe_audit() == prima


@pytest.mark.parametrize(
    ("permesso", "chiamata"),
    [
        (PermessoApi.NUCLEI_LEGGI, ("get", "/api/v1/persone/", None)),
        (PermessoApi.PERSONE_LEGGI, ("post", "/api/v1/persone/", {})),
        (PermessoApi.PERSONE_LEGGI, ("get", "/api/v1/nuclei/", None)),
        (PermessoApi.NUCLEI_LEGGI, ("post", "/api/v1/nuclei/", {})),
    ],
    ids=["read persons", "write persons", "read nuclei", "write nuclei"],
)
def test_a_token_without_the_permission_gets_403(
    enti: Enti, permesso: str, chiamata: tuple[str, str, Any], con_token: ConToken
) -> None:
    client = con_token(nuovo_token(enti.comune_a, permesso))
    metodo, url, corpo = chiamata
    risposta = client.get(url) if metodo == "get" else client.post(url, corpo)
    assert risposta.status_code == 403
    assert "non ha il permesso" in risposta.json()["detail"]


def test_a_token_reads_its_own_ente_only_not_the_enti_under_it(
    enti: Enti, con_token: ConToken
) -> None:
    nuova_persona(enti.comune_a)
    dell_unione = nuovo_token(enti.unione)
    assert con_token(dell_unione).get("/api/v1/persone/").json()["totale"] == 0
    nuova_persona(enti.unione, cognome="Bianchi")
    assert con_token(dell_unione).get("/api/v1/persone/").json()["totale"] == 1


def test_session_users_keep_the_role_rules_of_the_pages(
    enti: Enti,
    anna: Utente,
    dora: Utente,
    persona_di_anna: Persona,
    con_sessione: ConSessione,
) -> None:
    assert con_sessione(anna).get("/api/v1/persone/").json()["totale"] == 1
    # The auditor reads the audit log, never a person.
    assert con_sessione(dora).get("/api/v1/persone/").status_code == 403
    assert con_sessione(dora).get(f"/api/v1/persone/{persona_di_anna.pk}/").status_code == 403
    educatore = crea_persona("edo", enti.comune_a, Ruolo.EDUCATORE)
    assert con_sessione(educatore).get(f"/api/v1/persone/{persona_di_anna.pk}/").status_code == 200
    risposta = con_sessione(educatore).patch(
        f"/api/v1/persone/{persona_di_anna.pk}/", {"note": "x"}
    )
    assert risposta.status_code == 403


def test_a_session_write_needs_the_csrf_token_a_token_write_does_not(
    anna: Utente, token_di_anna: TokenDiProva, con_token: ConToken
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(anna, backend="django.contrib.auth.backends.ModelBackend")
    corpo = {"tipo": "nucleo_isee", "denominazione": "Prova"}
    risposta = client.post("/api/v1/nuclei/", corpo, content_type="application/json")
    assert risposta.status_code == 403
    assert "CSRF" in risposta.json()["detail"]
    integratore = Client(enforce_csrf_checks=True)
    risposta = integratore.post(
        "/api/v1/nuclei/", corpo, content_type="application/json", **token_di_anna.intestazioni
    )
    assert risposta.status_code == 201


def test_anonymous_calls_get_401_even_for_writes(enti: Enti) -> None:
    client = Client(enforce_csrf_checks=True)
    for risposta in (
        client.get("/api/v1/persone/"),
        client.post("/api/v1/persone/", {}, content_type="application/json"),
        client.get("/api/enti/"),
    ):
        assert risposta.status_code == 401
        assert "Autenticazione richiesta" in risposta.json()["detail"]


def test_the_session_only_operations_refuse_tokens(
    token_di_anna: TokenDiProva, con_token: ConToken
) -> None:
    assert con_token(token_di_anna).get("/api/enti/").status_code == 401


def test_the_last_use_is_recorded_to_the_minute(
    token_di_anna: TokenDiProva, con_token: ConToken
) -> None:
    assert token_di_anna.token.ultimo_uso is None
    con_token(token_di_anna).get("/api/v1/persone/")
    primo = TokenApi.objects.senza_scope().get(pk=token_di_anna.pk).ultimo_uso
    assert primo is not None
    con_token(token_di_anna).get("/api/v1/persone/")
    assert TokenApi.objects.senza_scope().get(pk=token_di_anna.pk).ultimo_uso == primo


def test_writes_by_token_are_audited_as_its_technical_user(
    token_di_anna: TokenDiProva, con_token: ConToken
) -> None:
    con_token(token_di_anna).post("/api/v1/nuclei/", {"tipo": "nucleo_isee", "denominazione": "X"})
    nucleo = Nucleo.objects.senza_scope().get(denominazione="X")
    from tests.web.api.conftest import ultima_riga

    riga = ultima_riga()
    assert riga.oggetto_id == str(nucleo.pk)
    assert riga.utente_id == token_di_anna.token.utente_tecnico_id
    assert riga.utente_nome.startswith("api-")


# --- Schema and docs ----------------------------------------------------------------------------


def test_the_schema_is_served_to_tokens_and_sessions_only(
    token_di_anna: TokenDiProva, anna: Utente, con_sessione: ConSessione
) -> None:
    anonimo = Client().get("/api/openapi.json")
    assert anonimo.status_code == 302 and anonimo["Location"].startswith("/accedi/")
    sbagliato = Client().get("/api/openapi.json", HTTP_AUTHORIZATION="Bearer equo_no")
    assert sbagliato.status_code == 302
    schema = Client().get("/api/openapi.json", **token_di_anna.intestazioni).json()
    assert schema["components"]["securitySchemes"]["TokenApiAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    assert "/api/v1/persone/{persona_id}/" in schema["paths"]
    assert con_sessione(anna).get("/api/openapi.json").status_code == 200


def test_the_docs_load_everything_from_our_origin(anna: Utente, con_sessione: ConSessione) -> None:
    risposta = con_sessione(anna).get("/api/docs")
    html = risposta.content.decode()
    assert risposta.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert "script-src 'self'" in risposta["Content-Security-Policy"]
    # The settings are JSON in a non-executable script element; the code is a static file.
    assert '<script type="application/json" id="swagger-settings">' in html
    assert html.count("<script") == 3
