"""The motivazione names every requisito, the numbers of the formula and what would change it."""

from __future__ import annotations

import datetime as dt
from importlib.resources import files
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equo.regolamenti import RegolamentoCompilato, carica, carica_testo, valuta
from equo.regolamenti.domande import leggi_domande
from equo.regolamenti.motivazione import motivazione, motivazioni
from equo.regolamenti.valuta import Esiti

TESTA = """
formato: equo-regolamento/1
codice: prova
versione: "2026.1"
titolo: Contributo di prova
ente: {nome: Comune di Prova}
prestazione: {nome: Contributo, codice_siuss: A1.04, area_utenza: povertà ed esclusione sociale}
delibera: {organo: Giunta, numero: "45", data: 2026-03-12}
vigenza: {dal: 2026-01-01}
"""

REQUISITI = """
requisiti:
  - id: isee_massimo
    descrizione: ISEE non superiore a 15.000 euro
    articolo: art. 3, c. 1, lett. a
    condizione: isee <= 15000
  - id: maggiorenne
    descrizione: Richiedente maggiorenne
    articolo: art. 3, c. 1, lett. b
    condizione: eta_richiedente >= 18
  - id: residenza
    descrizione: Residenza da 2 a 30 anni
    condizione: anni_residenza BETWEEN 2 AND 30
  - id: disoccupazione
    descrizione: Richiedente disoccupato
    articolo: art. 3, c. 2
    condizione: disoccupato
ulteriori_criteri:
  - id: canone
    descrizione: Canone superiore al 10% dell'ISEE
    articolo: art. 4
    condizione: canone_annuo > 0.1 * isee
"""

GRADUATORIA = """
graduatoria:
  articolo: art. 7
  punteggi:
    - {id: minori, descrizione: Presenza di minori, articolo: art. 7 lett. a,
       condizione: numero_minorenni > 0, punti: 5}
    - {id: sfratto, descrizione: Sfratto in corso, condizione: sfratto_in_corso, punti: 3}
  ordine:
    - {chiave: punteggio, verso: decrescente}
    - {chiave: isee, verso: crescente}
"""


def _regolamento(*parti: str) -> RegolamentoCompilato:
    return carica_testo("\n".join([TESTA, *parti]))


def _domande(n: int, **colonne: list[Any]) -> pl.DataFrame:
    base: dict[str, list[Any]] = {
        "id_domanda": [f"D{i + 1}" for i in range(n)],
        "data_domanda": [dt.date(2026, 5, 4)] * n,
        "data_dsu": [dt.date(2026, 2, 1)] * n,
    }
    return pl.DataFrame({**base, **colonne})


def _una(regolamento: RegolamentoCompilato, **valori: Any) -> str:
    esiti = valuta(regolamento, _domande(1, **{k: [v] for k, v in valori.items()}))
    return motivazione(esiti, "D1")


def _persona(**cambi: Any) -> dict[str, Any]:
    dati: dict[str, Any] = {
        "isee": 9000.0,
        "eta_richiedente": 40,
        "anni_residenza": 10.0,
        "disoccupato": True,
        "canone_annuo": 5000.0,
    }
    return {**dati, **cambi}


def _importo(calcolo: str, tipo: str = "contributo", altro: str = "") -> str:
    return f"importo:\n  tipo: {tipo}\n  articolo: art. 5\n  calcolo:\n{calcolo}\n{altro}"


LINEARE = """    lineare: {su: isee, da: 6000, a: 30000, valore_da: 100, valore_a: 480}"""
FASCE = """    fasce:
      su: isee
      fasce:
        - {da: 0, a: 5000, importo: 50}
        - {da: 5000.01, a: 10000, importo: 80}
        - {da: 10000.01, importo: 120}"""


def test_the_heading_names_regolamento_delibera_domanda_and_esito() -> None:
    testo = _una(_regolamento(REQUISITI), **_persona())

    prima = testo.split("\n\n")[0]
    assert "«Contributo di prova»" in prima
    assert "versione 2026.1" in prima
    assert "delibera della Giunta n. 45 del 12/03/2026" in prima
    assert "domanda D1, presentata il 04/05/2026" in prima
    assert "Esito: ammessa." in prima


