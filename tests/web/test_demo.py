"""Demo data: real enti, invented staff for every role, loaded once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from stdnum.it import codicefiscale

from equo.web.accounts.models import Utente
from equo.web.demo import PASSWORD_DEMO, carica_demo
from equo.web.enti.models import Ente, Incarico, Ruolo, TipoEnte

pytestmark = pytest.mark.django_db


def test_it_creates_an_unione_of_four_real_comuni_and_another_ente() -> None:
    carica_demo()
    unione = Ente.objects.get(codice_ipa="uc_valdesempio")
    assert sorted(unione.inferiori.values_list("codice_istat", flat=True)) == [
        "001006",
        "001013",
        "001055",
        "001093",
    ]
    torino = Ente.objects.get(codice_istat="001272")
    assert torino.tipo == TipoEnte.COMUNE and torino.superiore == unione.superiore


def test_every_role_has_a_demo_account_that_can_log_in() -> None:
    carica_demo()
    assert set(Incarico.objects.values_list("ruolo", flat=True)) == set(Ruolo)
    anna = Utente.objects.get(username="anna")
    assert anna.check_password(PASSWORD_DEMO)
    assert codicefiscale.is_valid(anna.codice_fiscale or "")


def test_loading_twice_changes_nothing() -> None:
    carica_demo()
    prima = (Ente.objects.count(), Utente.objects.count(), Incarico.objects.count())
    carica_demo()
    assert (Ente.objects.count(), Utente.objects.count(), Incarico.objects.count()) == prima


@override_settings(PRODUZIONE=True)
def test_the_command_refuses_to_run_in_production() -> None:
    with pytest.raises(CommandError, match="produzione"):
        call_command("equo_demo")
    assert not Ente.objects.exists()
