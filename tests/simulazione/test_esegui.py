"""Running a scenario: the domande of each configuration, the ISEE computed once per key."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from equo.isee.engine import compute
from equo.isee.parameters import load_parameters
from equo.popolazione.modello import Popolazione
from equo.regolamenti import carica, valuta
from equo.simulazione import (
    CacheIsee,
    SimulazioneNonEseguibile,
    carica_scenario,
    configurazione,
    domande,
    esegui,
)
from equo.simulazione.parametri import applica_sostituzioni, leggi_sostituzione
from tests.simulazione.popolazioni import CONTRIBUTO, con_dsu, scrivi, venti

AFFITTO = Path("src/equo/regolamenti/esempi/contributo_affitto.yaml").resolve()
ASSUNZIONI = {"proprieta_alloggio_adeguato": False, "altri_contributi_abitativi": 0.0}


@pytest.fixture(scope="module")
def popolazione() -> Popolazione:
    return con_dsu(2000, seed=7)


def _scenario(cartella: Path) -> object:
    return carica_scenario(
        scrivi(
            cartella,
            "s.yaml",
            f"""\
formato: equo-scenario/1
titolo: Affitto
data: 2026-03-01
assunzioni: {{proprieta_alloggio_adeguato: false, altri_contributi_abitativi: 0}}
base: {{nome: Base, regolamento: {AFFITTO}}}
alternative:
  - nome: Soglia 16000
    modifiche: {{requisiti.isee_massimo.condizione: "isee <= 16000"}}
  - nome: Franchigia
    parametri: {{isp.franchigia_casa_abitazione: 91500}}
  - nome: Soglia e franchigia
    modifiche: {{requisiti.isee_massimo.condizione: "isee <= 16000"}}
    parametri: {{isp.franchigia_casa_abitazione: 91500}}
""",
        )
    )


def test_the_isee_is_computed_once_per_variant_overrides_and_date(
    tmp_path: Path, popolazione: Popolazione
) -> None:
    from equo.simulazione import Scenario

    scenario = _scenario(tmp_path)
    assert isinstance(scenario, Scenario)
    cache = CacheIsee(popolazione)
    esecuzione = esegui(scenario, popolazione, cache=cache)
    # base and "Soglia 16000" share the ISEE; the two with the franchigia share another
    assert cache.calcoli == 2
    assert len(esecuzione.alternative) == 3
    esegui(scenario, popolazione, cache=cache)
    assert cache.calcoli == 2


def test_the_domande_carry_the_isee_of_the_configuration(
    tmp_path: Path, popolazione: Popolazione
) -> None:
    from equo.simulazione import Scenario

    scenario = _scenario(tmp_path)
    assert isinstance(scenario, Scenario)
    cache = CacheIsee(popolazione)
    base = domande(popolazione, scenario.base, cache)
    franchigia = domande(popolazione, scenario.alternative[1], cache)
    assert popolazione.dsu is not None
    a_marzo = dataclasses.replace(
        popolazione.dsu,
        nuclei=popolazione.dsu.nuclei.with_columns(data_presentazione=pl.lit(dt.date(2026, 3, 1))),
    )
    atteso = compute(a_marzo).indicatori()["isee"]
    assert base["isee"].to_list() == atteso.to_list()
    nuove, _ = leggi_sostituzione("isp.franchigia_casa_abitazione", 91500, load_parameters())
    params, _ = applica_sostituzioni(load_parameters(), nuove, dt.date(2026, 3, 1))
    assert (
        franchigia["isee"].to_list()
        == compute(a_marzo, params=params).indicatori()["isee"].to_list()
    )
    # a higher casa threshold lowers the ISEE of some owners, and raises nobody's
    assert (franchigia["isee"] <= base["isee"]).all()
    assert (franchigia["isee"] < base["isee"]).sum() > 10
    # the date of the scenario is the date of every DSU and domanda
    assert set(base["data_dsu"].to_list()) == {dt.date(2026, 3, 1)}
    assert set(base["data_domanda"].to_list()) == {dt.date(2026, 3, 1)}
    # fields the population lacks take the assumed values
    assert set(base["proprieta_alloggio_adeguato"].to_list()) == {False}
    assert base["id_domanda"].to_list() == popolazione.nuclei["id_nucleo"].to_list()


def test_esiti_are_those_of_valuta_on_the_same_domande(
    tmp_path: Path, popolazione: Popolazione
) -> None:
    from equo.simulazione import Scenario

    scenario = _scenario(tmp_path)
    assert isinstance(scenario, Scenario)
    esecuzione = esegui(scenario, popolazione)
    diretto = valuta(carica(AFFITTO), esecuzione.domande)
    assert esecuzione.base.esiti.riepilogo == diretto.riepilogo
    for colonna in ("ammissibile", "finanziata", "importo_assegnato", "posizione"):
        assert esecuzione.base.esiti.frame[colonna].to_list() == diretto.frame[colonna].to_list()


def test_a_nucleo_without_dsu_keeps_its_own_values(popolazione: Popolazione) -> None:
    nuclei = popolazione.nuclei.head(3).with_columns(
        dsu_id=pl.Series([0, None, 2], dtype=pl.Int64),
        isee=pl.Series([1.0, 1234.5, 3.0]),
    )
    misto = Popolazione(nuclei=nuclei, dsu=popolazione.dsu)
    conf = configurazione("Base", carica(AFFITTO), assunzioni=ASSUNZIONI)
    frame = domande(misto, conf)
    assert frame["isee"][1] == 1234.5
    tutte = domande(popolazione, conf)
    assert frame["isee"][0] == tutte["isee"][0] and frame["isee"][2] == tutte["isee"][2]


def test_a_population_without_a_field_the_regolamento_reads(popolazione: Popolazione) -> None:
    conf = configurazione("Base", carica(AFFITTO))  # no assumptions
    with pytest.raises(SimulazioneNonEseguibile, match="proprieta_alloggio_adeguato"):
        esegui_una(popolazione, conf)


def esegui_una(popolazione: Popolazione, conf: object) -> None:
    from equo.simulazione.esegui import valuta_configurazione
    from equo.simulazione.scenario import Configurazione

    assert isinstance(conf, Configurazione)
    valuta_configurazione(conf, domande(popolazione, conf))


def test_without_a_date_the_domande_must_have_theirs(tmp_path: Path) -> None:
    regolamento = carica(scrivi(tmp_path, "r.yaml", CONTRIBUTO))
    popolazione = venti()
    senza = Popolazione(nuclei=popolazione.nuclei.drop("data_domanda"))
    with pytest.raises(SimulazioneNonEseguibile, match="data_domanda"):
        domande(senza, configurazione("Base", regolamento))
    con_data = domande(senza, configurazione("Base", regolamento, data=dt.date(2026, 6, 1)))
    assert set(con_data["data_domanda"].to_list()) == {dt.date(2026, 6, 1)}
    # attestazioni: the date is that of the attestazione too
    assert set(con_data["data_dsu"].to_list()) == {dt.date(2026, 6, 1)}


def test_a_variant_that_does_not_exist_at_the_date(popolazione: Popolazione) -> None:
    documento = carica(AFFITTO).documento
    from equo.regolamenti import compila

    nido = documento.model_copy(
        update={
            "indicatore": documento.indicatore.model_copy(update={"variante": "specifiche-2026"})
        }
    )
    conf = configurazione("Base", compila(nido), data=dt.date(2025, 6, 1), assunzioni=ASSUNZIONI)
    with pytest.raises(SimulazioneNonEseguibile, match="specifiche-2026"):
        domande(popolazione, conf)