def test_every_failed_requisito_is_named_with_its_article_and_the_values_used() -> None:
    testo = _una(
        _regolamento(REQUISITI),
        **_persona(isee=18500.5, eta_richiedente=17, disoccupato=False, canone_annuo=1000.0),
    )

    assert "Esito: non ammessa." in testo
    assert "La domanda non soddisfa 3 requisiti su 5." in testo
    assert (
        "- ISEE non superiore a 15.000 euro (art. 3, c. 1, lett. a): requisito non soddisfatto. "
        "Dati considerati: valore ISEE dell'attestazione: 18.500,50 €." in testo
    )
    assert "- Richiedente maggiorenne (art. 3, c. 1, lett. b): requisito non soddisfatto." in testo
    assert "alla data della domanda, in anni compiuti: 17." in testo
    assert "Richiedente disoccupato (art. 3, c. 2): requisito non soddisfatto" in testo
    assert "il richiedente è disoccupato: no." in testo
    assert "Residenza da 2 a 30 anni: requisito soddisfatto." in testo
    assert "Ulteriori criteri di selezione. La domanda non soddisfa 1 criterio su 1." in testo
    assert "Canone superiore al 10% dell'ISEE (art. 4): criterio non soddisfatto." in testo


def test_the_validity_of_the_attestazione_is_a_requisito_with_its_dates() -> None:
    regolamento = _regolamento(REQUISITI)
    domande = _domande(1, **{k: [v] for k, v in _persona().items()}).with_columns(
        data_dsu=pl.lit(dt.date(2025, 12, 1))
    )

    testo = motivazione(valuta(regolamento, domande), "D1")

    riga = next(r for r in testo.splitlines() if r.startswith("- Attestazione ISEE valida"))
    assert "DPCM 159/2013" in riga
    assert "requisito non soddisfatto" in riga
    assert "01/12/2025" in riga and "04/05/2026" in riga


def test_a_missing_value_is_named_and_given_as_the_reason_the_requisito_is_not_met() -> None:
    testo = _una(_regolamento(REQUISITI), **_persona(isee=None))

    assert (
        "ISEE non superiore a 15.000 euro (art. 3, c. 1, lett. a): requisito non soddisfatto: "
        "dato non presente nella domanda («valore ISEE dell'attestazione»)" in testo
    )
    assert "valore ISEE dell'attestazione: dato non presente nella domanda" in testo
    assert "Indicando «valore ISEE dell'attestazione» (dato non presente nella domanda)" in testo


def test_a_failed_simple_comparison_states_the_value_that_would_meet_it() -> None:
    testo = _una(
        _regolamento(REQUISITI),
        **_persona(isee=16000.0, eta_richiedente=17, anni_residenza=1.0, disoccupato=False),
    )

    cambierebbe = testo.split("Cosa cambierebbe l'esito.")[1]
    assert (
        "- Con un ISEE non superiore a 15.000,00 € il requisito «ISEE non superiore a 15.000 "
        "euro (art. 3, c. 1, lett. a)» sarebbe soddisfatto." in cambierebbe
    )
    assert "non inferiore a 18 il requisito «Richiedente maggiorenne" in cambierebbe
    assert "compreso tra 2 e 30 il requisito «Residenza da 2 a 30 anni»" in cambierebbe
    assert "«il richiedente è disoccupato» pari a «sì» il requisito" in cambierebbe
    assert "devono essere soddisfatti tutti i requisiti" in cambierebbe


def test_a_regolamento_without_requisiti_says_so() -> None:
    testo = _una(_regolamento("indicatore: {tipo: altro}"), isee=1.0)

    assert "Requisiti di accesso. Il regolamento non prevede requisiti di accesso." in testo


def test_a_condition_that_is_not_a_simple_comparison_gets_no_threshold() -> None:
    testo = _una(_regolamento(REQUISITI), **_persona(canone_annuo=100.0))

    assert "criterio non soddisfatto" in testo
    assert "Cosa cambierebbe l'esito." not in testo


def test_the_linear_formula_is_written_with_its_numbers() -> None:
    regolamento = _regolamento(_importo(LINEARE, "compartecipazione"))

    testo = _una(regolamento, isee=18000.0)

    assert "Importo (art. 5): quota a carico dell'utente." in testo
    assert (
        "ISEE di 18.000,00 €, in proporzione tra 6.000,00 € e 30.000,00 €: 100,00 € + "
        "(480,00 € − 100,00 €) × (18.000,00 € − 6.000,00 €) / (30.000,00 € − 6.000,00 €) "
        "= 290,00 €" in testo
    )
    assert "Quota a carico dell'utente: 290,00 €." in testo


