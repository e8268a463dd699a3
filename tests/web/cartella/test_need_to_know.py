"""Need-to-know: each persona reads exactly the sections the rules allow; everyone else gets 404."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from equo.web.accounts.models import Utente
from equo.web.cartella import actions
from equo.web.cartella.models import Caso, MembroEquipe, VoceDiario
from equo.web.cartella.permessi import Sezione, sezioni_caso
from equo.web.enti.models import Ruolo
from tests.web.conftest import Enti, crea_persona

pytestmark = pytest.mark.django_db

ClientDi = Callable[[Utente], Client]


def _voce(caso: Caso, riservata: bool) -> VoceDiario:
    return VoceDiario.objects.senza_scope().get(caso=caso, riservata=riservata)


def _pagine(caso: Caso) -> dict[str, str]:
    return {
        "caso": reverse("cartella:caso", kwargs={"pk": caso.pk}),
        "analisi": reverse("cartella:analisi", kwargs={"pk": caso.pk}),
        "quadro": reverse("cartella:quadro", kwargs={"pk": caso.pk}),
        "diario": reverse("cartella:voce", kwargs={"pk": _voce(caso, False).pk}),
        "riservata": reverse("cartella:voce", kwargs={"pk": _voce(caso, True).pk}),
        "registro": reverse("cartella:registro", kwargs={"pk": caso.pk}),
    }


#: persona → the pages she may open (every other one answers 404).
ATTESE = {
    "anna": {"caso", "analisi", "quadro", "diario", "riservata"},  # case manager
    "franco": {"caso", "analisi", "quadro", "diario", "riservata"},  # responsabile di servizio
    "sara": {"caso", "analisi", "quadro", "diario"},  # équipe, sanitario
    "dora": {"registro"},  # auditor
    "marco": set(),  # colleague of the same ente, not on the case
    "bruno": set(),  # amministrativo of the same ente
    "carla": set(),  # outsider ente
}


@pytest.mark.parametrize("nome", sorted(ATTESE))
def test_each_persona_reads_exactly_the_sections_the_rules_allow(
    nome: str, caso_di_anna: Caso, request: pytest.FixtureRequest, client_di: ClientDi
) -> None:
    utente: Utente = request.getfixturevalue(nome)
    client = client_di(utente)
    for pagina, url in _pagine(caso_di_anna).items():
        atteso = 200 if pagina in ATTESE[nome] else 404
        assert client.get(url).status_code == atteso, (nome, pagina)


def test_the_riservata_entry_is_not_even_listed_for_the_equipe(
    caso_di_anna: Caso, sara: Utente, anna: Utente, client_di: ClientDi
) -> None:
    url = reverse("cartella:caso", kwargs={"pk": caso_di_anna.pk})
    riservata = reverse("cartella:voce", kwargs={"pk": _voce(caso_di_anna, True).pk})
    assert riservata.encode() not in client_di(sara).get(url).content
    assert riservata.encode() in client_di(anna).get(url).content


def test_a_school_member_sees_the_progetto_but_not_the_analisi_nor_the_diario(
    enti: Enti, caso_di_anna: Caso, anna: Utente, client_di: ClientDi
) -> None:
    insegnante = crea_persona("ines", enti.comune_a2, Ruolo.EDUCATORE)
    actions.do_aggiungi_membro_equipe(
        caso_di_anna,
        dati={"utente": insegnante, "servizio": "Istituto comprensivo", "ruolo": "scuola"},
        acting_user=anna,
    )
    assert sezioni_caso(insegnante, caso_di_anna) == {
        Sezione.CASO,
        Sezione.QUADRO,
        Sezione.PROGETTO,
    }
    pagine = _pagine(caso_di_anna)
    client = client_di(insegnante)
    assert client.get(pagine["caso"]).status_code == 200
    assert client.get(pagine["analisi"]).status_code == 404
    assert client.get(pagine["diario"]).status_code == 404


def test_a_member_removed_from_the_equipe_loses_access_at_once(
    caso_di_anna: Caso, sara: Utente, client_di: ClientDi
) -> None:
    MembroEquipe.objects.senza_scope().filter(utente=sara).update(attivo=False)
    url = reverse("cartella:caso", kwargs={"pk": caso_di_anna.pk})
    assert client_di(sara).get(url).status_code == 404


def test_the_equipe_member_cannot_write_the_case(
    caso_di_anna: Caso, sara: Utente, client_di: ClientDi
) -> None:
    url = reverse("cartella:nuova_voce", kwargs={"pk": caso_di_anna.pk})
    assert client_di(sara).get(url).status_code == 403


def test_the_equipe_member_writes_her_own_section_of_the_quadro(
    caso_di_anna: Caso, sara: Utente, client_di: ClientDi
) -> None:
    url = reverse("cartella:contributo", kwargs={"pk": caso_di_anna.pk})
    risposta = client_di(sara).post(url, {"testo": "Valutazione sanitaria."})
    assert risposta.status_code == 302
    quadro = client_di(sara).get(reverse("cartella:quadro", kwargs={"pk": caso_di_anna.pk}))
    assert "Valutazione sanitaria." in quadro.content.decode()


def test_the_auditor_sees_who_read_the_case_but_not_its_content(
    caso_di_anna: Caso, anna: Utente, dora: Utente, client_di: ClientDi
) -> None:
    client_di(anna).get(reverse("cartella:voce", kwargs={"pk": _voce(caso_di_anna, True).pk}))
    pagina = client_di(dora).get(reverse("cartella:registro", kwargs={"pk": caso_di_anna.pk}))
    testo = pagina.content.decode()
    assert "anna" in testo
    assert "Testo riservato" not in testo
    assert "Mantenere la casa" not in testo


# --- Sections on the case page: progetto, erogazioni, chiusura (persona × section) ----------

#: persona → the sections of the case page she reads (every persona not listed gets 404).
SEZIONI_PAGINA = {
    "anna": {"progetto", "erogazioni", "chiusura"},  # case manager
    "franco": {"progetto", "erogazioni", "chiusura"},  # responsabile di servizio
    "sara": {"progetto", "chiusura"},  # équipe, sanitario
    "ines": {"progetto"},  # équipe, scuola
    "olga": {"progetto"},  # équipe, lavoro
    "alda": {"progetto"},  # équipe, altro
}
SEGNI = {
    "progetto": "Mantenere la casa",  # an objective of the progetto
    "erogazioni": 'id="titolo-erogazioni"',  # the section's heading
    "chiusura": "Valutazione finale segnata",  # the final evaluation of a past closure
}


@pytest.fixture
def caso_completo(caso_di_anna: Caso, anna: Utente, enti: Enti) -> Caso:
    """Anna's case with an erogazione, a past (reopened) closure and three more équipe
    members: school, employment and other."""
    from equo.web.cartella.models import Chiusura, Erogazione, Intervento

    intervento = Intervento.objects.senza_scope().get(progetto__caso=caso_di_anna)
    Erogazione.objects.create(
        ente_id=caso_di_anna.ente_id,
        intervento=intervento,
        dal=caso_di_anna.aperto_il,
        al=caso_di_anna.aperto_il,
        importo=123,
        note="Erogazione segnata",
    )
    Chiusura.objects.create(
        ente_id=caso_di_anna.ente_id,
        caso=caso_di_anna,
        data=caso_di_anna.aperto_il,
        motivo="bisogno_risolto",
        valutazione_finale="Valutazione finale segnata",
        riaperta=True,
    )
    for nome, ruolo in (("ines", "scuola"), ("olga", "lavoro"), ("alda", "altro")):
        actions.do_aggiungi_membro_equipe(
            caso_di_anna,
            dati={
                "utente": crea_persona(nome, enti.comune_a2, Ruolo.EDUCATORE),
                "servizio": "Servizio esterno",
                "ruolo": ruolo,
            },
            acting_user=anna,
        )
    return caso_di_anna


@pytest.mark.parametrize("nome", [*sorted(SEZIONI_PAGINA), "dora", "marco", "bruno", "carla"])
def test_each_persona_reads_on_the_case_page_exactly_her_sections(
    nome: str, caso_completo: Caso, request: pytest.FixtureRequest, client_di: ClientDi
) -> None:
    utente = (
        Utente.objects.get(username=nome)
        if nome in {"ines", "olga", "alda"}
        else request.getfixturevalue(nome)
    )
    risposta = client_di(utente).get(reverse("cartella:caso", kwargs={"pk": caso_completo.pk}))
    if nome not in SEZIONI_PAGINA:
        assert risposta.status_code == 404
        return
    assert risposta.status_code == 200
    testo = risposta.content.decode()
    for sezione, segno in SEGNI.items():
        assert (segno in testo) == (sezione in SEZIONI_PAGINA[nome]), (nome, sezione)
    assert ("Valutazione finale segnata" in testo) == (
        Sezione.CHIUSURA in sezioni_caso(utente, caso_completo)
    )
