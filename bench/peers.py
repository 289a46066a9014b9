"""breakeven beside its peers: one simple freemium model in breakeven, squigglepy, monaco and
plain numpy, timed at the same sample count.

The model (``bench/peers_freemium.yaml`` is the breakeven plan; the functions below are the same
model as a user of each peer would write it): 60 months; users grow by Bass diffusion (market
5M–20M lognormal, innovation p uniform 1–4%/year, imitation q PERT(0.2, 0.4, 0.8)/year) and churn
(uniform 3–8%/month); a uniform 2–6% of active users pay $12/month, less a 3% payment fee; every
active user sends 2 requests a day of 500 input and 200 output tokens, priced per million tokens
(lognormal $0.5–2 and $2–6); 20 people cost a lognormal $100k–200k a year each; $5M in the bank.
Outputs: P(break-even) (EBITDA ≥ 0 with revenue, in some month), the break-even month's median
where it happens, the 90th percentile of peak funding need, P(cash runs out).

- **breakeven**: ``breakeven.simulate`` on the plan (single-threaded: ``workers=1``).
- **squigglepy, per sample**: a model function drawing its inputs with ``~dist`` and stepping the
  months in plain Python, sampled with ``sp.sample(model, n)`` — squigglepy's way for a model
  with state over time.
- **squigglepy, vectorised**: ``sp.sample(dist, n)`` arrays, months stepped with numpy.
- **monaco**: a ``monaco.Sim`` with the inputs as scipy.stats distributions (PERT as a scaled
  beta) and preprocess / run / postprocess functions, run case by case (``singlethreaded``).
- **numpy**: a hand-written vectorised model (numpy's generator, months stepped over arrays).

Each runs at ``--samples`` (default 2,048: monaco wants a power of 2 for its Sobol draws),
median of ``--repeats`` after a warm-up, in CPU time (``--clock wall`` for elapsed time); the
table gives time per 1,000 samples and the ratio to breakeven's at the same count. breakeven and
the vectorised peers also run at ``--large`` (100,000), where breakeven's fixed costs (plan
layout, Results) are spread over more samples; the per-sample peers are extrapolated linearly to
it (their cost is a Python call per sample). The peers draw other random numbers, so their
answers agree with breakeven's within sampling error, not exactly (squigglepy's and numpy's
draws happen to be the same: both use numpy's generator on the same seed).

Usage: python bench/peers.py [--samples 2048] [--large 100000] [--repeats 5] [--seed 1]
                             [--clock cpu|wall]
Peers not installed are skipped: ``pip install -e '.[bench]'`` installs them.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/_machine.py, also when imported
from _machine import describe  # noqa: E402

PLAN = ROOT / "bench" / "peers_freemium.yaml"
INSTALL = "pip install -e '.[bench]'"

# The model's certain numbers (as in peers_freemium.yaml).
MONTHS = 60
PRICE = 12.0
PAYMENT_FEE = 0.03
REQUESTS_PER_MONTH = 2.0 * 365.25 / 12
TOKENS_IN, TOKENS_OUT = 500.0, 200.0
HEADCOUNT = 20.0
STARTING_CASH = 5e6
Z95 = 1.6448536269514722  # the standard normal's 95th percentile: a to b is a 90% interval

# Result: break-even month (NaN if never), peak funding need, 1.0 if cash runs out.
Outcome = tuple[float, float, float]


def months_one(
    M: float,
    p: float,
    q: float,
    churn: float,
    conv: float,
    pin: float,
    pout: float,
    cost: float,
) -> Outcome:
    """One sample's 60 months in plain Python (squigglepy's model function, monaco's run)."""
    active = ever = cum = low = 0.0
    be = math.nan
    out = 0.0
    people = HEADCOUNT * cost / 12.0
    for t in range(MONTHS):
        new = min(p / 12.0 + (q / 12.0) * active / M, 1.0) * max(M - ever, 0.0)
        active = active - active * churn + new
        ever += new
        revenue = active * conv * PRICE
        requests = active * REQUESTS_PER_MONTH
        serving = (requests * TOKENS_IN * pin + requests * TOKENS_OUT * pout) / 1e6
        ebitda = revenue - revenue * PAYMENT_FEE - serving - people
        cum += ebitda
        low = min(low, cum)
        if be != be and ebitda >= 0 and revenue > 0:
            be = t + 1.0
        if STARTING_CASH + cum < 0:
            out = 1.0
    return be, max(0.0, -low), out


