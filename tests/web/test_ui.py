"""Pages: the base template (Bootstrap Italia, accessible, no inline script), home, active ente,
the API, the system checks."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core import checks
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.test.utils import isolate_apps

from equo.web.accounts.models import Utente
from equo.web.enti.checks import modelli_con_ente_sono_scoped
from equo.web.enti.models import Ente, Incarico, Ruolo
from tests.web.conftest import Enti

pytestmark = pytest.mark.django_db


def test_the_base_template_is_italian_accessible_and_script_free(
    anna: Utente, client_di: Callable[[Utente], Client]
) -> None:
    html = client_di(anna).get("/").content.decode()
    assert '<html lang="it">' in html
    assert 'href="#contenuto"' in html and 'id="contenuto"' in html
    assert "bootstrap-italia.min.css" in html and "htmx.min.js" in html
    assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", html)), "inline script"
    assert " style=" not in html
    assert "https://" not in html  # no CDN


def test_home_shows_the_work_of_each_role(
    anna: Utente, dora: Utente, client_di: Callable[[Utente], Client]
) -> None:
    di_anna = client_di(anna).get("/").content.decode()
    assert "Assistente sociale – Comune di Avigliana" in di_anna
    assert "Registro di audit" not in di_anna
    di_dora = client_di(dora).get("/").content.decode()
    assert 'href="/audit/"' in di_dora


def test_a_user_without_incarichi_is_told_so(client_di: Callable[[Utente], Client]) -> None:
    nessuno = Utente.objects.create(username="nessuno")
    assert "Nessun incarico" in client_di(nessuno).get("/").content.decode()


def test_a_user_with_two_enti_switches_the_active_one(
    anna: Utente, enti: Enti, client_di: Callable[[Utente], Client]
) -> None:
    Incarico.objects.create(utente=anna, ente=enti.comune_a2, ruolo=Ruolo.ASSISTENTE_SOCIALE)
    client = client_di(anna)
    assert 'id="ente-attivo"' in client.get("/").content.decode()
    risposta = client.post("/enti/attivo/", {"ente": enti.comune_a2.pk, "next": "/"})
    assert risposta.status_code == 302
    assert client.session["equo_ente_attivo"] == enti.comune_a2.pk


@pytest.mark.parametrize("valore", ["altro", "tuo"], ids=["malformed", "another user's ente"])
def test_choosing_an_ente_that_is_not_yours_answers_404(
    valore: str, anna: Utente, enti: Enti, client_di: Callable[[Utente], Client]
) -> None:
    ente = str(enti.comune_b.pk) if valore == "tuo" else valore
    assert client_di(anna).post("/enti/attivo/", {"ente": ente}).status_code == 404


def test_the_active_ente_never_redirects_off_site(
    anna: Utente, enti: Enti, client_di: Callable[[Utente], Client]
) -> None:
    risposta = client_di(anna).post(
        "/enti/attivo/", {"ente": enti.comune_a.pk, "next": "https://esempio.invalid/"}
    )
    assert risposta["Location"] == "/"


def test_the_api_lists_only_the_callers_enti(
    dora: Utente, enti: Enti, client: Client, client_di: Callable[[Utente], Client]
) -> None:
    assert client.get("/api/enti/").status_code == 401
    nomi = {e["nome"] for e in client_di(dora).get("/api/enti/").json()}
    assert nomi == {enti.unione.nome, enti.comune_a.nome, enti.comune_a2.nome}


def test_the_api_docs_need_a_login(
    anna: Utente, client: Client, client_di: Callable[[Utente], Client]
) -> None:
    assert client.get("/api/docs").status_code == 302
    assert client_di(anna).get("/api/openapi.json").json()["info"]["title"] == "Equo API"


def test_the_project_passes_djangos_checks_and_has_no_missing_migrations() -> None:
    call_command("check", fail_level="WARNING")
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_a_model_with_an_ente_but_no_scoped_manager_fails_the_check() -> None:
    with isolate_apps("equo.web.enti") as registro:

        class Dimenticato(models.Model):
            ente = models.ForeignKey(Ente, on_delete=models.PROTECT, related_name="+")

            class Meta:
                app_label = "enti"

            def __str__(self) -> str:
                return "dimenticato"

        from unittest import mock

        with mock.patch("equo.web.enti.checks.apps", registro):
            errori = modelli_con_ente_sono_scoped()
    assert [e.id for e in errori] == ["equo.E001"]
    assert isinstance(errori[0], checks.Error)
