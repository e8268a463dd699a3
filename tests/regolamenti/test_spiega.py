"""The plain-Italian summary of a regolamento, and the SIUSS labels it uses."""

from __future__ import annotations

import datetime as dt
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from equo.regolamenti.caricamento import carica
from equo.regolamenti.documento import Regolamento
from equo.regolamenti.siuss import etichetta_siuss
from equo.regolamenti.spiega import spiega
from tests.regolamenti.builders import documento

ESEMPI = sorted(Path(str(files("equo.regolamenti").joinpath("esempi"))).glob("*.yaml"))


def spiegazione(**cambi: Any) -> str:
    return spiega(Regolamento.model_validate(documento(**cambi)))


def righe(**cambi: Any) -> list[str]:
    return spiegazione(**cambi).splitlines()


def test_etichetta_siuss_reads_the_label_table() -> None:
    assert etichetta_siuss("A1.07") == "Contributi e integrazioni a rette per asili nido"
    assert etichetta_siuss("A2.05") == (
        "Agevolazioni per i servizi di pubblica utilità (telefono, luce, gas)"
    )
    assert etichetta_siuss("A9.99") is None


def test_the_heading_names_title_ente_prestazione_delibera_and_vigenza() -> None:
    assert righe(
        ente={"nome": "Comune di Prova", "codice_istat": "001001"},
        delibera={"organo": "Consiglio", "numero": "7", "data": dt.date(2026, 1, 10)},
        vigenza={"dal": dt.date(2026, 4, 1), "al": dt.date(2026, 12, 31)},
    )[:7] == [
        "# Regolamento di prova",
        "",
        "Regolamento «prova», versione 1.",
        "- Ente: Comune di Prova (codice ISTAT 001001).",
        "- Prestazione: Contributo di prova; codice SIUSS A1.04 «Contributi economici a "
        "integrazione del reddito Familiare»; area utenza: povertà ed esclusione sociale.",
        "- Delibera: Consiglio n. 7 del 10/01/2026.",
        "- In vigore dal 01/04/2026 al 31/12/2026.",
    ]


def test_an_open_vigenza_and_an_unknown_siuss_code_are_said_so() -> None:
    spiegato = spiegazione(
        prestazione={"nome": "Altro", "codice_siuss": "A9.99", "area_utenza": "povertà"}
    )
    assert "- In vigore dal 01/01/2026, senza scadenza." in spiegato
    assert "codice SIUSS A9.99 (codice non presente nell'elenco SIUSS)" in spiegato


@pytest.mark.parametrize(
    ("indicatore", "attesa"),
    [
        (
            {"validita_attestazione": 120},
            "Validità: è valida l'attestazione la cui DSU è stata presentata al più 120 giorni "
            "prima della domanda.",
        ),
        (
            {"tipo": "altro", "descrizione": "ICEF"},
            "Validità: la validità dell'attestazione non è verificata (indicatore diverso "
            "dall'ISEE).",
        ),
    ],
)
def test_it_explains_the_validity_of_the_attestazione(
    indicatore: dict[str, Any], attesa: str
) -> None:
    assert attesa in righe(indicatore=indicatore)


def test_the_legal_validity_names_the_law() -> None:
    (riga,) = [r for r in righe() if r.startswith("Validità:")]
    assert "31 dicembre" in riga
    assert "DPCM 159/2013, art. 10, c. 1" in riga


def test_requisiti_show_article_description_and_condition() -> None:
    requisiti = [
        {
            "id": "isee_massimo",
            "descrizione": "ISEE fino a 15.000 euro",
            "articolo": "art. 3",
            "condizione": "isee <= 15000",
        }
    ]
    criteri = [{"id": "patrimonio", "descrizione": "ISP basso", "condizione": "isp\n  < 1000"}]
    spiegato = spiegazione(requisiti=requisiti, ulteriori_criteri=criteri)
    assert (
        "Una domanda è ammessa se soddisfa tutti i requisiti:\n"
        "- «isee_massimo» (art. 3): ISEE fino a 15.000 euro\n"
        "  condizione: `isee <= 15000`\n"
    ) in spiegato
    assert (
        "## Ulteriori criteri di selezione\n\n"
        "Oltre all'indicatore, la domanda deve soddisfare anche questi criteri:\n"
        "- «patrimonio»: ISP basso\n"
        "  condizione: `isp < 1000`\n"
    ) in spiegato


