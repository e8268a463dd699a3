"""Writes on the équipe meetings: convene (members of the case's équipe, not in the past),
record the minutes and who was present, or cancel."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from equo.web.audit.models import TipoEvento
from equo.web.audit.registro import registra_evento
from equo.web.cartella.models import Caso, Equipe, MembroEquipe, RiunioneEquipe, StatoRiunione

if TYPE_CHECKING:
    from equo.web.accounts.models import Utente
from equo.web.cartella.actions._comuni import _crea, _modifica, _solo_case_manager


def _membri_validi(caso: Caso, membri: Iterable[MembroEquipe], campo: str) -> list[MembroEquipe]:
    elenco = list(membri)
    ammessi = set(
        MembroEquipe.objects.senza_scope()  # narrowed to this case's équipe
        .filter(equipe__caso_id=caso.pk, attivo=True)
        .values_list("pk", flat=True)
    )
    if not elenco:
        raise ValidationError({campo: gettext("Scegli almeno un membro dell'équipe.")})
    if any(m.pk not in ammessi for m in elenco):
        raise ValidationError({campo: gettext("Solo i membri attivi dell'équipe del caso.")})
    return elenco


def _registra_membri(
    riunione: RiunioneEquipe,
    campo: str,
    elenco: list[MembroEquipe],
    caso: Caso,
    acting_user: Utente,
) -> None:
    """One audit row for the members written on ``campo`` (``bulk_create`` writes none): the
    ids of the équipe members, before (none) and after."""
    registra_evento(
        acting_user,
        TipoEvento.MODIFICA,
        oggetto=riunione,
        modifiche={campo: {"prima": [], "dopo": sorted(m.pk for m in elenco)}},
        dettagli={"caso": caso.pk},
    )


@transaction.atomic
def do_convoca_riunione(
    caso: Caso,
    *,
    dati: Mapping[str, Any],
    convocati: Iterable[MembroEquipe],
    acting_user: Utente,
) -> RiunioneEquipe:
    """Convene the équipe: a date and time not in the past, the members called."""
    _solo_case_manager(caso, acting_user)
    equipe = Equipe.objects.senza_scope().filter(caso_id=caso.pk).first()
    if equipe is None:
        raise ValidationError(gettext("Il caso non ha ancora un'équipe: aggiungi un membro."))
    data_ora = dati.get("data_ora")
    if data_ora is not None and data_ora < timezone.now():
        raise ValidationError({"data_ora": gettext("Una convocazione non può essere nel passato.")})
    elenco = _membri_validi(caso, convocati, "convocati")
    riunione = _crea(
        RiunioneEquipe(ente_id=caso.ente_id, equipe=equipe, convocata_da=acting_user, **dati),
        caso,
        acting_user,
    )
    RiunioneEquipe.convocati.through.objects.bulk_create(
        RiunioneEquipe.convocati.through(riunioneequipe=riunione, membroequipe=m) for m in elenco
    )
    _registra_membri(riunione, "convocati", elenco, caso, acting_user)
    return riunione


def _riunione_convocata(riunione: RiunioneEquipe, acting_user: Utente) -> Caso:
    caso = riunione.equipe.caso
    _solo_case_manager(caso, acting_user)
    if riunione.stato != StatoRiunione.CONVOCATA:
        raise ValidationError(
            gettext("La riunione è già %(stato)s.")
            % {"stato": riunione.get_stato_display().lower()}
        )
    return caso


@transaction.atomic
def do_registra_verbale(
    riunione: RiunioneEquipe,
    *,
    presenti: Iterable[MembroEquipe],
    verbale: str,
    acting_user: Utente,
) -> RiunioneEquipe:
    """Record that the meeting was held: who was present (among the convened) and the minutes."""
    caso = _riunione_convocata(riunione, acting_user)
    elenco = _membri_validi(caso, presenti, "presenti")
    convocati = set(
        RiunioneEquipe.convocati.through.objects.filter(riunioneequipe=riunione).values_list(
            "membroequipe_id", flat=True
        )
    )
    if any(m.pk not in convocati for m in elenco):
        raise ValidationError({"presenti": gettext("Tra i presenti solo membri convocati.")})
    _modifica(riunione, {"stato": StatoRiunione.SVOLTA, "verbale": verbale}, caso, acting_user)
    RiunioneEquipe.presenti.through.objects.bulk_create(
        RiunioneEquipe.presenti.through(riunioneequipe=riunione, membroequipe=m) for m in elenco
    )
    _registra_membri(riunione, "presenti", elenco, caso, acting_user)
    return riunione


@transaction.atomic
def do_annulla_riunione(
    riunione: RiunioneEquipe, *, motivo: str, acting_user: Utente
) -> RiunioneEquipe:
    caso = _riunione_convocata(riunione, acting_user)
    return _modifica(
        riunione,
        {"stato": StatoRiunione.ANNULLATA, "motivo_annullamento": motivo},
        caso,
        acting_user,
    )
