"""The whole path in the pages (test client): accesso → caso → analisi → progetto →
approvazione → erogazione → monitoraggio → valutazione finale → chiusura → riapertura."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Persona
from equo.web.cartella.models import Accesso, Caso, Intervento, Obiettivo, Progetto, StatoCaso
from tests.web.conftest import Enti

pytestmark = pytest.mark.django_db


def _ok(risposta: object) -> None:
    assert getattr(risposta, "status_code", None) == 302, getattr(risposta, "content", b"")[:3000]


def test_a_social_worker_runs_a_case_from_first_contact_to_closure(
    enti: Enti,
    anna: Utente,
    franco: Utente,
    persona_di_anna: Persona,
    client_di: Callable[[Utente], Client],
) -> None:
    a, f = client_di(anna), client_di(franco)
    assert a.get(reverse("cartella:miei_casi")).status_code == 200
    _ok(
        a.post(
            reverse("cartella:nuovo_accesso"),
            {
                "persona": persona_di_anna.pk,
                "data": "2026-01-10",
                "canale": "sportello",
                "richiedente": "L'interessata",
                "bisogno_espresso": "Sfratto.",
                "area": "poverta",
                "urgenza": "ordinaria",
                "esito": "apertura_caso",
            },
        )
    )
    accesso = Accesso.objects.senza_scope().get()
    _ok(
        a.post(
            reverse("cartella:apri_caso", kwargs={"pk": accesso.pk}),
            {
                "persona": persona_di_anna.pk,
                "area": "poverta",
                "case_manager": anna.pk,
                "aperto_il": "2026-01-10",
                "approvazione_richiesta": "on",
            },
        )
    )
    caso = Caso.objects.senza_scope().get()
    pk = {"pk": caso.pk}

    def passa(verso: str, client: Client = a, motivo: str = "") -> None:
        url = reverse("cartella:transizione", kwargs={**pk, "verso": verso})
        _ok(client.post(url, {"motivo": motivo}))

    passa("in_valutazione")
    analisi = {"data_analisi": "2026-01-12", "esito": "progetto_semplice", "sintesi": "Semplice."}
    for dimensione in ("salute", "economica", "lavoro", "istruzione", "abitazione", "reti"):
        analisi[f"livello_{dimensione}"] = "lieve"
    _ok(a.post(reverse("cartella:modifica_analisi", kwargs=pk), analisi))
    _ok(
        a.post(
            reverse("cartella:nuovo_progetto", kwargs=pk),
            {"descrizione": "Casa e lavoro.", "data_accordo": "2026-01-15"},
        )
    )
    progetto = {"pk": Progetto.objects.senza_scope().get().pk}
    for descrizione in ("Mantenere la casa", "Trovare lavoro"):
        _ok(
            a.post(
                reverse("cartella:nuovo_obiettivo", kwargs=progetto),
                {
                    "persona": persona_di_anna.pk,
                    "descrizione": descrizione,
                    "risultato_atteso": "Sì",
                    "indicatore": "Documenti",
                    "scadenza": "2026-07-01",
                },
            )
        )
    for codice in ("A1.05.01", "A1.04"):
        _ok(
            a.post(
                reverse("cartella:nuovo_intervento", kwargs=progetto),
                {"codice_siuss": codice, "erogatore": "Comune", "inizio": "2026-01-15"},
            )
        )
    _ok(f.post(reverse("cartella:approva_progetto", kwargs=progetto), {}))
    passa("progetto_attivo")
    intervento = Intervento.objects.senza_scope().order_by("pk").first()
    assert intervento is not None
    _ok(
        a.post(
            reverse("cartella:nuova_erogazione", kwargs={"pk": intervento.pk}),
            {
                "dal": "2026-01-15",
                "al": "2026-02-14",
                "importo": "300",
                "quota_ente": "300",
                "quota_utente": "0",
                "quota_ssn": "0",
            },
        )
    )
    passa("in_monitoraggio")
    _ok(
        a.post(
            reverse("cartella:nuova_voce", kwargs=pk),
            {"data": "2026-02-01", "tipo": "visita_domiciliare", "testo": "Casa in ordine."},
        )
    )
    for obiettivo in Obiettivo.objects.senza_scope().all():
        _ok(
            a.post(
                reverse("cartella:esito_obiettivo", kwargs={"pk": obiettivo.pk}),
                {"esito_finale": "raggiunto"},
            )
        )
    _ok(
        a.post(
            reverse("cartella:chiusura", kwargs=pk),
            {
                "data_chiusura": "2026-03-01",
                "motivo": "bisogno_risolto",
                "valutazione_finale": "Obiettivi raggiunti.",
            },
        )
    )
    caso.refresh_from_db()
    assert caso.stato == StatoCaso.CHIUSO
    pagina = a.get(reverse("cartella:caso", kwargs=pk)).content.decode()
    assert "SINBA 4" in pagina
    passa("aperto", client=f, motivo="Nuova richiesta della famiglia")
    caso.refresh_from_db()
    assert caso.stato == StatoCaso.APERTO
