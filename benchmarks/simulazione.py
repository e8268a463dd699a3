"""Simulation benchmark: one impact and a 21-point sweep on a million nuclei.

Run from the repository root::

    .venv/bin/python benchmarks/simulazione.py [--n 1000000] [--repeat 3] [--loop-sample 10000]

In one process:

1. a population of N nuclei with DSUs is generated with
   :func:`equo.popolazione.genera.genera_popolazione` (seeded; timed apart, not counted), then
   the peak-memory counter is reset (``/proc/self/clear_refs`` where Linux allows it);
2. the scenario is the bundled ``contributo_affitto`` regolamento (stanziamento scaled to 30 %
   of what the admitted domande ask, so that the graduatoria binds) against an alternative
   that raises the ISEE threshold from 15,000 to 17,000 euro and lowers the cap to 2,800 euro;
3. **ISEE (cold)**: the first frame of domande, with the ISEE of every DSU computed by the
   engine (what the first scenario on a freshly loaded population pays once);
4. **impact**: ``esegui`` (domande from the ISEE cache, ``valuta`` of the base and of the
   alternative) and ``impatto`` with every table and the small-cell suppression, best of
   ``--repeat``, with the time of each step;
5. **sweep**: ``requisiti.isee_massimo.condizione=isee <= {}`` from 10,000 to 20,000 by 500
   (21 points), best of ``--repeat``; then, once, five values of the national parameter
   ``isp.franchigia_casa_abitazione`` (the ISEE recomputed at each value);
6. **loop**: the same impact figures computed household by household in plain Python on the
   first ``--loop-sample`` nuclei (esiti given: the loop aggregates, the small tables are then
   the same), checked against the vectorised ones, and extrapolated to N.

It prints the figures and the targets beside them (≤ 1 s for one impact and ≤ 10 s for the
21-point sweep on 1,000,000 nuclei, 2 cores); it asserts nothing.
"""

from __future__ import annotations

import argparse
import bisect
import dataclasses
import datetime as dt
import math
import os
import platform
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from equo.popolazione.genera import genera_popolazione
from equo.regolamenti import carica, compila
from equo.regolamenti.valuta import Esiti, prepara_domande
from equo.simulazione import CacheIsee, Scenario, configurazione, domande, esegui, impatto, sweep
from equo.simulazione.bande import GUADAGNI, PERDITE
from equo.simulazione.confronto import confronta
from equo.simulazione.esegui import valuta_configurazione
from equo.simulazione.modifiche import Modifica, applica_modifiche
from equo.simulazione.tipologie import TIPOLOGIE

TARGET_IMPATTO = 1.0
TARGET_SWEEP = 10.0
DATA = dt.date(2026, 3, 1)
ASSUNZIONI = {"proprieta_alloggio_adeguato": False, "altri_contributi_abitativi": 0.0}
SWEEP = "requisiti.isee_massimo.condizione=isee <= {}"


def _rss_mb() -> float:
    """Peak resident memory since the last reset (VmHWM on Linux, else the process peak)."""
    try:
        for riga in Path("/proc/self/status").read_text().splitlines():
            if riga.startswith("VmHWM:"):
                return int(riga.split()[1]) / 1024.0
    except OSError:
        pass
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024.0 if sys.platform != "darwin" else kib / 1024.0 / 1024.0