def test_a_linear_amount_at_a_threshold_says_the_thresholds_value_applies() -> None:
    regolamento = _regolamento(_importo(LINEARE, "compartecipazione"))

    basso, alto = _una(regolamento, isee=5000.0), _una(regolamento, isee=31000.0)

    assert "pari o inferiore alla soglia di 6.000,00 €: si applica il valore previsto" in basso
    assert "100,00 €" in basso and "Cosa cambierebbe" not in basso
    assert "pari o superiore alla soglia di 30.000,00 €" in alto
    assert "Quota a carico dell'utente: 480,00 €." in alto


def test_a_linear_amount_states_how_much_1000_euro_of_isee_change_it() -> None:
    regolamento = _regolamento(_importo(LINEARE, "compartecipazione", "  per: quantita_servizio"))

    testo = _una(regolamento, isee=18000.0, quantita_servizio=10.0)

    # (480 - 100) / 24.000 × 1.000 × 10 months
    assert (
        "- Ogni 1.000,00 € di ISEE in meno la quota a carico dell'utente diminuirebbe di "
        "158,33 €, fino alla soglia di 6.000,00 €" in testo
    )
    assert "Moltiplicato per «quantità richiesta» (10): 2.900,00 €." in testo


def test_a_decreasing_linear_contributo_grows_as_the_isee_falls() -> None:
    calcolo = "    lineare: {su: isee, da: 5000, a: 20000, valore_da: 1000, valore_a: 0}"

    testo = _una(_regolamento(_importo(calcolo)), isee=12000.0)

    assert "= 533,33 €" in testo
    assert "Ogni 1.000,00 € di ISEE in meno il contributo aumenterebbe di 66,67 €" in testo


def test_fasce_state_the_band_and_the_amount_of_the_next_lower_band() -> None:
    regolamento = _regolamento(_importo(FASCE))

    testo = _una(regolamento, isee=12000.0)

    assert (
        "Importo di base: ISEE di 12.000,00 €, compreso nella fascia 3 (da 10.000,01 € in su), "
        "che prevede 120,00 €." in testo
    )
    assert "Con un ISEE fino a 10.000,00 € (fascia 2) il contributo sarebbe di 80,00 €" in testo
    assert "Contributo riconosciuto: 120,00 €." in testo


def test_fasce_in_percent_show_the_percentage_of_the_base_value() -> None:
    calcolo = """    fasce:
      su: isee
      percentuale_di: costo_servizio
      fasce:
        - {da: 0, a: 6000, percentuale: 10}
        - {da: 6000.01, percentuale: 50}"""
    regolamento = _regolamento(_importo(calcolo, "compartecipazione"))

    testo = _una(regolamento, isee=7000.0, costo_servizio=22.5)

    assert "fascia 2 (da 6.000,01 € in su), che prevede 50% × costo unitario" in testo
    assert "(22,50 €) = 11,25 €" in testo
    assert "Con un ISEE fino a 6.000,00 € (fascia 1) la quota a carico dell'utente" in testo
    assert "sarebbe di 2,25 €" in testo


def test_supplements_reductions_cap_and_rounding_are_listed_with_their_amounts() -> None:
    altro = """  maggiorazioni:
    - {id: minori, descrizione: Per ogni minorenne, articolo: art. 6, per_ogni: numero_minorenni,
       importo: 100}
  riduzioni:
    - {id: benefici, descrizione: Altri benefici, condizione: altri_benefici_annui > 2000,
       percentuale: 30}
  massimo: 700
  arrotondamento: {passo: 1, modo: per_difetto}"""
    regolamento = _regolamento(_importo("    fisso: 600", altro=altro))

    ridotto = _una(regolamento, numero_minorenni=2, altri_benefici_annui=3000.0)
    tetto = _una(regolamento, numero_minorenni=3, altri_benefici_annui=0.0)

    assert "Importo di base: importo fisso di 600,00 €." in ridotto
    assert (
        "Maggiorazione «Per ogni minorenne» (art. 6): 2 × 100,00 € = 200,00 €; "
        "importo 800,00 €." in ridotto
    )
    assert "Riduzione «Altri benefici»: meno il 30%; importo 560,00 €." in ridotto
    assert "Contributo riconosciuto: 560,00 €." in ridotto
    assert "Superiore al massimo previsto: ridotto a 700,00 €." in tetto
    assert "Contributo riconosciuto: 700,00 €." in tetto


