"""Fit the training MFU to published runs (src/breakeven/compute/data/training_runs.yaml).

Run: ``python bench/fit_training.py``. Prints every run's implied utilisation (MFU x goodput,
from the estimator's own FLOP count), the fitted 90% intervals in the form efficiency.yaml stores
them (``training_mfu`` for dense models, ``training_mfu_moe`` for MoE ones), whether the stored
intervals match, and estimate / published GPU-hours for the fit runs and for the hold-out and test
rows of tests/data/published.yaml (with the factors as stored). Exit status 1 if the stored
intervals differ from the fit. ``--pooled`` prints, for comparison only, the fit with the
published rows added (they are never in the stored fit).

Method. A run's implied utilisation is u = MFU x goodput. goodput keeps its published interval
(efficiency.yaml ``training_goodput``; the runs publish GPU-hours, not the two parts). MFU is
logit-normal — the shape efficiency.yaml gives a fraction's "a to b" — with its own location for
dense and for MoE runs and one shared scale (three MoE runs cannot fix a scale of their own).
The three parameters maximise the likelihood of the u's, where the density of u integrates the
MFU density over goodput's distribution (400 quantile nodes). Each publication weighs 1 (its runs
share a cluster and a training stack). The stored interval is the fitted MFU's 5th-95th
percentile, rounded to two decimals.
"""

from __future__ import annotations

import math
import statistics
import sys
from pathlib import Path
from typing import Any

import numpy as np
from scipy import optimize, special

from breakeven.compute.catalog import factors
from breakeven.compute.training import (
    estimate_training,
    implied_utilisation,
    is_moe,
    sample_training_factors,
    training_runs,
)
from breakeven.models.distributions import Z95

sys.path.insert(0, str(Path(__file__).resolve().parent))
import validate  # bench/validate.py: the published rows and their estimates

FACTOR = {False: "training_mfu", True: "training_mfu_moe"}
GOODPUT_NODES = 400


def goodput_nodes(k: int = GOODPUT_NODES) -> np.ndarray:
    """Equal-probability nodes of the goodput distribution (its quantiles at (j + 1/2) / k)."""
    dist = factors()["training_goodput"].dist
    return np.asarray(dist.ppf((np.arange(k) + 0.5) / k), dtype=float)


def _logpdf_u(u: np.ndarray, mu: np.ndarray, s: float, g: np.ndarray) -> np.ndarray:
    """log density of u = MFU x goodput, MFU ~ logit-normal(mu, s), goodput at nodes g."""
    x = u[:, None] / g[None, :]
    inside = x < 1.0
    xs = np.where(inside, x, 0.5)
    z = (special.logit(xs) - mu[:, None]) / s
    dens = np.exp(-0.5 * z * z) / (math.sqrt(2 * math.pi) * s * xs * (1 - xs) * g[None, :])
    with np.errstate(divide="ignore"):
        return np.log(np.mean(np.where(inside, dens, 0.0), axis=1))


