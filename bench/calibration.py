"""Simulation-based calibration of `breakeven update` (the figures in the README).

Each trial draws a true set of inputs from the plan's own ranges, observes its first months with
the observation model's noise, updates the plan and checks whether the posterior's 80% (and 50%)
intervals hold the true inputs and whether the updated forecast's 80% band holds the true path
after the actuals (months 7–24 by default). A calibrated update holds the truth at the nominal
rate: 80% ± 6% over 200 trials is the goal.

    .venv/bin/python bench/calibration.py                       # 200 trials, the example plan
    .venv/bin/python bench/calibration.py --trials 50 --samples 1000 --workers 2
    .venv/bin/python bench/calibration.py --plan examples/actuals/plan.yaml \\
        --observe active_users,paying_users,revenue.subscription,cash --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import breakeven
from breakeven.analysis.calibration import Trial, summarise, trial

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PLAN = ROOT / "examples" / "actuals" / "plan.yaml"
DEFAULT_SERIES = "active_users,paying_users,revenue.subscription,cash"


def _one(args: tuple[str, int, list[str], int, int, int, float]) -> Trial:
    plan_path, i, observe, months, forecast_to, samples, error = args
    plan = breakeven.load(plan_path)
    return trial(
        plan, i, observe, months=months, forecast_to=forecast_to, error=error, samples=samples
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--plan", default=str(DEFAULT_PLAN))
    ap.add_argument("--observe", default=DEFAULT_SERIES, help="comma-separated outputs observed")
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--months", type=int, default=6, help="months of actuals")
    ap.add_argument("--forecast-to", type=int, default=24, help="last month of the forecast check")
    ap.add_argument("--samples", type=int, default=2000, help="samples per update")
    ap.add_argument("--error", type=float, default=0.05, help="relative observation error")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes")
    ap.add_argument("--json", type=Path, help="write the summary here")
    a = ap.parse_args()
    observe = [s.strip() for s in a.observe.split(",") if s.strip()]
    example = breakeven.load(DEFAULT_PLAN)
    t_ex = time.perf_counter()
    upd = breakeven.update(example, ROOT / "examples" / "actuals" / "actuals.csv")
    t_ex = time.perf_counter() - t_ex
    print(f"the shipped example: {upd.narrative()}")
    print(
        f"  {t_ex:.1f} s for {upd.posterior.samples:,} samples ({upd.sampler.stages} stages, "
        f"{upd.sampler.simulations} simulations of the observed months)"
    )
    jobs = [
        (a.plan, i, observe, a.months, a.forecast_to, a.samples, a.error) for i in range(a.trials)
    ]
    t0 = time.perf_counter()
    if a.workers > 1:
        with ProcessPoolExecutor(a.workers) as pool:
            trials = list(pool.map(_one, jobs))
    else:
        trials = [_one(j) for j in jobs]
    s = summarise(trials)
    s.update(
        plan=str(Path(a.plan).resolve().relative_to(ROOT))
        if ROOT in Path(a.plan).resolve().parents
        else a.plan,
        observed=observe,
        months=a.months,
        forecast_months=f"{a.months + 1}-{a.forecast_to}",
        samples=a.samples,
        error=a.error,
        wall_seconds=time.perf_counter() - t0,
        example_seconds=t_ex,
        machine=f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    )
    print(f"{s['trials']} trials of {s['plan']}: {a.months} months of {', '.join(observe)}")
    print(f"  inputs: {s['inputs']}; SMC in {s['smc_share']:.0%} of trials")
    print(f"  80% intervals hold the truth: {s['coverage80']:.1%} (pooled over inputs)")
    lo80 = min(s["coverage80_by_input"].values())
    hi80 = max(s["coverage80_by_input"].values())
    print(f"    per input: {lo80:.0%} to {hi80:.0%}")
    print(f"  50% intervals hold the truth: {s['coverage50']:.1%}")
    print(
        f"  forecast months {s['forecast_months']}: 80% band holds the true path {s['forecast80']:.1%}"
    )
    for k, v in s["forecast80_by_series"].items():
        print(f"    {k}: {v:.1%}")
    print(
        f"  {s['seconds_per_trial']:.2f} s per trial; {s['wall_seconds']:.0f} s wall on {s['machine']}"
    )
    if a.json:
        a.json.write_text(json.dumps(s, indent=1))


if __name__ == "__main__":
    main()
