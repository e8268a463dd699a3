"""The workflow table through the web page: every (state, target) pair POSTed to the
transition page; the allowed ones work (with the reason where the table asks for it), the
others are refused with the table's Italian message and change nothing. The transition rows
say who, when and why (the closure: the coded reason's label and SINBA code)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Persona
from equo.web.cartella import actions
from equo.web.cartella.flusso import TRANSIZIONI
from equo.web.cartella.models import Caso, Chiusura, StatoCaso, TransizioneCaso
from tests.web.cartella import fabbrica
from tests.web.conftest import Enti

pytestmark = pytest.mark.django_db

ClientDi = Callable[[Utente], Client]
CONSENTITE = {(t.da, t.a) for t in TRANSIZIONI}
VIETATE = sorted(
    (da, a) for da in StatoCaso.values for a in StatoCaso.values if (da, a) not in CONSENTITE
)


@pytest.fixture
def caso(enti: Enti, anna: Utente, persona_di_anna: Persona) -> Caso:
    return fabbrica.nuovo_caso(enti.comune_a, anna, persona_di_anna)


def _url(caso: Caso, verso: str) -> str:
    return reverse("cartella:transizione", kwargs={"pk": caso.pk, "verso": verso})


def _prepara(caso: Caso, da: str, a: str, anna: Utente, franco: Utente) -> None:
    """Bring the case to ``da`` with what the step to ``a`` needs (guards satisfied)."""
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


def _righe(caso: Caso) -> int:
    return TransizioneCaso.objects.senza_scope().filter(caso=caso).count()


@pytest.mark.parametrize(("da", "a"), sorted(CONSENTITE))
def test_every_allowed_transition_works_through_the_page(
    da: str, a: str, caso: Caso, anna: Utente, franco: Utente, client_di: ClientDi
) -> None:
    _prepara(caso, da, a, anna, franco)
    client = client_di(anna)
    prima = _righe(caso)
    inizio = timezone.now()
    risposta = client.post(_url(caso, a), {"motivo": "La famiglia lo chiede"})
    if a == StatoCaso.CHIUSO:  # the closure goes through its own page (final evaluation)
        assert risposta.status_code == 302
        assert risposta["Location"] == reverse("cartella:chiusura", kwargs={"pk": caso.pk})
        caso.refresh_from_db()
        assert caso.stato == da  # nothing changed yet
        risposta = client.post(
            risposta["Location"],
            {
                "data_chiusura": timezone.localdate().isoformat(),
                "motivo": "decesso",
                "valutazione_finale": "Valutazione finale.",
            },
        )
    assert risposta.status_code == 302, risposta.content.decode()[-2000:]
    caso.refresh_from_db()
    assert caso.stato == a
    assert _righe(caso) == prima + 1
    riga = TransizioneCaso.objects.senza_scope().filter(caso=caso).last()
    assert riga is not None
    assert (riga.da, riga.a, riga.utente) == (da, a, anna)
    assert riga.il >= inizio
    if a == StatoCaso.CHIUSO:
        assert riga.motivo == "Decesso (SINBA 8)"
    elif (da, a) in {
        (StatoCaso.CHIUSO, StatoCaso.APERTO),
        (StatoCaso.IN_MONITORAGGIO, StatoCaso.PROGETTO_ATTIVO),
    }:
        assert riga.motivo == "La famiglia lo chiede"


@pytest.mark.parametrize(("da", "a"), VIETATE)
def test_every_forbidden_transition_is_refused_by_the_page_and_changes_nothing(
    da: str, a: str, caso: Caso, anna: Utente, franco: Utente, client_di: ClientDi
) -> None:
    fabbrica.porta_a(caso, da, anna, franco)
    prima = _righe(caso)
    chiusure = Chiusura.objects.senza_scope().filter(caso=caso, riaperta=False).count()
    risposta = client_di(anna).post(_url(caso, a), {"motivo": "prova"}, follow=True)
    testo = risposta.content.decode()
    atteso = (
        f"Passaggio non consentito: un caso «{StatoCaso(da).label}» non può passare a "
        f"«{StatoCaso(a).label}»."
    )
    assert atteso in testo
    caso.refresh_from_db()
    assert caso.stato == da
    assert _righe(caso) == prima
    assert Chiusura.objects.senza_scope().filter(caso=caso, riaperta=False).count() == chiusure


def test_a_closed_case_is_not_reopened_by_a_post_to_another_state(
    caso: Caso, anna: Utente, client_di: ClientDi
) -> None:
    """The bug: any target reopened the case to «aperto» under the requested state's name."""
    fabbrica.chiudi(caso, anna)
    risposta = client_di(anna).post(
        _url(caso, StatoCaso.IN_MONITORAGGIO), {"motivo": "x"}, follow=True
    )
    caso.refresh_from_db()
    assert caso.stato == StatoCaso.CHIUSO
    assert "Il caso è ora" not in risposta.content.decode()


def test_the_reopening_needs_its_reason_on_the_form(
    caso: Caso, anna: Utente, client_di: ClientDi
) -> None:
    fabbrica.chiudi(caso, anna)
    risposta = client_di(anna).post(_url(caso, StatoCaso.APERTO), {"motivo": "  "})
    assert risposta.status_code == 200
    assert "Indica il motivo del passaggio." in risposta.content.decode()
    caso.refresh_from_db()
    assert caso.stato == StatoCaso.CHIUSO


def test_the_responsabile_reopens_and_the_row_names_him(
    caso: Caso, anna: Utente, franco: Utente, client_di: ClientDi
) -> None:
    fabbrica.chiudi(caso, anna)
    client_di(franco).post(_url(caso, StatoCaso.APERTO), {"motivo": "Nuovo sfratto"})
    riga = TransizioneCaso.objects.senza_scope().filter(caso=caso).last()
    assert riga is not None
    assert (riga.da, riga.a, riga.utente, riga.motivo) == (
        StatoCaso.CHIUSO,
        StatoCaso.APERTO,
        franco,
        "Nuovo sfratto",
    )
    pagina = client_di(anna).get(reverse("cartella:caso", kwargs={"pk": caso.pk})).content
    assert "Nuovo sfratto" in pagina.decode()


def test_the_closure_row_carries_the_coded_reason_and_the_sinba_code(
    caso: Caso, anna: Utente
) -> None:
    fabbrica.chiudi(caso, anna)  # motivo "bisogno_risolto", SINBA 4
    riga = TransizioneCaso.objects.senza_scope().filter(caso=caso, a=StatoCaso.CHIUSO).get()
    assert riga.motivo == (
        "Conclusione degli interventi per risoluzione dello stato di bisogno (SINBA 4)"
    )
    assert riga.utente == anna
    assert timezone.now() - riga.il < dt.timedelta(minutes=5)


def test_the_equipe_member_cannot_move_the_case(
    caso_di_anna: Caso, sara: Utente, client_di: ClientDi
) -> None:
    risposta = client_di(sara).post(_url(caso_di_anna, StatoCaso.CHIUSO), {"motivo": "x"})
    assert risposta.status_code == 403