def fit(runs: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Weighted maximum likelihood of (dense location, MoE location, shared scale) of logit MFU."""
    runs = training_runs() if runs is None else runs
    u = np.array([r["u"] if "u" in r else implied_utilisation(r) for r in runs])
    moe = np.array([bool(r["moe"]) for r in runs])
    pubs = [r["publication"] for r in runs]
    w = np.array([1.0 / pubs.count(p) for p in pubs])
    g = goodput_nodes()
    g_med = float(np.median(g))

    def nll(theta: np.ndarray) -> float:
        mu = np.where(moe, theta[1], theta[0])
        return -float(np.sum(w * _logpdf_u(u, mu, math.exp(theta[2]), g)))

    start = [
        float(special.logit(np.exp(np.mean(np.log(u[moe == m]))) / g_med)) for m in (False, True)
    ]
    res = optimize.minimize(
        nll,
        np.array([*start, math.log(0.3)]),
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000, "maxfev": 40000},
    )
    if not res.success:  # pragma: no cover - the data are small and well-posed
        raise RuntimeError(f"fit did not converge: {res.message}")
    s = math.exp(res.x[2])
    out: dict[str, Any] = {"scale": s, "runs": runs, "implied": u, "weights": w}
    for cls, loc in ((False, res.x[0]), (True, res.x[1])):
        lo, hi = special.expit(loc - Z95 * s), special.expit(loc + Z95 * s)
        out[FACTOR[cls]] = {
            "mu": float(loc),
            "median": float(special.expit(loc)),
            "p5": float(lo),
            "p95": float(hi),
            "interval": f"{lo:.2f} to {hi:.2f}",
            "runs": int(np.sum(moe == cls)),
            "publications": len({p for p, m in zip(pubs, moe, strict=True) if m == cls}),
        }
    return out


def stored_intervals() -> dict[str, str]:
    """The intervals efficiency.yaml holds now."""
    table = factors()
    return {name: str(table[name].row["value"]) for name in FACTOR.values()}


def published_runs(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The published.yaml training rows as runs with their implied utilisation ``u`` (for the
    ``--pooled`` comparison only: they are the test and hold-out rows, never the stored fit)."""
    out = []
    for c in data["training"]:
        model = validate._model(c["model"], data)
        est = estimate_training(
            c["gpu"],
            c["tokens"],
            model=model,
            precision=c["precision"],
            seq_len=c.get("seq_len"),
            training_mfu=1.0,
            training_goodput=1.0,
        )  # hours at MFU = goodput = 1, so u = those hours / the published ones
        u = float(est.gpu_hours[0]) / float(c["published_gpu_hours"])
        pub = str(c["source"]).split(",")[0]
        out.append({"id": c["id"], "u": u, "moe": is_moe(model), "publication": pub})
    return out


def interval_90(case: dict[str, Any], data: dict[str, Any], n: int = 4000) -> tuple[float, float]:
    """5th and 95th percentile of a published row's GPU-hours with the factors sampled."""
    model = validate._model(case["model"], data)
    f = sample_training_factors(n, np.random.default_rng(0), moe=is_moe(model))
    est = estimate_training(
        case["gpu"],
        case["tokens"],
        model=model,
        precision=case["precision"],
        seq_len=case.get("seq_len"),
        **f,
    )
    lo, hi = np.percentile(est.gpu_hours, [5, 95])
    return float(lo), float(hi)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--pooled" in argv:  # what the fit would be with the published rows in it (not stored)
        data = validate.load_published()
        pooled = fit(training_runs() + published_runs(data))
        for name in FACTOR.values():
            f = pooled[name]
            print(f'pooled {name}: "{f["interval"]}" (median {f["median"]:.3f}; {f["runs"]} runs)')
        return 0
    result = fit()
    good = factors()["training_goodput"].median
    print("Implied utilisation (MFU x goodput) of the fit runs, and estimate / published")
    print(f"{'run':<20} {'class':<6} {'u':>6} {'est/pub':>8}")
    ratios = []
    for r, u in zip(result["runs"], result["implied"], strict=True):
        med = result[FACTOR[bool(r["moe"])]]["median"] * good
        ratios.append(u / med)
        print(f"{r['id']:<20} {'MoE' if r['moe'] else 'dense':<6} {u:>6.3f} {u / med:>8.2f}")
    print(f"fit runs: median estimate/published {statistics.median(ratios):.2f}")
    print()
    print(f"logit-normal MFU, shared scale {result['scale']:.3f} (goodput median {good:.3f})")
    stored = stored_intervals()
    bad = 0
    for name in FACTOR.values():
        f = result[name]
        same = stored[name] == f["interval"]
        bad += not same
        print(
            f'{name}: "{f["interval"]}" (median {f["median"]:.3f}; {f["runs"]} runs, '
            f'{f["publications"]} publications); efficiency.yaml has "{stored[name]}"'
            f"{'' if same else '  <- DIFFERENT'}"
        )
    print()
    data = validate.load_published()
    print("Published rows (tests/data/published.yaml, not fitted): median estimate / published,")
    print("and whether the published GPU-hours lie in the estimate's sampled 90% interval")
    tol = data["tolerance"]["gpu_hours"]
    groups: dict[str, list[float]] = {"test": [], "hold-out": []}
    inside = 0
    for c in data["training"]:
        pub = float(c["published_gpu_hours"])
        ratio = validate.training_estimate(c, data) / pub
        lo, hi = interval_90(c, data)
        inside += lo <= pub <= hi
        split = c.get("split", "test")
        groups[split].append(ratio)
        flag = "ok" if abs(ratio - 1) <= tol else "miss"
        print(
            f"{c['id']:<20} {split:<9} {ratio:>6.2f}  {flag:<5} "
            f"{'in' if lo <= pub <= hi else 'OUT'} 90% interval"
        )
    for split, rs in groups.items():
        if rs:
            print(
                f"{split} rows: median estimate/published {statistics.median(rs):.2f} ({len(rs)})"
            )
    every = groups["test"] + groups["hold-out"]
    print(
        f"all published rows: median {statistics.median(every):.2f}; "
        f"{sum(abs(r - 1) <= tol for r in every)}/{len(every)} within ±{tol:.0%}; "
        f"{inside}/{len(every)} inside the 90% interval"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
