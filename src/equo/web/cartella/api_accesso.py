"""What every operation of the cartella's API shares: who may call it, and the path ids.

Reads accept the session (Django permission ``cartella.lavora``) or a personal token with
``casi:leggi``; writes a personal token with ``casi:scrivi``. Either way the request acts as the
operator, and each case is then decided by need-to-know
(:func:`equo.web.cartella.permessi.access_caso_for_user`). Integrators' tokens get 403.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import P, PathEx

from equo.web.accounts.models import Utente
from equo.web.api.models import PermessoPersonale
from equo.web.api.sicurezza import accesso_personale, chiamante_di

__all__ = [
    "LAVORA",
    "LETTURA",
    "SCRITTURA",
    "IdCaso",
    "IdIntervento",
    "IdProgetto",
    "IdVoce",
    "utente_di",
]

#: The Django permission of the cartella's menu; each case is then decided by need-to-know.
LAVORA = "cartella.lavora"
ID_MASSIMO = 2**63 - 1

LETTURA = accesso_personale(PermessoPersonale.CASI_LEGGI, LAVORA)
SCRITTURA = accesso_personale(PermessoPersonale.CASI_SCRIVI, LAVORA)

IdCaso = PathEx[int, P(ge=1, le=ID_MASSIMO, description="Id del caso.")]
IdIntervento = PathEx[int, P(ge=1, le=ID_MASSIMO, description="Id dell'intervento.")]
IdProgetto = PathEx[int, P(ge=1, le=ID_MASSIMO, description="Id del progetto.")]
IdVoce = PathEx[int, P(ge=1, le=ID_MASSIMO, description="Id della voce del diario.")]


def utente_di(request: HttpRequest) -> Utente:
    """The operator the request acts as (the session's user or the personal token's owner)."""
    return chiamante_di(request).utente