def test_rounding_and_esenzione_are_stated_when_they_apply() -> None:
    altro = """  esenzione: {isee_fino_a: 3000, articolo: art. 8}
  arrotondamento: {passo: 1, modo: per_eccesso}"""
    calcolo = "    percentuale: {percentuale: 10, di: costo_servizio}"
    regolamento = _regolamento(_importo(calcolo, "compartecipazione", altro))

    esente = _una(regolamento, isee=2000.0, costo_servizio=123.0)
    pagante = _una(regolamento, isee=4000.0, costo_servizio=123.0)

    assert "Esito: ammessa, esente dalla compartecipazione." in esente
    assert "Esenzione (art. 8): con ISEE di 2.000,00 €, non superiore a 3.000,00 €" in esente
    assert "Quota a carico dell'utente: 0,00 €." in esente
    assert "10% × costo unitario del servizio per l'ente (123,00 €) = 12,30 €" in pagante
    assert "Arrotondato all'euro (per eccesso): 13,00 €." in pagante
    assert "- Con un ISEE non superiore a 3.000,00 € si applicherebbe l'esenzione" in pagante


def test_an_expression_is_written_with_its_sql_and_the_values_of_its_fields() -> None:
    regolamento = _regolamento(_importo("    espressione: canone_annuo - 0.14 * ise"))

    testo = _una(regolamento, canone_annuo=6000.0, ise=10000.0)

    assert "formula `canone_annuo - 0.14 * ise`" in testo
    assert (
        "canone di locazione annuo del contratto registrato, senza oneri accessori: 6.000,00 €"
        in testo
    )
    assert "indicatore della situazione economica: 10.000,00 €) = 4.600,00 €" in testo


def test_an_amount_that_cannot_be_computed_names_the_missing_data() -> None:
    regolamento = _regolamento(_importo(LINEARE))

    testo = _una(regolamento, isee=None)

    assert (
        "L'importo non può essere calcolato: dato non presente nella domanda "
        "(«valore ISEE dell'attestazione»)." in testo
    )


def test_the_tetto_per_nucleo_states_the_amount_before_and_after() -> None:
    altro = "  tetto_nucleo: {importo: 1000, articolo: art. 9}"
    regolamento = _regolamento(_importo("    fisso: 600", altro=altro))
    esiti = valuta(regolamento, _domande(2, id_nucleo=["N1", "N1"]))

    testo = motivazione(esiti, "D1")

    assert (
        "Tetto per nucleo (art. 9): le domande del nucleo «N1» superano insieme 1.000,00 €, per "
        "cui l'importo è ridotto in proporzione da 600,00 € a 500,00 €." in testo
    )
    assert "Contributo riconosciuto: 500,00 €." in testo


def _graduatoria(stanziamento: str) -> RegolamentoCompilato:
    return _regolamento(_importo("    fisso: 1000"), GRADUATORIA, stanziamento)


def _tre_domande(regolamento: RegolamentoCompilato) -> Esiti:
    domande = _domande(
        3,
        isee=[5000.0, 8000.0, 9000.0],
        numero_minorenni=[1, 1, 0],
        sfratto_in_corso=[True, False, False],
    )
    return valuta(regolamento, domande)


def test_points_name_only_the_items_that_gave_points_and_the_total() -> None:
    testo = motivazione(_tre_domande(_graduatoria("")), "D1")

    assert "Graduatoria (art. 7)." in testo
    assert "- Presenza di minori (art. 7 lett. a): 5 punti." in testo
    assert "- Sfratto in corso: 3 punti." in testo
    assert "Punteggio complessivo: 8 punti." in testo
    assert "La domanda è in posizione n. 1 su 3 domande in graduatoria." in testo
    solo_minori = motivazione(_tre_domande(_graduatoria("")), "D2")
    assert "Sfratto in corso" not in solo_minori


def test_a_domanda_not_funded_states_the_cut_off_of_the_last_funded() -> None:
    esiti = _tre_domande(_graduatoria("stanziamento: {importo: 2000, ultimo: escludi}"))

    testo = motivazione(esiti, "D3")

    assert "Esito: ammessa, non finanziata per esaurimento dello stanziamento." in testo
    assert "La domanda è in posizione n. 3 su 3 domande in graduatoria." in testo
    assert "Lo stanziamento è di 2.000,00 €; sono stati assegnati 2.000,00 €." in testo
    assert "L'ultima domanda finanziata è in posizione n. 2 (5 punti, ISEE 8.000,00 €)." in testo
    assert (
        "- Per essere finanziata la domanda avrebbe dovuto precedere in graduatoria l'ultima "
        "domanda finanziata, cioè avere un punteggio superiore a 5 punti, oppure, a parità di "
        "punteggio, un ISEE inferiore a 8.000,00 €." in testo
    )


