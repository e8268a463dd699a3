"""The NinjaAPI instance. Apps add their routers here: ``api.add_router("/v1/", router)``.

Authentication (:mod:`equo.web.api.sicurezza`): by default the Django session (CSRF on unsafe
methods); operations open to integrators declare ``auth=accesso(permesso_token,
permesso_django)`` and then accept ``Authorization: Bearer <token>`` too. Without credentials
an operation answers 401. Every operation reads through ``equo.web.enti.scoping`` like the HTML
views; objects of another ente answer 404. Errors are JSON in Italian
(:mod:`equo.web.api.errori`). The docs (``/api/docs``, Swagger UI served from django-ninja's own
static files: no CDN) and the schema (``/api/openapi.json``) need a logged-in user or a valid
token. See ``docs/web/api.md``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema

from equo.web.anagrafe.api import router as anagrafe_router
from equo.web.api.errori import installa_gestori
from equo.web.api.sicurezza import SessioneAuth, documentazione_protetta
from equo.web.cartella.api import router as cartella_router
from equo.web.enti.scoping import enti_visibili

api = NinjaAPI(
    title="Equo API",
    version="1",
    description=(
        "API della piattaforma Equo per il welfare locale. Autenticazione: sessione web "
        "oppure token dell'ente (intestazione `Authorization: Bearer <token>`). "
        "Guida: docs/web/api.md."
    ),
    urls_namespace="api",
    auth=SessioneAuth(),
    docs_decorator=documentazione_protetta,
)
installa_gestori(api)


class EnteOut(Schema):
    id: int
    tipo: str
    nome: str
    codice_istat: str | None
    codice_ipa: str


enti_router = Router(tags=["enti"])


@enti_router.get("/", response=list[EnteOut], url_name="enti")
def lista_enti(request: HttpRequest) -> Any:
    """The enti visible to the caller (those of its incarichi and the ones under them)."""
    return enti_visibili(request.user).order_by("nome")


api.add_router("/enti/", enti_router)
api.add_router("/v1/", anagrafe_router)
api.add_router("/v1/", cartella_router)
