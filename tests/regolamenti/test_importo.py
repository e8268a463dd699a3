"""Each shape of the amount at and around its thresholds: on the boundary, a cent either side."""

from __future__ import annotations

from typing import Any

import pytest

from equo.regolamenti import valuta
from equo.regolamenti.valuta import Esito

from .builders import DATA_DSU, compilato, domande


def importi(importo: dict[str, Any], **columns: list[Any]) -> list[float | None]:
    esiti = valuta(compilato(importo=importo), domande(**columns))
    return esiti.frame["importo"].to_list()


def test_a_fixed_amount_is_the_same_for_everybody() -> None:
    amounts = importi({"tipo": "contributo", "calcolo": {"fisso": 500}}, isee=[0.0, 99_000.0])
    assert amounts == [500.0, 500.0]


FASCE = {
    "tipo": "compartecipazione",
    "calcolo": {
        "fasce": {
            "su": "isee",
            "percentuale_di": "costo_servizio",
            "fasce": [
                {"da": 0, "a": 5000, "importo": 0},
                {"da": 5000.01, "a": 10000, "percentuale": 30},
                {"da": 10000.01, "importo": 200},
            ],
        }
    },
}


@pytest.mark.parametrize(
    ("isee", "expected"),
    [
        (0.0, 0.0),
        (4999.99, 0.0),
        (5000.0, 0.0),
        (5000.01, 30.0),
        (9999.99, 30.0),
        (10000.0, 30.0),
        (10000.01, 200.0),
        (1_000_000.0, 200.0),
    ],
)
def test_fasce_include_both_limits_to_the_cent(isee: float, expected: float) -> None:
    assert importi(FASCE, isee=[isee], costo_servizio=[100.0]) == [expected]


LINEARE = {
    "tipo": "compartecipazione",
    "calcolo": {"lineare": {"da": 0, "a": 10000, "valore_da": 0, "valore_a": 100}},
}


@pytest.mark.parametrize(
    ("isee", "commerciale", "per_difetto", "per_eccesso"),
    [
        (1234.56, 12.35, 12.34, 12.35),
        (1234.50, 12.35, 12.34, 12.35),  # 12.345: a true half cent rounds up
        (1234.49, 12.34, 12.34, 12.35),
        (9999.99, 100.0, 99.99, 100.0),
        (10000.0, 100.0, 100.0, 100.0),
        (10000.01, 100.0, 100.0, 100.0),
    ],
)
def test_the_linear_retta_rounds_as_the_document_says(
    isee: float, commerciale: float, per_difetto: float, per_eccesso: float
) -> None:
    for modo, expected in (
        ("commerciale", commerciale),
        ("per_difetto", per_difetto),
        ("per_eccesso", per_eccesso),
    ):
        rule = {**LINEARE, "arrotondamento": {"passo": 0.01, "modo": modo}}
        assert importi(rule, isee=[isee]) == [expected], modo


def test_the_linear_retta_is_flat_outside_its_thresholds() -> None:
    rule = {
        "tipo": "compartecipazione",
        "calcolo": {"lineare": {"da": 6000, "a": 30000, "valore_da": 100, "valore_a": 480}},
    }
    isee = [0.0, 5999.99, 6000.0, 6000.01, 18000.0, 29999.99, 30000.0, 30000.01]
    assert importi(rule, isee=isee) == [100.0, 100.0, 100.0, 100.0, 290.0, 480.0, 480.0, 480.0]


def test_a_linear_percentage_applies_to_the_cost_of_the_service() -> None:
    rule = {
        "tipo": "compartecipazione",
        "calcolo": {
            "lineare": {
                "da": 0,
                "a": 20000,
                "valore_da": 10,
                "valore_a": 90,
                "percentuale_di": "costo_servizio",
            }
        },
    }
    # At ISEE 10,000 the share is 50% of 300 €.
    assert importi(rule, isee=[10000.0], costo_servizio=[300.0]) == [150.0]


def test_a_percentage_of_the_cost_rounds_a_half_cent_up() -> None:
    rule = {
        "tipo": "compartecipazione",
        "calcolo": {"percentuale": {"percentuale": 30, "di": "costo_servizio"}},
    }
    # 30% of 123.45 = 37.035, stored as 37.03499…: still 37.04.
    assert importi(rule, isee=[1.0], costo_servizio=[123.45]) == [37.04]


def test_an_expression_never_gives_a_negative_amount_and_respects_the_cap() -> None:
    rule = {
        "tipo": "contributo",
        "calcolo": {"espressione": "canone_annuo - 0.14 * isee"},
        "massimo": 3100,
    }
    amounts = importi(rule, isee=[10000.0, 50000.0, 0.0], canone_annuo=[6000.0, 6000.0, 3100.01])
    assert amounts == [3100.0, 0.0, 3100.0]


