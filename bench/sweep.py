"""A sweep spread over Dask: the shipped example on a 3 × 3 grid, on a local cluster of worker
processes and in one process, with the same rows.

The grid holds the membership price (``streams.subscription.price_per_month``, every month) at
39 / 49 / 59 and the monthly ad budget (``market.consumer.paid_acquisition.budget_per_month``,
every month) at 10M / 20M / 30M; each cell is 20,000 samples with the plan's seed. The cluster's
time includes starting and closing it (worker processes that import breakeven, then run one
cell at a time on one thread); in one process (``sync``) the cells run one after the other, each
simulation on the engine's threads (up to 4, one per core). Prints both wall times, when the
cluster's first cell came back, whether the rows are identical, the P(break-even) matrix and the
machine. A report, not a test.
Usage: python bench/sweep.py [-n 20000] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "chat-assistant-freemium.yaml"
PRICE = "streams.subscription.price_per_month"
BUDGET = "market.consumer.paid_acquisition.budget_per_month"
GRID = {PRICE: ["39", "49", "59"], BUDGET: ["10M", "20M", "30M"]}


def main() -> None:
    from breakeven.analysis.sweep import sweep

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", "--samples", type=int, default=20_000)
    ap.add_argument("--workers", type=int, default=2, help="worker processes of the cluster")
    a = ap.parse_args()

    t0 = time.perf_counter()
    first: list[float] = []  # when the first cell came back: starting workers, imports, 1 cell

    def seen(done: int, total: int) -> None:
        if not first:
            first.append(time.perf_counter() - t0)

    on_cluster = sweep(
        EXAMPLE, GRID, samples=a.samples, scheduler="processes", workers=a.workers, progress=seen
    )
    t_cluster = time.perf_counter() - t0
    t0 = time.perf_counter()
    local = sweep(EXAMPLE, GRID, samples=a.samples, scheduler="sync")
    t_sync = time.perf_counter() - t0

    cells = len(local.rows)
    print(
        f"sweep of {local.name}: {' × '.join(map(str, local.shape))} = {cells} cells × "
        f"{a.samples:,} samples, seed {local.seed}"
    )
    print(
        f"  {on_cluster.scheduler + ':':<42} {t_cluster:6.1f} s (with starting and closing the "
        f"cluster; first cell back after {first[0]:.1f} s)"
    )
    print(f"  {'sync, one process:':<42} {t_sync:6.1f} s")
    print(f"  speed-up: {t_sync / t_cluster:.2f}×")
    print(f"identical: {on_cluster.rows == local.rows}")
    tab = local.table("p_breakeven")
    print("P(break-even), rows: price per month, columns: ad budget per month")
    print("        " + "".join(f"{x / 1e6:>8.0f}M" for x in tab.column_values))
    for (price,), vals in zip(tab.row_values, tab.values, strict=True):
        print(f"  ¥{price:<5.0f}" + "".join(f"{v:>9.1%}" for v in vals))
    cpu = platform.processor() or platform.machine()
    print(
        f"machine: {platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )


if __name__ == "__main__":  # the cluster's worker processes import this file: run only here
    main()
