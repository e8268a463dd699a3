"""Make the client address of the request available to the audit helpers."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from equo.web.audit.registro import indirizzo_ip_corrente


class ContestoAuditMiddleware:
    """Set the client address (``REMOTE_ADDR``) for the audit rows written during a request.

    Behind a reverse proxy, configure the proxy (or the WSGI server) to put the client address
    in ``REMOTE_ADDR``; a client-supplied ``X-Forwarded-For`` is never trusted here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = indirizzo_ip_corrente.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            indirizzo_ip_corrente.reset(token)
