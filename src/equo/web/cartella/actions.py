"""Writes on the cartella sociale: each atomic, validated (``full_clean``), with its audit row.

The callers (views) fetched the case through ``permessi.access_caso_for_user``; the actions check
who may write (:func:`_solo_case_manager` and friends), the state of the case (a closed case is
read-only until it is reopened) and the data. A refused write raises ``ValidationError`` with an
Italian message and leaves nothing behind. Audit rows of the rows of a case carry
``dettagli={"caso": <pk>}``, so the audit trail of a case is one query.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from equo.web.anagrafe.models import Nucleo, Persona
from equo.web.audit.registro import istantanea, registra_scrittura
from equo.web.cartella import allegati as allegati_file
from equo.web.cartella.flusso import (
    Attore,
    TransizioneNonAmmessaError,
    errori_guardie,
    progetto_corrente,
    transizione,
)
from equo.web.cartella.models import (
    Accesso,
    AllegatoDiario,
    AnalisiPreliminare,
    Caso,
    Chiusura,
    ContributoQuadro,
    Dimensione,
    DimensioneAnalisi,
    Equipe,
    Erogazione,
    EsitoAccesso,
    ImpegnoProgetto,
    Intervento,
    MembroEquipe,
    NotaMonitoraggio,
    Obiettivo,
    Progetto,
    QuadroAnalisi,
    ResponsabileProgetto,
    RiunioneEquipe,
    StatoCaso,
    StatoProgetto,
    StatoRiunione,
    TransizioneCaso,
    VoceDiario,
)
from equo.web.cartella.permessi import e_case_manager, e_responsabile, membro_di
from equo.web.enti.models import Ente, Ruolo
from equo.web.enti.scoping import enti_visibili

if TYPE_CHECKING:
    from equo.web.accounts.models import Utente

__all__ = [
    "do_aggiungi_impegno",
    "do_aggiungi_intervento",
    "do_aggiungi_membro_equipe",
    "do_aggiungi_obiettivo",
    "do_aggiungi_responsabile_progetto",
    "do_annulla_riunione",
    "do_approva_progetto",
    "do_apri_caso",
    "do_chiudi_caso",
    "do_convoca_riunione",
    "do_crea_progetto",
    "do_modifica_progetto",
    "do_registra_accesso",
    "do_registra_erogazione",
    "do_registra_verbale",
    "do_riapri_caso",
    "do_salva_analisi",
    "do_salva_contributo",
    "do_salva_quadro",
    "do_scrivi_nota_monitoraggio",
    "do_scrivi_voce_diario",
    "do_transizione_caso",
    "do_valuta_obiettivo",
]

_M = TypeVar("_M", bound=models.Model)


def _dettagli(caso: Caso) -> dict[str, Any]:
    return {"caso": caso.pk}


def _crea(oggetto: _M, caso: Caso | None, acting_user: Utente) -> _M:
    oggetto.full_clean()
    oggetto.save()
    registra_scrittura(acting_user, oggetto, dettagli=_dettagli(caso) if caso else None)
    return oggetto


def _modifica(oggetto: _M, dati: Mapping[str, Any], caso: Caso, acting_user: Utente) -> _M:
    prima = istantanea(oggetto)
    for campo, valore in dati.items():
        setattr(oggetto, campo, valore)
    oggetto.full_clean()
    oggetto.save()
    registra_scrittura(acting_user, oggetto, prima=prima, dettagli=_dettagli(caso))
    return oggetto


def _aperto(caso: Caso) -> None:
    if caso.stato == StatoCaso.CHIUSO:
        raise ValidationError(
            gettext("Il caso è chiuso: per modificarlo riaprilo indicando il motivo.")
        )


def _solo_case_manager(caso: Caso, user: Utente) -> None:
    _aperto(caso)
    if not e_case_manager(user, caso):
        raise ValidationError(gettext("Solo il case manager del caso può farlo."))


def _con_blocco(caso: Caso) -> Caso:
    """The case re-read with a row lock, so that two transitions cannot interleave."""
    return Caso.objects.senza_scope().select_for_update().get(pk=caso.pk)


# --- Accesso and apertura ---------------------------------------------------------------------


@transaction.atomic
def do_registra_accesso(*, ente: Ente, dati: Mapping[str, Any], acting_user: Utente) -> Accesso:
    return _crea(Accesso(ente=ente, operatore=acting_user, **dati), None, acting_user)


@transaction.atomic
def do_apri_caso(
    *,
    ente: Ente,
    persona: Persona,
    area: str,
    case_manager: Utente,
    aperto_il: Any,
    acting_user: Utente,
    nucleo: Nucleo | None = None,
    accesso: Accesso | None = None,
    approvazione_richiesta: bool = True,
) -> Caso:
    """Open a case (state ``aperto``): its first transition row and the accesso's outcome."""
    if (
        not enti_visibili(case_manager, ruoli={Ruolo.ASSISTENTE_SOCIALE})
        .filter(pk=ente.pk)
        .exists()
    ):
        raise ValidationError(
            {
                "case_manager": gettext(
                    "Il case manager deve essere un assistente sociale dell'ente."
                )
            }
        )
    if accesso is not None and Caso.objects.senza_scope().filter(accesso_id=accesso.pk).exists():
        raise ValidationError(gettext("Da questo accesso è già stato aperto un caso."))
    caso = _crea(
        Caso(
            ente=ente,
            persona=persona,
            nucleo=nucleo,
            accesso=accesso,
            area=area,
            case_manager=case_manager,
            aperto_il=aperto_il,
            approvazione_richiesta=approvazione_richiesta,
            stato=StatoCaso.APERTO,
        ),
        None,
        acting_user,
    )
    TransizioneCaso.objects.create(
        ente=ente, caso=caso, da="", a=StatoCaso.APERTO, utente=acting_user, motivo="Apertura"
    )
    if accesso is not None and accesso.esito != EsitoAccesso.APERTURA_CASO:
        _modifica(accesso, {"esito": EsitoAccesso.APERTURA_CASO}, caso, acting_user)
    return caso


