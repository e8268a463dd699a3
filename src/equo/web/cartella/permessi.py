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

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
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
    "PermessiCaso",
    "Sezione",
    "access_accesso_for_user",
    "access_caso_for_user",
    "casi_leggibili",
    "e_case_manager",
    "e_responsabile",
    "membro_di",
    "permessi_caso",
    "permessi_per_casi",
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
    CHIUSURA = "chiusura", "Valutazione finale e chiusura"
    REGISTRO = "registro", "Registro delle operazioni (audit)"


SEZIONI_CONTENUTO = frozenset(Sezione) - {Sezione.REGISTRO}

#: What each équipe role may read. Nobody of the équipe reads the riservato diario.
SEZIONI_EQUIPE: dict[str, frozenset[Sezione]] = {
    RuoloEquipe.SOCIALE: SEZIONI_CONTENUTO - {Sezione.DIARIO_RISERVATO},
    RuoloEquipe.SANITARIO: frozenset(
        {
            Sezione.CASO,
            Sezione.ANALISI,
            Sezione.QUADRO,
            Sezione.PROGETTO,
            Sezione.DIARIO,
            Sezione.CHIUSURA,
        }
    ),
    RuoloEquipe.SCUOLA: frozenset({Sezione.CASO, Sezione.QUADRO, Sezione.PROGETTO}),
    RuoloEquipe.LAVORO: frozenset({Sezione.CASO, Sezione.QUADRO, Sezione.PROGETTO}),
    RuoloEquipe.ALTRO: frozenset({Sezione.CASO, Sezione.PROGETTO}),
}

#: Who reads and records accessi (segretariato sociale) of an ente.
RUOLI_ACCESSI = frozenset({Ruolo.ASSISTENTE_SOCIALE, Ruolo.RESPONSABILE_SERVIZIO})


def _ruoli_sul_caso(user: Utente, caso: Caso) -> set[str]:
    """The roles ``user`` actively holds in the case's ente or in an ente above it."""
    return set(
        Incarico.objects.filter(
            utente=user, attivo=True, ente_id__in=_catena(caso), ente__attivo=True
        ).values_list("ruolo", flat=True)
    )


