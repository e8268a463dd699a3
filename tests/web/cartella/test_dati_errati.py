"""Bad input: a clear Italian message on the form, nothing saved (not even partially)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from equo.web.accounts.models import Utente
from equo.web.audit.models import AuditEvent
from equo.web.cartella import actions
from equo.web.cartella.models import (
    Accesso,
    AnalisiPreliminare,
    Caso,
    Chiusura,
    DimensioneAnalisi,
    Erogazione,
    Intervento,
    Progetto,
)
from tests.web.cartella import fabbrica

pytestmark = pytest.mark.django_db
ClientDi = Callable[[Utente], Client]

INTERVENTO = {
    "codice_siuss": "A1.05.01",
    "erogatore": "Comune",
    "inizio": "2026-02-01",
    "fine": "2026-06-30",
    "costo": "100",
    "compartecipazione": "10",
}


def _conteggi() -> tuple[int, int]:
    return Intervento.objects.senza_scope().count(), AuditEvent.objects.senza_scope().count()


def _progetto(caso: Caso) -> Progetto:
    return Progetto.objects.senza_scope().get(caso=caso)


@pytest.mark.parametrize(
    ("modifiche", "messaggio"),
    [
        ({"codice_siuss": ""}, "Ogni intervento va classificato con un codice SIUSS"),
        ({"codice_siuss": "Z9.99"}, "non è nella lista SIUSS"),
        ({"fine": "2026-01-01"}, "La fine non può precedere l&#x27;inizio"),
        ({"compartecipazione": "500"}, "non può superare il costo"),
        ({"erogatore": ""}, "Questo campo è obbligatorio"),
    ],
)
def test_a_bad_intervento_is_refused_with_a_message_and_nothing_saved(
    modifiche: dict[str, str],
    messaggio: str,
    caso_di_anna: Caso,
    anna: Utente,
    client_di: ClientDi,
) -> None:
    url = reverse("cartella:nuovo_intervento", kwargs={"pk": _progetto(caso_di_anna).pk})
    client = client_di(anna)  # logging in writes its own audit row
    prima = _conteggi()
    risposta = client.post(url, {**INTERVENTO, **modifiche})
    assert risposta.status_code == 200
    assert messaggio in risposta.content.decode()
    assert _conteggi() == prima


def test_a_good_intervento_is_saved(caso_di_anna: Caso, anna: Utente, client_di: ClientDi) -> None:
    url = reverse("cartella:nuovo_intervento", kwargs={"pk": _progetto(caso_di_anna).pk})
    assert client_di(anna).post(url, INTERVENTO).status_code == 302


def test_an_erogazione_ending_before_it_starts_is_refused(
    caso_di_anna: Caso, anna: Utente, franco: Utente
) -> None:
    actions.do_approva_progetto(_progetto(caso_di_anna), acting_user=franco)
    actions.do_transizione_caso(caso_di_anna, "progetto_attivo", acting_user=anna)
    intervento = Intervento.objects.senza_scope().get(progetto__caso=caso_di_anna)
    with pytest.raises(ValidationError) as errore:
        actions.do_registra_erogazione(
            intervento,
            dati={"dal": fabbrica.INIZIO.replace(day=20), "al": fabbrica.INIZIO, "ore": 3},
            acting_user=anna,
        )
    assert "non può precedere l'inizio" in str(errore.value)
    assert not Erogazione.objects.senza_scope().exists()


def test_an_analisi_with_a_dimension_missing_saves_nothing(
    enti: Any, anna: Utente, persona_di_anna: Any
) -> None:
    caso = fabbrica.nuovo_caso(enti.comune_a, anna, persona_di_anna)
    dimensioni = fabbrica.dimensioni()
    dimensioni["abitazione"] = ("", "")
    with pytest.raises(ValidationError, match="Abitazione"):
        actions.do_salva_analisi(
            caso,
            dati={"data": fabbrica.INIZIO, "esito": "progetto_semplice", "sintesi": "x"},
            dimensioni=dimensioni,
            acting_user=anna,
        )
    assert not AnalisiPreliminare.objects.senza_scope().exists()
    assert not DimensioneAnalisi.objects.senza_scope().exists()


def test_a_closure_without_final_evaluation_is_refused_on_the_form(
    enti: Any, anna: Utente, persona_di_anna: Any, client_di: ClientDi
) -> None:
    caso = fabbrica.nuovo_caso(enti.comune_a, anna, persona_di_anna)
    url = reverse("cartella:chiusura", kwargs={"pk": caso.pk})
    risposta = client_di(anna).post(
        url, {"data_chiusura": "2026-02-01", "motivo": "decesso", "valutazione_finale": ""}
    )
    assert "Questo campo è obbligatorio" in risposta.content.decode()
    prima_dell_apertura = client_di(anna).post(
        url, {"data_chiusura": "2025-12-01", "motivo": "decesso", "valutazione_finale": "x"}
    )
    assert "Il caso è stato aperto il 10/01/2026" in prima_dell_apertura.content.decode()
    assert not Chiusura.objects.senza_scope().exists()
    caso.refresh_from_db()
    assert caso.stato == "aperto"


def test_an_accesso_without_person_or_name_is_refused(
    enti: Any, anna: Utente, client_di: ClientDi
) -> None:
    client = client_di(anna)
    risposta = client.post(
        reverse("cartella:nuovo_accesso"),
        {
            "data": "2026-02-01",
            "canale": "telefono",
            "richiedente": "Un vicino",
            "bisogno_espresso": "Anziano solo.",
            "area": "disabilita",
            "urgenza": "urgente",
            "esito": "invio",
        },
    )
    testo = risposta.content.decode()
    assert "Indica la persona o almeno il suo nominativo." in testo
    assert "Indica il servizio a cui la persona è stata inviata." in testo
    assert not Accesso.objects.senza_scope().exists()