# --- Workflow ---------------------------------------------------------------------------------


def _attori(user: Utente, caso: Caso) -> set[Attore]:
    attori = set()
    if e_case_manager(user, caso):
        attori.add(Attore.CASE_MANAGER)
    if e_responsabile(user, caso):
        attori.add(Attore.RESPONSABILE)
    return attori


def _esegui_transizione(
    caso: Caso, verso: str, acting_user: Utente, motivo: str
) -> TransizioneCaso:
    regola = transizione(caso.stato, verso)
    if not _attori(acting_user, caso) & regola.chi:
        raise TransizioneNonAmmessaError(
            gettext("Non puoi eseguire questo passaggio: spetta a %(chi)s.")
            % {
                "chi": gettext("il case manager o il responsabile di servizio")
                if Attore.RESPONSABILE in regola.chi
                else gettext("il case manager del caso")
            }
        )
    motivo = motivo.strip()
    if regola.motivo_obbligatorio and not motivo:
        raise TransizioneNonAmmessaError(gettext("Indica il motivo del passaggio."))
    errori = errori_guardie(regola, caso)
    if errori:
        raise TransizioneNonAmmessaError(errori)
    prima = istantanea(caso, ["stato"])
    riga = TransizioneCaso.objects.create(
        ente_id=caso.ente_id, caso=caso, da=caso.stato, a=verso, utente=acting_user, motivo=motivo
    )
    caso.stato = verso
    caso.save(update_fields=["stato"])
    registra_scrittura(
        acting_user,
        caso,
        prima=prima,
        dettagli={**_dettagli(caso), "transizione": riga.pk, "motivo": motivo},
    )
    return riga


@transaction.atomic
def do_transizione_caso(
    caso: Caso, verso: str, *, acting_user: Utente, motivo: str = ""
) -> TransizioneCaso:
    """Move ``caso`` to ``verso`` if the table allows it: the transition row and the audit row
    are written together, or not at all."""
    bloccato = _con_blocco(caso)
    riga = _esegui_transizione(bloccato, verso, acting_user, motivo)
    caso.stato = bloccato.stato
    return riga


