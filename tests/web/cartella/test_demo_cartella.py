"""The demo data: Anna follows cases in different states, written through the actions."""

from __future__ import annotations

import pytest

from equo.web.cartella.models import Caso, StatoCaso
from equo.web.demo import carica_demo

pytestmark = pytest.mark.django_db


def test_the_demo_gives_anna_cases_in_different_states() -> None:
    carica_demo()
    stati = sorted(
        Caso.objects.senza_scope()
        .filter(case_manager__username="anna")
        .values_list("stato", flat=True)
    )
    assert stati == sorted([StatoCaso.APERTO, StatoCaso.PROGETTO_ATTIVO, StatoCaso.CHIUSO])
