"""Browser tests: Playwright for Python drives Debian's Chromium against pytest-django's
live server.

How the pieces fit (docs/web/architettura.md, "Browser tests"):

- **The browser** is ``/usr/bin/chromium`` (``make browser`` installs Debian's ``chromium`` and
  ``chromium-l10n``; ``EQUO_CHROMIUM`` points elsewhere), launched headless by Playwright with
  ``executable_path``, in Italian (``--lang`` and ``LANGUAGE``: date fields read gg/mm/aaaa, as
  for the operators). Playwright never downloads a browser of its own: ``pip install
  playwright`` fetches only the Python package and its driver, and ``playwright install`` is
  never run. Without Chromium the run stops with a pointer to ``make browser`` (it does not
  skip: the browser tests are required).
- **The server** is pytest-django's ``LiveServer`` (a threaded WSGI server in this process;
  with SQLite in memory it shares the test connection), one Django request at a time (see
  ``live_server`` below). Every test that uses it is transactional: the database is flushed
  afterwards, so each test loads the demo data again (``demo``, about 3 s) and the audit table
  is emptied first by the fixture of ``tests/web``, reused below.
- **Playwright runs in a thread of its own.** Its sync API keeps an asyncio event loop
  "running" in the thread that started it, for as long as it is started; Django refuses ORM
  calls from a thread with a running loop (``SynchronousOnlyOperation``). Setting
  ``DJANGO_ALLOW_ASYNC_UNSAFE`` would silence that check for the whole test process, every
  later test included. Instead, one worker thread owns Playwright and Chromium for the session
  and the tests hand it their browser steps (``browser.esegui(funzione)``): the test's own
  thread prepares and checks the database with Django's safety check intact, the worker thread
  only clicks, and the server answers from its own threads.
- **Cookies** stay production-like (``Secure``, ``__Host-`` prefixed): Chromium treats
  ``http://localhost`` as a secure context and accepts them there (``test_percorso`` checks
  the session cookie), so ``EQUO_COOKIE_SICURI`` is not turned off.
- **CSP**: every page runs under the real Content Security Policy; any console error (a CSP
  violation is one) or uncaught script error fails the test.
- **Output**: screenshots in ``test-output/screenshots/<test>/`` and the axe-core reports in
  ``test-output/accessibilita/`` (``EQUO_TEST_OUTPUT`` moves the folder; it is git-ignored).
  With ``EQUO_IMMAGINI_GUIDA`` (``make guida-immagini``) the cartella's tests also write the
  user guide's screenshots there (``immagini_guida`` below). The demo's diario attachment, like
  every attachment of a test, goes to a temporary directory (``_allegati_in_cartella_temporanea``
  of ``tests/web``), never to the repository's ``var/``.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.apps import apps as django_apps
from django.contrib.staticfiles.handlers import StaticFilesHandler
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    expect,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer

from equo.web.assets import costruisci_test
from equo.web.demo import carica_demo
from tests.e2e.pagine import USCITA
from tests.web.conftest import (  # noqa: F401  (fixtures of tests/web, reused here)
    _allegati_in_cartella_temporanea,
    _postgres_raggiungibile,
    _svuota_audit_dopo_test_transazionali,
)

T = TypeVar("T")

CHROMIUM = Path(os.environ.get("EQUO_CHROMIUM", "/usr/bin/chromium"))
VENDOR = Path(__file__).with_name("vendor")
AXE = VENDOR / "axe-core" / "axe.min.js"
#: Italian interface; no sandbox (CI runs as root in a container), no GPU, none of Chromium's
#: background connections (the test machines reach no network but the package registries).
OPZIONI_CHROMIUM = [
    "--lang=it-IT",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
#: How long an action or an ``expect`` waits: generous, for a busy two-core CI machine.
ATTESA_MS = 10_000
expect.set_options(timeout=ATTESA_MS)


@dataclass
class Problemi:
    """What the browser console said that a page must never say."""

    messaggi: list[str] = field(default_factory=list)

    def ascolta(self, pagina: Page) -> None:
        pagina.on("console", self._console)
        pagina.on("pageerror", lambda errore: self.messaggi.append(f"errore di script: {errore}"))

    def _console(self, messaggio: ConsoleMessage) -> None:
        testo = messaggio.text
        if messaggio.type == "error" or "Content Security Policy" in testo:
            self.messaggi.append(f"console {messaggio.type}: {testo} ({messaggio.location})")


class BrowserDiProva:
    """Chromium driven by Playwright in a worker thread of its own (see the module docstring)."""

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright")
        self._playwright: Playwright | None = None
        self._chromium: Browser | None = None
        self.base_url = ""
        self._thread.submit(self._avvia).result()

    def _avvia(self) -> None:
        self._playwright = sync_playwright().start()
        self._chromium = self._playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=OPZIONI_CHROMIUM,
            # Chromium on Linux takes its interface language (date fields) from the environment.
            env={**os.environ, "LANGUAGE": "it", "LANG": "it_IT.UTF-8"},
        )

    def _chiudi(self) -> None:
        if self._chromium is not None:
            self._chromium.close()
        if self._playwright is not None:
            self._playwright.stop()

    def chiudi(self) -> None:
        self._thread.submit(self._chiudi).result()
        self._thread.shutdown()

    def esegui(self, funzione: Callable[[Page], T]) -> T:
        """Run ``funzione(pagina)`` in the browser thread, in a new browser context (no cookies
        of other tests); fail if the console reported an error or a CSP violation."""
        return self._thread.submit(self._nel_contesto, funzione).result()

    def _nel_contesto(self, funzione: Callable[[Page], T]) -> T:
        assert self._chromium is not None
        contesto = self._chromium.new_context(
            base_url=self.base_url,
            locale="it-IT",
            timezone_id="Europe/Rome",
            viewport={"width": 1280, "height": 900},
        )
        contesto.set_default_timeout(ATTESA_MS)
        # axe-core is served to the page from its own origin by Playwright, not by Equo: the
        # CSP forbids inline scripts (``add_script_tag(path=...)`` injects one), and the
        # platform never serves test tools.
        contesto.route("**/__test__/axe.min.js", lambda route: route.fulfill(path=AXE))
        pagina = contesto.new_page()
        problemi = Problemi()
        problemi.ascolta(pagina)
        try:
            risultato = funzione(pagina)
        except Exception as errore:
            for messaggio in problemi.messaggi:
                errore.add_note(messaggio)
            raise
        finally:
            contesto.close()
        assert not problemi.messaggi, "\n".join(problemi.messaggi)
        return risultato


class _UnaRichiestaAllaVolta:
    """A WSGI application that handles one request at a time."""

    def __init__(self, applicazione: Any) -> None:
        self._applicazione = applicazione
        self._lucchetto = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        with self._lucchetto:
            return self._applicazione(environ, start_response)


def _gestore(applicazione: Any) -> StaticFilesHandler:
    # Static files outside the lock: they never touch the database.
    return StaticFilesHandler(_UnaRichiestaAllaVolta(applicazione))


@pytest.fixture(scope="package")
def live_server(django_db_setup: None) -> Iterator[LiveServer]:
    """pytest-django's live server, handling one Django request at a time.

    With SQLite in memory every request thread of the live server shares the test's single
    connection, and two overlapping requests (a form submitted while htmx asks for the place
    suggestions) interleave their transactions on it: "cannot start a transaction within a
    transaction", a 400 now and then. In production each thread has a connection of its own,
    so this is an artefact of the test server: here the requests wait for each other (static
    files excepted). Overrides pytest-django's fixture of the same name for these tests; it
    stops when they are done (package scope), like the browser.
    """
    server = LiveServer("localhost", start=False)
    server.thread.static_handler = _gestore
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="package")
def _browser_di_sessione() -> Iterator[BrowserDiProva]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.exit(
            f"The browser tests need Debian's Chromium at {CHROMIUM}: run `make browser` "
            "(apt-get install chromium chromium-l10n).",
            returncode=1,
        )
    browser = BrowserDiProva()
    yield browser
    browser.chiudi()


@pytest.fixture
def browser(_browser_di_sessione: BrowserDiProva, live_server: LiveServer) -> BrowserDiProva:
    """The shared Chromium, pointed at the live server (pages are addressed by path)."""
    _browser_di_sessione.base_url = live_server.url
    return _browser_di_sessione


@pytest.fixture
def demo(live_server: LiveServer) -> None:
    """The demo data of ``make run``: enti, one account per role, about 320 persons, the
    cartella's cases.

    The flush after a browser test empties every table, the rows written by data migrations
    too: the aree utenza seeded by the cartella's migration ``0004_aree_accessi`` are written
    again first, with the migration's own function."""
    from equo.web.cartella.models import AreaConfigurata

    if not AreaConfigurata.objects.exists():
        migrazione = importlib.import_module("equo.web.cartella.migrations.0004_aree_accessi")
        migrazione.semina_aree(django_apps, None)
    carica_demo()


