"""A case from first contact to closure in the browser, with the demo data.

Anna (assistente sociale, Avigliana) records an accesso, opens a case, fills the analisi
preliminare, adds Elisa (OSS) to the équipe, writes a progetto with two objectives and two
interventi coded with SIUSS codes; Franco (responsabile di servizio) approves it; Anna activates
it, records an erogazione and a diario entry, sets the final outcomes and closes the case with a
final evaluation, then opens the person's timeline and the ente's case list.
A second test follows the équipe path: the analisi asks for the quadro di analisi, Anna adds
Elisa (health) to the équipe and starts the quadro, Elisa logs in and writes her contributo,
Anna convenes the équipe, writes the verbale once the meeting has taken place and concludes the
quadro. Every step is clicked like a user does, from the buttons of the pages (the "Passaggi
possibili" of the case page for the changes of state).
Screenshots of each step: ``test-output/screenshots/<test name>/``.
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
from equo.web.anagrafe.models import Membro, Persona
from equo.web.audit.models import AuditEvent
from equo.web.cartella import actions
from equo.web.cartella.models import (
    AreaUtenza,
    Caso,
    ContributoQuadro,
    Erogazione,
    Intervento,
    Obiettivo,
    Progetto,
    QuadroAnalisi,
    RiunioneEquipe,
    StatoCaso,
    StatoRiunione,
)
from equo.web.enti.models import Ente
from tests.e2e.conftest import BrowserDiProva
from tests.e2e.pagine import accedi, foto

AVIGLIANA = "c_a518"
DIMENSIONI = ("salute", "economica", "lavoro", "istruzione", "abitazione", "reti")
CASO_URL = re.compile(r"/cartella/casi/(\d+)/$")
#: The parts of the case page that some guide screenshots show (see ``foto``'s ``parti``).
PROGETTO = ("section[aria-labelledby=titolo-progetto]",)
TESTA_DEL_CASO = ("main .alert", "main h1", "section[aria-labelledby=titolo-passaggi]")
#: The analisi form down to its first two dimensions (each has a row per member of the nucleo).
ANALISI = ("main h1", "#dimensione-economica")
CHIUSURE_E_STORIA = (
    "section[aria-labelledby=titolo-chiusure]",
    "section[aria-labelledby=titolo-storia]",
)


def _giorno(giorni: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=giorni)).isoformat()


def _salva(pagina: Page, pagina_dopo: re.Pattern[str] = CASO_URL) -> None:
    """Submit the cartella's form and land on the case page (or ``pagina_dopo``), with the
    success message."""
    pagina.locator("#salva").click()
    expect(pagina).to_have_url(pagina_dopo)
    expect(pagina.get_by_role("alert")).to_be_visible()


def _pulsante(pagina: Page, nome: str) -> None:
    """Click the button (a link styled as one) called ``nome`` on the page."""
    pagina.get_by_role("link", name=nome, exact=True).click()


def _passaggio(pagina: Page, nome: str) -> None:
    """Click a button of the case page's "Passaggi possibili" (the next page confirms it)."""
    passaggi = pagina.locator("section[aria-labelledby=titolo-passaggi]")
    passaggi.get_by_role("link", name=nome, exact=True).click()


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
    nucleo = Membro.objects.senza_scope().filter(persona=persona).get().nucleo

    def apre_e_progetta(pagina: Page) -> str:
        accedi(pagina, "anna")
        pagina.goto("/cartella/")
        scatta(pagina, "01-miei-casi")

        # Accesso e orientamento.
        pagina.locator("#nuovo-accesso").click()
        # The person is searched in the anagrafe and chosen among the results.
        pagina.locator("#q").fill(f"{persona.cognome} {persona.nome}")
        pagina.locator("#cerca-persona button").click()
        pagina.locator(f'#risultati-persona a[href$="persona={persona.pk}"]').click()
        expect(pagina.locator("#persona-scelta")).to_contain_text(persona.cognome)
        expect(pagina.locator("#id_persona")).to_have_value(str(persona.pk))
        pagina.locator("#id_nucleo").select_option(str(nucleo.pk))
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
        _passaggio(pagina, "Avvia la valutazione")
        expect(pagina.get_by_role("heading", level=1)).to_contain_text("In valutazione")
        _salva(pagina)
        expect(pagina.locator("#stato-caso")).to_have_text("In valutazione")

        # Analisi preliminare.
        _pulsante(pagina, "Compila l'analisi preliminare")
        pagina.locator("#id_data_analisi").fill(_giorno(-38))
        pagina.locator("#id_esito").select_option("progetto_semplice")
        pagina.locator("#id_sintesi").fill("Bisogno economico e abitativo; buone reti familiari.")
        for dimensione in DIMENSIONI:
            livello = "grave" if dimensione == "economica" else "lieve"
            pagina.locator(f"#id_livello_{dimensione}").select_option(livello)
        pagina.locator("#id_risorse_reti").fill("La sorella aiuta con i figli.")
        scatta(pagina, "06-analisi", ANALISI)
        _salva(pagina)

        # Équipe: Elisa, the health member.
        _pulsante(pagina, "Aggiungi un membro")
        pagina.locator("#id_utente").select_option(str(elisa.pk))
        pagina.locator("#id_servizio").fill("ASL TO3 – Distretto")
        pagina.locator("#id_ruolo").select_option("sanitario")
        scatta(pagina, "07-equipe")
        _salva(pagina)

        # Progetto: two objectives, two interventi with SIUSS codes.
        _pulsante(pagina, "Scrivi il progetto")
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
        # The demo has a draft of its own waiting: Franco opens the one of this case.
        pagina.locator(f'a[href$="/progetti/{bozza.pk}/approva/"]').click()
        scatta(pagina, "13-approvazione")
        _salva(pagina)

    numero_caso = int(caso.rstrip("/").rsplit("/", 1)[1])
    bozza = Progetto.objects.senza_scope().get(caso_id=numero_caso)

    browser.esegui(approva)

    def eroga_e_chiude(pagina: Page) -> None:
        accedi(pagina, "anna")
        pagina.goto("/cartella/")
        pagina.get_by_role("link", name=f"Caso n. {numero_caso}", exact=True).click()
        _passaggio(pagina, "Attiva il progetto")
        _salva(pagina)
        expect(pagina.locator("#stato-caso")).to_have_text("Progetto attivo")
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
        pagina.locator('label[for="id_riservata"]').click()
        expect(pagina.locator("#id_riservata")).to_be_checked()
        scatta(pagina, "16-diario")
        _salva(pagina)

        for numero in range(2):
            pagina.locator('a[href$="/esito/"]').nth(numero).click()
            pagina.locator("#id_esito_finale").select_option("raggiunto")
            _salva(pagina)
        scatta(pagina, "17-esiti", PROGETTO)

        _passaggio(pagina, "Chiudi il caso")
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


