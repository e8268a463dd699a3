"""Attachments of the diario: allowed types by content and extension, size limit, storage outside
the web root, need-to-know on download (riservata: only case manager and responsabile), audit."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from equo.web.accounts.models import Utente
from equo.web.audit.models import AuditEvent, TipoEvento
from equo.web.cartella import actions
from equo.web.cartella.models import AllegatoDiario, Caso, TipoVoce, VoceDiario
from tests.web.cartella.fabbrica import INIZIO

pytestmark = pytest.mark.django_db

ClientDi = Callable[[Utente], Client]
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def _zip(voci: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archivio:
        for nome, contenuto in voci.items():
            archivio.writestr(nome, contenuto)
    return buffer.getvalue()


ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
DOCX = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"})


def _file_salvati() -> list[Path]:
    cartella = Path(settings.EQUO_ALLEGATI_DIR)
    return sorted(cartella.iterdir()) if cartella.exists() else []


def _post_voce(client: Client, caso: Caso, nome: str, contenuto: bytes) -> Any:
    return client.post(
        reverse("cartella:nuova_voce", kwargs={"pk": caso.pk}),
        {
            "data": INIZIO.isoformat(),
            "tipo": TipoVoce.COLLOQUIO,
            "testo": "Colloquio con allegato.",
            "allegato": SimpleUploadedFile(nome, contenuto),
        },
    )


@pytest.mark.parametrize(
    ("nome", "contenuto", "mime"),
    [
        ("relazione.pdf", PDF, "application/pdf"),
        ("foto.png", PNG, "image/png"),
        ("foto.JPG", JPEG, "image/jpeg"),
        ("verbale.odt", ODT, "application/vnd.oasis.opendocument.text"),
        (
            "verbale.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_an_allowed_file_is_stored_outside_the_web_root(
    nome: str,
    contenuto: bytes,
    mime: str,
    caso_di_anna: Caso,
    anna: Utente,
    client_di: ClientDi,
) -> None:
    risposta = _post_voce(client_di(anna), caso_di_anna, nome, contenuto)
    assert risposta.status_code == 302
    allegato = AllegatoDiario.objects.senza_scope().get()
    assert allegato.nome_originale == nome
    assert allegato.tipo_mime == mime
    assert allegato.dimensione == len(contenuto)
    assert nome not in allegato.nome_archivio  # a random name on disk
    [salvato] = _file_salvati()
    assert salvato.name == allegato.nome_archivio
    assert salvato.read_bytes() == contenuto
    assert Path(settings.STATIC_ROOT).resolve() not in salvato.resolve().parents


@pytest.mark.parametrize(
    ("nome", "contenuto", "messaggio"),
    [
        ("programma.exe", EXE, "Tipo di file non ammesso"),
        ("programma.pdf", EXE, "non corrisponde a un PDF"),
        ("finto.docx", ODT, "non corrisponde a un DOCX"),
        ("finto.odt", b"PK\x03\x04rotto", "non corrisponde a un ODT"),
        ("senza_estensione", PDF, "Tipo di file non ammesso"),
    ],
)
def test_a_disallowed_file_is_refused_and_nothing_is_saved(
    nome: str,
    contenuto: bytes,
    messaggio: str,
    caso_di_anna: Caso,
    anna: Utente,
    client_di: ClientDi,
) -> None:
    voci = VoceDiario.objects.senza_scope().count()
    risposta = _post_voce(client_di(anna), caso_di_anna, nome, contenuto)
    assert risposta.status_code == 200
    assert messaggio in risposta.content.decode()
    assert VoceDiario.objects.senza_scope().count() == voci
    assert not AllegatoDiario.objects.senza_scope().exists()
    assert _file_salvati() == []


def test_an_oversized_file_is_refused_with_a_clear_message(
    caso_di_anna: Caso, anna: Utente, client_di: ClientDi, settings: Any
) -> None:
    settings.EQUO_ALLEGATI_MAX_BYTES = 1024 * 1024
    voci = VoceDiario.objects.senza_scope().count()
    grande = PDF + b"0" * (1024 * 1024)
    risposta = _post_voce(client_di(anna), caso_di_anna, "grande.pdf", grande)
    assert risposta.status_code == 200
    assert "supera la dimensione massima di 1 MB" in risposta.content.decode()
    assert VoceDiario.objects.senza_scope().count() == voci
    assert _file_salvati() == []


def test_a_failure_after_the_file_is_written_removes_it(
    caso_di_anna: Caso, anna: Utente, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The action checks the file again; a failure after writing rolls back rows and file."""
    from equo.web.cartella import allegati

    originale = allegati.scrivi

    def scrivi_poi_fallisci(file: Any, nome: str) -> Path:
        originale(file, nome)
        raise ValidationError("Errore simulato.")

    monkeypatch.setattr(allegati, "scrivi", scrivi_poi_fallisci)
    voci = VoceDiario.objects.senza_scope().count()
    with pytest.raises(ValidationError):
        actions.do_scrivi_voce_diario(
            caso_di_anna,
            dati={"data": INIZIO, "tipo": TipoVoce.COLLOQUIO, "testo": "x"},
            acting_user=anna,
            allegati=[SimpleUploadedFile("a.pdf", PDF)],
        )
    assert VoceDiario.objects.senza_scope().count() == voci
    assert not AllegatoDiario.objects.senza_scope().exists()
    assert _file_salvati() == []


