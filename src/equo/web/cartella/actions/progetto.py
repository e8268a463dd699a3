"""Writes on the progetto personalizzato: new versions (copying the previous one), changes,
approval, objectives, interventi, impegni, people responsible, progress notes and the final
evaluation of each objective."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from equo.web.cartella.flusso import progetto_corrente
from equo.web.cartella.models import (
    AnalisiPreliminare,
    Caso,
    ImpegnoProgetto,
    Intervento,
    NotaMonitoraggio,
    Obiettivo,
    Progetto,
    ResponsabileProgetto,
    StatoCaso,
    StatoProgetto,
)
from equo.web.cartella.permessi import e_responsabile

if TYPE_CHECKING:
    from equo.web.accounts.models import Utente
from equo.web.cartella.actions._comuni import _aperto, _crea, _modifica, _solo_case_manager


def _progetto_modificabile(progetto: Progetto, acting_user: Utente) -> Caso:
    caso = progetto.caso
    _solo_case_manager(caso, acting_user)
    if progetto.stato == StatoProgetto.SUPERATO:
        raise ValidationError(gettext("Questa versione del progetto è stata superata."))
    if progetto.stato == StatoProgetto.APPROVATO and caso.approvazione_richiesta:
        raise ValidationError(
            gettext(
                "Il progetto è già approvato: per cambiarne obiettivi o interventi crea una "
                "nuova versione."
            )
        )
    return caso


@transaction.atomic
def do_crea_progetto(caso: Caso, *, dati: Mapping[str, Any], acting_user: Utente) -> Progetto:
    """A new version of the progetto; objectives and interventi of the previous one are copied
    (the erogazioni stay with the version they belong to)."""
    _solo_case_manager(caso, acting_user)
    if not AnalisiPreliminare.objects.senza_scope().filter(caso_id=caso.pk).exists():
        raise ValidationError(gettext("Prima del progetto serve l'analisi preliminare."))
    precedente = progetto_corrente(caso)
    if precedente is not None and precedente.stato == StatoProgetto.BOZZA:
        raise ValidationError(gettext("C'è già una bozza di progetto: completa quella."))
    ultima = Progetto.objects.senza_scope().filter(caso_id=caso.pk).aggregate(n=Max("versione"))
    progetto = _crea(
        Progetto(ente_id=caso.ente_id, caso=caso, versione=(ultima["n"] or 0) + 1, **dati),
        caso,
        acting_user,
    )
    if precedente is not None:
        copie: dict[int, Obiettivo] = {}
        for obiettivo in Obiettivo.objects.senza_scope().filter(progetto_id=precedente.pk):
            vecchio = obiettivo.pk
            obiettivo.pk = None
            obiettivo.progetto = progetto
            copie[vecchio] = _crea(obiettivo, caso, acting_user)
        for intervento in Intervento.objects.senza_scope().filter(progetto_id=precedente.pk):
            intervento.pk = None
            intervento.progetto = progetto
            if intervento.obiettivo_id is not None:
                intervento.obiettivo = copie.get(intervento.obiettivo_id)
            _crea(intervento, caso, acting_user)
        for impegno in ImpegnoProgetto.objects.senza_scope().filter(progetto_id=precedente.pk):
            impegno.pk = None
            impegno.progetto = progetto
            _crea(impegno, caso, acting_user)
        for resp in ResponsabileProgetto.objects.senza_scope().filter(progetto_id=precedente.pk):
            resp.pk = None
            resp.progetto = progetto
            _crea(resp, caso, acting_user)
    return progetto


@transaction.atomic
def do_modifica_progetto(
    progetto: Progetto, *, dati: Mapping[str, Any], acting_user: Utente
) -> Progetto:
    """Change a version: an approved one keeps its text (only dates of agreement and review)."""
    caso = progetto.caso
    _solo_case_manager(caso, acting_user)
    if progetto.stato == StatoProgetto.SUPERATO:
        raise ValidationError(gettext("Questa versione del progetto è stata superata."))
    if (
        progetto.stato == StatoProgetto.APPROVATO
        and caso.approvazione_richiesta
        and dati.get("descrizione", progetto.descrizione) != progetto.descrizione
    ):
        raise ValidationError(
            {"descrizione": gettext("Il progetto è approvato: crea una nuova versione.")}
        )
    return _modifica(progetto, dati, caso, acting_user)


@transaction.atomic
def do_approva_progetto(progetto: Progetto, *, acting_user: Utente) -> Progetto:
    """The responsabile di servizio approves a draft; the previous version is superseded."""
    caso = progetto.caso
    _aperto(caso)
    if not e_responsabile(acting_user, caso):
        raise ValidationError(gettext("Solo il responsabile di servizio approva il progetto."))
    if progetto.stato != StatoProgetto.BOZZA:
        raise ValidationError(gettext("Si approva solo una bozza."))
    if not Obiettivo.objects.senza_scope().filter(progetto_id=progetto.pk).exists():
        raise ValidationError(gettext("Il progetto non ha obiettivi."))
    for vecchio in Progetto.objects.senza_scope().filter(
        caso_id=caso.pk, stato=StatoProgetto.APPROVATO
    ):
        _modifica(vecchio, {"stato": StatoProgetto.SUPERATO}, caso, acting_user)
    return _modifica(
        progetto,
        {
            "stato": StatoProgetto.APPROVATO,
            "approvato_da": acting_user,
            "approvato_il": timezone.now(),
        },
        caso,
        acting_user,
    )


@transaction.atomic
def do_aggiungi_obiettivo(
    progetto: Progetto, *, dati: Mapping[str, Any], acting_user: Utente
) -> Obiettivo:
    caso = _progetto_modificabile(progetto, acting_user)
    return _crea(Obiettivo(ente_id=caso.ente_id, progetto=progetto, **dati), caso, acting_user)


@transaction.atomic
def do_aggiungi_intervento(
    progetto: Progetto, *, dati: Mapping[str, Any], acting_user: Utente
) -> Intervento:
    caso = _progetto_modificabile(progetto, acting_user)
    return _crea(Intervento(ente_id=caso.ente_id, progetto=progetto, **dati), caso, acting_user)


@transaction.atomic
def do_aggiungi_impegno(
    progetto: Progetto, *, dati: Mapping[str, Any], acting_user: Utente
) -> ImpegnoProgetto:
    """A commitment of the nucleo or of one of its members (part of the agreement)."""
    caso = _progetto_modificabile(progetto, acting_user)
    return _crea(
        ImpegnoProgetto(ente_id=caso.ente_id, progetto=progetto, **dati), caso, acting_user
    )


@transaction.atomic
def do_aggiungi_responsabile_progetto(
    progetto: Progetto, *, dati: Mapping[str, Any], acting_user: Utente
) -> ResponsabileProgetto:
    """A person responsible for the progetto (a user of Equo, with their role in it)."""
    caso = _progetto_modificabile(progetto, acting_user)
    utente = dati.get("utente")
    if (
        utente is not None
        and ResponsabileProgetto.objects.senza_scope()
        .filter(progetto_id=progetto.pk, utente_id=utente.pk)
        .exists()
    ):
        raise ValidationError({"utente": gettext("È già tra i responsabili del progetto.")})
    return _crea(
        ResponsabileProgetto(ente_id=caso.ente_id, progetto=progetto, **dati), caso, acting_user
    )


@transaction.atomic
def do_scrivi_nota_monitoraggio(
    obiettivo: Obiettivo, *, dati: Mapping[str, Any], acting_user: Utente
) -> NotaMonitoraggio:
    """A progress note on an objective: only while the progetto is active or monitored."""
    caso = obiettivo.progetto.caso
    _solo_case_manager(caso, acting_user)
    if caso.stato not in {StatoCaso.PROGETTO_ATTIVO, StatoCaso.IN_MONITORAGGIO}:
        raise ValidationError(
            gettext("Le note di monitoraggio si scrivono con il progetto attivo o in monitoraggio.")
        )
    if obiettivo.progetto.stato == StatoProgetto.SUPERATO:
        raise ValidationError(gettext("Questa versione del progetto è stata superata."))
    return _crea(
        NotaMonitoraggio(ente_id=caso.ente_id, obiettivo=obiettivo, autore=acting_user, **dati),
        caso,
        acting_user,
    )


@transaction.atomic
def do_valuta_obiettivo(
    obiettivo: Obiettivo, *, esito: str, nota: str, acting_user: Utente
) -> Obiettivo:
    """The final evaluation of one objective (raggiunto, parzialmente, non raggiunto)."""
    caso = obiettivo.progetto.caso
    _solo_case_manager(caso, acting_user)
    if not esito:
        raise ValidationError({"esito_finale": gettext("Scegli l'esito dell'obiettivo.")})
    return _modifica(obiettivo, {"esito_finale": esito, "nota_esito": nota}, caso, acting_user)