@transaction.atomic
def do_chiudi_caso(caso: Caso, *, dati: Mapping[str, Any], acting_user: Utente) -> Chiusura:
    """Record the final evaluation and close the case (guards of the table included)."""
    bloccato = _con_blocco(caso)
    _solo_case_manager(bloccato, acting_user)
    chiusura = _crea(Chiusura(ente_id=caso.ente_id, caso=bloccato, **dati), bloccato, acting_user)
    _esegui_transizione(bloccato, StatoCaso.CHIUSO, acting_user, gettext("Chiusura"))
    caso.stato = bloccato.stato
    return chiusura


@transaction.atomic
def do_riapri_caso(caso: Caso, *, motivo: str, acting_user: Utente) -> TransizioneCaso:
    bloccato = _con_blocco(caso)
    riga = _esegui_transizione(bloccato, StatoCaso.APERTO, acting_user, motivo)
    for chiusura in Chiusura.objects.senza_scope().filter(caso_id=caso.pk, riaperta=False):
        _modifica(chiusura, {"riaperta": True}, bloccato, acting_user)
    caso.stato = bloccato.stato
    return riga


# --- Analisi, équipe, quadro ------------------------------------------------------------------


@transaction.atomic
def do_salva_analisi(
    caso: Caso,
    *,
    dati: Mapping[str, Any],
    dimensioni: Mapping[str, tuple[str, str]],
    acting_user: Utente,
) -> AnalisiPreliminare:
    """Create or revise the analisi preliminare; ``dimensioni``: dimension → (livello, risorse)
    for the nucleo. Every dimension must be assessed."""
    _solo_case_manager(caso, acting_user)
    mancanti = [d.label for d in Dimensione if not dimensioni.get(d, ("", ""))[0]]
    if mancanti:
        raise ValidationError(
            gettext("Indica il livello di bisogno per: %(dimensioni)s.")
            % {"dimensioni": ", ".join(str(m) for m in mancanti)}
        )
    analisi = AnalisiPreliminare.objects.senza_scope().filter(caso_id=caso.pk).first()
    if analisi is None:
        analisi = _crea(
            AnalisiPreliminare(ente_id=caso.ente_id, caso=caso, compilata_da=acting_user, **dati),
            caso,
            acting_user,
        )
    else:
        analisi = _modifica(analisi, {**dati, "compilata_da": acting_user}, caso, acting_user)
    for dimensione in Dimensione:
        livello, risorse = dimensioni[dimensione]
        riga = (
            DimensioneAnalisi.objects.senza_scope()
            .filter(analisi_id=analisi.pk, dimensione=dimensione, persona__isnull=True)
            .first()
        )
        if riga is None:
            _crea(
                DimensioneAnalisi(
                    ente_id=caso.ente_id,
                    analisi=analisi,
                    dimensione=dimensione,
                    livello=livello,
                    risorse=risorse,
                ),
                caso,
                acting_user,
            )
        else:
            _modifica(riga, {"livello": livello, "risorse": risorse}, caso, acting_user)
    return analisi


@transaction.atomic
def do_aggiungi_membro_equipe(
    caso: Caso, *, dati: Mapping[str, Any], acting_user: Utente
) -> MembroEquipe:
    """Add a member to the case's équipe (created with its first member)."""
    _solo_case_manager(caso, acting_user)
    equipe = Equipe.objects.senza_scope().filter(caso_id=caso.pk).first()
    if equipe is None:
        equipe = _crea(Equipe(ente_id=caso.ente_id, caso=caso), caso, acting_user)
    return _crea(MembroEquipe(ente_id=caso.ente_id, equipe=equipe, **dati), caso, acting_user)


