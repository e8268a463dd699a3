"""The keyboard alone: log in, skip to the content, fill and send the new-person form.

No mouse: only ``keyboard.press``/``keyboard.type``. The Tab order must reach the fields in the
order they are seen (top to bottom), every focused control must show a focus indicator, and the
skip link must be the first stop of the page and move the focus to the content.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from equo.synthetic.codice_fiscale import codice_fiscale_sintetico
from equo.web.anagrafe.models import Persona
from equo.web.demo import PASSWORD_DEMO
from tests.e2e.conftest import BrowserDiProva
from tests.e2e.pagine import foto

CODICE = codice_fiscale_sintetico("Moreno", "Pietro", dt.date(1975, 9, 30), "M", "A518")

#: The new-person form, in the order it is seen, with what is typed into each field
#: (``None``: left as it is). The select takes a typed letter; the date field takes the digits
#: in the Italian order (gg/mm/aaaa).
CAMPI: list[tuple[str, str | None]] = [
    ("id_cognome", "Moreno"),
    ("id_nome", "Pietro"),
    ("id_codice_fiscale", CODICE.lower()),
    ("id_sesso", "M"),
    ("id_data_nascita", "30091975"),
    ("id_luogo_nascita", None),
    ("id_cittadinanza", None),
    ("id_comune_residenza", "Avigliana"),
    ("id_note", "Inserita con la sola tastiera."),
    ("salva-persona", None),
]
MASSIMO_TAB = 40

ATTIVO = """() => {
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    const stile = getComputedStyle(el);
    return {
        id: el.id, testo: (el.innerText || "").trim(), y: box.top + window.scrollY,
        // A focus indicator: an outline or a box shadow (Bootstrap Italia uses both).
        indicatore: (stile.outlineStyle !== "none" && parseFloat(stile.outlineWidth) > 0)
            || stile.boxShadow !== "none",
        visibile: box.width > 1 && box.height > 1,
    };
}"""


def _attivo(pagina: Page) -> dict[str, Any]:
    risultato: dict[str, Any] = pagina.evaluate(ATTIVO)
    return risultato


def _tab_fino_a(pagina: Page, condizione: str) -> list[dict[str, Any]]:
    """Press Tab until the focused element has id or text ``condizione``; the stops on the way."""
    fermate = []
    for _ in range(MASSIMO_TAB):
        pagina.keyboard.press("Tab")
        attivo = _attivo(pagina)
        fermate.append(attivo)
        if condizione in (attivo["id"], attivo["testo"]):
            return fermate
    raise AssertionError(f"{condizione!r} not reached with Tab: {[f['id'] for f in fermate]}")


def _tab_fuori_da(pagina: Page, campo: str) -> None:
    """Press Tab until the focus leaves ``campo`` (a date field has a stop for the day, the
    month, the year and the calendar button)."""
    for _ in range(5):
        pagina.keyboard.press("Tab")
        if _attivo(pagina)["id"] != campo:
            return
    raise AssertionError(f"the focus does not leave {campo!r} with Tab")


def _salta_al_contenuto(pagina: Page, cartella: Path, nome: str) -> None:
    """The skip link is the first Tab stop, visible when focused, and focuses ``<main>``."""
    pagina.locator("body").focus()
    pagina.keyboard.press("Tab")
    salto = pagina.get_by_role("link", name="Vai al contenuto principale")
    expect(salto).to_be_focused()
    expect(salto).to_be_in_viewport()
    assert _attivo(pagina)["visibile"], "the skip link must become visible when focused"
    foto(pagina, cartella, nome)
    pagina.keyboard.press("Enter")
    expect(pagina.locator("main#contenuto")).to_be_focused()
    expect(pagina).to_have_url(re.compile(r"#contenuto$"))


def test_the_new_person_form_with_the_keyboard_only(
    browser: BrowserDiProva, demo: None, cartella_foto: Path
) -> None:
    def percorso(pagina: Page) -> list[dict[str, Any]]:
        pagina.goto("/accedi/")
        expect(pagina.locator("#id_username")).to_be_focused()  # autofocus
        pagina.keyboard.type("anna")
        pagina.keyboard.press("Tab")
        expect(pagina.locator("#id_password")).to_be_focused()
        pagina.keyboard.type(PASSWORD_DEMO)
        pagina.keyboard.press("Enter")
        expect(pagina.get_by_role("heading", level=1)).to_contain_text("Buongiorno")

        _salta_al_contenuto(pagina, cartella_foto, "01-salto-home")
        _tab_fino_a(pagina, "Nuova persona")  # the link of the home panel
        pagina.keyboard.press("Enter")
        expect(pagina.get_by_role("heading", level=1)).to_have_text("Nuova persona")

        _salta_al_contenuto(pagina, cartella_foto, "02-salto-modulo")
        _tab_fino_a(pagina, CAMPI[0][0])  # past the breadcrumbs
        fermate = []
        for indice, (campo, valore) in enumerate(CAMPI):
            fermate.append(_attivo(pagina))
            assert fermate[-1]["id"] == campo, f"Tab reached {fermate[-1]['id']!r}, not {campo!r}"
            assert fermate[-1]["indicatore"], f"{campo}: no visible focus indicator"
            if valore is not None:
                pagina.keyboard.type(valore)
            if indice == 3:
                foto(pagina, cartella_foto, "03-fuoco-visibile")
            if indice < len(CAMPI) - 1:
                _tab_fuori_da(pagina, campo)
        assert pagina.locator("#id_data_nascita").input_value() == "1975-09-30", (
            "the date field did not take the digits as gg/mm/aaaa: Chromium needs its Italian "
            "interface (Debian's chromium-l10n, installed by `make browser`)"
        )
        expect(pagina.locator("#id_sesso")).to_have_value("M")
        pagina.keyboard.press("Enter")  # on "Salva"
        expect(pagina.get_by_role("heading", level=1)).to_have_text("Moreno Pietro")
        foto(pagina, cartella_foto, "04-scheda")
        return fermate

    fermate = browser.esegui(percorso)

    # The Tab order is the visual order: each field below the one before.
    altezze = [fermata["y"] for fermata in fermate]
    assert altezze == sorted(altezze), list(zip([c for c, _ in CAMPI], altezze, strict=True))
    persona = Persona.objects.senza_scope().get(codice_fiscale=CODICE)
    assert (persona.sesso, persona.data_nascita) == ("M", dt.date(1975, 9, 30))
    assert persona.note == "Inserita con la sola tastiera."
