"""axe-core on the main pages, for each role that has a home page of its own.

A ``serious`` or ``critical`` violation fails the test, reported with its rule, the nodes and
the rule's help page; every violation, minor ones included, is in
``test-output/accessibilita/<ruolo>-<pagina>.json``, and each page's screenshot in
``test-output/screenshots/<test>/``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db.models import Count
from playwright.sync_api import Page, expect

from equo.web.anagrafe.models import Nucleo, Persona
from equo.web.cartella.models import Caso, StatoCaso
from tests.e2e.conftest import BrowserDiProva
from tests.e2e.pagine import Violazione, accedi, accessibilita, foto

AVIGLIANA = "c_a518"


def _pagine_di_anna() -> list[tuple[str, str]]:
    # A person and a nucleo with something on their pages: members, contacts, links.
    persona = (
        Persona.objects.senza_scope()
        .filter(ente__codice_ipa=AVIGLIANA)
        .annotate(contatti_n=Count("contatti"), legami_n=Count("legami"))
        .filter(contatti_n__gt=0, legami_n__gt=0)
        .order_by("pk")
        .first()
    )
    nucleo = (
        Nucleo.objects.senza_scope()
        .filter(ente__codice_ipa=AVIGLIANA)
        .annotate(membri_n=Count("membri"))
        .order_by("-membri_n", "pk")
        .first()
    )
    assert persona is not None and nucleo is not None
    # A demo case of Anna with analisi, progetto and erogazioni (cartella sociale).
    caso = (
        Caso.objects.senza_scope()
        .filter(case_manager__username="anna", stato=StatoCaso.PROGETTO_ATTIVO)
        .order_by("pk")
        .first()
    )
    assert caso is not None
    return [
        ("home", "/"),
        ("persone", "/anagrafe/persone/"),
        ("persone-ricerca", f"/anagrafe/persone/?q={persona.cognome[:4]}"),
        ("persona", f"/anagrafe/persone/{persona.pk}/"),
        ("nuclei", "/anagrafe/nuclei/"),
        ("nucleo", f"/anagrafe/nuclei/{nucleo.pk}/"),
        ("miei-casi", "/cartella/"),
        ("nuovo-accesso", "/cartella/accessi/nuovo/"),
        ("caso", f"/cartella/casi/{caso.pk}/"),
        ("analisi", f"/cartella/casi/{caso.pk}/analisi/"),
        ("chiusura", f"/cartella/casi/{caso.pk}/chiusura/"),
    ]


def _modulo_con_errori(pagina: Page) -> None:
    """The new-person form sent with a wrong codice fiscale and the required fields empty."""
    pagina.goto("/anagrafe/persone/nuova/")
    pagina.locator("#id_codice_fiscale").fill("RSSMRA80A01L219X")
    pagina.locator("#id_data_nascita").fill(dt.date(1980, 1, 1).isoformat())
    pagina.locator("#salva-persona").click()
    expect(pagina.locator("#id_codice_fiscale_error")).to_be_visible()
    expect(pagina.locator("#id_cognome_error")).to_be_visible()


def _accesso_sbagliato(pagina: Page) -> None:
    pagina.goto("/accedi/")
    pagina.locator("#id_username").fill("anna")
    pagina.locator("#id_password").fill("non-la-password-giusta")
    pagina.locator("main").get_by_role("button", name="Accedi").click()
    expect(pagina.get_by_role("alert")).to_contain_text("non corretti")


@pytest.mark.parametrize(
    ("ruolo", "username"),
    [
        ("assistente-sociale", "anna"),
        ("amministrativo", "bruno"),
        ("analista", "giulia"),
        ("auditor", "irene"),
    ],
)
def test_main_pages_have_no_serious_accessibility_violations(
    browser: BrowserDiProva, demo: None, cartella_foto: Path, ruolo: str, username: str
) -> None:
    pagine = {
        "anna": _pagine_di_anna(),
        "bruno": [("home", "/"), ("persone", "/anagrafe/persone/")],
        "giulia": [("home", "/")],
        "irene": [("home", "/"), ("audit", "/audit/")],
    }[username]

    def giro(pagina: Page) -> dict[str, list[Violazione]]:
        trovate: dict[str, list[Violazione]] = {}

        def controlla(nome: str) -> None:
            trovate[nome] = accessibilita(pagina, f"{ruolo}-{nome}")
            foto(pagina, cartella_foto, nome)

        if username == "anna":
            pagina.goto("/accedi/")
            controlla("accesso")
            _accesso_sbagliato(pagina)
            controlla("accesso-sbagliato")
        accedi(pagina, username)
        for nome, indirizzo in pagine:
            pagina.goto(indirizzo)
            controlla(nome)
        if username == "anna":
            _modulo_con_errori(pagina)
            controlla("persona-modulo-errori")
        return trovate

    trovate = browser.esegui(giro)

    assert len(trovate) >= len(pagine)
    rapporto = "\n".join(
        f"{nome}:\n" + "\n".join(map(str, violazioni))
        for nome, violazioni in trovate.items()
        if violazioni
    )
    assert not rapporto, f"serious or critical axe-core violations:\n{rapporto}"


def test_the_checker_finds_a_field_without_a_label(browser: BrowserDiProva) -> None:
    """The harness itself: axe-core runs under the CSP and a real violation fails."""

    def giro(pagina: Page) -> list[Violazione]:
        pagina.goto("/accedi/")
        pagina.evaluate(
            """() => {
                const campo = document.createElement("input");
                campo.id = "senza-etichetta";
                document.querySelector("main").append(campo);
            }"""
        )
        return accessibilita(pagina, "prova-campo-senza-etichetta")

    trovate = browser.esegui(giro)

    assert [(v.regola, v.impatto) for v in trovate] == [("label", "critical")]
    assert trovate[0].nodi[0].startswith("#senza-etichetta")
    assert "dequeuniversity.com/rules/axe/4.14/label" in trovate[0].aiuto
