"""The differences between two versions, in sentences; no change is ever silently missed."""

from __future__ import annotations

import copy
import datetime as dt
import types
import typing
from collections.abc import Callable, Iterator
from enum import Enum
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

from equo.regolamenti.diff import differenze
from equo.regolamenti.documento import Regolamento
from tests.regolamenti.builders import documento

D = dt.date
Percorso = tuple[str | int, ...]

FASCE: dict[str, Any] = {
    "su": "isee",
    "percentuale_di": "costo_servizio",
    "fasce": [
        {"da": 0, "a": 5000, "importo": 150},
        {"da": 5000.01, "a": 10000, "importo": 120},
        {"da": 10000.01, "percentuale": 20},
    ],
}


def ricco() -> dict[str, Any]:
    """A document with every optional part filled in."""
    return documento(
        versione="2026.1",
        ente={"nome": "Comune di Prova", "codice_istat": "001001", "codice_ipa": "c_001"},
        delibera={"organo": "Giunta", "numero": "12", "data": D(2026, 2, 1), "url": "https://x"},
        vigenza={"dal": D(2026, 4, 1), "al": D(2026, 12, 31)},
        indicatore={
            "variante": "ordinario",
            "descrizione": "ISEE",
            "validita_attestazione": 180,
            "obbligatorio": False,
        },
        campi_domanda=[{"nome": "sfratto", "tipo": "booleano", "descrizione": "Sfratto in corso"}],
        requisiti=[
            {
                "id": "isee_massimo",
                "descrizione": "ISEE fino a 15.000 euro",
                "articolo": "art. 3, c. 1, lett. a",
                "condizione": "isee <= 15000",
            },
            {"id": "residenza", "descrizione": "Residenza", "condizione": "anni_residenza >= 1"},
        ],
        ulteriori_criteri=[
            {
                "id": "patrimonio",
                "descrizione": "ISP",
                "articolo": "art. 4",
                "condizione": "isp < 1",
            }
        ],
        importo={
            "tipo": "contributo",
            "descrizione": "Contributo",
            "articolo": "art. 5",
            "calcolo": {"fasce": copy.deepcopy(FASCE)},
            "per": "mesi",
            "maggiorazioni": [
                {
                    "id": "minori",
                    "descrizione": "Minori",
                    "articolo": "art. 6",
                    "per_ogni": "numero_minorenni",
                    "oltre": 1,
                    "importo": 100,
                }
            ],
            "riduzioni": [
                {
                    "id": "altri",
                    "descrizione": "Altri benefici",
                    "articolo": "art. 7",
                    "condizione": "altri_benefici_annui > 0",
                    "percentuale": 20,
                }
            ],
            "riduzioni_cumulate": "sommate",
            "casi_particolari": [
                {
                    "id": "senza_isee",
                    "descrizione": "Senza attestazione",
                    "articolo": "art. 5, c. 2",
                    "condizione": "isee IS NULL",
                    "importo": 0,
                },
                {
                    "id": "sfrattati",
                    "descrizione": "Sfratto esecutivo",
                    "articolo": "art. 5, c. 3",
                    "condizione": "sfratto_in_corso",
                    "percentuale": 100,
                    "di": "canone_annuo",
                },
            ],
            "esenzione": {
                "isee_fino_a": 3000,
                "condizione": "assegno_inclusione",
                "articolo": "art. 8",
            },
            "soglia_erogazione": 20,
            "minimo": 50,
            "massimo": 3100,
            "arrotondamento": {"passo": 1, "modo": "per_difetto"},
            "tetto_nucleo": {"importo": 4000, "articolo": "art. 9"},
        },
        graduatoria={
            "articolo": "art. 10",
            "punteggi": [
                {
                    "id": "minori",
                    "descrizione": "Minori",
                    "articolo": "art. 10, c. 1",
                    "condizione": "numero_minorenni > 0",
                    "punti": 5,
                    "massimo": 5,
                },
                {
                    "id": "isee",
                    "descrizione": "ISEE basso",
                    "punti_espressione": "(15000 - isee) / 1000",
                },
            ],
            "ordine": [
                {
                    "espressione": "disabilita_beneficiario <> 'nessuna'",
                    "descrizione": "Precedenza alla disabilità",
                    "verso": "decrescente",
                },
                {"chiave": "punteggio", "descrizione": "Punti", "verso": "decrescente"},
                {"chiave": "isee", "descrizione": "A parità di punti", "verso": "crescente"},
            ],
            "quote_riservate": {
                "per": "comune_residenza",
                "articolo": "art. 11",
                "quote": [
                    {"valore": "001001", "percentuale": 60, "descrizione": "Capoluogo"},
                    {"valore": "001002", "percentuale": 30},
                ],
            },
        },
        stanziamento={
            "articolo": "art. 12",
            "importo": 200000,
            "riserva": {"percentuale": 5},
            "ultimo": "parziale",
        },
        note="Note.",
    )