def test_the_action_refuses_a_disallowed_file_too(caso_di_anna: Caso, anna: Utente) -> None:
    with pytest.raises(ValidationError, match="non corrisponde"):
        actions.do_scrivi_voce_diario(
            caso_di_anna,
            dati={"data": INIZIO, "tipo": TipoVoce.COLLOQUIO, "testo": "x"},
            acting_user=anna,
            allegati=[SimpleUploadedFile("a.pdf", EXE)],
        )
    assert not VoceDiario.objects.senza_scope().filter(testo="x").exists()
    assert _file_salvati() == []


def _allegato(caso: Caso, anna: Utente, *, riservata: bool) -> AllegatoDiario:
    voce = actions.do_scrivi_voce_diario(
        caso,
        dati={
            "data": INIZIO,
            "tipo": TipoVoce.RELAZIONE,
            "testo": "Relazione",
            "riservata": riservata,
        },
        acting_user=anna,
        allegati=[SimpleUploadedFile("relazione.pdf", PDF)],
    )
    return AllegatoDiario.objects.senza_scope().get(voce=voce)


#: persona → may download (ordinary entry, riservata entry).
ATTESE = {
    "anna": (True, True),  # case manager
    "franco": (True, True),  # responsabile di servizio
    "sara": (True, False),  # équipe, sanitario: diario yes, riservato no
    "dora": (False, False),  # auditor: audit trail only
    "marco": (False, False),  # colleague of the same ente, not on the case
    "carla": (False, False),  # outsider ente
}


@pytest.mark.parametrize("nome", sorted(ATTESE))
def test_download_follows_the_diario_rules_and_is_audited(
    nome: str,
    caso_di_anna: Caso,
    anna: Utente,
    request: pytest.FixtureRequest,
    client_di: ClientDi,
) -> None:
    utente: Utente = request.getfixturevalue(nome)
    client = client_di(utente)
    for allegato, ammesso in zip(
        (
            _allegato(caso_di_anna, anna, riservata=False),
            _allegato(caso_di_anna, anna, riservata=True),
        ),
        ATTESE[nome],
        strict=True,
    ):
        letture = AuditEvent.objects.senza_scope().filter(
            tipo=TipoEvento.LETTURA,
            oggetto_tipo="cartella.allegatodiario",
            oggetto_id=str(allegato.pk),
        )
        risposta = client.get(reverse("cartella:allegato", kwargs={"pk": allegato.pk}))
        if ammesso:
            assert risposta.status_code == 200
            assert risposta.content == PDF
            assert risposta["Content-Type"] == "application/pdf"
            assert "attachment" in risposta["Content-Disposition"]
            [riga] = letture
            assert riga.utente == utente
            assert riga.dettagli == {"caso": caso_di_anna.pk, "voce": allegato.voce_id}
        else:
            assert risposta.status_code == 404
            assert not letture.exists()


def test_the_entry_page_lists_its_attachments(
    caso_di_anna: Caso, anna: Utente, client_di: ClientDi
) -> None:
    allegato = _allegato(caso_di_anna, anna, riservata=False)
    pagina = client_di(anna).get(reverse("cartella:voce", kwargs={"pk": allegato.voce_id}))
    assert reverse("cartella:allegato", kwargs={"pk": allegato.pk}) in pagina.content.decode()
