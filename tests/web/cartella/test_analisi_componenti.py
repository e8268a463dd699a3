"""The analisi preliminare per member and for the nucleo, the outcomes that send the person to
another service (and stop the progetto), and the audit of the assessment edit forms."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Membro, Nucleo, Persona, Relazione
from equo.web.audit.models import AuditEvent, TipoEvento
from equo.web.cartella import actions
from equo.web.cartella.actions.analisi_equipe import componenti_del_caso
from equo.web.cartella.flusso import TransizioneNonAmmessaError
from equo.web.cartella.models import (
    AnalisiPreliminare,
    Caso,
    ContributoQuadro,
    Dimensione,
    DimensioneAnalisi,
    EsitoAnalisi,
    LivelloBisogno,
    Progetto,
    QuadroAnalisi,
    StatoCaso,
)
from tests.web.anagrafe.fabbrica import nuova_persona
from tests.web.cartella import fabbrica
from tests.web.conftest import Enti

pytestmark = pytest.mark.django_db

ClientDi = Callable[[Utente], Client]


@pytest.fixture
def luca(enti: Enti, nucleo_di_anna: Nucleo, membro_di_anna: Membro) -> Persona:
    """The son in the nucleo of Anna's assisted person."""
    figlio = nuova_persona(enti.comune_a, cognome="Rossi", nome="Luca")
    Membro.objects.create(
        ente=enti.comune_a,
        nucleo=nucleo_di_anna,
        persona=figlio,
        relazione=Relazione.FIGLIO_MAGGIORENNE_CONVIVENTE,
    )
    return figlio


@pytest.fixture
def caso_con_nucleo(
    enti: Enti, anna: Utente, persona_di_anna: Persona, nucleo_di_anna: Nucleo, luca: Persona
) -> Caso:
    caso = fabbrica.nuovo_caso(enti.comune_a, anna, persona_di_anna, nucleo=nucleo_di_anna)
    actions.do_transizione_caso(caso, StatoCaso.IN_VALUTAZIONE, acting_user=anna)
    return caso


def _modulo(**altro: str) -> dict[str, str]:
    dati = {
        "data_analisi": fabbrica.INIZIO.isoformat(),
        "esito": EsitoAnalisi.PROGETTO_SEMPLICE,
        "sintesi": "Bisogni semplici.",
        "servizio_invio": "",
    }
    for d in Dimensione:
        dati[f"livello_{d}"] = LivelloBisogno.MODERATO
        dati[f"risorse_{d}"] = ""
    return {**dati, **altro}


def _righe(caso: Caso) -> set[tuple[str, int | None, str, str]]:
    return set(
        DimensioneAnalisi.objects.senza_scope()
        .filter(analisi__caso=caso)
        .values_list("dimensione", "persona_id", "livello", "risorse")
    )


def test_the_members_are_the_person_then_the_current_nucleo(
    caso_con_nucleo: Caso, persona_di_anna: Persona, luca: Persona, caso_di_anna: Caso
) -> None:
    assert [p.pk for p in componenti_del_caso(caso_con_nucleo)] == [persona_di_anna.pk, luca.pk]
    # Without a nucleo, only the case's person is assessed one by one.
    assert caso_di_anna.nucleo_id is None
    assert [p.pk for p in componenti_del_caso(caso_di_anna)] == [caso_di_anna.persona_id]


def test_the_form_saves_the_nucleo_and_the_members_assessed(
    caso_con_nucleo: Caso, anna: Utente, luca: Persona, client_di: ClientDi
) -> None:
    url = reverse("cartella:modifica_analisi", kwargs={"pk": caso_con_nucleo.pk})
    pagina = client_di(anna).get(url).content.decode()
    assert f'name="livello_lavoro_{luca.pk}"' in pagina
    assert f"Lavoro e occupabilità – {luca}: livello di bisogno" in pagina
    risposta = client_di(anna).post(
        url,
        _modulo(
            **{
                f"livello_lavoro_{luca.pk}": LivelloBisogno.GRAVE,
                f"risorse_lavoro_{luca.pk}": "Diploma di perito",
            }
        ),
    )
    assert risposta.status_code == 302
    righe = _righe(caso_con_nucleo)
    assert len(righe) == len(Dimensione) + 1
    assert ("lavoro", luca.pk, "grave", "Diploma di perito") in righe
    assert ("lavoro", None, "moderato", "") in righe
    tabella = client_di(anna).get(reverse("cartella:analisi", kwargs={"pk": caso_con_nucleo.pk}))
    html = tabella.content.decode()
    assert 'id="tabella-analisi"' in html
    assert str(luca) in html
    assert "Diploma di perito" in html


