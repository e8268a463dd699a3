"""Aree utenza "others as configured": the seeded table and its ISTAT mapping, a configured
area offered and accepted, a retired or unknown one refused (an old row keeps its own), the
labels on the pages and the API filter."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Persona
from equo.web.cartella import actions
from equo.web.cartella.models import Accesso, AreaConfigurata, AreaIstat, AreaUtenza, Caso
from equo.web.cartella.models.area import etichetta_area
from tests.web.cartella import fabbrica
from tests.web.conftest import Enti

pytestmark = pytest.mark.django_db

ClientDi = Callable[[Utente], Client]

#: The seeded areas and the ISTAT area each maps to (SDMX codes of the survey "Interventi e
#: servizi sociali dei comuni singoli o associati").
SEMINATE = {
    "famiglia_minori": ("Famiglia e minori", AreaIstat.FAM),
    "disabilita": ("Disabilità e non autosufficienza", AreaIstat.DIS),
    "poverta": ("Povertà ed esclusione sociale", AreaIstat.POV),
    "anziani": ("Anziani", AreaIstat.ELD),
    "dipendenze": ("Dipendenze", AreaIstat.ADD),
    "immigrati": ("Immigrati, Rom, Sinti e Caminanti", AreaIstat.IMMNOM),
    "disagio_adulti": ("Disagio adulti e senza dimora", AreaIstat.POV),
    "multiutenza": ("Multiutenza", AreaIstat.MULBEN),
}


def test_the_seeded_areas_and_their_istat_mapping(db: None) -> None:
    righe = {
        a.codice: (a.etichetta, a.area_istat) for a in AreaConfigurata.objects.filter(attiva=True)
    }
    assert righe == SEMINATE
    for codice in AreaUtenza.values:  # the built-in constants are seeded rows
        assert etichetta_area(codice) == AreaUtenza(codice).label


def _accesso(enti: Enti, anna: Utente, persona: Persona, area: str) -> Accesso:
    return actions.do_registra_accesso(
        ente=enti.comune_a,
        dati={
            "persona": persona,
            "data": fabbrica.INIZIO,
            "canale": "sportello",
            "richiedente": "L'interessato",
            "bisogno_espresso": "Solitudine.",
            "area": area,
            "esito": "informazione",
        },
        acting_user=anna,
    )


def test_a_configured_area_is_offered_and_used(
    enti: Enti, anna: Utente, persona_di_anna: Persona, client_di: ClientDi
) -> None:
    AreaConfigurata.objects.create(
        codice="salute_mentale", etichetta="Salute mentale", area_istat=AreaIstat.MULBEN, ordine=5
    )
    client = client_di(anna)
    modulo = client.get(reverse("cartella:nuovo_accesso"))
    scelte = dict(modulo.context["form"].fields["area"].choices)
    assert scelte["salute_mentale"] == "Salute mentale"
    assert "anziani" in scelte
    accesso = _accesso(enti, anna, persona_di_anna, "salute_mentale")
    pagina = client.get(reverse("cartella:accesso", kwargs={"pk": accesso.pk}))
    assert pagina.context["area"] == "Salute mentale"
    caso = fabbrica.nuovo_caso(enti.comune_a, anna, persona_di_anna)
    Caso.objects.senza_scope().filter(pk=caso.pk).update(area="salute_mentale")
    elenco = client.get(reverse("cartella:casi_ente"), {"area": "salute_mentale"})
    assert [c.area_etichetta for c in elenco.context["pagina"]] == ["Salute mentale"]


@pytest.mark.parametrize("codice", ["inventata", "anziani_ritirata"])
def test_an_unknown_or_retired_area_is_refused(
    enti: Enti, anna: Utente, persona_di_anna: Persona, client_di: ClientDi, codice: str
) -> None:
    AreaConfigurata.objects.create(
        codice="anziani_ritirata", etichetta="Vecchia", area_istat=AreaIstat.ELD, attiva=False
    )
    with pytest.raises(ValidationError) as errore:
        _accesso(enti, anna, persona_di_anna, codice)
    assert errore.value.message_dict["area"] == [
        f"L'area utenza «{codice}» non è tra quelle attive."
    ]
    with pytest.raises(ValidationError) as errore:
        actions.do_apri_caso(
            ente=enti.comune_a,
            persona=persona_di_anna,
            area=codice,
            case_manager=anna,
            aperto_il=fabbrica.INIZIO,
            acting_user=anna,
        )
    assert "area" in errore.value.message_dict
    risposta = client_di(anna).post(
        reverse("cartella:nuovo_accesso"),
        {
            "persona": persona_di_anna.pk,
            "data": "2026-01-10",
            "canale": "sportello",
            "richiedente": "X",
            "bisogno_espresso": "Y",
            "area": codice,
            "urgenza": "ordinaria",
            "esito": "informazione",
        },
    )
    assert risposta.context["form"].errors["area"]  # not among the choices
    assert not Accesso.objects.senza_scope().exists()
    assert not Caso.objects.senza_scope().exists()


def test_a_row_keeps_its_retired_area_on_unrelated_edits(
    enti: Enti, anna: Utente, persona_di_anna: Persona
) -> None:
    accesso = _accesso(enti, anna, persona_di_anna, "anziani")
    AreaConfigurata.objects.filter(codice="anziani").update(attiva=False)
    caso = fabbrica.nuovo_caso(enti.comune_a, anna, persona_di_anna, accesso=accesso)
    accesso.refresh_from_db()
    assert accesso.esito == "apertura_caso"  # the accesso was re-validated and saved
    assert accesso.area == "anziani"
    assert caso.area == AreaUtenza.POVERTA
    with pytest.raises(ValidationError):  # but it cannot be chosen for a new row
        _accesso(enti, anna, persona_di_anna, "anziani")


def test_the_case_list_filter_offers_every_configured_area(
    enti: Enti, anna: Utente, client_di: ClientDi
) -> None:
    AreaConfigurata.objects.filter(codice="dipendenze").update(attiva=False)
    risposta = client_di(anna).get(reverse("cartella:casi_ente"))
    scelte = dict(risposta.context["filtri"].fields["area"].choices)
    assert scelte["dipendenze"] == "Dipendenze"  # retired: still searchable
    assert scelte["multiutenza"] == "Multiutenza"


def test_the_api_filters_cases_by_any_area_code(
    enti: Enti, anna: Utente, persona_di_anna: Persona, client_di: ClientDi
) -> None:
    fabbrica.nuovo_caso(enti.comune_a, anna, persona_di_anna)
    client = client_di(anna)
    url = reverse("api:casi")
    trovati = client.get(url, {"area": "poverta"})
    assert trovati.status_code == 200, trovati.content
    assert trovati.json()["totale"] == 1
    assert trovati.json()["risultati"][0]["area"] == "poverta"
    assert client.get(url, {"area": "anziani"}).json()["totale"] == 0
    sbagliato = client.get(url, {"area": "<script>"})
    assert sbagliato.status_code == 422
    assert "area" in sbagliato.content.decode()


def test_system_administrators_manage_the_areas_in_the_admin(
    ettore: Utente, anna: Utente, client_di: ClientDi
) -> None:
    url = reverse("admin:cartella_areaconfigurata_changelist")
    elenco = client_di(ettore).get(url)
    assert elenco.status_code == 200
    assert "Multiutenza" in elenco.content.decode()
    riga = AreaConfigurata.objects.get(codice="anziani")
    modifica = client_di(ettore).get(
        reverse("admin:cartella_areaconfigurata_change", args=[riga.pk])
    )
    assert 'name="codice"' not in modifica.content.decode()  # fixed once in use
    elimina = client_di(ettore).get(
        reverse("admin:cartella_areaconfigurata_delete", args=[riga.pk])
    )
    assert elimina.status_code == 403  # retire, never delete
    assert client_di(anna).get(url).status_code in {302, 403}


def test_missing_initial_areas_come_back_after_migrate_without_touching_edits(db: None) -> None:
    """A flush (the transactional tests' cleanup) empties the table; post_migrate, which
    follows migrate and flush, recreates the missing rows and leaves the edited ones alone."""
    AreaConfigurata.objects.filter(codice="anziani").update(etichetta="Terza età", attiva=False)
    AreaConfigurata.objects.exclude(codice="anziani").delete()
    call_command("migrate", "cartella", verbosity=0)
    righe = {a.codice: (a.etichetta, a.attiva) for a in AreaConfigurata.objects.all()}
    assert set(righe) == set(SEMINATE)
    assert righe["anziani"] == ("Terza età", False)
    assert righe["poverta"] == ("Povertà ed esclusione sociale", True)
