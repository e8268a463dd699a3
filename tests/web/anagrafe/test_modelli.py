"""The anagrafe's data rules: codice fiscale per ente, consistency, contacts, addresses, nuclei,
rete sociale."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from equo.isee.model import RapportoConDichiarante
from equo.web.anagrafe.models import (
    Contatto,
    Indirizzo,
    LegameRete,
    Membro,
    Nucleo,
    Persona,
    Relazione,
    TipoContatto,
    TipoIndirizzo,
    TipoLegame,
    TipoNucleo,
)
from tests.web.anagrafe.fabbrica import dati_persona, nuova_persona
from tests.web.conftest import Enti

pytestmark = pytest.mark.django_db


def _errori(oggetto: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as errore:
        oggetto.full_clean()  # type: ignore[attr-defined]
    return errore.value.message_dict


def test_relationships_are_the_dsu_codes() -> None:
    assert set(Relazione.values) == {r.value for r in RapportoConDichiarante}


def test_a_codice_fiscale_is_unique_in_its_ente_only(enti: Enti) -> None:
    prima = nuova_persona(enti.comune_a)
    assert nuova_persona(enti.comune_b).codice_fiscale == prima.codice_fiscale
    doppione = Persona(ente=enti.comune_a, **dati_persona())  # type: ignore[arg-type]
    assert "Esiste già una persona" in str(_errori(doppione))
    with pytest.raises(IntegrityError), transaction.atomic():
        doppione.save()


@pytest.mark.parametrize(
    ("campo", "valore", "errato"),
    [
        ("data_nascita", dt.date(1980, 3, 16), "data_nascita"),
        ("sesso", "M", "sesso"),
        ("nascita_codice_catastale", "A518", "nascita_codice_catastale"),
        ("codice_fiscale", "RSSMRA80C55L219X", "codice_fiscale"),
        ("cittadinanza", "XX", "cittadinanza"),
    ],
)
def test_data_contradicting_the_codice_fiscale_is_refused(
    enti: Enti, campo: str, valore: object, errato: str
) -> None:
    persona = Persona(ente=enti.comune_a, **{**dati_persona(), campo: valore})  # type: ignore[arg-type]
    assert errato in _errori(persona)


def test_the_place_named_by_the_code_is_in_the_message(enti: Enti) -> None:
    persona = Persona(ente=enti.comune_a, **{**dati_persona(), "nascita_codice_catastale": "A518"})  # type: ignore[arg-type]
    assert "«Torino (TO)»" in _errori(persona)["nascita_codice_catastale"][0]


def test_the_search_key_follows_the_name(enti: Enti) -> None:
    persona = nuova_persona(enti.comune_a, cognome="D'Àngelo", nome="Nicolò", sesso="M")
    assert persona.chiave_ricerca == " d angelo nicolo dangelo "


@pytest.mark.parametrize(
    ("codice", "classe"), [("IT", "italiana"), ("RO", "ue"), ("MA", "extra_ue")]
)
def test_citizenship_classes_match_the_regolamenti_vocabulary(
    enti: Enti, codice: str, classe: str
) -> None:
    persona = nuova_persona(enti.comune_a)
    persona.cittadinanza = codice
    assert persona.classe_cittadinanza == classe


def test_contacts_are_checked_and_normalised(enti: Enti) -> None:
    persona = nuova_persona(enti.comune_a)
    telefono = Contatto(
        ente=enti.comune_a, persona=persona, tipo=TipoContatto.TELEFONO, valore="+39 333.123-4567"
    )
    telefono.full_clean()
    assert telefono.valore == "+393331234567"
    pec = Contatto(ente=enti.comune_a, persona=persona, tipo=TipoContatto.PEC, valore="A@PEC.IT")
    pec.full_clean()
    assert pec.valore == "A@pec.it"
    for tipo, valore in [(TipoContatto.TELEFONO, "123"), (TipoContatto.EMAIL, "mario@")]:
        sbagliato = Contatto(ente=enti.comune_a, persona=persona, tipo=tipo, valore=valore)
        assert "valore" in _errori(sbagliato)


def test_an_address_needs_a_known_comune_and_one_of_its_cap(enti: Enti) -> None:
    persona = nuova_persona(enti.comune_a)

    def indirizzo(cap: str, istat: str = "001013") -> Indirizzo:
        return Indirizzo(
            ente=enti.comune_a,
            persona=persona,
            tipo=TipoIndirizzo.RESIDENZA,
            via="Via Roma",
            civico="1",
            cap=cap,
            comune_codice_istat=istat,
            comune="Avigliana (TO)",
        )

    indirizzo("10051").full_clean()
    assert "10051" in _errori(indirizzo("10121"))["cap"][0]
    assert "comune_codice_istat" in _errori(indirizzo("10051", istat="999999"))


def test_rows_of_two_entes_cannot_be_linked(enti: Enti) -> None:
    persona = nuova_persona(enti.comune_a)
    contatto = Contatto(
        ente=enti.comune_b, persona=persona, tipo=TipoContatto.TELEFONO, valore="0000123456"
    )
    assert "enti diversi" in str(_errori(contatto))


@pytest.fixture
def famiglia(enti: Enti) -> Nucleo:
    return Nucleo.objects.create(
        ente=enti.comune_a, tipo=TipoNucleo.FAMIGLIA_ANAGRAFICA, denominazione="Famiglia Rossi"
    )


def _membro(nucleo: Nucleo, persona: Persona, relazione: Relazione, **date: object) -> Membro:
    return Membro(ente=nucleo.ente, nucleo=nucleo, persona=persona, relazione=relazione, **date)  # type: ignore[misc]


def test_the_relationship_must_fit_the_age(enti: Enti, famiglia: Nucleo) -> None:
    adulta = nuova_persona(enti.comune_a)
    bambino = nuova_persona(enti.comune_a, nome="Luca", sesso="M", nascita=dt.date(2020, 1, 1))
    assert "relazione" in _errori(_membro(famiglia, adulta, Relazione.FIGLIO_MINORENNE))
    assert "relazione" in _errori(
        _membro(famiglia, bambino, Relazione.FIGLIO_MAGGIORENNE_CONVIVENTE)
    )
    _membro(famiglia, bambino, Relazione.FIGLIO_MINORENNE).full_clean()


def test_one_intestatario_and_one_famiglia_anagrafica_at_a_time(
    enti: Enti, famiglia: Nucleo
) -> None:
    maria = nuova_persona(enti.comune_a)
    mario = nuova_persona(enti.comune_a, nome="Mario", sesso="M")
    _membro(famiglia, maria, Relazione.DICHIARANTE).save()
    assert "relazione" in _errori(_membro(famiglia, mario, Relazione.DICHIARANTE))
    assert "persona" in _errori(_membro(famiglia, maria, Relazione.CONIUGE))
    altra = Nucleo.objects.create(
        ente=enti.comune_a, tipo=TipoNucleo.FAMIGLIA_ANAGRAFICA, denominazione="Altra"
    )
    assert "altra famiglia" in str(_errori(_membro(altra, maria, Relazione.DICHIARANTE)))
    # A nucleo ISEE is another matter: the same person may be in it.
    isee = Nucleo.objects.create(
        ente=enti.comune_a, tipo=TipoNucleo.NUCLEO_ISEE, denominazione="ISEE Rossi"
    )
    _membro(isee, maria, Relazione.DICHIARANTE).full_clean()
    # Once she has left (al), she may join another famiglia anagrafica.
    uscita = Membro.objects.senza_scope().get(persona=maria)
    uscita.al = dt.date(2025, 1, 31)
    uscita.dal = dt.date(2024, 1, 1)
    uscita.save()
    _membro(altra, maria, Relazione.DICHIARANTE, dal=dt.date(2025, 2, 1)).full_clean()
    assert "al" in _errori(
        _membro(altra, mario, Relazione.CONIUGE, dal=dt.date(2025, 2, 1), al=dt.date(2025, 1, 1))
    )


def test_a_link_is_to_a_person_or_to_someone_outside_not_both_nor_oneself(enti: Enti) -> None:
    maria = nuova_persona(enti.comune_a)
    mario = nuova_persona(enti.comune_a, nome="Mario", sesso="M")

    def legame(**campi: object) -> LegameRete:
        return LegameRete(ente=enti.comune_a, persona=maria, tipo=TipoLegame.VICINO, **campi)  # type: ignore[misc]

    legame(persona_collegata=mario).full_clean()
    legame(esterno_nome="Giulia Bianchi").full_clean()
    assert "non entrambi" in str(_errori(legame(persona_collegata=mario, esterno_nome="X")))
    assert "non entrambi" in str(_errori(legame()))
    assert "sé stessa" in str(_errori(legame(persona_collegata=maria)))
    fuori = nuova_persona(enti.comune_b)
    assert "enti diversi" in str(_errori(legame(persona_collegata=fuori)))
