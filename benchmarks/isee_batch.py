"""ISEE engine benchmark: batch throughput, memory, the per-DSU loop, one explained DSU.

Run from the repository root::

    .venv/bin/python benchmarks/isee_batch.py [--sizes 10000 100000 1000000] [--loop-sample 1000]

For each N a fresh subprocess (so that peak memory is per N) generates N synthetic DSUs with
:func:`equo.synthetic.dsu_frames.synthetic_dsu_frames` (timed apart, not counted), then times
``compute(frames)`` ``--repeat`` times and keeps the best and the median. Peak memory is
``resource.getrusage().ru_maxrss``: once for the whole process, and once for the computation
alone (the peak is reset after generation through ``/proc/self/clear_refs`` where Linux allows
it; the input frames stay resident, so they are part of that figure).

In the same subprocess a sample of the same DSUs goes through a plain per-DSU Python loop: slice
a one-DSU ``DsuFrames`` (ids renumbered to 0) and call ``compute``. Its time per DSU is
extrapolated to N and compared with the batch. A last subprocess times one DSU built with the
model (valid codici fiscali from ``codice_fiscale_sintetico``) through ``explain_dsu``, or
through ``compute(..., detail=True)`` when the explanation module is missing.

The script prints its figures and the targets of the issue beside them; it asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from equo.isee.engine import compute
from equo.isee.frames import DsuFrames
from equo.synthetic.dsu_frames import synthetic_dsu_frames

TARGET_N = 1_000_000
TARGET_SECONDS = 5.0
TARGET_MEMORY_MB = 4096.0
TARGET_EXPLAIN_MS = 20.0
TARGET_CORES = 2


# --- measurements (run in the worker subprocess) ---------------------------------------------


def _peak_rss_mb() -> float:
    """Peak resident set size of this process so far (ru_maxrss is in KiB on Linux)."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024.0 if sys.platform != "darwin" else kib / 1024.0 / 1024.0