def cambia(modifica: Callable[[dict[str, Any]], object]) -> list[str]:
    """The sentences from the rich document to the rich document changed by ``modifica``."""
    dopo = ricco()
    modifica(dopo)
    return differenze(Regolamento.model_validate(ricco()), Regolamento.model_validate(dopo))


def test_nothing_changed_means_no_sentences() -> None:
    assert (
        differenze(Regolamento.model_validate(ricco()), Regolamento.model_validate(ricco())) == []
    )


def test_it_says_how_the_vigenza_changes() -> None:
    def modifica(d: dict[str, Any]) -> None:
        d["vigenza"] = {"dal": D(2027, 1, 1)}

    assert cambia(modifica) == [
        "La vigenza passa da «dal 01/04/2026 al 31/12/2026» a «dal 01/01/2027»."
    ]


def test_it_says_how_a_condition_changes_naming_the_requisito_and_its_article() -> None:
    def modifica(d: dict[str, Any]) -> None:
        d["requisiti"][0]["condizione"] = "isee <= 18000"

    assert cambia(modifica) == [
        "Requisito «isee_massimo» (art. 3, c. 1, lett. a): la condizione passa da "
        "`isee <= 15000` a `isee <= 18000`."
    ]


def test_it_lists_requisiti_and_criteri_added_and_removed() -> None:
    def modifica(d: dict[str, Any]) -> None:
        d["requisiti"].append(
            {
                "id": "lavoro",
                "descrizione": "Occupato",
                "articolo": "art. 3, c. 2",
                "condizione": "numero_occupati > 0",
            }
        )
        d["ulteriori_criteri"] = []

    assert cambia(modifica) == [
        "Aggiunto il requisito «lavoro» (Occupato, art. 3, c. 2): `numero_occupati > 0`.",
        "Rimosso il criterio di selezione «patrimonio» (ISP, art. 4): `isp < 1`.",
    ]


def test_items_are_matched_by_id_not_by_position() -> None:
    assert cambia(lambda d: d["requisiti"].reverse()) == []
    assert cambia(lambda d: d["graduatoria"]["punteggi"].reverse()) == []


def test_it_names_a_campo_domanda_added() -> None:
    def modifica(d: dict[str, Any]) -> None:
        d["campi_domanda"].append({"nome": "mesi_affitto", "tipo": "intero", "descrizione": "Mesi"})

    assert cambia(modifica) == ["Aggiunto il campo della domanda «mesi_affitto» (intero): Mesi."]


def test_it_says_how_each_fascia_changes() -> None:
    def modifica(d: dict[str, Any]) -> None:
        fasce = d["importo"]["calcolo"]["fasce"]["fasce"]
        fasce[1]["importo"] = 100
        fasce[1]["a"] = 12000
        fasce[2]["da"] = 12000.01
        fasce[2]["a"] = 20000
        fasce.append({"da": 20000.01, "importo": 0})

    assert cambia(modifica) == [
        "Fascia 2: i limiti passano da «da 5.000,01 € a 10.000,00 €» a «da 5.000,01 € a "
        "12.000,00 €».",
        "Fascia 2 (da 5.000,01 € a 12.000,00 €): l'importo passa da 120,00 € a 100,00 €.",
        "Fascia 3: i limiti passano da «da 10.000,01 € in su» a «da 12.000,01 € a 20.000,00 €».",
        "Aggiunta la fascia 4 (da 20.000,01 € in su): 0,00 €.",
    ]


