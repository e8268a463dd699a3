"""Integrators' tokens: only a hash is stored, creation and revocation are audited, the page
and the commands, and no token ever gets more than its creator could do."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from equo.web.accounts.models import Utente
from equo.web.api.actions import do_revoca_token_api
from equo.web.api.models import PREFISSO_TOKEN, PermessoApi, TokenApi
from equo.web.audit.models import AuditEvent, TipoEvento
from equo.web.enti.models import Incarico, Ruolo
from tests.web.api.conftest import righe_audit, ultima_riga
from tests.web.api.fabbrica import TokenDiProva, nuovo_token
from tests.web.conftest import Enti, crea_persona

pytestmark = pytest.mark.django_db

ClientDi = Callable[[Utente], Client]


def test_only_the_hash_of_a_new_token_is_stored(enti: Enti) -> None:
    prima = righe_audit()
    nuovo = nuovo_token(enti.comune_a, PermessoApi.PERSONE_LEGGI)
    token = TokenApi.objects.senza_scope().get(pk=nuovo.pk)
    assert nuovo.segreto.startswith(PREFISSO_TOKEN) and len(nuovo.segreto) >= 48
    assert token.impronta == hashlib.sha256(nuovo.segreto.encode()).hexdigest()
    assert token.inizio == nuovo.segreto[:12]
    assert righe_audit() == prima + 1
    riga = ultima_riga()
    assert (riga.tipo, riga.oggetto_tipo, riga.ente_id) == (
        TipoEvento.CREAZIONE,
        "api.tokenapi",
        enti.comune_a.pk,
    )
    assert riga.modifiche["impronta"] == {"prima": "[riservato]", "dopo": "[riservato]"}
    assert riga.modifiche["permessi"]["dopo"] == ["persone:leggi"]
    assert not AuditEvent.objects.senza_scope().filter(modifiche__icontains=nuovo.segreto[5:])


def test_the_technical_user_cannot_log_in_and_works_only_in_the_tokens_ente(
    enti: Enti, token_di_anna: TokenDiProva
) -> None:
    tecnico = token_di_anna.token.utente_tecnico
    assert not tecnico.has_usable_password()
    assert tecnico.username.startswith(f"api-{enti.comune_a.pk}-gestionale-di-prova-")
    assert list(Incarico.objects.filter(utente=tecnico).values_list("ente", "ruolo")) == [
        (enti.comune_a.pk, Ruolo.AMMINISTRATIVO)
    ]
    assert (
        Client().post("/accedi/", {"username": tecnico.username, "password": ""}).status_code == 200
    )


def test_revoking_deactivates_the_technical_user_and_writes_one_row(
    token_di_anna: TokenDiProva,
) -> None:
    prima = righe_audit()
    do_revoca_token_api(token_di_anna.token, acting_user=None)
    do_revoca_token_api(token_di_anna.token, acting_user=None)  # twice: nothing more
    assert righe_audit() == prima + 1
    assert set(ultima_riga().modifiche) == {"revocato_il"}
    tecnico = Utente.objects.get(pk=token_di_anna.token.utente_tecnico_id)
    assert not tecnico.is_active
    assert not Incarico.objects.filter(utente=tecnico, attivo=True).exists()


@pytest.mark.parametrize(
    ("permessi", "scade", "campo"),
    [
        ([], None, "permessi"),
        (["tutto:leggi"], None, "permessi"),
        (["nuclei:leggi"], -1, "scade_il"),
    ],
    ids=["no permission", "unknown permission", "expiry in the past"],
)
def test_a_token_needs_known_permissions_and_a_future_expiry(
    enti: Enti, permessi: list[str], scade: int | None, campo: str
) -> None:
    from django.core.exceptions import ValidationError

    from equo.web.api.actions import do_crea_token_api

    scade_il = timezone.now() + dt.timedelta(days=scade) if scade is not None else None
    with pytest.raises(ValidationError) as errore:
        do_crea_token_api(
            ente=enti.comune_a, nome="X", permessi=permessi, scade_il=scade_il, acting_user=None
        )
    assert campo in errore.value.message_dict
    assert not TokenApi.objects.senza_scope().exists()


def test_two_live_tokens_of_an_ente_cannot_share_a_name(enti: Enti) -> None:
    from django.core.exceptions import ValidationError

    primo = nuovo_token(enti.comune_a, nome="Protocollo")
    with pytest.raises(ValidationError, match="già un token attivo"):
        nuovo_token(enti.comune_a, nome="Protocollo")
    do_revoca_token_api(primo.token, acting_user=None)
    assert nuovo_token(enti.comune_a, nome="Protocollo").token.nome == "Protocollo"


# --- The page -----------------------------------------------------------------------------------


def _modulo(ente_id: int, *permessi: str, nome: str = "Protocollo") -> dict[str, object]:
    return {"ente": ente_id, "nome": nome, "permessi": list(permessi), "scade_il": ""}


def test_a_responsabile_creates_a_token_and_sees_it_once(enti: Enti, client_di: ClientDi) -> None:
    franca = crea_persona("franca", enti.comune_a, Ruolo.RESPONSABILE_SERVIZIO)
    client = client_di(franca)
    assert client.get("/integrazioni/token/nuovo/").status_code == 200
    risposta = client.post(
        "/integrazioni/token/nuovo/", _modulo(enti.comune_a.pk, *PermessoApi.values)
    )
    assert risposta.status_code == 200
    assert "no-store" in risposta["Cache-Control"]
    token = TokenApi.objects.senza_scope().get()
    assert token.creato_da == franca
    segreto = risposta.content.decode().split('id="segreto-token"')[1].split(">")[1].split("<")[0]
    assert hashlib.sha256(segreto.encode()).hexdigest() == token.impronta
    elenco = client.get("/integrazioni/token/").content.decode()
    assert token.inizio in elenco and segreto not in elenco
    assert ultima_riga().utente == franca


def test_an_amministratore_di_sistema_cannot_grant_access_to_personal_data(
    enti: Enti, ettore: Utente, client_di: ClientDi
) -> None:
    client = client_di(ettore)
    risposta = client.post(
        "/integrazioni/token/nuovo/", _modulo(enti.comune_a.pk, PermessoApi.PERSONE_LEGGI)
    )
    assert risposta.status_code == 200
    assert "Non puoi concedere «Leggere le persone»" in risposta.content.decode()
    assert not TokenApi.objects.senza_scope().exists()


def test_a_creator_grants_only_the_access_he_has_in_that_ente(enti: Enti) -> None:
    from equo.web.api.permessi import permessi_concedibili

    educatrice = crea_persona("elena", enti.comune_a, Ruolo.EDUCATORE, Ruolo.RESPONSABILE_SERVIZIO)
    assert permessi_concedibili(educatrice, enti.comune_a) == set(PermessoApi.values)
    sola = crea_persona("olga", enti.comune_a, Ruolo.AMMINISTRATORE_SISTEMA, Ruolo.EDUCATORE)
    assert permessi_concedibili(sola, enti.comune_a) == {"persone:leggi", "nuclei:leggi"}
    assert permessi_concedibili(sola, enti.comune_b) == set()


def test_the_ente_of_a_token_is_one_the_creator_manages(
    enti: Enti, ettore: Utente, client_di: ClientDi
) -> None:
    risposta = client_di(ettore).post(
        "/integrazioni/token/nuovo/", _modulo(enti.comune_b.pk, PermessoApi.PERSONE_LEGGI)
    )
    assert "ente" in risposta.context["form"].errors
    assert not TokenApi.objects.senza_scope().exists()


def test_a_token_is_revoked_from_the_page_of_its_ente_only(
    enti: Enti, token_di_anna: TokenDiProva, ettore: Utente, client_di: ClientDi
) -> None:
    url = f"/integrazioni/token/{token_di_anna.pk}/revoca/"
    torinese = crea_persona("tina", enti.comune_b, Ruolo.RESPONSABILE_SERVIZIO)
    assert client_di(torinese).post(url).status_code == 404
    assert client_di(ettore).post(url).status_code == 302
    token = TokenApi.objects.senza_scope().get(pk=token_di_anna.pk)
    assert token.revocato_il is not None
    assert ultima_riga().utente == ettore


def test_users_without_the_role_get_403(anna: Utente, carla: Utente, client_di: ClientDi) -> None:
    for utente in (anna, carla):
        assert client_di(utente).get("/integrazioni/token/").status_code == 403
        assert client_di(utente).get("/integrazioni/token/nuovo/").status_code == 403


def test_the_token_pages_have_no_inline_script_or_style(
    enti: Enti, ettore: Utente, token_di_anna: TokenDiProva, client_di: ClientDi
) -> None:
    client = client_di(ettore)
    for url in ("/integrazioni/token/", "/integrazioni/token/nuovo/"):
        html = client.get(url).content.decode()
        assert "<script>" not in html and "style=" not in html and "<style" not in html


# --- The commands -------------------------------------------------------------------------------


def test_crea_token_prints_the_token_once_and_acts_as_the_system(enti: Enti) -> None:
    uscita, errori = io.StringIO(), io.StringIO()
    call_command(
        "crea_token",
        "--ente",
        "c_a518",
        "--nome",
        "Protocollo",
        "--permesso",
        "persone:leggi",
        "--permesso",
        "nuclei:leggi",
        "--scade-il",
        "2099-12-31",
        stdout=uscita,
        stderr=errori,
    )
    segreto = uscita.getvalue().strip()
    token = TokenApi.objects.senza_scope().get(
        impronta=hashlib.sha256(segreto.encode()).hexdigest()
    )
    assert token.permessi == ["nuclei:leggi", "persone:leggi"]
    assert timezone.localtime(token.scade_il).date() == dt.date(2099, 12, 31)
    assert "non sarà più mostrato" in errori.getvalue()
    riga = ultima_riga()
    assert (riga.utente, riga.utente_nome) == (None, "")


@pytest.mark.parametrize(
    "argomenti",
    [
        ["--ente", "c_zzzz", "--nome", "X", "--permesso", "persone:leggi"],
        ["--ente", "c_a518", "--nome", "X", "--permesso", "persone:leggi", "--scade-il", "ieri"],
        [
            "--ente",
            "c_a518",
            "--nome",
            "X",
            "--permesso",
            "persone:leggi",
            "--scade-il",
            "2000-01-01",
        ],
    ],
    ids=["unknown ente", "malformed date", "past date"],
)
def test_crea_token_refuses_bad_arguments(enti: Enti, argomenti: list[str]) -> None:
    with pytest.raises(CommandError):
        call_command("crea_token", *argomenti, stdout=io.StringIO(), stderr=io.StringIO())
    assert not TokenApi.objects.senza_scope().exists()


def test_revoca_token_revokes_by_id(token_di_anna: TokenDiProva) -> None:
    uscita = io.StringIO()
    call_command("revoca_token", str(token_di_anna.pk), stdout=uscita)
    call_command("revoca_token", str(token_di_anna.pk), stdout=uscita)
    assert "revocato" in uscita.getvalue() and "già revocato" in uscita.getvalue()
    with pytest.raises(CommandError):
        call_command("revoca_token", "999999", stdout=uscita)
