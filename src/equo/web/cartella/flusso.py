"""The workflow of a case: every allowed transition is one row of :data:`TRANSIZIONI`.

- aperto → in_valutazione: the case manager;
- in_valutazione → progetto_attivo: the case manager; guards: an analisi preliminare that did
  not send the person to another service (servizio specialistico, centro per l'impiego: those
  cases close with the matching reason); the quadro di analisi concluded if the analisi asked
  for the équipe; a progetto with objectives, interventi and the date of agreement with the
  family, approved where the case requires it. Where approval is not required, the activation
  puts the draft in force (:mod:`equo.web.cartella.actions.progetto`, on the transition row);
- progetto_attivo → in_monitoraggio: the case manager; guard: one erogazione recorded on the
  version in force;
- in_monitoraggio → progetto_attivo (revisione): the case manager, with a reason (a ready draft
  of a case without approval comes into force);
- aperto, in_valutazione, progetto_attivo, in_monitoraggio → chiuso: the case manager, through
  the chiusura (final evaluation, coded reason); guard: every objective of the version in force
  has its final outcome;
- chiuso → aperto (riapertura): the case manager or the responsabile di servizio, with a reason.

Anything else (including staying in the same state) is refused with
:class:`TransizioneNonAmmessaError`, whose message is Italian and meant for the user. The table is
read by :func:`equo.web.cartella.actions.do_transizione_caso` and by the case page (to offer only
the buttons that can work).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from equo.web.cartella.codici import motivo_chiusura
from equo.web.cartella.models import (
    ESITI_INVIO,
    MOTIVO_CHIUSURA_INVIO,
    STATI_IN_VIGORE,
    AnalisiPreliminare,
    Caso,
    Chiusura,
    Erogazione,
    EsitoAnalisi,
    Intervento,
    Obiettivo,
    Progetto,
    QuadroAnalisi,
    StatoCaso,
    StatoProgetto,
)

__all__ = [
    "TRANSIZIONI",
    "Attore",
    "Transizione",
    "TransizioneNonAmmessaError",
    "errori_guardie",
    "progetto_corrente",
    "progetto_da_attivare",
    "progetto_in_preparazione",
    "progetto_in_vigore",
    "progetto_pronto",
    "transizione",
]


class TransizioneNonAmmessaError(ValidationError):
    """A transition that the table refuses (not allowed, wrong person, failed guard)."""


class Attore(enum.StrEnum):
    CASE_MANAGER = "case_manager"
    RESPONSABILE = "responsabile"


Guardia = Callable[[Caso], str | None]


def progetto_in_vigore(caso: Caso) -> Progetto | None:
    """The version of the progetto in force (approved, or put in force where approval is not
    required): the one erogazioni, progress notes, outcomes and verifiche belong to."""
    return (
        Progetto.objects.senza_scope()  # narrowed to a case already authorised by the caller
        .filter(caso_id=caso.pk, stato__in=STATI_IN_VIGORE)
        .order_by("-versione")
        .first()
    )


def progetto_in_preparazione(caso: Caso) -> Progetto | None:
    """The draft being prepared (at most one per case), if any."""
    return (
        Progetto.objects.senza_scope()
        .filter(caso_id=caso.pk, stato=StatoProgetto.BOZZA)
        .order_by("-versione")
        .first()
    )


def progetto_corrente(caso: Caso) -> Progetto | None:
    """The latest version not superseded: the draft being prepared if there is one, otherwise
    the version in force. It is the version shown and edited on the case page; the guards and
    every write of the monitoraggio use :func:`progetto_in_vigore` instead."""
    return progetto_in_preparazione(caso) or progetto_in_vigore(caso)


def progetto_da_attivare(caso: Caso) -> Progetto | None:
    """The version the activation of the case would run: where approval is required, the
    version in force (the approved one); otherwise the draft, which activation puts in force."""
    if caso.approvazione_richiesta:
        return progetto_in_vigore(caso) or progetto_in_preparazione(caso)
    return progetto_in_preparazione(caso) or progetto_in_vigore(caso)


def _analisi(caso: Caso) -> AnalisiPreliminare | None:
    return AnalisiPreliminare.objects.senza_scope().filter(caso_id=caso.pk).first()


def serve_analisi(caso: Caso) -> str | None:
    if _analisi(caso) is None:
        return gettext("Manca l'analisi preliminare: compilala prima di attivare un progetto.")
    return None


def serve_quadro_se_richiesto(caso: Caso) -> str | None:
    analisi = _analisi(caso)
    if analisi is None or analisi.esito != EsitoAnalisi.QUADRO_EQUIPE:
        return None
    quadro = QuadroAnalisi.objects.senza_scope().filter(caso_id=caso.pk).first()
    if quadro is None or quadro.concluso_il is None:
        return gettext(
            "L'analisi preliminare ha chiesto il quadro di analisi con l'équipe: "
            "concludilo prima di attivare il progetto."
        )
    return None


def _etichetta_motivo(codice: str) -> str:
    motivo = motivo_chiusura(codice)
    return motivo.etichetta if motivo is not None else codice


def serve_nessun_invio(caso: Caso) -> str | None:
    """The analisi that sent the person to another service does not lead to a progetto here."""
    analisi = _analisi(caso)
    if analisi is None or analisi.esito not in ESITI_INVIO:
        return None
    return gettext(
        "L'analisi preliminare ha inviato la persona a «%(servizio)s» (%(esito)s): chiudi il "
        "caso con il motivo «%(motivo)s», oppure rivedi l'analisi."
    ) % {
        "servizio": analisi.servizio_invio,
        "esito": EsitoAnalisi(analisi.esito).label.lower(),
        "motivo": _etichetta_motivo(MOTIVO_CHIUSURA_INVIO[analisi.esito]),
    }


def progetto_pronto(progetto: Progetto | None) -> str | None:
    """What the version lacks to come into force (approval aside), or None."""
    if progetto is None:
        return gettext("Manca il progetto personalizzato.")
    if not Obiettivo.objects.senza_scope().filter(progetto_id=progetto.pk).exists():
        return gettext("Il progetto non ha obiettivi.")
    if not Intervento.objects.senza_scope().filter(progetto_id=progetto.pk).exists():
        return gettext("Il progetto non ha interventi.")
    if progetto.data_accordo is None:
        return gettext("Indica la data dell'accordo con la famiglia sul progetto.")
    return None


def serve_progetto_pronto(caso: Caso) -> str | None:
    progetto = progetto_da_attivare(caso)
    if (mancante := progetto_pronto(progetto)) is not None:
        return mancante
    assert progetto is not None  # noqa: S101 (progetto_pronto refuses None)
    if caso.approvazione_richiesta and not progetto.in_vigore:
        return gettext("Il progetto deve essere approvato dal responsabile di servizio.")
    return None


def serve_erogazione(caso: Caso) -> str | None:
    progetto = progetto_in_vigore(caso)
    if (
        progetto is None
        or not Erogazione.objects.senza_scope().filter(intervento__progetto_id=progetto.pk).exists()
    ):
        return gettext("Il monitoraggio inizia dopo la prima erogazione registrata.")
    return None


def serve_chiusura(caso: Caso) -> str | None:
    if not Chiusura.objects.senza_scope().filter(caso_id=caso.pk, riaperta=False).exists():
        return gettext(
            "Per chiudere il caso serve la scheda di chiusura con la valutazione finale."
        )
    return None


def serve_valutazione_obiettivi(caso: Caso) -> str | None:
    progetto = progetto_in_vigore(caso)
    if progetto is None:
        return None
    mancanti = Obiettivo.objects.senza_scope().filter(progetto_id=progetto.pk, esito_finale="")
    if mancanti.exists():
        return gettext(
            "Prima della chiusura indica l'esito finale di ogni obiettivo (ne mancano %(n)s)."
        ) % {"n": mancanti.count()}
    return None


@dataclass(frozen=True)
class Transizione:
    da: StatoCaso
    a: StatoCaso
    chi: frozenset[Attore]
    perche: str  # what the transition means, shown on its button
    motivo_obbligatorio: bool = False
    guardie: tuple[Guardia, ...] = ()


_CM = frozenset({Attore.CASE_MANAGER})
_CHIUSURA = (serve_valutazione_obiettivi, serve_chiusura)

TRANSIZIONI: tuple[Transizione, ...] = (
    Transizione(StatoCaso.APERTO, StatoCaso.IN_VALUTAZIONE, _CM, "Avvia la valutazione"),
    Transizione(
        StatoCaso.IN_VALUTAZIONE,
        StatoCaso.PROGETTO_ATTIVO,
        _CM,
        "Attiva il progetto",
        guardie=(
            serve_analisi,
            serve_nessun_invio,
            serve_quadro_se_richiesto,
            serve_progetto_pronto,
        ),
    ),
    Transizione(
        StatoCaso.PROGETTO_ATTIVO,
        StatoCaso.IN_MONITORAGGIO,
        _CM,
        "Passa al monitoraggio",
        guardie=(serve_erogazione,),
    ),
    Transizione(
        StatoCaso.IN_MONITORAGGIO,
        StatoCaso.PROGETTO_ATTIVO,
        _CM,
        "Rivedi il progetto",
        motivo_obbligatorio=True,
    ),
    *(
        Transizione(da, StatoCaso.CHIUSO, _CM, "Chiudi il caso", guardie=_CHIUSURA)
        for da in (
            StatoCaso.APERTO,
            StatoCaso.IN_VALUTAZIONE,
            StatoCaso.PROGETTO_ATTIVO,
            StatoCaso.IN_MONITORAGGIO,
        )
    ),
    Transizione(
        StatoCaso.CHIUSO,
        StatoCaso.APERTO,
        frozenset({Attore.CASE_MANAGER, Attore.RESPONSABILE}),
        "Riapri il caso",
        motivo_obbligatorio=True,
    ),
)

_PER_COPPIA = {(t.da, t.a): t for t in TRANSIZIONI}


def transizione(da: str, a: str) -> Transizione:
    """The row of the table for (da, a); :class:`TransizioneNonAmmessaError` if there is none."""
    trovata = _PER_COPPIA.get((StatoCaso(da), StatoCaso(a)))
    if trovata is None:
        raise TransizioneNonAmmessaError(
            gettext("Passaggio non consentito: un caso «%(da)s» non può passare a «%(a)s».")
            % {"da": StatoCaso(da).label, "a": StatoCaso(a).label}
        )
    return trovata


def errori_guardie(regola: Transizione, caso: Caso) -> list[str]:
    """The messages of the guards that fail (empty: the transition can run)."""
    return [messaggio for guardia in regola.guardie if (messaggio := guardia(caso))]