def test_it_says_when_a_fascia_is_removed_or_changes_kind_of_value() -> None:
    def modifica(d: dict[str, Any]) -> None:
        fasce = d["importo"]["calcolo"]["fasce"]["fasce"]
        fasce[1] = {"da": 5000.01, "importo": 120, "a": None}
        del fasce[2]

    assert cambia(modifica) == [
        "Fascia 2: i limiti passano da «da 5.000,01 € a 10.000,00 €» a «da 5.000,01 € in su».",
        "Rimossa la fascia 3 (da 10.000,01 € in su: 20% di «costo_servizio»).",
    ]

    def in_percentuale(d: dict[str, Any]) -> None:
        d["importo"]["calcolo"]["fasce"]["fasce"][0] = {"da": 0, "a": 5000, "percentuale": 10}

    assert cambia(in_percentuale) == [
        "Fascia 1 (da 0,00 € a 5.000,00 €): il valore passa da 150,00 € a 10% di «costo_servizio»."
    ]


def test_a_new_base_of_the_percentages_is_one_sentence_not_one_per_fascia() -> None:
    def modifica(d: dict[str, Any]) -> None:
        d["importo"]["calcolo"]["fasce"]["percentuale_di"] = "retta_mensile"

    assert cambia(modifica) == [
        "Il campo su cui si applicano le percentuali delle fasce passa da «costo_servizio» a "
        "«retta_mensile»."
    ]


def test_a_new_article_is_named_once() -> None:
    def modifica(d: dict[str, Any]) -> None:
        d["requisiti"][0]["articolo"] = "art. 4"

    assert cambia(modifica) == [
        "Requisito «isee_massimo»: l'articolo passa da «art. 3, c. 1, lett. a» a «art. 4»."
    ]


def lineare(**cambi: Any) -> dict[str, Any]:
    spec = {"su": "isee", "da": 6000, "a": 30000, "valore_da": 100, "valore_a": 480}
    return {"lineare": {**spec, **cambi}}


@pytest.mark.parametrize(
    ("prima", "dopo", "frasi"),
    [
        (
            lineare(),
            lineare(da=5000, valore_a=500),
            [
                "La soglia inferiore della retta proporzionale passa da 6.000,00 € a 5.000,00 €.",
                "Il valore alla soglia superiore della retta proporzionale passa da 480,00 € a "
                "500,00 €.",
            ],
        ),
        (
            lineare(percentuale_di="costo_servizio", valore_da=10, valore_a=90),
            lineare(percentuale_di="costo_servizio", valore_da=10, valore_a=80),
            [
                "Il valore alla soglia superiore della retta proporzionale passa da 90% di "
                "«costo_servizio» a 80% di «costo_servizio»."
            ],
        ),
        ({"fisso": 300}, {"fisso": 350}, ["L'importo fisso passa da 300,00 € a 350,00 €."]),
        (
            {"percentuale": {"percentuale": 30, "di": "costo_servizio"}},
            {"percentuale": {"percentuale": 35, "di": "costo_servizio"}},
            ["La percentuale passa da 30% a 35%."],
        ),
        (
            {"espressione": "canone_annuo - 0.14 * isee"},
            {"espressione": "canone_annuo - 0.24 * isee"},
            [
                "L'espressione dell'importo passa da `canone_annuo - 0.14 * isee` a "
                "`canone_annuo - 0.24 * isee`."
            ],
        ),
        (
            {"fisso": 300},
            lineare(),
            [
                "Il calcolo dell'importo di base passa da «importo fisso di 300,00 €» a «retta "
                "proporzionale su ISEE da 6.000,00 € a 30.000,00 €»."
            ],
        ),
    ],
)
def test_it_says_how_the_calcolo_changes(
    prima: dict[str, Any], dopo: dict[str, Any], frasi: list[str]
) -> None:
    a, b = ricco(), ricco()
    a["importo"]["calcolo"], b["importo"]["calcolo"] = prima, dopo
    assert differenze(Regolamento.model_validate(a), Regolamento.model_validate(b)) == frasi