def test_a_partially_funded_domanda_states_the_amount_assigned() -> None:
    esiti = _tre_domande(_graduatoria("stanziamento: {importo: 1500, ultimo: parziale}"))

    testo = motivazione(esiti, "D2")

    assert "Esito: ammessa e finanziata parzialmente." in testo
    assert (
        "La domanda è finanziata parzialmente (è l'ultima domanda finanziabile e riceve quanto "
        "resta dello stanziamento): importo assegnato 500,00 € a fronte di 1.000,00 € "
        "riconosciuti." in testo
    )


def test_a_fully_funded_domanda_states_the_amount_assigned() -> None:
    esiti = _tre_domande(_graduatoria("stanziamento: {importo: 1500, ultimo: parziale}"))

    testo = motivazione(esiti, "D1")

    assert "La domanda è finanziata per intero: importo assegnato 1.000,00 €." in testo


def test_a_proportional_share_states_the_reduction_and_the_amount_assigned() -> None:
    esiti = _tre_domande(_graduatoria("stanziamento: {importo: 1500, ultimo: proporzionale}"))

    testo = motivazione(esiti, "D3")

    assert "ogni contributo è ridotto nella stessa proporzione" in testo
    assert "importo assegnato 500,00 € a fronte di 1.000,00 € riconosciuti." in testo


def test_a_domanda_without_an_amount_is_not_told_to_beat_the_cut_off() -> None:
    regolamento = _regolamento(
        _importo(LINEARE), GRADUATORIA, "stanziamento: {importo: 100, ultimo: escludi}"
    )
    domande = _domande(
        2, isee=[7000.0, None], numero_minorenni=[0, 1], sfratto_in_corso=[False, True]
    )

    testo = motivazione(valuta(regolamento, domande), "D2")

    assert "L'importo non può essere calcolato" in testo
    assert "non entra in graduatoria perché l'importo non può essere calcolato" in testo
    assert "avrebbe dovuto precedere" not in testo


def test_places_say_posto_assegnato_or_lista_d_attesa_with_the_cut_off() -> None:
    regolamento = _regolamento(GRADUATORIA, "stanziamento: {posti: 1}")
    esiti = _tre_domande(regolamento)

    primo, secondo = motivazione(esiti, "D1"), motivazione(esiti, "D2")

    assert "Alla domanda è assegnato un posto." in primo
    assert "I posti disponibili sono 1." in secondo
    assert "L'ultimo posto è assegnato alla domanda in posizione n. 1 (8 punti" in secondo
    assert "La domanda resta in lista d'attesa" in secondo
    assert "Per ottenere un posto la domanda avrebbe dovuto precedere in graduatoria" in secondo
    assert "un punteggio superiore a 8 punti" in secondo


def test_motivazioni_gives_one_row_per_domanda_equal_to_motivazione() -> None:
    esiti = _tre_domande(_graduatoria("stanziamento: {importo: 1500, ultimo: parziale}"))

    tutte = motivazioni(esiti)

    assert tutte.columns == ["id_domanda", "motivazione"]
    assert tutte["id_domanda"].to_list() == ["D1", "D2", "D3"]
    for id_domanda, testo in tutte.iter_rows():
        assert testo == motivazione(esiti, id_domanda)


def test_the_motivazione_of_an_unknown_domanda_is_a_key_error() -> None:
    esiti = _tre_domande(_graduatoria(""))

    with pytest.raises(KeyError):
        motivazione(esiti, "D9")


