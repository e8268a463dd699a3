"""Writes on accessi and cases: record an accesso, open a case from it, move a case through
the workflow, close it with its final evaluation and reopen it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from equo.web.anagrafe.models import Nucleo, Persona
from equo.web.cartella.models import (
    Accesso,
    Caso,
    Chiusura,
    EsitoAccesso,
    StatoCaso,
    TransizioneCaso,
)
from equo.web.enti.models import Ente, Incarico, Ruolo

if TYPE_CHECKING:
    from equo.web.accounts.models import Utente
from equo.web.cartella.actions._comuni import (
    _con_blocco,
    _crea,
    _esegui_transizione,
    _modifica,
    _solo_case_manager,
)


@transaction.atomic
def do_registra_accesso(*, ente: Ente, dati: Mapping[str, Any], acting_user: Utente) -> Accesso:
    return _crea(Accesso(ente=ente, operatore=acting_user, **dati), None, acting_user)


@transaction.atomic
def do_apri_caso(
    *,
    ente: Ente,
    persona: Persona,
    area: str,
    case_manager: Utente,
    aperto_il: Any,
    acting_user: Utente,
    nucleo: Nucleo | None = None,
    accesso: Accesso | None = None,
    approvazione_richiesta: bool = True,
) -> Caso:
    """Open a case (state ``aperto``): its first transition row and the accesso's outcome.

    The accesso is re-read with a row lock, so that two submits of the same form cannot open
    two cases from it: the second waits for the first and then finds its case."""
    if not (
        case_manager.is_active
        and Incarico.objects.filter(
            utente=case_manager,
            ente=ente,
            ruolo=Ruolo.ASSISTENTE_SOCIALE,
            attivo=True,
            ente__attivo=True,
        ).exists()
    ):
        raise ValidationError(
            {
                "case_manager": gettext(
                    "Il case manager deve essere un assistente sociale attivo dell'ente."
                )
            }
        )
    if accesso is not None:
        accesso = Accesso.objects.senza_scope().select_for_update().get(pk=accesso.pk)
        if Caso.objects.senza_scope().filter(accesso_id=accesso.pk).exists():
            raise ValidationError(gettext("Da questo accesso è già stato aperto un caso."))
    caso = _crea(
        Caso(
            ente=ente,
            persona=persona,
            nucleo=nucleo,
            accesso=accesso,
            area=area,
            case_manager=case_manager,
            aperto_il=aperto_il,
            approvazione_richiesta=approvazione_richiesta,
            stato=StatoCaso.APERTO,
        ),
        None,
        acting_user,
    )
    TransizioneCaso.objects.create(
        ente=ente, caso=caso, da="", a=StatoCaso.APERTO, utente=acting_user, motivo="Apertura"
    )
    if accesso is not None and accesso.esito != EsitoAccesso.APERTURA_CASO:
        _modifica(accesso, {"esito": EsitoAccesso.APERTURA_CASO}, caso, acting_user)
    return caso


@transaction.atomic
def do_transizione_caso(
    caso: Caso, verso: str, *, acting_user: Utente, motivo: str = ""
) -> TransizioneCaso:
    """Move ``caso`` to ``verso`` if the table allows it: the transition row and the audit row
    are written together, or not at all."""
    bloccato = _con_blocco(caso)
    riga = _esegui_transizione(bloccato, verso, acting_user, motivo)
    caso.stato = bloccato.stato
    return riga


@transaction.atomic
def do_chiudi_caso(caso: Caso, *, dati: Mapping[str, Any], acting_user: Utente) -> Chiusura:
    """Record the final evaluation and close the case (guards of the table included)."""
    bloccato = _con_blocco(caso)
    _solo_case_manager(bloccato, acting_user)
    chiusura = _crea(Chiusura(ente_id=caso.ente_id, caso=bloccato, **dati), bloccato, acting_user)
    _esegui_transizione(bloccato, StatoCaso.CHIUSO, acting_user, motivo_transizione(chiusura))
    caso.stato = bloccato.stato
    return chiusura


def motivo_transizione(chiusura: Chiusura) -> str:
    """The reason written on the closure's transition row: the coded reason's label and its
    SINBA code (e.g. "Decesso (SINBA 8)")."""
    if not chiusura.codice_sinba:
        return chiusura.motivo_etichetta
    return gettext("%(motivo)s (SINBA %(codice)s)") % {
        "motivo": chiusura.motivo_etichetta,
        "codice": chiusura.codice_sinba,
    }


@transaction.atomic
def do_riapri_caso(caso: Caso, *, motivo: str, acting_user: Utente) -> TransizioneCaso:
    bloccato = _con_blocco(caso)
    riga = _esegui_transizione(bloccato, StatoCaso.APERTO, acting_user, motivo)
    for chiusura in Chiusura.objects.senza_scope().filter(caso_id=caso.pk, riaperta=False):
        _modifica(chiusura, {"riaperta": True}, bloccato, acting_user)
    caso.stato = bloccato.stato
    return riga
