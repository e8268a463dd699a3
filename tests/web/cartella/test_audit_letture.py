"""Audit completeness: each read of a case, an assessment or a diario entry writes one row."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from equo.web.accounts.models import Utente
from equo.web.audit.models import AuditEvent, TipoEvento
from equo.web.cartella.models import AnalisiPreliminare, Caso, QuadroAnalisi, VoceDiario

pytestmark = pytest.mark.django_db


def _letture() -> list[tuple[str, str]]:
    return list(
        AuditEvent.objects.senza_scope()
        .filter(tipo=TipoEvento.LETTURA)
        .values_list("oggetto_tipo", "oggetto_id")
    )


@pytest.mark.parametrize("pagina", ["caso", "analisi", "quadro", "voce"])
def test_each_read_writes_exactly_one_audit_row(
    pagina: str,
    caso_di_anna: Caso,
    sara: Utente,
    client_di: Callable[[Utente], Client],
) -> None:
    oggetti = {
        "caso": caso_di_anna,
        "analisi": AnalisiPreliminare.objects.senza_scope().get(caso=caso_di_anna),
        "quadro": QuadroAnalisi.objects.senza_scope().get(caso=caso_di_anna),
        "voce": VoceDiario.objects.senza_scope().filter(caso=caso_di_anna, riservata=False).first(),
    }
    oggetto = oggetti[pagina]
    assert oggetto is not None
    pk = oggetto.pk if pagina == "voce" else caso_di_anna.pk
    prima = _letture()
    risposta = client_di(sara).get(reverse(f"cartella:{pagina}", kwargs={"pk": pk}))
    assert risposta.status_code == 200
    nuove = _letture()[len(prima) :]
    assert nuove == [(oggetto._meta.label_lower, str(oggetto.pk))]
    riga = AuditEvent.objects.senza_scope().order_by("-pk").first()
    assert riga is not None
    assert riga.utente == sara
    assert riga.dettagli == {"caso": caso_di_anna.pk}


def test_a_refused_read_writes_no_reading_row(
    caso_di_anna: Caso, marco: Utente, client_di: Callable[[Utente], Client]
) -> None:
    prima = len(_letture())
    client_di(marco).get(reverse("cartella:caso", kwargs={"pk": caso_di_anna.pk}))
    assert len(_letture()) == prima
