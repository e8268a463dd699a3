"""Coded lists of the cartella sociale kept as data files (``dati/``), not as code.

``dati/motivi_chiusura.csv`` is the list of reasons for closing a case. Each local code maps to
the SINBA ``MotivazioneChiusuraCarico`` code (``SINBA.xsd``, ``MotivazioneChiusuraCaricoType``,
1–9; see ``shared/domain/interop.md`` §1.3), following SISO's pattern of a local table with a
column holding the national code (``CS_TB_MOTIVO_CHIUSURA_PAI.CODICE_ESITO_SINBA``). The column
``certezza`` says whether the mapping is the XSD's own wording (``confermato``) or our reading
(``incerto``): the Lombardia ``MOCP`` value set was not found, so the regional mapping is missing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

__all__ = ["MotivoChiusura", "motivi_chiusura", "motivo_chiusura"]


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