def test_it_says_how_the_steps_after_the_calcolo_change() -> None:
    def modifica(d: dict[str, Any]) -> None:
        i = d["importo"]
        i["per"] = None
        i["maggiorazioni"][0]["importo"] = 150
        i["riduzioni"][0]["percentuale"] = 25
        i["esenzione"] = None
        i["minimo"] = None
        i["massimo"] = 2800
        i["arrotondamento"] = {"passo": 0.01}
        i["tetto_nucleo"]["importo"] = 5000

    assert cambia(modifica) == [
        "Eliminata l'esenzione (era con ISEE fino a 3.000,00 € oppure dove `assegno_inclusione`).",
        "L'arrotondamento passa da «all'euro (per difetto)» a «al centesimo (arrotondamento "
        "commerciale)».",
        "Maggiorazione «minori» (art. 6): l'importo per unità passa da 100,00 € a 150,00 €.",
        "Riduzione «altri» (art. 7): la percentuale passa da 20% a 25%.",
        "Il campo per cui si moltiplica l'importo passa da «mesi» a nessuno.",
        "Il minimo per domanda passa da 50,00 € a nessun minimo.",
        "Il massimo per domanda passa da 3.100,00 € a 2.800,00 €.",
        "Il tetto per nucleo passa da 4.000,00 € a 5.000,00 €.",
    ]


def test_it_introduces_and_removes_whole_parts() -> None:
    def senza(d: dict[str, Any]) -> None:
        d["importo"]["tetto_nucleo"] = None
        d["importo"]["maggiorazioni"] = []
        d["graduatoria"]["quote_riservate"] = None

    assert cambia(senza) == [
        "Eliminato il tetto per nucleo (era 4.000,00 €).",
        "Rimossa la maggiorazione «minori» (Minori): 100,00 € per ogni unità di "
        "«numero_minorenni» oltre la prima.",
        "Eliminate le quote riservate (erano per «comune_residenza»).",
    ]
    base = documento()
    con = documento(
        importo={"tipo": "contributo", "calcolo": {"fisso": 300}},
        graduatoria={"ordine": [{"chiave": "isee", "verso": "crescente"}]},
        stanziamento={"posti": 10},
    )
    a, b = Regolamento.model_validate(base), Regolamento.model_validate(con)
    assert differenze(a, b) == [
        "Introdotto l'importo (contributo: importo fisso di 300,00 €).",
        "Introdotta la graduatoria (ordine: isee crescente).",
        "Introdotto lo stanziamento (10 posti).",
    ]
    assert differenze(b, a) == [
        "Eliminato l'importo (era contributo: importo fisso di 300,00 €).",
        "Eliminata la graduatoria.",
        "Eliminato lo stanziamento.",
    ]


def test_it_says_how_the_graduatoria_changes() -> None:
    def modifica(d: dict[str, Any]) -> None:
        g = d["graduatoria"]
        g["punteggi"][0]["punti"] = 7
        g["punteggi"].pop(1)
        g["punteggi"].append(
            {"id": "sfratto", "descrizione": "Sfratto", "condizione": "sfratto", "punti": 4}
        )
        g["ordine"].reverse()
        g["quote_riservate"]["quote"][0]["percentuale"] = 50
        g["quote_riservate"]["quote"].append({"valore": "001003", "percentuale": 10})
        g["quote_riservate"]["residuo"] = "non_redistribuito"

    assert cambia(modifica) == [
        "Punteggio «minori» (art. 10, c. 1): i punti passano da 5 a 7.",
        "Rimosso il punteggio «isee» (ISEE basso): punti pari a `(15000 - isee) / 1000`.",
        "Aggiunto il punteggio «sfratto» (Sfratto): 4 punti se `sfratto`.",
        "L'ordine della graduatoria passa da «`disabilita_beneficiario <> 'nessuna'` "
        "(Precedenza alla disabilità) decrescente, poi punteggio (Punti) decrescente, poi isee "
        "(A parità di punti) crescente» a «isee (A parità di punti) crescente, poi punteggio "
        "(Punti) decrescente, poi `disabilita_beneficiario <> 'nessuna'` (Precedenza alla "
        "disabilità) decrescente».",
        "Quota riservata a «001001»: la percentuale passa da 60% a 50%.",
        "Aggiunta la quota riservata a «001003»: 10% dello stanziamento (al netto "
        "dell'eventuale riserva).",
        "La regola per la parte non usata delle quote riservate passa da «torna alla "
        "graduatoria generale» a «non viene redistribuita».",
    ]