def test_resources_without_a_level_are_refused_on_that_field_and_nothing_is_saved(
    caso_con_nucleo: Caso, anna: Utente, luca: Persona, client_di: ClientDi
) -> None:
    url = reverse("cartella:modifica_analisi", kwargs={"pk": caso_con_nucleo.pk})
    risposta = client_di(anna).post(
        url, _modulo(**{f"risorse_salute_{luca.pk}": "Segue una terapia"})
    )
    assert risposta.status_code == 200
    errori = risposta.context["form"].errors
    assert errori[f"livello_salute_{luca.pk}"] == [
        "Hai indicato le risorse: indica anche il livello di bisogno."
    ]
    assert not AnalisiPreliminare.objects.senza_scope().filter(caso=caso_con_nucleo).exists()
    with pytest.raises(ValidationError, match="indica il livello di bisogno"):
        actions.do_salva_analisi(
            caso_con_nucleo,
            dati={"data": fabbrica.INIZIO, "esito": "progetto_semplice", "sintesi": "S."},
            dimensioni=fabbrica.dimensioni(),
            componenti={luca.pk: {Dimensione.SALUTE: ("", "Segue una terapia")}},
            acting_user=anna,
        )
    assert _righe(caso_con_nucleo) == set()


def test_a_person_outside_the_nucleo_is_refused(
    caso_con_nucleo: Caso, anna: Utente, enti: Enti
) -> None:
    estranea = nuova_persona(enti.comune_a, cognome="Verdi", nome="Ugo")
    with pytest.raises(ValidationError, match="non è del nucleo"):
        actions.do_salva_analisi(
            caso_con_nucleo,
            dati={"data": fabbrica.INIZIO, "esito": "progetto_semplice", "sintesi": "S."},
            dimensioni=fabbrica.dimensioni(),
            componenti={estranea.pk: {Dimensione.SALUTE: (LivelloBisogno.LIEVE, "")}},
            acting_user=anna,
        )
    assert not AnalisiPreliminare.objects.senza_scope().filter(caso=caso_con_nucleo).exists()


def test_a_revision_replaces_the_rows_and_audits_the_deletion(
    caso_con_nucleo: Caso, anna: Utente, luca: Persona, client_di: ClientDi
) -> None:
    url = reverse("cartella:modifica_analisi", kwargs={"pk": caso_con_nucleo.pk})
    client_di(anna).post(url, _modulo(**{f"livello_reti_{luca.pk}": LivelloBisogno.LIEVE}))
    assert ("reti", luca.pk, "lieve", "") in _righe(caso_con_nucleo)
    riga_di_luca = (
        DimensioneAnalisi.objects.senza_scope().get(analisi__caso=caso_con_nucleo, persona=luca).pk
    )
    # The form shows what was saved, and the revision without Luca's row deletes it.
    pagina = client_di(anna).get(url)
    assert pagina.context["form"][f"livello_reti_{luca.pk}"].value() == "lieve"
    risposta = client_di(anna).post(url, _modulo(esito=EsitoAnalisi.QUADRO_EQUIPE))
    assert risposta.status_code == 302
    assert {r[1] for r in _righe(caso_con_nucleo)} == {None}
    eliminazioni = AuditEvent.objects.senza_scope().filter(
        tipo=TipoEvento.ELIMINAZIONE, oggetto_tipo="cartella.dimensioneanalisi"
    )
    assert eliminazioni.count() == 1
    assert eliminazioni.get().dettagli == {"caso": caso_con_nucleo.pk}
    assert eliminazioni.get().oggetto_id == str(riga_di_luca)


# --- The outcome decides the path ---------------------------------------------------------------

INVII = [
    (EsitoAnalisi.SERVIZIO_SPECIALISTICO, "SerD ASL TO3", "invio_servizio_specialistico"),
    (EsitoAnalisi.CENTRO_IMPIEGO, "Centro per l'impiego di Pinerolo", "invio_centro_impiego"),
]


@pytest.mark.parametrize(("esito", "servizio", "motivo"), INVII)
def test_a_sending_outcome_needs_the_service(
    esito: str, servizio: str, motivo: str, caso_di_anna: Caso, anna: Utente, client_di: ClientDi
) -> None:
    url = reverse("cartella:modifica_analisi", kwargs={"pk": caso_di_anna.pk})
    risposta = client_di(anna).post(url, _modulo(esito=esito))
    assert risposta.status_code == 200
    assert risposta.context["form"].errors["servizio_invio"] == [
        "Con questo esito indica il servizio a cui è inviata la persona."
    ]
    with pytest.raises(ValidationError, match="indica il servizio a cui è inviata"):
        actions.do_salva_analisi(
            caso_di_anna,
            dati={"data": fabbrica.INIZIO, "esito": esito, "sintesi": "S."},
            dimensioni=fabbrica.dimensioni(),
            acting_user=anna,
        )
    analisi = AnalisiPreliminare.objects.senza_scope().get(caso=caso_di_anna)
    assert analisi.esito == EsitoAnalisi.PROGETTO_SEMPLICE  # unchanged


