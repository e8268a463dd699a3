"""The anagrafe's API schemas (pydantic, via django-ninja): field names are the models'.

Input schemas refuse unknown fields, NUL characters and lone surrogates; their limits are the
models' (``max_length``). Places are codes: ``nascita_codice_catastale`` (Belfiore, ``Z…`` for a
foreign state; empty = read from the codice fiscale) and ``residenza_codice_istat``; the labels
(``nascita_luogo``, ``residenza_comune``) are filled in by Equo.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, StringConstraints

from equo.web.anagrafe.models import (
    Relazione,
    Sesso,
    TipoContatto,
    TipoIndirizzo,
    TipoNucleo,
)
from equo.web.api.errori import testo_senza_controllo

__all__ = [
    "ID_MASSIMO",
    "AppartenenzaOut",
    "ContattoOut",
    "FiltriNuclei",
    "FiltriPersone",
    "IndirizzoOut",
    "MembroIn",
    "MembroOut",
    "NucleoDati",
    "NucleoDettaglio",
    "NucleoIn",
    "NucleoSintesi",
    "PaginaNuclei",
    "PaginaPersone",
    "PersonaDati",
    "PersonaDettaglio",
    "PersonaIn",
    "PersonaModifica",
    "PersonaRiferimento",
    "PersonaSintesi",
]

#: The largest id a database integer holds (larger ones answer 422, not a database error).
ID_MASSIMO = 2**63 - 1
PER_PAGINA = 25
MASSIMO_PER_PAGINA = 100


_SICURO = AfterValidator(testo_senza_controllo)

Id = Annotated[int, Field(ge=1, le=ID_MASSIMO)]
Nome = Annotated[str, StringConstraints(min_length=1, max_length=100), _SICURO]
CodiceFiscale = Annotated[str, StringConstraints(min_length=1, max_length=24), _SICURO]
Denominazione = Annotated[str, StringConstraints(min_length=1, max_length=200), _SICURO]
Testo2 = Annotated[str, StringConstraints(max_length=2), _SICURO]
Testo4 = Annotated[str, StringConstraints(max_length=4), _SICURO]
Testo6 = Annotated[str, StringConstraints(max_length=6), _SICURO]
Testo100 = Annotated[str, StringConstraints(max_length=100), _SICURO]
Testo200 = Annotated[str, StringConstraints(max_length=200), _SICURO]
Note = Annotated[str, StringConstraints(max_length=5000), _SICURO]


class _Ingresso(Schema):
    model_config = ConfigDict(extra="forbid")


# --- Persons -------------------------------------------------------------------------------------


class FiltriPersone(Schema):
    q: Testo100 | None = Field(
        None, description="Ricerca per nome o codice fiscale, tollerante ad accenti e refusi."
    )
    cognome: Testo100 | None = Field(None, description="Cognome esatto (maiuscole indifferenti).")
    nome: Testo100 | None = Field(None, description="Nome esatto (maiuscole indifferenti).")
    codice_fiscale: CodiceFiscale | None = None
    residenza_codice_istat: Testo6 | None = Field(
        None, description="Codice ISTAT del comune di residenza (6 cifre)."
    )
    limit: int = Field(PER_PAGINA, ge=1, le=MASSIMO_PER_PAGINA)
    offset: int = Field(0, ge=0, le=1_000_000_000)


class PersonaSintesi(Schema):
    id: int
    ente: int
    cognome: str
    nome: str
    codice_fiscale: str
    sesso: Sesso
    data_nascita: dt.date
    residenza_codice_istat: str
    residenza_comune: str


class PaginaPersone(Schema):
    totale: int = Field(description="Quante persone rispondono ai filtri (al massimo 100 con q).")
    limit: int
    offset: int
    risultati: list[PersonaSintesi]


class PersonaDati(PersonaSintesi):
    nascita_codice_catastale: str
    nascita_codice_istat: str
    nascita_luogo: str
    cittadinanza: str
    note: str
    creato_il: dt.datetime


class IndirizzoOut(Schema):
    id: int
    tipo: TipoIndirizzo
    via: str
    civico: str
    cap: str
    comune_codice_istat: str
    comune: str


class ContattoOut(Schema):
    id: int
    tipo: TipoContatto
    valore: str
    descrizione: str


class AppartenenzaOut(Schema):
    membro: int
    nucleo: int
    denominazione: str
    tipo: TipoNucleo
    relazione: Relazione
    dal: dt.date
    al: dt.date | None


class PersonaDettaglio(PersonaDati):
    indirizzi: list[IndirizzoOut]
    contatti: list[ContattoOut]
    nuclei: list[AppartenenzaOut]


class PersonaIn(_Ingresso):
    cognome: Nome
    nome: Nome
    codice_fiscale: CodiceFiscale
    sesso: Sesso
    data_nascita: dt.date
    nascita_codice_catastale: Testo4 = Field(
        "", description="Codice Belfiore del luogo di nascita; vuoto: dal codice fiscale."
    )
    cittadinanza: Testo2 = Field("IT", description="Codice ISO 3166-1 alpha-2.")
    residenza_codice_istat: Testo6 = ""
    note: Note = ""


class PersonaModifica(_Ingresso):
    """Only the fields sent change."""

    cognome: Nome | None = None
    nome: Nome | None = None
    codice_fiscale: CodiceFiscale | None = None
    sesso: Sesso | None = None
    data_nascita: dt.date | None = None
    nascita_codice_catastale: Testo4 | None = None
    cittadinanza: Testo2 | None = None
    residenza_codice_istat: Testo6 | None = None
    note: Note | None = None


# --- Nuclei --------------------------------------------------------------------------------------


class FiltriNuclei(Schema):
    tipo: TipoNucleo | None = None
    denominazione: Testo200 | None = Field(
        None, description="Parte della denominazione (maiuscole indifferenti)."
    )
    persona: Id | None = Field(None, description="Solo i nuclei di cui la persona è componente.")
    limit: int = Field(PER_PAGINA, ge=1, le=MASSIMO_PER_PAGINA)
    offset: int = Field(0, ge=0, le=1_000_000_000)


class NucleoSintesi(Schema):
    id: int
    ente: int
    tipo: TipoNucleo
    denominazione: str
    componenti: int = Field(description="Componenti attuali.")


class PaginaNuclei(Schema):
    totale: int
    limit: int
    offset: int
    risultati: list[NucleoSintesi]


class NucleoDati(Schema):
    id: int
    ente: int
    tipo: TipoNucleo
    denominazione: str
    note: str
    creato_il: dt.datetime


class PersonaRiferimento(Schema):
    id: int
    cognome: str
    nome: str
    codice_fiscale: str


class MembroOut(Schema):
    id: int
    persona: PersonaRiferimento
    relazione: Relazione
    dal: dt.date
    al: dt.date | None
    attivo: bool


class NucleoDettaglio(NucleoDati):
    membri: list[MembroOut]


class NucleoIn(_Ingresso):
    tipo: TipoNucleo
    denominazione: Denominazione
    note: Note = ""


class MembroIn(_Ingresso):
    persona: Id = Field(description="Id di una persona dell'anagrafe dell'ente del nucleo.")
    relazione: Relazione
    dal: dt.date | None = Field(None, description="Vuoto: oggi.")
    al: dt.date | None = None