def test_without_requisiti_it_says_there_are_none() -> None:
    assert "Il regolamento non fissa requisiti di accesso." in righe()


def test_fasce_are_listed_one_per_line() -> None:
    importo = {
        "tipo": "compartecipazione",
        "calcolo": {
            "fasce": {
                "percentuale_di": "costo_servizio",
                "fasce": [
                    {"da": 0, "a": 5000, "importo": 50},
                    {"da": 5000.01, "a": 10000, "percentuale": 20},
                    {"da": 10000.01, "importo": 1234.5},
                ],
            }
        },
    }
    assert (
        "1. Importo di base: per fasce di ISEE:\n"
        "   - fascia 1, da 0,00 € a 5.000,00 €: 50,00 €\n"
        "   - fascia 2, da 5.000,01 € a 10.000,00 €: 20% di «costo_servizio»\n"
        "   - fascia 3, da 10.000,01 € in su: 1.234,50 €\n"
    ) in spiegazione(importo=importo)


def test_lineare_says_below_above_and_in_between() -> None:
    calcolo = {"lineare": {"da": 6000, "a": 30000, "valore_da": 100, "valore_a": 480}}
    assert (
        "1. Importo di base: proporzionale a ISEE: da 6.000,00 € di ISEE in giù: 100,00 €; da "
        "30.000,00 € di ISEE in su: 480,00 €; in mezzo proporzionale."
    ) in righe(importo={"tipo": "compartecipazione", "calcolo": calcolo})


def test_the_steps_of_the_amount_follow_the_documented_order() -> None:
    importo = {
        "tipo": "contributo",
        "articolo": "art. 5",
        "calcolo": {"percentuale": {"percentuale": 30, "di": "costo_servizio"}},
        "per": "mesi",
        "maggiorazioni": [
            {
                "id": "trasporto",
                "descrizione": "Trasporto",
                "per_ogni": "numero_minorenni",
                "oltre": 2,
                "importo": 10,
            }
        ],
        "riduzioni": [
            {"id": "fratelli", "descrizione": "Fratelli", "condizione": "x", "percentuale": 20},
            {"id": "terzo", "descrizione": "Terzo figlio", "condizione": "y", "percentuale": 10},
        ],
        "riduzioni_cumulate": "sommate",
        "casi_particolari": [
            {
                "id": "senza_isee",
                "descrizione": "Senza attestazione",
                "articolo": "art. 5, c. 3",
                "condizione": "isee IS NULL",
                "percentuale": 100,
                "di": "costo_servizio",
            },
            {"id": "gratis", "descrizione": "Affido", "condizione": "z", "importo": 0},
        ],
        "esenzione": {"isee_fino_a": 3000, "condizione": "assegno_inclusione"},
        "soglia_erogazione": 2,
        "minimo": 5,
        "massimo": 400,
        "arrotondamento": {"passo": 0.5, "modo": "per_difetto"},
        "tetto_nucleo": {"importo": 800},
    }
    passi = [r for r in righe(importo=importo) if r[:1].isdigit()]
    assert passi == [
        "1. Importo di base: 30% di «costo_servizio».",
        "2. Casi particolari: al posto dell'importo di base si applica quello del primo caso che "
        "ricorre:",
        "3. Si moltiplica per «mesi».",
        "4. Si aggiungono le maggiorazioni:",
        "5. Si applicano le riduzioni (le percentuali delle riduzioni si sommano, fino al 100%):",
        "6. L'importo di ogni domanda è almeno 5,00 € e al più 400,00 €.",
        "7. Esenzione: con ISEE fino a 3.000,00 € oppure dove `assegno_inclusione`, l'importo è "
        "zero.",
        "8. Si arrotonda a multipli di 0,50 € (per difetto).",
        "9. Soglia di erogazione: un importo inferiore a 2,00 € non è erogato (diventa zero).",
        "10. Tetto per nucleo: le domande dello stesso nucleo insieme non ricevono più di "
        "800,00 €; oltre, gli importi si riducono in proporzione.",
    ]
    spiegato = righe(importo=importo)
    assert "## Importo (art. 5)" in spiegato
    assert "Tipo: contributo, cioè somma erogata al richiedente." in spiegato
    assert (
        "   - «trasporto», Trasporto: 10,00 € per ogni unità di «numero_minorenni» oltre le prime 2"
    ) in spiegato
    assert "   - «fratelli», Fratelli: meno 20% dove `x`" in spiegato
    assert (
        "   - «senza_isee» (art. 5, c. 3), Senza attestazione: 100% di «costo_servizio» dove "
        "`isee IS NULL`"
    ) in spiegato
    assert "   - «gratis», Affido: 0,00 € dove `z`" in spiegato


