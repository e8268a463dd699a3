"""Demo cases for ``make run``: Anna (assistente sociale, Comune di Avigliana) follows invented
cases at every step of the process, so that each screen of the cartella has something to show.

- accessi without a case: information given, and a referral to the consultorio;
- a case just opened (aperto);
- a case on the quadro di analisi path (in valutazione): an équipe with Elisa (OSS, the health
  member) and an external member from the centro per l'impiego, Elisa's contributo, a past
  meeting with its verbale and a future convocation;
- a case whose progetto draft awaits the approval of Franco (responsabile di servizio of the
  Unione);
- a case with the progetto attivo, an erogazione, a riservata diario entry and a relazione with
  a small PDF attachment;
- a case in monitoraggio whose review is overdue (I miei casi marks it «scaduta»);
- a closed case.

Every case belongs to a person of a demo nucleo (``equo.web.anagrafe.demo``). Everything is
written through the actions, like real data, with their audit rows; the whole demo is loaded once
(``equo.web.demo.carica_demo`` does nothing when the demo is already there).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Membro, Nucleo, Persona, Relazione
from equo.web.cartella import actions
from equo.web.cartella.models import (
    Accesso,
    AreaUtenza,
    Canale,
    Caso,
    Dimensione,
    EsitoAccesso,
    EsitoAnalisi,
    EsitoObiettivo,
    Intervento,
    LivelloBisogno,
    MembroEquipe,
    Obiettivo,
    Progetto,
    RiunioneEquipe,
    RuoloEquipe,
    StatoCaso,
    TipoVoce,
    Urgenza,
)
from equo.web.enti.models import Ente

__all__ = ["carica_cartella_demo", "pdf_dimostrativo"]

#: The persons of the demo cases: the dichiaranti of the first nuclei of Avigliana.
CASI_DEMO = 6


def pdf_dimostrativo(testo: str) -> bytes:
    """A one-page PDF showing ``testo`` (ASCII): the demo's attachment, built here so that no
    binary file is kept in the repository."""
    flusso = f"BT /F1 14 Tf 72 760 Td ({testo}) Tj ET".encode("ascii")
    oggetti = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(flusso), flusso),
    ]
    contenuto = b"%PDF-1.4\n"
    posizioni = []
    for numero, oggetto in enumerate(oggetti, start=1):
        posizioni.append(len(contenuto))
        contenuto += b"%d 0 obj\n%s\nendobj\n" % (numero, oggetto)
    inizio_xref = len(contenuto)
    contenuto += b"xref\n0 %d\n0000000000 65535 f \n" % (len(oggetti) + 1)
    contenuto += b"".join(b"%010d 00000 n \n" % p for p in posizioni)
    contenuto += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(oggetti) + 1,
        inizio_xref,
    )
    return contenuto


def _accesso(
    ente: Ente,
    anna: Utente,
    persona: Persona | None,
    giorno: dt.date,
    area: str,
    esito: str = EsitoAccesso.APERTURA_CASO,
    **altro: str,
) -> Accesso:
    return actions.do_registra_accesso(
        ente=ente,
        dati={
            "persona": persona,
            "data": giorno,
            "canale": Canale.SPORTELLO,
            "richiedente": "L'interessata",
            "bisogno_espresso": "Difficoltà a pagare l'affitto e a conciliare lavoro e figli.",
            "area": area,
            "urgenza": Urgenza.ORDINARIA,
            "esito": esito,
            **altro,
        },
        acting_user=anna,
    )


def _caso(
    ente: Ente, anna: Utente, famiglia: tuple[Persona, Nucleo], giorno: dt.date, area: str
) -> Caso:
    persona, nucleo = famiglia
    return actions.do_apri_caso(
        ente=ente,
        persona=persona,
        nucleo=nucleo,
        area=area,
        case_manager=anna,
        aperto_il=giorno,
        accesso=_accesso(ente, anna, persona, giorno, area),
        acting_user=anna,
    )


def _analisi(caso: Caso, anna: Utente, giorno: dt.date, esito: str, sintesi: str) -> None:
    actions.do_transizione_caso(caso, StatoCaso.IN_VALUTAZIONE, acting_user=anna)
    livelli: dict[str, tuple[str, str]] = {d: (LivelloBisogno.MODERATO, "") for d in Dimensione}
    livelli[Dimensione.ECONOMICA] = (LivelloBisogno.GRAVE, "Sostegno dei genitori")
    actions.do_salva_analisi(
        caso,
        dati={"data": giorno, "esito": esito, "sintesi": sintesi},
        dimensioni=livelli,
        acting_user=anna,
    )


def _bozza(caso: Caso, anna: Utente, giorno: dt.date, verifica: dt.date) -> Progetto:
    """A progetto with one objective and one intervento (A1.05.01), not yet approved."""
    progetto = actions.do_crea_progetto(
        caso,
        dati={
            "descrizione": "Sostegno al reddito e all'abitazione; la famiglia cerca lavoro.",
            "data_accordo": giorno,
            "prossima_verifica": verifica,
        },
        acting_user=anna,
    )
    obiettivo = actions.do_aggiungi_obiettivo(
        progetto,
        dati={
            "descrizione": "Pagare regolarmente l'affitto",
            "risultato_atteso": "Nessuna mensilità arretrata",
            "indicatore": "Ricevute di pagamento",
            "scadenza": giorno + dt.timedelta(days=180),
            "persona": caso.persona,
        },
        acting_user=anna,
    )
    actions.do_aggiungi_intervento(
        progetto,
        dati={
            "codice_siuss": "A1.05.01",
            "obiettivo": obiettivo,
            "erogatore": "Comune",
            "frequenza": "mensile",
            "inizio": giorno,
            "costo": Decimal(1200),
            "compartecipazione": Decimal(0),
        },
        acting_user=anna,
    )
    return progetto


def _progetto_attivo(
    caso: Caso, anna: Utente, franco: Utente, giorno: dt.date, verifica: dt.date
) -> None:
    _analisi(caso, anna, giorno, EsitoAnalisi.PROGETTO_SEMPLICE, "Bisogni semplici.")
    progetto = _bozza(caso, anna, giorno, verifica)
    actions.do_approva_progetto(progetto, acting_user=franco)
    actions.do_transizione_caso(caso, StatoCaso.PROGETTO_ATTIVO, acting_user=anna)
    actions.do_registra_erogazione(
        Intervento.objects.senza_scope().get(progetto=progetto),
        dati={
            "dal": giorno,
            "al": giorno + dt.timedelta(days=29),
            "importo": Decimal(200),
            "quota_ente": Decimal(200),
        },
        acting_user=anna,
    )
    actions.do_scrivi_voce_diario(
        caso,
        dati={"data": giorno, "tipo": TipoVoce.COLLOQUIO, "testo": "Primo colloquio."},
        acting_user=anna,
    )


def _diario_completo(caso: Caso, anna: Utente, giorno: dt.date) -> None:
    """A riservata entry and a relazione with its PDF attachment (stored like an upload)."""
    actions.do_scrivi_voce_diario(
        caso,
        dati={
            "data": giorno,
            "tipo": TipoVoce.TELEFONATA,
            "testo": "La signora riferisce tensioni in famiglia: da approfondire in colloquio.",
            "riservata": True,
        },
        acting_user=anna,
    )
    pdf = pdf_dimostrativo("Relazione sociale - dati inventati per la dimostrazione")
    actions.do_scrivi_voce_diario(
        caso,
        dati={
            "data": giorno + dt.timedelta(days=1),
            "tipo": TipoVoce.RELAZIONE,
            "testo": "Relazione per il servizio casa del Comune (in allegato).",
        },
        allegati=[SimpleUploadedFile("relazione-servizio-casa.pdf", pdf, "application/pdf")],
        acting_user=anna,
    )


def _quadro(caso: Caso, anna: Utente, elisa: Utente, giorno: dt.date) -> None:
    """The in-depth assessment with the équipe: members, contributo, two meetings."""
    _analisi(
        caso,
        anna,
        giorno,
        EsitoAnalisi.QUADRO_EQUIPE,
        "Bisogni complessi: salute del figlio, lavoro, casa. Serve l'équipe.",
    )
    sanitaria = actions.do_aggiungi_membro_equipe(
        caso,
        dati={
            "utente": elisa,
            "servizio": "ASL TO3 – cure domiciliari",
            "ruolo": RuoloEquipe.SANITARIO,
        },
        acting_user=anna,
    )
    esterno = actions.do_aggiungi_membro_equipe(
        caso,
        dati={
            "nome_esterno": "Marco Villa",
            "servizio": "Centro per l'impiego di Susa",
            "ruolo": RuoloEquipe.LAVORO,
        },
        acting_user=anna,
    )
    actions.do_salva_quadro(
        caso,
        dati={"avviato_il": giorno + dt.timedelta(days=2), "sintesi": ""},
        acting_user=anna,
    )
    actions.do_salva_contributo(
        caso,
        testo="Il figlio segue un piano terapeutico; la madre può lavorare a tempo parziale.",
        acting_user=elisa,
    )
    convocati: list[MembroEquipe] = [sanitaria, esterno]
    svolta = actions.do_convoca_riunione(
        caso,
        dati={
            "data_ora": timezone.now() + dt.timedelta(hours=1),
            "luogo": "Sede dei servizi sociali, Avigliana",
            "ordine_del_giorno": "Prima lettura del quadro di analisi.",
        },
        convocati=convocati,
        acting_user=anna,
    )
    # The meeting took place ten days ago: the demo moves its date back (a convocation is never
    # in the past) before writing the verbale, as time would have done.
    RiunioneEquipe.objects.senza_scope().filter(pk=svolta.pk).update(
        data_ora=timezone.now() - dt.timedelta(days=10)
    )
    svolta.refresh_from_db()
    actions.do_registra_verbale(
        svolta,
        presenti=convocati,
        verbale="Condivisi i bisogni; il centro per l'impiego propone un tirocinio.",
        acting_user=anna,
    )
    actions.do_convoca_riunione(
        caso,
        dati={
            "data_ora": timezone.now() + dt.timedelta(days=7),
            "luogo": "Sede dei servizi sociali, Avigliana",
            "ordine_del_giorno": "Conclusione del quadro di analisi e proposta di progetto.",
        },
        convocati=convocati,
        acting_user=anna,
    )


def _famiglie(ente: Ente) -> list[tuple[Persona, Nucleo]]:
    """The dichiaranti of the ente's nuclei, with their nucleo, in order of creation."""
    membri = (
        Membro.objects.senza_scope()
        .filter(ente=ente, relazione=Relazione.DICHIARANTE, al__isnull=True)
        .select_related("persona", "nucleo")
        .order_by("nucleo_id", "pk")[:CASI_DEMO]
    )
    return [(m.persona, m.nucleo) for m in membri]