def _residente_mb() -> float | None:
    """Resident memory now (VmRSS on Linux)."""
    try:
        for riga in Path("/proc/self/status").read_text().splitlines():
            if riga.startswith("VmRSS:"):
                return int(riga.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def _azzera_picco() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _tempo(funzione: Callable[[], Any]) -> tuple[float, Any]:
    inizio = time.perf_counter()
    risultato = funzione()
    return time.perf_counter() - inizio, risultato


def _migliore(funzione: Callable[[], Any], volte: int) -> tuple[float, list[float], Any]:
    tempi, risultato = [], None
    for _ in range(volte):
        secondi, risultato = _tempo(funzione)
        tempi.append(secondi)
    return min(tempi), tempi, risultato


def _scenario(pop_domande: Callable[[Any], pl.DataFrame]) -> Scenario:
    """The affitto regolamento with a binding stanziamento, and the alternative."""
    path = Path(str(files("equo.regolamenti").joinpath("esempi/contributo_affitto.yaml")))
    documento = carica(path).documento
    base = configurazione("Regolamento", compila(documento), data=DATA, assunzioni=ASSUNZIONI)
    frame = pop_domande(base)
    richiesto = valuta_configurazione(base, frame).esiti.riepilogo.importo_richiesto
    stanziamento = documento.stanziamento
    if stanziamento is None:
        raise SystemExit("the contributo_affitto example has no stanziamento")
    ridotto = documento.model_copy(
        update={"stanziamento": stanziamento.model_copy(update={"importo": round(richiesto * 0.3)})}
    )
    base = dataclasses.replace(base, regolamento=compila(ridotto))
    alternativa = dataclasses.replace(
        base,
        nome="Soglia 17.000, tetto 2.800",
        regolamento=applica_modifiche(
            ridotto,
            [
                Modifica("requisiti.isee_massimo.condizione", "isee <= 17000"),
                Modifica("importo.massimo", 2800),
            ],
            file="benchmark",
        ),
    )
    return Scenario("Benchmark", base, (alternativa,), data=DATA)


# --- the same impact, one household at a time ------------------------------------------------


def _impatto_a_ciclo(base: Esiti, alt: Esiti, nuclei: pl.DataFrame) -> dict[str, Any]:
    """Totals, bands, deciles, types and groups with a plain Python loop over the households."""
    righe_b = base.frame.select("id_domanda", "ammissibile", "finanziata", "importo_assegnato")
    righe_a = alt.frame.select("ammissibile", "finanziata", "importo_assegnato")
    info = nuclei.select(
        "isee",
        "comune_residenza",
        "numero_componenti",
        "numero_minorenni",
        "numero_disabili",
        "numero_anziani",
    )
    famiglie = list(zip(righe_b.iter_rows(), righe_a.iter_rows(), info.iter_rows(), strict=True))
    valori = sorted(r[0] for _, _, r in famiglie if r[0] is not None)
    limiti = [valori[math.ceil(d * len(valori) / 10) - 1] for d in range(1, 10)]
    totali: Counter[str] = Counter()
    gruppi: dict[str, dict[Any, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    incrocio: Counter[tuple[Any, str]] = Counter()
    for (_, amm_b, fin_b, imp_b), (amm_a, fin_a, imp_a), (isee, comune, n, mi, di, an) in famiglie:
        b = round((imp_b or 0.0) * 100)
        a = round((imp_a or 0.0) * 100)
        g = a - b
        if g == 0:
            banda = "invariato"
        elif g > 0:
            banda = "guadagna_fino_5" if g * 100 <= 5 * b else "guadagna_oltre_5"
        else:
            banda = "perde_fino_5" if -g * 100 <= 5 * b else "perde_oltre_5"
        decile = None if isee is None else bisect.bisect_left(limiti, isee) + 1
        if None in (n, mi, di, an):
            tipo = "non_nota"
        elif di >= 1:
            tipo = "con_disabili"
        elif mi >= 1:
            tipo = "con_minori"
        elif an >= 1:
            tipo = "con_anziani"
        else:
            tipo = {1: "persona_sola", 2: "coppia"}.get(n, "altro")
        voci = {
            "nuclei": 1,
            "beneficiari_base": int(bool(fin_b)),
            "beneficiari_alternativa": int(bool(fin_a)),
            "importo_base_c": b,
            "importo_alternativa_c": a,
            "nuovi_ammessi": int(bool(amm_a) and not amm_b),
            "nuovi_esclusi": int(bool(amm_b) and not amm_a),
            "guadagnano": int(banda in GUADAGNI),
            "perdono": int(banda in PERDITE),
        }
        totali.update(voci)
        totali[banda] += 1
        for nome, chiave in (
            ("comune", comune or "non indicato"),
            ("tipologia", tipo),
            ("decile", decile),
        ):
            gruppi[nome][chiave].update(voci)
        incrocio[(decile, banda)] += 1
    return {"totali": totali, "gruppi": gruppi, "incrocio": incrocio}


def _controlla_ciclo(ciclo: dict[str, Any], vettoriale: pl.DataFrame) -> bool:
    """Whether the loop's groups by type equal the vectorised ones (k = 1: nothing masked)."""
    per_tipo = {r["tipologia"]: r for r in vettoriale.iter_rows(named=True)}
    for codice, _ in TIPOLOGIE:
        attese = ciclo["gruppi"]["tipologia"].get(codice)
        riga = per_tipo.get(codice)
        if attese is None or riga is None:
            if (attese is None) != (riga is None):
                return False
            continue
        if attese["nuclei"] != riga["nuclei"] or attese["perdono"] != riga["perdono"]:
            return False
        if abs(attese["importo_alternativa_c"] / 100 - riga["importo_alternativa"]) > 0.005:
            return False
    return True


# --- main ------------------------------------------------------------------------------------


def _macchina() -> str:
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    carico = ""
    if hasattr(os, "getloadavg"):
        carico = "; load average: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    return (
        f"{platform.system()} {platform.machine()}, {usable} usable cores of {cores}; "
        f"Python {platform.python_version()}, polars {pl.__version__} "
        f"({pl.thread_pool_size()} threads), numpy {np.__version__}{carico}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--loop-sample", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    n = args.n
    print("Simulation benchmark (benchmarks/simulazione.py)")
    print(_macchina())
    print(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"generating {n:,} nuclei ...", file=sys.stderr, flush=True)
    generazione, pop = _tempo(lambda: genera_popolazione(n, seed=args.seed))
    picco_generazione = _rss_mb()
    residente = _residente_mb()
    azzerato = _azzera_picco()
    cache = CacheIsee(pop)
    isee_freddo, _ = _tempo(lambda: domande(pop, configurazione("x", _affitto(), data=DATA), cache))
    scenario = _scenario(lambda c: domande(pop, c, cache))
    base_conf, alt_conf = scenario.base, scenario.alternative[0]

    # one impact, whole and step by step
    def tutto() -> Any:
        esecuzione = esegui(scenario, pop, cache=cache)
        return impatto(esecuzione.base.esiti, esecuzione.alternative[0].esiti, esecuzione.domande)

    print("timing the impact ...", file=sys.stderr, flush=True)
    totale, tempi_totale, risultato = _migliore(tutto, args.repeat)
    passi: dict[str, float] = {}
    t, frame = _migliore(lambda: domande(pop, base_conf, cache), args.repeat)[::2]
    passi["domande (ISEE from the cache)"] = t
    colonne = list(dict.fromkeys(["id_domanda", *base_conf.regolamento.campi_usati, "id_nucleo"]))
    passi["  of which prepara_domande (checks, casts)"] = _migliore(
        lambda: prepara_domande(base_conf.regolamento, frame.select(colonne)), args.repeat
    )[0]
    t, base = _migliore(lambda: valuta_configurazione(base_conf, frame), args.repeat)[::2]
    passi["valuta, base"] = t
    t, alt = _migliore(lambda: valuta_configurazione(alt_conf, frame), args.repeat)[::2]
    passi["valuta, alternative"] = t
    passi["impatto (all tables, suppression)"] = _migliore(
        lambda: impatto(base.esiti, alt.esiti, frame), args.repeat
    )[0]
    passi["  of which per-nucleo comparison"] = _migliore(
        lambda: confronta(base.esiti, alt.esiti, frame), args.repeat
    )[0]

    print("timing the sweep ...", file=sys.stderr, flush=True)
    valori = [10_000.0 + 500 * i for i in range(21)]
    tempo_sweep, tempi_sweep, punti = _migliore(
        lambda: sweep(scenario, pop, SWEEP, valori, cache=cache), args.repeat
    )
    print("timing the sweep of a national parameter ...", file=sys.stderr, flush=True)
    franchigie = [52_500.0, 70_000.0, 91_500.0, 120_000.0, 200_000.0]
    tempo_isee, punti_isee = _tempo(
        lambda: sweep(scenario, pop, "isp.franchigia_casa_abitazione", franchigie, cache=cache)
    )
    picco = _rss_mb()

    print("timing the loop ...", file=sys.stderr, flush=True)
    m = min(args.loop_sample, n)
    campione = (
        Esiti(base.esiti.regolamento, base.esiti.frame.head(m), base.esiti.riepilogo),
        Esiti(alt.esiti.regolamento, alt.esiti.frame.head(m), alt.esiti.riepilogo),
    )
    tempo_ciclo, ciclo = _tempo(lambda: _impatto_a_ciclo(*campione, frame.head(m)))
    vettoriale = impatto(*campione, frame.head(m), k_minimo=1)
    stesso = _controlla_ciclo(ciclo, vettoriale.per_tipologia)
    stima_ciclo = tempo_ciclo / m * n

    print()
    print(f"population: {n:,} nuclei, generated in {generazione:.1f} s (not counted)")
    print(f"ISEE of every DSU, cold (once per population and ISEE key): {isee_freddo:.2f} s")
    print()
    print(
        f"one impact, warm ISEE cache, best of {args.repeat}: {totale:.3f} s "
        f"(runs: {' '.join(f'{x:.3f}' for x in tempi_totale)})"
    )
    for nome, secondi in passi.items():
        print(f"  {nome:<44} {secondi:.3f} s")
    r = risultato.totali.filter(pl.col("voce") == "beneficiari").row(0, named=True)
    print(f"  beneficiaries {r['base']:,.0f} -> {r['alternativa']:,.0f}")
    print()
    print(
        f"sweep, 21 points ({SWEEP}), best of {args.repeat}: {tempo_sweep:.2f} s "
        f"({tempo_sweep / 21:.3f} s per point; runs: {' '.join(f'{x:.2f}' for x in tempi_sweep)})"
    )
    print(f"  admitted at 10,000 / 20,000: {punti['ammessi'][0]:,} / {punti['ammessi'][-1]:,}")
    print(
        f"sweep of isp.franchigia_casa_abitazione, {len(franchigie)} points (ISEE recomputed "
        f"for the nuclei a requisito does not exclude): {tempo_isee:.2f} s "
        f"({tempo_isee / len(franchigie):.2f} s per point); beneficiaries "
        f"{' '.join(f'{b:,}' for b in punti_isee['beneficiari'])}"
    )
    print()
    if residente is not None:
        print(f"resident after generation (the population loaded): {residente:,.0f} MB")
    print(
        f"peak RSS during the simulation: {picco:,.0f} MB"
        + ("" if azzerato else " (not reset after generation)")
        + f"; whole process with generation: {max(picco, picco_generazione):,.0f} MB"
    )
    print()
    print(
        f"loop over {m:,} households (impact figures, esiti given): {tempo_ciclo:.2f} s, "
        f"extrapolated to {n:,}: {stima_ciclo:,.0f} s; vectorised impatto is "
        f"{stima_ciclo / passi['impatto (all tables, suppression)']:,.0f}× faster; "
        f"same figures: {'yes' if stesso else 'NO'}"
    )
    print()
    scala = 1_000_000 / n
    for nome, valore, obiettivo in (
        ("one impact", totale * scala, TARGET_IMPATTO),
        ("21-point sweep", tempo_sweep * scala, TARGET_SWEEP),
    ):
        esito = "met" if valore <= obiettivo else "MISSED"
        extra = "" if n == 1_000_000 else " (scaled to 1,000,000)"
        print(f"target {nome}: ≤ {obiettivo:.0f} s -> {valore:.2f} s{extra}: {esito}")


def _affitto() -> Any:
    path = Path(str(files("equo.regolamenti").joinpath("esempi/contributo_affitto.yaml")))
    return carica(path)


if __name__ == "__main__":
    main()
