"""A sweep gives, for each value, what a full run of the base with that value gives."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from equo.isee.engine import compute
from equo.popolazione.modello import Popolazione
from equo.regolamenti import carica
from equo.simulazione import ScenarioNonValido, configurazione, domande, sweep, valori_sweep
from equo.simulazione.esegui import CacheIsee, valuta_configurazione
from equo.simulazione.modifiche import Modifica, applica_modifiche
from equo.simulazione.riduzione import riduci, sottoinsieme
from equo.synthetic.dsu_frames import synthetic_dsu_frames
from tests.simulazione.popolazioni import con_dsu

AFFITTO = Path("src/equo/regolamenti/esempi/contributo_affitto.yaml").resolve()
NIDO = Path("src/equo/regolamenti/esempi/asilo_nido.yaml").resolve()
DATA = dt.date(2026, 5, 1)


@pytest.fixture(scope="module")
def popolazione() -> Popolazione:
    return con_dsu(3000, seed=11)


def _diretto(base: object, popolazione: Popolazione, percorso: str, valore: object) -> dict:
    from equo.simulazione.scenario import Configurazione

    assert isinstance(base, Configurazione)
    if "=" in percorso:
        percorso, _, modello = percorso.partition("=")
        valore = modello.replace("{}", str(int(valore)))  # type: ignore[call-overload]
    compilato = applica_modifiche(
        base.regolamento.documento, [Modifica(percorso, valore)], file="x"
    )
    punto = dataclasses.replace(base, regolamento=compilato)
    esiti = valuta_configurazione(punto, domande(popolazione, punto)).esiti.frame
    return {
        "ammessi": int(esiti["ammissibile"].sum()),
        "beneficiari": int(esiti["finanziata"].sum()),
        "importo_totale": round(float(esiti["importo_assegnato"].fill_null(0).sum()), 2),
    }


@pytest.mark.parametrize(
    ("regolamento", "percorso", "valori", "assunzioni"),
    [
        (
            AFFITTO,
            "requisiti.isee_massimo.condizione",
            ["isee <= 10000", "isee <= 15000", "isee <= 20000"],
            {"proprieta_alloggio_adeguato": False, "altri_contributi_abitativi": 0.0},
        ),
        (
            AFFITTO,
            "requisiti.isee_massimo.condizione=isee <= {}",
            [10000.0, 15000.0, 20000.0],
            {"proprieta_alloggio_adeguato": False, "altri_contributi_abitativi": 0.0},
        ),
        (
            AFFITTO,
            "stanziamento.importo",
            [20000, 40000, 400000],
            {"proprieta_alloggio_adeguato": False, "altri_contributi_abitativi": 0.0},
        ),
        (
            NIDO,
            "importo.calcolo.lineare.a",
            [30000, 35000, 40000],
            {"in_regola_vaccinazioni": True, "tempo_parziale": False},
        ),
    ],
)
def test_each_point_is_a_full_evaluation(
    popolazione: Popolazione,
    regolamento: Path,
    percorso: str,
    valori: list[object],
    assunzioni: dict[str, object],
) -> None:
    base = configurazione("Base", carica(regolamento), data=DATA, assunzioni=assunzioni)
    cache = CacheIsee(popolazione)
    punti = sweep(base, popolazione, percorso, valori, cache=cache)
    assert cache.calcoli == 1
    assert punti["valore"].to_list() == valori
    for riga, valore in zip(punti.iter_rows(named=True), valori, strict=True):
        atteso = _diretto(base, popolazione, percorso, valore)
        assert {k: riga[k] for k in atteso} == atteso
    assert punti["ammessi"].sum() > 0


def test_a_national_parameter_recomputes_the_isee(popolazione: Popolazione) -> None:
    assunzioni = {"proprieta_alloggio_adeguato": False, "altri_contributi_abitativi": 0.0}
    regolamento = carica(AFFITTO)
    base = configurazione("Base", regolamento, data=DATA, assunzioni=assunzioni)
    valori = [52500, 91500]
    punti = sweep(base, popolazione, "isr.detrazione_canone_massimo", [3000, 7000, 12000])
    assert punti.height == 3
    assert punti["ammessi"].to_list() == sorted(punti["ammessi"].to_list())  # more deduction
    punti = sweep(base, popolazione, "isp.franchigia_casa_abitazione", valori)
    for riga, valore in zip(punti.iter_rows(named=True), valori, strict=True):
        punto = configurazione(
            "P",
            regolamento,
            parametri={"isp.franchigia_casa_abitazione": valore},
            data=DATA,
            assunzioni=assunzioni,
        )
        esiti = valuta_configurazione(punto, domande(popolazione, punto)).esiti
        assert riga["beneficiari"] == esiti.riepilogo.finanziate
        assert riga["ammessi"] == esiti.riepilogo.ammissibili
        assert riga["importo_totale"] == esiti.riepilogo.assegnato


def test_a_subset_of_the_dsus_has_the_same_isee() -> None:
    frames = synthetic_dsu_frames(400, seed=3)
    scelti = np.array([0, 3, 10, 11, 200, 399])
    ridotti = sottoinsieme(frames, scelti)
    assert ridotti is not None
    assert ridotti.nuclei["dsu_id"].to_list() == list(range(6))
    tutti = compute(frames).indicatori()["isee"].gather(scelti).to_list()
    assert compute(ridotti).indicatori()["isee"].to_list() == tutti


def test_the_nuclei_never_admitted_are_set_aside(popolazione: Popolazione) -> None:
    assunzioni = {"proprieta_alloggio_adeguato": False, "altri_contributi_abitativi": 0.0}
    base = configurazione("Base", carica(AFFITTO), data=DATA, assunzioni=assunzioni)
    ridotta = riduci(base, popolazione, CacheIsee(popolazione))
    # residence in the Unione and a rented home do not depend on the ISEE rules
    assert 0 < len(ridotta) < len(popolazione)
    assert set(ridotta.nuclei["comune_residenza"]) <= {"001013", "001006", "001093", "001055"}


def test_bad_paths_and_values(popolazione: Popolazione) -> None:
    base = configurazione("Base", carica(NIDO), data=DATA)
    with pytest.raises(ScenarioNonValido, match="non è né un campo del regolamento"):
        sweep(base, popolazione, "soglia", [1])
    with pytest.raises(ScenarioNonValido, match=r"forse 'isp\.franchigia_casa_abitazione'"):
        sweep(base, popolazione, "isp.franchigia_casa", [1])
    with pytest.raises(ScenarioNonValido, match="con il valore -5"):
        sweep(base, popolazione, "importo.calcolo.lineare.a", [-5])
    with pytest.raises(ScenarioNonValido, match="nessun valore"):
        sweep(base, popolazione, "importo.calcolo.lineare.a", [])


def test_values_from_to_step() -> None:
    assert valori_sweep(10000, 20000, 500) == [10000 + 500 * i for i in range(21)]
    assert valori_sweep(0.1, 0.3, 0.1) == [0.1, 0.2, 0.3]
    with pytest.raises(ValueError, match="passo"):
        valori_sweep(1, 2, 0)
