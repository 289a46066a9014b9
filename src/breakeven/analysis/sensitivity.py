"""Which inputs decide the answer: tornado swings and Sobol variance indices.

Two views of sensitivity, each on any per-sample metric of :mod:`breakeven.finance.metrics`:

* :func:`tornado` — *one at a time*: each uncertain input is moved from its 10th to its 90th
  percentile with every other input at its median (one deterministic sample per setting: given
  its inputs a sample's months are deterministic), ranked by the swing of the metric. Beside it,
  the *conditional-mean* swing from one ordinary Monte Carlo run,
  E[metric | input in its top decile] − E[metric | input in its bottom decile], which includes
  interactions, non-linearity and declared correlations.
* :func:`sobol` — first-order (S1) and total (ST) Sobol indices with bootstrap 95% confidence
  intervals (Saltelli 2010 / Jansen estimators as implemented by SALib), computed on a scrambled
  Sobol design fed to the engine through its ``uniforms`` hook. The index computation,
  :func:`sobol_indices`, takes any *model*: a function from an (n, k) design of uniforms to n
  values; :func:`scenario_model` is the one that runs a scenario.

Month metrics (``breakeven_month``, ``payback_month``, ``runway_months``) are undefined (NaN) in
samples where the event does not happen within the horizon; here they count as horizon + 1, and
the output says so in its ``note``.
"""

from __future__ import annotations

import difflib
import math
import warnings as _warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..engine import Results, build_inputs, simulate
from ..engine.inputs import BLOCK, Input, UniformSource
from ..engine.labels import input_label
from ..errors import AnalysisError
from ..models.metrics import METRIC_DOCS, MONTH_METRICS
from ..scenario import load_text
from ..scenario.schema import ScenarioBase as Scenario
from .distributed import Pool, Progress, check_scheduler, plan_text, pool

METRICS: tuple[str, ...] = tuple(METRIC_DOCS)
U_EPS = 1e-12  # design uniforms are clipped to [U_EPS, 1 - U_EPS]: quantiles stay finite

Model = Callable[[np.ndarray], np.ndarray]


def _identity(names: list[str], u: np.ndarray) -> np.ndarray:
    return u


def check_metric(metric: str) -> str:
    """Return ``metric`` if it is a per-sample metric; otherwise raise with the closest names."""
    if metric in METRICS:
        return metric
    close = difflib.get_close_matches(str(metric), METRICS, n=3, cutoff=0.4)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise AnalysisError(f"unknown metric {metric!r}{hint} (metrics: {', '.join(METRICS)})")


def metric_note(metric: str, horizon: int) -> str:
    """What the numbers mean, in particular how undefined month metrics are counted."""
    if metric in MONTH_METRICS:
        return (
            f"{metric}: samples in which it does not happen within the {horizon}-month "
            f"horizon count as month {horizon + 1}."
        )
    return ""


def metric_values(values: np.ndarray, metric: str, horizon: int) -> np.ndarray:
    """Per-sample metric with undefined month metrics (NaN) replaced by horizon + 1."""
    x = np.asarray(values, dtype=float)
    if metric in MONTH_METRICS:
        x = np.where(np.isnan(x), float(horizon + 1), x)
    return x


def random_inputs(scenario: Scenario) -> dict[str, Input]:
    """The plan's own uncertain (non-point) inputs, by name, in the engine's order (catalog
    factors that blocks draw stay at their medians in the designs)."""
    return {k: v for k, v in build_inputs(scenario).items() if not v.dist.is_point}


def design_source(names: list[str], design: np.ndarray, first: int = 0) -> UniformSource:
    """A ``uniforms`` hook for :func:`simulate`: row i of ``design`` (columns = ``names``) is
    sample ``first`` + i. Uniforms are clipped to the open interval."""
    design = np.clip(np.asarray(design, dtype=float), U_EPS, 1.0 - U_EPS)
    col = {n: j for j, n in enumerate(names)}

    def source(req: list[str], start: int, stop: int) -> NDArray[np.float64]:
        out = np.full((len(req), stop - start), 0.5)
        for i, n in enumerate(req):
            if n in col:
                out[i] = design[start - first : stop - first, col[n]]
        return out

    return source


