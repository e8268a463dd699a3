"""Policy simulation: a base and its alternatives on the same population, and their impact.

A **scenario** (``formato: equo-scenario/1``, :mod:`.scenario`) names a base — a regolamento,
overrides of national ISEE parameters, a date — and alternatives that change any of them.
:func:`esegui` evaluates every configuration on the same :class:`~equo.popolazione.modello.
Popolazione` with :func:`equo.regolamenti.valuta`, the code that decides live domande;
:func:`impatto` compares an alternative with the base in publishable tables (costs,
beneficiaries, the five bands of gain and loss, breakdowns by Comune, household type and ISEE
decile, the graduatoria replayed), masking every cell of fewer than k nuclei; :func:`sweep`
gives cost and beneficiaries for each value of one parameter. The guide is
``docs/guida/simulazione.md``::

    from equo.simulazione import carica_scenario, esegui, impatto
    scenario = carica_scenario(Path("examples/scenari/asilo_nido_soglia.yaml"))
    esecuzione = esegui(scenario, popolazione)
    risultato = esecuzione.alternative[0]
    tabelle = impatto(esecuzione.base.esiti, risultato.esiti, esecuzione.domande).tabelle()
"""

from equo.simulazione.esegui import (
    CacheIsee,
    Esecuzione,
    Risultato,
    SimulazioneNonEseguibile,
    domande,
    esegui,
)
from equo.simulazione.impatto import Impatto, impatto
from equo.simulazione.scenario import (
    Configurazione,
    Scenario,
    ScenarioNonValido,
    carica_scenario,
    configurazione,
)
from equo.simulazione.sweep import sweep, valori_sweep

__all__ = [
    "CacheIsee",
    "Configurazione",
    "Esecuzione",
    "Impatto",
    "Risultato",
    "Scenario",
    "ScenarioNonValido",
    "SimulazioneNonEseguibile",
    "carica_scenario",
    "configurazione",
    "domande",
    "esegui",
    "impatto",
    "sweep",
    "valori_sweep",
]
