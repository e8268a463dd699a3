"""Scenario files: what they may say, and a precise Italian error, with file and line, for
everything they may not."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from equo.isee.parameters import load_parameters
from equo.simulazione import ScenarioNonValido, carica_scenario, esegui
from equo.simulazione.parametri import applica_sostituzioni, leggi_sostituzione
from tests.simulazione.popolazioni import COMPARTECIPAZIONE, CONTRIBUTO, scrivi, venti

NIDO = Path("src/equo/regolamenti/esempi/asilo_nido.yaml").resolve()


def _carica(cartella: Path, testo: str) -> object:
    scrivi(cartella, "r.yaml", CONTRIBUTO)
    scrivi(cartella, "c.yaml", COMPARTECIPAZIONE)
    return carica_scenario(scrivi(cartella, "s.yaml", textwrap.dedent(testo)))


def _problemi(cartella: Path, testo: str) -> list[str]:
    with pytest.raises(ScenarioNonValido) as info:
        _carica(cartella, testo)
    return [str(p).replace(str(cartella) + "/", "") for p in info.value.problemi]


def test_a_valid_scenario_is_resolved(tmp_path: Path) -> None:
    scenario = _carica(
        tmp_path,
        """\
        formato: equo-scenario/1
        titolo: Prova
        data: 2026-05-04
        parametri:
          isr.detrazione_canone_massimo: 7500
        base:
          nome: Base
          regolamento: r.yaml
          parametri: {isp.franchigia_casa_abitazione: 60000}
        alternative:
          - nome: Franchigia e soglia
            modifiche: {requisiti.isee_massimo.condizione: "isee <= 12000"}
            parametri:
              isp.franchigia_casa_abitazione: 91500
              scala_equivalenza.parametro_base.2: 1.6
          - nome: Stessa base, altra data
            data: 2027-01-01
        opzioni: {k_minimo: 5}
        """,
    )
    from equo.simulazione import Scenario

    assert isinstance(scenario, Scenario)
    assert scenario.k_minimo == 5
    base, prima, seconda = scenario.configurazioni
    assert {s.nome: s.valore for s in base.parametri} == {
        "isr.detrazione_canone_massimo": 7500,
        "isp.franchigia_casa_abitazione": 60000,
    }
    # the alternative inherits the common and the base's overrides, and changes one
    assert {s.nome: s.valore for s in prima.parametri} == {
        "isr.detrazione_canone_massimo": 7500,
        "isp.franchigia_casa_abitazione": 91500,
        "scala_equivalenza.parametro_base.2": 1.6,
    }
    assert [c.id for c in prima.regolamento.condizioni][-1] == "isee_massimo"
    assert prima.regolamento.condizioni[-1].sql == "isee <= 12000"
    assert seconda.data == dt.date(2027, 1, 1) and base.data == dt.date(2026, 5, 4)
    assert seconda.chiave_isee() != base.chiave_isee()


def test_an_override_replaces_the_value_from_the_date_on() -> None:
    params = load_parameters()
    nuove, problemi = leggi_sostituzione("isp.franchigia_casa_abitazione", 91500, params)
    assert problemi == []
    modificati, problemi = applica_sostituzioni(params, nuove, dt.date(2026, 3, 1))
    assert problemi == []
    parametro = modificati["isp.franchigia_casa_abitazione"]
    assert parametro.at(dt.date(2026, 2, 28)) == 52500
    assert parametro.at(dt.date(2026, 3, 1)) == 91500
    assert parametro.at(dt.date(2030, 1, 1)) == 91500
    senza_data, _ = applica_sostituzioni(params, nuove, None)
    assert senza_data["isp.franchigia_casa_abitazione"].at(dt.date(2015, 1, 1)) == 91500
    # one entry of a table: the others keep their values
    voce, _ = leggi_sostituzione("scala_equivalenza.parametro_base.2", "8/5", params)
    tabella, _ = applica_sostituzioni(params, voce, dt.date(2026, 1, 1))
    valore = tabella["scala_equivalenza.parametro_base"].at(dt.date(2026, 1, 1))
    assert valore == {"1": 1.0, "2": 1.6, "3": 2.04, "4": 2.46, "5": 2.85}


def test_unknown_regulation(tmp_path: Path) -> None:
    problemi = _problemi(
        tmp_path,
        """\
        formato: equo-scenario/1
        titolo: Prova
        base:
          nome: Base
          regolamento: non_esiste.yaml
        alternative: [{nome: A}]
        """,
    )
    assert len(problemi) == 1
    assert problemi[0].startswith("s.yaml:5: base.regolamento: il regolamento 'non_esiste.yaml'")
    assert "non esiste" in problemi[0]


def test_a_regulation_with_problems_is_reported_in_its_own_file(tmp_path: Path) -> None:
    scrivi(tmp_path, "rotto.yaml", CONTRIBUTO.replace("isee <= 10000", "iseee <= 10000"))
    problemi = _problemi(
        tmp_path,
        """\
        formato: equo-scenario/1
        titolo: Prova
        base: {nome: Base, regolamento: rotto.yaml}
        alternative: [{nome: A}]
        """,
    )
    assert problemi[0] == "s.yaml:3: base.regolamento: il regolamento 'rotto.yaml' non è valido:"
    assert problemi[1].startswith("rotto.yaml:12: requisiti[0].condizione:")
    assert "iseee" in problemi[1]


def test_a_modifica_path_that_does_not_exist(tmp_path: Path) -> None:
    problemi = _problemi(
        tmp_path,
        """\
        formato: equo-scenario/1
        titolo: Prova
        base: {nome: Base, regolamento: r.yaml}
        alternative:
          - nome: A
            modifiche:
              importo.calcolo.lineare.a: 35000
              requisiti.7.condizione: "isee < 1"
              requisiti.isee_masimo.condizione: "isee < 1"
              importo.masimo: 3
        """,
    )
    assert problemi == [
        "s.yaml:7: alternative[0].modifiche: importo.calcolo.lineare.a: il campo 'lineare' non "
        "esiste in importo.calcolo (campi: espressione)",
        "s.yaml:8: alternative[0].modifiche: requisiti.7.condizione: requisiti: l'elenco ha 1 "
        "elementi: indici da 0 a 0",
        "s.yaml:9: alternative[0].modifiche: requisiti.isee_masimo.condizione: requisiti: nessun "
        "elemento 'isee_masimo': indicare la posizione da 0 o l'id (isee_massimo); forse "
        "'isee_massimo'?",
        "s.yaml:10: alternative[0].modifiche: importo.masimo: il campo 'masimo' non esiste in "
        "importo (campi: arrotondamento, articolo, calcolo, casi_particolari, descrizione, "
        "esenzione, maggiorazioni, massimo, minimo, per, riduzioni, riduzioni_cumulate, "
        "soglia_erogazione, tetto_nucleo, tipo); forse 'massimo'?",
    ]


def test_a_modifica_of_the_wrong_type_is_reported_at_its_line(tmp_path: Path) -> None:
    problemi = _problemi(
        tmp_path,
        """\
        formato: equo-scenario/1
        titolo: Prova
        base: {nome: Base, regolamento: r.yaml}
        alternative:
          - nome: A
            modifiche:
              importo.massimo: tanti
          - nome: B
            modifiche:
              requisiti.0.condizione: "isee <= 'mille'"
        """,
    )
    assert problemi[0] == (
        "s.yaml:7: alternative[0].modifiche: importo.massimo: deve essere un numero"
    )
    assert problemi[1].startswith("s.yaml:10: alternative[1].modifiche: requisiti[0].condizione:")


def test_an_unknown_isee_parameter_suggests_the_closest(tmp_path: Path) -> None:
    problemi = _problemi(
        tmp_path,
        """\
        formato: equo-scenario/1
        titolo: Prova
        base: {nome: Base, regolamento: r.yaml}
        alternative:
          - nome: A
            parametri:
              franchigia_casa_abitazione: 91500
              isp.franchigia_casa_abitaz: 91500
        """,
    )
    assert problemi == [
        "s.yaml:7: alternative[0].parametri.franchigia_casa_abitazione: parametro ISEE "
        "sconosciuto 'franchigia_casa_abitazione': forse 'isp.franchigia_casa_abitazione'?",
        "s.yaml:8: alternative[0].parametri.isp.franchigia_casa_abitaz: parametro ISEE "
        "sconosciuto 'isp.franchigia_casa_abitaz': forse 'isp.franchigia_casa_abitazione'?",
    ]


def test_a_value_of_the_wrong_unit(tmp_path: Path) -> None:
    problemi = _problemi(
        tmp_path,
        """\
        formato: equo-scenario/1
        titolo: Prova
        base: {nome: Base, regolamento: r.yaml}
        alternative:
          - nome: A
            parametri:
              isp.franchigia_casa_abitazione: tanti
              isp.quota_eccedenza_casa: 66
              isp.franchigia_mobiliare_figli_senza_incremento: 1.5
              isr.detrazione_pensione_include_trattamenti: 1
              scala_equivalenza.parametro_base: {2: 1.6, 9: 3}
              isr.detrazione_canone_massimo: -1
        """,
    )
    assert [p.split(": ", 2)[1] for p in problemi] == [
        "alternative[0].parametri.isp.franchigia_casa_abitazione",
        "alternative[0].parametri.isp.quota_eccedenza_casa",
        "alternative[0].parametri.isp.franchigia_mobiliare_figli_senza_incremento",
        "alternative[0].parametri.isr.detrazione_pensione_include_trattamenti",
        "alternative[0].parametri.scala_equivalenza.parametro_base.9",
        "alternative[0].parametri.isr.detrazione_canone_massimo",
    ]
    assert [p.split(":")[1] for p in problemi] == ["7", "8", "9", "10", "11", "12"]
    assert "atteso un importo in euro (per esempio 91500), non 'tanti'" in problemi[0]
    assert "66 sembra una percentuale: scrivere 0.66" in problemi[1]
    assert "atteso un numero intero non negativo, non 1.5" in problemi[2]
    assert "atteso vero o falso (true/false), non 1" in problemi[3]
    assert "non ha la voce '9' (voci: 1, 2, 3, 4, 5)" in problemi[4]
    assert "-1 è negativo" in problemi[5]


def test_conflicting_overrides(tmp_path: Path) -> None:
    problemi = _problemi(
        tmp_path,
        """\
        formato: equo-scenario/1
        titolo: Prova
        parametri:
          isr.detrazione_canone_massimo: 7500
        base:
          nome: Base
          regolamento: r.yaml
          parametri:
            isr.detrazione_canone_massimo: 8000
        alternative:
          - nome: Stesso parametro due volte
            parametri:
              isp.franchigia_casa_abitazione: 91500
            modifiche:
              isp.franchigia_casa_abitazione: 60000
          - nome: Tabella intera e una voce
            parametri:
              scala_equivalenza.parametro_base: {2: 1.6}
              scala_equivalenza.parametro_base.2: 1.7
          - nome: Due modifiche della stessa parte
            modifiche:
              importo.calcolo: {fisso: 100}
              importo.calcolo.espressione: "200"
        """,
    )
    assert problemi == [
        "s.yaml:9: base.parametri.isr.detrazione_canone_massimo: sostituzioni in conflitto: "
        "isr.detrazione_canone_massimo è un'ipotesi comune dello scenario "
        "(parametri.isr.detrazione_canone_massimo: 7500) e non si può cambiare qui (8000)",
        "s.yaml:15: alternative[0].modifiche.isp.franchigia_casa_abitazione: sostituzioni in "
        "conflitto: isp.franchigia_casa_abitazione vale 91500 in "
        "alternative[0].parametri.isp.franchigia_casa_abitazione e 60000 qui",
        "s.yaml:19: alternative[1].parametri.scala_equivalenza.parametro_base.2: sostituzioni in "
        "conflitto: scala_equivalenza.parametro_base.2 vale 1.6 in "
        "alternative[1].parametri.scala_equivalenza.parametro_base e 1.7 qui",
        "s.yaml:23: alternative[2].modifiche: modifiche in conflitto: "
        "'importo.calcolo.espressione' e 'importo.calcolo' cambiano la stessa parte del "
        "regolamento",
    ]


def test_a_key_written_twice(tmp_path: Path) -> None:
    problemi = _problemi(
        tmp_path,
        """\
        formato: equo-scenario/1
        titolo: Prova
        base: {nome: Base, regolamento: r.yaml}
        alternative:
          - nome: A
            parametri:
              isp.franchigia_casa_abitazione: 91500
              isp.franchigia_casa_abitazione: 60000
        """,
    )
    assert problemi == [
        "s.yaml:8: alternative[0].parametri.isp.franchigia_casa_abitazione: chiave ripetuta (già "
        "alla riga 7): ogni valore si indica una volta sola"
    ]


def test_an_override_the_variant_does_not_read(tmp_path: Path) -> None:
    problemi = _problemi(
        tmp_path,
        """\
        formato: equo-scenario/1
        titolo: Prova
        base: {nome: Base, regolamento: r.yaml}
        alternative:
          - nome: A
            parametri: {varianti.specifiche_2026.franchigia_casa_abitazione: 100000}
          - nome: B
            modifiche: {indicatore.variante: specifiche-2026}
            parametri: {isp.franchigia_casa_abitazione: 100000}
        """,
    )
    assert problemi == [
        "s.yaml:6: alternative[0].parametri.varianti.specifiche_2026.franchigia_casa_abitazione: "
        "varianti.specifiche_2026.franchigia_casa_abitazione vale solo per l'ISEE per specifiche "
        "prestazioni familiari e per l'inclusione: il regolamento usa l'ISEE ordinario",
        "s.yaml:9: alternative[1].parametri.isp.franchigia_casa_abitazione: "
        "isp.franchigia_casa_abitazione non ha effetto sull'ISEE per specifiche prestazioni "
        "familiari e per l'inclusione del regolamento, che usa al suo posto "
        "varianti.specifiche_2026.franchigia_casa_abitazione",
    ]


def test_amounts_of_different_kinds_cannot_be_compared(tmp_path: Path) -> None:
    problemi = _problemi(
        tmp_path,
        """\
        formato: equo-scenario/1
        titolo: Prova
        base: {nome: Base, regolamento: r.yaml}
        alternative:
          - nome: A
            regolamento: c.yaml
        """,
    )
    assert problemi == [
        "s.yaml:6: alternative[0].regolamento: l'importo dell'alternativa è di tipo "
        "compartecipazione, quello della base contributo: gli importi non sono confrontabili"
    ]


def test_shape_errors(tmp_path: Path) -> None:
    problemi = _problemi(
        tmp_path,
        """\
        formato: equo-scenario/1
        titolo: Prova
        base: {nome: Base, regolamento: r.yaml, data: 2026-01-01}
        alternative: []
        opzioni: {k_minimo: 0}
        assunzioni: {in_regola_vaccinazioni: true}
        """,
    )
    assert problemi == [
        "s.yaml:3: base.data: campo sconosciuto",
        "s.yaml:4: alternative: non può essere vuoto",
        "s.yaml:5: opzioni.k_minimo: deve essere almeno 1",
    ]


def test_assumed_fields_are_checked(tmp_path: Path) -> None:
    problemi = _problemi(
        tmp_path,
        """\
        formato: equo-scenario/1
        titolo: Prova
        assunzioni:
          sfrato_in_corso: true
          canone_annuo: molto
        base: {nome: Base, regolamento: r.yaml}
        alternative: [{nome: A}]
        """,
    )
    assert problemi == [
        "s.yaml:4: assunzioni.sfrato_in_corso: campo della domanda sconosciuto "
        "'sfrato_in_corso': forse 'sfratto_in_corso'?",
        "s.yaml:5: assunzioni.canone_annuo: il campo 'canone_annuo' è di tipo euro: 'molto' non "
        "lo è",
    ]


def test_overrides_on_a_population_of_attestazioni(tmp_path: Path) -> None:
    scenario = _carica(
        tmp_path,
        """\
        formato: equo-scenario/1
        titolo: Prova
        base: {nome: Base, regolamento: r.yaml}
        alternative:
          - nome: Franchigia
            parametri:
              isp.franchigia_casa_abitazione: 91500
        """,
    )
    from equo.simulazione import Scenario

    assert isinstance(scenario, Scenario)
    with pytest.raises(ScenarioNonValido) as info:
        esegui(scenario, venti())
    assert [str(p).replace(str(tmp_path) + "/", "") for p in info.value.problemi] == [
        "s.yaml:7: alternative[0].parametri.isp.franchigia_casa_abitazione: Franchigia: la "
        "popolazione è fatta di attestazioni (senza DSU): l'ISEE non si può ricalcolare con "
        "altri parametri nazionali"
    ]