def run_design(
    scenario: Scenario,
    names: list[str],
    design: np.ndarray,
    metrics: list[str],
    seed: int | None = None,
    *,
    first: int = 0,
    progress: Progress | None = None,
    workers: int | None = None,
) -> dict[str, np.ndarray]:
    """Simulate one sample per design row (correlations off: the design defines the inputs);
    returns each requested metric with month metrics filled as horizon + 1.

    ``first``: the rows are samples ``first``, ``first`` + 1, … of a larger design (a multiple
    of the engine's RNG block): the engine runs them as the same samples of the whole run, so a
    design run in parts gives the figures of one run, bit for bit. ``progress(done, rows)`` and
    ``workers`` (threads) are the engine's."""
    n = design.shape[0]
    res = simulate(
        scenario,
        samples=first + n,
        seed=seed,
        keep_ledger=0,
        uniforms=design_source(names, design, first),
        transform=_identity,
        sample_range=(first, first + n),
        progress=progress,
        workers=workers,
    )
    H = scenario.horizon_months
    return {m: metric_values(res.metrics[m], m, H) for m in metrics}


def design_task(
    text: str,
    file: str,
    names: list[str],
    design: np.ndarray,
    first: int,
    metric: str,
    seed: int,
    threads: int | None,
) -> np.ndarray:
    """A part of a design as a task (:mod:`.distributed`): the plan from its YAML text, and
    ``metric`` of the rows, samples ``first``, ``first`` + 1, … (see :func:`run_design`)."""
    sc = load_text(text, file)
    return run_design(sc, names, design, [metric], seed, first=first, workers=threads)[metric]


