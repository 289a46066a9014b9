"""A process that saves runs in a loop (for the kill -9 test): run ``i`` has a plan named
``plan i``, seed ``i``, samples ``i + 1``, note ``note i`` and the summary :func:`summary` (i),
so a reader can check that every run it finds is whole. The process writes ``begin <i>`` to its
output before each save and ``saved <id> <i>`` once the save has returned, so a reader knows
which saves completed and whether the process was killed during one.

    python -m tests.store.saver STORE START
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from ..conftest import tiny

PAYLOAD = 5_000  # numbers per summary (~25 kB a save)


def plan(i: int) -> str:
    return tiny(g_and_a=str(10 + i)).replace("name: tiny hand-checked", f"name: plan {i}")


def summary(i: int) -> dict[str, Any]:
    return {
        "scenario": f"plan {i}",
        "marker": i,
        "currency": "CNY",
        "horizon_months": 3,
        "probabilities": {"p_breakeven": (i % 100) / 100, "p_cash_out": 0.5},
        "metrics": {
            "breakeven_month": {"p50": None},
            "peak_funding_need": {"p50": float(i), "p90": 2.0 * i},
            "npv": {"p50": -float(i)},
        },
        "payload": [i] * PAYLOAD,
    }


def save_forever(path: str, start: int, out: TextIO, count: int = 10**9) -> None:
    from breakeven.store import RunStore

    store = RunStore(path)
    for i in range(start, start + count):
        out.write(f"begin {i}\n")
        out.flush()
        run_id = store.save(
            plan(i), name=f"run {i}", seed=i, samples=i + 1, summary=summary(i), note=f"note {i}"
        )
        out.write(f"saved {run_id} {i}\n")
        out.flush()


if __name__ == "__main__":
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 10**9
    save_forever(sys.argv[1], int(sys.argv[2]), sys.stdout, count)