NIDO = """
indicatore: {obbligatorio: false}
importo:
  tipo: compartecipazione
  articolo: art. 5
  calcolo:
    lineare: {su: isee, da: 0, a: 10000, valore_da: 0, valore_a: 100}
  per: quantita_servizio
  casi_particolari:
    - {id: senza_isee, descrizione: Senza attestazione ISEE, articolo: art. 5 c. 3,
       condizione: isee IS NULL, percentuale: 100, di: costo_servizio}
    - {id: non_residenti, descrizione: Non residenti, condizione: "comune_residenza <> '001272'",
       importo: 150}
  riduzioni:
    - {id: secondo, descrizione: Secondo figlio, condizione: ordine_figlio >= 2, percentuale: 20}
    - {id: terzo, descrizione: Terzo figlio, articolo: art. 6, condizione: ordine_figlio >= 3,
       percentuale: 30}
  riduzioni_cumulate: sommate
  esenzione: {condizione: assegno_inclusione, isee_fino_a: 1000, articolo: art. 8}
graduatoria:
  ordine:
    - {espressione: "disabilita_beneficiario <> 'nessuna'",
       descrizione: Precedenza ai bambini con disabilità, verso: decrescente}
    - {chiave: isee, verso: crescente}
stanziamento: {posti: 2}
"""


def _nido() -> Esiti:
    """D2 and D3 without attestazione, D4 not resident, D5 exempt by condition."""
    con_dsu = dt.date(2026, 2, 1)
    return valuta(
        _regolamento(NIDO),
        _domande(
            5,
            isee=[5000.0, None, None, 5000.0, 3000.0],
            costo_servizio=[400.0] * 5,
            comune_residenza=["001272", "001272", "001006", "001006", "001272"],
            quantita_servizio=[2.0] * 5,
            ordine_figlio=[3, 1, 1, 1, 2],
            assegno_inclusione=[False, False, False, False, True],
            disabilita_beneficiario=["nessuna", "grave", "nessuna", "nessuna", "nessuna"],
        ).with_columns(data_dsu=pl.Series([con_dsu, None, None, con_dsu, con_dsu])),
    )


def test_a_domanda_without_attestazione_is_admitted_where_the_regolamento_allows_it() -> None:
    senza, con = motivazione(_nido(), "D2"), motivazione(_nido(), "D1")

    assert (
        "requisito soddisfatto: la domanda è presentata senza attestazione ISEE, come il "
        "regolamento consente." in senza
    )
    assert "senza attestazione ISEE, come" not in con


def test_a_caso_particolare_says_why_it_replaces_the_calcolo() -> None:
    senza_isee, non_residente = motivazione(_nido(), "D2"), motivazione(_nido(), "D4")

    assert (
        "- Importo di base: caso particolare «Senza attestazione ISEE» (art. 5 c. 3), al posto "
        "del calcolo ordinario perché ricorre la condizione `isee IS NULL` (valore ISEE "
        "dell'attestazione: dato non presente nella domanda): 100% × costo unitario del "
        "servizio per l'ente (400,00 €) = 400,00 €." in senza_isee
    )
    assert "Quota a carico dell'utente: 800,00 €." in senza_isee
    assert (
        "caso particolare «Non residenti», al posto del calcolo ordinario perché ricorre la "
        "condizione `comune_residenza <> '001272'` (codice ISTAT del Comune di residenza: "
        "«001006»): importo di 150,00 €." in non_residente
    )
    # The calcolo does not matter: a lower ISEE would only bring the esenzione.
    assert "fino alla soglia" not in non_residente
    assert "Con un ISEE non superiore a 1.000,00 € si applicherebbe l'esenzione" in non_residente


def test_summed_riduzioni_are_one_step_with_their_total() -> None:
    testo = motivazione(_nido(), "D1")

    assert (
        "- Riduzioni sommate («Secondo figlio», 20%; «Terzo figlio» (art. 6), 30%): meno il 50%; "
        "importo 50,00 €." in testo
    )


def test_an_esenzione_by_condition_names_the_condition_and_keeps_the_place() -> None:
    testo = motivazione(_nido(), "D5")

    assert "Esito: ammessa con posto assegnato, esente dalla compartecipazione." in testo
    assert (
        "- Esenzione (art. 8): ricorre la condizione `assegno_inclusione` (il nucleo percepisce "
        "l'Assegno di inclusione: sì), l'importo è pari a zero." in testo
    )
    assert "Alla domanda è assegnato un posto." in testo