def months_arrays(
    M: np.ndarray,
    p: np.ndarray,
    q: np.ndarray,
    churn: np.ndarray,
    conv: np.ndarray,
    pin: np.ndarray,
    pout: np.ndarray,
    cost: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All samples' 60 months, vectorised over samples (numpy; squigglepy's arrays)."""
    n = M.shape[0]
    active, ever, cum, low = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
    be = np.full(n, np.nan)
    out = np.zeros(n, dtype=bool)
    people = HEADCOUNT * cost / 12.0
    per_request = (TOKENS_IN * pin + TOKENS_OUT * pout) / 1e6
    for t in range(MONTHS):
        new = np.minimum(p / 12.0 + (q / 12.0) * active / M, 1.0) * np.maximum(M - ever, 0.0)
        active = active - active * churn + new
        ever += new
        revenue = active * conv * PRICE
        ebitda = revenue * (1.0 - PAYMENT_FEE) - active * REQUESTS_PER_MONTH * per_request - people
        cum += ebitda
        np.minimum(low, cum, out=low)
        be[np.isnan(be) & (ebitda >= 0) & (revenue > 0)] = t + 1.0
        out |= STARTING_CASH + cum < 0
    return be, np.maximum(0.0, -low), out.astype(float)


def lognormal_params(lo: float, hi: float) -> tuple[float, float]:
    """mu, sigma of the lognormal with 5th and 95th percentiles lo and hi."""
    return (math.log(lo) + math.log(hi)) / 2, (math.log(hi) - math.log(lo)) / (2 * Z95)


def pert_beta(lo: float, mode: float, hi: float, lam: float = 4.0) -> tuple[float, float]:
    """The beta shape parameters of PERT(lo, mode, hi)."""
    return 1 + lam * (mode - lo) / (hi - lo), 1 + lam * (hi - mode) / (hi - lo)


# ---------------------------------------------------------------------------- the runners
Runner = Callable[[int, int], tuple[np.ndarray, np.ndarray, np.ndarray]]


def run_breakeven(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import breakeven

    sc = breakeven.load(PLAN)
    m = breakeven.simulate(sc, samples=n, seed=seed, workers=1).metrics
    return m["breakeven_month"], m["peak_funding_need"], np.isfinite(m["runway_months"]) * 1.0


def run_numpy(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a, b = pert_beta(0.2, 0.4, 0.8)
    return months_arrays(
        rng.lognormal(*lognormal_params(5e6, 20e6), n),
        rng.uniform(0.01, 0.04, n),
        0.2 + 0.6 * rng.beta(a, b, n),
        rng.uniform(0.03, 0.08, n),
        rng.uniform(0.02, 0.06, n),
        rng.lognormal(*lognormal_params(0.5, 2), n),
        rng.lognormal(*lognormal_params(2, 6), n),
        rng.lognormal(*lognormal_params(100e3, 200e3), n),
    )


def _squigglepy_inputs() -> tuple[Any, ...]:
    import squigglepy as sp

    return (
        sp.lognorm(5e6, 20e6),  # 90% interval, as breakeven's "a to b"
        sp.uniform(0.01, 0.04),
        sp.pert(0.2, 0.4, 0.8),
        sp.uniform(0.03, 0.08),
        sp.uniform(0.02, 0.06),
        sp.lognorm(0.5, 2),
        sp.lognorm(2, 6),
        sp.lognorm(100e3, 200e3),
    )


def run_squigglepy(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import squigglepy as sp

    sp.set_seed(seed)
    market, p, q, churn, conv, pin, pout, cost = _squigglepy_inputs()

    def model() -> Outcome:
        return months_one(~market, ~p, ~q, ~churn, ~conv, ~pin, ~pout, ~cost)

    out = np.asarray(sp.sample(model, n=n, verbose=False), dtype=float)
    return out[:, 0], out[:, 1], out[:, 2]


def run_squigglepy_vectorised(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import squigglepy as sp

    sp.set_seed(seed)
    draws = [np.asarray(sp.sample(d, n=n, verbose=False)) for d in _squigglepy_inputs()]
    return months_arrays(*draws)


def run_monaco(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import monaco as mc
    from scipy.stats import beta, lognorm, uniform

    names = ("market", "p", "q", "churn", "conv", "pin", "pout", "cost")

    def preprocess(case: Any) -> tuple[float, ...]:
        return tuple(case.invals[k].val for k in names)

    def postprocess(case: Any, be: float, need: float, out: float) -> None:
        case.addOutVal("breakeven_month", be)
        case.addOutVal("peak_funding_need", need)
        case.addOutVal("cash_out", out)

    sim = mc.Sim(
        name="peers_freemium",
        ndraws=n,
        fcns={"preprocess": preprocess, "run": months_one, "postprocess": postprocess},
        firstcaseismedian=False,
        seed=seed,
        singlethreaded=True,
        verbose=False,
        savecasedata=False,
        savesimdata=False,
    )

    def add_lognormal(name: str, lo: float, hi: float) -> None:
        mu, sigma = lognormal_params(lo, hi)
        sim.addInVar(name=name, dist=lognorm, distkwargs={"s": sigma, "scale": math.exp(mu)})

    a, b = pert_beta(0.2, 0.4, 0.8)
    add_lognormal("market", 5e6, 20e6)
    sim.addInVar(name="p", dist=uniform, distkwargs={"loc": 0.01, "scale": 0.03})
    sim.addInVar(name="q", dist=beta, distkwargs={"a": a, "b": b, "loc": 0.2, "scale": 0.6})
    sim.addInVar(name="churn", dist=uniform, distkwargs={"loc": 0.03, "scale": 0.05})
    sim.addInVar(name="conv", dist=uniform, distkwargs={"loc": 0.02, "scale": 0.04})
    add_lognormal("pin", 0.5, 2)
    add_lognormal("pout", 2, 6)
    add_lognormal("cost", 100e3, 200e3)
    sim.runSim()

    def vals(k: str) -> np.ndarray:
        return np.asarray(sim.outvars[k].vals, dtype=float)

    return vals("breakeven_month"), vals("peak_funding_need"), vals("cash_out")


# name, module it needs (None: always there), runner, whether it also runs at --large
PEERS: tuple[tuple[str, str | None, Runner, bool], ...] = (
    ("breakeven", None, run_breakeven, True),
    ("squigglepy, per sample", "squigglepy", run_squigglepy, False),
    ("squigglepy, vectorised", "squigglepy", run_squigglepy_vectorised, True),
    ("monaco", "monaco", run_monaco, False),
    ("numpy, hand-vectorised", None, run_numpy, True),
)


def _available(module: str | None) -> str | None:
    """None if ``module`` imports, else why not."""
    if module is None:
        return None
    try:
        __import__(module)
    except ImportError as e:
        return f"{module} is not installed ({e.__class__.__name__}); {INSTALL}"
    return None


CLOCKS: dict[str, Callable[[], float]] = {"cpu": time.process_time, "wall": time.perf_counter}


def _time(fn: Runner, n: int, seed: int, repeats: int, clock: str) -> tuple[float, Any]:
    fn(min(n, 256), seed)  # warm-up: imports, caches
    now = CLOCKS[clock]
    times, out = [], None
    for _ in range(repeats):
        t0 = now()
        out = fn(n, seed)
        times.append(now() - t0)
    return statistics.median(times), out


def _answers(out: tuple[np.ndarray, np.ndarray, np.ndarray]) -> str:
    be, need, cash_out = out
    hit = np.isfinite(be)
    p50 = float(np.median(be[hit])) if hit.any() else math.nan
    return (
        f"{hit.mean():>6.3f} {p50:>6.0f} {np.quantile(need, 0.9) / 1e6:>9.2f} "
        f"{cash_out.mean():>6.3f}"
    )


def machine() -> str:
    return describe()


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--samples", type=int, default=2048)
    ap.add_argument("--large", type=int, default=100_000, help="0: skip the large run")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--clock",
        choices=tuple(CLOCKS),
        default="cpu",
        help="CPU time of the process (default: everything runs on one thread, and other work "
        "on a shared machine disturbs it less) or elapsed time",
    )
    a = ap.parse_args()
    print(f"machine: {machine()}; everything single-threaded; {a.clock} time")
    versions = []
    for mod in ("squigglepy", "monaco"):
        try:
            versions.append(f"{mod} {__import__(mod).__version__}")
        except ImportError:
            pass
    if versions:
        print("peers: " + ", ".join(versions))
    sizes = [(a.samples, False)] + ([(a.large, True)] if a.large else [])
    per_sample: dict[str, float] = {}  # seconds per sample at --samples, of the peers
    measured: dict[str, float] = {}  # seconds at --large
    for n, large in sizes:
        print(
            f"\n{n:,} samples x {MONTHS} months, median of {a.repeats} after a warm-up"
            f"{' (the vectorised ones)' if large else ''}"
        )
        print(
            f"{'':<24} {'s':>8} {'s/1k':>8} {'÷ breakeven':>11}   {'P(be)':>6} "
            f"{'be p50':>6} {'need p90':>9} {'P(out)':>6}"
        )
        base: float | None = None
        for name, module, fn, at_large in PEERS:
            if large and not at_large:
                continue
            why = _available(module)
            if why is not None:
                print(f"{name:<24} skipped: {why}")
                continue
            t, out = _time(fn, n, a.seed, a.repeats, a.clock)
            base = t if base is None else base
            (measured if large else per_sample)[name] = t if large else t / n
            print(f"{name:<24} {t:>8.3f} {1e3 * t / n:>8.4f} {t / base:>10.2f}x   {_answers(out)}")
    big = measured.get("breakeven")
    if big is not None:
        # a peer's cost is per sample (a Python call per sample): linear in samples
        est = [
            f"{k} ~{v * a.large:,.1f} s ({v * a.large / big:,.1f}x)"
            for k, v in per_sample.items()
            if k not in measured
        ]
        if est:
            print(
                f"at {a.large:,} samples, extrapolated linearly from {a.samples:,} (÷ breakeven's "
                f"measured {big:.2f} s): " + "; ".join(est)
            )
    import breakeven
    from breakeven.engine import layout

    lay = layout(breakeven.load(PLAN))
    print(
        f"\n÷ breakeven: the peer's time over breakeven's (above 1: slower). breakeven computes "
        f"and keeps more: {len(lay.order)} blocks,\n{len(lay.lines)} ledger lines and "
        f"{len(lay.kpi_names)} KPIs a month, the first 5,000 samples' ledger; the peers compute "
        "only the four answers.\nneed p90 in $M. P(be) from different random numbers: expect "
        f"agreement within about ±{2 * math.sqrt(0.25 / a.samples):.3f} (2 standard errors at "
        f"{a.samples:,} samples)."
    )


if __name__ == "__main__":
    main()
