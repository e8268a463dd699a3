"""The demo data: Anna's cases show every step of the process, written through the actions,
and loading the demo twice adds nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from equo.web.anagrafe.models import Membro
from equo.web.audit.models import AuditEvent, TipoEvento
from equo.web.cartella import allegati
from equo.web.cartella.models import (
    Accesso,
    AllegatoDiario,
    AnalisiPreliminare,
    Caso,
    ContributoQuadro,
    EsitoAccesso,
    EsitoAnalisi,
    Intervento,
    MembroEquipe,
    Obiettivo,
    Progetto,
    QuadroAnalisi,
    RiunioneEquipe,
    StatoCaso,
    StatoProgetto,
    StatoRiunione,
    VoceDiario,
)
from equo.web.demo import carica_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    carica_demo()


def _casi_di_anna() -> list[Caso]:
    return list(Caso.objects.senza_scope().filter(case_manager__username="anna"))


def test_the_demo_gives_anna_cases_in_every_state(demo: None) -> None:
    stati = sorted(c.stato for c in _casi_di_anna())
    assert stati == sorted(
        [
            StatoCaso.APERTO,
            StatoCaso.IN_VALUTAZIONE,  # quadro di analisi with the équipe
            StatoCaso.IN_VALUTAZIONE,  # progetto awaiting approval
            StatoCaso.PROGETTO_ATTIVO,
            StatoCaso.IN_MONITORAGGIO,
            StatoCaso.CHIUSO,
        ]
    )


def test_every_demo_case_has_its_persons_nucleo(demo: None) -> None:
    casi = _casi_di_anna()
    assert all(c.nucleo is not None for c in casi)
    for caso in casi:
        assert caso.nucleo is not None
        membri = Membro.objects.senza_scope().filter(nucleo=caso.nucleo, persona=caso.persona)
        assert membri.exists()


def test_the_demo_has_accessi_without_a_case(demo: None) -> None:
    senza_caso = Accesso.objects.senza_scope().exclude(esito=EsitoAccesso.APERTURA_CASO)
    esiti = {a.esito: a for a in senza_caso}
    assert set(esiti) == {EsitoAccesso.INFORMAZIONE, EsitoAccesso.INVIO}
    assert esiti[EsitoAccesso.INVIO].servizio_invio.strip()
    assert esiti[EsitoAccesso.INFORMAZIONE].persona is None
    assert esiti[EsitoAccesso.INFORMAZIONE].nominativo.strip()


def test_the_quadro_case_has_an_equipe_contributi_and_two_meetings(demo: None) -> None:
    quadro = QuadroAnalisi.objects.senza_scope().select_related("caso").get()
    caso = quadro.caso
    analisi = AnalisiPreliminare.objects.senza_scope().filter(caso=caso)
    assert [a.esito for a in analisi] == [EsitoAnalisi.QUADRO_EQUIPE]
    assert quadro.concluso_il is None
    membri = MembroEquipe.objects.senza_scope().filter(equipe__caso=caso).select_related("utente")
    assert {(m.utente.username if m.utente else None, m.ruolo) for m in membri} == {
        ("elisa", "sanitario"),
        (None, "lavoro"),
    }
    assert any(m.nome_esterno for m in membri)
    contributo = (
        ContributoQuadro.objects.senza_scope().select_related("membro__utente").get(quadro=quadro)
    )
    assert contributo.membro.utente is not None
    assert contributo.membro.utente.username == "elisa"
    riunioni = RiunioneEquipe.objects.senza_scope().filter(equipe__caso=caso)
    adesso = timezone.now()
    svolta = riunioni.get(stato=StatoRiunione.SVOLTA)
    assert svolta.data_ora < adesso
    assert svolta.verbale.strip()
    presenti = RiunioneEquipe.presenti.through.objects.filter(riunioneequipe=svolta)
    assert presenti.count() == 2
    convocata = riunioni.get(stato=StatoRiunione.CONVOCATA)
    assert convocata.data_ora > adesso


def test_a_progetto_draft_awaits_francos_approval(demo: None) -> None:
    bozza = Progetto.objects.senza_scope().select_related("caso").get(stato=StatoProgetto.BOZZA)
    assert bozza.caso.approvazione_richiesta
    assert Obiettivo.objects.senza_scope().filter(progetto=bozza).exists()
    assert Intervento.objects.senza_scope().filter(progetto=bozza).exists()


def test_the_diario_has_a_riservata_entry_and_a_pdf_attachment(demo: None) -> None:
    assert VoceDiario.objects.senza_scope().filter(riservata=True).exists()
    allegato = AllegatoDiario.objects.senza_scope().get()
    assert allegato.tipo_mime == "application/pdf"
    file = allegati.percorso(allegato.nome_archivio)
    assert Path(settings.EQUO_ALLEGATI_DIR).resolve() in file.parents
    contenuto = file.read_bytes()
    assert contenuto.startswith(b"%PDF-")
    assert len(contenuto) == allegato.dimensione


def test_the_case_in_monitoraggio_has_an_overdue_review(demo: None) -> None:
    caso = Caso.objects.senza_scope().get(stato=StatoCaso.IN_MONITORAGGIO)
    progetto = Progetto.objects.senza_scope().get(caso=caso, stato=StatoProgetto.APPROVATO)
    assert progetto.prossima_verifica is not None
    assert progetto.prossima_verifica < timezone.localdate() - dt.timedelta(days=1)


def test_the_demo_is_written_through_the_actions_with_audit_rows(demo: None) -> None:
    creazioni = AuditEvent.objects.senza_scope().filter(tipo=TipoEvento.CREAZIONE)
    for caso in _casi_di_anna():
        assert creazioni.filter(oggetto_repr=str(caso), utente_nome="anna").exists()
    for voce in VoceDiario.objects.senza_scope():
        assert creazioni.filter(oggetto_repr=str(voce), dettagli__caso=voce.caso_id).exists()


def test_loading_the_demo_twice_adds_nothing() -> None:
    modelli = (Accesso, Caso, Progetto, VoceDiario, AllegatoDiario, RiunioneEquipe)
    carica_demo()
    prima = {m.__name__: m.objects.senza_scope().count() for m in modelli}
    carica_demo()
    dopo = {m.__name__: m.objects.senza_scope().count() for m in modelli}
    assert dopo == prima
    assert prima["Caso"] == 6