def test_an_ordering_expression_is_stated_and_is_part_of_the_cut_off() -> None:
    prima, attesa = motivazione(_nido(), "D2"), motivazione(_nido(), "D1")

    precedenza = (
        "Criterio di precedenza «Precedenza ai bambini con disabilità» "
        "(`disabilita_beneficiario <> 'nessuna'`): "
    )
    assert precedenza + "sì." in prima
    assert precedenza + "no." in attesa
    assert (
        "L'ultimo posto è assegnato alla domanda in posizione n. 2 («Precedenza ai bambini con "
        "disabilità»: no, ISEE 3.000,00 €)." in attesa
    )
    assert (
        "cioè avere «Precedenza ai bambini con disabilità» pari a «sì», oppure, a parità di "
        "«Precedenza ai bambini con disabilità», un ISEE inferiore a 3.000,00 €." in attesa
    )


FASCE_CON_SOGLIA = """
importo:
  tipo: contributo
  calcolo:
    fasce:
      fasce:
        - {da: 0, a: 5000, importo: 300}
        - {da: 5000.01, a: 10000, importo: 150}
        - {da: 10000.01, importo: 99.5}
  arrotondamento: {passo: 1, modo: per_eccesso}
  soglia_erogazione: 120
  casi_particolari:
    - {id: sfratto, descrizione: Sfratto, condizione: sfratto_in_corso, importo: 1000}
graduatoria:
  ordine:
    - {espressione: "disabilita_beneficiario <> 'nessuna'", descrizione: Precedenza disabilità,
       verso: decrescente}
    - {chiave: isee, verso: crescente}
stanziamento: {importo: 1300, ultimo: escludi}
"""


def _con_soglia() -> Esiti:
    """D1 under the soglia, D2 without ISEE, D3 evicted, D4 beyond the stanziamento."""
    return valuta(
        _regolamento(FASCE_CON_SOGLIA),
        _domande(
            5,
            isee=[12000.0, None, 4000.0, 6000.0, 3000.0],
            disabilita_beneficiario=["nessuna", "nessuna", "grave", "nessuna", "grave"],
            sfratto_in_corso=[False, False, True, False, False],
        ),
    )


def test_a_contributo_below_the_soglia_di_erogazione_is_not_paid() -> None:
    testo = motivazione(_con_soglia(), "D1")

    assert "Esito: ammessa, importo inferiore alla soglia di erogazione." in testo
    assert "- Arrotondato all'euro (per eccesso): 100,00 €." in testo
    assert (
        "- Inferiore alla soglia di erogazione di 120,00 €: il contributo non è erogato e "
        "l'importo è pari a zero." in testo
    )
    assert "Il contributo, inferiore alla soglia di erogazione, non è erogato." in testo
    assert "Con un ISEE fino a 10.000,00 € (fascia 2) il contributo sarebbe di 150,00 €" in testo


def test_a_missing_isee_gives_no_fascia_and_no_amount() -> None:
    testo = motivazione(_con_soglia(), "D2")

    assert "Esito: ammessa, importo non calcolabile per dati mancanti." in testo
    assert (
        "L'importo non può essere calcolato: dato non presente nella domanda («valore ISEE "
        "dell'attestazione»). Nessuno dei casi particolari previsti ricorre." in testo
    )
    assert "La domanda non entra in graduatoria perché l'importo non può essere calcolato." in testo


def test_a_priority_held_by_the_cut_off_must_be_shared_to_precede_it() -> None:
    testo = motivazione(_con_soglia(), "D4")

    assert "(«Precedenza disabilità»: sì, ISEE 4.000,00 €)" in testo
    assert (
        "cioè avere «Precedenza disabilità» pari a «sì» e un ISEE inferiore a 4.000,00 €." in testo
    )


_ESEMPI = sorted(Path(str(files("equo.regolamenti").joinpath("esempi"))).glob("*.yaml"))
_DOMANDE = Path(__file__).parents[2] / "examples" / "regolamenti"


@pytest.mark.parametrize("esempio", _ESEMPI, ids=lambda p: p.stem)
def test_every_example_domanda_gets_a_motivazione_naming_its_failed_requisiti(
    esempio: Path,
) -> None:
    csv = _DOMANDE / f"domande_{esempio.stem}.csv"
    if not csv.is_file():
        pytest.skip(f"nessun file di domande per {esempio.stem}")
    regolamento = carica(esempio)
    esiti = valuta(regolamento, leggi_domande(csv, regolamento))

    tutte = motivazioni(esiti).join(esiti.frame, on="id_domanda")

    for riga in tutte.iter_rows(named=True):
        assert f"Esito: {riga['esito']}." in riga["motivazione"]
        for condizione in regolamento.condizioni:
            if not riga[condizione.colonna]:
                assert condizione.descrizione in riga["motivazione"]


