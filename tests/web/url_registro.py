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
        # Cartella sociale: the user's own cases; a new accesso in the user's own active ente.
        "cartella:miei_casi",
        "cartella:nuovo_accesso",
        # The registro degli accessi: the accessi of the enti where the user records them.
        "cartella:accessi",
        # The case list: only the cases of the enti where the user is responsabile di servizio
        # and the user's own cases as case manager (the outsider sees her own ente's).
        "cartella:casi_ente",
        # The auditor's list of cases (metadata only) of the enti the user audits.
        "cartella:casi_registro",
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


def _caso(f: Callable[[str], Any]) -> dict[str, Any]:
    return {"pk": f("caso_di_anna").pk}


def _progetto(f: Callable[[str], Any]) -> dict[str, Any]:
    from equo.web.cartella.models import Progetto

    return {"pk": Progetto.objects.senza_scope().get(caso=f("caso_di_anna")).pk}


def _figlio_del_caso(modello: str) -> Callable[[Callable[[str], Any]], dict[str, Any]]:
    def kwargs(f: Callable[[str], Any]) -> dict[str, Any]:
        from django.apps import apps

        campo = "caso" if modello == "VoceDiario" else "progetto__caso"
        righe = apps.get_model("cartella", modello).objects.senza_scope()
        return {"pk": righe.filter(**{campo: f("caso_di_anna")}).order_by("pk").first().pk}

    return kwargs


def _allegato(f: Callable[[str], Any]) -> dict[str, Any]:
    """An attachment on a new diario entry of Anna's case (written by Anna, the case manager)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from equo.web.cartella import actions
    from equo.web.cartella.models import AllegatoDiario

    caso = f("caso_di_anna")
    voce = actions.do_scrivi_voce_diario(
        caso,
        dati={"data": caso.aperto_il, "tipo": "colloquio", "testo": "Con allegato."},
        acting_user=caso.case_manager,
        allegati=[SimpleUploadedFile("verbale.pdf", b"%PDF-1.4\n%%EOF\n")],
    )
    return {"pk": AllegatoDiario.objects.senza_scope().get(voce=voce).pk}


def _riunione(f: Callable[[str], Any]) -> dict[str, Any]:
    """A meeting convened on Anna's case (Sara, of the équipe, is called)."""
    import datetime as dt

    from django.utils import timezone

    from equo.web.cartella import actions
    from equo.web.cartella.models import MembroEquipe

    caso = f("caso_di_anna")
    riunione = actions.do_convoca_riunione(
        caso,
        dati={
            "data_ora": timezone.now() + dt.timedelta(days=7),
            "luogo": "Sede dei servizi sociali",
            "ordine_del_giorno": "Quadro di analisi.",
        },
        convocati=MembroEquipe.objects.senza_scope().filter(equipe__caso=caso),
        acting_user=caso.case_manager,
    )
    return {"pk": riunione.pk}


DI_ENTE.update(
    {
        "cartella:accesso": Esempio("anna", lambda f: {"pk": f("accesso_di_anna").pk}),
        "cartella:apri_caso": Esempio("anna", lambda f: {"pk": f("accesso_di_anna").pk}),
        "cartella:collega_accesso": Esempio("anna", lambda f: {"pk": f("accesso_di_anna").pk}),
        "cartella:caso": Esempio("anna", _caso),
        "cartella:transizione": Esempio("anna", lambda f: {**_caso(f), "verso": "progetto_attivo"}),
        "cartella:analisi": Esempio("anna", _caso),
        "cartella:modifica_analisi": Esempio("anna", _caso),
        "cartella:nuovo_membro": Esempio("anna", _caso),
        "cartella:quadro": Esempio("anna", _caso),
        "cartella:modifica_quadro": Esempio("anna", _caso),
        "cartella:contributo": Esempio("sara", _caso),
        "cartella:nuova_riunione": Esempio("anna", _caso),
        "cartella:riunione": Esempio("sara", _riunione),
        "cartella:verbale_riunione": Esempio("anna", _riunione),
        "cartella:annulla_riunione": Esempio("anna", _riunione),
        "cartella:nuovo_progetto": Esempio("anna", _caso),
        "cartella:modifica_progetto": Esempio("anna", _progetto),
        "cartella:approva_progetto": Esempio("franco", _progetto),
        "cartella:metti_in_vigore_progetto": Esempio("anna", _progetto),
        "cartella:nuova_verifica": Esempio("anna", _progetto),
        "cartella:nuovo_obiettivo": Esempio("anna", _progetto),
        "cartella:nuovo_intervento": Esempio("anna", _progetto),
        "cartella:esito_obiettivo": Esempio("anna", _figlio_del_caso("Obiettivo")),
        "cartella:nuovo_impegno": Esempio("anna", _progetto),
        "cartella:nuovo_responsabile_progetto": Esempio("anna", _progetto),
        "cartella:nuova_nota_monitoraggio": Esempio("anna", _figlio_del_caso("Obiettivo")),
        "cartella:nuova_erogazione": Esempio("anna", _figlio_del_caso("Intervento")),
        "cartella:nuova_voce": Esempio("anna", _caso),
        "cartella:voce": Esempio("anna", _figlio_del_caso("VoceDiario")),
        "cartella:allegato": Esempio("anna", _allegato),
        "cartella:cronologia": Esempio("anna", _persona),
        "cartella:chiusura": Esempio("anna", _caso),
        "cartella:registro": Esempio("dora", _caso),
    }
)

