"""Simulation-based calibration of :func:`~breakeven.analysis.update.update` (Talts et al. 2018).

One trial draws a "true" set of inputs from the plan's prior, simulates its path, observes its
first months with the observation model's noise, updates the plan on those actuals and checks
whether the posterior's 80% intervals hold the true inputs, and whether the updated forecast's
80% band holds the true path in the months after the actuals. Over many trials a calibrated
update holds the truth at the nominal rate; ``bench/calibration.py`` runs 200 trials and a test
a small number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..engine import layout
from ..engine.inputs import independent_uniforms, name_key
from .actuals import Actuals, Series
from .update import ObservedPaths, series_of, simulated_noisy_actuals, update


@dataclass(frozen=True)
class Trial:
    """One calibration trial: per input whether its truth fell in the posterior's 80% (and
    50%) interval; per forecast series the share of months whose truth fell in the 80% band."""

    index: int
    inside80: dict[str, bool]
    inside50: dict[str, bool]
    forecast80: dict[str, float]
    method: str
    ess_prior: float
    seconds: float


def trial(
    plan: Any,
    index: int,
    observed: Sequence[str],
    *,
    months: int = 6,
    forecast_to: int = 24,
    error: float = 0.05,
    samples: int = 2000,
) -> Trial:
    """Run calibration trial ``index`` (its truth and noise depend on the index only)."""
    import time

    t0 = time.perf_counter()
    names = layout(plan).table.random()
    truth_seed = [int(plan.seed), name_key("calibration truth"), index]
    u_true = independent_uniforms(int(np.random.SeedSequence(truth_seed).generate_state(1)[0]))(
        names, 0, 1
    )
    paths = ObservedPaths(plan, months, names, 1)
    true_run = paths.run(u_true, full=True, keep=1)
    true_paths = {k: series_of(true_run, k, plan.horizon_months)[0] for k in observed}
    rng = np.random.default_rng([int(plan.seed), name_key("calibration noise"), index])
    noisy = simulated_noisy_actuals(
        list(observed), {k: v[:months] for k, v in true_paths.items()}, error, rng
    )
    actuals = Actuals(
        f"trial {index}",
        plan.start,
        months,
        {k: Series(k, v, np.full(months, error)) for k, v in noisy.items()},
    )
    upd = update(plan, actuals, samples=samples, seed=int(plan.seed) + 1 + index, workers=1)
    inside80, inside50 = {}, {}
    for name in names:
        x = upd.posterior.inputs[name]
        t = float(true_run.inputs[name][0])
        lo, hi = np.quantile(x, [0.1, 0.9])
        q25, q75 = np.quantile(x, [0.25, 0.75])
        inside80[name] = bool(lo <= t <= hi)
        inside50[name] = bool(q25 <= t <= q75)
    forecast = {}
    for k in observed:
        post = series_of(upd.posterior, k, forecast_to)[:, months:]
        lo, hi = np.quantile(post, [0.1, 0.9], axis=0)
        truth = true_paths[k][months:forecast_to]
        forecast[k] = float(np.mean((lo <= truth) & (truth <= hi)))
    return Trial(
        index,
        inside80,
        inside50,
        forecast,
        upd.sampler.method,
        upd.sampler.ess_prior,
        time.perf_counter() - t0,
    )


def summarise(trials: Sequence[Trial]) -> dict[str, Any]:
    """Coverage over trials: pooled and per input (80% and 50%), and of the forecast."""
    names = list(trials[0].inside80)
    per80 = {n: float(np.mean([t.inside80[n] for t in trials])) for n in names}
    per50 = {n: float(np.mean([t.inside50[n] for t in trials])) for n in names}
    series = list(trials[0].forecast80)
    fc = {k: float(np.mean([t.forecast80[k] for t in trials])) for k in series}
    return {
        "trials": len(trials),
        "inputs": len(names),
        "coverage80": float(np.mean(list(per80.values()))),
        "coverage50": float(np.mean(list(per50.values()))),
        "coverage80_by_input": per80,
        "coverage50_by_input": per50,
        "forecast80": float(np.mean(list(fc.values()))),
        "forecast80_by_series": fc,
        "smc_share": float(np.mean([t.method != "importance weighting" for t in trials])),
        "seconds_per_trial": float(np.mean([t.seconds for t in trials])),
    }


__all__ = ["Trial", "trial", "summarise"]