def test_the_amount_is_multiplied_by_the_quantity() -> None:
    rule = {"tipo": "compartecipazione", "calcolo": {"fisso": 2.5}, "per": "quantita_servizio"}
    assert importi(rule, isee=[1.0, 1.0], quantita_servizio=[20.0, 0.0]) == [50.0, 0.0]


def test_supplements_count_the_units_beyond_the_first() -> None:
    rule = {
        "tipo": "contributo",
        "calcolo": {"fisso": 300},
        "maggiorazioni": [
            {
                "id": "minori",
                "descrizione": "Per ogni minore dal secondo",
                "per_ogni": "numero_minorenni",
                "oltre": 1,
                "importo": 100,
            }
        ],
    }
    assert importi(rule, isee=[1.0] * 4, numero_minorenni=[0, 1, 2, 3]) == [300, 300, 400, 500]


def test_reductions_that_both_apply_compound() -> None:
    rule = {
        "tipo": "compartecipazione",
        "calcolo": {"fisso": 100},
        "riduzioni": [
            {
                "id": "secondo",
                "descrizione": "Dal secondo figlio",
                "condizione": "ordine_figlio >= 2",
                "percentuale": 20,
            },
            {
                "id": "terzo",
                "descrizione": "Dal terzo figlio",
                "condizione": "ordine_figlio >= 3",
                "percentuale": 50,
            },
        ],
    }
    assert importi(rule, isee=[1.0] * 4, ordine_figlio=[1, 2, 3, None]) == [100, 80, 40, 100]


@pytest.mark.parametrize(
    ("isee", "expected"),
    [(0.0, 50.0), (2000.0, 50.0), (5000.0, 50.0), (8000.0, 80.0), (20000.0, 150.0)],
)
def test_floor_and_cap_bound_the_amount(isee: float, expected: float) -> None:
    rule = {
        "tipo": "compartecipazione",
        "calcolo": {"lineare": {"da": 0, "a": 20000, "valore_da": 0, "valore_a": 200}},
        "minimo": 50,
        "massimo": 150,
    }
    assert importi(rule, isee=[isee]) == [expected]


@pytest.mark.parametrize(("isee", "expected"), [(2999.99, 0.0), (3000.0, 0.0), (3000.01, 60.0)])
def test_the_exemption_applies_at_and_below_its_threshold_even_over_a_floor(
    isee: float, expected: float
) -> None:
    rule = {
        "tipo": "compartecipazione",
        "calcolo": {"fisso": 60},
        "minimo": 20,
        "esenzione": {"isee_fino_a": 3000},
    }
    assert importi(rule, isee=[isee]) == [expected]


@pytest.mark.parametrize(
    ("modo", "expected"),
    [("commerciale", [10.0, 15.0, 15.0]), ("per_difetto", [10.0, 10.0, 15.0])],
)
def test_rounding_to_a_step_of_five_euro(modo: str, expected: list[float]) -> None:
    rule = {
        "tipo": "contributo",
        "calcolo": {"espressione": "canone_annuo"},
        "arrotondamento": {"passo": 5, "modo": modo},
    }
    assert importi(rule, isee=[1.0] * 3, canone_annuo=[12.49, 12.5, 15.0]) == expected


def test_the_household_ceiling_is_shared_proportionally_and_never_exceeded() -> None:
    rule = {
        "tipo": "contributo",
        "calcolo": {"espressione": "canone_annuo"},
        "tetto_nucleo": {"importo": 400},
    }
    amounts = importi(
        rule,
        isee=[1.0] * 6,
        canone_annuo=[300.0, 200.0, 100.0, 100.0, 100.0, 900.0],
        id_nucleo=["A", "A", "B", "B", "B", None],
    )
    assert amounts[:2] == [240.0, 160.0]
    # 3 × 100 € under a 400 € ceiling is unchanged; a domanda without nucleo is not capped.
    assert amounts[2:] == [100.0, 100.0, 100.0, 900.0]
    thirds = importi(
        {**rule, "tetto_nucleo": {"importo": 200}},
        isee=[1.0] * 3,
        canone_annuo=[100.0] * 3,
        id_nucleo=["A"] * 3,
    )
    assert thirds == [66.66, 66.66, 66.66]


def test_a_domanda_not_admitted_has_no_amount() -> None:
    esiti = valuta(
        compilato(
            requisiti=[
                {"id": "soglia", "descrizione": "ISEE fino a 10.000", "condizione": "isee <= 10000"}
            ],
            importo={"tipo": "contributo", "calcolo": {"fisso": 100}},
        ),
        domande(isee=[10000.0, 10000.01]),
    )
    assert esiti.frame["importo"].to_list() == [100.0, None]
    assert esiti.frame["esito"].to_list() == ["ammessa e finanziata", "non ammessa"]


