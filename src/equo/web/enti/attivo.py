"""The active ente of a user with incarichi in several enti (chosen in the header).

The active ente decides where new records go and what the home page shows; it never widens what
a user can read, which is always everything :mod:`equo.web.enti.scoping` allows. Both helpers
cost one query per request together (the list is cached on the request).
"""

from __future__ import annotations

from django.http import HttpRequest

from equo.web.enti.models import Ente

CHIAVE_SESSIONE = "equo_ente_attivo"


def enti_selezionabili(request: HttpRequest) -> list[Ente]:
    """The enti where the user holds an active incarico, by name."""
    if hasattr(request, "_equo_enti_selezionabili"):
        return request._equo_enti_selezionabili  # type: ignore[no-any-return]
    utente = request.user
    enti: list[Ente] = []
    if utente.is_authenticated:
        enti = list(
            Ente.objects.filter(
                incarichi__utente_id=utente.pk, incarichi__attivo=True, attivo=True
            ).distinct()
        )
    request._equo_enti_selezionabili = enti  # type: ignore[attr-defined]
    return enti


def ente_attivo(request: HttpRequest) -> Ente | None:
    """The ente chosen in this session, or the user's first; ``None`` without incarichi."""
    enti = enti_selezionabili(request)
    scelto = request.session.get(CHIAVE_SESSIONE) if hasattr(request, "session") else None
    return next((e for e in enti if e.pk == scelto), enti[0] if enti else None)
