"""Benchmark: time and peak memory of `simulate` on the shipped example.

Runs each size in a fresh subprocess (so peak RSS is that run's own), median of 5 repeats for
timing. With several workers on forked processes (``breakeven.engine.parallel``) the peak of
the largest worker process is shown beside the main one's; a forked worker's RSS counts the
pages it shares with the main process (its copy-on-write view of the plan and libraries, the
shared result arrays it writes into), so the two peaks overlap and are not to be added.
Usage: python bench/engine.py [--sizes 10000,100000,1000000] [--repeats 5] [--workers N]
                              [--parallel threads|processes]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "chat-assistant-freemium.yaml"

CHILD = r"""
import json, resource, sys, time
import breakeven
sc = breakeven.load(sys.argv[1])
n, repeats = int(sys.argv[2]), int(sys.argv[3])
workers = int(sys.argv[4]) or None
breakeven.simulate(sc, samples=min(n, 4096), seed=1)  # warm-up: imports, caches
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    r = breakeven.simulate(sc, samples=n, seed=1, workers=workers)
    times.append(time.perf_counter() - t0)
    del r
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
try:
    from breakeven.engine.parallel import use_processes
except ImportError:  # an older checkout, timed side by side: threads only
    use_processes = lambda w, chunks: False
from breakeven.engine.simulate import DEFAULT_CHUNK, default_workers
w = workers or default_workers()
print(json.dumps({"times": times, "peak_rss": rss, "child_rss": kids, "months": sc.horizon_months,
                  "workers": w, "chunk": DEFAULT_CHUNK,
                  "how": "processes" if use_processes(w, -(-n // DEFAULT_CHUNK)) else "threads"}))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--workers", type=int, default=0, help="workers per run (0: the default)")
    ap.add_argument(
        "--parallel", choices=("threads", "processes"), help="force how (default: auto)"
    )
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    rows = []
    env = dict(os.environ)
    if a.parallel:
        env["BREAKEVEN_PARALLEL"] = a.parallel
    for n in [int(s) for s in a.sizes.split(",")]:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(EXAMPLE), str(n), str(a.repeats), str(a.workers)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        d = json.loads(out.stdout)
        med = statistics.median(d["times"])
        rows.append(
            {
                "samples": n,
                "months": d["months"],
                "median_s": med,
                "min_s": min(d["times"]),
                "us_per_sample": 1e6 * med / n,
                "peak_rss_mb": d["peak_rss"] / 2**20,
                "worker_peak_rss_mb": d["child_rss"] / 2**20,
                "workers": d["workers"],
                "how": d["how"],
                "chunk": d["chunk"],
            }
        )
    if a.json:
        print(json.dumps(rows, indent=1))
        return
    cpu = platform.processor() or platform.machine()
    print(
        f"machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}; "
        f"{rows[0]['workers']} workers, chunks of {rows[0]['chunk']:,} samples"
    )
    print(
        f"{'samples':>10} {'months':>6} {'median s':>9} {'min s':>8} {'µs/sample':>10} "
        f"{'peak MB':>8} {'worker MB':>9}  workers are"
    )
    for r in rows:
        kid = f"{r['worker_peak_rss_mb']:>9.0f}" if r["how"] == "processes" else f"{'-':>9}"
        print(
            f"{r['samples']:>10,} {r['months']:>6} {r['median_s']:>9.3f} {r['min_s']:>8.3f} "
            f"{r['us_per_sample']:>10.2f} {r['peak_rss_mb']:>8.0f} {kid}  {r['how']}"
        )


if __name__ == "__main__":
    main()