def carica_cartella_demo(enti: dict[str, Ente]) -> None:
    ente = enti["c_a518"]
    anna = Utente.objects.get(username="anna")
    franco = Utente.objects.get(username="franco")
    elisa = Utente.objects.get(username="elisa")
    famiglie = _famiglie(ente)
    if len(famiglie) < CASI_DEMO:
        return
    oggi = timezone.localdate()
    giorni = dt.timedelta

    # Accessi without a case: information given; a referral to another service.
    _accesso(
        ente,
        anna,
        None,
        oggi - giorni(8),
        AreaUtenza.DISABILITA,
        esito=EsitoAccesso.INFORMAZIONE,
        nominativo="Giovanni Rossi (figlio di un'anziana non autosufficiente)",
        richiedente="Il figlio",
    )
    _accesso(
        ente,
        anna,
        famiglie[0][0],
        oggi - giorni(6),
        AreaUtenza.FAMIGLIA_MINORI,
        esito=EsitoAccesso.INVIO,
        servizio_invio="Consultorio familiare ASL TO3",
    )

    _caso(ente, anna, famiglie[0], oggi - giorni(3), AreaUtenza.FAMIGLIA_MINORI)

    quadro = _caso(ente, anna, famiglie[1], oggi - giorni(30), AreaUtenza.FAMIGLIA_MINORI)
    _quadro(quadro, anna, elisa, oggi - giorni(28))

    da_approvare = _caso(ente, anna, famiglie[2], oggi - giorni(20), AreaUtenza.POVERTA)
    _analisi(da_approvare, anna, oggi - giorni(18), EsitoAnalisi.PROGETTO_SEMPLICE, "Sfratto.")
    _bozza(da_approvare, anna, oggi - giorni(10), oggi + giorni(90))

    attivo = _caso(ente, anna, famiglie[3], oggi - giorni(60), AreaUtenza.POVERTA)
    actions.do_aggiungi_membro_equipe(
        attivo,
        dati={
            "utente": elisa,
            "servizio": "ASL TO3 – cure domiciliari",
            "ruolo": RuoloEquipe.SANITARIO,
        },
        acting_user=anna,
    )
    _progetto_attivo(attivo, anna, franco, oggi - giorni(55), oggi + giorni(30))
    _diario_completo(attivo, anna, oggi - giorni(12))

    # In monitoraggio, with the review of the progetto ten days overdue.
    monitorato = _caso(ente, anna, famiglie[4], oggi - giorni(200), AreaUtenza.POVERTA)
    _progetto_attivo(monitorato, anna, franco, oggi - giorni(195), oggi - giorni(10))
    actions.do_transizione_caso(monitorato, StatoCaso.IN_MONITORAGGIO, acting_user=anna)

    chiuso = _caso(ente, anna, famiglie[5], oggi - giorni(120), AreaUtenza.POVERTA)
    _progetto_attivo(chiuso, anna, franco, oggi - giorni(115), oggi + giorni(30))
    obiettivo = Obiettivo.objects.senza_scope().get(progetto__caso=chiuso)
    actions.do_valuta_obiettivo(
        obiettivo, esito=EsitoObiettivo.RAGGIUNTO, nota="Affitto in regola.", acting_user=anna
    )
    actions.do_chiudi_caso(
        chiuso,
        dati={
            "data": oggi - giorni(5),
            "motivo": "bisogno_risolto",
            "valutazione_finale": "Obiettivi raggiunti; la famiglia ha ritrovato autonomia.",
        },
        acting_user=anna,
    )
