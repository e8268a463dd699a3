"""Work views: the ente's case list (filters, scoping, pinned query count) and the person's
timeline (only what the viewer may read)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from equo.web.accounts.models import Utente
from equo.web.anagrafe.models import Persona
from equo.web.cartella.models import AreaUtenza, Caso, Intervento, StatoCaso, VoceDiario
from tests.web.anagrafe.fabbrica import nuova_persona
from tests.web.cartella import fabbrica
from tests.web.conftest import Enti

pytestmark = pytest.mark.django_db

ClientDi = Callable[[Utente], Client]
ELENCO = reverse("cartella:casi_ente")


def _casi(risposta: Any) -> set[int]:
    return {caso.pk for caso in risposta.context["pagina"].object_list}


@pytest.fixture
def caso_di_marco(enti: Enti, marco: Utente) -> Caso:
    persona = nuova_persona(enti.comune_a, nome="Luca", cognome="Bianchi")
    Persona.objects.senza_scope().filter(pk=persona.pk).update(residenza_comune="Pinerolo")
    caso = fabbrica.nuovo_caso(enti.comune_a, marco, persona)
    Caso.objects.senza_scope().filter(pk=caso.pk).update(area=AreaUtenza.DISABILITA)
    return caso


@pytest.mark.parametrize(
    ("nome", "attesi"),
    [
        ("franco", {"anna", "marco"}),  # responsabile di servizio: the whole ente
        ("anna", {"anna"}),  # case manager: only her own
        ("marco", {"marco"}),  # colleague: only his own, never Anna's
        ("sara", set()),  # équipe member of Anna's case: the list is not for the équipe
        ("carla", set()),  # outsider ente
    ],
)
def test_the_case_list_shows_only_what_the_user_may_see(
    nome: str,
    attesi: set[str],
    caso_di_anna: Caso,
    caso_di_marco: Caso,
    request: pytest.FixtureRequest,
    client_di: ClientDi,
) -> None:
    casi = {"anna": caso_di_anna.pk, "marco": caso_di_marco.pk}
    risposta = client_di(request.getfixturevalue(nome)).get(ELENCO)
    assert risposta.status_code == 200
    assert _casi(risposta) == {casi[n] for n in attesi}


@pytest.mark.parametrize(
    ("filtro", "chi"),
    [
        ({"area": AreaUtenza.DISABILITA}, "marco"),
        ({"area": AreaUtenza.POVERTA}, "anna"),
        ({"stato": StatoCaso.IN_VALUTAZIONE}, "anna"),
        ({"stato": StatoCaso.APERTO}, "marco"),
        ({"comune": "pinerolo"}, "marco"),
        ({"operatore": "anna"}, "anna"),
    ],
)
def test_the_case_list_filters(
    filtro: dict[str, str],
    chi: str,
    caso_di_anna: Caso,
    caso_di_marco: Caso,
    anna: Utente,
    franco: Utente,
    client_di: ClientDi,
) -> None:
    if filtro.get("operatore") == "anna":
        filtro = {"operatore": str(anna.pk)}
    risposta = client_di(franco).get(ELENCO, filtro)
    atteso = caso_di_anna if chi == "anna" else caso_di_marco
    assert _casi(risposta) == {atteso.pk}


def test_the_case_list_ignores_an_operator_outside_the_list(
    caso_di_anna: Caso, marco: Utente, carla: Utente, client_di: ClientDi
) -> None:
    """Marco cannot probe Anna's cases by picking her as operator (not among his choices)."""
    risposta = client_di(marco).get(ELENCO, {"operatore": str(caso_di_anna.case_manager_id)})
    assert caso_di_anna.pk not in _casi(risposta)