def run_design_on(
    p: Pool,
    plan: tuple[str, str] | None,
    scenario: Scenario,
    names: list[str],
    design: np.ndarray,
    metric: str,
    seed: int,
    progress: Progress | None = None,
) -> np.ndarray:
    """``metric`` of every design row on the pool ``p``: with ``plan`` None, one run of the whole
    design in this process (its chunks on the engine's threads); with ``plan`` (its YAML text,
    file name), parts of whole RNG blocks of rows as tasks, about four per worker, put back in
    order — the same figures, bit for bit. ``progress(rows_done, rows)``."""
    if plan is None:
        return run_design(scenario, names, design, [metric], seed, progress=progress)[metric]
    n = design.shape[0]
    blocks = -(-n // BLOCK)
    per = BLOCK * -(-blocks // (4 * p.workers))
    firsts = list(range(0, n, per))
    parts = p.share([design[a : a + per] for a in firsts])
    ys = p.map(
        design_task,
        [
            (*plan, names, part, a, metric, seed, p.threads)
            for a, part in zip(firsts, parts, strict=True)
        ],
        weights=[min(per, n - a) for a in firsts],
        progress=progress,
    )
    return np.concatenate(ys) if ys else np.empty(0)


# ---------------------------------------------------------------------------------- tornado


class Tornado(list):
    """Rows of a tornado chart (a list of dicts, ranked), with ``metric``, ``base`` (the metric
    with every input at its median), ``note`` and ``samples`` (of the conditional method).

    The facts of the note, for reports that tell it in another language: ``horizon_months``,
    ``tail_samples`` (samples in each tail of the conditional method; None without uncertain
    inputs), ``tail_share`` (the share of samples in each tail) and ``correlations_ignored``
    (declared correlations the one-at-a-time swings leave out)."""

    def __init__(
        self,
        rows,
        *,
        metric: str,
        base: float,
        note: str,
        samples: int,
        horizon_months: int = 0,
        tail_samples: int | None = None,
        tail_share: float = 0.1,
        correlations_ignored: bool = False,
    ):
        super().__init__(rows)
        self.metric = metric
        self.base = base
        self.note = note
        self.samples = samples
        self.horizon_months = horizon_months
        self.tail_samples = tail_samples
        self.tail_share = tail_share
        self.correlations_ignored = correlations_ignored

    def to_dict(self) -> dict:
        return {
            "metric": self.metric,
            "method": "tornado",
            "base": self.base,
            "samples": self.samples,
            "rows": list(self),
            "note": self.note,
            "horizon_months": self.horizon_months,
            "tail_samples": self.tail_samples,
            "tail_share": self.tail_share,
            "correlations_ignored": self.correlations_ignored,
        }


def tails(x: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """``order[:m]`` and ``order[-m:]`` of ``order = np.argsort(x, kind="stable")`` — the samples
    with the m smallest and the m largest values, ties by sample, in that order — without
    sorting all of ``x`` (a partition finds the two thresholds; only the tails are sorted).

    >>> x = np.array([3.0, 1.0, 2.0, 1.0, 5.0, 2.0])
    >>> [t.tolist() for t in tails(x, 2)], np.argsort(x, kind="stable").tolist()
    ([[1, 3], [0, 4]], [1, 3, 2, 5, 0, 4])
    """
    x = np.asarray(x)
    n = x.shape[0]
    if not 0 < m <= n // 2 or np.isnan(x).any():
        order = np.argsort(x, kind="stable")
        return order[:m], order[n - m :]
    part = np.partition(x, [m - 1, n - m])
    low, high = part[m - 1], part[n - m]
    below = np.flatnonzero(x <= low)  # every sample of the bottom m, and ties past it
    above = np.flatnonzero(x >= high)
    bottom = below[np.argsort(x[below], kind="stable")][:m]
    top = above[np.argsort(x[above], kind="stable")][above.shape[0] - m :]
    return bottom, top


def tornado(
    scenario: Scenario,
    metric: str = "npv",
    seed: int | None = None,
    samples_for_conditional: int | None = None,
    *,
    low_q: float = 0.1,
    high_q: float = 0.9,
    results: Results | None = None,
) -> Tornado:
    """Tornado of ``metric``: one-at-a-time p10→p90 swings and conditional-mean swings.

    Each row: ``input``, ``description``, ``paths``, ``low``/``high`` (the input at its p10/p90),
    ``metric_low``/``metric_high`` (the metric with that input there and all others at their
    medians), ``swing`` = metric_high − metric_low, ``conditional_low``/``conditional_high``
    (mean metric over the samples whose input is in its bottom / top decile of a Monte Carlo run
    of ``samples_for_conditional`` samples, default the scenario's), ``conditional_swing``, and
    ``rank`` (1 = largest |swing|; ties broken by |conditional_swing|).
    One-at-a-time swings ignore declared correlations (others stay at their medians); the
    conditional method includes them. ``results``: a run of this scenario with that seed and
    sample count, reused for the conditional means (the same samples a new run would draw).
    """
    check_metric(metric)
    if not 0 < low_q < 0.5 < high_q < 1:
        raise AnalysisError("tornado quantiles must satisfy 0 < low < 0.5 < high < 1")
    H = scenario.horizon_months
    table = random_inputs(scenario)
    names = list(table)
    k = len(names)
    notes = [metric_note(metric, H)]
    if scenario.correlation_pairs():
        notes.append(
            "One-at-a-time swings hold the other inputs at their medians, ignoring "
            "declared correlations; the conditional swings include them."
        )
    # (a) one at a time: row 0 all medians, rows 2j+1 / 2j+2 input j at low_q / high_q
    design = np.full((2 * k + 1, k), 0.5)
    for j in range(k):
        design[2 * j + 1, j] = low_q
        design[2 * j + 2, j] = high_q
    oat = run_design(scenario, names, design, [metric], seed)[metric]
    base = float(oat[0])
    # (b) conditional means on an ordinary Monte Carlo run
    n = int(samples_for_conditional if samples_for_conditional is not None else scenario.samples)
    if n < 2:
        raise AnalysisError("the conditional method needs at least 2 samples")
    rows: list[dict[str, Any]] = []
    m: int | None = None
    if k:
        sd = int(seed if seed is not None else scenario.seed)
        reuse = (
            results is not None
            and results.scenario is scenario
            and results.seed == sd
            and results.samples == n
            and results.first_sample == 0
            and not results.fixed
        )
        res = (
            results
            if reuse and results is not None
            else simulate(scenario, samples=n, seed=seed, keep_ledger=0)
        )
        y = metric_values(res.metrics[metric], metric, H)
        m = max(1, int(round(n * min(low_q, 1 - high_q))))
        for j, name in enumerate(names):
            bottom, top = tails(res.inputs[name], m)
            c_lo, c_hi = float(y[bottom].mean()), float(y[top].mean())
            dist = table[name].dist
            rows.append(
                {
                    "input": name,
                    "label": input_label(scenario, table[name].paths[0]),
                    "description": dist.describe(),
                    "paths": list(table[name].paths),
                    "domain": table[name].domain,
                    "low": dist.quantile(low_q),
                    "high": dist.quantile(high_q),
                    "metric_low": float(oat[2 * j + 1]),
                    "metric_high": float(oat[2 * j + 2]),
                    "swing": float(oat[2 * j + 2] - oat[2 * j + 1]),
                    "conditional_low": c_lo,
                    "conditional_high": c_hi,
                    "conditional_swing": c_hi - c_lo,
                }
            )
        notes.append(
            f"Conditional: mean {metric} over the {m} samples (of {n}) with the input "
            f"in its bottom vs top {min(low_q, 1 - high_q):.0%}."
        )
    else:
        notes.append("The scenario has no uncertain inputs.")
    rows.sort(key=lambda r: (-abs(r["swing"]), -abs(r["conditional_swing"]), r["input"]))
    for i, r in enumerate(rows, 1):
        r["rank"] = i
    # rank by the conditional method too, for readers who trust it more
    for i, r in enumerate(sorted(rows, key=lambda r: -abs(r["conditional_swing"])), 1):
        r["conditional_rank"] = i
    return Tornado(
        rows,
        metric=metric,
        base=base,
        note=" ".join(s for s in notes if s),
        samples=n,
        horizon_months=H,
        tail_samples=m,
        tail_share=min(low_q, 1 - high_q),
        correlations_ignored=bool(scenario.correlation_pairs()),
    )


# ---------------------------------------------------------------------------------- Sobol


def _pow2(n: int) -> int:
    return 1 << max(0, int(math.ceil(math.log2(max(1, n)))))


def sobol_indices(
    model: Model,
    names: list[str],
    n_base: int = 1024,
    seed: int = 0,
    *,
    num_resamples: int = 200,
    conf_level: float = 0.95,
    max_ci_width: float = 0.1,
) -> dict:
    """First-order and total Sobol indices of ``model`` over independent uniform inputs.

    ``model`` maps an (n, k) array of uniforms in (0, 1) (one column per name) to n values.
    The design is SALib's scrambled Saltelli/Sobol design with ``n_base`` (rounded up to a power
    of 2) base rows, i.e. n_base × (k + 2) evaluations; indices and their bootstrap confidence
    half-widths come from :func:`SALib.analyze.sobol.analyze`.

    Returns ``{"S1": {name: {"value", "conf"}}, "ST": {...}, "n": evaluations, "n_base",
    "trustworthy", "warnings": [...], "warning_facts": [...]}``; ``trustworthy`` is False when a
    confidence interval is wider than ``max_ci_width``, the S1 sum exceeds 1.1, an S1 is negative
    beyond its interval, or the output is not finite / does not vary. ``warning_facts`` holds
    each warning as ``{"code", ...its numbers}`` (``rounded``, ``no_inputs``, ``not_finite``,
    ``constant``, ``wide``, ``sum``, ``negative``, ``total_below``), in the same order.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    k = len(names)
    warns: list[str] = []
    facts: list[dict[str, Any]] = []

    def warn(text: str, code: str, **numbers: Any) -> None:
        warns.append(text)
        facts.append({"code": code, **numbers})

    n_req = int(n_base)
    if n_req < 2:
        raise AnalysisError("n_base must be at least 2")
    n_base = _pow2(n_req)
    if n_base != n_req:
        warn(
            f"n_base rounded up from {n_req} to {n_base} (Sobol designs need a power of 2).",
            "rounded",
            requested=n_req,
            n_base=n_base,
        )
    empty = {
        "S1": {},
        "ST": {},
        "n": 0,
        "n_base": n_base,
        "trustworthy": True,
        "warnings": warns,
        "warning_facts": facts,
    }
    if k == 0:
        warn("no uncertain inputs: nothing to apportion.", "no_inputs")
        return empty
    problem = {"num_vars": k, "names": list(names), "bounds": [[0.0, 1.0]] * k}
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        design = sobol_sample.sample(problem, n_base, calc_second_order=False, seed=seed)
    design = np.clip(design, U_EPS, 1.0 - U_EPS)
    y = np.asarray(model(design), dtype=float).reshape(-1)
    if y.shape[0] != design.shape[0]:
        raise AnalysisError(f"model returned {y.shape[0]} values for {design.shape[0]} rows")
    out = {**empty, "n": int(y.shape[0])}
    if not np.all(np.isfinite(y)):
        bad = int((~np.isfinite(y)).sum())
        warn(f"{bad} model values are not finite; indices not computed.", "not_finite", bad=bad)
        out["trustworthy"] = False
        return out
    if np.ptp(y) <= 1e-12 * max(1.0, float(np.abs(y).max())):
        warn("the output does not vary over the inputs: all indices are 0.", "constant")
        out["S1"] = {n: {"value": 0.0, "conf": 0.0} for n in names}
        out["ST"] = {n: {"value": 0.0, "conf": 0.0} for n in names}
        return out
    with _warnings.catch_warnings(), np.errstate(all="ignore"):
        _warnings.simplefilter("ignore")
        si = sobol_analyze.analyze(
            problem,
            y,
            calc_second_order=False,
            num_resamples=num_resamples,
            conf_level=conf_level,
            seed=seed,
        )
    s1, s1c = np.asarray(si["S1"], float), np.asarray(si["S1_conf"], float)
    st, stc = np.asarray(si["ST"], float), np.asarray(si["ST_conf"], float)
    out["S1"] = {n: {"value": float(s1[j]), "conf": float(s1c[j])} for j, n in enumerate(names)}
    out["ST"] = {n: {"value": float(st[j]), "conf": float(stc[j])} for j, n in enumerate(names)}
    width = 2 * max(float(np.nanmax(s1c)), float(np.nanmax(stc)))
    if not np.isfinite(width) or width > max_ci_width:
        warn(
            f"confidence intervals up to {width:.2f} wide (> {max_ci_width}); increase "
            f"the base sample (now {n_base}).",
            "wide",
            width=width,
            max_width=max_ci_width,
            n_base=n_base,
        )
    if float(np.nansum(s1)) > 1.1:
        warn(
            f"first-order indices sum to {float(np.nansum(s1)):.2f} (> 1.1): the sample "
            "is too small.",
            "sum",
            total=float(np.nansum(s1)),
        )
    neg = [n for j, n in enumerate(names) if s1[j] + s1c[j] < 0]
    if neg:
        warn(
            f"negative first-order index beyond its interval for {', '.join(neg)}: "
            "the sample is too small.",
            "negative",
            inputs=neg,
        )
    below = [n for j, n in enumerate(names) if st[j] + stc[j] < s1[j] - s1c[j]]
    if below:
        warn(
            f"total index below first-order index for {', '.join(below)}: the sample is too small.",
            "total_below",
            inputs=below,
        )
    out["trustworthy"] = not warns or all(w.startswith("n_base rounded") for w in warns)
    return out


def scenario_model(
    scenario: Scenario, metric: str = "npv", seed: int | None = None
) -> tuple[list[str], Model]:
    """The scenario as a model for :func:`sobol_indices`: (input names, design → metric)."""
    check_metric(metric)
    names = list(random_inputs(scenario))

    def model(design: np.ndarray) -> np.ndarray:
        return run_design(scenario, names, design, [metric], seed)[metric]

    return names, model


def sobol(
    scenario: Scenario,
    metric: str = "npv",
    n_base: int = 8192,
    seed: int | None = None,
    *,
    scheduler: str | None = "sync",
    progress: Progress | None = None,
    workers: int | None = None,
) -> dict:
    """Sobol S1 and ST indices of ``metric`` over the scenario's uncertain inputs.

    Declared correlations are not applied (Sobol indices assume independent inputs): a warning
    says so. Returns the dict of :func:`sobol_indices` plus ``metric``, ``method``, ``note``,
    ``scheduler`` and ``workers`` (where the design ran).

    ``scheduler`` (see :mod:`.distributed`): ``"sync"`` (default) runs the design in this
    process, whose engine already spreads it over threads; ``"processes"`` (or None) on a local
    Dask cluster of ``workers`` processes (default one per core), or a Dask scheduler's address
    (the scenario must then have been loaded from its file, which the tasks read). The indices
    are the same, bit for bit. ``progress(rows_done, rows)`` follows the design's simulations.
    """
    check_metric(metric)
    seed = int(seed if seed is not None else scenario.seed)
    names = list(random_inputs(scenario))
    remote = check_scheduler(scheduler) != "sync" and bool(names)
    plan = plan_text(scenario) if remote else None  # before a cluster starts: fails at once
    ran = {"scheduler": Pool.where, "workers": Pool.workers}
    versions: list[str] = []

    def model(design: np.ndarray) -> np.ndarray:
        tasks = -(-design.shape[0] // BLOCK)
        with pool(scheduler if remote else "sync", workers, tasks) as p:
            y = run_design_on(p, plan, scenario, names, design, metric, seed, progress)
        ran.update(scheduler=p.where, workers=p.workers)
        warning = p.version_warning()
        if warning:
            versions.append(warning)
        return y

    out = sobol_indices(model, names, n_base=n_base, seed=seed)
    for w in versions:
        out["warnings"].append(w)
        out["warning_facts"].append({"code": "versions"})
    if scenario.correlation_pairs():
        out["warnings"].append(
            "declared correlations are ignored: Sobol indices assume independent inputs."
        )
        out["warning_facts"].append({"code": "correlations"})
    table = random_inputs(scenario)
    out["labels"] = {k: input_label(scenario, table[k].paths[0]) for k in names}
    return {
        "metric": metric,
        "method": "sobol",
        **out,
        "note": metric_note(metric, scenario.horizon_months),
        "horizon_months": scenario.horizon_months,
        **ran,
    }


__all__ = [
    "tornado",
    "sobol",
    "sobol_indices",
    "scenario_model",
    "run_design",
    "run_design_on",
    "design_task",
    "Tornado",
    "AnalysisError",
    "check_metric",
    "metric_values",
    "METRICS",
]
