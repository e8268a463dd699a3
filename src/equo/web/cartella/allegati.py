"""Attachments of the diario sociale: checked by content and extension, stored outside the web
root.

Files live under ``settings.EQUO_ALLEGATI_DIR`` (default ``<data dir>/allegati``, i.e. the
git-ignored ``var/allegati/``), never under a directory the web server or WhiteNoise serves; they
are read only through the ``cartella:allegato`` view, which applies the diario's need-to-know
rules and audits the read. The stored name is random (the original name is kept in the row),
so a user-supplied name never becomes a path.

A file is accepted when its extension is in ``settings.EQUO_ALLEGATI_TIPI`` *and* its first
bytes (or, for ODT/DOCX, its zip content) match that extension: an ``.exe`` renamed ``.pdf`` is
refused. The size limit is ``settings.EQUO_ALLEGATI_MAX_BYTES``.
"""

from __future__ import annotations

import secrets
import zipfile
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

__all__ = ["TIPI", "cartella_allegati", "nuovo_nome", "percorso", "scrivi", "verifica"]

#: extension → (MIME type, label for the messages).
TIPI: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "PDF"),
    "png": ("image/png", "PNG"),
    "jpg": ("image/jpeg", "JPEG"),
    "jpeg": ("image/jpeg", "JPEG"),
    "odt": ("application/vnd.oasis.opendocument.text", "ODT"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "DOCX",
    ),
}


def cartella_allegati() -> Path:
    return Path(settings.EQUO_ALLEGATI_DIR)


def percorso(nome_archivio: str) -> Path:
    """The absolute path of a stored file (``nome_archivio`` is always our random name)."""
    base = cartella_allegati().resolve()
    completo = (base / nome_archivio).resolve()
    if base not in completo.parents:  # defence in depth: never leave the directory
        raise ValueError(nome_archivio)
    return completo


def _zip_con(file: IO[bytes], atteso: str) -> bool:
    try:
        with zipfile.ZipFile(file) as archivio:
            nomi = set(archivio.namelist())
            if atteso == "odt":
                return (
                    "mimetype" in nomi
                    and archivio.read("mimetype").strip() == TIPI["odt"][0].encode()
                )
            return "word/document.xml" in nomi and "[Content_Types].xml" in nomi
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def _contenuto_corrisponde(file: IO[bytes], estensione: str) -> bool:
    file.seek(0)
    inizio = file.read(16)
    file.seek(0)
    if estensione == "pdf":
        return inizio.startswith(b"%PDF-")
    if estensione == "png":
        return inizio.startswith(b"\x89PNG\r\n\x1a\n")
    if estensione in {"jpg", "jpeg"}:
        return inizio.startswith(b"\xff\xd8\xff")
    if estensione in {"odt", "docx"}:
        if not inizio.startswith(b"PK\x03\x04"):
            return False
        esito = _zip_con(file, estensione)
        file.seek(0)
        return esito
    return False


def verifica(file: Any) -> tuple[str, str]:
    """Check an uploaded file; returns ``(extension, MIME type)`` or raises ``ValidationError``
    with an Italian message."""
    massimo: int = settings.EQUO_ALLEGATI_MAX_BYTES
    if file.size > massimo:
        raise ValidationError(
            gettext("Il file supera la dimensione massima di %(mb)s MB.")
            % {"mb": f"{massimo / (1024 * 1024):g}"}
        )
    ammessi = [e for e in settings.EQUO_ALLEGATI_TIPI if e in TIPI]
    estensione = Path(file.name or "").suffix.lower().lstrip(".")
    elenco = ", ".join(sorted({TIPI[e][1] for e in ammessi}))
    if estensione not in ammessi:
        raise ValidationError(
            gettext("Tipo di file non ammesso: sono ammessi %(tipi)s.") % {"tipi": elenco}
        )
    if not _contenuto_corrisponde(file, estensione):
        raise ValidationError(
            gettext("Il contenuto del file non corrisponde a un %(tipo)s: sono ammessi %(tipi)s.")
            % {"tipo": TIPI[estensione][1], "tipi": elenco}
        )
    return estensione, TIPI[estensione][0]


def nuovo_nome(estensione: str) -> str:
    """A random name for a new stored file (the user's name never becomes a path)."""
    return f"{secrets.token_hex(16)}.{estensione}"


def scrivi(file: Any, nome_archivio: str) -> Path:
    """Write the upload as ``nome_archivio`` (the caller removes it if the transaction does not
    commit)."""
    cartella_allegati().mkdir(parents=True, exist_ok=True, mode=0o700)
    destinazione = percorso(nome_archivio)
    file.seek(0)
    with destinazione.open("xb") as uscita:
        for pezzo in file.chunks():
            uscita.write(pezzo)
    destinazione.chmod(0o600)
    return destinazione
