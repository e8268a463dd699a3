"""Personal tokens: they act as their owner on the cartella, and only there, only while valid."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from equo.web.accounts.models import Utente
from equo.web.api.actions import do_revoca_token_personale
from equo.web.api.models import TokenPersonale
from tests.web.api.conftest import ClientApi, righe_audit, ultima_riga
from tests.web.api.fabbrica import nuovo_token_personale

pytestmark = pytest.mark.django_db


def _caso(caso: Any) -> str:
    return reverse("api:caso", kwargs={"caso_id": caso.pk})


def test_it_reads_like_the_owner_and_the_audit_row_names_the_token(
    anna: Utente, caso_di_anna: Any
) -> None:
    token = nuovo_token_personale(anna)
    prima = righe_audit()
    risposta = ClientApi(Client(), **token.intestazioni).get(_caso(caso_di_anna))
    assert risposta.status_code == 200
    assert risposta.json()["ruolo"] == "case_manager"
    assert righe_audit() == prima + 1
    riga = ultima_riga()
    assert riga.utente_id == anna.pk
    assert riga.dettagli["token_personale"]["id"] == token.token.pk
    assert TokenPersonale.objects.get(pk=token.token.pk).ultimo_uso is not None


def test_the_secret_is_never_stored_in_clear(anna: Utente) -> None:
    token = nuovo_token_personale(anna)
    assert token.segreto.startswith("equop_")
    riga = TokenPersonale.objects.get(pk=token.token.pk)
    assert token.segreto not in (riga.impronta, riga.inizio)
    assert len(riga.impronta) == 64


@pytest.mark.parametrize("stato", ["revocato", "scaduto", "disattivato"])
def test_a_revoked_expired_or_deactivated_owners_token_gets_401(
    stato: str, anna: Utente, caso_di_anna: Any
) -> None:
    token = nuovo_token_personale(anna)
    riga = TokenPersonale.objects.get(pk=token.token.pk)
    if stato == "revocato":
        do_revoca_token_personale(riga, acting_user=anna)
    elif stato == "scaduto":
        TokenPersonale.objects.filter(pk=riga.pk).update(
            scade_il=timezone.now() - dt.timedelta(minutes=1)
        )
    else:
        Utente.objects.filter(pk=anna.pk).update(is_active=False)
    risposta = ClientApi(Client(), **token.intestazioni).get(_caso(caso_di_anna))
    assert risposta.status_code == 401


def test_a_read_only_token_cannot_write(anna: Utente, caso_di_anna: Any) -> None:
    token = nuovo_token_personale(anna, "casi:leggi")
    url = reverse("api:scrivi_voce_diario", kwargs={"caso_id": caso_di_anna.pk})
    corpo = {"data": "2026-02-01", "tipo": "telefonata", "testo": "Prova."}
    risposta = ClientApi(Client(), **token.intestazioni).post(url, corpo)
    assert risposta.status_code == 403
    assert "casi:scrivi" in risposta.json()["detail"]


def test_the_maximum_duration_is_enforced_with_an_italian_message(anna: Utente) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as errore:
        nuovo_token_personale(anna, scade_il=timezone.now() + dt.timedelta(days=400))
    assert "al massimo 90 giorni" in str(errore.value.message_dict["scade_il"])


def test_the_page_shows_the_secret_once_and_revokes(anna: Utente, client_di: Any) -> None:
    client = client_di(anna)
    scadenza = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    risposta = client.post(
        reverse("token_api:nuovo_personale"),
        {"nome": "App visite", "permessi": ["casi:leggi"], "scade_il": scadenza},
    )
    assert risposta.status_code == 200
    token = TokenPersonale.objects.get(utente=anna)
    segreto = risposta.context["segreto"]
    assert segreto in risposta.content.decode()
    elenco = client.get(reverse("token_api:personali")).content.decode()
    assert segreto not in elenco and token.inizio in elenco
    troppo = (timezone.localdate() + dt.timedelta(days=200)).isoformat()
    rifiutato = client.post(
        reverse("token_api:nuovo_personale"),
        {"nome": "Altro", "permessi": ["casi:leggi"], "scade_il": troppo},
    )
    assert "al massimo 90 giorni" in rifiutato.content.decode()
    assert TokenPersonale.objects.filter(utente=anna).count() == 1
    client.post(reverse("token_api:revoca_personale", kwargs={"pk": token.pk}))
    token.refresh_from_db()
    assert token.revocato_il is not None


def test_a_write_through_the_token_saves_the_row_and_its_audit_row_names_the_token(
    anna: Utente, caso_di_anna: Any, token_personale_di_anna: Any
) -> None:
    from equo.web.audit.models import AuditEvent
    from equo.web.cartella.models import VoceDiario

    url = reverse("api:scrivi_voce_diario", kwargs={"caso_id": caso_di_anna.pk})
    corpo = {"data": "2026-02-01", "tipo": "telefonata", "testo": "Scritta dall'app visite."}
    prima = AuditEvent.objects.senza_scope().order_by("-pk").values_list("pk", flat=True).first()
    risposta = ClientApi(Client(), **token_personale_di_anna.intestazioni).post(url, corpo)
    assert risposta.status_code == 201, risposta.content
    voce = VoceDiario.objects.senza_scope().get(testo="Scritta dall'app visite.")
    assert voce.caso_id == caso_di_anna.pk
    assert voce.autore_id == anna.pk
    nuove = AuditEvent.objects.senza_scope().filter(pk__gt=prima or 0, tipo="creazione")
    [riga] = [r for r in nuove if r.oggetto_id == str(voce.pk)]
    assert riga.utente_id == anna.pk
    assert riga.dettagli["token_personale"]["id"] == token_personale_di_anna.token.pk
