"""The workflow table: every allowed transition works, every other one is refused in Italian."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Persona
from equo.web.audit.models import AuditEvent
from equo.web.cartella import actions
from equo.web.cartella.flusso import TRANSIZIONI, TransizioneNonAmmessaError
from equo.web.cartella.models import (
    Caso,
    Chiusura,
    EsitoAnalisi,
    StatoCaso,
    TransizioneCaso,
)
from tests.web.cartella import fabbrica
from tests.web.conftest import Enti

pytestmark = pytest.mark.django_db

CONSENTITE = {(t.da, t.a) for t in TRANSIZIONI}
VIETATE = sorted(
    (da, a) for da in StatoCaso.values for a in StatoCaso.values if (da, a) not in CONSENTITE
)


@pytest.fixture
def caso(enti: Enti, anna: Utente, persona_di_anna: Persona) -> Caso:
    return fabbrica.nuovo_caso(enti.comune_a, anna, persona_di_anna)


def _esegui(caso: Caso, verso: str, anna: Utente, franco: Utente) -> None:
    if verso == StatoCaso.CHIUSO:
        fabbrica.chiudi(caso, anna)
    elif caso.stato == StatoCaso.CHIUSO:
        actions.do_riapri_caso(caso, motivo="Nuova richiesta", acting_user=franco)
    else:
        actions.do_transizione_caso(caso, verso, acting_user=anna, motivo="Revisione")


@pytest.mark.parametrize(("da", "a"), sorted(CONSENTITE))
def test_every_allowed_transition_works_and_leaves_a_row(
    da: str, a: str, caso: Caso, anna: Utente, franco: Utente
) -> None:
    oggetti = fabbrica.porta_a(caso, da, anna, franco)
    if a == StatoCaso.CHIUSO and "obiettivo" in oggetti and da != StatoCaso.IN_VALUTAZIONE:
        # Outcomes go on the version in force; a case closed in valutazione has only a draft.
        actions.do_valuta_obiettivo(
            oggetti["obiettivo"],  # type: ignore[arg-type]
            esito="parziale",
            nota="",
            acting_user=anna,
        )
    if (da, a) == (StatoCaso.IN_VALUTAZIONE, StatoCaso.PROGETTO_ATTIVO):
        actions.do_approva_progetto(oggetti["progetto"], acting_user=franco)  # type: ignore[arg-type]
    if (da, a) == (StatoCaso.PROGETTO_ATTIVO, StatoCaso.IN_MONITORAGGIO):
        actions.do_registra_erogazione(
            oggetti["intervento"],  # type: ignore[arg-type]
            dati={"dal": fabbrica.INIZIO, "al": fabbrica.INIZIO, "ore": 2},
            acting_user=anna,
        )
    righe = TransizioneCaso.objects.senza_scope().filter(caso=caso).count()
    _esegui(caso, a, anna, franco)
    caso.refresh_from_db()
    assert caso.stato == a
    ultima = TransizioneCaso.objects.senza_scope().filter(caso=caso).last()
    assert ultima is not None
    assert (ultima.da, ultima.a) == (da, a)
    assert TransizioneCaso.objects.senza_scope().filter(caso=caso).count() == righe + 1


@pytest.mark.parametrize(("da", "a"), VIETATE)
def test_every_other_transition_is_refused_with_its_message(
    da: str, a: str, caso: Caso, anna: Utente, franco: Utente
) -> None:
    fabbrica.porta_a(caso, da, anna, franco)
    righe = TransizioneCaso.objects.senza_scope().filter(caso=caso).count()
    with pytest.raises(TransizioneNonAmmessaError) as errore:
        actions.do_transizione_caso(caso, a, acting_user=anna, motivo="prova")
    assert "Passaggio non consentito" in errore.value.messages[0]
    caso.refresh_from_db()
    assert caso.stato == da
    assert TransizioneCaso.objects.senza_scope().filter(caso=caso).count() == righe


def test_the_transition_row_and_its_audit_row_are_written_together(
    caso: Caso, anna: Utente
) -> None:
    actions.do_transizione_caso(caso, StatoCaso.IN_VALUTAZIONE, acting_user=anna)
    riga = TransizioneCaso.objects.senza_scope().filter(caso=caso).last()
    assert riga is not None
    evento = AuditEvent.objects.senza_scope().filter(dettagli__transizione=riga.pk).get()
    assert evento.modifiche == {"stato": {"prima": "aperto", "dopo": "in_valutazione"}}
    assert riga.utente == anna


def test_it_refuses_a_progetto_without_analisi_preliminare(caso: Caso, anna: Utente) -> None:
    actions.do_transizione_caso(caso, StatoCaso.IN_VALUTAZIONE, acting_user=anna)
    with pytest.raises(ValidationError, match="analisi preliminare"):
        fabbrica.con_progetto(caso, anna)
    with pytest.raises(TransizioneNonAmmessaError, match="Manca l'analisi preliminare"):
        actions.do_transizione_caso(caso, StatoCaso.PROGETTO_ATTIVO, acting_user=anna)


def test_an_unapproved_progetto_cannot_be_activated_where_approval_is_required(
    caso: Caso, anna: Utente, franco: Utente
) -> None:
    fabbrica.porta_a(caso, StatoCaso.IN_VALUTAZIONE, anna, franco)
    with pytest.raises(TransizioneNonAmmessaError, match="approvato dal responsabile"):
        actions.do_transizione_caso(caso, StatoCaso.PROGETTO_ATTIVO, acting_user=anna)


def test_without_required_approval_the_draft_can_be_activated(
    enti: Enti, anna: Utente, franco: Utente, persona_di_anna: Persona
) -> None:
    caso = fabbrica.nuovo_caso(enti.comune_a, anna, persona_di_anna, approvazione_richiesta=False)
    fabbrica.porta_a(caso, StatoCaso.IN_VALUTAZIONE, anna, franco)
    actions.do_transizione_caso(caso, StatoCaso.PROGETTO_ATTIVO, acting_user=anna)
    assert caso.stato == StatoCaso.PROGETTO_ATTIVO


def test_the_equipe_quadro_is_required_when_the_analisi_asked_for_it(
    caso: Caso, anna: Utente, franco: Utente
) -> None:
    fabbrica.porta_a(caso, StatoCaso.IN_VALUTAZIONE, anna, franco)
    fabbrica.con_analisi(caso, anna, esito=EsitoAnalisi.QUADRO_EQUIPE)
    progetto = caso.progetti.senza_scope().get()  # type: ignore[attr-defined]
    actions.do_approva_progetto(progetto, acting_user=franco)
    with pytest.raises(TransizioneNonAmmessaError, match="quadro di analisi"):
        actions.do_transizione_caso(caso, StatoCaso.PROGETTO_ATTIVO, acting_user=anna)


def test_it_refuses_closure_until_every_objective_has_its_final_outcome(
    caso: Caso, anna: Utente, franco: Utente
) -> None:
    fabbrica.porta_a(caso, StatoCaso.IN_MONITORAGGIO, anna, franco)
    with pytest.raises(TransizioneNonAmmessaError, match="esito finale di ogni obiettivo"):
        fabbrica.chiudi(caso, anna)
    caso.refresh_from_db()
    assert caso.stato == StatoCaso.IN_MONITORAGGIO
    assert not Chiusura.objects.senza_scope().filter(caso=caso).exists()


def test_closing_directly_without_a_chiusura_is_refused(caso: Caso, anna: Utente) -> None:
    with pytest.raises(TransizioneNonAmmessaError, match="scheda di chiusura"):
        actions.do_transizione_caso(caso, StatoCaso.CHIUSO, acting_user=anna)


def test_a_closed_case_is_read_only_and_reopens_with_a_reason(caso: Caso, anna: Utente) -> None:
    fabbrica.chiudi(caso, anna)
    with pytest.raises(ValidationError, match="Il caso è chiuso"):
        fabbrica.voce(caso, anna, riservata=False)
    with pytest.raises(TransizioneNonAmmessaError, match="motivo"):
        actions.do_riapri_caso(caso, motivo="  ", acting_user=anna)
    actions.do_riapri_caso(caso, motivo="La famiglia chiede di nuovo aiuto", acting_user=anna)
    assert caso.stato == StatoCaso.APERTO
    assert Chiusura.objects.senza_scope().get(caso=caso).riaperta


def test_only_the_case_manager_moves_the_case(caso: Caso, marco: Utente, franco: Utente) -> None:
    for altro in (marco, franco):
        with pytest.raises(TransizioneNonAmmessaError, match="case manager"):
            actions.do_transizione_caso(caso, StatoCaso.IN_VALUTAZIONE, acting_user=altro)


def test_a_revision_needs_a_reason(caso: Caso, anna: Utente, franco: Utente) -> None:
    fabbrica.porta_a(caso, StatoCaso.IN_MONITORAGGIO, anna, franco)
    with pytest.raises(TransizioneNonAmmessaError, match="Indica il motivo"):
        actions.do_transizione_caso(caso, StatoCaso.PROGETTO_ATTIVO, acting_user=anna)
