"""Graduatoria ties and budget exhaustion, against hand-computed results."""

from __future__ import annotations

from typing import Any

import pytest

from equo.regolamenti import Esiti, valuta
from equo.regolamenti.valuta import Esito

from .builders import compilato, domande

CANONE = {"tipo": "contributo", "calcolo": {"espressione": "canone_annuo"}}
PER_PUNTEGGIO = {"ordine": [{"chiave": "punteggio", "verso": "decrescente"}]}
PUNTI = [
    {"id": "punti", "descrizione": "Punti dichiarati", "punti_espressione": "quantita_servizio"}
]


def bando(stanziamento: dict[str, Any], **graduatoria: Any) -> Esiti:
    """Four domande ranked D1..D4 (points 40, 30, 20, 10) asking 400, 400, 300, 100 euro."""
    return valuta(
        compilato(
            importo=CANONE,
            graduatoria={"punteggi": PUNTI, **PER_PUNTEGGIO, **graduatoria},
            stanziamento=stanziamento,
        ),
        domande(
            isee=[1.0] * 4,
            canone_annuo=[400.0, 400.0, 300.0, 100.0],
            quantita_servizio=[40.0, 30.0, 20.0, 10.0],
        ),
    )


def assegnati(esiti: Esiti) -> list[float]:
    return esiti.frame["importo_assegnato"].to_list()


@pytest.mark.parametrize(
    ("budget", "expected"),
    [
        (1000, [400, 400, 0, 0]),  # 300 does not fit: it and every later domanda are excluded
        (1100, [400, 400, 300, 0]),  # the third fits exactly
        (1099.99, [400, 400, 0, 0]),  # one cent short
        (1200, [400, 400, 300, 100]),
    ],
)
def test_escludi_stops_at_the_first_domanda_that_does_not_fit(
    budget: float, expected: list[float]
) -> None:
    assert assegnati(bando({"importo": budget, "ultimo": "escludi"})) == expected


def test_parziale_gives_the_first_that_does_not_fit_what_is_left() -> None:
    esiti = bando({"importo": 1000, "ultimo": "parziale"})
    assert assegnati(esiti) == [400, 400, 200, 0]
    assert esiti.frame["esito"].to_list() == [
        Esito.FINANZIATA,
        Esito.FINANZIATA,
        Esito.PARZIALE,
        Esito.NON_FINANZIATA,
    ]
    assert esiti.riepilogo.assegnato == 1000
    assert esiti.riepilogo.residuo == 0
    assert esiti.riepilogo.ultima_posizione_finanziata == 3
    assert esiti.riepilogo.soglia == {"punteggio": 20.0}


def test_proporzionale_reduces_everybody_by_the_same_ratio_rounding_down() -> None:
    esiti = bando({"importo": 1000, "ultimo": "proporzionale"})
    # 1000/1200 of each request, to the cent below.
    assert assegnati(esiti) == [333.33, 333.33, 250.0, 83.33]
    assert esiti.riepilogo.assegnato == 999.99
    assert esiti.frame["finanziata"].to_list() == [True] * 4


def test_proporzionale_pays_in_full_when_the_budget_is_enough() -> None:
    assert assegnati(bando({"importo": 5000, "ultimo": "proporzionale"})) == [400, 400, 300, 100]


def test_the_riserva_is_held_back() -> None:
    esiti = bando({"importo": 1200, "riserva": {"percentuale": 10}, "ultimo": "escludi"})
    # 1080 € assignable: the 300 € domanda (cumulative 1100) does not fit.
    assert assegnati(esiti) == [400, 400, 0, 0]
    assert esiti.riepilogo.riserva == 120
    assert esiti.riepilogo.residuo == 280


def test_ties_are_broken_by_lower_isee_then_protocollo_then_id() -> None:
    regolamento = compilato(
        importo={"tipo": "contributo", "calcolo": {"fisso": 100}},
        graduatoria={
            "punteggi": [
                {
                    "id": "minori",
                    "descrizione": "Minori",
                    "condizione": "numero_minorenni > 0",
                    "punti": 5,
                }
            ],
            "ordine": [
                {"chiave": "punteggio", "verso": "decrescente"},
                {"chiave": "isee", "verso": "crescente"},
                {"chiave": "protocollo", "verso": "crescente"},
            ],
        },
    )
    esiti = valuta(
        regolamento,
        domande(
            numero_minorenni=[0, 1, 1, 1, 1, 1],
            isee=[100.0, 9000.0, 8000.0, 8000.0, 8000.0, None],
            protocollo=[1, 2, 9, 7, 7, 1],
        ),
    )
    positions = dict(zip(esiti.frame["id_domanda"], esiti.frame["posizione"], strict=True))
    # D3, D4, D5 tie on points and ISEE: D4 and D5 share protocollo 7, then the id decides.
    assert positions == {"D4": 1, "D5": 2, "D3": 3, "D2": 4, "D6": 5, "D1": 6}