@pytest.mark.parametrize(("esito", "servizio", "motivo"), INVII)
def test_a_sending_outcome_stops_the_progetto_and_points_to_the_closure(
    esito: str,
    servizio: str,
    motivo: str,
    caso_di_anna: Caso,
    anna: Utente,
    franco: Utente,
    client_di: ClientDi,
) -> None:
    progetto = Progetto.objects.senza_scope().get(caso=caso_di_anna)
    actions.do_approva_progetto(progetto, acting_user=franco)
    url = reverse("cartella:modifica_analisi", kwargs={"pk": caso_di_anna.pk})
    risposta = client_di(anna).post(url, _modulo(esito=esito, servizio_invio=servizio))
    assert risposta.status_code == 302
    with pytest.raises(TransizioneNonAmmessaError) as errore:
        actions.do_transizione_caso(caso_di_anna, StatoCaso.PROGETTO_ATTIVO, acting_user=anna)
    [messaggio] = errore.value.messages
    assert f"ha inviato la persona a «{servizio}»" in messaggio
    assert "chiudi il caso con il motivo" in messaggio
    caso_di_anna.refresh_from_db()
    assert caso_di_anna.stato == StatoCaso.IN_VALUTAZIONE
    pagina = client_di(anna).get(reverse("cartella:caso", kwargs={"pk": caso_di_anna.pk}))
    html = pagina.content.decode()
    chiusura = reverse("cartella:chiusura", kwargs={"pk": caso_di_anna.pk})
    assert f'href="{chiusura}?motivo={motivo}"' in html
    assert servizio.replace("'", "&#x27;") in html
    # The link opens the closure with that reason already chosen (an unknown one is ignored).
    modulo_chiusura = client_di(anna).get(f"{chiusura}?motivo={motivo}").context["form"]
    assert modulo_chiusura.initial["motivo"] == motivo
    ignoto = client_di(anna).get(f"{chiusura}?motivo=inventato").context["form"]
    assert "motivo" not in ignoto.initial
    # Revising the analisi back to a simple progetto lets the case go on.
    client_di(anna).post(url, _modulo())
    actions.do_transizione_caso(caso_di_anna, StatoCaso.PROGETTO_ATTIVO, acting_user=anna)
    assert caso_di_anna.stato == StatoCaso.PROGETTO_ATTIVO


# --- Edit forms showing an assessment are audited -------------------------------------------------


def _letture() -> list[tuple[str, str, object]]:
    return list(
        AuditEvent.objects.senza_scope()
        .filter(tipo=TipoEvento.LETTURA)
        .order_by("pk")
        .values_list("oggetto_tipo", "oggetto_id", "utente_id")
    )


@pytest.mark.parametrize("pagina", ["modifica_analisi", "modifica_quadro", "contributo"])
def test_each_assessment_form_writes_one_reading_row(
    pagina: str, caso_di_anna: Caso, anna: Utente, sara: Utente, client_di: ClientDi
) -> None:
    actions.do_salva_contributo(caso_di_anna, testo="Valutazione sanitaria.", acting_user=sara)
    oggetto, chi = {
        "modifica_analisi": (AnalisiPreliminare.objects.senza_scope().get(caso=caso_di_anna), anna),
        "modifica_quadro": (QuadroAnalisi.objects.senza_scope().get(caso=caso_di_anna), anna),
        "contributo": (ContributoQuadro.objects.senza_scope().get(quadro__caso=caso_di_anna), sara),
    }[pagina]
    prima = _letture()
    risposta = client_di(chi).get(reverse(f"cartella:{pagina}", kwargs={"pk": caso_di_anna.pk}))
    assert risposta.status_code == 200
    assert _letture()[len(prima) :] == [(oggetto._meta.label_lower, str(oggetto.pk), chi.pk)]
    riga = AuditEvent.objects.senza_scope().order_by("-pk").first()
    assert riga is not None
    assert riga.dettagli == {"caso": caso_di_anna.pk}


def test_an_empty_assessment_form_writes_no_reading_row(
    caso_con_nucleo: Caso, anna: Utente, client_di: ClientDi
) -> None:
    prima = len(_letture())
    url = reverse("cartella:modifica_analisi", kwargs={"pk": caso_con_nucleo.pk})
    assert client_di(anna).get(url).status_code == 200
    assert len(_letture()) == prima
