"""Every URL pattern of the project, classified for the outsider walk (test_url_outsider.py).

A new view must be added here, or the walk fails: that is how a view cannot forget scoping.

- ``PUBBLICI``: open without login (login pages, health).
- ``PERSONALI``: any logged-in user may open them, and they show only that user's own things;
  the outsider gets 200 (or a redirect / 405), and the page must not mention Comune A.
- ``DI_ENTE``: pages of an ente's data: the outsider gets 403 or 404, an insider 200. Each entry
  names the insider persona (a fixture of conftest.py) and, for patterns with arguments, a
  function that builds the kwargs from the test's fixtures (objects of Comune A), e.g.::

      "anagrafe:persona": Esempio("anna", lambda f: {"pk": f("persona_di_anna").pk}),

- The admin (namespace ``admin``) is for superusers only: the outsider gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Esempio:
    insider: str
    kwargs: Callable[[Callable[[str], Any]], dict[str, Any]] | None = None


PUBBLICI: frozenset[str] = frozenset({"ui:health", "accounts:accedi", "accounts:codice"})

PERSONALI: frozenset[str] = frozenset(
    {
        "ui:home",
        "accounts:esci",
        "accounts:password",
        "accounts:due_fattori",
        "enti:seleziona",
        "api:api-root",
        "api:openapi-json",
        "api:openapi-view",
        "api:enti",
        # Lists and creation pages of the anagrafe: scoped to the user's own enti (the outsider
        # sees her own ente's persons and creates in her own ente).
        "anagrafe:persone",
        "anagrafe:nuova_persona",
        "anagrafe:nuclei",
        "anagrafe:nuovo_nucleo",
        # Suggestions of comuni and states (public reference tables, no ente data).
        "anagrafe:luoghi",
    }
)


def _persona(f: Callable[[str], Any]) -> dict[str, Any]:
    return {"pk": f("persona_di_anna").pk}


def _nucleo(f: Callable[[str], Any]) -> dict[str, Any]:
    return {"pk": f("nucleo_di_anna").pk}


DI_ENTE: dict[str, Esempio] = {
    "audit:registro": Esempio("dora"),
    "audit:esporta": Esempio("dora"),
    "anagrafe:persona": Esempio("anna", _persona),
    "anagrafe:modifica_persona": Esempio("anna", _persona),
    "anagrafe:indirizzo": Esempio("anna", lambda f: {**_persona(f), "tipo": "residenza"}),
    "anagrafe:nuovo_contatto": Esempio("anna", _persona),
    "anagrafe:elimina_contatto": Esempio("anna", lambda f: {"pk": f("contatto_di_anna").pk}),
    "anagrafe:nuovo_legame": Esempio("anna", _persona),
    "anagrafe:elimina_legame": Esempio("anna", lambda f: {"pk": f("legame_di_anna").pk}),
    "anagrafe:nucleo": Esempio("anna", _nucleo),
    "anagrafe:nuovo_membro": Esempio("anna", _nucleo),
    "anagrafe:modifica_membro": Esempio("anna", lambda f: {"pk": f("membro_di_anna").pk}),
}

#: API operations answer 401 to anonymous callers instead of redirecting to the login page.
API_OPERAZIONI_PREFISSO = "/api/"
API_CON_LOGIN = frozenset({"api:api-root", "api:openapi-json", "api:openapi-view"})