#: API operations answer 401 to anonymous callers instead of redirecting to the login page.
API_OPERAZIONI_PREFISSO = "/api/"
API_CON_LOGIN = frozenset({"api:api-root", "api:openapi-json", "api:openapi-view"})


# --- REST API (/api/v1/) and integrators' tokens ----------------------------------------------
# The walk above GETs each URL name; tests/web/api/test_outsider_api.py runs every API operation
# (each method) with the outsider's session and her ente's token, from API_OPERAZIONI.


def _persona_api(f: Callable[[str], Any]) -> dict[str, Any]:
    return {"persona_id": f("persona_di_anna").pk}


def _nucleo_api(f: Callable[[str], Any]) -> dict[str, Any]:
    return {"nucleo_id": f("nucleo_di_anna").pk}


PERSONALI = PERSONALI | frozenset(
    {
        # Lists and creations: scoped to the caller's own enti (a token: its own ente).
        "api:persone",
        "api:crea_persona",
        "api:nuclei",
        "api:crea_nucleo",
    }
)

DI_ENTE.update(
    {
        "api:persona": Esempio("anna", _persona_api),
        "api:modifica_persona": Esempio("anna", _persona_api),
        "api:nucleo": Esempio("anna", _nucleo_api),
        "api:membri": Esempio("anna", _nucleo_api),
        "api:aggiungi_membro": Esempio("anna", _nucleo_api),
        # The token page of the responsabili and amministratori di sistema.
        "token_api:elenco": Esempio("ettore"),
        "token_api:nuovo": Esempio("ettore"),
        "token_api:revoca": Esempio("ettore", lambda f: {"pk": f("token_di_anna").pk}),
    }
)


@dataclass(frozen=True)
class OperazioneApi:
    """One API operation (a method on a path) for the outsider walk of the API.

    ``di_ente``: it touches one object of Comune A (kwargs), so the outsider gets 403/404 and
    nothing is written; otherwise it works on the caller's own enti (lists, creations) and must
    show nothing of Comune A. ``corpo`` builds the JSON body of a write from the fixtures.
    """

    metodo: str
    di_ente: bool
    kwargs: Callable[[Callable[[str], Any]], dict[str, Any]] | None = None
    corpo: Callable[[Callable[[str], Any]], dict[str, Any]] | None = None


def _persona_nuova(f: Callable[[str], Any]) -> dict[str, Any]:
    from tests.web.anagrafe.fabbrica import dati_persona

    dati = dati_persona(cognome="Verdi", nome="Luca", sesso="M")
    return {
        "cognome": "Verdi",
        "nome": "Luca",
        "codice_fiscale": dati["codice_fiscale"],
        "sesso": "M",
        "data_nascita": "1980-03-15",
    }


def _altra_persona_di_anna(f: Callable[[str], Any]) -> int:
    """A person of Comune A who is not in Anna's nucleo yet (no audit row: a test factory)."""
    from tests.web.anagrafe.fabbrica import nuova_persona

    return int(nuova_persona(f("enti").comune_a, cognome="Gialli", nome="Carlo", sesso="M").pk)


API_OPERAZIONI: dict[str, OperazioneApi] = {
    "api:enti": OperazioneApi("GET", di_ente=False),
    "api:persone": OperazioneApi("GET", di_ente=False),
    "api:crea_persona": OperazioneApi("POST", di_ente=False, corpo=_persona_nuova),
    "api:persona": OperazioneApi("GET", di_ente=True, kwargs=_persona_api),
    "api:modifica_persona": OperazioneApi(
        "PATCH", di_ente=True, kwargs=_persona_api, corpo=lambda f: {"note": "Cambiata."}
    ),
    "api:nuclei": OperazioneApi("GET", di_ente=False),
    "api:crea_nucleo": OperazioneApi(
        "POST", di_ente=False, corpo=lambda f: {"tipo": "nucleo_isee", "denominazione": "Nuovo"}
    ),
    "api:nucleo": OperazioneApi("GET", di_ente=True, kwargs=_nucleo_api),
    "api:membri": OperazioneApi("GET", di_ente=True, kwargs=_nucleo_api),
    "api:aggiungi_membro": OperazioneApi(
        "POST",
        di_ente=True,
        kwargs=_nucleo_api,
        corpo=lambda f: {"persona": _altra_persona_di_anna(f), "relazione": "C"},
    ),
}


# --- Cartella sociale API (session only: tokens get 401) --------------------------------------


