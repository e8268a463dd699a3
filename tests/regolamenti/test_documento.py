"""Malformed documents: each problem is precise, with file, line and field."""

from __future__ import annotations

import textwrap

import pytest

from equo.regolamenti import Problema, RegolamentoNonValido, carica_testo

HEAD = """\
formato: equo-regolamento/1
codice: prova
versione: "1"
titolo: Prova
ente: {nome: Comune di Prova}
prestazione: {nome: Prova, codice_siuss: A1.04, area_utenza: povertà}
delibera: {numero: "1", data: 2026-01-10}
vigenza: {dal: 2026-01-01}
"""
HEAD_LINES = HEAD.count("\n")


def problems(body: str, head: str = HEAD) -> list[Problema]:
    with pytest.raises(RegolamentoNonValido) as raised:
        carica_testo(head + textwrap.dedent(body), "r.yaml")
    return raised.value.problemi


def only(body: str, head: str = HEAD) -> Problema:
    found = problems(body, head)
    assert len(found) == 1, found
    return found[0]


def test_a_valid_document_loads() -> None:
    compiled = carica_testo(HEAD + "requisiti: []\n")
    assert compiled.documento.codice == "prova"


def test_an_unknown_field_is_named_with_its_line() -> None:
    problem = only("requisti: []\n")
    assert (problem.file, problem.riga, problem.campo) == ("r.yaml", HEAD_LINES + 1, "requisti")
    assert problem.messaggio == "campo sconosciuto"
    assert str(problem) == f"r.yaml:{HEAD_LINES + 1}: requisti: campo sconosciuto"


def test_a_wrong_type_is_named_with_its_line() -> None:
    problem = only(
        """\
        importo:
          tipo: contributo
          calcolo: {fisso: tanti}
        """
    )
    assert problem.riga == HEAD_LINES + 3
    assert problem.campo == "importo.calcolo.fisso"
    assert problem.messaggio == "deve essere un numero"


def test_a_missing_field_is_named() -> None:
    problem = only("", head=HEAD.replace('versione: "1"\n', ""))
    assert (problem.campo, problem.messaggio) == ("versione", "campo obbligatorio mancante")


def test_a_yaml_syntax_error_gives_its_line() -> None:
    problem = only("requisiti: [\n  - a: b\n")
    assert problem.riga is not None and problem.riga > HEAD_LINES
    assert problem.messaggio.startswith("sintassi YAML non valida")


FASCE = """\
importo:
  tipo: compartecipazione
  calcolo:
    fasce:
      fasce:
        - {{da: 0, a: 5000, importo: 0}}
        - {{da: {second}, a: 10000, importo: 50}}
        - {{da: 10000.01, importo: 100}}
"""


def test_overlapping_fasce_are_refused_with_the_right_start() -> None:
    problem = only(FASCE.format(second=5000))
    assert problem.campo == "importo.calcolo.fasce.fasce[1].da"
    assert problem.riga == HEAD_LINES + 7
    assert "già compreso nella fascia precedente" in problem.messaggio
    assert "deve iniziare a 5000.01" in problem.messaggio


def test_gapped_fasce_are_refused() -> None:
    problem = only(FASCE.format(second=5000.02))
    assert problem.campo == "importo.calcolo.fasce.fasce[1].da"
    assert "vuoto" in problem.messaggio and "5000.01" in problem.messaggio


def test_fasce_must_start_from_zero_and_end_open() -> None:
    found = problems(
        """\
        importo:
          tipo: compartecipazione
          calcolo:
            fasce:
              fasce:
                - {da: 100, a: 5000, importo: 0}
                - {da: 5000.01, a: 9000, importo: 50}
        """
    )
    assert {p.campo for p in found} == {
        "importo.calcolo.fasce.fasce[0].da",
        "importo.calcolo.fasce.fasce[1].a",
    }


