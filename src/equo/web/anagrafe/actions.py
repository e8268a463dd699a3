"""Writes on the anagrafe: each one atomic, validated (``full_clean``), with one audit row.

The callers (views, later the API) have already checked that ``acting_user`` may write in the
ente concerned; the actions check the data. ``dati`` are field values of the model (the forms'
``cleaned_data`` translated by the form), never the request itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction

from equo.web.anagrafe.models import Contatto, Indirizzo, LegameRete, Membro, Nucleo, Persona
from equo.web.audit.registro import istantanea, registra_scrittura
from equo.web.enti.models import Ente

if TYPE_CHECKING:
    from equo.web.accounts.models import Utente

__all__ = [
    "do_aggiungi_contatto",
    "do_aggiungi_legame",
    "do_aggiungi_membro",
    "do_crea_nucleo",
    "do_crea_persona",
    "do_elimina_contatto",
    "do_elimina_legame",
    "do_modifica_membro",
    "do_modifica_nucleo",
    "do_modifica_persona",
    "do_salva_indirizzo",
]

_M = TypeVar("_M", bound=models.Model)


def _crea(oggetto: _M, acting_user: Utente | None) -> _M:
    oggetto.full_clean()
    oggetto.save()
    registra_scrittura(acting_user, oggetto)
    return oggetto


def _modifica(oggetto: _M, dati: Mapping[str, Any], acting_user: Utente | None) -> _M:
    prima = istantanea(oggetto)
    for campo, valore in dati.items():
        setattr(oggetto, campo, valore)
    oggetto.full_clean()
    oggetto.save()
    registra_scrittura(acting_user, oggetto, prima=prima)
    return oggetto


@transaction.atomic
def do_crea_persona(*, ente: Ente, dati: Mapping[str, Any], acting_user: Utente | None) -> Persona:
    return _crea(Persona(ente=ente, **dati), acting_user)


@transaction.atomic
def do_modifica_persona(
    persona: Persona, dati: Mapping[str, Any], *, acting_user: Utente | None
) -> Persona:
    return _modifica(persona, dati, acting_user)


@transaction.atomic
def do_salva_indirizzo(
    persona: Persona, tipo: str, dati: Mapping[str, Any], *, acting_user: Utente | None
) -> Indirizzo:
    """Create the person's address of this ``tipo``, or change the existing one."""
    esistente = Indirizzo.objects.senza_scope().filter(persona=persona, tipo=tipo).first()
    if esistente is None:
        return _crea(
            Indirizzo(ente_id=persona.ente_id, persona=persona, tipo=tipo, **dati), acting_user
        )
    return _modifica(esistente, dati, acting_user)


@transaction.atomic
def do_aggiungi_contatto(
    persona: Persona, *, dati: Mapping[str, Any], acting_user: Utente | None
) -> Contatto:
    return _crea(Contatto(ente_id=persona.ente_id, persona=persona, **dati), acting_user)


@transaction.atomic
def do_elimina_contatto(contatto: Contatto, *, acting_user: Utente | None) -> None:
    registra_scrittura(acting_user, contatto, eliminato=True)
    contatto.delete()


@transaction.atomic
def do_aggiungi_legame(
    persona: Persona, *, dati: Mapping[str, Any], acting_user: Utente | None
) -> LegameRete:
    return _crea(LegameRete(ente_id=persona.ente_id, persona=persona, **dati), acting_user)


@transaction.atomic
def do_elimina_legame(legame: LegameRete, *, acting_user: Utente | None) -> None:
    registra_scrittura(acting_user, legame, eliminato=True)
    legame.delete()


@transaction.atomic
def do_crea_nucleo(*, ente: Ente, dati: Mapping[str, Any], acting_user: Utente | None) -> Nucleo:
    return _crea(Nucleo(ente=ente, **dati), acting_user)


@transaction.atomic
def do_modifica_nucleo(
    nucleo: Nucleo, dati: Mapping[str, Any], *, acting_user: Utente | None
) -> Nucleo:
    return _modifica(nucleo, dati, acting_user)


@transaction.atomic
def do_aggiungi_membro(
    nucleo: Nucleo, persona: Persona, *, dati: Mapping[str, Any], acting_user: Utente | None
) -> Membro:
    """Add ``persona`` to ``nucleo`` (same ente) with a relationship and a start date."""
    return _crea(
        Membro(ente_id=nucleo.ente_id, nucleo=nucleo, persona=persona, **dati), acting_user
    )


@transaction.atomic
def do_modifica_membro(
    membro: Membro, dati: Mapping[str, Any], *, acting_user: Utente | None
) -> Membro:
    """Change a member's relationship or dates (``al``: the person left the nucleo)."""
    return _modifica(membro, dati, acting_user)
