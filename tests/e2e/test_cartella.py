"""A case from first contact to closure in the browser, with the demo data.

Anna (assistente sociale, Avigliana) records an accesso, opens a case, fills the analisi
preliminare, adds Elisa (OSS) to the équipe, writes a progetto with two objectives and two
interventi coded with SIUSS codes; Franco (responsabile di servizio) approves it; Anna activates
it, records an erogazione and a diario entry, sets the final outcomes and closes the case with a
final evaluation, then opens the person's timeline and the ente's case list.
Screenshots of each step: ``test-output/screenshots/test_anna_runs_a_case_from_access_to_closure/``.
``make guida-immagini`` also writes them, cut to the part of the page each step is about, to
``docs/guida/img/cartella/`` under the same names: the user guide (docs/guida/cartella.md)
shows them, and tests/test_docs_immagini.py checks it shows every one of them.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Persona
from equo.web.audit.models import AuditEvent
from equo.web.cartella.models import Caso, Erogazione, Intervento, Obiettivo, StatoCaso
from tests.e2e.conftest import BrowserDiProva
from tests.e2e.pagine import accedi, foto

AVIGLIANA = "c_a518"
DIMENSIONI = ("salute", "economica", "lavoro", "istruzione", "abitazione", "reti")
CASO_URL = re.compile(r"/cartella/casi/(\d+)/$")
#: The parts of the case page that some guide screenshots show (see ``foto``'s ``parti``).
PROGETTO = ("section[aria-labelledby=titolo-progetto]",)
TESTA_DEL_CASO = ("main .alert", "main h1", "section[aria-labelledby=titolo-passaggi]")
CHIUSURE_E_STORIA = (
    "section[aria-labelledby=titolo-chiusure]",
    "section[aria-labelledby=titolo-storia]",
)


def _giorno(giorni: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=giorni)).isoformat()


def _salva(pagina: Page) -> None:
    """Submit the cartella's form and land on the case page, with the success message."""
    pagina.locator("#salva").click()
    expect(pagina).to_have_url(CASO_URL)
    expect(pagina.get_by_role("alert")).to_be_visible()


