"""Shared fixtures of the web tests: the enti, the personas and their logged-in clients.

Personas (STYLE.md), in two separate areas:

- **Anna**, assistente sociale, Comune A (Avigliana, in the Unione);
- **Bruno**, amministrativo, Comune A;
- **Carla**, assistente sociale, Comune B (Città di Torino, outside the Unione): the outsider,
  who must get 403/404 on everything of Comune A;
- **Dora**, auditor of the Unione (so of its Comuni);
- **Ettore**, amministratore di sistema of the Unione and superuser.

Anagrafe rows of Comune A (Anna's ente), for the outsider walk and the anagrafe tests:
``persona_di_anna`` (Maria Rossi), ``nucleo_di_anna`` (her famiglia anagrafica, with
``membro_di_anna``: Maria as intestataria), ``contatto_di_anna``, ``legame_di_anna``.

``DATABASE_URL`` selects the database (SQLite in memory by default, PostgreSQL in ``make test``);
with PostgreSQL unreachable the run stops at once with a pointer to the README.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import (
    Contatto,
    LegameRete,
    Membro,
    Nucleo,
    Persona,
    Relazione,
    TipoContatto,
    TipoLegame,
    TipoNucleo,
)
from equo.web.audit.manutenzione import manutenzione_audit
from equo.web.enti.models import Ente, Incarico, Ruolo, TipoEnte
from tests.web.anagrafe.fabbrica import nuova_persona

PASSWORD = "una-password-di-prova-2026"
BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(scope="session", autouse=True)
def _postgres_raggiungibile() -> None:
    """Stop the run with a clear message if DATABASE_URL names a PostgreSQL that does not answer."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    try:
        psycopg.connect(
            host=config.get("HOST") or "127.0.0.1",
            port=int(config.get("PORT") or 5432),
            user=config.get("USER") or "postgres",
            password=config.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg.OperationalError as exc:
        pytest.exit(
            f"PostgreSQL is not reachable at {config.get('HOST')}:{config.get('PORT')} "
            f"({exc}).\nThe web tests run on PostgreSQL too: start it as README.md, section "
            "'PostgreSQL', explains (e.g. docker run -p 5432:5432 -e "
            "POSTGRES_HOST_AUTH_METHOD=trust postgres:15).",
            returncode=1,
        )


@pytest.fixture(autouse=True)
def _allegati_in_cartella_temporanea(
    settings: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Attachments of the cartella go to a temporary directory, never to the repository's var/."""
    settings.EQUO_ALLEGATI_DIR = str(tmp_path_factory.mktemp("allegati"))


@pytest.fixture(autouse=True)
def _svuota_audit_dopo_test_transazionali(request: pytest.FixtureRequest) -> Iterator[None]:
    """Let pytest-django flush the database after transactional tests (live_server too).

    The audit table refuses DELETE (triggers): before the flush, its rows are removed inside
    ``manutenzione_audit``. This fixture sets up the database fixture itself, so its teardown
    runs before the flush.
    """
    marcatore = request.node.get_closest_marker("django_db")
    transazionale = bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (marcatore is not None and marcatore.kwargs.get("transaction"))
    )
    if not transazionale:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    with manutenzione_audit(), connection.cursor() as cursore:
        cursore.execute("DELETE FROM audit_auditevent")


@functools.cache
def _hash_password() -> str:
    # One argon2 hash for every persona: hashing is deliberately slow.
    return make_password(PASSWORD)


@dataclass
class Enti:
    regione: Ente
    unione: Ente
    comune_a: Ente
    comune_a2: Ente
    comune_b: Ente


@pytest.fixture
def enti(db: None) -> Enti:
    regione = Ente.objects.create(
        tipo=TipoEnte.REGIONE, nome="Regione Piemonte", codice_istat="01", codice_ipa="r_piemon"
    )
    unione = Ente.objects.create(
        tipo=TipoEnte.AMBITO,
        nome="Unione dei Comuni della Val d'Esempio",
        codice_ipa="uc_valdesempio",
        superiore=regione,
    )

    def comune(nome: str, istat: str, catastale: str, superiore: Ente) -> Ente:
        return Ente.objects.create(
            tipo=TipoEnte.COMUNE,
            nome=nome,
            codice_istat=istat,
            codice_catastale=catastale,
            codice_ipa=f"c_{catastale.lower()}",
            superiore=superiore,
        )

    return Enti(
        regione=regione,
        unione=unione,
        comune_a=comune("Comune di Avigliana", "001013", "A518", unione),
        comune_a2=comune("Comune di Almese", "001006", "A218", unione),
        comune_b=comune("Città di Torino", "001272", "L219", regione),
    )


def crea_persona(username: str, ente: Ente, *ruoli: Ruolo, superutente: bool = False) -> Utente:
    utente = Utente.objects.create(
        username=username,
        first_name=username.capitalize(),
        password=_hash_password(),
        is_staff=superutente,
        is_superuser=superutente,
    )
    for ruolo in ruoli:
        Incarico.objects.create(utente=utente, ente=ente, ruolo=ruolo)
    return utente


@pytest.fixture
def anna(enti: Enti) -> Utente:
    return crea_persona("anna", enti.comune_a, Ruolo.ASSISTENTE_SOCIALE)


@pytest.fixture
def bruno(enti: Enti) -> Utente:
    return crea_persona("bruno", enti.comune_a, Ruolo.AMMINISTRATIVO)


@pytest.fixture
def carla(enti: Enti) -> Utente:
    return crea_persona("carla", enti.comune_b, Ruolo.ASSISTENTE_SOCIALE)


@pytest.fixture
def dora(enti: Enti) -> Utente:
    return crea_persona("dora", enti.unione, Ruolo.AUDITOR)


@pytest.fixture
def ettore(enti: Enti) -> Utente:
    return crea_persona("ettore", enti.unione, Ruolo.AMMINISTRATORE_SISTEMA, superutente=True)


@pytest.fixture
def client_di() -> Callable[[Utente], Client]:
    """A test client logged in as the given persona."""

    def crea(utente: Utente) -> Client:
        client = Client()
        client.force_login(utente, backend=BACKEND)
        return client

    return crea


@pytest.fixture
def persona_di_anna(enti: Enti) -> Persona:
    return nuova_persona(enti.comune_a)


@pytest.fixture
def nucleo_di_anna(enti: Enti) -> Nucleo:
    return Nucleo.objects.create(
        ente=enti.comune_a, tipo=TipoNucleo.FAMIGLIA_ANAGRAFICA, denominazione="Famiglia Rossi"
    )


@pytest.fixture
def membro_di_anna(nucleo_di_anna: Nucleo, persona_di_anna: Persona) -> Membro:
    return Membro.objects.create(
        ente=nucleo_di_anna.ente,
        nucleo=nucleo_di_anna,
        persona=persona_di_anna,
        relazione=Relazione.DICHIARANTE,
    )


@pytest.fixture
def contatto_di_anna(persona_di_anna: Persona) -> Contatto:
    return Contatto.objects.create(
        ente=persona_di_anna.ente,
        persona=persona_di_anna,
        tipo=TipoContatto.TELEFONO,
        valore="0000123456",
    )


@pytest.fixture
def legame_di_anna(persona_di_anna: Persona) -> LegameRete:
    return LegameRete.objects.create(
        ente=persona_di_anna.ente,
        persona=persona_di_anna,
        tipo=TipoLegame.FAMILIARE_NON_CONVIVENTE,
        esterno_nome="Giulia Rossi",
    )


# --- Cartella sociale (tests/web/cartella) ------------------------------------------------------
# Franco, responsabile di servizio of the Unione (so of Comune A); Sara, operatrice
# socio-sanitaria of Comune A2, in the équipe of Anna's case as the health member; Marco,
# assistente sociale of Comune A, a colleague of Anna who is not on the case.


@pytest.fixture
def franco(enti: Enti) -> Utente:
    return crea_persona("franco", enti.unione, Ruolo.RESPONSABILE_SERVIZIO)


@pytest.fixture
def sara(enti: Enti) -> Utente:
    return crea_persona("sara", enti.comune_a2, Ruolo.OPERATORE_SOCIO_SANITARIO)


@pytest.fixture
def marco(enti: Enti) -> Utente:
    return crea_persona("marco", enti.comune_a, Ruolo.ASSISTENTE_SOCIALE)


@pytest.fixture
def accesso_di_anna(enti: Enti, anna: Utente, persona_di_anna: Persona) -> Any:
    from tests.web.cartella.fabbrica import nuovo_accesso

    return nuovo_accesso(enti.comune_a, anna, persona_di_anna)


@pytest.fixture
def caso_di_anna(enti: Enti, anna: Utente, sara: Utente, persona_di_anna: Persona) -> Any:
    """Anna's case in valutazione: analisi, draft progetto (one objective, one intervento),
    équipe with Sara (sanitario), quadro started, one ordinary and one riservata diario entry."""
    from equo.web.cartella import actions
    from tests.web.cartella import fabbrica

    caso = fabbrica.nuovo_caso(enti.comune_a, anna, persona_di_anna)
    fabbrica.porta_a(caso, "in_valutazione", anna, anna)
    actions.do_aggiungi_membro_equipe(
        caso,
        dati={"utente": sara, "servizio": "ASL TO3", "ruolo": "sanitario"},
        acting_user=anna,
    )
    actions.do_salva_quadro(caso, dati={"sintesi": "Avviato."}, acting_user=anna)
    fabbrica.voce(caso, anna, riservata=False)
    fabbrica.voce(caso, anna, riservata=True)
    return caso


@pytest.fixture
def caso_attivo_di_anna(enti: Enti, anna: Utente, franco: Utente) -> Any:
    """A second case of Anna (another person), with its progetto approved and active."""
    from tests.web.anagrafe.fabbrica import nuova_persona
    from tests.web.cartella import fabbrica

    persona = nuova_persona(enti.comune_a, cognome="Neri", nome="Elena")
    caso = fabbrica.nuovo_caso(enti.comune_a, anna, persona)
    fabbrica.porta_a(caso, "progetto_attivo", anna, franco)
    return caso


# --- API tokens (tests/web/api) -----------------------------------------------------------------


@pytest.fixture
def token_di_anna(enti: Enti) -> Any:
    """A token of Comune A with every permission (``.token``, ``.segreto``, ``.intestazioni``)."""
    from tests.web.api.fabbrica import nuovo_token

    return nuovo_token(enti.comune_a)


@pytest.fixture
def token_di_carla(enti: Enti) -> Any:
    """The outsider's integrator: a token of Comune B with every permission."""
    from tests.web.api.fabbrica import nuovo_token

    return nuovo_token(enti.comune_b, nome="Gestionale di Torino")


@pytest.fixture
def token_personale_di_anna(anna: Utente) -> Any:
    """Anna's personal token (casi:leggi, casi:scrivi) for the cartella API."""
    from tests.web.api.fabbrica import nuovo_token_personale

    return nuovo_token_personale(anna)
