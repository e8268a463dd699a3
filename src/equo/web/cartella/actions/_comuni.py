"""The building blocks of every write on the cartella: create or change a row with its audit
row, refuse writes on a closed case or by who is not the case manager, lock the case, and run
one transition of the workflow table (guards, transition row, audit row)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext

from equo.web.audit.registro import istantanea, registra_scrittura
from equo.web.cartella.flusso import Attore, TransizioneNonAmmessaError, errori_guardie, transizione
from equo.web.cartella.models import Caso, StatoCaso, TransizioneCaso
from equo.web.cartella.permessi import e_case_manager, e_responsabile

if TYPE_CHECKING:
    from equo.web.accounts.models import Utente


_M = TypeVar("_M", bound=models.Model)


def _dettagli(caso: Caso) -> dict[str, Any]:
    return {"caso": caso.pk}


def _crea(oggetto: _M, caso: Caso | None, acting_user: Utente) -> _M:
    oggetto.full_clean()
    oggetto.save()
    registra_scrittura(acting_user, oggetto, dettagli=_dettagli(caso) if caso else None)
    return oggetto


def _modifica(oggetto: _M, dati: Mapping[str, Any], caso: Caso, acting_user: Utente) -> _M:
    prima = istantanea(oggetto)
    for campo, valore in dati.items():
        setattr(oggetto, campo, valore)
    oggetto.full_clean()
    oggetto.save()
    registra_scrittura(acting_user, oggetto, prima=prima, dettagli=_dettagli(caso))
    return oggetto


def _aperto(caso: Caso) -> None:
    if caso.stato == StatoCaso.CHIUSO:
        raise ValidationError(
            gettext("Il caso è chiuso: per modificarlo riaprilo indicando il motivo.")
        )


def _solo_case_manager(caso: Caso, user: Utente) -> None:
    _aperto(caso)
    if not e_case_manager(user, caso):
        raise ValidationError(gettext("Solo il case manager del caso può farlo."))


def _con_blocco(caso: Caso) -> Caso:
    """The case re-read with a row lock, so that two transitions cannot interleave."""
    return Caso.objects.senza_scope().select_for_update().get(pk=caso.pk)


def _attori(user: Utente, caso: Caso) -> set[Attore]:
    attori = set()
    if e_case_manager(user, caso):
        attori.add(Attore.CASE_MANAGER)
    if e_responsabile(user, caso):
        attori.add(Attore.RESPONSABILE)
    return attori


def _esegui_transizione(
    caso: Caso, verso: str, acting_user: Utente, motivo: str
) -> TransizioneCaso:
    regola = transizione(caso.stato, verso)
    if not _attori(acting_user, caso) & regola.chi:
        raise TransizioneNonAmmessaError(
            gettext("Non puoi eseguire questo passaggio: spetta a %(chi)s.")
            % {
                "chi": gettext("il case manager o il responsabile di servizio")
                if Attore.RESPONSABILE in regola.chi
                else gettext("il case manager del caso")
            }
        )
    motivo = motivo.strip()
    if regola.motivo_obbligatorio and not motivo:
        raise TransizioneNonAmmessaError(gettext("Indica il motivo del passaggio."))
    errori = errori_guardie(regola, caso)
    if errori:
        raise TransizioneNonAmmessaError(errori)
    prima = istantanea(caso, ["stato"])
    riga = TransizioneCaso.objects.create(
        ente_id=caso.ente_id, caso=caso, da=caso.stato, a=verso, utente=acting_user, motivo=motivo
    )
    caso.stato = verso
    caso.save(update_fields=["stato"])
    if verso == StatoCaso.PROGETTO_ATTIVO:
        # Imported here: the progetto actions build on this module.
        from equo.web.cartella.actions.progetto import bozza_in_vigore_all_attivazione

        bozza_in_vigore_all_attivazione(caso, acting_user)
    registra_scrittura(
        acting_user,
        caso,
        prima=prima,
        dettagli={**_dettagli(caso), "transizione": riga.pk, "motivo": motivo},
    )
    return riga
