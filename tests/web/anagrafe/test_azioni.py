"""Each anagrafe action is atomic and writes exactly one audit row with the right fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from equo.web.accounts.models import Utente
from equo.web.anagrafe.actions import (
    do_aggiungi_contatto,
    do_aggiungi_legame,
    do_aggiungi_membro,
    do_crea_nucleo,
    do_crea_persona,
    do_elimina_contatto,
    do_elimina_legame,
    do_modifica_membro,
    do_modifica_nucleo,
    do_modifica_persona,
    do_salva_indirizzo,
)
from equo.web.anagrafe.models import (
    Contatto,
    LegameRete,
    Membro,
    Nucleo,
    Persona,
    Relazione,
    TipoContatto,
    TipoLegame,
    TipoNucleo,
)
from equo.web.audit.models import AuditEvent, TipoEvento
from tests.web.anagrafe.fabbrica import dati_persona
from tests.web.conftest import Enti

pytestmark = pytest.mark.django_db

Righe = Callable[[], list[AuditEvent]]


@pytest.fixture
def nuove_righe() -> Iterator[Righe]:
    """The audit rows written since the last call."""
    righe = AuditEvent.objects.senza_scope().order_by("-id")
    ultimo = [righe.values_list("id", flat=True).first() or 0]

    def leggi() -> list[AuditEvent]:
        righe = list(AuditEvent.objects.senza_scope().filter(id__gt=ultimo[0]).order_by("id"))
        if righe:
            ultimo[0] = righe[-1].pk
        return righe

    yield leggi


def _una(
    righe: list[AuditEvent], tipo: TipoEvento, oggetto: Any, anna: Utente, pk: Any = None
) -> AuditEvent:
    assert len(righe) == 1, [str(r) for r in righe]
    riga = righe[0]
    assert riga.tipo == tipo
    assert (riga.utente_id, riga.utente_nome) == (anna.pk, "anna")
    assert riga.ente_id == oggetto.ente_id
    atteso = str(pk if pk is not None else oggetto.pk)
    assert (riga.oggetto_tipo, riga.oggetto_id) == (oggetto._meta.label_lower, atteso)
    assert riga.oggetto_repr == str(oggetto)
    return riga


@pytest.fixture
def persona(enti: Enti, anna: Utente, nuove_righe: Righe) -> Persona:
    creata = do_crea_persona(ente=enti.comune_a, dati=dati_persona(), acting_user=anna)
    nuove_righe()
    return creata


def test_creating_a_person_writes_one_creation_row(
    enti: Enti, anna: Utente, nuove_righe: Righe
) -> None:
    nuove_righe()
    creata = do_crea_persona(ente=enti.comune_a, dati=dati_persona(), acting_user=anna)
    riga = _una(nuove_righe(), TipoEvento.CREAZIONE, creata, anna)
    assert riga.modifiche["codice_fiscale"] == {"prima": None, "dopo": creata.codice_fiscale}
    assert riga.modifiche["data_nascita"]["dopo"] == "1980-03-15"


def test_a_change_records_only_the_changed_fields(
    persona: Persona, anna: Utente, nuove_righe: Righe
) -> None:
    do_modifica_persona(persona, {"note": "Segnalata dal medico"}, acting_user=anna)
    riga = _una(nuove_righe(), TipoEvento.MODIFICA, persona, anna)
    assert riga.modifiche == {"note": {"prima": "", "dopo": "Segnalata dal medico"}}
    do_modifica_persona(persona, {"note": "Segnalata dal medico"}, acting_user=anna)
    assert nuove_righe() == []


def test_invalid_data_writes_nothing(
    enti: Enti, persona: Persona, anna: Utente, nuove_righe: Righe
) -> None:
    with pytest.raises(ValidationError):
        do_modifica_persona(persona, {"sesso": "M"}, acting_user=anna)
    with pytest.raises(ValidationError):
        do_crea_persona(ente=enti.comune_a, dati=dati_persona(), acting_user=anna)  # duplicate
    assert nuove_righe() == []
    assert Persona.objects.senza_scope().count() == 1
    persona.refresh_from_db()
    assert persona.sesso == "F"


def test_an_address_is_created_then_changed(
    persona: Persona, anna: Utente, nuove_righe: Righe
) -> None:
    dati = {
        "via": "Via Roma",
        "civico": "1",
        "cap": "10051",
        "comune_codice_istat": "001013",
        "comune": "Avigliana (TO)",
    }
    indirizzo = do_salva_indirizzo(persona, "residenza", dati, acting_user=anna)
    _una(nuove_righe(), TipoEvento.CREAZIONE, indirizzo, anna)
    cambiato = do_salva_indirizzo(persona, "residenza", {**dati, "civico": "3"}, acting_user=anna)
    assert cambiato.pk == indirizzo.pk
    riga = _una(nuove_righe(), TipoEvento.MODIFICA, cambiato, anna)
    assert riga.modifiche == {"civico": {"prima": "1", "dopo": "3"}}


def test_a_contact_is_added_then_deleted(
    persona: Persona, anna: Utente, nuove_righe: Righe
) -> None:
    contatto = do_aggiungi_contatto(
        persona, dati={"tipo": TipoContatto.EMAIL, "valore": "maria@esempio.it"}, acting_user=anna
    )
    _una(nuove_righe(), TipoEvento.CREAZIONE, contatto, anna)
    pk = contatto.pk
    do_elimina_contatto(contatto, acting_user=anna)
    riga = _una(nuove_righe(), TipoEvento.ELIMINAZIONE, contatto, anna, pk)
    assert riga.modifiche["valore"] == {"prima": "maria@esempio.it", "dopo": None}
    assert not Contatto.objects.senza_scope().exists()


def test_a_link_is_added_then_deleted(persona: Persona, anna: Utente, nuove_righe: Righe) -> None:
    legame = do_aggiungi_legame(
        persona,
        dati={"tipo": TipoLegame.VOLONTARIO, "esterno_nome": "Associazione Insieme"},
        acting_user=anna,
    )
    _una(nuove_righe(), TipoEvento.CREAZIONE, legame, anna)
    pk = legame.pk
    do_elimina_legame(legame, acting_user=anna)
    _una(nuove_righe(), TipoEvento.ELIMINAZIONE, legame, anna, pk)
    assert not LegameRete.objects.senza_scope().exists()


def test_a_nucleo_and_its_members(
    enti: Enti, persona: Persona, anna: Utente, nuove_righe: Righe
) -> None:
    nucleo = do_crea_nucleo(
        ente=enti.comune_a,
        dati={"tipo": TipoNucleo.FAMIGLIA_ANAGRAFICA, "denominazione": "Famiglia Rossi"},
        acting_user=anna,
    )
    _una(nuove_righe(), TipoEvento.CREAZIONE, nucleo, anna)
    do_modifica_nucleo(nucleo, {"note": "Sfratto in corso"}, acting_user=anna)
    _una(nuove_righe(), TipoEvento.MODIFICA, nucleo, anna)
    membro = do_aggiungi_membro(
        nucleo,
        persona,
        dati={"relazione": Relazione.DICHIARANTE, "dal": dt.date(2024, 1, 1)},
        acting_user=anna,
    )
    riga = _una(nuove_righe(), TipoEvento.CREAZIONE, membro, anna)
    assert riga.modifiche["relazione"]["dopo"] == "D"
    do_modifica_membro(membro, {"al": dt.date(2025, 6, 30)}, acting_user=anna)
    riga = _una(nuove_righe(), TipoEvento.MODIFICA, membro, anna)
    assert riga.modifiche == {"al": {"prima": None, "dopo": "2025-06-30"}}
    assert Membro.objects.senza_scope().get().al == dt.date(2025, 6, 30)
    assert Nucleo.objects.senza_scope().count() == 1