def test_linear_thresholds_in_the_wrong_order_are_refused() -> None:
    problem = only(
        """\
        importo:
          tipo: compartecipazione
          calcolo:
            lineare: {da: 30000, a: 6000, valore_da: 100, valore_a: 480}
        """
    )
    assert problem.campo == "importo.calcolo.lineare.a"
    assert "deve essere maggiore di quella inferiore" in problem.messaggio


def test_a_floor_above_the_cap_is_refused() -> None:
    problem = only(
        """\
        importo: {tipo: contributo, calcolo: {fisso: 1}, minimo: 100, massimo: 50}
        """
    )
    assert problem.campo == "importo.massimo"


def test_a_vigenza_ending_before_it_starts_is_refused() -> None:
    problem = only("", head=HEAD.replace("{dal: 2026-01-01}", "{dal: 2026-01-01, al: 2025-12-31}"))
    assert (problem.campo, problem.riga) == ("vigenza.al", 8)


def test_a_calcolo_with_two_shapes_is_refused() -> None:
    problem = only("importo: {tipo: contributo, calcolo: {fisso: 1, espressione: isee}}\n")
    assert problem.campo == "importo.calcolo"
    assert "una sola forma di calcolo" in problem.messaggio


def test_an_unknown_field_in_a_condition_is_a_load_time_error_with_a_suggestion() -> None:
    problem = only(
        """\
        requisiti:
          - id: soglia
            descrizione: ISEE fino a 15.000
            condizione: ise <= 15000 AND anni_residenzaa >= 5
        """
    )
    assert (problem.campo, problem.riga) == ("requisiti[0].condizione", HEAD_LINES + 4)
    assert "campo sconosciuto 'anni_residenzaa' (forse 'anni_residenza'?)" in problem.messaggio


def test_a_type_error_in_a_condition_is_a_load_time_error() -> None:
    problem = only(
        """\
        requisiti:
          - {id: soglia, descrizione: Soglia, condizione: "isee <= 'quindicimila'"}
        """
    )
    assert problem.campo == "requisiti[0].condizione"
    assert problem.messaggio.startswith("tipi non compatibili")


def test_a_condition_must_be_true_or_false() -> None:
    problem = only("requisiti: [{id: soglia, descrizione: Soglia, condizione: isee * 2}]\n")
    assert problem.messaggio == "la condizione deve essere vera o falsa, non un numero"


def test_an_amount_expression_must_be_a_number() -> None:
    problem = only("importo: {tipo: contributo, calcolo: {espressione: comune_residenza}}\n")
    assert problem.campo == "importo.calcolo.espressione"
    assert problem.messaggio == "l'espressione deve dare un numero, non un testo"


def test_invalid_sql_is_refused() -> None:
    problem = only("requisiti: [{id: soglia, descrizione: Soglia, condizione: 'isee <='}]\n")
    assert problem.messaggio.startswith("espressione SQL non valida")


def test_a_field_the_regolamento_declares_can_be_used() -> None:
    compiled = carica_testo(
        HEAD
        + textwrap.dedent(
            """\
            campi_domanda:
              - {nome: figli_in_affido, tipo: intero, descrizione: Minori in affido}
            requisiti:
              - {id: affido, descrizione: Minori in affido, condizione: figli_in_affido > 0}
            """
        )
    )
    assert "figli_in_affido" in compiled.campi_usati


def test_every_problem_is_reported_at_once() -> None:
    found = problems(
        """\
        requisiti:
          - {id: a, descrizione: A, condizione: foo > 1}
          - {id: a, descrizione: B, condizione: isee > 1}
        importo: {tipo: contributo, calcolo: {percentuale: {percentuale: 30, di: bar}}}
        """
    )
    assert [p.campo for p in found] == ["requisiti[1].id"]
    assert found[0].messaggio == "'a' è già usato"
    found_fields = problems(
        """\
        requisiti:
          - {id: a, descrizione: A, condizione: foo > 1}
        importo: {tipo: contributo, calcolo: {percentuale: {percentuale: 30, di: bar}}}
        """
    )
    assert [p.campo for p in found_fields] == [
        "requisiti[0].condizione",
        "importo.calcolo.percentuale.di",
    ]