@transaction.atomic
def do_salva_quadro(caso: Caso, *, dati: Mapping[str, Any], acting_user: Utente) -> QuadroAnalisi:
    """Start, update or conclude the quadro di analisi (the case manager's synthesis)."""
    _solo_case_manager(caso, acting_user)
    if not Equipe.objects.senza_scope().filter(caso_id=caso.pk, membri__isnull=False).exists():
        raise ValidationError(gettext("Prima costituisci l'équipe (almeno un membro)."))
    quadro = QuadroAnalisi.objects.senza_scope().filter(caso_id=caso.pk).first()
    if quadro is None:
        return _crea(QuadroAnalisi(ente_id=caso.ente_id, caso=caso, **dati), caso, acting_user)
    return _modifica(quadro, dati, caso, acting_user)


@transaction.atomic
def do_salva_contributo(caso: Caso, *, testo: str, acting_user: Utente) -> ContributoQuadro:
    """The équipe member ``acting_user`` writes (or rewrites) their own section of the quadro."""
    _aperto(caso)
    membro = membro_di(acting_user, caso)
    if membro is None:
        raise ValidationError(gettext("Solo i membri dell'équipe scrivono un contributo."))
    quadro = QuadroAnalisi.objects.senza_scope().filter(caso_id=caso.pk).first()
    if quadro is None:
        raise ValidationError(gettext("Il quadro di analisi non è ancora stato avviato."))
    if quadro.concluso_il is not None:
        raise ValidationError(gettext("Il quadro di analisi è concluso."))
    esistente = (
        ContributoQuadro.objects.senza_scope().filter(quadro_id=quadro.pk, membro=membro).first()
    )
    if esistente is None:
        return _crea(
            ContributoQuadro(ente_id=caso.ente_id, quadro=quadro, membro=membro, testo=testo),
            caso,
            acting_user,
        )
    return _modifica(
        esistente, {"testo": testo, "aggiornato_il": timezone.now()}, caso, acting_user
    )


# --- Progetto ---------------------------------------------------------------------------------


def _progetto_modificabile(progetto: Progetto, acting_user: Utente) -> Caso:
    caso = progetto.caso
    _solo_case_manager(caso, acting_user)
    if progetto.stato == StatoProgetto.SUPERATO:
        raise ValidationError(gettext("Questa versione del progetto è stata superata."))
    if progetto.stato == StatoProgetto.APPROVATO and caso.approvazione_richiesta:
        raise ValidationError(
            gettext(
                "Il progetto è già approvato: per cambiarne obiettivi o interventi crea una "
                "nuova versione."
            )
        )
    return caso


@transaction.atomic
def do_crea_progetto(caso: Caso, *, dati: Mapping[str, Any], acting_user: Utente) -> Progetto:
    """A new version of the progetto; objectives and interventi of the previous one are copied
    (the erogazioni stay with the version they belong to)."""
    _solo_case_manager(caso, acting_user)
    if not AnalisiPreliminare.objects.senza_scope().filter(caso_id=caso.pk).exists():
        raise ValidationError(gettext("Prima del progetto serve l'analisi preliminare."))
    precedente = progetto_corrente(caso)
    if precedente is not None and precedente.stato == StatoProgetto.BOZZA:
        raise ValidationError(gettext("C'è già una bozza di progetto: completa quella."))
    ultima = Progetto.objects.senza_scope().filter(caso_id=caso.pk).aggregate(n=Max("versione"))
    progetto = _crea(
        Progetto(ente_id=caso.ente_id, caso=caso, versione=(ultima["n"] or 0) + 1, **dati),
        caso,
        acting_user,
    )
    if precedente is not None:
        copie: dict[int, Obiettivo] = {}
        for obiettivo in Obiettivo.objects.senza_scope().filter(progetto_id=precedente.pk):
            vecchio = obiettivo.pk
            obiettivo.pk = None
            obiettivo.progetto = progetto
            copie[vecchio] = _crea(obiettivo, caso, acting_user)
        for intervento in Intervento.objects.senza_scope().filter(progetto_id=precedente.pk):
            intervento.pk = None
            intervento.progetto = progetto
            if intervento.obiettivo_id is not None:
                intervento.obiettivo = copie.get(intervento.obiettivo_id)
            _crea(intervento, caso, acting_user)
        for impegno in ImpegnoProgetto.objects.senza_scope().filter(progetto_id=precedente.pk):
            impegno.pk = None
            impegno.progetto = progetto
            _crea(impegno, caso, acting_user)
        for resp in ResponsabileProgetto.objects.senza_scope().filter(progetto_id=precedente.pk):
            resp.pk = None
            resp.progetto = progetto
            _crea(resp, caso, acting_user)
    return progetto