def test_it_says_how_the_casi_particolari_change() -> None:
    def modifica(d: dict[str, Any]) -> None:
        casi = d["importo"]["casi_particolari"]
        casi[0]["importo"], casi[0]["percentuale"], casi[0]["di"] = None, 100, "canone_annuo"
        casi[1]["condizione"] = "sfratto_in_corso AND NOT morosita_incolpevole"
        casi.append(
            {
                "id": "fuori_comune",
                "descrizione": "Non residenti",
                "condizione": "anni_residenza IS NULL",
                "importo": 50,
            }
        )

    assert cambia(modifica) == [
        "Caso particolare «senza_isee» (art. 5, c. 2): l'importo di base passa da 0,00 € a "
        "100% di «canone_annuo».",
        "Caso particolare «sfrattati» (art. 5, c. 3): la condizione passa da `sfratto_in_corso` "
        "a `sfratto_in_corso AND NOT morosita_incolpevole`.",
        "Aggiunto il caso particolare «fuori_comune» (Non residenti): importo di base 50,00 € "
        "dove `anni_residenza IS NULL`.",
    ]


def test_a_new_order_of_the_casi_particolari_is_a_change_the_first_that_applies_wins() -> None:
    assert cambia(lambda d: d["importo"]["casi_particolari"].reverse()) == [
        "L'ordine dei casi particolari passa da «senza_isee, sfrattati» a «sfrattati, "
        "senza_isee» (si applica il primo che ricorre)."
    ]


def test_it_says_how_the_new_rules_of_the_amount_change() -> None:
    def modifica(d: dict[str, Any]) -> None:
        d["indicatore"]["obbligatorio"] = True
        d["importo"]["riduzioni_cumulate"] = "composte"
        d["importo"]["esenzione"]["condizione"] = None
        d["importo"]["soglia_erogazione"] = 25

    assert cambia(modifica) == [
        "L'attestazione ISEE diventa obbligatoria: non è più ammessa la domanda senza "
        "attestazione.",
        "Il modo di cumulare le riduzioni passa da «sommate: le percentuali delle riduzioni si "
        "sommano, fino al 100%» a «composte: ciascuna riduzione si applica a quanto resta dopo "
        "le precedenti».",
        "La condizione dell'esenzione passa da `assegno_inclusione` a nessuna.",
        "La soglia di erogazione (sotto la quale il contributo non è erogato) passa da 20,00 € "
        "a 25,00 €.",
    ]


def test_an_esenzione_by_condition_alone_is_introduced_in_words() -> None:
    prima, dopo = ricco(), ricco()
    prima["importo"]["esenzione"] = None
    dopo["importo"]["esenzione"] = {"condizione": "assegno_inclusione"}
    a, b = Regolamento.model_validate(prima), Regolamento.model_validate(dopo)
    assert differenze(a, b) == [
        "Introdotta l'esenzione: dove `assegno_inclusione`, l'importo è zero."
    ]


@pytest.mark.parametrize(
    ("modo", "parole"),
    [
        ("escludi", "«esclusione dell'ultima domanda non interamente finanziabile»"),
        ("proporzionale", "«riduzione proporzionale di tutti i contributi»"),
    ],
)
def test_it_explains_the_mode_of_the_last_domanda_in_words(modo: str, parole: str) -> None:
    def modifica(d: dict[str, Any]) -> None:
        d["stanziamento"]["ultimo"] = modo

    assert cambia(modifica) == [
        "Il trattamento dell'ultima domanda quando i fondi non bastano passa da «finanziamento "
        f"parziale dell'ultima domanda» a {parole}."
    ]


def test_it_says_how_the_stanziamento_changes() -> None:
    def modifica(d: dict[str, Any]) -> None:
        d["stanziamento"]["importo"] = 250000
        d["stanziamento"]["riserva"] = {"importo": 10000}

    assert cambia(modifica) == [
        "La riserva passa da «5% dello stanziamento» a «10.000,00 €».",
        "Lo stanziamento passa da 200.000,00 € a 250.000,00 €.",
    ]


