"""Schemas of the diario sociale in the API (attachments: metadata and web link, no bytes)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, StringConstraints

from equo.web.api.errori import testo_senza_controllo
from equo.web.cartella.models import TipoVoce

__all__ = ["AllegatoOut", "VoceIn", "VoceOut", "VoceSintesi"]

Testo = Annotated[
    str,
    StringConstraints(min_length=1, max_length=20000, strip_whitespace=True),
    AfterValidator(testo_senza_controllo),
]


class AllegatoOut(Schema):
    id: int
    nome: str
    tipo: str = Field(description="Tipo MIME.")
    dimensione: int = Field(description="Byte.")
    url: str = Field(
        description="Scaricamento dalla pagina web (sessione; ogni lettura è "
        "registrata). L'API non trasmette i file."
    )


class VoceSintesi(Schema):
    id: int
    data: dt.date
    tipo: str
    testo: str
    riservata: bool
    autore: int
    creato_il: dt.datetime
    allegati: int = Field(description="Numero di allegati.")


class VoceOut(Schema):
    id: int
    caso: int
    data: dt.date
    tipo: str
    testo: str
    riservata: bool
    autore: int
    creato_il: dt.datetime
    allegati: list[AllegatoOut]


class VoceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    data: dt.date
    tipo: TipoVoce
    testo: Testo
    riservata: bool = False