@transaction.atomic
def do_modifica_progetto(
    progetto: Progetto, *, dati: Mapping[str, Any], acting_user: Utente
) -> Progetto:
    """Change a version: an approved one keeps its text (only dates of agreement and review)."""
    caso = progetto.caso
    _solo_case_manager(caso, acting_user)
    if progetto.stato == StatoProgetto.SUPERATO:
        raise ValidationError(gettext("Questa versione del progetto è stata superata."))
    if (
        progetto.stato == StatoProgetto.APPROVATO
        and caso.approvazione_richiesta
        and dati.get("descrizione", progetto.descrizione) != progetto.descrizione
    ):
        raise ValidationError(
            {"descrizione": gettext("Il progetto è approvato: crea una nuova versione.")}
        )
    return _modifica(progetto, dati, caso, acting_user)


@transaction.atomic
def do_approva_progetto(progetto: Progetto, *, acting_user: Utente) -> Progetto:
    """The responsabile di servizio approves a draft; the previous version is superseded."""
    caso = progetto.caso
    _aperto(caso)
    if not e_responsabile(acting_user, caso):
        raise ValidationError(gettext("Solo il responsabile di servizio approva il progetto."))
    if progetto.stato != StatoProgetto.BOZZA:
        raise ValidationError(gettext("Si approva solo una bozza."))
    if not Obiettivo.objects.senza_scope().filter(progetto_id=progetto.pk).exists():
        raise ValidationError(gettext("Il progetto non ha obiettivi."))
    for vecchio in Progetto.objects.senza_scope().filter(
        caso_id=caso.pk, stato=StatoProgetto.APPROVATO
    ):
        _modifica(vecchio, {"stato": StatoProgetto.SUPERATO}, caso, acting_user)
    return _modifica(
        progetto,
        {
            "stato": StatoProgetto.APPROVATO,
            "approvato_da": acting_user,
            "approvato_il": timezone.now(),
        },
        caso,
        acting_user,
    )


@transaction.atomic
def do_aggiungi_obiettivo(
    progetto: Progetto, *, dati: Mapping[str, Any], acting_user: Utente
) -> Obiettivo:
    caso = _progetto_modificabile(progetto, acting_user)
    return _crea(Obiettivo(ente_id=caso.ente_id, progetto=progetto, **dati), caso, acting_user)


@transaction.atomic
def do_aggiungi_intervento(
    progetto: Progetto, *, dati: Mapping[str, Any], acting_user: Utente
) -> Intervento:
    caso = _progetto_modificabile(progetto, acting_user)
    return _crea(Intervento(ente_id=caso.ente_id, progetto=progetto, **dati), caso, acting_user)


@transaction.atomic
def do_aggiungi_impegno(
    progetto: Progetto, *, dati: Mapping[str, Any], acting_user: Utente
) -> ImpegnoProgetto:
    """A commitment of the nucleo or of one of its members (part of the agreement)."""
    caso = _progetto_modificabile(progetto, acting_user)
    return _crea(
        ImpegnoProgetto(ente_id=caso.ente_id, progetto=progetto, **dati), caso, acting_user
    )


@transaction.atomic
def do_aggiungi_responsabile_progetto(
    progetto: Progetto, *, dati: Mapping[str, Any], acting_user: Utente
) -> ResponsabileProgetto:
    """A person responsible for the progetto (a user of Equo, with their role in it)."""
    caso = _progetto_modificabile(progetto, acting_user)
    utente = dati.get("utente")
    if (
        utente is not None
        and ResponsabileProgetto.objects.senza_scope()
        .filter(progetto_id=progetto.pk, utente_id=utente.pk)
        .exists()
    ):
        raise ValidationError({"utente": gettext("È già tra i responsabili del progetto.")})
    return _crea(
        ResponsabileProgetto(ente_id=caso.ente_id, progetto=progetto, **dati), caso, acting_user
    )


