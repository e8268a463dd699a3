"""The auditors' search and CSV export: scoped to their enti, audited, with pinned queries."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client

from equo.web.accounts.models import Utente
from equo.web.audit.models import AuditEvent, TipoEvento
from equo.web.audit.registro import registra_evento, registra_lettura
from equo.web.enti.models import Ente
from tests.web.conftest import Enti

pytestmark = pytest.mark.django_db


@pytest.fixture
def eventi(enti: Enti, anna: Utente, carla: Utente) -> None:
    for _ in range(30):
        registra_lettura(anna, enti.comune_a, dettagli={"motivo": "colloquio"})
    registra_lettura(anna, enti.comune_a2)
    registra_lettura(carla, enti.comune_b)


def test_an_auditor_sees_the_rows_of_her_enti_only(
    eventi: None, dora: Utente, client_di: Callable[[Utente], Client]
) -> None:
    risposta = client_di(dora).get("/audit/")
    assert risposta.status_code == 200
    testo = risposta.content.decode()
    assert "31 eventi" in testo
    assert "Città di Torino" not in testo


def test_the_search_filters_by_ente_and_type(
    eventi: None, dora: Utente, enti: Enti, client_di: Callable[[Utente], Client]
) -> None:
    risposta = client_di(dora).get("/audit/", {"ente": enti.comune_a2.pk, "tipo": "lettura"})
    assert "1 eventi" in risposta.content.decode()


def test_a_bad_filter_gets_an_italian_message_not_an_error(
    eventi: None, dora: Utente, enti: Enti, client_di: Callable[[Utente], Client]
) -> None:
    risposta = client_di(dora).get("/audit/", {"dal": "2026-12-31", "al": "2026-01-01"})
    assert risposta.status_code == 200
    assert "La data finale viene prima di quella iniziale." in risposta.content.decode()
    fuori = client_di(dora).get("/audit/", {"ente": enti.comune_b.pk})
    assert fuori.status_code == 200
    assert "Scegli un&#x27;opzione valida" in fuori.content.decode()


def test_non_auditors_are_refused(
    eventi: None, anna: Utente, carla: Utente, client_di: Callable[[Utente], Client]
) -> None:
    assert client_di(anna).get("/audit/").status_code == 403
    assert client_di(carla).get("/audit/esporta.csv").status_code == 403


def test_consulting_and_exporting_the_log_are_themselves_audited(
    eventi: None, dora: Utente, client_di: Callable[[Utente], Client]
) -> None:
    client = client_di(dora)
    prima = AuditEvent.objects.senza_scope().count()
    client.get("/audit/", {"tipo": "lettura"})
    client.get("/audit/esporta.csv")
    nuovi = list(AuditEvent.objects.senza_scope().order_by("-pk")[:2])
    assert AuditEvent.objects.senza_scope().count() == prima + 2
    assert [e.tipo for e in nuovi] == [TipoEvento.ESPORTAZIONE, TipoEvento.LETTURA]
    assert nuovi[1].dettagli["filtri"] == {"tipo": "lettura"}
    assert all(e.utente == dora for e in nuovi)


def test_the_export_is_a_csv_of_the_filtered_rows_safe_for_spreadsheets(
    enti: Enti, anna: Utente, dora: Utente, client_di: Callable[[Utente], Client]
) -> None:
    registra_evento(anna, TipoEvento.LETTURA, oggetto=Ente(pk=enti.comune_a.pk, nome="=SOMMA(A1)"))
    risposta = client_di(dora).get("/audit/esporta.csv")
    assert risposta["Content-Type"].startswith("text/csv")
    testo = b"".join(risposta.streaming_content).decode("utf-8-sig")  # type: ignore[arg-type]
    righe = list(csv.reader(io.StringIO(testo), delimiter=";"))
    assert righe[0][:3] == ["data_ora", "tipo", "utente"]
    assert len(righe) == 2
    assert righe[1][7] == "'=SOMMA(A1)"
    assert righe[1][3] == "Comune di Avigliana"


def test_the_list_page_runs_a_fixed_number_of_queries(
    eventi: None,
    dora: Utente,
    client_di: Callable[[Utente], Client],
    django_assert_num_queries: Callable[[int], object],
) -> None:
    client = client_di(dora)
    client.get("/audit/")  # warm up: session and user caches
    # session, user, permission (incarichi), count, the audit row of this consultation,
    # the header's enti, the menu's permissions (anagrafe, cartella, the token pages: refused by
    # rules, so Django's ModelBackend looks at the user's and groups' permissions too: four),
    # the filter form's
    # enti, the page of rows, and the session saved on every request (savepoint, update,
    # release). Thirty rows or three thousand: the same.
    with django_assert_num_queries(15):  # type: ignore[operator]
        risposta = client.get("/audit/", {"pagina": "1"})
    assert risposta.status_code == 200