def test_it_says_how_the_identity_and_the_indicatore_change() -> None:
    def modifica(d: dict[str, Any]) -> None:
        d["titolo"] = "Nuovo titolo"
        d["ente"]["codice_istat"] = None
        d["prestazione"]["codice_siuss"] = "A1.05.01"
        d["delibera"]["data"] = D(2026, 3, 1)
        d["indicatore"]["variante"] = "corrente"
        d["indicatore"]["validita_attestazione"] = "legale"

    assert cambia(modifica) == [
        "Il titolo passa da «Regolamento di prova» a «Nuovo titolo».",
        "Il codice ISTAT dell'ente passa da «001001» a nessuno.",
        "Il codice SIUSS della prestazione passa da A1.04 («Contributi economici a integrazione "
        "del reddito Familiare») a A1.05.01 («Contributi economici per affitti erogati dai "
        "Comuni»).",
        "La data della delibera passa da 01/02/2026 a 01/03/2026.",
        "La variante dell'ISEE passa da «ordinario» a «corrente».",
        "La validità dell'attestazione passa da «DSU presentata al più 180 giorni prima della "
        "domanda» a «attestazione valida per legge alla data della domanda».",
    ]


def test_a_field_without_its_own_wording_falls_back_to_a_generic_sentence() -> None:
    a = Regolamento.model_validate(ricco())
    b = a.model_copy(update={"formato": "equo-regolamento/1", "codice": a.codice})
    assert differenze(a, b) == []
    punteggi = list(a.graduatoria.punteggi) if a.graduatoria else []
    punteggi[1] = punteggi[1].model_copy(update={"id": "minori"})  # ids no longer unique
    assert a.graduatoria is not None
    c = a.model_copy(
        update={"graduatoria": a.graduatoria.model_copy(update={"punteggi": punteggi})}
    )
    assert differenze(a, c) == ["Il campo «graduatoria.punteggi[1].id» passa da «isee» a «minori»."]


# --- every change is reported --------------------------------------------------------------


def _campi(modello: BaseModel) -> Iterator[tuple[str, Any, Any]]:
    for nome, info in type(modello).model_fields.items():
        yield nome, getattr(modello, nome), info.annotation


def nodi(
    oggetto: Any, percorso: Percorso = (), tipo: Any = None
) -> Iterator[tuple[Percorso, Any, Any]]:
    """Every (path, value, annotation) of a document, parts and leaves, list items included."""
    if percorso:
        yield percorso, oggetto, tipo
    if isinstance(oggetto, BaseModel):
        for nome, valore, annotazione in _campi(oggetto):
            yield from nodi(valore, (*percorso, nome), annotazione)
    elif isinstance(oggetto, list):
        for i, voce in enumerate(oggetto):
            yield from nodi(voce, (*percorso, i), None)


_TOGLI = object()


def sostituisci(oggetto: Any, percorso: Percorso, valore: Any) -> Any:
    """``oggetto`` with ``valore`` at ``percorso`` (``_TOGLI``: the list item removed).

    ``model_copy`` does not validate: a change that breaks a rule of the document (two fasce
    no longer contiguous) is still a change the diff must report.
    """
    testa, *resto = percorso
    if isinstance(oggetto, list):
        nuova = list(oggetto)
        if not resto and valore is _TOGLI:
            del nuova[int(testa)]
        else:
            nuova[int(testa)] = (
                sostituisci(oggetto[int(testa)], tuple(resto), valore) if resto else valore
            )
        return nuova
    vecchio = getattr(oggetto, str(testa))
    nuovo = sostituisci(vecchio, tuple(resto), valore) if resto else valore
    return oggetto.model_copy(update={str(testa): nuovo})


def _letterali(tipo: Any) -> list[Any]:
    if typing.get_origin(tipo) is typing.Literal:
        return list(typing.get_args(tipo))
    if typing.get_origin(tipo) in {typing.Union, types.UnionType, typing.Annotated}:
        return [v for arg in typing.get_args(tipo) for v in _letterali(arg)]
    return []


def _accettato(tipo: Any, valore: Any) -> bool:
    try:
        TypeAdapter(tipo).validate_python(valore, strict=True)
    except ValidationError:
        return False
    return True


def altro_valore(valore: Any, tipo: Any) -> Any:
    """A different value of the same type, or ``_TOGLI`` if the type allows no other."""
    candidati: list[Any] = []
    if isinstance(valore, Enum):
        candidati += [m for m in type(valore) if m is not valore]
    elif isinstance(valore, bool):
        candidati.append(not valore)
    elif isinstance(valore, int | float):
        candidati += [valore + 1, valore + 1.5]
    elif isinstance(valore, str):
        candidati.append(valore + "_x")
    elif isinstance(valore, dt.date):
        candidati.append(valore + dt.timedelta(days=1))
    candidati += [*_letterali(tipo), D(2030, 1, 1), "nuovo", 7.5, 7]
    for candidato in candidati:
        if candidato != valore and _accettato(tipo, candidato):
            return candidato
    return _TOGLI


