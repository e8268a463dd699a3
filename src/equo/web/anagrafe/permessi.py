"""Who may read and write the anagrafe (django ``rules``), and the per-noun access helpers.

| role | persons and nuclei |
|---|---|
| assistente sociale, amministrativo, responsabile di servizio | read and write |
| educatore, operatore socio-sanitario | read |
| analista | aggregated counts only (home page), never a person |
| auditor | nothing (the audit log only) |

A user of another ente gets 404 from the ``access_*_for_user`` helpers; a user of the ente
without the right role gets 403 from the permission checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rules.permissions import add_perm

from equo.web.anagrafe.models import Contatto, Indirizzo, LegameRete, Membro, Nucleo, Persona
from equo.web.enti.models import RUOLI_OPERATIVI, Ruolo
from equo.web.enti.permessi import ha_ruolo
from equo.web.enti.scoping import access_for_user

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from equo.web.accounts.models import Utente

__all__ = [
    "RUOLI_LETTURA",
    "RUOLI_SCRITTURA",
    "RUOLI_STATISTICHE",
    "access_contatto_for_user",
    "access_indirizzo_for_user",
    "access_legame_for_user",
    "access_membro_for_user",
    "access_nucleo_for_user",
    "access_persona_for_user",
]

RUOLI_LETTURA = RUOLI_OPERATIVI
RUOLI_SCRITTURA = frozenset(
    {Ruolo.ASSISTENTE_SOCIALE, Ruolo.AMMINISTRATIVO, Ruolo.RESPONSABILE_SERVIZIO}
)
RUOLI_STATISTICHE = frozenset({Ruolo.ANALISTA})

add_perm("anagrafe.consulta", ha_ruolo(*sorted(RUOLI_LETTURA)))
add_perm("anagrafe.modifica", ha_ruolo(*sorted(RUOLI_SCRITTURA)))
add_perm("anagrafe.statistiche", ha_ruolo(*sorted(RUOLI_STATISTICHE)))


def access_persona_for_user(user: Utente | AnonymousUser, pk: object) -> Persona:
    return access_for_user(Persona, user, pk, ruoli=RUOLI_LETTURA)


def access_nucleo_for_user(user: Utente | AnonymousUser, pk: object) -> Nucleo:
    return access_for_user(Nucleo, user, pk, ruoli=RUOLI_LETTURA)


def access_indirizzo_for_user(user: Utente | AnonymousUser, pk: object) -> Indirizzo:
    return access_for_user(
        Indirizzo.objects.get_queryset().select_related("persona"), user, pk, ruoli=RUOLI_LETTURA
    )


def access_contatto_for_user(user: Utente | AnonymousUser, pk: object) -> Contatto:
    return access_for_user(
        Contatto.objects.get_queryset().select_related("persona"), user, pk, ruoli=RUOLI_LETTURA
    )


def access_legame_for_user(user: Utente | AnonymousUser, pk: object) -> LegameRete:
    return access_for_user(
        LegameRete.objects.get_queryset().select_related("persona"), user, pk, ruoli=RUOLI_LETTURA
    )


def access_membro_for_user(user: Utente | AnonymousUser, pk: object) -> Membro:
    return access_for_user(
        Membro.objects.get_queryset().select_related("persona", "nucleo"),
        user,
        pk,
        ruoli=RUOLI_LETTURA,
    )
