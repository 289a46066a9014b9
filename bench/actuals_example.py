"""Write the shipped actuals example: six months observed from one known truth of the plan.

The truth is one draw of every uncertain input from ``examples/actuals/plan.yaml``'s own ranges
(``--truth`` picks which); its first six months are observed with the noise the update's
observation model assumes (5% on users and revenue, 2% on costs, 1% on cash) and written to
``examples/actuals/actuals.csv``; the true inputs go to ``examples/actuals/truth.json`` so that
anyone can check what ``breakeven update`` recovers. Run: ``.venv/bin/python bench/actuals_example.py``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

import breakeven
from breakeven.analysis.update import ObservedPaths, series_of, simulated_noisy_actuals
from breakeven.engine import layout
from breakeven.engine.inputs import independent_uniforms
from breakeven.format import month_label

HERE = Path(__file__).resolve().parent.parent / "examples" / "actuals"
ERRORS = {
    "active_users": 0.05,
    "paying_users": 0.05,
    "revenue.subscription": 0.05,
    "cogs.inference": 0.02,
    "opex.people": 0.02,
    "cash": 0.01,
}
MONTHS = 6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--truth", type=int, default=12, help="seed of the true inputs' draw")
    args = ap.parse_args()
    plan = breakeven.load(HERE / "plan.yaml")
    names = layout(plan).table.random()
    u = independent_uniforms(args.truth)(names, 0, 1)
    run = ObservedPaths(plan, MONTHS, names, 1).run(u, full=True, keep=1)
    true = {k: series_of(run, k, MONTHS)[0] for k in ERRORS}
    rng = np.random.default_rng(args.truth)
    noisy = simulated_noisy_actuals(list(ERRORS), true, ERRORS, rng)
    rows = ["month," + ",".join(ERRORS) + "," + ",".join(f"{k}.error" for k in ERRORS)]
    for t in range(MONTHS):
        cells = [f"{noisy[k][t]:.0f}" for k in ERRORS] + [f"{e:.0%}" for e in ERRORS.values()]
        rows.append(",".join([month_label(plan.start, t + 1), *cells]))
    header = (
        "# Six months of actuals of examples/actuals/plan.yaml, simulated from one known truth\n"
        "# (bench/actuals_example.py; truth.json). Each series' .error column is its relative\n"
        "# measurement error: users and revenue ±5%, costs ±2%, cash ±1%.\n"
    )
    (HERE / "actuals.csv").write_text(header + "\n".join(rows) + "\n")
    truth = {
        "seed": args.truth,
        "inputs": {k: float(f"{run.inputs[k][0]:.6g}") for k in names},
        "p_breakeven_of_the_truth": bool(np.isfinite(run.metrics["breakeven_month"][0])),
        "breakeven_month_of_the_truth": float(run.metrics["breakeven_month"][0]),
    }
    truth = {"about": "the true inputs behind actuals.csv (bench/actuals_example.py)", **truth}
    (HERE / "truth.json").write_text(json.dumps(truth, indent=1) + "\n")
    print(f"wrote {HERE / 'actuals.csv'} and truth.json (truth seed {args.truth})")


if __name__ == "__main__":
    main()