def test_one_riduzione_needs_no_word_on_how_riduzioni_add_up() -> None:
    riduzioni = [{"id": "f", "descrizione": "F", "condizione": "x", "percentuale": 20}]
    importo = {"tipo": "contributo", "calcolo": {"fisso": 300}, "riduzioni": riduzioni}
    assert "2. Si applicano le riduzioni:" in righe(importo=importo)
    composte = {**importo, "riduzioni": [*riduzioni, {**riduzioni[0], "id": "g"}]}
    assert (
        "2. Si applicano le riduzioni (ciascuna riduzione si applica a quanto resta dopo le "
        "precedenti):"
    ) in righe(importo=composte)


def test_an_optional_attestazione_is_said_so() -> None:
    (riga,) = [r for r in righe(indicatore={"obbligatorio": False}) if r.startswith("Attestazione")]
    assert riga.startswith(
        "Attestazione non obbligatoria: è ammessa anche la domanda senza attestazione"
    )
    assert not [r for r in righe() if r.startswith("Attestazione non obbligatoria")]


def test_a_fixed_contributo_is_rounded_to_the_cent_by_default() -> None:
    passi = [
        r
        for r in righe(importo={"tipo": "contributo", "calcolo": {"fisso": 300}})
        if r[:1].isdigit()
    ]
    assert passi == [
        "1. Importo di base: importo fisso di 300,00 €.",
        "2. Si arrotonda al centesimo (arrotondamento commerciale).",
    ]


GRADUATORIA = {
    "articolo": "art. 6",
    "punteggi": [
        {"id": "minori", "descrizione": "Minori", "condizione": "numero_minorenni > 0", "punti": 5},
        {
            "id": "isee",
            "descrizione": "ISEE basso",
            "punti_espressione": "(15000 - isee) / 1000",
            "massimo": 15,
        },
    ],
    "ordine": [
        {"chiave": "punteggio", "verso": "decrescente"},
        {"chiave": "isee", "verso": "crescente"},
        {"chiave": "data_domanda", "verso": "crescente"},
    ],
}


def test_the_graduatoria_explains_points_and_ties_with_id_domanda_last() -> None:
    spiegato = righe(graduatoria=GRADUATORIA)
    assert "## Graduatoria (art. 6)" in spiegato
    assert "- «minori», Minori: 5 punti se `numero_minorenni > 0`" in spiegato
    assert "- «isee», ISEE basso: punti pari a `(15000 - isee) / 1000`, al massimo 15" in spiegato
    assert (
        "Ordine: punteggio decrescente (prima il più alto); a parità, «isee» crescente (prima il "
        "più basso); a parità, «data_domanda» crescente (prima la più vecchia); a parità di "
        "tutto, «id_domanda» crescente (identificativo della domanda)."
    ) in spiegato


def test_id_domanda_is_not_repeated_when_the_ordine_names_it() -> None:
    ordine = [{"chiave": "id_domanda", "verso": "crescente"}]
    (riga,) = [r for r in righe(graduatoria={"ordine": ordine}) if r.startswith("Ordine:")]
    assert riga == "Ordine: «id_domanda» crescente (prima il più basso)."