def _reset_peak_rss() -> bool:
    """Reset the peak RSS to the current RSS (Linux ≥ 4.0); False where not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _one_dsu(frames: DsuFrames, offsets: dict[str, np.ndarray], dsu_id: int) -> DsuFrames:
    """DSU ``dsu_id`` alone, with dsu_id 0 and componente_id from 0 (rows are sorted by DSU)."""
    zero = pl.lit(0, dtype=pl.Int64).alias("dsu_id")
    first_member = int(offsets["componenti"][dsu_id])
    parts = {}
    for table in ("componenti", "rapporti", "immobili"):
        start, stop = offsets[table][dsu_id], offsets[table][dsu_id + 1]
        rows = getattr(frames, table).slice(int(start), int(stop - start))
        parts[table] = rows.with_columns(zero, pl.col("componente_id") - first_member)
    return DsuFrames(nuclei=frames.nuclei.slice(dsu_id, 1).with_columns(zero), **parts)


def _run_size(n: int, seed: int, repeat: int, loop_sample: int) -> dict[str, Any]:
    started = time.perf_counter()
    frames = synthetic_dsu_frames(n, seed=seed)
    generation = time.perf_counter() - started
    peak_generation = _peak_rss_mb()
    input_mb = sum(
        getattr(frames, t).estimated_size()
        for t in ("nuclei", "componenti", "rapporti", "immobili")
    ) / (1024.0 * 1024.0)

    reset = _reset_peak_rss()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = compute(frames)
        times.append(time.perf_counter() - started)
        indicatori = result.indicatori()
        del result
    peak_compute = _peak_rss_mb()
    nulls = int(indicatori.null_count().sum_horizontal()[0])

    # The same DSUs one at a time: a seeded sample, sliced and computed one by one.
    sample = np.sort(np.random.default_rng(seed).choice(n, size=min(loop_sample, n), replace=False))
    offsets = {
        table: np.searchsorted(
            getattr(frames, table)["dsu_id"].to_numpy(), np.arange(n + 1), side="left"
        )
        for table in ("componenti", "rapporti", "immobili")
    }
    loop_isee = []
    started = time.perf_counter()
    for dsu_id in sample:
        one = _one_dsu(frames, offsets, int(dsu_id))
        loop_isee.append(compute(one).nuclei["isee"][0])
    loop = time.perf_counter() - started
    same = bool(np.array_equal(np.asarray(loop_isee), indicatori["isee"].to_numpy()[sample]))
    return {
        "n": n,
        "componenti": frames.componenti.height,
        "rapporti": frames.rapporti.height,
        "immobili": frames.immobili.height,
        "input_mb": input_mb,
        "generation_s": generation,
        "compute_s": times,
        "peak_generation_mb": peak_generation,
        "peak_compute_mb": peak_compute,
        "peak_reset": reset,
        "peak_process_mb": max(peak_generation, peak_compute),
        "nulls": nulls,
        "loop_sample": int(sample.size),
        "loop_s": loop,
        "loop_matches_batch": same,
    }


def _example_dsu() -> Any:
    """A four-member nucleo built with the model: owned home with a mortgage, titoli di Stato."""
    from equo.isee.model import DSU
    from equo.synthetic.codice_fiscale import codice_fiscale_sintetico

    def cf(cognome: str, nome: str, nascita: dt.date, sesso: str) -> str:
        return codice_fiscale_sintetico(cognome, nome, nascita, sesso)

    return DSU.model_validate(
        {
            "protocollo": "SINT-ISEE-2025-BENCHMARK-00",
            "data_presentazione": dt.date(2025, 6, 10),
            "abitazione": {"titolo": "proprieta"},
            "componenti": [
                {
                    "codice_fiscale": cf("Rossi", "Maria", dt.date(1982, 4, 3), "F"),
                    "data_nascita": dt.date(1982, 4, 3),
                    "sesso": "F",
                    "rapporto": "D",
                    "attivita_lavorativa_6_mesi": True,
                    "redditi": {
                        "reddito_complessivo_irpef": 28_400.0,
                        "lavoro_dipendente": 28_400.0,
                    },
                    "rapporti": [
                        {"tipo": "01", "saldo_31_12": 6_200.0, "giacenza_media": 7_900.0},
                        {"tipo": "02", "valore": 18_000.0, "titoli_stato": 12_000.0},
                    ],
                    "immobili": [
                        {
                            "tipo": "fabbricato",
                            "quota_posseduta": 50.0,
                            "valore_imu": 160_000.0,
                            "mutuo_residuo": 40_000.0,
                            "casa_abitazione": True,
                        }
                    ],
                },
                {
                    "codice_fiscale": cf("Bianchi", "Luca", dt.date(1979, 11, 21), "M"),
                    "data_nascita": dt.date(1979, 11, 21),
                    "sesso": "M",
                    "rapporto": "C",
                    "attivita_lavorativa_6_mesi": True,
                    "redditi": {"redditi_imposta_sostitutiva": 21_000.0},
                    "rapporti": [
                        {"tipo": "01", "saldo_31_12": 3_100.0, "giacenza_media": 2_800.0},
                        {"tipo": "07", "valore": 10_000.0, "titoli_stato": 10_000.0},
                    ],
                    "immobili": [
                        {
                            "tipo": "fabbricato",
                            "quota_posseduta": 50.0,
                            "valore_imu": 160_000.0,
                            "mutuo_residuo": 40_000.0,
                            "casa_abitazione": True,
                        },
                        {"tipo": "terreno_agricolo", "valore_imu": 12_000.0},
                    ],
                },
                {
                    "codice_fiscale": cf("Bianchi", "Sofia", dt.date(2014, 2, 14), "F"),
                    "data_nascita": dt.date(2014, 2, 14),
                    "sesso": "F",
                    "rapporto": "F",
                    "rapporti": [{"tipo": "03", "saldo_31_12": 900.0, "giacenza_media": 850.0}],
                },
                {
                    "codice_fiscale": cf("Bianchi", "Marco", dt.date(2023, 9, 1), "M"),
                    "data_nascita": dt.date(2023, 9, 1),
                    "sesso": "M",
                    "rapporto": "F",
                    "disabilita": "media",
                },
            ],
        }
    )


def _run_explain(repeat: int) -> dict[str, Any]:
    dsu = _example_dsu()
    has_explain = importlib.util.find_spec("equo.isee.explain") is not None
    if has_explain:
        from equo.isee import explain

        has_explain = callable(getattr(explain, "explain_dsu", None))
    if has_explain:
        from equo.isee.explain import explain_dsu

        def run() -> object:
            return explain_dsu(dsu)

        how = "explain_dsu(dsu)"
    else:
        from equo.isee.frames import dsu_frames

        def run() -> object:
            return compute(dsu_frames([dsu]), detail=True)

        how = "compute(dsu_frames([dsu]), detail=True) (no equo.isee.explain.explain_dsu)"
    started = time.perf_counter()
    run()
    cold = time.perf_counter() - started
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return {"how": how, "cold_s": cold, "times_s": times}


# --- orchestration and report (parent process) -----------------------------------------------


def _worker(args: list[str]) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"worker {' '.join(args)} failed with exit code {done.returncode}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _machine() -> str:
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    cpu = platform.processor() or platform.machine()
    model = Path("/proc/cpuinfo")
    if model.exists():
        names = [
            line.split(":", 1)[1].strip()
            for line in model.read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = names[0] if names else cpu
    load = ""
    if hasattr(os, "getloadavg"):
        load = "; load average before the run: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    return (
        f"{platform.system()} {platform.machine()}, {cpu}, {usable} usable cores of {cores}"
        f"{memory}\nPython {platform.python_version()}, polars {pl.__version__} "
        f"({pl.thread_pool_size()} threads), numpy {np.__version__}{load}"
    )


def _fmt_int(value: float) -> str:
    return f"{value:,.0f}"


def _report(
    machine: str, sizes: list[dict[str, Any]], explain: dict[str, Any], repeat: int
) -> None:
    print("ISEE engine batch benchmark (benchmarks/isee_batch.py)")
    print(machine)
    print()
    header = (
        f"{'N DSUs':>10} {'members':>10} {'rapporti':>10} {'immobili':>10} {'input MB':>9} "
        f"{'gen s':>7} {'best s':>8} {'median s':>8} {'DSU/s':>11} "
        f"{'RSS comp MB':>11} {'RSS proc MB':>11}  all runs s"
    )
    print(f"Batch: compute(frames), best and median of {repeat} runs")
    print(header)
    print("-" * len(header))
    for s in sizes:
        best, median = min(s["compute_s"]), statistics.median(s["compute_s"])
        print(
            f"{_fmt_int(s['n']):>10} {_fmt_int(s['componenti']):>10} "
            f"{_fmt_int(s['rapporti']):>10} {_fmt_int(s['immobili']):>10} "
            f"{s['input_mb']:>9.0f} {s['generation_s']:>7.2f} {best:>8.3f} {median:>8.3f} "
            f"{_fmt_int(s['n'] / best):>11} {s['peak_compute_mb']:>11.0f} "
            f"{s['peak_process_mb']:>11.0f}  {' '.join(f'{t:.3f}' for t in s['compute_s'])}"
        )
    if not all(s["peak_reset"] for s in sizes):
        print("(peak RSS could not be reset after generation: 'RSS comp' includes generation)")
    print()
    header = (
        f"{'N DSUs':>10} {'sample':>7} {'loop ms/DSU':>11} {'loop est. s':>12} "
        f"{'batch best s':>12} {'batch speed-up':>14} {'same ISEE':>9}"
    )
    print("Per-DSU Python loop: slice one DsuFrames (ids renumbered to 0), compute, over a sample")
    print(header)
    print("-" * len(header))
    for s in sizes:
        per_dsu = s["loop_s"] / s["loop_sample"]
        best = min(s["compute_s"])
        print(
            f"{_fmt_int(s['n']):>10} {s['loop_sample']:>7} {per_dsu * 1000:>11.2f} "
            f"{per_dsu * s['n']:>12,.0f} {best:>12.3f} {per_dsu * s['n'] / best:>13,.0f}x "
            f"{'yes' if s['loop_matches_batch'] else 'NO':>9}"
        )
    print()
    times = explain["times_s"]
    print(f"One DSU with full explanation: {explain['how']}, 4 members, built with the model")
    print(
        f"  cold (first call in a fresh process): {explain['cold_s'] * 1000:.1f} ms; "
        f"warm over {len(times)} calls: median {statistics.median(times) * 1000:.1f} ms, "
        f"best {min(times) * 1000:.1f} ms"
    )
    print()
    print("Targets (issue)")
    at_target = next((s for s in sizes if s["n"] == TARGET_N), None)
    if at_target is None:
        print(f"  {TARGET_N:,} DSUs ≤ {TARGET_SECONDS:.0f} s: not measured (add it to --sizes)")
    else:
        best = min(at_target["compute_s"])
        memory = at_target["peak_compute_mb"]
        print(
            f"  {TARGET_N:,} DSUs ≤ {TARGET_SECONDS:.0f} s on {TARGET_CORES} cores: "
            f"{best:.2f} s best, {statistics.median(at_target['compute_s']):.2f} s median "
            f"-> {'met' if best <= TARGET_SECONDS else 'MISSED'}"
        )
        print(
            f"  peak memory ≤ {TARGET_MEMORY_MB / 1024:.0f} GB: {memory:,.0f} MB during compute "
            f"(input frames included), {at_target['peak_process_mb']:,.0f} MB for the process "
            f"-> {'met' if memory <= TARGET_MEMORY_MB else 'MISSED'}"
        )
    warm = statistics.median(times) * 1000
    print(
        f"  one DSU with full explanation ≤ {TARGET_EXPLAIN_MS:.0f} ms: {warm:.1f} ms warm "
        f"(median), {explain['cold_s'] * 1000:.0f} ms cold "
        f"-> {'met' if warm <= TARGET_EXPLAIN_MS else 'MISSED'} (warm)"
    )
    if any(s["nulls"] for s in sizes):
        print("  WARNING: some indicators are null")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--loop-sample", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3, help="compute runs per size")
    parser.add_argument("--explain-repeat", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--explain-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        print(json.dumps(_run_size(args.worker, args.seed, args.repeat, args.loop_sample)))
        return
    if args.explain_worker:
        print(json.dumps(_run_explain(args.explain_repeat)))
        return
    machine = _machine()
    common = ["--seed", str(args.seed), "--repeat", str(args.repeat)]
    sizes = []
    for n in args.sizes:
        print(f"measuring N = {n:,} ...", file=sys.stderr, flush=True)
        sizes.append(_worker(["--worker", str(n), "--loop-sample", str(args.loop_sample), *common]))
    print("measuring one explained DSU ...", file=sys.stderr, flush=True)
    explain = _worker(["--explain-worker", "--explain-repeat", str(args.explain_repeat)])
    _report(machine, sizes, explain, args.repeat)


if __name__ == "__main__":
    main()
