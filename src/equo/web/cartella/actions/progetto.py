"""Writes on the progetto personalizzato: new versions (copying the one in force), changes,
approval or coming into force, objectives, interventi, impegni, people responsible, progress
notes, verifiche and the final evaluation of each objective.

Only the draft (``bozza``) changes its objectives, interventi, impegni and responsabili; the
monitoraggio (notes, verifiche, outcomes; erogazioni in :mod:`.erogazioni`) writes only on the
version in force (see :class:`~equo.web.cartella.models.Progetto`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from equo.web.audit.registro import registra_scrittura
from equo.web.cartella.flusso import (
    progetto_in_preparazione,
    progetto_in_vigore,
    progetto_pronto,
)
from equo.web.cartella.models import (
    STATI_IN_VIGORE,
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
    VerificaProgetto,
)
from equo.web.cartella.permessi import e_responsabile

if TYPE_CHECKING:
    from equo.web.accounts.models import Utente
from equo.web.cartella.actions._comuni import (
    _aperto,
    _con_blocco,
    _crea,
    _modifica,
    _solo_case_manager,
)

_IN_CORSO = frozenset({StatoCaso.PROGETTO_ATTIVO, StatoCaso.IN_MONITORAGGIO})


def _progetto_modificabile(progetto: Progetto, acting_user: Utente) -> Caso:
    caso = progetto.caso
    _solo_case_manager(caso, acting_user)
    if progetto.stato == StatoProgetto.SUPERATO:
        raise ValidationError(gettext("Questa versione del progetto è stata superata."))
    if progetto.in_vigore:
        raise ValidationError(
            gettext(
                "Il progetto è in vigore: per cambiarne obiettivi o interventi crea una "
                "nuova versione."
            )
        )
    return caso


def solo_in_vigore(progetto: Progetto) -> None:
    """Refuse monitoraggio writes (erogazioni, notes, outcomes, verifiche) on a version that is
    not the one in force."""
    if progetto.stato == StatoProgetto.SUPERATO:
        raise ValidationError(
            gettext(
                "Questa versione del progetto è stata superata: registra sulla versione in vigore."
            )
        )
    if not progetto.in_vigore:
        raise ValidationError(
            gettext(
                "Questa versione del progetto è ancora in preparazione: si registra solo "
                "sulla versione in vigore."
            )
        )


def _copia(oggetto: models.Model, caso: Caso, acting_user: Utente) -> None:
    """Save a verbatim copy of a row of the previous version (already valid there; dates are
    not checked again against the new version's agreement)."""
    oggetto.save()
    registra_scrittura(acting_user, oggetto, dettagli={"caso": caso.pk})


def _metti_in_vigore(
    progetto: Progetto, caso: Caso, acting_user: Utente, dati: dict[str, Any]
) -> Progetto:
    """The version comes into force; the one in force before is superseded."""
    for vecchio in (
        Progetto.objects.senza_scope()
        .filter(caso_id=caso.pk, stato__in=STATI_IN_VIGORE)
        .exclude(pk=progetto.pk)
    ):
        _modifica(vecchio, {"stato": StatoProgetto.SUPERATO}, caso, acting_user)
    return _modifica(progetto, dati, caso, acting_user)


@transaction.atomic
def do_crea_progetto(caso: Caso, *, dati: Mapping[str, Any], acting_user: Utente) -> Progetto:
    """A new version (a draft) of the progetto; objectives, interventi, impegni and people
    responsible of the version in force are copied (the erogazioni, notes and verifiche stay
    with the version they belong to). The case is locked: two submissions at once give one
    draft and a message, never a duplicate version."""
    _solo_case_manager(_con_blocco(caso), acting_user)  # the lock lasts until the commit
    if not AnalisiPreliminare.objects.senza_scope().filter(caso_id=caso.pk).exists():
        raise ValidationError(gettext("Prima del progetto serve l'analisi preliminare."))
    if progetto_in_preparazione(caso) is not None:
        raise ValidationError(gettext("C'è già una bozza di progetto: completa quella."))
    precedente = progetto_in_vigore(caso)
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
            _copia(obiettivo, caso, acting_user)
            copie[vecchio] = obiettivo
        for intervento in Intervento.objects.senza_scope().filter(progetto_id=precedente.pk):
            intervento.pk = None
            intervento.progetto = progetto
            if intervento.obiettivo_id is not None:
                intervento.obiettivo = copie.get(intervento.obiettivo_id)
            _copia(intervento, caso, acting_user)
        for impegno in ImpegnoProgetto.objects.senza_scope().filter(progetto_id=precedente.pk):
            impegno.pk = None
            impegno.progetto = progetto
            _copia(impegno, caso, acting_user)
        for resp in ResponsabileProgetto.objects.senza_scope().filter(progetto_id=precedente.pk):
            resp.pk = None
            resp.progetto = progetto
            _copia(resp, caso, acting_user)
    return progetto


@transaction.atomic
def do_modifica_progetto(
    progetto: Progetto, *, dati: Mapping[str, Any], acting_user: Utente
) -> Progetto:
    """Change a version: one in force keeps its text (only dates of agreement and review)."""
    caso = progetto.caso
    _solo_case_manager(caso, acting_user)
    if progetto.stato == StatoProgetto.SUPERATO:
        raise ValidationError(gettext("Questa versione del progetto è stata superata."))
    if progetto.in_vigore and dati.get("descrizione", progetto.descrizione) != (
        progetto.descrizione
    ):
        raise ValidationError(
            {"descrizione": gettext("Il progetto è in vigore: crea una nuova versione.")}
        )
    return _modifica(progetto, dati, caso, acting_user)


@transaction.atomic
def do_approva_progetto(progetto: Progetto, *, acting_user: Utente) -> Progetto:
    """The responsabile di servizio approves a draft, which comes into force; the version in
    force before is superseded."""
    caso = progetto.caso
    _aperto(caso)
    if not e_responsabile(acting_user, caso):
        raise ValidationError(gettext("Solo il responsabile di servizio approva il progetto."))
    if progetto.stato != StatoProgetto.BOZZA:
        raise ValidationError(gettext("Si approva solo una bozza."))
    if not Obiettivo.objects.senza_scope().filter(progetto_id=progetto.pk).exists():
        raise ValidationError(gettext("Il progetto non ha obiettivi."))
    return _metti_in_vigore(
        progetto,
        caso,
        acting_user,
        {
            "stato": StatoProgetto.APPROVATO,
            "approvato_da": acting_user,
            "approvato_il": timezone.now(),
        },
    )


@transaction.atomic
def do_metti_in_vigore_progetto(progetto: Progetto, *, acting_user: Utente) -> Progetto:
    """Where approval is not required, the case manager puts a ready draft in force (the
    activation of the case does it too); the version in force before is superseded."""
    caso = progetto.caso
    _solo_case_manager(caso, acting_user)
    if caso.approvazione_richiesta:
        raise ValidationError(
            gettext("Per questo caso il progetto entra in vigore con l'approvazione.")
        )
    if progetto.stato != StatoProgetto.BOZZA:
        raise ValidationError(gettext("Entra in vigore solo una bozza."))
    if (mancante := progetto_pronto(progetto)) is not None:
        raise ValidationError(mancante)
    return _metti_in_vigore(progetto, caso, acting_user, {"stato": StatoProgetto.IN_VIGORE})


def bozza_in_vigore_all_attivazione(caso: Caso, acting_user: Utente) -> None:
    """Where approval is not required, the transition to «progetto attivo» (activation or
    revision) puts the ready draft in force, in the transition's transaction and audited as
    the transition's author. The activation guard already required the draft to be ready.
    Called by :func:`~equo.web.cartella.actions._comuni._esegui_transizione`."""
    if caso.approvazione_richiesta:
        return
    bozza = progetto_in_preparazione(caso)
    if bozza is None or progetto_pronto(bozza) is not None:
        return
    _metti_in_vigore(bozza, caso, acting_user, {"stato": StatoProgetto.IN_VIGORE})


@transaction.atomic
def do_aggiungi_obiettivo(
    progetto: Progetto, *, dati: Mapping[str, Any], acting_user: Utente
) -> Obiettivo:
    """A new objective of the draft: its deadline cannot precede the agreement with the family
    (model rule) nor, on a progetto not yet agreed, be already past."""
    caso = _progetto_modificabile(progetto, acting_user)
    scadenza = dati.get("scadenza")
    if progetto.data_accordo is None and scadenza is not None and scadenza < timezone.localdate():
        raise ValidationError({"scadenza": gettext("La scadenza è già passata.")})
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
    if caso.stato not in _IN_CORSO:
        raise ValidationError(
            gettext("Le note di monitoraggio si scrivono con il progetto attivo o in monitoraggio.")
        )
    solo_in_vigore(obiettivo.progetto)
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
    solo_in_vigore(obiettivo.progetto)
    if not esito:
        raise ValidationError({"esito_finale": gettext("Scegli l'esito dell'obiettivo.")})
    return _modifica(obiettivo, {"esito_finale": esito, "nota_esito": nota}, caso, acting_user)


@transaction.atomic
def do_registra_verifica(
    progetto: Progetto, *, dati: Mapping[str, Any], acting_user: Utente
) -> VerificaProgetto:
    """A scheduled review of the version in force, while the progetto is active or monitored;
    its next date becomes the progetto's ``prossima_verifica``."""
    caso = progetto.caso
    _solo_case_manager(caso, acting_user)
    if caso.stato not in _IN_CORSO:
        raise ValidationError(
            gettext("Le verifiche si registrano con il progetto attivo o in monitoraggio.")
        )
    solo_in_vigore(progetto)
    verifica = _crea(
        VerificaProgetto(
            ente_id=caso.ente_id, progetto=progetto, registrata_da=acting_user, **dati
        ),
        caso,
        acting_user,
    )
    if verifica.prossima_verifica != progetto.prossima_verifica:
        _modifica(progetto, {"prossima_verifica": verifica.prossima_verifica}, caso, acting_user)
    return verifica
