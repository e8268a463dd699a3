"""Come back to the page that sent the user to create a person or a nucleo (for instance the
accesso of the cartella sociale), carrying the id of what was created.

The return address is the ``next`` query parameter, accepted only if it stays on this site
(Django's ``url_has_allowed_host_and_scheme``): anything else is ignored and the anagrafe's own
page is shown, so the parameter cannot be used to send users elsewhere."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from django.http import HttpRequest, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme

__all__ = ["con_ritorno", "indirizzo_di_ritorno"]


def _sicuro(request: HttpRequest) -> str | None:
    destinazione = request.GET.get("next", "")
    if destinazione and url_has_allowed_host_and_scheme(
        destinazione, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return destinazione
    return None


def indirizzo_di_ritorno(request: HttpRequest, **parametri: object) -> str | None:
    """The safe ``next`` address with ``parametri`` set in its query string, or None."""
    destinazione = _sicuro(request)
    if destinazione is None:
        return None
    parti = urlsplit(destinazione)
    query = QueryDict(parti.query, mutable=True)
    for nome, valore in parametri.items():
        query[nome] = str(valore)
    return urlunsplit(parti._replace(query=query.urlencode()))


def con_ritorno(request: HttpRequest, indirizzo: str, **parametri: object) -> str:
    """``indirizzo`` carrying the same safe ``next`` (and ``parametri``) onwards."""
    destinazione = _sicuro(request)
    valori = {k: str(v) for k, v in parametri.items() if v}
    if destinazione is not None:
        valori["next"] = destinazione
    return f"{indirizzo}?{urlencode(valori)}" if valori else indirizzo
