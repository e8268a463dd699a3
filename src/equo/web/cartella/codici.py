"""Coded lists of the cartella sociale kept as data files (``dati/``), not as code.

``dati/motivi_chiusura.csv`` is the list of reasons for closing a case. Each local code maps to
the SINBA ``MotivazioneChiusuraCarico`` code (``SINBA.xsd``, ``MotivazioneChiusuraCaricoType``,
1–9; see ``shared/domain/interop.md`` §1.3), following SISO's pattern of a local table with a
column holding the national code (``CS_TB_MOTIVO_CHIUSURA_PAI.CODICE_ESITO_SINBA``). The column
``certezza`` says whether the mapping is the XSD's own wording (``confermato``) or our reading
(``incerto``): the Lombardia ``MOCP`` value set was not found, so no regional mapping ships.

A region's own codes are configured instead: the optional setting
``EQUO_MOTIVI_CHIUSURA_REGIONALI`` is the path of a CSV with the columns ``codice`` (a local
code of ``motivi_chiusura.csv``), ``codice_regionale`` and ``etichetta_regionale``. The file is
read once per process; :func:`errori_regionali` lists its problems (missing columns, unknown or
repeated codes, empty regional codes) with their line, and the system check
``cartella.E001`` (:mod:`equo.web.cartella.controlli`) refuses to start with a broken file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from django.conf import settings

__all__ = [
    "COLONNE_REGIONALI",
    "CodiceRegionale",
    "MotivoChiusura",
    "codice_regionale",
    "errori_regionali",
    "motivi_chiusura",
    "motivo_chiusura",
]

#: The columns of the regional file, in any order (more columns are ignored).
COLONNE_REGIONALI = ("codice", "codice_regionale", "etichetta_regionale")


@dataclass(frozen=True)
class MotivoChiusura:
    codice: str
    etichetta: str
    codice_sinba: str
    certezza: str
    nota: str


@cache
def motivi_chiusura() -> tuple[MotivoChiusura, ...]:
    """Every reason for closing a case, in file order.

    >>> motivi_chiusura()[0].codice_sinba
    '4'
    """
    testo = files("equo.web.cartella").joinpath("dati/motivi_chiusura.csv").read_text("utf-8")
    return tuple(MotivoChiusura(**riga) for riga in csv.DictReader(io.StringIO(testo)))


def motivo_chiusura(codice: str) -> MotivoChiusura | None:
    """The reason with this code, or None.

    >>> motivo_chiusura("decesso").codice_sinba
    '8'
    """
    return next((m for m in motivi_chiusura() if m.codice == codice), None)


@dataclass(frozen=True)
class CodiceRegionale:
    codice: str
    codice_regionale: str
    etichetta_regionale: str


def _percorso_regionale() -> str:
    return str(getattr(settings, "EQUO_MOTIVI_CHIUSURA_REGIONALI", "") or "")


@cache
def _leggi_regionali(percorso: str) -> tuple[dict[str, CodiceRegionale], tuple[str, ...]]:
    """The regional codes of the file at ``percorso`` and the problems found (one per line)."""
    try:
        testo = Path(percorso).read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as errore:
        return {}, (f"{percorso}: cannot read the file ({errore}).",)
    lettore = csv.DictReader(io.StringIO(testo))
    mancanti = [c for c in COLONNE_REGIONALI if c not in (lettore.fieldnames or [])]
    if mancanti:
        return {}, (f"{percorso}, line 1: missing column(s) {', '.join(mancanti)}.",)
    locali = {m.codice for m in motivi_chiusura()}
    mappa: dict[str, CodiceRegionale] = {}
    righe: dict[str, int] = {}
    errori: list[str] = []
    for riga in lettore:
        numero = lettore.line_num
        codice = (riga.get("codice") or "").strip()
        regionale = (riga.get("codice_regionale") or "").strip()
        if codice not in locali:
            errori.append(f"{percorso}, line {numero}: unknown closure reason code {codice!r}.")
        elif codice in righe:
            errori.append(
                f"{percorso}, line {numero}: code {codice!r} already mapped on line "
                f"{righe[codice]}."
            )
        elif not regionale:
            errori.append(f"{percorso}, line {numero}: empty codice_regionale for {codice!r}.")
        else:
            righe[codice] = numero
            etichetta = (riga.get("etichetta_regionale") or "").strip()
            mappa[codice] = CodiceRegionale(codice, regionale, etichetta)
    return (mappa if not errori else {}), tuple(errori)


def errori_regionali() -> tuple[str, ...]:
    """The problems of the configured regional file (none if it is not configured)."""
    percorso = _percorso_regionale()
    return _leggi_regionali(percorso)[1] if percorso else ()


def codice_regionale(codice: str) -> CodiceRegionale | None:
    """The regional code of the local reason ``codice``, or None (not configured, not mapped,
    or a broken file, which the system check reports)."""
    percorso = _percorso_regionale()
    return _leggi_regionali(percorso)[0].get(codice) if percorso else None