@transaction.atomic
def do_scrivi_nota_monitoraggio(
    obiettivo: Obiettivo, *, dati: Mapping[str, Any], acting_user: Utente
) -> NotaMonitoraggio:
    """A progress note on an objective: only while the progetto is active or monitored."""
    caso = obiettivo.progetto.caso
    _solo_case_manager(caso, acting_user)
    if caso.stato not in {StatoCaso.PROGETTO_ATTIVO, StatoCaso.IN_MONITORAGGIO}:
        raise ValidationError(
            gettext("Le note di monitoraggio si scrivono con il progetto attivo o in monitoraggio.")
        )
    if obiettivo.progetto.stato == StatoProgetto.SUPERATO:
        raise ValidationError(gettext("Questa versione del progetto è stata superata."))
    return _crea(
        NotaMonitoraggio(ente_id=caso.ente_id, obiettivo=obiettivo, autore=acting_user, **dati),
        caso,
        acting_user,
    )


@transaction.atomic
def do_valuta_obiettivo(
    obiettivo: Obiettivo, *, esito: str, nota: str, acting_user: Utente
) -> Obiettivo:
    """The final evaluation of one objective (raggiunto, parzialmente, non raggiunto)."""
    caso = obiettivo.progetto.caso
    _solo_case_manager(caso, acting_user)
    if not esito:
        raise ValidationError({"esito_finale": gettext("Scegli l'esito dell'obiettivo.")})
    return _modifica(obiettivo, {"esito_finale": esito, "nota_esito": nota}, caso, acting_user)


@transaction.atomic
def do_registra_erogazione(
    intervento: Intervento, *, dati: Mapping[str, Any], acting_user: Utente
) -> Erogazione:
    caso = intervento.progetto.caso
    _solo_case_manager(caso, acting_user)
    if caso.stato not in {StatoCaso.PROGETTO_ATTIVO, StatoCaso.IN_MONITORAGGIO}:
        raise ValidationError(gettext("Le erogazioni si registrano con il progetto attivo."))
    return _crea(Erogazione(ente_id=caso.ente_id, intervento=intervento, **dati), caso, acting_user)


# --- Riunioni dell'équipe ---------------------------------------------------------------------


def _membri_validi(caso: Caso, membri: Iterable[MembroEquipe], campo: str) -> list[MembroEquipe]:
    elenco = list(membri)
    ammessi = set(
        MembroEquipe.objects.senza_scope()  # narrowed to this case's équipe
        .filter(equipe__caso_id=caso.pk, attivo=True)
        .values_list("pk", flat=True)
    )
    if not elenco:
        raise ValidationError({campo: gettext("Scegli almeno un membro dell'équipe.")})
    if any(m.pk not in ammessi for m in elenco):
        raise ValidationError({campo: gettext("Solo i membri attivi dell'équipe del caso.")})
    return elenco


@transaction.atomic
def do_convoca_riunione(
    caso: Caso,
    *,
    dati: Mapping[str, Any],
    convocati: Iterable[MembroEquipe],
    acting_user: Utente,
) -> RiunioneEquipe:
    """Convene the équipe: a date and time not in the past, the members called."""
    _solo_case_manager(caso, acting_user)
    equipe = Equipe.objects.senza_scope().filter(caso_id=caso.pk).first()
    if equipe is None:
        raise ValidationError(gettext("Il caso non ha ancora un'équipe: aggiungi un membro."))
    data_ora = dati.get("data_ora")
    if data_ora is not None and data_ora < timezone.now():
        raise ValidationError({"data_ora": gettext("Una convocazione non può essere nel passato.")})
    elenco = _membri_validi(caso, convocati, "convocati")
    riunione = _crea(
        RiunioneEquipe(ente_id=caso.ente_id, equipe=equipe, convocata_da=acting_user, **dati),
        caso,
        acting_user,
    )
    RiunioneEquipe.convocati.through.objects.bulk_create(
        RiunioneEquipe.convocati.through(riunioneequipe=riunione, membroequipe=m) for m in elenco
    )
    return riunione