def test_an_unknown_siuss_code_and_variant_are_refused() -> None:
    head = HEAD.replace("A1.04", "A9.99") + "indicatore: {variante: ordinaria}\n"
    found = problems("", head=head)
    assert [p.campo for p in found] == ["prestazione.codice_siuss", "indicatore.variante"]
    assert "ammesse ordinario" in found[1].messaggio


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            "importo: {tipo: compartecipazione, calcolo: {fisso: 1}}\n"
            "graduatoria: {ordine: [{chiave: isee, verso: crescente}]}\n"
            "stanziamento: {importo: 1000}\n",
            "",
        ),
        (
            "importo: {tipo: contributo, calcolo: {fisso: 1}}\n"
            "graduatoria: {ordine: [{chiave: isee, verso: crescente}]}\n"
            "stanziamento: {posti: 3, ultimo: proporzionale}\n",
            "stanziamento",
        ),
        (
            "importo: {tipo: contributo, calcolo: {fisso: 1}}\n"
            "graduatoria:\n"
            "  ordine: [{chiave: isee, verso: crescente}]\n"
            "  quote_riservate:\n"
            "    per: comune_residenza\n"
            "    quote: [{valore: A, percentuale: 60}, {valore: B, percentuale: 50}]\n"
            "stanziamento: {importo: 1000}\n",
            "graduatoria.quote_riservate.quote",
        ),
    ],
)
def test_inconsistent_stanziamenti_are_refused(body: str, field: str) -> None:
    problem = only(body)
    assert problem.campo.startswith(field)


def test_ids_are_unique_across_requisiti_and_criteri_and_the_validity_id_is_reserved() -> None:
    found = problems(
        """\
        requisiti:
          - {id: attestazione_valida, descrizione: A, condizione: isee > 1}
          - {id: residenza, descrizione: B, condizione: anni_residenza > 1}
        ulteriori_criteri:
          - {id: residenza, descrizione: C, condizione: anni_residenza > 5}
        """
    )
    assert [(p.campo, p.messaggio) for p in found] == [
        ("requisiti[0].id", "'attestazione_valida' è riservato"),
        ("ulteriori_criteri[0].id", "'residenza' è già usato"),
    ]


def test_a_message_with_a_semicolon_is_not_split() -> None:
    problem = only("requisiti: [{id: Soglia, descrizione: A, condizione: isee > 1}]\n")
    assert problem.campo == "requisiti[0].id"
    assert "per i codici SIUSS" in problem.messaggio


def test_text_in_double_quotes_gets_a_hint() -> None:
    problem = only(
        """requisiti: [{id: a, descrizione: A, condizione: 'comune_residenza = "001272"'}]\n"""
    )
    assert "usare gli apici singoli ('001272')" in problem.messaggio


def test_a_common_type_error_is_explained_in_italian() -> None:
    problem = only("""requisiti: [{id: a, descrizione: A, condizione: "isee > '5'"}]\n""")
    assert problem.messaggio.startswith("tipi non compatibili: confronto tra un testo e un numero")


def test_an_ordering_expression_is_compiled_against_the_fields() -> None:
    problem = only(
        """\
        importo: {tipo: contributo, calcolo: {fisso: 1}}
        graduatoria:
          ordine:
            - {espressione: "disabilita_beneficiaro <> 'nessuna'", verso: decrescente}
            - {chiave: punteggio, verso: decrescente}
        """
    )
    assert problem.campo == "graduatoria.ordine[0].espressione"
    assert "forse 'disabilita_beneficiario'" in problem.messaggio


def test_a_payout_threshold_is_only_for_a_contributo() -> None:
    problem = only(
        "importo: {tipo: compartecipazione, calcolo: {fisso: 1}, soglia_erogazione: 5}\n"
    )
    assert problem.campo == "importo.soglia_erogazione"
