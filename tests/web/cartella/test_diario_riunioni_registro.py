"""The diario with several attachments (all or nothing, a maximum per entry), a relazione
entry, the audit of the meetings' convened and present members, the auditor's list of cases
(metadata only) and "I miei casi" consistent with the access rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from equo.web.accounts.models import Utente
from equo.web.audit.models import AuditEvent, TipoEvento
from equo.web.cartella import actions
from equo.web.cartella.models import (
    AllegatoDiario,
    Caso,
    MembroEquipe,
    Progetto,
    StatoCaso,
    TipoVoce,
    VoceDiario,
)
from equo.web.enti.models import Incarico, Ruolo
from tests.web.cartella import fabbrica
from tests.web.conftest import Enti

pytestmark = pytest.mark.django_db

ClientDi = Callable[[Utente], Client]
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _cartella_allegati(tmp_path: Path, settings: Any) -> None:
    settings.EQUO_ALLEGATI_DIR = str(tmp_path / "allegati")


def _salvati() -> list[Path]:
    cartella = Path(settings.EQUO_ALLEGATI_DIR)
    return sorted(cartella.iterdir()) if cartella.exists() else []


def _post(client: Client, caso: Caso, files: list[tuple[str, bytes]], **altro: Any) -> Any:
    return client.post(
        reverse("cartella:nuova_voce", kwargs={"pk": caso.pk}),
        {
            "data": fabbrica.INIZIO.isoformat(),
            "tipo": TipoVoce.RELAZIONE,
            "testo": "Relazione per il tribunale.",
            "allegato": [SimpleUploadedFile(n, c) for n, c in files],
            **altro,
        },
    )


def test_an_entry_takes_several_attachments(
    caso_di_anna: Caso, anna: Utente, client_di: ClientDi
) -> None:
    client = client_di(anna)
    risposta = _post(client, caso_di_anna, [("relazione.pdf", PDF), ("foto.png", PNG)])
    assert risposta.status_code == 302
    voce = VoceDiario.objects.senza_scope().get(tipo=TipoVoce.RELAZIONE)
    nomi = sorted(a.nome_originale for a in AllegatoDiario.objects.senza_scope().filter(voce=voce))
    assert nomi == ["foto.png", "relazione.pdf"]
    assert len(_salvati()) == 2
    pagina = client.get(reverse("cartella:voce", kwargs={"pk": voce.pk})).content.decode()
    assert "Relazione" in pagina
    assert "relazione.pdf" in pagina
    assert "foto.png" in pagina


def test_one_refused_file_refuses_the_whole_entry_and_leaves_no_file(
    caso_di_anna: Caso, anna: Utente, client_di: ClientDi
) -> None:
    voci = VoceDiario.objects.senza_scope().count()
    risposta = _post(client_di(anna), caso_di_anna, [("buono.pdf", PDF), ("virus.pdf", EXE)])
    assert risposta.status_code == 200
    testo = risposta.content.decode()
    assert "virus.pdf: Il contenuto del file non corrisponde a un PDF" in testo
    assert VoceDiario.objects.senza_scope().count() == voci
    assert not AllegatoDiario.objects.senza_scope().exists()
    assert _salvati() == []


def test_the_action_removes_the_files_already_written_when_a_later_one_fails(
    caso_di_anna: Caso, anna: Utente
) -> None:
    """All or nothing below the form too: the second file fails in the action."""
    from django.core.exceptions import ValidationError

    voci = VoceDiario.objects.senza_scope().count()
    with pytest.raises(ValidationError):
        actions.do_scrivi_voce_diario(
            caso_di_anna,
            dati={"data": fabbrica.INIZIO, "tipo": TipoVoce.RELAZIONE, "testo": "x"},
            allegati=[SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.exe", EXE)],
            acting_user=anna,
        )
    assert VoceDiario.objects.senza_scope().count() == voci
    assert _salvati() == []


def test_the_number_of_attachments_per_entry_is_capped_by_the_setting(
    caso_di_anna: Caso, anna: Utente, client_di: ClientDi, settings: Any
) -> None:
    settings.EQUO_ALLEGATI_MAX_PER_VOCE = 2
    voci = VoceDiario.objects.senza_scope().count()
    risposta = _post(
        client_di(anna), caso_di_anna, [("a.pdf", PDF), ("b.pdf", PDF), ("c.pdf", PDF)]
    )
    assert risposta.status_code == 200
    assert "Al massimo 2 allegati per voce: ne hai scelti 3." in risposta.content.decode()
    assert VoceDiario.objects.senza_scope().count() == voci
    assert _salvati() == []


def test_the_attachment_input_is_multiple_and_outside_the_floating_label_group(
    caso_di_anna: Caso, anna: Utente, client_di: ClientDi
) -> None:
    """The «Allegati» label no longer sits absolutely positioned over «Riservata»."""
    pagina = (
        client_di(anna)
        .get(reverse("cartella:nuova_voce", kwargs={"pk": caso_di_anna.pk}))
        .content.decode()
    )
    assert 'type="file" name="allegato"' in pagina
    assert "multiple" in pagina.split('name="allegato"')[1].split(">")[0]
    gruppo = pagina.split('for="id_allegato"')[0].rsplit("<div", 1)[1]
    assert "form-group" not in gruppo


def _membri(caso: Caso) -> list[MembroEquipe]:
    return list(MembroEquipe.objects.senza_scope().filter(equipe__caso=caso))


def test_convened_and_present_members_are_audited(caso_di_anna: Caso, anna: Utente) -> None:
    membri = _membri(caso_di_anna)
    riunione = actions.do_convoca_riunione(
        caso_di_anna,
        dati={
            "data_ora": timezone.now() + dt.timedelta(days=2),
            "luogo": "Sede",
            "ordine_del_giorno": "Quadro.",
        },
        convocati=membri,
        acting_user=anna,
    )
    righe = AuditEvent.objects.senza_scope().filter(
        oggetto_tipo="cartella.riunioneequipe", oggetto_id=str(riunione.pk)
    )
    convocazione = righe.get(tipo=TipoEvento.MODIFICA)
    assert convocazione.modifiche == {
        "convocati": {"prima": [], "dopo": sorted(m.pk for m in membri)}
    }
    assert convocazione.dettagli == {"caso": caso_di_anna.pk}
    assert convocazione.utente == anna
    type(riunione).objects.senza_scope().filter(pk=riunione.pk).update(
        data_ora=timezone.now() - dt.timedelta(hours=1)
    )
    riunione.refresh_from_db()
    actions.do_registra_verbale(riunione, presenti=membri[:1], verbale="Fatto.", acting_user=anna)
    presenze = [r for r in righe.filter(tipo=TipoEvento.MODIFICA) if "presenti" in r.modifiche]
    assert len(presenze) == 1
    assert presenze[0].modifiche["presenti"] == {"prima": [], "dopo": [membri[0].pk]}


def test_the_auditor_reaches_the_audit_trail_from_a_list_without_content(
    caso_di_anna: Caso, anna: Utente, dora: Utente, client_di: ClientDi
) -> None:
    home = client_di(dora).get(reverse("ui:home")).content.decode()
    assert reverse("cartella:casi_registro") in home
    pagina = client_di(dora).get(reverse("cartella:casi_registro"))
    assert pagina.status_code == 200
    testo = pagina.content.decode()
    assert reverse("cartella:registro", kwargs={"pk": caso_di_anna.pk}) in testo
    assert "Anna" in testo  # the case manager
    assert "In valutazione" in testo
    persona = caso_di_anna.persona
    for segreto in (persona.cognome, persona.codice_fiscale, "Testo riservato", "Sintesi"):
        assert segreto not in testo, segreto
    assert (
        not AuditEvent.objects.senza_scope().filter(utente=dora, tipo=TipoEvento.LETTURA).exists()
    )


def test_the_auditors_list_is_empty_for_who_audits_nothing(
    caso_di_anna: Caso, anna: Utente, carla: Utente, client_di: ClientDi
) -> None:
    for utente in (anna, carla):
        testo = client_di(utente).get(reverse("cartella:casi_registro")).content.decode()
        assert reverse("cartella:registro", kwargs={"pk": caso_di_anna.pk}) not in testo


def test_the_case_details_say_aperto_il_as_written(
    caso_di_anna: Caso, anna: Utente, client_di: ClientDi
) -> None:
    testo = (
        client_di(anna)
        .get(reverse("cartella:caso", kwargs={"pk": caso_di_anna.pk}))
        .content.decode()
    )
    assert '<dt class="col-sm-4">Aperto il</dt>' in testo
    assert "Aperto Il" not in testo


def test_a_case_manager_who_lost_the_role_no_longer_lists_the_case(
    caso_di_anna: Caso, anna: Utente, enti: Enti, client_di: ClientDi
) -> None:
    Incarico.objects.create(utente=anna, ente=enti.comune_a, ruolo=Ruolo.AMMINISTRATIVO)
    client = client_di(anna)
    url_caso = reverse("cartella:caso", kwargs={"pk": caso_di_anna.pk})
    assert url_caso in client.get(reverse("cartella:miei_casi")).content.decode()
    Incarico.objects.filter(utente=anna, ruolo=Ruolo.ASSISTENTE_SOCIALE).update(attivo=False)
    assert client.get(url_caso).status_code == 404
    assert url_caso not in client.get(reverse("cartella:miei_casi")).content.decode()


def test_the_equipe_member_lists_the_case_she_can_open(
    caso_di_anna: Caso, sara: Utente, client_di: ClientDi
) -> None:
    client = client_di(sara)
    url_caso = reverse("cartella:caso", kwargs={"pk": caso_di_anna.pk})
    assert url_caso in client.get(reverse("cartella:miei_casi")).content.decode()
    assert client.get(url_caso).status_code == 200


def test_drafts_of_closed_cases_are_not_to_approve(
    caso_di_anna: Caso, anna: Utente, franco: Utente, client_di: ClientDi
) -> None:
    bozza = Progetto.objects.senza_scope().get(caso=caso_di_anna)
    url = reverse("cartella:approva_progetto", kwargs={"pk": bozza.pk})
    assert url in client_di(franco).get(reverse("cartella:miei_casi")).content.decode()
    Caso.objects.senza_scope().filter(pk=caso_di_anna.pk).update(stato=StatoCaso.CHIUSO)
    assert url not in client_di(franco).get(reverse("cartella:miei_casi")).content.decode()