def _caso_api(f: Callable[[str], Any]) -> dict[str, Any]:
    return {"caso_id": f("caso_di_anna").pk}


def _intervento_attivo_api(f: Callable[[str], Any]) -> dict[str, Any]:
    from equo.web.cartella.models import Intervento

    righe = Intervento.objects.senza_scope().filter(progetto__caso=f("caso_attivo_di_anna"))
    return {"intervento_id": righe.order_by("pk").first().pk}


def _erogazione_nuova(f: Callable[[str], Any]) -> dict[str, Any]:
    return {"dal": "2026-02-01", "al": "2026-02-28", "ore": "10"}


API_OPERAZIONI.update(
    {
        "api:casi": OperazioneApi("GET", di_ente=False),
        "api:caso": OperazioneApi("GET", di_ente=True, kwargs=_caso_api),
        "api:analisi_caso": OperazioneApi("GET", di_ente=True, kwargs=_caso_api),
        "api:progetto_caso": OperazioneApi("GET", di_ente=True, kwargs=_caso_api),
        "api:erogazioni_caso": OperazioneApi("GET", di_ente=True, kwargs=_caso_api),
        "api:erogazioni_intervento": OperazioneApi(
            "GET", di_ente=True, kwargs=_intervento_attivo_api
        ),
        "api:registra_erogazione": OperazioneApi(
            "POST", di_ente=True, kwargs=_intervento_attivo_api, corpo=_erogazione_nuova
        ),
    }
)

PERSONALI = PERSONALI | frozenset({"api:casi"})
DI_ENTE.update(
    {
        nome: Esempio("anna", API_OPERAZIONI[nome].kwargs)
        for nome in (
            "api:caso",
            "api:analisi_caso",
            "api:progetto_caso",
            "api:erogazioni_caso",
            "api:erogazioni_intervento",
            "api:registra_erogazione",
        )
    }
)


# --- Cartella sociale API: quadro, diario, interventi; personal tokens ----------------------------


def _voce_api(f: Callable[[str], Any]) -> dict[str, Any]:
    from equo.web.cartella.models import VoceDiario

    righe = VoceDiario.objects.senza_scope().filter(caso=f("caso_di_anna"), riservata=False)
    return {"voce_id": righe.order_by("pk").first().pk}


def _intervento_api(f: Callable[[str], Any]) -> dict[str, Any]:
    from equo.web.cartella.models import Intervento

    righe = Intervento.objects.senza_scope().filter(progetto__caso=f("caso_di_anna"))
    return {"intervento_id": righe.order_by("pk").first().pk}


def _progetto_api(f: Callable[[str], Any]) -> dict[str, Any]:
    from equo.web.cartella.models import Progetto

    righe = Progetto.objects.senza_scope().filter(caso=f("caso_di_anna"))
    return {"progetto_id": righe.order_by("-pk").first().pk}


def _voce_nuova(f: Callable[[str], Any]) -> dict[str, Any]:
    return {"data": "2026-02-01", "tipo": "telefonata", "testo": "Sentita la signora."}


def _intervento_nuovo(f: Callable[[str], Any]) -> dict[str, Any]:
    return {"codice_siuss": "A1.05.01", "erogatore": "Comune", "inizio": "2026-02-01"}


API_OPERAZIONI.update(
    {
        "api:quadro_caso": OperazioneApi("GET", di_ente=True, kwargs=_caso_api),
        "api:diario_caso": OperazioneApi("GET", di_ente=True, kwargs=_caso_api),
        "api:scrivi_voce_diario": OperazioneApi(
            "POST", di_ente=True, kwargs=_caso_api, corpo=_voce_nuova
        ),
        "api:voce_diario": OperazioneApi("GET", di_ente=True, kwargs=_voce_api),
        "api:interventi_caso": OperazioneApi("GET", di_ente=True, kwargs=_caso_api),
        "api:intervento": OperazioneApi("GET", di_ente=True, kwargs=_intervento_api),
        "api:interventi_progetto": OperazioneApi("GET", di_ente=True, kwargs=_progetto_api),
        "api:aggiungi_intervento": OperazioneApi(
            "POST", di_ente=True, kwargs=_progetto_api, corpo=_intervento_nuovo
        ),
    }
)
DI_ENTE.update(
    {
        nome: Esempio("anna", API_OPERAZIONI[nome].kwargs)
        for nome in (
            "api:quadro_caso",
            "api:diario_caso",
            "api:scrivi_voce_diario",
            "api:voce_diario",
            "api:interventi_caso",
            "api:intervento",
            "api:interventi_progetto",
            "api:aggiungi_intervento",
        )
    }
)
# Each operator's own personal tokens: the outsider sees her own (none of Anna's).
PERSONALI = PERSONALI | frozenset({"token_api:personali", "token_api:nuovo_personale"})
DI_ENTE.update(
    {
        "token_api:revoca_personale": Esempio(
            "anna", lambda f: {"pk": f("token_personale_di_anna").token.pk}
        ),
    }
)