def test_anna_runs_a_case_from_access_to_closure(
    browser: BrowserDiProva, demo: None, cartella_foto: Path, immagini_guida: Path | None
) -> None:
    def scatta(pagina: Page, nome: str, parti: tuple[str, ...] = ("main",)) -> None:
        foto(pagina, cartella_foto, nome, guida=immagini_guida, parti=parti)

    anna = Utente.objects.get(username="anna")
    elisa = Utente.objects.get(username="elisa")
    con_caso = Caso.objects.senza_scope().values("persona_id")
    persona = (
        Persona.objects.senza_scope()
        .filter(ente__codice_ipa=AVIGLIANA)
        .exclude(pk__in=con_caso)
        .order_by("pk")
        .first()
    )
    assert persona is not None

    def apre_e_progetta(pagina: Page) -> str:
        accedi(pagina, "anna")
        pagina.goto("/cartella/")
        scatta(pagina, "01-miei-casi")

        # Accesso e orientamento.
        pagina.locator("#nuovo-accesso").click()
        pagina.locator("#id_persona").select_option(str(persona.pk))
        pagina.locator("#id_data").fill(_giorno(-40))
        pagina.locator("#id_canale").select_option("sportello")
        pagina.locator("#id_richiedente").fill("L'interessata")
        pagina.locator("#id_bisogno_espresso").fill("Affitto arretrato, lavoro precario.")
        pagina.locator("#id_area").select_option("poverta")
        pagina.locator("#id_esito").select_option("apertura_caso")
        scatta(pagina, "02-nuovo-accesso")
        pagina.locator("#salva").click()
        expect(pagina).to_have_url(re.compile(r"/cartella/accessi/\d+/$"))
        scatta(pagina, "03-accesso")

        # Presa in carico.
        pagina.locator("#apri-caso").click()
        pagina.locator("#id_case_manager").select_option(str(anna.pk))
        pagina.locator("#id_aperto_il").fill(_giorno(-40))
        pagina.locator("#id_approvazione_richiesta").check()
        scatta(pagina, "04-apertura")
        _salva(pagina)
        scatta(pagina, "05-caso-aperto")
        trovato = CASO_URL.search(pagina.url)
        assert trovato is not None
        caso = f"/cartella/casi/{trovato.group(1)}/"
        pagina.goto(caso + "transizione/in_valutazione/")
        _salva(pagina)

        # Analisi preliminare.
        pagina.goto(caso + "analisi/modifica/")
        pagina.locator("#id_data_analisi").fill(_giorno(-38))
        pagina.locator("#id_esito").select_option("progetto_semplice")
        pagina.locator("#id_sintesi").fill("Bisogno economico e abitativo; buone reti familiari.")
        for dimensione in DIMENSIONI:
            livello = "grave" if dimensione == "economica" else "lieve"
            pagina.locator(f"#id_livello_{dimensione}").select_option(livello)
        pagina.locator("#id_risorse_reti").fill("La sorella aiuta con i figli.")
        scatta(pagina, "06-analisi")
        _salva(pagina)

        # Équipe: Elisa, the health member.
        pagina.goto(caso + "equipe/nuovo/")
        pagina.locator("#id_utente").select_option(str(elisa.pk))
        pagina.locator("#id_servizio").fill("ASL TO3 – Distretto")
        pagina.locator("#id_ruolo").select_option("sanitario")
        scatta(pagina, "07-equipe")
        _salva(pagina)

        # Progetto: two objectives, two interventi with SIUSS codes.
        pagina.goto(caso + "progetti/nuovo/")
        pagina.locator("#id_descrizione").fill("Casa e lavoro; la famiglia cerca un impiego.")
        pagina.locator("#id_data_accordo").fill(_giorno(-35))
        pagina.locator("#id_prossima_verifica").fill(_giorno(60))
        scatta(pagina, "08-progetto")
        _salva(pagina)
        for descrizione, indicatore in (
            ("Mantenere la casa", "Contratto in vigore"),
            ("Trovare un lavoro stabile", "Contratto di lavoro"),
        ):
            pagina.locator('a[href$="/obiettivi/nuovo/"]').click()
            pagina.locator("#id_descrizione").fill(descrizione)
            pagina.locator("#id_risultato_atteso").fill("Situazione stabile a fine progetto.")
            pagina.locator("#id_indicatore").fill(indicatore)
            pagina.locator("#id_scadenza").fill(_giorno(180))
            _salva(pagina)
        scatta(pagina, "09-obiettivi", PROGETTO)
        for codice in ("A1.05.01", "A1.04"):
            pagina.locator('a[href$="/interventi/nuovo/"]').click()
            pagina.locator("#id_codice_siuss").fill(codice)
            pagina.locator("#id_erogatore").fill("Comune di Avigliana")
            pagina.locator("#id_inizio").fill(_giorno(-35))
            if codice == "A1.04":
                scatta(pagina, "10-intervento")
            _salva(pagina)
        scatta(pagina, "11-progetto-completo", PROGETTO)
        return caso

    caso = browser.esegui(apre_e_progetta)

    def approva(pagina: Page) -> None:
        accedi(pagina, "franco")
        pagina.goto("/cartella/")
        scatta(pagina, "12-da-approvare")
        pagina.locator('a[href$="/approva/"]').first.click()
        scatta(pagina, "13-approvazione")
        _salva(pagina)

    browser.esegui(approva)

    def eroga_e_chiude(pagina: Page) -> None:
        accedi(pagina, "anna")
        pagina.goto(caso + "transizione/progetto_attivo/")
        _salva(pagina)
        scatta(pagina, "14-progetto-attivo", TESTA_DEL_CASO)

        pagina.locator('a[href$="/erogazioni/nuova/"]').first.click()
        pagina.locator("#id_dal").fill(_giorno(-35))
        pagina.locator("#id_al").fill(_giorno(-5))
        pagina.locator("#id_importo").fill("300")
        pagina.locator("#id_quota_ente").fill("300")
        scatta(pagina, "15-erogazione")
        _salva(pagina)

        pagina.locator('a[href$="/diario/nuova/"]').click()
        pagina.locator("#id_data").fill(_giorno(-3))
        pagina.locator("#id_tipo").select_option("colloquio")
        pagina.locator("#id_testo").fill("Colloquio con l'interessata: il lavoro inizia lunedì.")
        # With the keyboard: the floating label of the next field (Allegato) lies over the
        # checkbox and its label, and takes the mouse's clicks.
        pagina.locator("#id_riservata").focus()
        pagina.keyboard.press("Space")
        expect(pagina.locator("#id_riservata")).to_be_checked()
        scatta(pagina, "16-diario")
        _salva(pagina)

        for numero in range(2):
            pagina.locator('a[href$="/esito/"]').nth(numero).click()
            pagina.locator("#id_esito_finale").select_option("raggiunto")
            _salva(pagina)
        scatta(pagina, "17-esiti", PROGETTO)

        pagina.goto(caso + "chiusura/")
        pagina.locator("#id_data_chiusura").fill(_giorno(0))
        pagina.locator("#id_motivo").select_option("bisogno_risolto")
        pagina.locator("#id_valutazione_finale").fill("Obiettivi raggiunti: casa e lavoro.")
        scatta(pagina, "18-chiusura")
        _salva(pagina)
        expect(pagina.locator("#stato-caso")).to_contain_text("hiuso")
        scatta(pagina, "19-caso-chiuso", TESTA_DEL_CASO)
        scatta(pagina, "20-chiusure-e-storia", CHIUSURE_E_STORIA)

        # The person's timeline and the ente's case list.
        pagina.locator("#cronologia-persona").click()
        expect(pagina.get_by_role("heading", level=1)).to_contain_text("Cronologia di")
        scatta(pagina, "21-cronologia")
        pagina.goto("/cartella/")
        pagina.locator("#casi-ente").click()
        expect(pagina.get_by_role("heading", level=1)).to_have_text("Casi dell'ente")
        scatta(pagina, "22-casi-ente")

    browser.esegui(eroga_e_chiude)

    trovato = Caso.objects.senza_scope().get(persona=persona)
    assert trovato.stato == StatoCaso.CHIUSO
    assert sorted(
        Intervento.objects.senza_scope()
        .filter(progetto__caso=trovato)
        .values_list("codice_siuss", flat=True)
    ) == ["A1.04", "A1.05.01"]
    obiettivi = Obiettivo.objects.senza_scope().filter(progetto__caso=trovato)
    assert sorted(obiettivi.values_list("esito_finale", flat=True)) == ["raggiunto"] * 2
    assert Erogazione.objects.senza_scope().filter(intervento__progetto__caso=trovato).exists()
    eventi = AuditEvent.objects.senza_scope().filter(utente_nome="anna")
    assert {"creazione", "lettura", "modifica"} <= set(eventi.values_list("tipo", flat=True))
