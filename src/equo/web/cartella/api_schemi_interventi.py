"""Schemas of the interventi in the API (SIUSS code and label, provider, dates, money)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, StringConstraints

from equo.web.api.errori import testo_senza_controllo
from equo.web.cartella.api_schemi import ErogazioneOut, InterventoOut

__all__ = ["InterventoDettaglio", "InterventoIn", "InterventoOut"]

Soldi = Annotated[Decimal, Field(ge=0, max_digits=10, decimal_places=2)]


CodiceSiuss = Annotated[
    str,
    StringConstraints(max_length=12, strip_whitespace=True),
    AfterValidator(testo_senza_controllo),
]
Riga100 = Annotated[
    str,
    StringConstraints(max_length=100, strip_whitespace=True),
    AfterValidator(testo_senza_controllo),
]
Riga200 = Annotated[
    str,
    StringConstraints(max_length=200, strip_whitespace=True),
    AfterValidator(testo_senza_controllo),
]
Riga300 = Annotated[
    str,
    StringConstraints(max_length=300, strip_whitespace=True),
    AfterValidator(testo_senza_controllo),
]


class InterventoDettaglio(InterventoOut):
    progetto: int
    erogazioni: list[ErogazioneOut] | None = Field(
        description="null se il chiamante non legge le erogazioni del caso."
    )


class InterventoIn(Schema):
    model_config = ConfigDict(extra="forbid")

    codice_siuss: CodiceSiuss = Field(
        description="Codice della prestazione nel nomenclatore SIUSS, es. A1.05.01."
    )
    descrizione: Riga300 = ""
    obiettivo: int | None = Field(
        None, ge=1, le=2**63 - 1, description="Id di un obiettivo del progetto."
    )
    erogatore: Riga200
    frequenza: Riga100 = ""
    inizio: dt.date
    fine: dt.date | None = None
    costo: Soldi | None = None
    compartecipazione: Soldi | None = None