def test_the_case_list_runs_a_fixed_number_of_queries(
    enti: Enti,
    anna: Utente,
    franco: Utente,
    client_di: ClientDi,
    django_assert_num_queries: Any,
) -> None:
    client = client_di(franco)
    fabbrica.nuovo_caso(enti.comune_a, anna, nuova_persona(enti.comune_a, nome="Elena"))
    client.get(ELENCO)  # warm the session
    with django_assert_num_queries(QUERY_ELENCO):
        client.get(ELENCO, {"stato": StatoCaso.APERTO})
    for numero in range(3):
        fabbrica.nuovo_caso(
            enti.comune_a,
            anna,
            nuova_persona(enti.comune_a, nome=["Paolo", "Giulia", "Carlo"][numero]),
        )
    with django_assert_num_queries(QUERY_ELENCO):
        risposta = client.get(ELENCO, {"stato": StatoCaso.APERTO})
    assert len(_casi(risposta)) == 4


#: Session, user, incarichi and menu permissions (the header's token links included), the
#: configured areas of the filter, the operators, the count and the page: the same with one
#: case or many (no query per row).
QUERY_ELENCO = 12


# --- Timeline -----------------------------------------------------------------------------------


def _cronologia(client: Client, persona: Persona) -> Any:
    return client.get(reverse("cartella:cronologia", kwargs={"pk": persona.pk}))


def test_the_case_manager_sees_the_whole_timeline(
    caso_di_anna: Caso,
    accesso_di_anna: Any,
    persona_di_anna: Persona,
    anna: Utente,
    client_di: ClientDi,
) -> None:
    pagina = _cronologia(client_di(anna), persona_di_anna)
    assert pagina.status_code == 200
    html = pagina.content.decode()
    assert reverse("cartella:accesso", kwargs={"pk": accesso_di_anna.pk}) in html
    assert reverse("cartella:caso", kwargs={"pk": caso_di_anna.pk}) in html
    assert "Inizio intervento" in html
    for voce in VoceDiario.objects.senza_scope().filter(caso=caso_di_anna):
        assert reverse("cartella:voce", kwargs={"pk": voce.pk}) in html


def test_the_equipe_member_does_not_see_the_riservata_entry(
    caso_di_anna: Caso, persona_di_anna: Persona, sara: Utente, client_di: ClientDi
) -> None:
    html = _cronologia(client_di(sara), persona_di_anna).content.decode()
    assert reverse("cartella:caso", kwargs={"pk": caso_di_anna.pk}) in html
    ordinaria = VoceDiario.objects.senza_scope().get(caso=caso_di_anna, riservata=False)
    riservata = VoceDiario.objects.senza_scope().get(caso=caso_di_anna, riservata=True)
    assert reverse("cartella:voce", kwargs={"pk": ordinaria.pk}) in html
    assert reverse("cartella:voce", kwargs={"pk": riservata.pk}) not in html


def test_a_colleague_not_on_the_case_sees_no_case_content(
    caso_di_anna: Caso, persona_di_anna: Persona, marco: Utente, client_di: ClientDi
) -> None:
    """Marco reads the person in the anagrafe, but nothing of Anna's case."""
    pagina = _cronologia(client_di(marco), persona_di_anna)
    assert pagina.status_code == 200
    html = pagina.content.decode()
    assert reverse("cartella:caso", kwargs={"pk": caso_di_anna.pk}) not in html
    assert "Inizio intervento" not in html
    assert "/cartella/diario/" not in html
    assert Intervento.objects.senza_scope().filter(progetto__caso=caso_di_anna).exists()


def test_the_outsider_gets_404(
    caso_di_anna: Caso, persona_di_anna: Persona, carla: Utente, client_di: ClientDi
) -> None:
    assert _cronologia(client_di(carla), persona_di_anna).status_code == 404


def test_reading_the_timeline_is_audited(
    caso_di_anna: Caso, persona_di_anna: Persona, anna: Utente, client_di: ClientDi
) -> None:
    from equo.web.audit.models import AuditEvent, TipoEvento

    _cronologia(client_di(anna), persona_di_anna)
    riga = AuditEvent.objects.senza_scope().filter(tipo=TipoEvento.LETTURA).order_by("-pk").first()
    assert riga is not None
    assert (riga.oggetto_tipo, riga.oggetto_id) == ("anagrafe.persona", str(persona_di_anna.pk))
    assert riga.dettagli == {"vista": "cronologia"}
