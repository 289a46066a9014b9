"""Does a run's time grow linearly in months? Time per sample-month of every template at 60 and
240 months.

Each template (and the shipped example) runs at a fixed sample count with ``horizon_months`` set
to 60 and to 240, each in a fresh subprocess: one warm-up run of the same size (imports,
catalogs, and the memory a run maps — the kernel's first mapping of fresh memory costs far more,
and far more unevenly, than later ones), then the fastest of 5 timed runs (other work on the
machine only ever adds time: the fastest is the steadiest estimate, where a median of 3 moved
by ±10% from one call of this script to the next). Time is the process's
CPU time, which other work on a shared machine disturbs less than elapsed time (``--clock
wall``); ``--clock user`` leaves out the kernel's time, mostly page faults, which a virtual
machine makes erratic. Every run is on one thread (``workers=1``): at the default sample count a
run is one chunk; at ``-n 65536`` four, and the 5,000 samples whose ledger is kept weigh less in
the time (a large run's time per sample-month, where the kept ledger no longer flatters a plan
with few lines).

The table gives µs per sample-month at each horizon, their ratio (1.0: linear in months; more:
some step re-reads the whole history) and the ratio to the example at 60 months. The example is
timed first and again last, and the faster of the two is the base of that ratio (the harder
yardstick). A report, not a test: the exit status is always 0.

``--jit on`` (the default) runs the blocks' compiled loops (:mod:`breakeven.models.compiled`), as
every run of at least 4M sample-months does; ``--jit off`` their numpy twins, as a smaller run
does unless numba is already loaded (the numbers are the same either way, not the time).
Usage: python bench/months.py [-n 8192] [--repeats 5] [--clock cpu|user|wall] [--jit on|off]
       [--only a,b]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from breakeven.scenario import templates

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "chat-assistant-freemium.yaml"
HORIZONS = (60, 240)

CHILD = r"""
import json, resource, sys, time
import breakeven
sc = breakeven.load(sys.argv[1]).model_copy(update={"horizon_months": int(sys.argv[2])})
n, repeats = int(sys.argv[3]), int(sys.argv[4])
breakeven.simulate(sc, samples=n, seed=1, workers=1)  # warm-up: imports, catalogs, memory
clock = {
    "cpu": time.process_time,
    "user": lambda: resource.getrusage(resource.RUSAGE_SELF).ru_utime,
    "wall": time.perf_counter,
}[sys.argv[5]]
times = []
for _ in range(repeats):
    t0 = clock()
    r = breakeven.simulate(sc, samples=n, seed=1, workers=1)
    times.append(clock() - t0)
    del r
print(json.dumps(times))
"""


def time_run(
    path: Path, months: int, samples: int, repeats: int, clock: str, jit: str = "on"
) -> float | None:
    """Fastest seconds of ``simulate`` on the plan at ``path`` over ``months`` (None if it fails),
    with ``BREAKEVEN_JIT`` set to ``jit``."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(months), str(samples), str(repeats), clock],
        capture_output=True,
        text=True,
        env={**os.environ, "BREAKEVEN_JIT": jit},
    )
    try:
        if out.returncode != 0:
            raise ValueError(out.stderr.strip()[-300:])
        return min(json.loads(out.stdout.strip().splitlines()[-1]))
    except (ValueError, IndexError) as e:  # a report: say so in the table and go on
        print(f"<!-- {path.name} at {months} months failed: {e} -->")
        return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", "--samples", type=int, default=8192)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument(
        "--clock",
        choices=("cpu", "user", "wall"),
        default="cpu",
        help="CPU time (default), user CPU time only (without the kernel's page faults), or "
        "elapsed time",
    )
    ap.add_argument(
        "--jit",
        choices=("on", "off", "auto"),
        default="on",
        help="the blocks' compiled loops (default), their numpy twins, or as a run decides",
    )
    ap.add_argument("--only", default="", help="comma-separated templates (default: all)")
    a = ap.parse_args()
    clock = a.clock
    plans = [("example: chat-assistant-freemium", EXAMPLE)]
    plans += [(name, templates.path(name)) for name in templates.names()]
    if a.only:
        plans = plans[:1] + [p for p in plans[1:] if p[0] in a.only.split(",")]
    cpu = platform.processor() or platform.machine()
    print(
        f"machine: {platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {a.samples:,} samples, {clock} time, "
        f"fastest of {a.repeats}, BREAKEVEN_JIT={a.jit}"
    )
    print()

    def per_sample_month(path: Path, h: int) -> float | None:
        t = time_run(path, h, a.samples, a.repeats, clock, a.jit)
        return None if t is None else 1e6 * t / (a.samples * h)

    def cell(x: float | None, fmt: str) -> str:
        return "—" if x is None else format(x, fmt)

    timed = {label: {h: per_sample_month(path, h) for h in HORIZONS} for label, path in plans}
    again = per_sample_month(EXAMPLE, 60)  # the example once more, after every other plan
    first = timed[plans[0][0]][60]
    base = min((x for x in (first, again) if x is not None), default=None)
    print(
        f"example at 60 months, first and last: {cell(first, '.3f')} and "
        f"{cell(again, '.3f')} µs/sample-month (the faster is the base)"
    )
    print()
    print("| template | µs/sample-month at 60 | at 240 | 240/60 | ÷ example at 60 |")
    print("|---|---|---|---|---|")

    for label, _ in plans:
        us = timed[label]
        ratio = us[240] / us[60] if us[240] and us[60] else None
        vs = us[60] / base if us[60] and base else None
        print(
            f"| `{label}` | {cell(us[60], '.3f')} | {cell(us[240], '.3f')} | "
            f"{cell(ratio, '.2f')} | {cell(vs, '.2f')} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
    sys.exit(0)  # a report, not a test