@pytest.fixture(scope="session", autouse=True)
def _axe_core() -> None:
    """axe-core, fetched once from the npm registry into the git-ignored ``tests/e2e/vendor/``
    by ``equo.web.assets`` (pinned in ``assets.lock.json`` with its sha512, ``solo_test``)."""
    costruisci_test(VENDOR)


@pytest.fixture(scope="session", autouse=True)
def _uscita_pulita() -> None:
    """The accessibility reports of this run only (screenshots are emptied per test)."""
    shutil.rmtree(USCITA / "accessibilita", ignore_errors=True)


@pytest.fixture
def cartella_foto(request: pytest.FixtureRequest) -> Path:
    """``test-output/screenshots/<test>/``, emptied at the start of the test."""
    nome = re.sub(r"[^\w.-]+", "_", request.node.name)
    cartella = USCITA / "screenshots" / nome
    shutil.rmtree(cartella, ignore_errors=True)
    cartella.mkdir(parents=True)
    return cartella


#: Where ``EQUO_IMMAGINI_GUIDA`` is relative to (``make guida-immagini`` runs from the root).
RADICE = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def _cartella_immagini_guida() -> Path | None:
    """The folder named by ``EQUO_IMMAGINI_GUIDA``, emptied once per run (see below)."""
    valore = os.environ.get("EQUO_IMMAGINI_GUIDA", "").strip()
    if not valore:
        return None
    cartella = RADICE / valore
    cartella.mkdir(parents=True, exist_ok=True)
    for vecchia in cartella.glob("[0-9][0-9]-*.png"):
        vecchia.unlink()
    return cartella


@pytest.fixture
def immagini_guida(_cartella_immagini_guida: Path | None) -> Path | None:
    """The folder named by ``EQUO_IMMAGINI_GUIDA`` (``make guida-immagini`` sets it to
    ``docs/guida/img/cartella``), where the tests also write the user guide's screenshots of
    their steps (``foto(..., guida=...)``), emptied at the start of the run (not of each test:
    several tests write there) of the numbered ``NN-name.png`` images of a previous run, so
    that a renamed step leaves no stale file; None when the variable is unset (an ordinary test
    run writes nothing under ``docs/``)."""
    return _cartella_immagini_guida
