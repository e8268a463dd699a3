"""Writes on the erogazioni: record a delivery of an intervento of the version in force, while
the progetto is active or monitored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from equo.web.cartella.models import Erogazione, Intervento, StatoCaso

if TYPE_CHECKING:
    from equo.web.accounts.models import Utente
from equo.web.cartella.actions._comuni import _crea, _solo_case_manager
from equo.web.cartella.actions.progetto import solo_in_vigore


@transaction.atomic
def do_registra_erogazione(
    intervento: Intervento, *, dati: Mapping[str, Any], acting_user: Utente
) -> Erogazione:
    caso = intervento.progetto.caso
    _solo_case_manager(caso, acting_user)
    if caso.stato not in {StatoCaso.PROGETTO_ATTIVO, StatoCaso.IN_MONITORAGGIO}:
        raise ValidationError(gettext("Le erogazioni si registrano con il progetto attivo."))
    solo_in_vigore(intervento.progetto)
    return _crea(Erogazione(ente_id=caso.ente_id, intervento=intervento, **dati), caso, acting_user)
