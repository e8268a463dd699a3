"""Need-to-know on the cartella sociale: who reads which section of which case.

- **case manager** (holding *assistente sociale* in the case's ente): all content, the
  riservato diario included; every write;
- **responsabile di servizio** of the case's ente (or of an ente above it): all content;
  approves progetti, reopens cases;
- **équipe member** with a user account (of any ente): the sections of their équipe role
  (:data:`SEZIONI_EQUIPE`), never the riservato diario; writes only their own section of the
  quadro di analisi;
- **auditor** of the case's ente: the audit trail of the case, no content;
- **anyone else**, colleagues of the same ente included: nothing, 404, as for a case that does
  not exist.

:func:`access_caso_for_user` is the one door: it fetches the case through the tenant scope
(widened only to the équipe members of that case) and then checks the section, failing closed
with the same ``Http404`` in every refused case. A deactivated user, incarico or ente loses
access at once. Access records (``Accesso``, the segretariato sociale) are not part of a case
and follow the ente's roles (:data:`RUOLI_ACCESSI`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404
from rules.permissions import add_perm

from equo.web.cartella.models import Accesso, Caso, MembroEquipe, RuoloEquipe
from equo.web.enti.models import RUOLI_OPERATIVI, Incarico, Ruolo
from equo.web.enti.permessi import ha_ruolo
from equo.web.enti.scoping import access_for_user

if TYPE_CHECKING:
    from equo.web.accounts.models import Utente

__all__ = [
    "RUOLI_ACCESSI",
    "SEZIONI_CONTENUTO",
    "SEZIONI_EQUIPE",
    "Sezione",
    "access_accesso_for_user",
    "access_caso_for_user",
    "e_case_manager",
    "e_responsabile",
    "membro_di",
    "sezioni_caso",
]


class Sezione(models.TextChoices):
    CASO = "caso", "Dati del caso e transizioni"
    ANALISI = "analisi", "Analisi preliminare"
    QUADRO = "quadro", "Équipe e quadro di analisi"
    PROGETTO = "progetto", "Progetto, obiettivi e interventi"
    EROGAZIONI = "erogazioni", "Erogazioni"
    DIARIO = "diario", "Diario sociale"
    DIARIO_RISERVATO = "diario_riservato", "Diario sociale riservato"
    REGISTRO = "registro", "Registro delle operazioni (audit)"


SEZIONI_CONTENUTO = frozenset(Sezione) - {Sezione.REGISTRO}

#: What each équipe role may read. Nobody of the équipe reads the riservato diario.
SEZIONI_EQUIPE: dict[str, frozenset[Sezione]] = {
    RuoloEquipe.SOCIALE: SEZIONI_CONTENUTO - {Sezione.DIARIO_RISERVATO},
    RuoloEquipe.SANITARIO: frozenset(
        {Sezione.CASO, Sezione.ANALISI, Sezione.QUADRO, Sezione.PROGETTO, Sezione.DIARIO}
    ),
    RuoloEquipe.SCUOLA: frozenset({Sezione.CASO, Sezione.QUADRO, Sezione.PROGETTO}),
    RuoloEquipe.LAVORO: frozenset({Sezione.CASO, Sezione.QUADRO, Sezione.PROGETTO}),
    RuoloEquipe.ALTRO: frozenset({Sezione.CASO, Sezione.PROGETTO}),
}

#: Who reads and records accessi (segretariato sociale) of an ente.
RUOLI_ACCESSI = frozenset({Ruolo.ASSISTENTE_SOCIALE, Ruolo.RESPONSABILE_SERVIZIO})


def _ruoli_sul_caso(user: Utente, caso: Caso) -> set[str]:
    """The roles ``user`` actively holds in the case's ente or in an ente above it."""
    catena = [caso.ente_id]
    superiore = caso.ente.superiore  # PROFONDITA_MASSIMA = 2 levels above
    if superiore is not None:
        catena.append(superiore.pk)
        if superiore.superiore_id is not None:
            catena.append(superiore.superiore_id)
    return set(
        Incarico.objects.filter(
            utente=user, attivo=True, ente_id__in=catena, ente__attivo=True
        ).values_list("ruolo", flat=True)
    )


def _attivo(user: Utente | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def membro_di(user: Utente | AnonymousUser, caso: Caso) -> MembroEquipe | None:
    """The active équipe membership of ``user`` in ``caso`` (a user account with an active
    incarico somewhere), or None."""
    if isinstance(user, AnonymousUser) or not _attivo(user):
        return None
    if not Incarico.objects.filter(utente=user, attivo=True, ente__attivo=True).exists():
        return None
    return (
        MembroEquipe.objects.senza_scope()  # narrowed to this case and this user
        .filter(equipe__caso_id=caso.pk, utente=user, attivo=True)
        .first()
    )


def e_case_manager(user: Utente | AnonymousUser, caso: Caso) -> bool:
    if isinstance(user, AnonymousUser) or not _attivo(user):
        return False
    return caso.case_manager_id == user.pk and Ruolo.ASSISTENTE_SOCIALE in _ruoli_sul_caso(
        user, caso
    )


def e_responsabile(user: Utente | AnonymousUser, caso: Caso) -> bool:
    if isinstance(user, AnonymousUser) or not _attivo(user):
        return False
    return Ruolo.RESPONSABILE_SERVIZIO in _ruoli_sul_caso(user, caso)


def sezioni_caso(user: Utente | AnonymousUser, caso: Caso) -> frozenset[Sezione]:
    """The sections of ``caso`` that ``user`` may read (empty: the case does not exist for them)."""
    if isinstance(user, AnonymousUser) or not _attivo(user):
        return frozenset()
    ruoli = _ruoli_sul_caso(user, caso)
    sezioni: set[Sezione] = set()
    if caso.case_manager_id == user.pk and Ruolo.ASSISTENTE_SOCIALE in ruoli:
        sezioni |= SEZIONI_CONTENUTO
    if Ruolo.RESPONSABILE_SERVIZIO in ruoli:
        sezioni |= SEZIONI_CONTENUTO
    if Ruolo.AUDITOR in ruoli:
        sezioni.add(Sezione.REGISTRO)
    membro = membro_di(user, caso)
    if membro is not None:
        sezioni |= SEZIONI_EQUIPE.get(membro.ruolo, frozenset())
    return frozenset(sezioni)


def access_caso_for_user(user: Utente | AnonymousUser, pk: object, sezione: Sezione) -> Caso:
    """The case ``pk`` if ``user`` may read its ``sezione``; ``Http404`` otherwise (always the
    same answer, whether the case does not exist, is of another ente or is not theirs)."""
    queryset = Caso.objects.per_utente_o_equipe(user).select_related(
        "ente__superiore", "persona", "nucleo", "case_manager"
    )
    try:
        caso = queryset.get(pk=cast(Any, pk))
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("Non trovato.") from None
    if sezione not in sezioni_caso(user, caso):
        raise Http404("Non trovato.")
    return caso


def access_accesso_for_user(user: Utente | AnonymousUser, pk: object) -> Accesso:
    return access_for_user(
        Accesso.objects.get_queryset().select_related("persona"), user, pk, ruoli=RUOLI_ACCESSI
    )


#: The cartella's menu entry and home panel: staff who may be case manager, responsabile or
#: équipe member. The need-to-know rules above still decide every single case.
add_perm("cartella.lavora", ha_ruolo(*sorted(RUOLI_OPERATIVI)))
#: Recording an accesso and opening a case (segretariato sociale).
add_perm("cartella.accessi", ha_ruolo(*sorted(RUOLI_ACCESSI)))