RICCO = Regolamento.model_validate(ricco())
FOGLIE = [
    (percorso, valore, tipo)
    for percorso, valore, tipo in nodi(RICCO)
    if not isinstance(valore, BaseModel | list) and tipo is not None
]
NOMI = [".".join(map(str, p)) for p, _, _ in FOGLIE]


def test_the_rich_document_has_every_optional_part() -> None:
    vuoti = {n for n, (_, valore, _) in zip(NOMI, FOGLIE, strict=True) if valore is None}
    # Only the alternatives that exclude each other are empty.
    assert vuoti == {
        "importo.calcolo.fasce.fasce.0.percentuale",
        "importo.calcolo.fasce.fasce.1.percentuale",
        "importo.calcolo.fasce.fasce.2.importo",
        "importo.calcolo.fasce.fasce.2.a",
        "graduatoria.punteggi.0.punti_espressione",
        "graduatoria.punteggi.1.punti",
        "graduatoria.punteggi.1.articolo",
        "graduatoria.punteggi.1.condizione",
        "graduatoria.punteggi.1.massimo",
        "graduatoria.quote_riservate.quote.1.descrizione",
        "graduatoria.ordine.0.chiave",
        "graduatoria.ordine.1.espressione",
        "graduatoria.ordine.2.espressione",
        "importo.casi_particolari.0.percentuale",
        "importo.casi_particolari.0.di",
        "importo.casi_particolari.1.importo",
        "requisiti.1.articolo",
        "stanziamento.posti",
        "stanziamento.riserva.importo",
    }


@pytest.mark.parametrize(("percorso", "valore", "tipo"), FOGLIE, ids=NOMI)
def test_every_leaf_change_is_reported(percorso: Percorso, valore: Any, tipo: Any) -> None:
    nuovo = altro_valore(valore, tipo)
    if nuovo is _TOGLI:
        assert percorso == ("formato",)  # a Literal with a single value cannot change
        return
    cambiato = sostituisci(RICCO, percorso, nuovo)
    assert differenze(RICCO, cambiato), f"{percorso}: {valore!r} → {nuovo!r}"
    assert differenze(cambiato, RICCO), f"{percorso}: {nuovo!r} → {valore!r}"


RIMOVIBILI = [
    (percorso, [] if isinstance(valore, list) else _TOGLI if tipo is None else None)
    for percorso, valore, tipo in nodi(RICCO)
    if valore not in (None, [])
    and (tipo is None or isinstance(valore, list) or _accettato(tipo, None))
]
"""Every list emptied, list item removed (``_TOGLI``) and optional part left out (None)."""


@pytest.mark.parametrize(
    ("percorso", "vuoto"), RIMOVIBILI, ids=[".".join(map(str, p)) for p, _ in RIMOVIBILI]
)
def test_every_removal_is_reported(percorso: Percorso, vuoto: Any) -> None:
    cambiato = sostituisci(RICCO, percorso, vuoto)
    assert differenze(RICCO, cambiato), percorso
    assert differenze(cambiato, RICCO), percorso


def _strategia(valore: Any, tipo: Any) -> st.SearchStrategy[Any]:
    if isinstance(valore, Enum):
        return st.sampled_from(list(type(valore)))
    if isinstance(valore, bool):
        return st.booleans()
    if isinstance(valore, int):
        return st.integers(0, 10**6)
    if isinstance(valore, float):
        return st.floats(0, 10**6, allow_nan=False)
    if isinstance(valore, dt.date):
        return st.dates()
    if isinstance(valore, str) and not _letterali(tipo):
        return st.text(min_size=1, max_size=20)
    return st.just(altro_valore(valore, tipo))


@given(st.data())
def test_any_new_value_of_any_leaf_is_reported(data: st.DataObject) -> None:
    percorso, valore, tipo = data.draw(st.sampled_from([f for f in FOGLIE if f[0] != ("formato",)]))
    nuovo = data.draw(_strategia(valore, tipo).filter(lambda v: v != valore))
    cambiato = sostituisci(RICCO, percorso, nuovo)
    assert differenze(RICCO, cambiato)