def test_a_caso_particolare_replaces_the_calcolo_for_its_group() -> None:
    rule = {
        "tipo": "compartecipazione",
        "calcolo": {"lineare": {"da": 0, "a": 10000, "valore_da": 0, "valore_a": 100}},
        "casi_particolari": [
            {
                "id": "senza_isee",
                "descrizione": "Senza attestazione: retta piena",
                "condizione": "isee IS NULL",
                "percentuale": 100,
                "di": "costo_servizio",
            },
            {
                "id": "non_residenti",
                "descrizione": "Non residenti",
                "condizione": "comune_residenza <> '001272'",
                "importo": 150,
            },
        ],
        "per": "quantita_servizio",
    }
    esiti = valuta(
        compilato(importo=rule, indicatore={"obbligatorio": False}),
        domande(
            isee=[5000.0, None, None, 5000.0],
            data_dsu=[DATA_DSU, None, None, DATA_DSU],
            costo_servizio=[400.0, 400.0, 400.0, 400.0],
            comune_residenza=["001272", "001272", "001006", "001006"],
            quantita_servizio=[2.0, 2.0, 2.0, 2.0],
        ),
    )
    # The first matching case wins: a non-resident without ISEE pays the full fee.
    assert esiti.frame["importo"].to_list() == [100.0, 800.0, 800.0, 300.0]
    assert esiti.frame["caso_particolare"].to_list() == [
        None,
        "senza_isee",
        "senza_isee",
        "non_residenti",
    ]


def test_without_an_attestazione_a_domanda_is_admitted_only_if_the_regolamento_allows_it() -> None:
    frame = domande(isee=[None, None], data_dsu=[None, DATA_DSU])
    rule = {"tipo": "compartecipazione", "calcolo": {"fisso": 10}}
    strict = valuta(compilato(importo=rule), frame)
    lenient = valuta(compilato(importo=rule, indicatore={"obbligatorio": False}), frame)
    assert strict.frame["ammissibile"].to_list() == [False, True]
    # An ISEE missing with a DSU date given is not "no attestazione": the DSU is valid.
    assert lenient.frame["ammissibile"].to_list() == [True, True]


def test_a_missing_isee_gives_no_band_and_no_amount() -> None:
    esiti = valuta(compilato(importo=FASCE), domande(isee=[None], costo_servizio=[100.0]))
    assert esiti.frame["importo"].to_list() == [None]
    assert esiti.frame["esito"].to_list() == [Esito.NON_CALCOLABILE]
    assert esiti.frame["finanziata"].to_list() == [False]


def test_summed_reductions_add_their_percentages_up_to_all() -> None:
    cuts = [
        {"id": "a", "descrizione": "A", "condizione": "ordine_figlio >= 2", "percentuale": 20},
        {"id": "b", "descrizione": "B", "condizione": "ordine_figlio >= 3", "percentuale": 30},
        {"id": "c", "descrizione": "C", "condizione": "ordine_figlio >= 4", "percentuale": 60},
    ]
    rule = {
        "tipo": "compartecipazione",
        "calcolo": {"fisso": 100},
        "riduzioni": cuts,
        "riduzioni_cumulate": "sommate",
    }
    assert importi(rule, isee=[1.0] * 4, ordine_figlio=[1, 2, 3, 4]) == [100, 80, 50, 0]


def test_an_exemption_by_condition_applies_whatever_the_isee() -> None:
    rule = {
        "tipo": "compartecipazione",
        "calcolo": {"fisso": 60},
        "esenzione": {"condizione": "assegno_inclusione"},
    }
    esiti = valuta(
        compilato(importo=rule), domande(isee=[30000.0, 30000.0], assegno_inclusione=[True, False])
    )
    assert esiti.frame["importo"].to_list() == [0.0, 60.0]
    assert esiti.frame["esito"].to_list() == [Esito.ESENTE, Esito.AMMESSA]


@pytest.mark.parametrize(
    ("canone", "expected", "esito"),
    [
        (199.99, 0.0, Esito.SOTTO_SOGLIA),
        (200.0, 200.0, Esito.FINANZIATA),
        (200.01, 200.01, Esito.FINANZIATA),
    ],
)
def test_a_contributo_below_the_payout_threshold_is_not_paid(
    canone: float, expected: float, esito: str
) -> None:
    rule = {
        "tipo": "contributo",
        "calcolo": {"espressione": "canone_annuo"},
        "soglia_erogazione": 200,
    }
    esiti = valuta(compilato(importo=rule), domande(isee=[1.0], canone_annuo=[canone]))
    assert esiti.frame["importo"].to_list() == [expected]
    assert esiti.frame["esito"].to_list() == [esito]
