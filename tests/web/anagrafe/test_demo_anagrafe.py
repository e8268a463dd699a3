"""Demo anagrafe: a few hundred consistent invented persons in families."""

from __future__ import annotations

from collections import Counter

import pytest

from equo.web.anagrafe.models import Indirizzo, LegameRete, Membro, Nucleo, Persona, Relazione
from equo.web.demo import carica_demo

pytestmark = pytest.mark.django_db


def test_the_demo_holds_a_few_hundred_consistent_persons_in_families() -> None:
    carica_demo()
    persone = list(Persona.objects.senza_scope().select_related("ente"))
    assert 300 <= len(persone) <= 400
    for persona in persone:
        persona.full_clean()  # codice fiscale consistent with birth date, sex and place
    per_ente = Counter(p.ente.codice_ipa for p in persone)
    assert set(per_ente) == {"c_a518", "c_a218", "c_c955", "c_b705", "c_l219"}
    assert Counter(p.cittadinanza for p in persone)["IT"] < len(persone)
    membri = list(Membro.objects.senza_scope())
    assert {m.persona_id for m in membri} == {p.pk for p in persone}
    intestatari = Counter(m.nucleo_id for m in membri if m.relazione == Relazione.DICHIARANTE)
    assert set(intestatari.values()) == {1}
    assert len(intestatari) == Nucleo.objects.senza_scope().count()
    assert Indirizzo.objects.senza_scope().count() == len(persone)
    assert LegameRete.objects.senza_scope().filter(persona_collegata__isnull=False).exists()
    assert LegameRete.objects.senza_scope().exclude(esterno_nome="").exists()
