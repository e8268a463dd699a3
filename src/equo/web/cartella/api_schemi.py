"""The cartella's API schemas (pydantic, via django-ninja): field names are the models'.

Sections a caller may not read are absent (``null``) rather than empty, so that "nothing there"
and "not for you" are told apart. Input schemas refuse unknown fields and NUL characters.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, StringConstraints

from equo.web.api.errori import testo_senza_controllo
from equo.web.cartella.models import StatoCaso

__all__ = [
    "AnalisiOut",
    "CasoDettaglio",
    "CasoSintesi",
    "ChiusuraOut",
    "ErogazioneIn",
    "ErogazioneOut",
    "FiltriCasi",
    "PaginaCasi",
    "ProgettoOut",
    "TransizioneOut",
]

PER_PAGINA = 25
MASSIMO_PER_PAGINA = 100

Note = Annotated[str, StringConstraints(max_length=5000), AfterValidator(testo_senza_controllo)]
Soldi = Annotated[Decimal, Field(ge=0, max_digits=10, decimal_places=2)]
Ore = Annotated[Decimal, Field(ge=0, max_digits=7, decimal_places=2)]


class FiltriCasi(Schema):
    stato: StatoCaso | None = None
    area: str | None = Field(
        None,
        max_length=30,
        pattern=r"^[-a-zA-Z0-9_]+$",
        description="Codice di un'area utenza configurata (es. famiglia_minori).",
    )
    limit: int = Field(PER_PAGINA, ge=1, le=MASSIMO_PER_PAGINA)
    offset: int = Field(0, ge=0, le=1_000_000_000)


class PersonaCaso(Schema):
    id: int
    cognome: str
    nome: str


class CasoSintesi(Schema):
    id: int
    ente: int
    persona: PersonaCaso
    area: str = Field(description="Codice dell'area utenza (tabella delle aree configurate).")
    stato: str
    aperto_il: dt.date
    case_manager: int
    ruolo: str = Field(
        description="Perché il chiamante vede il caso: case_manager, responsabile o equipe."
    )


class PaginaCasi(Schema):
    totale: int
    limit: int
    offset: int
    risultati: list[CasoSintesi]


class DimensioneOut(Schema):
    dimensione: str
    persona: int | None
    livello: str
    risorse: str


class AnalisiOut(Schema):
    id: int
    data: dt.date
    esito: str
    sintesi: str
    dimensioni: list[DimensioneOut]


class ObiettivoOut(Schema):
    id: int
    persona: int | None
    descrizione: str
    risultato_atteso: str
    indicatore: str
    scadenza: dt.date
    esito_finale: str
    nota_esito: str


class InterventoOut(Schema):
    id: int
    obiettivo: int | None
    codice_siuss: str = Field(description="Codice della prestazione nel nomenclatore SIUSS.")
    etichetta_siuss: str
    descrizione: str
    erogatore: str
    frequenza: str
    inizio: dt.date
    fine: dt.date | None
    costo: Decimal | None
    compartecipazione: Decimal | None


class ProgettoOut(Schema):
    id: int
    versione: int
    stato: str
    descrizione: str
    data_accordo: dt.date | None
    prossima_verifica: dt.date | None
    approvato_il: dt.datetime | None
    obiettivi: list[ObiettivoOut]
    interventi: list[InterventoOut]


class ErogazioneOut(Schema):
    id: int
    intervento: int
    dal: dt.date
    al: dt.date
    ore: Decimal | None
    importo: Decimal | None
    quota_ente: Decimal
    quota_utente: Decimal
    quota_ssn: Decimal
    note: str


class TransizioneOut(Schema):
    da: str = Field(description="Stato di partenza (vuoto all'apertura).")
    a: str
    utente: int | None
    il: dt.datetime
    motivo: str


class ChiusuraOut(Schema):
    id: int
    data: dt.date
    motivo: str = Field(description="Codice del motivo di chiusura.")
    motivo_etichetta: str
    codice_sinba: str
    valutazione_finale: str
    riaperta: bool


class CasoDettaglio(CasoSintesi):
    nucleo: int | None
    sezioni: list[str] = Field(description="Le sezioni del caso che il chiamante può leggere.")
    transizioni: list[TransizioneOut] = Field(description="La storia degli stati del caso.")
    chiusure: list[ChiusuraOut] | None = Field(
        None,
        description="Chiusure (e riaperture) del caso, con la valutazione finale; null per chi "
        "non legge la sezione chiusura.",
    )
    analisi: AnalisiOut | None = None
    progetto: ProgettoOut | None = None
    erogazioni: list[ErogazioneOut] | None = None


class ErogazioneIn(Schema):
    model_config = ConfigDict(extra="forbid")

    dal: dt.date
    al: dt.date
    ore: Ore | None = None
    importo: Soldi | None = None
    quota_ente: Soldi = Decimal(0)
    quota_utente: Soldi = Decimal(0)
    quota_ssn: Soldi = Decimal(0)
    note: Note = ""
