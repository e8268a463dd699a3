"""Schemas of the quadro di analisi in the API: the équipe, its contributions and meetings."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

__all__ = ["ContributoOut", "MembroOut", "QuadroCasoOut", "QuadroOut", "RiunioneOut"]


class MembroOut(Schema):
    id: int
    nome: str
    utente: int | None = Field(description="L'utente di Equo; null per un componente esterno.")
    servizio: str
    ruolo: str = Field(description="Ruolo nell'équipe: sociale, sanitario, scuola, lavoro, altro.")
    attivo: bool


class ContributoOut(Schema):
    id: int
    membro: int
    testo: str
    aggiornato_il: dt.datetime


class QuadroOut(Schema):
    id: int
    avviato_il: dt.date
    concluso_il: dt.date | None
    sintesi: str
    contributi: list[ContributoOut]


class RiunioneOut(Schema):
    id: int
    data_ora: dt.datetime
    luogo: str
    ordine_del_giorno: str
    stato: str
    convocati: list[int] = Field(description="Id dei componenti convocati.")
    presenti: list[int] = Field(description="Id dei componenti presenti.")
    verbale: str
    motivo_annullamento: str


class QuadroCasoOut(Schema):
    caso: int
    quadro: QuadroOut | None = Field(description="null se il quadro non è ancora avviato.")
    equipe: list[MembroOut]
    riunioni: list[RiunioneOut]
