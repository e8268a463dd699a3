"""Demo cases for ``make run``: Anna (assistente sociale, Comune di Avigliana) follows three
invented cases in different states (aperto, progetto attivo with an erogazione, chiuso), with
Franco (responsabile di servizio of the Unione) approving the progetti and Elisa (OSS) in one
équipe as the health member. Written through the actions, like real data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Persona
from equo.web.cartella import actions
from equo.web.cartella.models import (
    AreaUtenza,
    Canale,
    Caso,
    Dimensione,
    EsitoAccesso,
    EsitoAnalisi,
    EsitoObiettivo,
    LivelloBisogno,
    Obiettivo,
    RuoloEquipe,
    StatoCaso,
    TipoVoce,
    Urgenza,
)
from equo.web.enti.models import Ente

__all__ = ["carica_cartella_demo"]


def _accesso(ente: Ente, anna: Utente, persona: Persona, giorno: dt.date, area: str) -> Caso:
    accesso = actions.do_registra_accesso(
        ente=ente,
        dati={
            "persona": persona,
            "data": giorno,
            "canale": Canale.SPORTELLO,
            "richiedente": "L'interessata",
            "bisogno_espresso": "Difficoltà a pagare l'affitto e a conciliare lavoro e figli.",
            "area": area,
            "urgenza": Urgenza.ORDINARIA,
            "esito": EsitoAccesso.APERTURA_CASO,
        },
        acting_user=anna,
    )
    return actions.do_apri_caso(
        ente=ente,
        persona=persona,
        area=area,
        case_manager=anna,
        aperto_il=giorno,
        accesso=accesso,
        acting_user=anna,
    )


def _progetto_attivo(caso: Caso, anna: Utente, franco: Utente, giorno: dt.date) -> None:
    actions.do_transizione_caso(caso, StatoCaso.IN_VALUTAZIONE, acting_user=anna)
    livelli: dict[str, tuple[str, str]] = {d: (LivelloBisogno.MODERATO, "") for d in Dimensione}
    livelli[Dimensione.ECONOMICA] = (LivelloBisogno.GRAVE, "Sostegno dei genitori")
    actions.do_salva_analisi(
        caso,
        dati={
            "data": giorno,
            "esito": EsitoAnalisi.PROGETTO_SEMPLICE,
            "sintesi": "Bisogni semplici.",
        },
        dimensioni=livelli,
        acting_user=anna,
    )
    progetto = actions.do_crea_progetto(
        caso,
        dati={
            "descrizione": "Sostegno al reddito e all'abitazione; la famiglia cerca lavoro.",
            "data_accordo": giorno,
            "prossima_verifica": timezone.localdate() + dt.timedelta(days=30),
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
    intervento = actions.do_aggiungi_intervento(
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
    actions.do_approva_progetto(progetto, acting_user=franco)
    actions.do_transizione_caso(caso, StatoCaso.PROGETTO_ATTIVO, acting_user=anna)
    actions.do_registra_erogazione(
        intervento,
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


def carica_cartella_demo(enti: dict[str, Ente]) -> None:
    ente = enti["c_a518"]
    anna = Utente.objects.get(username="anna")
    franco = Utente.objects.get(username="franco")
    elisa = Utente.objects.get(username="elisa")
    persone = list(Persona.objects.senza_scope().filter(ente=ente).order_by("pk")[:3])
    if len(persone) < 3:
        return
    oggi = timezone.localdate()
    _accesso(ente, anna, persone[0], oggi - dt.timedelta(days=3), AreaUtenza.FAMIGLIA_MINORI)

    attivo = _accesso(ente, anna, persone[1], oggi - dt.timedelta(days=60), AreaUtenza.POVERTA)
    actions.do_aggiungi_membro_equipe(
        attivo,
        dati={
            "utente": elisa,
            "servizio": "ASL TO3 – cure domiciliari",
            "ruolo": RuoloEquipe.SANITARIO,
        },
        acting_user=anna,
    )
    _progetto_attivo(attivo, anna, franco, oggi - dt.timedelta(days=55))

    chiuso = _accesso(ente, anna, persone[2], oggi - dt.timedelta(days=120), AreaUtenza.POVERTA)
    _progetto_attivo(chiuso, anna, franco, oggi - dt.timedelta(days=115))
    obiettivo = Obiettivo.objects.senza_scope().get(progetto__caso=chiuso)
    actions.do_valuta_obiettivo(
        obiettivo, esito=EsitoObiettivo.RAGGIUNTO, nota="Affitto in regola.", acting_user=anna
    )
    actions.do_chiudi_caso(
        chiuso,
        dati={
            "data": oggi - dt.timedelta(days=5),
            "motivo": "bisogno_risolto",
            "valutazione_finale": "Obiettivi raggiunti; la famiglia ha ritrovato autonomia.",
        },
        acting_user=anna,
    )
