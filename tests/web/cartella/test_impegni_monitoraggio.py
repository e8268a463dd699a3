"""Impegni of the nucleo, responsabili of the progetto and monitoring notes on objectives:
written by the case manager through the actions (one audit row each), refused on a closed case,
read within the progetto section (404 for who is not on the case)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from equo.web.accounts.models import Utente
from equo.web.audit.models import AuditEvent, TipoEvento
from equo.web.cartella import actions
from equo.web.cartella.models import (
    Avanzamento,
    Caso,
    ImpegnoProgetto,
    NotaMonitoraggio,
    Obiettivo,
    Progetto,
    ResponsabileProgetto,
)
from tests.web.cartella import fabbrica

pytestmark = pytest.mark.django_db

ClientDi = Callable[[Utente], Client]


def _progetto(caso: Caso) -> Progetto:
    return Progetto.objects.senza_scope().filter(caso=caso).order_by("-versione").first()


def _obiettivo(caso: Caso) -> Obiettivo:
    return Obiettivo.objects.senza_scope().filter(progetto=_progetto(caso)).get()


def _audit() -> int:
    """Audit rows of writes (logins and reads write their own rows)."""
    scritture = {TipoEvento.CREAZIONE, TipoEvento.MODIFICA, TipoEvento.ELIMINAZIONE}
    return AuditEvent.objects.senza_scope().filter(tipo__in=scritture).count()


def _nota(**altro: object) -> dict[str, object]:
    return {
        "data": timezone.localdate(),
        "avanzamento": Avanzamento.PARZIALE,
        "testo": "Pagati due canoni arretrati.",
        **altro,
    }


def test_the_case_manager_adds_a_commitment_with_one_audit_row(
    caso_di_anna: Caso, anna: Utente, persona_di_anna: object, client_di: ClientDi
) -> None:
    prima = _audit()
    risposta = client_di(anna).post(
        reverse("cartella:nuovo_impegno", kwargs={"pk": _progetto(caso_di_anna).pk}),
        {
            "persona": str(persona_di_anna.pk),  # type: ignore[attr-defined]
            "descrizione": "Pagare il canone ogni mese",
            "scadenza": (fabbrica.INIZIO + dt.timedelta(days=60)).isoformat(),
        },
    )
    assert risposta.status_code == 302
    impegno = ImpegnoProgetto.objects.senza_scope().get()
    assert impegno.persona_id == persona_di_anna.pk  # type: ignore[attr-defined]
    assert _audit() == prima + 1
    pagina = client_di(anna).get(reverse("cartella:caso", kwargs={"pk": caso_di_anna.pk}))
    assert "Pagare il canone ogni mese" in pagina.content.decode()


def test_a_commitment_needs_a_text_and_a_date_after_the_agreement(
    caso_di_anna: Caso, anna: Utente, client_di: ClientDi
) -> None:
    url = reverse("cartella:nuovo_impegno", kwargs={"pk": _progetto(caso_di_anna).pk})
    prima = _audit()
    vuoto = client_di(anna).post(url, {"descrizione": ""})
    assert vuoto.status_code == 200
    assert "Descrivi l&#x27;impegno." in vuoto.content.decode()
    presto = client_di(anna).post(
        url,
        {
            "descrizione": "Cercare lavoro",
            "scadenza": (fabbrica.INIZIO - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert presto.status_code == 200
    assert "non può precedere l&#x27;accordo con la famiglia (10/01/2026)" in (
        presto.content.decode()
    )
    with pytest.raises(ValidationError, match="Descrivi l'impegno"):
        actions.do_aggiungi_impegno(
            _progetto(caso_di_anna), dati={"descrizione": "   "}, acting_user=anna
        )
    assert not ImpegnoProgetto.objects.senza_scope().exists()
    assert _audit() == prima


def test_the_case_manager_names_a_responsible_person(
    caso_di_anna: Caso, anna: Utente, sara: Utente, client_di: ClientDi
) -> None:
    url = reverse("cartella:nuovo_responsabile_progetto", kwargs={"pk": _progetto(caso_di_anna).pk})
    prima = _audit()
    risposta = client_di(anna).post(url, {"utente": str(sara.pk), "ruolo": "Referente sanitaria"})
    assert risposta.status_code == 302
    assert ResponsabileProgetto.objects.senza_scope().get().utente_id == sara.pk
    assert _audit() == prima + 1
    doppio = client_di(anna).post(url, {"utente": str(sara.pk), "ruolo": "Altro"})
    assert "È già tra i responsabili del progetto." in doppio.content.decode()
    vuoto = client_di(anna).post(url, {"utente": str(anna.pk), "ruolo": ""})
    assert "Indica il ruolo nel progetto." in vuoto.content.decode()
    assert ResponsabileProgetto.objects.senza_scope().count() == 1
    assert _audit() == prima + 1


def test_a_new_version_of_the_progetto_keeps_commitments_and_responsibles(
    caso_attivo_di_anna: Caso, anna: Utente, sara: Utente
) -> None:
    vecchio = _progetto(caso_attivo_di_anna)
    ImpegnoProgetto.objects.create(ente_id=vecchio.ente_id, progetto=vecchio, descrizione="X")
    ResponsabileProgetto.objects.create(
        ente_id=vecchio.ente_id, progetto=vecchio, utente=sara, ruolo="Referente"
    )
    nuovo = actions.do_crea_progetto(
        caso_attivo_di_anna, dati={"descrizione": "Versione 2."}, acting_user=anna
    )
    assert ImpegnoProgetto.objects.senza_scope().filter(progetto=nuovo).count() == 1
    assert ResponsabileProgetto.objects.senza_scope().filter(progetto=nuovo).count() == 1


def test_a_monitoring_note_on_an_active_progetto_with_one_audit_row(
    caso_attivo_di_anna: Caso, anna: Utente, client_di: ClientDi
) -> None:
    obiettivo = _obiettivo(caso_attivo_di_anna)
    prima = _audit()
    risposta = client_di(anna).post(
        reverse("cartella:nuova_nota_monitoraggio", kwargs={"pk": obiettivo.pk}),
        {
            "data": timezone.localdate().isoformat(),
            "avanzamento": "buono",
            "testo": "Canone pagato regolarmente.",
        },
    )
    assert risposta.status_code == 302
    nota = NotaMonitoraggio.objects.senza_scope().get()
    assert (nota.autore_id, nota.avanzamento) == (anna.pk, Avanzamento.BUONO)
    assert _audit() == prima + 1
    pagina = client_di(anna).get(reverse("cartella:caso", kwargs={"pk": caso_attivo_di_anna.pk}))
    assert "Canone pagato regolarmente." in pagina.content.decode()


def test_a_monitoring_note_needs_a_text_and_a_date_within_the_progetto(
    caso_attivo_di_anna: Caso, anna: Utente, client_di: ClientDi
) -> None:
    obiettivo = _obiettivo(caso_attivo_di_anna)
    url = reverse("cartella:nuova_nota_monitoraggio", kwargs={"pk": obiettivo.pk})
    prima = _audit()
    vuota = client_di(anna).post(
        url, {"data": timezone.localdate().isoformat(), "avanzamento": "buono", "testo": ""}
    )
    assert "Scrivi il testo della nota." in vuota.content.decode()
    prima_del_progetto = client_di(anna).post(
        url,
        {
            "data": (fabbrica.INIZIO - dt.timedelta(days=1)).isoformat(),
            "avanzamento": "buono",
            "testo": "Troppo presto.",
        },
    )
    assert "La nota non può precedere l&#x27;inizio del progetto (10/01/2026)." in (
        prima_del_progetto.content.decode()
    )
    with pytest.raises(ValidationError, match="La data è nel futuro"):
        actions.do_scrivi_nota_monitoraggio(
            obiettivo,
            dati=_nota(data=timezone.localdate() + dt.timedelta(days=1)),
            acting_user=anna,
        )
    with pytest.raises(ValidationError, match="Scrivi il testo della nota"):
        actions.do_scrivi_nota_monitoraggio(obiettivo, dati=_nota(testo="  "), acting_user=anna)
    assert not NotaMonitoraggio.objects.senza_scope().exists()
    assert _audit() == prima


def test_monitoring_notes_only_while_the_progetto_is_active(
    caso_di_anna: Caso, anna: Utente
) -> None:
    with pytest.raises(ValidationError, match="progetto attivo o in monitoraggio"):
        actions.do_scrivi_nota_monitoraggio(
            _obiettivo(caso_di_anna), dati=_nota(), acting_user=anna
        )


def test_a_closed_case_refuses_every_write(
    enti: object, anna: Utente, franco: Utente, persona_di_anna: object
) -> None:
    caso = fabbrica.nuovo_caso(enti.comune_a, anna, persona_di_anna)  # type: ignore[attr-defined]
    oggetti = fabbrica.porta_a(caso, "chiuso", anna, franco)
    caso.refresh_from_db()
    progetto = oggetti["progetto"]
    obiettivo = oggetti["obiettivo"]
    assert isinstance(progetto, Progetto)
    assert isinstance(obiettivo, Obiettivo)
    prima = _audit()
    chiuso = "Il caso è chiuso"
    with pytest.raises(ValidationError, match=chiuso):
        actions.do_aggiungi_impegno(progetto, dati={"descrizione": "X"}, acting_user=anna)
    with pytest.raises(ValidationError, match=chiuso):
        actions.do_aggiungi_responsabile_progetto(
            progetto, dati={"utente": franco, "ruolo": "Referente"}, acting_user=anna
        )
    with pytest.raises(ValidationError, match=chiuso):
        actions.do_scrivi_nota_monitoraggio(obiettivo, dati=_nota(), acting_user=anna)
    assert _audit() == prima


@pytest.mark.parametrize("chi", ["carla", "marco"])
def test_outsider_and_colleague_not_on_the_case_get_404(
    chi: str,
    caso_attivo_di_anna: Caso,
    anna: Utente,
    request: pytest.FixtureRequest,
    client_di: ClientDi,
) -> None:
    progetto = _progetto(caso_attivo_di_anna)
    obiettivo = _obiettivo(caso_attivo_di_anna)
    utente: Utente = request.getfixturevalue(chi)
    client = client_di(utente)
    urls = [
        reverse("cartella:nuovo_impegno", kwargs={"pk": progetto.pk}),
        reverse("cartella:nuovo_responsabile_progetto", kwargs={"pk": progetto.pk}),
        reverse("cartella:nuova_nota_monitoraggio", kwargs={"pk": obiettivo.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, _nota(descrizione="X", ruolo="Y")).status_code == 404, url
    assert not NotaMonitoraggio.objects.senza_scope().exists()
    assert not ImpegnoProgetto.objects.senza_scope().exists()
