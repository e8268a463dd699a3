"""The audit log: exactly one row per write and per sensitive read, and no way to change it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test import Client

from equo.web.accounts.actions import do_cambia_password, do_crea_utente
from equo.web.accounts.models import Utente
from equo.web.audit.manutenzione import manutenzione_audit
from equo.web.audit.models import AuditEvent, AuditImmutabileError, TipoEvento
from equo.web.audit.registro import istantanea, registra_lettura, registra_scrittura
from equo.web.enti.actions import do_assegna_incarico, do_crea_ente, do_revoca_incarico
from equo.web.enti.models import Ente, Incarico, Ruolo, TipoEnte
from tests.web.conftest import Enti

pytestmark = pytest.mark.django_db


def _righe() -> list[AuditEvent]:
    return list(AuditEvent.objects.senza_scope().order_by("pk"))


def _una_riga_nuova(prima: list[AuditEvent]) -> AuditEvent:
    nuove = [e for e in _righe() if e not in prima]
    assert len(nuove) == 1, nuove
    return nuove[0]


def test_creating_an_ente_writes_one_row_with_the_new_values(ettore: Utente, enti: Enti) -> None:
    prima = _righe()
    ente = do_crea_ente(
        tipo=TipoEnte.COMUNE,
        nome="Comune di Caprie",
        codice_ipa="c_b705",
        codice_istat="001055",
        codice_catastale="B705",
        superiore=enti.unione,
        acting_user=ettore,
    )
    riga = _una_riga_nuova(prima)
    assert riga.tipo == TipoEvento.CREAZIONE
    assert (riga.utente, riga.utente_nome, riga.ente) == (ettore, "ettore", ente)
    assert (riga.oggetto_tipo, riga.oggetto_id) == ("enti.ente", str(ente.pk))
    assert riga.modifiche["codice_istat"] == {"prima": None, "dopo": "001055"}
    assert riga.modifiche["superiore"] == {"prima": None, "dopo": enti.unione.pk}


def test_a_change_records_only_the_changed_fields(ettore: Utente, anna: Utente) -> None:
    incarico = Incarico.objects.get(utente=anna)
    prima = _righe()
    do_revoca_incarico(incarico, acting_user=ettore)
    riga = _una_riga_nuova(prima)
    assert riga.tipo == TipoEvento.MODIFICA
    assert riga.modifiche == {"attivo": {"prima": True, "dopo": False}}
    assert riga.ente_id == incarico.ente_id


def test_a_write_that_changes_nothing_writes_no_row(
    ettore: Utente, anna: Utente, enti: Enti
) -> None:
    prima = _righe()
    do_assegna_incarico(anna, enti.comune_a, Ruolo.ASSISTENTE_SOCIALE, acting_user=ettore)
    assert _righe() == prima


def test_a_deletion_records_the_old_values(ettore: Utente, enti: Enti) -> None:
    ente = Ente.objects.create(
        tipo=TipoEnte.COMUNE, nome="Prova", codice_ipa="c_prova", superiore=enti.unione
    )
    prima = _righe()
    with transaction.atomic():
        registra_scrittura(ettore, ente, eliminato=True)
        ente.delete()
    riga = _una_riga_nuova(prima)
    assert riga.tipo == TipoEvento.ELIMINAZIONE
    assert riga.modifiche["nome"] == {"prima": "Prova", "dopo": None}
    assert riga.ente == enti.unione


def test_an_ente_with_a_history_cannot_be_deleted(ettore: Utente, enti: Enti) -> None:
    registra_lettura(ettore, enti.comune_a2)
    with pytest.raises(ProtectedError), transaction.atomic():
        enti.comune_a2.delete()


def test_a_password_change_is_recorded_without_the_hash(anna: Utente) -> None:
    vecchio = anna.password
    prima = _righe()
    do_cambia_password(anna, "una-nuova-password-lunga", acting_user=anna)
    riga = _una_riga_nuova(prima)
    assert riga.modifiche == {"password": {"prima": "[riservato]", "dopo": "[riservato]"}}
    assert vecchio not in str(riga.modifiche) and anna.password not in str(riga.modifiche)


def test_creating_a_user_records_no_password_hash(ettore: Utente) -> None:
    prima = _righe()
    nuovo = do_crea_utente("nuovo", password="una-password-lunga-2026", acting_user=ettore)
    riga = _una_riga_nuova(prima)
    assert riga.tipo == TipoEvento.CREAZIONE
    assert riga.modifiche["password"]["dopo"] == "[riservato]"
    assert nuovo.password not in str(riga.modifiche)


def test_a_write_outside_a_transaction_is_refused(anna: Utente, monkeypatch: Any) -> None:
    monkeypatch.setattr(
        transaction, "get_connection", lambda: type("C", (), {"in_atomic_block": False})()
    )
    with pytest.raises(RuntimeError, match="transaction"):
        registra_scrittura(anna, anna, prima=istantanea(anna))


def test_a_sensitive_read_writes_one_row(anna: Utente, enti: Enti) -> None:
    prima = _righe()
    registra_lettura(anna, enti.comune_a, dettagli={"motivo": "colloquio"})
    riga = _una_riga_nuova(prima)
    assert (riga.tipo, riga.utente, riga.ente) == (TipoEvento.LETTURA, anna, enti.comune_a)
    assert riga.dettagli == {"motivo": "colloquio"}


def test_the_client_address_is_recorded(
    dora: Utente, client_di: Callable[[Utente], Client]
) -> None:
    client_di(dora).get("/audit/", REMOTE_ADDR="192.0.2.7")
    assert _righe()[-1].indirizzo_ip == "192.0.2.7"


def test_admin_writes_are_audited(
    ettore: Utente, enti: Enti, client_di: Callable[[Utente], Client]
) -> None:
    client = client_di(ettore)
    prima = _righe()
    risposta = client.post(
        f"/admin/enti/ente/{enti.comune_a2.pk}/change/",
        {
            "tipo": "comune",
            "nome": "Comune di Almese (TO)",
            "codice_istat": "001006",
            "codice_ipa": "c_a218",
            "codice_catastale": "A218",
            "superiore": enti.unione.pk,
            "attivo": "on",
        },
    )
    assert risposta.status_code == 302
    riga = _una_riga_nuova(prima)
    assert riga.modifiche == {
        "nome": {"prima": "Comune di Almese", "dopo": "Comune di Almese (TO)"}
    }
    assert riga.utente == ettore


# --- Immutability --------------------------------------------------------------------------------


@pytest.fixture
def riga(enti: Enti, anna: Utente) -> AuditEvent:
    return registra_lettura(anna, enti.comune_a)


def test_an_existing_row_cannot_be_saved_again(riga: AuditEvent) -> None:
    riga.utente_nome = "qualcun altro"
    with pytest.raises(AuditImmutabileError):
        riga.save()


def test_a_row_cannot_be_deleted(riga: AuditEvent) -> None:
    with pytest.raises(AuditImmutabileError):
        riga.delete()


@pytest.mark.parametrize(
    "operazione",
    [
        lambda qs: qs.update(utente_nome="x"),
        lambda qs: qs.delete(),
        lambda qs: qs.bulk_update(list(qs), ["utente_nome"]),
    ],
    ids=["update", "delete", "bulk_update"],
)
def test_rows_cannot_be_changed_in_bulk(riga: AuditEvent, operazione: Any) -> None:
    with pytest.raises(AuditImmutabileError):
        operazione(AuditEvent.objects.senza_scope())


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET utente_nome = 'x'",
        "DELETE FROM audit_auditevent",
    ],
    ids=["update", "delete"],
)
def test_the_database_refuses_raw_sql_changes(riga: AuditEvent, sql: str) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursore:
        cursore.execute(sql)
    riga_nel_db = AuditEvent.objects.senza_scope().get(pk=riga.pk)
    assert riga_nel_db.utente_nome == "anna"


def test_the_maintenance_switch_lets_raw_sql_delete(riga: AuditEvent, anna: Utente) -> None:
    with manutenzione_audit(), connection.cursor() as cursore:
        cursore.execute("DELETE FROM audit_auditevent")
    assert not AuditEvent.objects.senza_scope().exists()
    registra_lettura(anna, anna)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursore:
        cursore.execute("UPDATE audit_auditevent SET utente_nome = 'x'")  # the switch is off again


def test_the_admin_shows_rows_but_cannot_change_or_delete_them(
    riga: AuditEvent, ettore: Utente, client_di: Callable[[Utente], Client]
) -> None:
    client = client_di(ettore)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get(f"/admin/audit/auditevent/{riga.pk}/change/").status_code == 200
    assert client.post(f"/admin/audit/auditevent/{riga.pk}/change/", {}).status_code == 403
    assert (
        client.post(f"/admin/audit/auditevent/{riga.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert AuditEvent.objects.senza_scope().get(pk=riga.pk).utente_nome == "anna"


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_can_flush_the_audit_table(enti: Enti, anna: Utente) -> None:
    # live_server tests flush the database afterwards: the conftest fixture makes that work.
    registra_lettura(anna, enti.comune_a)
    assert AuditEvent.objects.senza_scope().count() == 1
