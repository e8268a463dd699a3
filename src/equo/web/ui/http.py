"""Typed access to the request's user for views behind the login (all views but the public ones)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

if TYPE_CHECKING:
    from equo.web.accounts.models import Utente


def utente_di(request: HttpRequest) -> Utente:
    """The logged-in user; ``PermissionDenied`` if the view was reached anonymously."""
    from equo.web.accounts.models import Utente

    utente = request.user
    if not isinstance(utente, Utente) or not utente.is_authenticated:
        raise PermissionDenied
    return utente
