"""The work views, from the user's side: "I miei casi" shows each case's next deadline (the
review of the progetto or an objective's deadline), marks overdue ones «scaduta», lists the most
urgent first and shows the responsabile the drafts to approve; the person's timeline lists
accessi, casi, interventi and diario entries by date, the most recent first."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Persona
from equo.web.cartella import actions
from equo.web.cartella.models import (
    AreaUtenza,
    Canale,
    Caso,
    EsitoAccesso,
    Obiettivo,
    Progetto,
    StatoCaso,
    TipoVoce,
)
from tests.web.anagrafe.fabbrica import nuova_persona
from tests.web.cartella import fabbrica
from tests.web.conftest import Enti

pytestmark = pytest.mark.django_db

ClientDi = Callable[[Utente], Client]
MIEI_CASI = reverse("cartella:miei_casi")


def _in_valutazione(enti: Enti, anna: Utente, nome: str) -> Caso:
    caso = fabbrica.nuovo_caso(enti.comune_a, anna, nuova_persona(enti.comune_a, nome=nome))
    actions.do_transizione_caso(caso, StatoCaso.IN_VALUTAZIONE, acting_user=anna)
    fabbrica.con_analisi(caso, anna)
    return caso


def _progetto(
    caso: Caso, anna: Utente, verifica: dt.date | None, scadenze: list[dt.date]
) -> Progetto:
    progetto = actions.do_crea_progetto(
        caso,
        dati={
            "descrizione": "Progetto.",
            "data_accordo": fabbrica.INIZIO,
            "prossima_verifica": verifica,
        },
        acting_user=anna,
    )
    for numero, scadenza in enumerate(scadenze):
        actions.do_aggiungi_obiettivo(
            progetto,
            dati={
                "descrizione": f"Obiettivo {numero}",
                "risultato_atteso": "Risultato",
                "indicatore": "Indicatore",
                "scadenza": scadenza,
            },
            acting_user=anna,
        )
    return progetto


def _giorno(giorni: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=giorni)


def _righe(risposta: Any) -> list[tuple[int, dt.date | None, bool]]:
    return [(r["caso"].pk, r["prossima"], r["scaduta"]) for r in risposta.context["righe"]]


@pytest.fixture
def tre_casi(enti: Enti, anna: Utente) -> dict[str, Caso]:
    """Anna's cases: one without a progetto; one whose objective is due before its review; one
    whose review is overdue."""
    senza = fabbrica.nuovo_caso(enti.comune_a, anna, nuova_persona(enti.comune_a, nome="Ugo"))
    obiettivo = _in_valutazione(enti, anna, "Olga")
    _progetto(obiettivo, anna, _giorno(60), [_giorno(20), _giorno(90)])
    scaduto = _in_valutazione(enti, anna, "Sofia")
    _progetto(scaduto, anna, _giorno(-5), [_giorno(30)])
    return {"senza": senza, "obiettivo": obiettivo, "scaduto": scaduto}


def test_my_cases_show_the_next_deadline_overdue_first_and_cases_without_one_last(
    tre_casi: dict[str, Caso], anna: Utente, client_di: ClientDi
) -> None:
    risposta = client_di(anna).get(MIEI_CASI)
    assert risposta.status_code == 200
    assert _righe(risposta) == [
        (tre_casi["scaduto"].pk, _giorno(-5), True),  # the review, five days late
        (tre_casi["obiettivo"].pk, _giorno(20), False),  # the objective comes before the review
        (tre_casi["senza"].pk, None, False),
    ]


def test_my_cases_mark_only_the_overdue_deadline_scaduta_on_the_page(
    tre_casi: dict[str, Caso], anna: Utente, client_di: ClientDi
) -> None:
    html = client_di(anna).get(MIEI_CASI).content.decode()
    righe = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    per_caso = {str(caso): next(r for r in righe if f">{caso}<" in r) for caso in tre_casi.values()}
    assert "scaduta" in per_caso[str(tre_casi["scaduto"])]
    assert _giorno(-5).strftime("%d/%m/%Y") in per_caso[str(tre_casi["scaduto"])]
    assert "scaduta" not in per_caso[str(tre_casi["obiettivo"])]
    assert _giorno(20).strftime("%d/%m/%Y") in per_caso[str(tre_casi["obiettivo"])]
    assert "scaduta" not in per_caso[str(tre_casi["senza"])]


def test_an_objective_already_evaluated_is_no_longer_a_deadline(
    enti: Enti, anna: Utente, franco: Utente, client_di: ClientDi
) -> None:
    caso = _in_valutazione(enti, anna, "Pia")
    progetto = _progetto(caso, anna, _giorno(40), [_giorno(-3)])
    [obiettivo] = Obiettivo.objects.senza_scope().filter(progetto=progetto)
    risposta = client_di(anna).get(MIEI_CASI)
    assert _righe(risposta) == [(caso.pk, _giorno(-3), True)]
    actions.do_approva_progetto(progetto, acting_user=franco)
    actions.do_valuta_obiettivo(obiettivo, esito="raggiunto", nota="", acting_user=anna)
    risposta = client_di(anna).get(MIEI_CASI)
    assert _righe(risposta) == [(caso.pk, _giorno(40), False)]


def test_the_responsabile_sees_the_drafts_to_approve_and_the_case_manager_does_not(
    tre_casi: dict[str, Caso], anna: Utente, franco: Utente, client_di: ClientDi
) -> None:
    bozze = Progetto.objects.senza_scope().filter(caso__in=tre_casi.values())
    assert bozze.count() == 2
    risposta = client_di(franco).get(MIEI_CASI)
    assert {p.pk for p in risposta.context["da_approvare"]} == {p.pk for p in bozze}
    html = risposta.content.decode()
    assert "Progetti da approvare" in html
    for progetto in bozze:
        assert reverse("cartella:approva_progetto", kwargs={"pk": progetto.pk}) in html
    assert "Progetti da approvare" not in client_di(anna).get(MIEI_CASI).content.decode()


def test_an_approved_progetto_leaves_the_list_to_approve(
    tre_casi: dict[str, Caso], anna: Utente, franco: Utente, client_di: ClientDi
) -> None:
    progetto = Progetto.objects.senza_scope().get(caso=tre_casi["obiettivo"])
    actions.do_aggiungi_intervento(
        progetto,
        dati={"codice_siuss": "A1.04", "erogatore": "Comune", "inizio": fabbrica.INIZIO},
        acting_user=anna,
    )
    actions.do_approva_progetto(progetto, acting_user=franco)
    risposta = client_di(franco).get(MIEI_CASI)
    assert progetto.pk not in {p.pk for p in risposta.context["da_approvare"]}


def test_drafts_of_cases_without_required_approval_are_not_offered_for_approval(
    tre_casi: dict[str, Caso], franco: Utente, client_di: ClientDi
) -> None:
    caso = tre_casi["obiettivo"]
    Caso.objects.senza_scope().filter(pk=caso.pk).update(approvazione_richiesta=False)
    risposta = client_di(franco).get(MIEI_CASI)
    offerti = {p.caso_id for p in risposta.context["da_approvare"]}
    assert caso.pk not in offerti
    assert offerti  # the other draft, whose case needs approval, is still there


def test_the_timeline_lists_accessi_cases_interventi_and_diario_by_date(
    enti: Enti, anna: Utente, client_di: ClientDi
) -> None:
    persona: Persona = nuova_persona(enti.comune_a, nome="Nadia")
    inizio = fabbrica.INIZIO
    actions.do_registra_accesso(
        ente=enti.comune_a,
        dati={
            "persona": persona,
            "data": inizio - dt.timedelta(days=5),
            "canale": Canale.TELEFONO,
            "richiedente": "La figlia",
            "bisogno_espresso": "Assistenza domiciliare.",
            "area": AreaUtenza.POVERTA,
            "esito": EsitoAccesso.APERTURA_CASO,
        },
        acting_user=anna,
    )
    caso = fabbrica.nuovo_caso(enti.comune_a, anna, persona)  # opened on INIZIO
    actions.do_transizione_caso(caso, StatoCaso.IN_VALUTAZIONE, acting_user=anna)
    fabbrica.con_analisi(caso, anna)
    progetto = _progetto(caso, anna, None, [inizio + dt.timedelta(days=90)])
    actions.do_aggiungi_intervento(
        progetto,
        dati={
            "codice_siuss": "A1.04",
            "erogatore": "Comune",
            "inizio": inizio + dt.timedelta(days=10),
            "costo": Decimal(100),
        },
        acting_user=anna,
    )
    for giorni, tipo in ((3, TipoVoce.TELEFONATA), (20, TipoVoce.VISITA_DOMICILIARE)):
        actions.do_scrivi_voce_diario(
            caso,
            dati={"data": inizio + dt.timedelta(days=giorni), "tipo": tipo, "testo": "Nota."},
            acting_user=anna,
        )
    risposta = client_di(anna).get(reverse("cartella:cronologia", kwargs={"pk": persona.pk}))
    assert risposta.status_code == 200
    eventi = [(e["data"] - inizio).days for e in risposta.context["eventi"]]
    tipi = [str(e["tipo"]) for e in risposta.context["eventi"]]
    assert eventi == [20, 10, 3, 0, -5]
    assert tipi == [
        "Visita domiciliare",
        "Inizio intervento",
        "Telefonata",
        "Apertura del caso",
        "Accesso",
    ]
    # The page shows them in the same order.
    date = re.findall(r"<strong>(\d\d/\d\d/\d{4})</strong>", risposta.content.decode())
    assert date == [(inizio + dt.timedelta(days=g)).strftime("%d/%m/%Y") for g in eventi]
