"""One structured log line per request (method, path, status, duration, user)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

logger = logging.getLogger("equo.web.richieste")


class RegistroRichiesteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        inizio = time.perf_counter()
        response = self.get_response(request)
        # The user only if some view already loaded it: logging must not cost a query.
        utente = getattr(getattr(request, "user", None), "_wrapped", None)
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "metodo": request.method,
                "percorso": request.path,
                "stato": response.status_code,
                "durata_ms": round((time.perf_counter() - inizio) * 1000, 1),
                "utente_id": None if utente is empty else getattr(utente, "pk", None),
            },
        )
        return response