def test_reserved_quotas_fund_each_group_first_then_the_general_graduatoria() -> None:
    def run(residuo: str) -> list[float]:
        esiti = valuta(
            compilato(
                importo=CANONE,
                graduatoria={
                    "punteggi": PUNTI,
                    **PER_PUNTEGGIO,
                    "quote_riservate": {
                        "per": "comune_residenza",
                        "residuo": residuo,
                        "quote": [
                            {"valore": "A", "percentuale": 50},
                            {"valore": "B", "percentuale": 30},
                        ],
                    },
                },
                stanziamento={"importo": 1000, "ultimo": "escludi"},
            ),
            domande(
                isee=[1.0] * 4,
                canone_annuo=[300.0, 500.0, 300.0, 100.0],
                quantita_servizio=[40.0, 30.0, 20.0, 10.0],
                comune_residenza=["A", "C", "A", "B"],
            ),
        )
        return assegnati(esiti)

    # Quotas: A 500 € funds D1 (300; D3 would reach 600), B 300 € funds D4 (100).
    # General: 1000 − 400 = 600 € in order: D2 (500) fits, D3 (300) does not.
    assert run("graduatoria_generale") == [300, 500, 0, 100]
    # Not redistributed: only the unreserved 20% (200 €) is left, and D2 (500) does not fit.
    assert run("non_redistribuito") == [300, 0, 0, 100]


def test_places_go_in_graduatoria_order() -> None:
    esiti = valuta(
        compilato(
            importo={"tipo": "compartecipazione", "calcolo": {"fisso": 200}},
            graduatoria={"punteggi": PUNTI, **PER_PUNTEGGIO},
            stanziamento={"posti": 2},
        ),
        domande(isee=[1.0] * 3, quantita_servizio=[1.0, 3.0, 2.0]),
    )
    assert esiti.frame["esito"].to_list() == [Esito.ATTESA, Esito.POSTO, Esito.POSTO]
    assert esiti.riepilogo.assegnato == 2
    assert esiti.riepilogo.ultima_posizione_finanziata == 2


def test_only_admitted_domande_with_an_amount_enter_a_graduatoria_in_euro() -> None:
    esiti = valuta(
        compilato(
            requisiti=[{"id": "soglia", "descrizione": "ISEE", "condizione": "isee <= 10000"}],
            importo=CANONE,
            graduatoria={"punteggi": PUNTI, **PER_PUNTEGGIO},
            stanziamento={"importo": 10000},
        ),
        domande(
            isee=[20000.0, 1.0, 1.0],
            canone_annuo=[500.0, 0.0, 300.0],
            quantita_servizio=[99.0, 50.0, 1.0],
        ),
    )
    assert esiti.frame["posizione"].to_list() == [None, None, 1]
    assert esiti.frame["esito"].to_list() == [
        Esito.NON_AMMESSA,
        Esito.IMPORTO_NULLO,
        Esito.FINANZIATA,
    ]
    assert esiti.riepilogo.in_graduatoria == 1


def test_an_ordering_expression_gives_absolute_priority_before_points() -> None:
    esiti = valuta(
        compilato(
            importo={"tipo": "compartecipazione", "calcolo": {"fisso": 200}},
            graduatoria={
                "punteggi": PUNTI,
                "ordine": [
                    {
                        "espressione": "disabilita_beneficiario <> 'nessuna'",
                        "descrizione": "Precedenza ai bambini con disabilità",
                        "verso": "decrescente",
                    },
                    {"chiave": "punteggio", "verso": "decrescente"},
                ],
            },
            stanziamento={"posti": 1},
        ),
        domande(
            isee=[1.0] * 3,
            quantita_servizio=[90.0, 10.0, 50.0],
            disabilita_beneficiario=["nessuna", "grave", "nessuna"],
        ),
    )
    assert esiti.frame["posizione"].to_list() == [2, 1, 3]
    assert esiti.frame["esito"].to_list() == [Esito.ATTESA, Esito.POSTO, Esito.ATTESA]