@pytest.mark.parametrize(
    ("ultimo", "parole"),
    [
        ("escludi", "esclusione dell'ultima domanda non interamente finanziabile"),
        ("parziale", "finanziamento parziale dell'ultima domanda"),
        ("proporzionale", "riduzione proporzionale di tutti i contributi"),
    ],
)
def test_the_stanziamento_explains_reserve_and_last_place(ultimo: str, parole: str) -> None:
    quote = {
        "per": "comune_residenza",
        "residuo": "non_redistribuito",
        "quote": [{"valore": "001001", "percentuale": 60, "descrizione": "Capoluogo"}],
    }
    spiegato = righe(
        importo={"tipo": "contributo", "calcolo": {"fisso": 300}},
        graduatoria={**GRADUATORIA, "quote_riservate": quote},
        stanziamento={"importo": 200000, "riserva": {"percentuale": 5}, "ultimo": ultimo},
    )
    assert "Quote riservate, per «comune_residenza»:" in spiegato
    # The quotas are shares of what the riserva leaves (graduatoria.disponibilita).
    assert (
        "- «001001» (Capoluogo): 60% dello stanziamento al netto della riserva (114.000,00 €)"
    ) in spiegato
    assert "Ciò che una quota non usa non viene redistribuito." in spiegato
    assert "Fondi disponibili: 200.000,00 €." in spiegato
    assert (
        "Riserva accantonata: 5% dello stanziamento (10.000,00 €); per la graduatoria restano "
        "190.000,00 €; su questa somma si calcolano le quote riservate."
    ) in spiegato
    (riga,) = [r for r in spiegato if r.startswith("Se i fondi non bastano:")]
    assert riga.startswith(f"Se i fondi non bastano: {parole} (")


def test_a_stanziamento_of_places_counts_places() -> None:
    quote = {"per": "comune_residenza", "quote": [{"valore": "001001", "percentuale": 50}]}
    spiegato = righe(
        graduatoria={**GRADUATORIA, "quote_riservate": quote}, stanziamento={"posti": 21}
    )
    assert "Posti disponibili: 21, assegnati in ordine di graduatoria." in spiegato
    assert "- «001001»: 50% dei posti (10)" in spiegato
    assert not [r for r in spiegato if r.startswith("Se i fondi non bastano")]


def test_without_a_riserva_the_quotas_are_shares_of_the_whole_stanziamento() -> None:
    quote = {"per": "comune_residenza", "quote": [{"valore": "001001", "percentuale": 60}]}
    spiegato = righe(
        importo={"tipo": "contributo", "calcolo": {"fisso": 300}},
        graduatoria={**GRADUATORIA, "quote_riservate": quote},
        stanziamento={"importo": 1000},
    )
    assert "- «001001»: 60% dello stanziamento (600,00 €)" in spiegato


def test_an_ordering_expression_is_an_absolute_priority_when_true_or_false() -> None:
    ordine = [
        {
            "espressione": "disabilita_beneficiario <> 'nessuna'",
            "descrizione": "Precedenza alla disabilità",
            "verso": "decrescente",
        },
        {"espressione": "numero_minorenni > 2", "verso": "crescente"},
        {"espressione": "punteggio - numero_minorenni", "verso": "decrescente"},
        {"chiave": "isee", "descrizione": "ISEE più basso", "verso": "crescente"},
    ]
    (riga,) = [r for r in righe(graduatoria={"ordine": ordine}) if r.startswith("Ordine:")]
    assert riga == (
        "Ordine: prima le domande per cui vale `disabilita_beneficiario <> 'nessuna'` "
        "(Precedenza alla disabilità); a parità, prima le domande per cui non vale "
        "`numero_minorenni > 2`; a parità, `punteggio - numero_minorenni` decrescente (prima il "
        "più alto); a parità, «isee» (ISEE più basso) crescente (prima il più basso); a parità "
        "di tutto, «id_domanda» crescente (identificativo della domanda)."
    )


@pytest.mark.parametrize("path", ESEMPI, ids=lambda p: p.name)
def test_every_example_is_explained(path: Path) -> None:
    documento_esempio = carica(path).documento
    spiegato = spiega(documento_esempio)
    assert spiegato.startswith(f"# {documento_esempio.titolo}\n")
    assert spiegato.endswith("\n") and not spiegato.endswith("\n\n")
    assert "None" not in spiegato
    for requisito in documento_esempio.requisiti:
        assert f"- «{requisito.id}»" in spiegato