def _riunione_convocata(riunione: RiunioneEquipe, acting_user: Utente) -> Caso:
    caso = riunione.equipe.caso
    _solo_case_manager(caso, acting_user)
    if riunione.stato != StatoRiunione.CONVOCATA:
        raise ValidationError(
            gettext("La riunione è già %(stato)s.")
            % {"stato": riunione.get_stato_display().lower()}
        )
    return caso


@transaction.atomic
def do_registra_verbale(
    riunione: RiunioneEquipe,
    *,
    presenti: Iterable[MembroEquipe],
    verbale: str,
    acting_user: Utente,
) -> RiunioneEquipe:
    """Record that the meeting was held: who was present (among the convened) and the minutes."""
    caso = _riunione_convocata(riunione, acting_user)
    elenco = _membri_validi(caso, presenti, "presenti")
    convocati = set(
        RiunioneEquipe.convocati.through.objects.filter(riunioneequipe=riunione).values_list(
            "membroequipe_id", flat=True
        )
    )
    if any(m.pk not in convocati for m in elenco):
        raise ValidationError({"presenti": gettext("Tra i presenti solo membri convocati.")})
    _modifica(riunione, {"stato": StatoRiunione.SVOLTA, "verbale": verbale}, caso, acting_user)
    RiunioneEquipe.presenti.through.objects.bulk_create(
        RiunioneEquipe.presenti.through(riunioneequipe=riunione, membroequipe=m) for m in elenco
    )
    return riunione


@transaction.atomic
def do_annulla_riunione(
    riunione: RiunioneEquipe, *, motivo: str, acting_user: Utente
) -> RiunioneEquipe:
    caso = _riunione_convocata(riunione, acting_user)
    return _modifica(
        riunione,
        {"stato": StatoRiunione.ANNULLATA, "motivo_annullamento": motivo},
        caso,
        acting_user,
    )


# --- Diario -----------------------------------------------------------------------------------


def do_scrivi_voce_diario(
    caso: Caso, *, dati: Mapping[str, Any], acting_user: Utente, allegati: Sequence[Any] = ()
) -> VoceDiario:
    """Write a diario entry with its attachments (checked again here: type, size).

    Each file is written after its row, inside the transaction; if anything fails before the
    commit the files already written are removed, so neither a row without its file nor a file
    without its row is left behind. (Called inside an enclosing transaction that later rolls
    back, a file would stay on disk unreachable: the views call it outside any transaction.)"""
    scritti: list[Path] = []
    try:
        with transaction.atomic():
            _solo_case_manager(caso, acting_user)
            voce = _crea(
                VoceDiario(ente_id=caso.ente_id, caso=caso, autore=acting_user, **dati),
                caso,
                acting_user,
            )
            for file in allegati:
                _allega(voce, file, caso, acting_user, scritti)
    except BaseException:
        _rimuovi(scritti)
        raise
    return voce


def _allega(
    voce: VoceDiario, file: Any, caso: Caso, acting_user: Utente, scritti: list[Path]
) -> AllegatoDiario:
    estensione, tipo_mime = allegati_file.verifica(file)
    nome = Path(file.name).name[-255:]
    riga = _crea(
        AllegatoDiario(
            ente_id=caso.ente_id,
            voce=voce,
            nome_originale=nome,
            tipo_mime=tipo_mime,
            dimensione=file.size,
            nome_archivio=allegati_file.nuovo_nome(estensione),
            caricato_da=acting_user,
        ),
        caso,
        acting_user,
    )
    scritti.append(allegati_file.percorso(riga.nome_archivio))
    allegati_file.scrivi(file, riga.nome_archivio)
    return riga


def _rimuovi(percorsi: list[Path]) -> None:
    for percorso in percorsi:
        percorso.unlink(missing_ok=True)