def test_the_equipe_writes_the_quadro_di_analisi(
    browser: BrowserDiProva, demo: None, cartella_foto: Path, immagini_guida: Path | None
) -> None:
    """The quadro path. The meeting is convened in the future (a convocation cannot be in the
    past); between the two browser sessions the test moves its date back, as time would, so
    that Anna can write the verbale (not before the meeting: the form refuses it)."""

    def scatta(pagina: Page, nome: str, parti: tuple[str, ...] = ("main",)) -> None:
        foto(pagina, cartella_foto, nome, guida=immagini_guida, parti=parti)

    ente = Ente.objects.get(codice_ipa=AVIGLIANA)
    anna = Utente.objects.get(username="anna")
    elisa = Utente.objects.get(username="elisa")
    con_caso = Caso.objects.senza_scope().values("persona_id")
    persona = (
        Persona.objects.senza_scope()
        .filter(ente=ente)
        .exclude(pk__in=con_caso)
        .order_by("pk")
        .first()
    )
    assert persona is not None
    # The first steps are those of the other test: here they are written through the actions.
    trovato = actions.do_apri_caso(
        ente=ente,
        persona=persona,
        area=AreaUtenza.FAMIGLIA_MINORI,
        case_manager=anna,
        aperto_il=timezone.localdate() - dt.timedelta(days=10),
        acting_user=anna,
    )
    caso = f"/cartella/casi/{trovato.pk}/"
    quadro_url = re.compile(rf"{caso}quadro/$")
    riunione_url = re.compile(r"/cartella/riunioni/\d+/$")

    def analisi_ed_equipe(pagina: Page) -> None:
        accedi(pagina, "anna")
        pagina.goto("/cartella/")
        pagina.get_by_role("link", name=str(trovato), exact=True).click()
        _passaggio(pagina, "Avvia la valutazione")
        _salva(pagina)
        _pulsante(pagina, "Compila l'analisi preliminare")
        pagina.locator("#id_data_analisi").fill(_giorno(-9))
        pagina.locator("#id_esito").select_option("quadro_equipe")
        pagina.locator("#id_sintesi").fill("Bisogni complessi: salute del figlio, lavoro, casa.")
        for dimensione in DIMENSIONI:
            pagina.locator(f"#id_livello_{dimensione}").select_option("moderato")
        _salva(pagina)

        _pulsante(pagina, "Aggiungi un membro")
        pagina.locator("#id_utente").select_option(str(elisa.pk))
        pagina.locator("#id_servizio").fill("ASL TO3 – Neuropsichiatria infantile")
        pagina.locator("#id_ruolo").select_option("sanitario")
        _salva(pagina)

        _pulsante(pagina, "Quadro di analisi")
        _pulsante(pagina, "Avvia il quadro di analisi")
        pagina.locator("#id_avviato_il").fill(_giorno(-8))
        scatta(pagina, "23-avvio-quadro")
        _salva(pagina, quadro_url)

        _pulsante(pagina, "Convoca l'équipe")
        domani = timezone.localtime() + dt.timedelta(days=1)
        pagina.locator("#id_data_ora").fill(domani.strftime("%Y-%m-%dT10:00"))
        pagina.locator("#id_luogo").fill("Sede dei servizi sociali, Avigliana")
        pagina.locator("#id_ordine_del_giorno").fill(
            "Lettura dei contributi; proposta di progetto."
        )
        # Like a mouse user: Bootstrap Italia draws the box in the label, which takes the click.
        pagina.locator('label[for="id_convocati_0"]').click()
        expect(pagina.locator("#id_convocati_0")).to_be_checked()
        scatta(pagina, "24-convocazione")
        _salva(pagina, quadro_url)

    browser.esegui(analisi_ed_equipe)

    def contributo(pagina: Page) -> None:
        accedi(pagina, "elisa")
        pagina.goto("/cartella/")
        pagina.get_by_role("link", name=str(trovato), exact=True).click()
        _pulsante(pagina, "Quadro di analisi")
        _pulsante(pagina, "Scrivi il mio contributo")
        pagina.locator("#id_testo").fill(
            "Il bambino segue un percorso di logopedia; la madre ha bisogno di orari compatibili."
        )
        scatta(pagina, "25-contributo")
        _salva(pagina, quadro_url)

    browser.esegui(contributo)

    # The day of the meeting comes: the test moves its date back instead of waiting.
    riunione = RiunioneEquipe.objects.senza_scope().get(equipe__caso=trovato)
    RiunioneEquipe.objects.senza_scope().filter(pk=riunione.pk).update(
        data_ora=timezone.now() - dt.timedelta(hours=2)
    )

    def verbale_e_conclusione(pagina: Page) -> None:
        accedi(pagina, "anna")
        pagina.goto(caso)
        _pulsante(pagina, "Quadro di analisi")
        pagina.locator("#riunioni a").first.click()
        expect(pagina).to_have_url(riunione_url)
        _pulsante(pagina, "Scrivi il verbale")
        pagina.locator('label[for="id_presenti_0"]').click()
        expect(pagina.locator("#id_presenti_0")).to_be_checked()
        pagina.locator("#id_verbale").fill(
            "Presenti Anna Ferrero ed Elisa Greco. Si concorda un progetto con sostegno "
            "educativo e orari di lavoro compatibili con le terapie."
        )
        scatta(pagina, "26-verbale")
        _salva(pagina, riunione_url)
        expect(pagina.locator("#stato-riunione")).to_have_text("Svolta")
        _pulsante(pagina, "Torna al quadro di analisi")
        _pulsante(pagina, "Aggiorna sintesi e conclusione")
        pagina.locator("#id_sintesi").fill("L'équipe concorda: progetto con sostegno educativo.")
        pagina.locator("#id_concluso_il").fill(_giorno(0))
        _salva(pagina, quadro_url)
        scatta(pagina, "27-quadro-concluso")

    browser.esegui(verbale_e_conclusione)

    quadro = QuadroAnalisi.objects.senza_scope().get(caso=trovato)
    assert quadro.concluso_il == timezone.localdate()
    contributi = ContributoQuadro.objects.senza_scope().filter(quadro=quadro)
    assert list(contributi.values_list("membro__utente_id", flat=True)) == [elisa.pk]
    riunione.refresh_from_db()
    assert riunione.stato == StatoRiunione.SVOLTA
    presenti = RiunioneEquipe.presenti.through.objects.filter(riunioneequipe=riunione)
    assert list(presenti.values_list("membroequipe__utente_id", flat=True)) == [elisa.pk]
    letture = AuditEvent.objects.senza_scope().filter(dettagli__caso=trovato.pk)
    assert {"anna", "elisa"} <= set(letture.values_list("utente_nome", flat=True))
