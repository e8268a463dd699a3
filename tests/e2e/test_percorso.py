"""An assistente sociale's day in the browser: log in, find a person, register a new one, log out.

The test's own thread prepares and checks the database; the browser steps run in the browser
thread (``browser.esegui``, see conftest). Screenshots: ``test-output/screenshots/<test>/``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, expect

from equo.synthetic.codice_fiscale import codice_fiscale_sintetico
from equo.web.anagrafe.models import Persona
from equo.web.audit.models import AuditEvent
from tests.e2e.conftest import BrowserDiProva
from tests.e2e.pagine import accedi, esci, foto

AVIGLIANA = "c_a518"  # Anna's Comune in the demo data


@dataclass(frozen=True)
class NuovaPersona:
    cognome: str
    nome: str
    sesso: str
    nascita: dt.date
    codice_fiscale: str

    @property
    def codice_sbagliato(self) -> str:
        """The same code with another check character: a typing error."""
        altro = "A" if self.codice_fiscale[-1] != "A" else "B"
        return self.codice_fiscale[:-1] + altro


# Born in Avigliana (Belfiore A518); no demo person has this surname.
LUCIA = NuovaPersona(
    cognome="Bianchi",
    nome="Lucia",
    sesso="F",
    nascita=dt.date(1990, 4, 12),
    codice_fiscale=codice_fiscale_sintetico("Bianchi", "Lucia", dt.date(1990, 4, 12), "F", "A518"),
)


def _senza_accenti(testo: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", testo) if not unicodedata.combining(c))


def _da_cercare() -> tuple[Persona, str]:
    """A demo person of Avigliana with an accented name (Nicolò), and how a hurried operator
    types it: one letter of the surname missing, no accent, lower case."""
    candidate = [
        persona
        for persona in Persona.objects.senza_scope()
        .filter(ente__codice_ipa=AVIGLIANA, nome__contains="ò")
        .order_by("cognome", "nome", "pk")
        if " " not in persona.cognome and "'" not in persona.cognome and len(persona.cognome) >= 5
    ]
    assert candidate, "the demo data has no Nicolò in Avigliana any more: choose another name"
    persona = candidate[0]
    cognome = persona.cognome.lower()
    return persona, f"{cognome[:2]}{cognome[3:]} {_senza_accenti(persona.nome).lower()}"


def test_anna_finds_a_person_and_registers_another(
    browser: BrowserDiProva, demo: None, cartella_foto: Path
) -> None:
    cercata, testo = _da_cercare()
    assert not Persona.objects.senza_scope().filter(codice_fiscale=LUCIA.codice_fiscale).exists()

    def percorso(pagina: Page) -> None:
        pagina.goto("/")
        expect(pagina).to_have_url(re.compile(r"/accedi/\?next=/$"))
        foto(pagina, cartella_foto, "01-accesso")
        accedi(pagina, "anna")
        foto(pagina, cartella_foto, "02-home")
        # The production cookies work over http://localhost (a secure context for Chromium).
        sessione = {c["name"]: c for c in pagina.context.cookies()}["__Host-equo_sessione"]
        assert (sessione["secure"], sessione["httpOnly"], sessione["path"]) == (True, True, "/")

        # The search, live (htmx) and tolerant: a letter missing, no accent.
        pagina.get_by_role("navigation", name="Menu principale").get_by_role(
            "link", name="Persone"
        ).click()
        expect(pagina.get_by_role("heading", level=1)).to_have_text("Persone")
        pagina.locator("#ricerca-persone").press_sequentially(testo, delay=20)
        risultato = pagina.locator(f'#risultati-persone a[href="/anagrafe/persone/{cercata.pk}/"]')
        expect(risultato).to_have_text(f"{cercata.cognome} {cercata.nome}")
        expect(pagina.locator("#stato-ricerca")).to_contain_text("trovat")
        expect(pagina.locator("#stato-ricerca")).to_contain_text(f"«{testo}»")
        expect(pagina).to_have_url(re.compile(r"\?q="))  # htmx pushed the search to the history
        foto(pagina, cartella_foto, "03-ricerca")

        risultato.click()
        expect(pagina.get_by_role("heading", level=1)).to_have_text(
            f"{cercata.cognome} {cercata.nome}"
        )
        expect(pagina.get_by_text(cercata.codice_fiscale, exact=True)).to_be_visible()
        foto(pagina, cartella_foto, "04-scheda")

        # A new person, with a typing error in the codice fiscale.
        pagina.get_by_role("link", name="Persone", exact=True).first.click()
        pagina.locator("#nuova-persona").click()
        expect(pagina.get_by_role("heading", level=1)).to_have_text("Nuova persona")
        pagina.locator("#id_cognome").fill(LUCIA.cognome)
        pagina.locator("#id_nome").fill(LUCIA.nome)
        pagina.locator("#id_codice_fiscale").fill(LUCIA.codice_sbagliato)
        pagina.locator("#id_sesso").select_option(LUCIA.sesso)
        pagina.locator("#id_data_nascita").fill(LUCIA.nascita.isoformat())
        pagina.locator("#id_comune_residenza").fill("Avigliana")
        pagina.locator("#salva-persona").click()

        campo = pagina.locator("#id_codice_fiscale")
        errore = pagina.locator("#id_codice_fiscale_error")
        expect(errore).to_be_visible()
        expect(errore).to_contain_text("l'ultimo carattere (di controllo) non corrisponde")
        # Announced: the field is marked invalid and described by the error.
        expect(campo).to_have_attribute("aria-invalid", "true")
        expect(campo).to_have_attribute(
            "aria-describedby", re.compile(r"\bid_codice_fiscale_error\b")
        )
        expect(campo).to_have_accessible_description(re.compile(r"di controllo"))
        # Next to the field: right below it, in the same column.
        box_campo, box_errore = campo.bounding_box(), errore.bounding_box()
        assert box_campo is not None and box_errore is not None
        assert 0 <= box_errore["y"] - (box_campo["y"] + box_campo["height"]) < 40
        assert abs(box_errore["x"] - box_campo["x"]) < 40
        # The only error; what was typed is still there.
        expect(pagina.locator("[aria-invalid=true]")).to_have_count(1)
        expect(pagina.locator("#id_cognome")).to_have_value(LUCIA.cognome)
        expect(campo).to_have_value(LUCIA.codice_sbagliato)
        foto(pagina, cartella_foto, "05-codice-sbagliato")

        campo.fill(LUCIA.codice_fiscale)
        pagina.locator("#salva-persona").click()
        expect(pagina.get_by_role("heading", level=1)).to_have_text(f"{LUCIA.cognome} {LUCIA.nome}")
        expect(pagina.get_by_role("alert")).to_contain_text("Persona inserita in anagrafe.")
        expect(pagina.get_by_text(LUCIA.codice_fiscale, exact=True)).to_be_visible()
        expect(pagina.locator("main")).to_contain_text("Avigliana")  # place of birth, from the CF
        foto(pagina, cartella_foto, "06-nuova-scheda")

        esci(pagina)
        foto(pagina, cartella_foto, "07-uscita")
        pagina.goto("/anagrafe/persone/")
        expect(pagina).to_have_url(re.compile(r"/accedi/\?next="))

    browser.esegui(percorso)

    nuova = Persona.objects.senza_scope().get(codice_fiscale=LUCIA.codice_fiscale)
    assert (nuova.ente.codice_ipa, nuova.nascita_codice_catastale) == (AVIGLIANA, "A518")
    eventi = (
        AuditEvent.objects.senza_scope().filter(utente_nome="anna").values_list("tipo", flat=True)
    )
    assert {"accesso", "lettura", "creazione", "uscita"} <= set(eventi)