def _attivo(user: Utente | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _membro(user: Utente, caso: Caso) -> MembroEquipe | None:
    if not Incarico.objects.filter(utente=user, attivo=True, ente__attivo=True).exists():
        return None
    return (
        MembroEquipe.objects.senza_scope()  # narrowed to this case and this user
        .filter(equipe__caso_id=caso.pk, utente=user, attivo=True)
        .first()
    )


@dataclass(frozen=True)
class PermessiCaso:
    """What one user may do on one case, computed once (three queries at most) and reused for
    the rest of the request: see :func:`permessi_caso`."""

    utente_id: int | None
    case_manager: bool
    responsabile: bool
    membro: MembroEquipe | None
    sezioni: frozenset[Sezione]

    @classmethod
    def calcola(cls, user: Utente | AnonymousUser, caso: Caso) -> PermessiCaso:
        if isinstance(user, AnonymousUser) or not _attivo(user):
            return cls(None, False, False, None, frozenset())
        return cls.componi(user, caso, _ruoli_sul_caso(user, caso), _membro(user, caso))

    @classmethod
    def componi(
        cls, user: Utente, caso: Caso, ruoli: Collection[str], membro: MembroEquipe | None
    ) -> PermessiCaso:
        """The rules, from the roles held on the case's ente chain and the membership."""
        case_manager = caso.case_manager_id == user.pk and Ruolo.ASSISTENTE_SOCIALE in ruoli
        responsabile = Ruolo.RESPONSABILE_SERVIZIO in ruoli
        sezioni: set[Sezione] = set()
        if case_manager or responsabile:
            sezioni |= SEZIONI_CONTENUTO
        if Ruolo.AUDITOR in ruoli:
            sezioni.add(Sezione.REGISTRO)
        if membro is not None:
            sezioni |= SEZIONI_EQUIPE.get(membro.ruolo, frozenset())
        return cls(user.pk, case_manager, responsabile, membro, frozenset(sezioni))


def _catena(caso: Caso) -> list[int]:
    """The case's ente and the enti above it (``caso.ente__superiore`` already fetched)."""
    catena = [caso.ente_id]
    superiore = caso.ente.superiore  # PROFONDITA_MASSIMA = 2 levels above
    if superiore is not None:
        catena.append(superiore.pk)
        if superiore.superiore_id is not None:
            catena.append(superiore.superiore_id)
    return catena


def permessi_per_casi(
    user: Utente | AnonymousUser, casi: Iterable[Caso]
) -> dict[int, PermessiCaso]:
    """:class:`PermessiCaso` of many cases at once, in two queries whatever their number (for
    lists and timelines; fetch the cases with ``select_related("ente__superiore")``). Same
    rules as :func:`permessi_caso`, case by case."""
    elenco = list(casi)
    if isinstance(user, AnonymousUser) or not _attivo(user):
        vuoto = PermessiCaso(None, False, False, None, frozenset())
        return {c.pk: vuoto for c in elenco}
    ruoli_per_ente: dict[int, set[str]] = {}
    for ente_id, ruolo, ente_attivo in Incarico.objects.filter(
        utente=user, attivo=True
    ).values_list("ente_id", "ruolo", "ente__attivo"):
        if ente_attivo:
            ruoli_per_ente.setdefault(ente_id, set()).add(ruolo)
    membri: dict[int, MembroEquipe] = {}
    if ruoli_per_ente:  # a membership counts only with an active incarico somewhere
        for membro in (
            MembroEquipe.objects.senza_scope()  # narrowed to these cases and this user
            .filter(equipe__caso_id__in=[c.pk for c in elenco], utente=user, attivo=True)
            .select_related("equipe")
            .order_by("pk")
        ):
            membri.setdefault(membro.equipe.caso_id, membro)
    risultato = {}
    for caso in elenco:
        ruoli: set[str] = set()
        for ente_id in _catena(caso):
            ruoli |= ruoli_per_ente.get(ente_id, set())
        risultato[caso.pk] = PermessiCaso.componi(user, caso, ruoli, membri.get(caso.pk))
    return risultato


def casi_leggibili(user: Utente | AnonymousUser) -> models.QuerySet[Caso]:
    """The cases whose section ``caso`` ``user`` may read, as one query (for lists that
    paginate in the database): the same rules as :func:`sezioni_caso`."""
    propri = (
        Caso.objects.per_utente(user, ruoli={Ruolo.ASSISTENTE_SOCIALE})
        .filter(case_manager_id=user.pk)
        .values("pk")
    )
    del_responsabile = Caso.objects.per_utente(user, ruoli={Ruolo.RESPONSABILE_SERVIZIO}).values(
        "pk"
    )
    filtro = Q(pk__in=propri) | Q(pk__in=del_responsabile)
    if (
        not isinstance(user, AnonymousUser)
        and _attivo(user)
        and Incarico.objects.filter(utente=user, attivo=True, ente__attivo=True).exists()
    ):
        filtro |= Q(
            pk__in=MembroEquipe.objects.senza_scope()  # narrowed to the user's memberships
            .filter(utente=user, attivo=True, ruolo__in=list(SEZIONI_EQUIPE))
            .values("equipe__caso_id")
        )
    return Caso.objects.per_utente_o_equipe(user).filter(filtro)


_CACHE = "_equo_permessi"


def permessi_caso(user: Utente | AnonymousUser, caso: Caso) -> PermessiCaso:
    """The permissions of ``user`` on ``caso``.

    Memoised per request: :func:`access_caso_for_user` stores them on the case instance it
    returns (a fresh instance per request), so the later checks of the same request on that
    instance, for the same user, cost no query. Any other instance (a case re-read with a lock
    by an action, a test's fixture) computes them afresh, so a revoked role is never served
    from a stale cache across requests.
    """
    salvati: PermessiCaso | None = getattr(caso, _CACHE, None)
    utente_id = user.pk if _attivo(user) else None
    if salvati is not None and salvati.utente_id == utente_id and utente_id is not None:
        return salvati
    return PermessiCaso.calcola(user, caso)


def membro_di(user: Utente | AnonymousUser, caso: Caso) -> MembroEquipe | None:
    """The active équipe membership of ``user`` in ``caso`` (a user account with an active
    incarico somewhere), or None."""
    return permessi_caso(user, caso).membro


def e_case_manager(user: Utente | AnonymousUser, caso: Caso) -> bool:
    return permessi_caso(user, caso).case_manager


def e_responsabile(user: Utente | AnonymousUser, caso: Caso) -> bool:
    return permessi_caso(user, caso).responsabile


def sezioni_caso(user: Utente | AnonymousUser, caso: Caso) -> frozenset[Sezione]:
    """The sections of ``caso`` that ``user`` may read (empty: the case does not exist for them)."""
    return permessi_caso(user, caso).sezioni


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
    permessi = PermessiCaso.calcola(user, caso)
    if sezione not in permessi.sezioni:
        raise Http404("Non trovato.")
    setattr(caso, _CACHE, permessi)  # memoised for the rest of this request
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
