"""Équipe meetings: convocation (not in the past), minutes (only after the meeting, present
among the convened), cancellation (with a reason); read with the équipe section of the case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from equo.web.accounts.models import Utente
from equo.web.audit.models import AuditEvent, TipoEvento
from equo.web.cartella import actions
from equo.web.cartella.models import Caso, MembroEquipe, RiunioneEquipe, StatoRiunione

pytestmark = pytest.mark.django_db

ClientDi = Callable[[Utente], Client]


def _membri(caso: Caso) -> list[MembroEquipe]:
    return list(MembroEquipe.objects.senza_scope().filter(equipe__caso=caso))


def _convoca(caso: Caso, anna: Utente, quando: dt.datetime | None = None) -> RiunioneEquipe:
    return actions.do_convoca_riunione(
        caso,
        dati={
            "data_ora": quando or timezone.now() + dt.timedelta(days=3),
            "luogo": "Sede",
            "ordine_del_giorno": "Quadro di analisi.",
        },
        convocati=_membri(caso),
        acting_user=anna,
    )


def _nel_passato(riunione: RiunioneEquipe) -> None:
    """The meeting's date comes (the test moves it back instead of waiting)."""
    RiunioneEquipe.objects.senza_scope().filter(pk=riunione.pk).update(
        data_ora=timezone.now() - dt.timedelta(hours=1)
    )
    riunione.refresh_from_db()


def test_the_case_manager_convenes_the_equipe_from_the_form(
    caso_di_anna: Caso, anna: Utente, client_di: ClientDi
) -> None:
    [sara] = _membri(caso_di_anna)
    quando = timezone.localtime() + dt.timedelta(days=2)
    risposta = client_di(anna).post(
        reverse("cartella:nuova_riunione", kwargs={"pk": caso_di_anna.pk}),
        {
            "data_ora": quando.strftime("%Y-%m-%dT%H:%M"),
            "luogo": "Sala riunioni",
            "ordine_del_giorno": "Avvio del quadro.",
            "convocati": [str(sara.pk)],
        },
    )
    assert risposta.status_code == 302
    riunione = RiunioneEquipe.objects.senza_scope().get()
    assert riunione.stato == StatoRiunione.CONVOCATA
    assert list(riunione.convocati.through.objects.values_list("membroequipe_id", flat=True)) == [
        sara.pk
    ]


def test_a_convocation_in_the_past_is_refused_on_the_form(
    caso_di_anna: Caso, anna: Utente, client_di: ClientDi
) -> None:
    [sara] = _membri(caso_di_anna)
    ieri = timezone.localtime() - dt.timedelta(days=1)
    risposta = client_di(anna).post(
        reverse("cartella:nuova_riunione", kwargs={"pk": caso_di_anna.pk}),
        {
            "data_ora": ieri.strftime("%Y-%m-%dT%H:%M"),
            "luogo": "Sala",
            "ordine_del_giorno": "x",
            "convocati": [str(sara.pk)],
        },
    )
    assert risposta.status_code == 200
    assert "Una convocazione non può essere nel passato." in risposta.content.decode()
    assert not RiunioneEquipe.objects.senza_scope().exists()


def test_a_convocation_needs_at_least_one_member_of_this_equipe(
    caso_di_anna: Caso, anna: Utente
) -> None:
    dati = {
        "data_ora": timezone.now() + dt.timedelta(days=1),
        "luogo": "Sede",
        "ordine_del_giorno": "x",
    }
    with pytest.raises(ValidationError, match="almeno un membro"):
        actions.do_convoca_riunione(caso_di_anna, dati=dati, convocati=[], acting_user=anna)
    assert not RiunioneEquipe.objects.senza_scope().exists()


def test_minutes_only_after_the_meeting_and_with_the_convened(
    caso_di_anna: Caso, anna: Utente
) -> None:
    riunione = _convoca(caso_di_anna, anna)
    membri = _membri(caso_di_anna)
    with pytest.raises(ValidationError, match="non si è ancora svolta"):
        actions.do_registra_verbale(riunione, presenti=membri, verbale="V", acting_user=anna)
    _nel_passato(riunione)
    with pytest.raises(ValidationError, match="obbligatorio"):
        actions.do_registra_verbale(riunione, presenti=membri, verbale=" ", acting_user=anna)
    riunione.refresh_from_db()
    actions.do_registra_verbale(riunione, presenti=membri, verbale="Deciso.", acting_user=anna)
    riunione.refresh_from_db()
    assert riunione.stato == StatoRiunione.SVOLTA
    with pytest.raises(ValidationError, match="già svolta"):
        actions.do_annulla_riunione(riunione, motivo="x", acting_user=anna)


def test_a_cancellation_needs_a_reason(caso_di_anna: Caso, anna: Utente) -> None:
    riunione = _convoca(caso_di_anna, anna)
    with pytest.raises(ValidationError, match="motivo"):
        actions.do_annulla_riunione(riunione, motivo="", acting_user=anna)
    riunione.refresh_from_db()
    actions.do_annulla_riunione(riunione, motivo="Malattia.", acting_user=anna)
    riunione.refresh_from_db()
    assert riunione.stato == StatoRiunione.ANNULLATA


def test_only_the_case_manager_convenes(caso_di_anna: Caso, franco: Utente) -> None:
    with pytest.raises(ValidationError, match="Solo il case manager"):
        _convoca(caso_di_anna, franco)


#: persona → may read the meeting (équipe section of the case).
ATTESE = {
    "anna": True,  # case manager
    "franco": True,  # responsabile di servizio
    "sara": True,  # équipe, sanitario
    "dora": False,  # auditor
    "marco": False,  # colleague not on the case
    "carla": False,  # outsider
}


@pytest.mark.parametrize("nome", sorted(ATTESE))
def test_the_meeting_is_read_by_the_equipe_only_and_audited(
    nome: str,
    caso_di_anna: Caso,
    anna: Utente,
    request: pytest.FixtureRequest,
    client_di: ClientDi,
) -> None:
    riunione = _convoca(caso_di_anna, anna)
    _nel_passato(riunione)
    actions.do_registra_verbale(
        riunione, presenti=_membri(caso_di_anna), verbale="Verbale segreto.", acting_user=anna
    )
    utente: Utente = request.getfixturevalue(nome)
    risposta: Any = client_di(utente).get(reverse("cartella:riunione", kwargs={"pk": riunione.pk}))
    letture = AuditEvent.objects.senza_scope().filter(
        tipo=TipoEvento.LETTURA, oggetto_tipo="cartella.riunioneequipe"
    )
    if ATTESE[nome]:
        assert risposta.status_code == 200
        assert "Verbale segreto." in risposta.content.decode()
        assert [r.utente for r in letture] == [utente]
    else:
        assert risposta.status_code == 404
        assert not letture.exists()


def test_the_equipe_member_cannot_write_the_minutes(
    caso_di_anna: Caso, anna: Utente, sara: Utente, client_di: ClientDi
) -> None:
    riunione = _convoca(caso_di_anna, anna)
    url = reverse("cartella:verbale_riunione", kwargs={"pk": riunione.pk})
    assert client_di(sara).get(url).status_code == 403
