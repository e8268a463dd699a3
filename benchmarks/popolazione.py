"""Population generator benchmark: time and peak memory to generate and write N nuclei.

Run from the repository root::

    .venv/bin/python benchmarks/popolazione.py [--sizes 1000000] [--seed 0] [--repeat 1]

For each N a fresh subprocess (so that peak memory is per N) does what ``equo popolazione
genera --nuclei N -o P.parquet`` does: generates the calibrated population block by block with
:func:`equo.popolazione.genera.genera_blocchi` and writes every block as a Parquet row group
with :class:`equo.popolazione.file.ScrittorePopolazione`, in a background thread while the next
block is generated (the calibration check the command prints is timed apart). It prints the
time of generation and writing, their sum, the size of the file and the peak resident memory
of the subprocess (``ru_maxrss``), beside the target of the issue. It asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from equo.popolazione.calibrazione import carica_calibrazione, misura, verifica
from equo.popolazione.file import ScrittorePopolazione
from equo.popolazione.genera import genera_blocchi, metadati_generazione

TARGET_N = 1_000_000
TARGET_SECONDS = 30.0
TARGET_CORES = 2


def _peak_rss_mb() -> float:
    """Peak resident set size of this process so far (ru_maxrss is in KiB on Linux)."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024.0 if sys.platform != "darwin" else kib / 1024.0 / 1024.0


def _worker(n: int, seed: int) -> dict[str, float]:
    """Generate and write ``n`` nuclei once; the figures as a dict."""
    calibrazione = carica_calibrazione()
    generazione = scrittura = controllo = 0.0
    fuori = 0
    with tempfile.TemporaryDirectory() as cartella:
        path = Path(cartella) / "popolazione.parquet"
        metadati = metadati_generazione(n, seed=seed, calibrazione=calibrazione)
        inizio = time.perf_counter()
        with ScrittorePopolazione(path, metadati, in_parallelo=True) as scrittore:
            blocchi = genera_blocchi(n, seed=seed, calibrazione=calibrazione)
            while True:
                t0 = time.perf_counter()
                blocco = next(blocchi, None)
                t1 = time.perf_counter()
                generazione += t1 - t0
                if blocco is None:
                    break
                scrittore.scrivi(blocco.popolazione)  # waits for the previous block's write
                t2 = time.perf_counter()
                scrittura += t2 - t1
                conteggi = misura(blocco.popolazione, calibrazione, isee=blocco.isee)
                controllo += time.perf_counter() - t2
                fuori += sum(1 for e in verifica(conteggi, calibrazione) if e.rispettato is False)
                del blocco  # not alive while the next block is generated
            t3 = time.perf_counter()
        scrittura += time.perf_counter() - t3  # the last block's write, on exit
        totale = time.perf_counter() - inizio - controllo
        dimensione = path.stat().st_size
    return {
        "n": n,
        "gen_s": generazione,
        "write_s": scrittura,
        "total_s": totale,
        "check_s": controllo,
        "file_mb": dimensione / 1e6,
        "rss_mb": _peak_rss_mb(),
        "out_of_tolerance": fuori,
    }


def _run(n: int, seed: int) -> dict[str, float]:
    completed = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--worker", str(n), "--seed", str(seed)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[TARGET_N])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1, help="runs per size, best kept")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        print(json.dumps(_worker(args.worker, args.seed)))
        return

    print(
        f"Python {platform.python_version()}, polars {pl.__version__}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}"
    )
    print(
        f"{'N':>11} {'gen s':>7} {'write s':>8} {'total s':>8} {'check s':>8} "
        f"{'file MB':>8} {'peak RSS MB':>12} {'targets out':>12}"
    )
    for n in args.sizes:
        runs = [_run(n, args.seed) for _ in range(max(args.repeat, 1))]
        best = min(runs, key=lambda r: r["total_s"])
        print(
            f"{n:>11,} {best['gen_s']:>7.2f} {best['write_s']:>8.2f} {best['total_s']:>8.2f} "
            f"{best['check_s']:>8.2f} {best['file_mb']:>8.1f} {best['rss_mb']:>12,.0f} "
            f"{int(best['out_of_tolerance']):>12}"
        )
    print(
        f"Target: {TARGET_N:,} nuclei generated and written in at most {TARGET_SECONDS:.0f} s "
        f"on {TARGET_CORES} cores (total s: generation + writing, the check excluded)."
    )


if __name__ == "__main__":
    main()
