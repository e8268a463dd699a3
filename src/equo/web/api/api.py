"""The NinjaAPI instance. Apps add their routers here: ``api.add_router("/anagrafe/", router)``.

Authentication is the Django session (with CSRF on unsafe methods); an anonymous call answers
401. Every operation reads through ``equo.web.enti.scoping`` like the HTML views; objects of
another ente answer 404. The docs and the schema need a logged-in user.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema
from ninja.security import django_auth

from equo.web.enti.scoping import enti_visibili

api = NinjaAPI(
    title="Equo API",
    version="1",
    description="API della piattaforma Equo per il welfare locale.",
    urls_namespace="api",
    auth=django_auth,
)


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
