"""Goal-seek: the value of one input at which the plan reaches a target.

``goalseek(scenario, vary="streams.subscription.conversion", target="p_breakeven>=0.8")`` holds the
varied input at a value (``simulate(..., fixed=...)``: every field that shares the input, the
scenario itself untouched), simulates with the same seed each time — common random numbers, so the figure responds smoothly
and monotonically where the plan does — and bisects on the value within [low, high].

Targets are read by a small regex (no eval): ``FIGURE OP NUMBER`` where FIGURE is ``p_breakeven``,
``p_cash_out`` or ``METRIC[.STAT]`` (STAT = ``mean`` or ``pNN``, default ``p50``), OP is one of
``>= <= > <`` and NUMBER reads like a scenario number (``0.8``, ``80%``, ``1e9``, ``1.5M``, ``5亿``).
A month metric (``breakeven_month`` …) that does not happen within the horizon counts as never
(+∞) in quantiles and as horizon + 1 in a mean.

The simulations run where ``scheduler`` says (:mod:`.distributed`): in this process by default,
or as Dask tasks — the scan's points all at once, then the bisection's steps one by one (each
depends on the last). The answer is the same, bit for bit.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass

import numpy as np

from ..engine import Results, build_inputs, layout, simulate
from ..engine.inputs import InputTable
from ..errors import AnalysisError, UncertainError, UserError
from ..format import input_value, number, pct_sig
from ..models.distributions import Dist, Domain, parse_number
from ..models.metrics import MONTH_METRICS
from ..scenario import load_text
from ..scenario.schema import ScenarioBase as Scenario
from .distributed import Pool, Progress, check_scheduler, plan_text, pool
from .sensitivity import METRICS

PROBABILITIES = ("p_breakeven", "p_cash_out")
_TARGET_RE = re.compile(
    r"^\s*(?P<fig>[A-Za-z_][A-Za-z0-9_]*)(?:\.(?P<stat>[A-Za-z0-9_]+))?\s*"
    r"(?P<op>>=|<=|>|<|≥|≤)\s*(?P<num>\S.*?)\s*$"
)
_STAT_RE = re.compile(r"^(mean|p(\d{1,2}))$")
_OPS = {">=": ">=", "<=": "<=", ">": ">", "<": "<", "≥": ">=", "≤": "<="}


@dataclass(frozen=True)
class Target:
    """A parsed target: ``figure`` (p_breakeven, or a metric), ``stat`` (None for
    probabilities; ``mean`` or ``pNN``), ``op`` and ``threshold``."""

    figure: str
    stat: str | None
    op: str
    threshold: float
    text: str

    @property
    def label(self) -> str:
        return self.figure if self.stat is None else f"{self.figure}.{self.stat}"

    @property
    def wants_high(self) -> bool:
        return self.op in (">=", ">")

    def holds(self, value: float) -> bool:
        if math.isnan(value):
            return False
        return {
            ">=": value >= self.threshold,
            "<=": value <= self.threshold,
            ">": value > self.threshold,
            "<": value < self.threshold,
        }[self.op]

    def evaluate(self, res: Results) -> float:
        """The figure of a :class:`Results`."""
        if self.stat is None:
            return float(res.probabilities[self.figure])
        x = np.asarray(res.metrics[self.figure], dtype=float)
        month = self.figure in MONTH_METRICS
        if self.stat == "mean":
            if month:
                x = np.where(np.isnan(x), float(res.months + 1), x)
            return float(np.mean(x))
        q = int(self.stat[1:]) / 100.0
        filled = np.where(np.isnan(x), np.inf, x)  # undefined month metric: never
        return float(np.quantile(filled, q, method="inverted_cdf"))


def parse_target(text: str) -> Target:
    """Read ``p_breakeven>=0.8``, ``npv.p50>=0``, ``breakeven_month.p50<=36`` ... (no eval)."""
    m = _TARGET_RE.match(str(text))
    if not m:
        raise AnalysisError(
            f"cannot read target {text!r}; write e.g. 'p_breakeven>=0.8', "
            "'npv.p50>=0' or 'breakeven_month.p50<=36'"
        )
    fig, stat, op, num = m.group("fig"), m.group("stat"), _OPS[m.group("op")], m.group("num")
    if fig in PROBABILITIES:
        if stat is not None:
            raise AnalysisError(f"{fig} is a probability and takes no statistic (got {text!r})")
    elif fig in METRICS:
        stat = (stat or "p50").lower()
        sm = _STAT_RE.match(stat)
        if not sm or (sm.group(2) is not None and not 1 <= int(sm.group(2)) <= 99):
            raise AnalysisError(
                f"unknown statistic {stat!r} in {text!r}; use mean or p1..p99 (e.g. p10, p50, p90)"
            )
    else:
        choices = list(PROBABILITIES) + list(METRICS)
        close = difflib.get_close_matches(fig, choices, n=3, cutoff=0.4)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise AnalysisError(
            f"unknown figure {fig!r} in target {text!r}{hint} (choose from {', '.join(choices)})"
        )
    try:
        threshold = parse_number(num)
    except UncertainError:
        raise AnalysisError(f"cannot read the number {num!r} in target {text!r}") from None
    if fig in PROBABILITIES and not 0 <= threshold <= 1:
        raise AnalysisError(
            f"{fig} is a probability between 0 and 1 (got {num!r}); write 0.8 or 80%"
        )
    return Target(fig, stat, op, threshold, str(text).strip())


# ---------------------------------------------------------------------------------- inputs


def resolve_input(scenario: Scenario, vary: str) -> str:
    """The input that ``vary`` designates: an input name or any path to one of its leaves
    (schedule leaves as ``...price_per_month.start`` / ``...headcount.13``; a constant schedule by
    its own path; :func:`goalseek` holds a stepped one whole). Unknown → AnalysisError listing
    the closest names."""
    try:
        return build_inputs(scenario).resolve(vary)
    except UserError as e:
        raise AnalysisError(str(e)) from None


def default_range(dist, domain: Domain) -> tuple[float, float]:
    """Fractions: [0, 1]. Uncertain inputs: their p1..p99. A point value v: [v/10, 10 v] (or
    [v - 10|v|, v + 10|v|] on a real field)."""
    if domain is Domain.FRACTION:
        return 0.0, 1.0
    if not dist.is_point:
        lo, hi = dist.quantile(0.01), dist.quantile(0.99)
    else:
        v = float(dist.value)
        if v == 0:
            raise AnalysisError(
                "the input is exactly 0; give the range to search (--low and --high; on the "
                "plan page, Search from/to)"
            )
        if domain is Domain.REAL:
            lo, hi = v - 10 * abs(v), v + 10 * abs(v)
        elif domain is Domain.RATE:
            lo, hi = max(-0.99, v - 10 * abs(v)), v + 10 * abs(v)
        else:
            lo, hi = v / 10, v * 10
    lo = max(lo, domain.lower if domain is not Domain.RATE else -0.99)
    return float(lo), float(hi)


def _check_in_domain(x: float, domain: Domain, which: str) -> None:
    bad = (
        (domain is Domain.POSITIVE and x <= 0)
        or (domain in (Domain.NONNEGATIVE, Domain.COUNT) and x < 0)
        or (domain is Domain.FRACTION and not 0 <= x <= 1)
        or (domain is Domain.RATE and x <= -1)
        or not math.isfinite(x)
    )
    if bad:
        raise AnalysisError(f"{which} = {x:g} is outside this {domain.value} input's domain")


def _usable_end(
    scenario: Scenario, name: str, end: float, other: float, which: str, *, given: bool
) -> float:
    """An end of the range at which the plan's own checks accept the input (a share the
    formulas divide by must not be 100%, say): one the user gave is refused with the reason; a
    default one (a fraction's 0 or 1) is pulled in by 0.1% of the range."""
    problem = _held_problem(scenario, name, end)
    if problem is None:
        return end
    if not given:
        inner = end + (other - end) * 1e-3
        if _held_problem(scenario, name, inner) is None:
            return inner
    hint = "" if given else f"; give the range with --{which}"
    raise AnalysisError(f"{which} = {end:g}: {problem}{hint}")


def _held_problem(scenario: Scenario, name: str, value: float) -> str | None:
    """What the plan's checks say of the input held at ``value``; None when it may be."""
    try:
        layout(scenario, {name: value})
    except UserError as e:
        return str(e)
    return None


# ---------------------------------------------------------------------------------- goal-seek


def figure_task(
    plan: Scenario | str,
    file: str,
    name: str,
    value: float,
    samples: int,
    seed: int,
    target: Target,
    threads: int | None,
) -> float:
    """One trial, as a task (:mod:`.distributed`): the target's figure with the input ``name``
    held at ``value``; ``plan`` is the scenario, or its YAML text (loaded here) on Dask."""
    sc = load_text(plan, file) if isinstance(plan, str) else plan
    res = simulate(
        sc, samples=samples, seed=seed, keep_ledger=0, fixed={name: value}, workers=threads
    )
    return target.evaluate(res)


def goalseek(
    scenario: Scenario,
    vary: str,
    target: str,
    low: float | None = None,
    high: float | None = None,
    samples: int | None = None,
    seed: int | None = None,
    tol: float = 1e-4,
    *,
    grid: int = 9,
    max_iter: int = 60,
    scheduler: str | None = "sync",
    progress: Progress | None = None,
    workers: int | None = None,
) -> dict:
    """Find the value of input ``vary`` at which ``target`` is reached.

    The range [low, high] (default: see :func:`default_range`) is first scanned on ``grid``
    points (geometrically spaced for a positive quantity over a wide range), then the first
    crossing is bisected until the bracket is narrower than ``tol`` × the range width (in log
    space when geometric). The result holds on the side the scan found; the direction is detected,
    not assumed.

    Returns a dict: ``found``, ``value`` (where the target holds, at the crossing), ``achieved``
    (the figure there), ``direction`` ("at or above" / "at or below" / "everywhere"),
    ``iterations`` (simulations run), ``input``, ``vary``, ``target``, ``figure``, ``low``,
    ``high``, ``samples``, ``seed``, ``best`` ({value, figure}: the best figure seen, useful when
    ``found`` is False), ``message`` and ``warnings``.

    The facts of the message and warnings, for reports that tell them in another language:
    ``case`` ("crossing", "everywhere" or "unreachable"), ``beyond`` (whether the answer may lie
    beyond the range searched: an unreachable target whose best figure is at an open end of the
    range, or a target that holds everywhere in a range narrower than the input's domain),
    ``domain`` (of the input, to show its values), ``stat`` (of the figure; None for a
    probability) and ``warning_facts`` (each warning as ``{"code", ...}``: ``correlated``,
    ``not_monotone`` with the values near the ``crossings``).

    ``scheduler``: ``"sync"`` (default: this process, where each simulation uses the engine's
    threads), ``"processes"`` (or None: a local Dask cluster of ``workers`` processes, default
    one per core, at most one per point of the scan) or a Dask scheduler's address (the scenario
    must then have been loaded from its file, which the tasks read); ``scheduler`` and
    ``workers`` in the result say where it ran. ``progress(done, total)`` counts simulations
    (the total is the scan's points and the bisection's steps).
    """
    tgt = parse_target(target)
    remote = check_scheduler(scheduler) != "sync"
    table = build_inputs(scenario)
    leaves = table.schedule_leaves(vary)
    if leaves:  # a schedule held at one value in every month, as a sweep holds it
        name = table.unlabel("variables." + vary[1:] if vary.startswith("$") else vary.strip())
        inp = table[table.by_path()[min(leaves, key=_step_order)]]  # its first step's range
    else:
        name = resolve_input(scenario, vary)
        inp = table[name]
    domain = Domain(inp.domain)
    d_lo, d_hi = default_range(inp.dist, domain)
    lo = float(low) if low is not None else d_lo
    hi = float(high) if high is not None else d_hi
    _check_in_domain(lo, domain, "low")
    _check_in_domain(hi, domain, "high")
    if not hi > lo:
        raise AnalysisError(f"the range must have high > low (got low {lo:g}, high {hi:g})")
    lo = _usable_end(scenario, name, lo, hi, "low", given=low is not None)
    hi = _usable_end(scenario, name, hi, lo, "high", given=high is not None)
    n = int(samples if samples is not None else scenario.samples)
    if n < 1:
        raise AnalysisError(f"samples must be at least 1 (got {n})")
    seed = int(seed if seed is not None else scenario.seed)
    if not 0 < tol < 1:
        raise AnalysisError("tol is a fraction of the range, between 0 and 1")

    warnings: list[str] = []
    warning_facts: list[dict] = []
    pairs = scenario.correlation_pairs()
    held = {table.by_path()[p] for p in leaves} if leaves else {name}
    if any(held & {a, b} for a, b, _ in pairs):
        warnings.append(
            f"{name} was correlated with other inputs; those correlations do not "
            "apply while it is held fixed."
        )
        warning_facts.append({"code": "correlated", "input": name})

    geometric = lo > 0 and hi / lo > 20
    fwd = (lambda v: math.log(v)) if geometric else (lambda v: v)
    inv = (lambda t: math.exp(t)) if geometric else (lambda t: t)
    t_lo, t_hi = fwd(lo), fwd(hi)
    pts = [inv(t) for t in np.linspace(t_lo, t_hi, max(2, grid))]
    pts[0], pts[-1] = lo, hi
    width = tol * (t_hi - t_lo)
    # the simulations the search expects: the scan, then halving its bracket down to the width
    halvings = math.ceil(math.log2(max(1.0, (t_hi - t_lo) / (len(pts) - 1) / width)))
    plan = plan_text(scenario) if remote else (scenario, str(scenario.source))
    with pool(scheduler, workers, len(pts)) as p:
        trials = _Trials(p, plan, name, n, seed, tgt, len(pts) + min(max_iter, halvings), progress)

        def figure(v: float) -> float:
            return trials.at([v])[0]

        figs = trials.at(pts)  # the scan: every point at once
        ok = [tgt.holds(f) for f in figs]

        def better(a: float, b: float) -> bool:  # is figure a better (toward the target) than b?
            if math.isnan(b):
                return not math.isnan(a)
            if math.isnan(a):
                return False
            return a > b if tgt.wants_high else a < b

        best_i = 0
        for i in range(1, len(pts)):
            if better(figs[i], figs[best_i]):
                best_i = i
        label = table.held_label(vary)

        def _v(x: float | None) -> str:  # a value of the input, as the plan shows it (3.48%)
            return _g(x) if x is None or not math.isfinite(x) else input_value(x, inp.domain)

        def _f(x: float | None) -> str:  # a figure: probabilities as percentages
            if tgt.figure in PROBABILITIES and x is not None and math.isfinite(x):
                return pct_sig(x)
            return _g(x)

        base = {
            "input": name,
            "label": label,
            "vary": vary,
            "target": tgt.text,
            "figure": tgt.label,
            "op": tgt.op,
            "threshold": tgt.threshold,
            "low": lo,
            "high": hi,
            "samples": n,
            "seed": seed,
            "current": _describe_schedule(table, leaves) if leaves else _describe_current(inp.dist),
            "domain": inp.domain,
            "stat": tgt.stat,
        }

        def result(**kw) -> dict:
            trials.finished()
            versions = p.version_warning()
            if versions:
                warnings.append(versions)
                warning_facts.append({"code": "versions"})
            out = {
                **base,
                **kw,
                "iterations": len(trials.cache),
                "warnings": warnings,
                "warning_facts": warning_facts,
                "scheduler": p.where,
                "workers": p.workers,
            }
            out["best"] = {"value": pts[best_i], "figure": figs[best_i]}
            return out

        dom = Domain(inp.domain)
        at_open_end = (best_i == 0 and lo > dom.lower) or (
            best_i == len(pts) - 1 and hi < dom.upper
        )
        if not any(ok):
            return result(
                found=False,
                value=None,
                achieved=None,
                direction=None,
                case="unreachable",
                beyond=at_open_end,
                message=f"no value of {label} in [{_v(lo)}, {_v(hi)}] reaches "
                f"{tgt.text}; the best is {tgt.label} = {_f(figs[best_i])} at "
                f"{_v(pts[best_i])}, an end of the range searched: the target may lie beyond "
                "it. Widen the range searched (--low/--high; on the plan page, Search from/to), or "
                "change another input."
                if at_open_end
                else f"no value of {label} in [{_v(lo)}, {_v(hi)}] reaches {tgt.text}; the "
                f"best is {tgt.label} = {_f(figs[best_i])} at {_v(pts[best_i])}. Change "
                "another input.",
            )
        if all(ok):
            # the crossing lies outside the range: report the end closest to failing
            open_range = lo > dom.lower or hi < dom.upper
            beyond = (
                ", and the value where it stops holding may lie beyond the range."
                if open_range
                else "."
            )
            i = int(
                np.argmin([abs(f - tgt.threshold) if math.isfinite(f) else math.inf for f in figs])
            )
            return result(
                found=True,
                value=pts[i],
                achieved=figs[i],
                direction="everywhere",
                case="everywhere",
                beyond=open_range,
                message=f"{tgt.text} holds for every value of {label} in "
                f"[{_v(lo)}, {_v(hi)}] searched; it is closest to failing at {_v(pts[i])} "
                f"({tgt.label} = {_f(figs[i])})" + beyond,
            )
        crossings = [i for i in range(len(pts) - 1) if ok[i] != ok[i + 1]]
        if len(crossings) > 1:
            warnings.append(
                f"the figure is not monotone in {name}: the target holds on several "
                f"intervals (crossings near {', '.join(_v(pts[i]) for i in crossings)}); "
                "reporting the lowest crossing."
            )
            warning_facts.append(
                {"code": "not_monotone", "input": name, "crossings": [pts[i] for i in crossings]}
            )
        i = crossings[0]
        # bracket (a: holds, b: does not) in transformed coordinates
        if ok[i]:
            t_ok, t_no, direction = fwd(pts[i]), fwd(pts[i + 1]), "at or below"
        else:
            t_ok, t_no, direction = fwd(pts[i + 1]), fwd(pts[i]), "at or above"
        it = 0
        while abs(t_ok - t_no) > width and it < max_iter:  # each step depends on the last
            t_mid = 0.5 * (t_ok + t_no)
            if tgt.holds(figure(inv(t_mid))):
                t_ok = t_mid
            else:
                t_no = t_mid
            it += 1
        value = inv(t_ok)
        achieved = figure(value)
        return result(
            found=True,
            value=value,
            achieved=achieved,
            direction=direction,
            case="crossing",
            beyond=False,
            message=f"{tgt.text} holds with {label} {direction} {_v(value)} "
            f"({tgt.label} = {_f(achieved)} there). The plan itself is unchanged: the search "
            f"held {label} at each value tried, in [{_v(lo)}, {_v(hi)}].",
        )


class _Trials:
    """The figure at values of the input, each value simulated once (``cache``), the new
    values of a call at once as tasks of a pool (a value alone with the engine's threads, as
    nothing else runs beside it); ``progress(simulations done, expected)``."""

    def __init__(
        self,
        p: Pool,
        plan: tuple[Scenario | str, str],
        name: str,
        samples: int,
        seed: int,
        target: Target,
        expected: int,
        progress: Progress | None,
    ) -> None:
        self.p, self.plan, self.name, self.samples, self.seed = p, plan, name, samples, seed
        self.target, self.expected, self.progress = target, expected, progress
        self.cache: dict[float, float] = {}

    def at(self, values: list[float]) -> list[float]:
        new = list(dict.fromkeys(float(v) for v in values if float(v) not in self.cache))
        if new:
            done = len(self.cache)
            self.expected = max(self.expected, done + len(new))
            # one value alone (a bisection step): its simulation may use the worker's cores
            threads = self.p.threads if len(new) > 1 else None
            tasks = [
                (*self.plan, self.name, v, self.samples, self.seed, self.target, threads)
                for v in new
            ]
            figs = self.p.map(figure_task, tasks, progress=lambda d, _: self._step(done + d))
            self.cache.update(zip(new, figs, strict=True))
        return [self.cache[float(v)] for v in values]

    def _step(self, done: int) -> None:
        if self.progress is not None:
            self.progress(done, self.expected)

    def finished(self) -> None:
        """The search is over (maybe before the steps expected): the bar is full."""
        if self.progress is not None:
            self.progress(len(self.cache), len(self.cache))


def _describe_current(dist: Dist) -> str:
    return dist.describe()


def _step_order(path: str) -> tuple[int, int]:
    """A schedule's leaves in the plan's order: its start, its change per year, then its steps
    by month."""
    last = path.rsplit(".", 1)[-1]
    return (1, int(last)) if last.isdigit() else (0, 0 if last == "start" else 1)


def _describe_schedule(table: InputTable, leaves: list[str]) -> str:
    """A schedule as the plan writes it: ``{0: 49, 25: 39}`` (a start and change per year by
    name)."""
    by_path = table.by_path()
    parts = [
        f"{p.rsplit('.', 1)[-1]}: {table[by_path[p]].dist.describe()}"
        for p in sorted(leaves, key=_step_order)
    ]
    return "{" + ", ".join(parts) + "}"


def _g(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "undefined"
    if math.isinf(x):
        return "never (beyond the horizon)" if x > 0 else "-inf"
    return number(x, 6)


__all__ = ["goalseek", "parse_target", "resolve_input", "default_range", "Target"]