_DOMANDA = st.fixed_dictionaries(
    {
        "isee": st.one_of(st.none(), st.floats(0, 40000, allow_nan=False)),
        "eta_richiedente": st.one_of(st.none(), st.integers(0, 90)),
        "anni_residenza": st.one_of(st.none(), st.floats(0, 50, allow_nan=False)),
        "disoccupato": st.one_of(st.none(), st.booleans()),
        "canone_annuo": st.one_of(st.none(), st.floats(0, 20000, allow_nan=False)),
        "numero_minorenni": st.integers(0, 4),
        "sfratto_in_corso": st.booleans(),
        "data_dsu": st.dates(dt.date(2025, 6, 1), dt.date(2026, 6, 1)),
    }
)
_PROPRIETA = _regolamento(
    REQUISITI,
    _importo(LINEARE),
    GRADUATORIA,
    "stanziamento: {importo: 500, ultimo: parziale}",
)


@settings(max_examples=40, deadline=None)
@given(st.lists(_DOMANDA, min_size=1, max_size=6))
def test_every_requisito_not_met_has_its_description_in_the_motivazione(
    persone: list[dict[str, Any]],
) -> None:
    colonne = {nome: [p[nome] for p in persone] for nome in persone[0]}
    domande = _domande(len(persone), **colonne).with_columns(
        pl.col("isee", "anni_residenza", "canone_annuo").cast(pl.Float64),
        pl.col("eta_richiedente").cast(pl.Int64),
        pl.col("disoccupato").cast(pl.Boolean),
    )
    esiti = valuta(_PROPRIETA, domande)

    tutte = motivazioni(esiti).join(esiti.frame, on="id_domanda")

    for riga in tutte.iter_rows(named=True):
        for condizione in _PROPRIETA.condizioni:
            if not riga[condizione.colonna]:
                assert condizione.descrizione in riga["motivazione"]
                assert condizione.articolo is None or condizione.articolo in riga["motivazione"]


_NUOVE_PARTI = (_regolamento(NIDO), _regolamento(FASCE_CON_SOGLIA))
_DOMANDA_NUOVE_PARTI = st.fixed_dictionaries(
    {
        "isee": st.one_of(st.none(), st.floats(0, 15000, allow_nan=False)),
        "data_dsu": st.one_of(st.none(), st.just(dt.date(2026, 2, 1))),
        "costo_servizio": st.floats(0, 1000, allow_nan=False),
        "comune_residenza": st.sampled_from(["001272", "001006"]),
        "quantita_servizio": st.floats(0, 20, allow_nan=False),
        "ordine_figlio": st.integers(1, 4),
        "assegno_inclusione": st.booleans(),
        "disabilita_beneficiario": st.one_of(st.none(), st.sampled_from(["nessuna", "grave"])),
        "sfratto_in_corso": st.booleans(),
    }
)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(_NUOVE_PARTI), st.lists(_DOMANDA_NUOVE_PARTI, min_size=1, max_size=6))
def test_every_new_part_that_applies_is_named_in_the_motivazione(
    regolamento: RegolamentoCompilato, persone: list[dict[str, Any]]
) -> None:
    colonne = {nome: [p[nome] for p in persone] for nome in persone[0]}
    domande = _domande(len(persone), **colonne).with_columns(
        pl.col("isee", "costo_servizio", "quantita_servizio").cast(pl.Float64),
        pl.col("data_dsu").cast(pl.Date),
        pl.col("disabilita_beneficiario").cast(pl.String),
    )
    esiti = valuta(regolamento, domande)
    importo = regolamento.documento.importo
    assert importo is not None
    casi = {c.id: c.descrizione for c in importo.casi_particolari}

    tutte = motivazioni(esiti).join(esiti.frame, on="id_domanda")

    for riga in tutte.iter_rows(named=True):
        testo = riga["motivazione"]
        assert f"Esito: {riga['esito']}." in testo
        assert "None" not in testo
        if not riga["ammissibile"]:
            continue
        if riga["caso_particolare"] is not None:
            assert f"caso particolare «{casi[riga['caso_particolare']]}»" in testo
        if riga["esente"]:
            assert "Esenzione (art. 8): " in testo
        if riga["sotto_soglia"] and riga["importo"] is not None:
            assert "Inferiore alla soglia di erogazione di 120,00 €" in testo
        if riga["importo"] is None:
            assert "L'importo non può essere calcolato" in testo
