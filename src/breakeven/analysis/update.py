"""Update a plan on actuals: condition its uncertain inputs on observed months and re-forecast.

Every sample of a plan is a deterministic function of its independent uniforms u (one per
random input; the engine applies the plan's correlations and quantile functions), so the prior
is the standard normal on z = Φ⁻¹(u) and the posterior is prior × likelihood of the actuals.

- **Observation model.** Each observed value y of a series that cannot be negative is
  lognormal around the plan's value x: log((y + c)/(x + c)) ~ N(0, σ²), σ the row's relative
  error and c = 0.1% of the series' largest |y| (so that zeros are allowed). A series that can
  be negative (cash, EBITDA, …) is normal: y ~ N(x, (σ·max(|x|, 1% of max |y|))²).
- **Importance weighting** of the prior samples by their likelihood when the effective sample
  size ESS = (Σw)²/Σw² is at least ``min_ess`` × samples (Kish 1965).
- Otherwise **sequential Monte Carlo** with adaptive likelihood tempering (Del Moral, Doucet &
  Jasra 2006; Jasra et al. 2011): the exponent φ rises from 0 to 1 in steps that keep the ESS at
  half the samples; after each step the samples are resampled (systematic) and moved by
  preconditioned Crank–Nicolson proposals z' = √(1−β²) z + β ξ (Cotter, Roberts, Stuart &
  White 2013), which leave the prior invariant, so a move is accepted with probability
  min(1, L(z')^φ / L(z)^φ). β adapts to an acceptance near 25%. Each move re-simulates the
  observed months only (a plan's first months do not depend on its horizon; checked at run
  time against the full-horizon run).
- **Refusal.** When, after conditioning, no sample reproduces a series within 3 standard
  errors on average over its months, the actuals are incompatible with the plan: an
  :class:`IncompatibleActuals` names each such series with its worst month.

The posterior's samples are then simulated over the whole horizon: a :class:`Results` like any
run's, from which the headline, the fan charts and the narrowed ranges are read.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import special

from ..engine import Results, build_inputs, layout, simulate
from ..engine.inputs import independent_uniforms, name_key
from ..engine.labels import input_label
from ..errors import AnalysisError, Problem, UncertainError
from ..format import input_value, month_label, pct
from ..models.correlation import correlation_matrix
from ..models.distributions import Choice, Dist, Domain, parse_uncertain
from ..scenario.edits import rewrite, set_path
from ..scenario.loader import load_text
from .actuals import Actuals, read_actuals

Array = NDArray[np.float64]
Progress = Callable[[str, float], None]

CONFLICT_Z = 3.0  # RMS standardised residual above which a series cannot be reproduced
MAX_STAGES = 60
MIN_MOVES, MAX_MOVES = 3, 12
TARGET_ACCEPT = 0.25
HEADLINE = ("breakeven_month", "peak_funding_need", "runway_months", "npv", "ending_cash")


class IncompatibleActuals(AnalysisError):
    """The plan cannot reproduce the actuals: ``series`` names the conflicting ones and
    ``problems`` locates each at its worst month (file, line, series, message)."""

    def __init__(self, message: str, series: list[str], problems: list[Problem] | None = None):
        super().__init__(message)
        self.series = series
        self.problems = problems or []


# ---------------------------------------------------------------------------- likelihood


@dataclass(frozen=True)
class Observation:
    """One observed series as the likelihood reads it."""

    name: str
    values: Array  # (T,), NaN where not observed
    errors: Array  # (T,) relative standard deviations
    signed: bool  # normal errors (the series can be negative) rather than lognormal
    offset: float  # c of the lognormal model; the floor of the normal one's scale

    @property
    def mask(self) -> NDArray[np.bool_]:
        return np.isfinite(self.values)


def observations(actuals: Actuals, can_be_negative: Mapping[str, bool]) -> list[Observation]:
    """The likelihood's view of each series: signed when the actuals or the plan go negative."""
    out = []
    for name, s in actuals.series.items():
        y = s.values[np.isfinite(s.values)]
        scale = float(np.max(np.abs(y))) if y.size else 1.0
        signed = bool((y < 0).any()) or bool(can_be_negative.get(name, False))
        offset = max(scale, 1e-9) * (0.01 if signed else 0.001)
        out.append(Observation(name, s.values, s.errors, signed, offset))
    return out


def loglik_terms(obs: Observation, x: Array) -> tuple[Array, Array]:
    """(log-likelihood, RMS standardised residual) per sample of paths ``x`` (samples, T)."""
    m = obs.mask
    y, sig = obs.values[m], obs.errors[m]
    xs = np.asarray(x, dtype=float)[:, : obs.values.size][:, m]
    if obs.signed:
        sd = sig * np.maximum(np.abs(xs), obs.offset)
        r = (y - xs) / sd
        ll = -0.5 * np.sum(r * r, axis=1) - np.sum(np.log(sd), axis=1)
    else:
        r = (np.log(y + obs.offset) - np.log(np.maximum(xs, 0.0) + obs.offset)) / sig
        ll = -0.5 * np.sum(r * r, axis=1)
    rms = np.sqrt(np.mean(r * r, axis=1))
    return np.where(np.isfinite(ll), ll, -np.inf), rms


def simulated_noisy_actuals(
    obs_names: list[str],
    paths: Mapping[str, Array],
    error: float | Mapping[str, float],
    rng: np.random.Generator,
) -> dict[str, Array]:
    """Actuals drawn from one true path under the observation model (for calibration and the
    shipped example): lognormal noise on series that stay non-negative, normal on the others;
    ``error`` is one relative error or one per series."""
    out = {}
    for name in obs_names:
        x = np.asarray(paths[name], dtype=float)
        err = error if isinstance(error, (int, float)) else error[name]
        if (x < 0).any():
            sd = err * np.maximum(np.abs(x), 0.01 * np.max(np.abs(x)))
            out[name] = x + sd * rng.standard_normal(x.shape)
        else:
            out[name] = x * np.exp(err * rng.standard_normal(x.shape))
    return out


# ---------------------------------------------------------------------------- the sampler


class ObservedPaths:
    """Simulates the observed months of the plan for given uniforms (inputs × samples)."""

    def __init__(self, plan: Any, months: int, names: list[str], workers: int | None):
        self.full = plan
        self.short = plan.model_copy(update={"horizon_months": months})
        self.months = months
        self.names = names
        self.workers = workers
        self.calls = 0

    def source(self, u: Array) -> Callable[[list[str], int, int], Array]:
        row = {n: i for i, n in enumerate(self.names)}

        def uniforms(names: list[str], start: int, stop: int) -> Array:
            return np.stack([u[row[n], start:stop] for n in names]) if names else u[:0]

        return uniforms

    def run(self, u: Array, *, full: bool = False, keep: int | None = None) -> Results:
        n = u.shape[1]
        self.calls += 1
        return simulate(
            self.full if full else self.short,
            samples=n,
            uniforms=self.source(u),
            keep_ledger=n if keep is None else keep,
            workers=self.workers,
        )


def series_of(res: Results, name: str, months: int) -> Array:
    """A ledger line or KPI of the kept samples, first ``months`` months: (kept, months)."""
    arr = res.line(name) if name in res.lines else res.kpi(name)
    return np.asarray(arr[:, :months], dtype=float)


def to_uniform(z: Array) -> Array:
    """Normal scores → uniforms in the open interval (0, 1) the quantile functions expect."""
    return np.clip(special.ndtr(z), 2.0**-54, 1.0 - 2.0**-53)


def _ess(logw: Array) -> float:
    w = np.exp(logw - np.max(logw))
    return float(w.sum() ** 2 / np.sum(w * w))


def _systematic(logw: Array, rng: np.random.Generator) -> NDArray[np.int64]:
    """Systematic resampling (Kitagawa 1996): N indices, in order, from normalised weights."""
    w = np.exp(logw - np.max(logw))
    c = np.cumsum(w / w.sum())
    c[-1] = 1.0
    n = logw.size
    pos = (rng.random() + np.arange(n)) / n
    return np.searchsorted(c, pos).astype(np.int64)


@dataclass
class Sampler:
    """What the conditioning did: method, ESS of the prior's weights, stages, moves."""

    method: str
    ess_prior: float
    stages: int = 0
    moves: int = 0
    acceptance: list[float] = field(default_factory=list)
    temperatures: list[float] = field(default_factory=list)
    distinct: int = 0
    simulations: int = 0


def condition(
    paths: ObservedPaths,
    obs: list[Observation],
    z0: Array,
    rng: np.random.Generator,
    *,
    min_ess: float = 0.5,
    progress: Progress | None = None,
) -> tuple[Array, Array, dict[str, Array], Sampler]:
    """Posterior samples in normal space (inputs × samples), their log-likelihood and each
    series' RMS residual, by importance weighting or tempered SMC (see module doc)."""
    n = z0.shape[1]

    def evaluate(z: Array) -> tuple[Array, dict[str, Array]]:
        res = paths.run(to_uniform(z))
        total = np.zeros(n)
        rms = {}
        for o in obs:
            ll, r = loglik_terms(o, series_of(res, o.name, paths.months))
            total += ll
            rms[o.name] = r
        return total, rms

    ll, rms = evaluate(z0)
    if not np.isfinite(ll).any():
        return z0, ll, rms, Sampler("none", 0.0)
    ess0 = _ess(ll)
    if ess0 >= min_ess * n:
        idx = _systematic(ll, rng)
        info = Sampler("importance weighting", ess0, distinct=len(np.unique(idx)))
        info.simulations = paths.calls
        return z0[:, idx], ll[idx], {k: v[idx] for k, v in rms.items()}, info
    info = Sampler("sequential Monte Carlo", ess0)
    z, phi, beta = z0, 0.0, 0.5
    while phi < 1.0:
        if info.stages >= MAX_STAGES:
            break
        delta = 1.0 - phi
        if _ess(delta * ll) < min_ess * n:
            lo, hi = 0.0, delta
            for _ in range(50):
                mid = 0.5 * (lo + hi)
                if _ess(mid * ll) >= min_ess * n:
                    lo = mid
                else:
                    hi = mid
            delta = max(lo, 1e-12)
        idx = _systematic(delta * ll, rng)
        z, ll = z[:, idx], ll[idx]
        rms = {k: v[idx] for k, v in rms.items()}
        phi = min(1.0, phi + delta)
        info.stages += 1
        info.temperatures.append(phi)
        moved = np.zeros(n, dtype=bool)
        for k in range(MAX_MOVES):
            prop = math.sqrt(1.0 - beta * beta) * z + beta * rng.standard_normal(z.shape)
            ll_p, rms_p = evaluate(prop)
            accept = np.log(rng.random(n)) < phi * (ll_p - ll)
            z = np.where(accept, prop, z)
            ll = np.where(accept, ll_p, ll)
            rms = {key: np.where(accept, rms_p[key], v) for key, v in rms.items()}
            moved |= accept
            rate = float(accept.mean())
            info.acceptance.append(rate)
            info.moves += 1
            beta = float(np.clip(beta * math.exp(rate - TARGET_ACCEPT), 0.01, 1.0))
            if progress is not None:  # after every move: a caller may stop the update here
                progress("conditioning", phi)
            if k + 1 >= MIN_MOVES and moved.mean() >= 0.95:
                break
    if phi < 1.0:
        raise AnalysisError(
            f"the actuals are too informative for {n:,} samples: after {MAX_STAGES} tempering "
            f"stages the likelihood is only {phi:.0%} in; use more samples, or larger .error "
            "values if the figures are less certain than stated"
        )
    info.distinct = len({z[:, i].tobytes() for i in range(n)})
    info.simulations = paths.calls
    return z, ll, rms, info


# ---------------------------------------------------------------------------- what changed


@dataclass(frozen=True)
class InputChange:
    """One input before and after: quantiles, how much its 80% range narrowed, a phrase."""

    name: str
    label: str
    domain: str
    prior: dict[str, float]  # p5, p10, p50, p90, p95
    posterior: dict[str, float]
    width_ratio: float  # posterior p10–p90 width / prior's
    shift: float  # posterior median moved, in prior p10–p90 widths
    moved: bool
    phrase: str
    effect: float = 0.0  # P(break-even) change if only this input's range changed

    @property
    def side(self) -> str:
        """``narrowed``, ``above``, ``below`` or ``moved``: see :func:`change_side`."""
        return change_side(self.prior, self.posterior)

    def row(self, lang: str = "en") -> dict[str, Any]:
        return {
            "input": self.name,
            "label": self.label,
            "prior": {k: float(v) for k, v in self.prior.items()},
            "posterior": {k: float(v) for k, v in self.posterior.items()},
            "width_ratio": self.width_ratio,
            "shift": self.shift,
            "moved": self.moved,
            "phrase": self.phrase,
            "effect_on_p_breakeven": self.effect,
        }


_QS = {"p5": 0.05, "p10": 0.10, "p50": 0.50, "p90": 0.90, "p95": 0.95}


def _quantiles(x: Array) -> dict[str, float]:
    return {k: float(np.quantile(x, q)) for k, q in _QS.items()}


RULED_OUT = 0.2  # a side of the 80% range moved by this share of its width is "ruled out"


def change_side(prior: Mapping[str, float], post: Mapping[str, float]) -> str:
    """How an input's range changed: ``narrowed`` (both sides cut), ``above`` (values above
    the posterior's p95 ruled out), ``below`` (below its p5), or ``moved`` (its median)."""
    width = max(prior["p90"] - prior["p10"], 1e-300)
    cut_high = (prior["p90"] - post["p90"]) / width > RULED_OUT
    cut_low = (post["p10"] - prior["p10"]) / width > RULED_OUT
    if cut_high and cut_low:
        return "narrowed"
    return "above" if cut_high else "below" if cut_low else "moved"


def _phrase(label: str, domain: str, prior: dict[str, float], post: dict[str, float]) -> str:
    """How an input's range changed, in words (see :func:`change_side`)."""

    def v(x: float) -> str:
        return input_value(x, domain)

    side = change_side(prior, post)
    if side == "narrowed":
        return f"narrowing {label} to {v(post['p5'])}–{v(post['p95'])}"
    if side == "above":
        return f"ruling out {label} above {v(post['p95'])}"
    if side == "below":
        return f"ruling out {label} below {v(post['p5'])}"
    return f"moving {label} from {v(prior['p50'])} to {v(post['p50'])}"


def input_changes(
    plan: Any, prior: Results, posterior: Results, u_prior: Array, u_post: Array, names: list[str]
) -> list[InputChange]:
    """Every random input's prior and posterior quantiles, with the effect on P(break-even) of
    its posterior alone: the prior samples reweighted by the posterior's density of that
    input's uniform (a 20-bin histogram), so the inputs can be ranked by what they decided."""
    be_prior = ~np.isnan(prior.metrics["breakeven_month"])
    p0 = float(be_prior.mean())
    bins = np.linspace(0.0, 1.0, 21)
    out = []
    for j, name in enumerate(names):
        if name not in prior.inputs:
            continue
        q0 = _quantiles(prior.inputs[name])
        q1 = _quantiles(posterior.inputs[name])
        width = q0["p90"] - q0["p10"]
        if width <= 0:
            continue
        ratio = (q1["p90"] - q1["p10"]) / width
        shift = (q1["p50"] - q0["p50"]) / width
        moved = ratio < 0.8 or abs(shift) > 0.15
        dom = prior.input_table[name].domain
        label = input_label(plan, name)
        hist, _ = np.histogram(u_post[j], bins=bins)
        dens = (hist + 0.5) / (hist.sum() + 10.0) * 20.0  # smoothed density ratio to uniform
        w = dens[np.clip((u_prior[j] * 20).astype(int), 0, 19)][: be_prior.size]
        effect = float(np.sum(w * be_prior) / np.sum(w)) - p0
        out.append(
            InputChange(
                name, label, dom, q0, q1, ratio, shift, moved, _phrase(label, dom, q0, q1), effect
            )
        )
    out.sort(key=lambda c: (not c.moved, -abs(c.effect), c.width_ratio))
    return out


# ---------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class Story:
    """What the update did, as the narrative tells it: months observed, P(break-even) before
    and after, and the input that led (``mostly``: its range alone explains at least a quarter
    of the change, in its direction; else the input that moved most)."""

    months: int
    p0: float
    p1: float
    lead: InputChange | None
    mostly: bool

    @property
    def unchanged(self) -> bool:
        return round(self.p0 * 100) == round(self.p1 * 100)


@dataclass
class Update:
    """A plan conditioned on actuals: prior and posterior runs, what the sampler did, which
    inputs moved, and the plan rewritten with the narrowed ranges."""

    plan: Any
    actuals: Actuals
    prior: Results
    posterior: Results
    sampler: Sampler
    observations: list[Observation]
    changes: list[InputChange]
    residual: dict[str, float]  # per series: the posterior's median RMS standardised residual
    plan_text: str | None = None
    # the facts of plan_text's header: ranges narrowed, correlations added, header lines
    plan_edits: dict[str, int] | None = None

    # ----------------------------------------------------------- headline
    def headline(self) -> dict[str, dict[str, Any]]:
        """P(break-even), P(cash out) and the headline metrics, before and after."""
        out: dict[str, dict[str, Any]] = {}
        for k in ("p_breakeven", "p_cash_out"):
            out[k] = {
                "prior": self.prior.probabilities[k],
                "posterior": self.posterior.probabilities[k],
            }
        for k in HEADLINE:
            if k in self.prior.metrics:
                out[k] = {
                    "prior": self.prior.metric_summary(k),
                    "posterior": self.posterior.metric_summary(k),
                }
        return out

    @property
    def moved(self) -> list[InputChange]:
        return [c for c in self.changes if c.moved]

    def story(self) -> Story:
        """The facts the narrative tells, for any language."""
        months = self.actuals.months_observed
        p0 = self.prior.probabilities["p_breakeven"]
        p1 = self.posterior.probabilities["p_breakeven"]
        moved = self.moved
        if not moved:
            return Story(months, p0, p1, None, False)
        delta = p1 - p0
        best = max(moved, key=lambda c: abs(c.effect))
        if abs(delta) >= 0.02 and best.effect * delta > 0 and abs(best.effect) >= 0.25 * abs(delta):
            return Story(months, p0, p1, best, True)
        return Story(months, p0, p1, moved[0], False)

    def narrative(self) -> str:
        """One sentence: what the actuals did to P(break-even), and mostly by what."""
        st = self.story()
        n = st.months
        what = f"{n} month{'s' if n != 1 else ''} of actuals ({self.actuals.period})"
        if st.unchanged:
            head = f"{what} left P(break-even) at {pct(st.p1)}"
        else:
            head = f"{what} moved P(break-even) from {pct(st.p0)} to {pct(st.p1)}"
        if st.lead is None:
            return head + "; no input's range moved much."
        if st.mostly:
            return f"{head}, mostly by {st.lead.phrase}."
        return f"{head}; the actuals mainly {st.lead.phrase.replace('ing ', 'ed ', 1)}."

    # ----------------------------------------------------------- variance and bands
    def variance(self) -> list[dict[str, Any]]:
        """Each observation against the plan's p10/p50/p90 and the updated forecast's."""
        return variance_table(self.actuals, self.prior, self.posterior)

    def bands(self, names: list[str] | None = None) -> dict[str, dict[str, Any]]:
        """Fan-chart data of the observed series (and cash), plan and updated forecast."""
        return series_bands(self.actuals, self.prior, self.posterior, names)

    def to_dict(self) -> dict[str, Any]:
        s = self.sampler
        return {
            "plan": self.plan.name,
            "actuals": {
                "file": self.actuals.file,
                "period": self.actuals.period,
                "series": list(self.actuals.series),
                "observations": self.actuals.observations,
            },
            "narrative": self.narrative(),
            "sampler": {
                "method": s.method,
                "samples": self.posterior.samples,
                "ess_prior": s.ess_prior,
                "stages": s.stages,
                "moves": s.moves,
                "mean_acceptance": float(np.mean(s.acceptance)) if s.acceptance else None,
                "temperatures": s.temperatures,
                "distinct_samples": s.distinct,
                "simulations": s.simulations,
            },
            "residual": self.residual,
            "headline": self.headline(),
            "inputs": [c.row() for c in self.changes],
            "variance": self.variance(),
            "updated_plan": self.plan_text,
        }


# ---------------------------------------------------------------------------- plan vs actual


def _band(res: Results, name: str) -> Array:
    """p10, p50, p90 per month of a ledger line or KPI over the kept samples: (3, months)."""
    return np.asarray(np.quantile(series_of(res, name, res.months), [0.1, 0.5, 0.9], axis=0))


def variance_table(
    actuals: Actuals, plan: Results, updated: Results | None = None
) -> list[dict[str, Any]]:
    """Each observation against the plan's p10/p50/p90 that month, and whether it fell outside
    the plan's 80% band (and, given an updated forecast, against that too)."""
    rows = []
    for name, s in actuals.series.items():
        qb = _band(plan, name)
        qa = _band(updated, name) if updated is not None else None
        for t in np.flatnonzero(s.observed):
            y = float(s.values[t])
            row: dict[str, Any] = {
                "series": name,
                "month": month_label(actuals.start, int(t) + 1),
                "actual": y,
                "plan_p10": float(qb[0, t]),
                "plan_p50": float(qb[1, t]),
                "plan_p90": float(qb[2, t]),
                "outside_plan": bool(y < qb[0, t] or y > qb[2, t]),
            }
            if qa is not None:
                row.update(
                    updated_p10=float(qa[0, t]),
                    updated_p50=float(qa[1, t]),
                    updated_p90=float(qa[2, t]),
                )
            rows.append(row)
    return rows


def series_bands(
    actuals: Actuals,
    plan: Results,
    updated: Results | None = None,
    names: list[str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Per series (default: the observed ones, then cash): calendar months, the plan's
    p10/p50/p90, the updated forecast's (if any) and the actuals (None where not observed)."""
    if names is None:
        names = list(actuals.series) + ([] if "cash" in actuals.series else ["cash"])
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        if name not in plan.lines and name not in plan.kpi_names:
            continue
        qb = _band(plan, name)
        entry: dict[str, Any] = {
            "calendar": plan.calendar,
            "plan": {k: qb[i].tolist() for i, k in enumerate(("p10", "p50", "p90"))},
            "actual": [None] * plan.months,
        }
        if updated is not None:
            qa = _band(updated, name)
            entry["updated"] = {k: qa[i].tolist() for i, k in enumerate(("p10", "p50", "p90"))}
        s = actuals.series.get(name)
        if s is not None:
            for t in np.flatnonzero(s.observed):
                entry["actual"][int(t)] = float(s.values[t])
        out[name] = entry
    return out


# ---------------------------------------------------------------------------- exporting


def _range_spec(domain: str, q: Mapping[str, float], values: Array, prior: Dist) -> Any:
    """A posterior marginal as a plan writes it: its 90% interval ``a to b`` (shaped by the
    field's domain, as the plan's own ranges are); a choice keeps its values with the
    posterior's weights; where ``a to b`` cannot hold it (a lognormal field whose posterior
    reaches 0, a fraction reaching 0% or 100%) a PERT over the posterior's range."""
    if isinstance(prior, Choice):
        weights = [float(np.mean(values == v)) for v in prior.values]
        kept = [(v, w) for v, w in zip(prior.values, weights, strict=True) if w > 0]
        return {
            "dist": "choice",
            "values": [v for v, _ in kept],
            "weights": [round(w, 4) for _, w in kept],
        }
    pct_fmt = domain in ("fraction", "rate")
    lo, hi = q["p5"], q["p95"]
    text = f"{lo * 100:.4g}% to {hi * 100:.4g}%" if pct_fmt else f"{lo:.4g} to {hi:.4g}"
    try:
        parse_uncertain(text, Domain(domain))
        return text
    except UncertainError:
        pass
    low, mode, high = (float(f"{x:.6g}") for x in (np.min(values), q["p50"], np.max(values)))
    spec = {"dist": "pert", "low": low, "mode": mode, "high": high}
    try:
        parse_uncertain(spec, Domain(domain))
        return spec
    except UncertainError:
        return float(f"{q['p50']:.6g}")


def _rank_pairs(posterior: Results, names: list[str]) -> list[tuple[str, str, float]]:
    """Posterior rank correlations of at least 0.3 between moved inputs, weakened until the
    set is positive definite."""
    from scipy import stats

    if len(names) < 2:
        return []
    x = np.stack([posterior.inputs[n] for n in names])
    stat = stats.spearmanr(x, axis=1).statistic
    # two variables: scipy gives their one coefficient, not a matrix
    rho = np.array([[1.0, stat], [stat, 1.0]]) if np.ndim(stat) == 0 else np.asarray(stat)
    pairs = [
        (names[i], names[j], float(round(rho[i, j], 2)))
        for i in range(len(names))
        for j in range(i + 1, len(names))
        if abs(rho[i, j]) >= 0.3
    ]
    for _ in range(20):
        try:
            correlation_matrix(names, pairs)
            return pairs
        except ValueError:
            pairs = [(a, b, round(r * 0.9, 2)) for a, b, r in pairs]
    return []


def updated_plan_text(upd: Update, text: str, file: str) -> str:
    """The plan's YAML with each moved input's range replaced by its posterior 90% interval,
    the posterior's rank correlations among them, and a header saying where they came from
    (its facts in ``upd.plan_edits``: ``narrowed``, ``correlations``, ``header_lines``)."""
    yaml_inputs = build_inputs(upd.plan)
    specs: list[tuple[str, Any]] = [
        (
            c.name,
            _range_spec(
                c.domain, c.posterior, upd.posterior.inputs[c.name], yaml_inputs[c.name].dist
            ),
        )
        for c in upd.moved
        if c.name in yaml_inputs  # else drawn by a block (catalog factor, chance event)
    ]
    written = [name for name, _ in specs]
    pairs = _rank_pairs(upd.posterior, written)

    def change(data: Any) -> None:
        for name, spec in specs:
            set_path(data, name, spec, file)
        if pairs:
            keep = [
                c
                for c in data.get("correlations") or []
                if not set(c.get("between", [])) & set(written)
            ]
            data["correlations"] = keep + [{"between": [a, b], "rank": r} for a, b, r in pairs]

    a = upd.actuals
    note = (
        f"# Updated by `breakeven update` on {a.file} ({a.period}, {a.observations} "
        f"observations of {', '.join(a.series)}):\n"
        f"# {len(written)} ranges narrowed to their posterior 90% intervals"
        + (f", {len(pairs)} posterior correlations added" if pairs else "")
        + ".\n# To update again, update the original plan on all actuals (not this one on "
        "the same months twice).\n"
    )
    upd.plan_edits = {
        "narrowed": len(written),
        "correlations": len(pairs),
        "header_lines": note.count("\n"),
    }
    out = note + rewrite(text, file, change)
    load_text(out, file)  # the written plan must be valid
    return out


# ---------------------------------------------------------------------------- the entry point


def observable(plan: Any) -> list[str]:
    """The outputs of a plan that actuals can name: its ledger lines and KPIs."""
    lay = layout(plan)
    return list(lay.lines) + list(lay.kpi_names)


def load_actuals(
    plan: Any, path: str | Path, *, error: float = 0.1, sheet: str | None = None
) -> Actuals:
    """Read an actuals file (CSV or .xlsx) against a plan's months and outputs."""
    return read_actuals(
        path, plan.start, plan.horizon_months, observable(plan), error=error, sheet=sheet
    )


def update(
    plan: Any,
    actuals: Actuals | str | Path,
    *,
    samples: int | None = None,
    seed: int | None = None,
    min_ess: float = 0.5,
    workers: int | None = None,
    plan_text: str | None = None,
    file: str = "plan.yaml",
    progress: Progress | None = None,
) -> Update:
    """Condition ``plan`` on ``actuals`` and re-forecast (see module doc). ``plan_text`` (the
    plan's YAML) lets the result carry the plan rewritten with narrowed ranges. Raises
    :class:`IncompatibleActuals` when no sample reproduces an observed series."""
    if not isinstance(actuals, Actuals):
        actuals = load_actuals(plan, actuals)
    n = int(samples if samples is not None else plan.samples)
    seed = int(seed if seed is not None else plan.seed)
    if actuals.months > plan.horizon_months:
        raise AnalysisError(
            f"the actuals run to month {actuals.months}, beyond the plan's {plan.horizon_months}"
        )
    lay = layout(plan)
    names = lay.table.random()
    observable = set(lay.lines) | set(lay.kpi_names)
    unknown = [k for k in actuals.series if k not in observable]
    if unknown:
        raise AnalysisError(f"the plan has no output {', '.join(unknown)}")
    if not names:
        raise AnalysisError("the plan has no uncertain inputs: there is nothing to update")
    u0 = independent_uniforms(seed)(names, 0, n)
    paths = ObservedPaths(plan, actuals.months, names, workers)
    prior = paths.run(u0, full=True, keep=min(n, 5000))
    T = actuals.months
    short = paths.run(u0[:, : min(n, 256)])
    for k in actuals.series:  # a plan whose first months depend on its horizon: use it whole
        if not np.array_equal(series_of(short, k, T), series_of(prior, k, T)[: short.kept]):
            paths.short = plan
            break
    negative = {k: bool((series_of(prior, k, T) < 0).any()) for k in actuals.series}
    obs = observations(actuals, negative)
    far = _beyond_every_sample(obs, prior, T)
    if far:  # refused at once: no conditioning can bring these series within reach
        raise _incompatible(actuals, prior, far, T)
    rng = np.random.default_rng([seed, name_key("update")])
    z, ll, rms, info = condition(
        paths, obs, special.ndtri(u0), rng, min_ess=min_ess, progress=progress
    )
    if _unreproduced(rms) or not np.isfinite(ll).any():
        bad = _culprits(paths, obs, special.ndtri(u0), rms, seed, min_ess)
        raise _incompatible(actuals, prior, bad, T)
    u1 = to_uniform(z)
    posterior = paths.run(u1, full=True, keep=min(n, 5000))
    changes = input_changes(plan, prior, posterior, u0, u1, names)
    upd = Update(
        plan,
        actuals,
        prior,
        posterior,
        info,
        obs,
        changes,
        {k: float(np.median(v)) for k, v in rms.items()},
    )
    if plan_text is not None:
        upd.plan_text = updated_plan_text(upd, plan_text, file)
    return upd


def _beyond_every_sample(obs: list[Observation], prior: Results, T: int) -> list[str]:
    """Series whose every observation lies beyond all the plan's samples that month by more
    than 3 standard errors: incompatible without conditioning (a cheap first check)."""
    out = []
    for o in obs:
        x = series_of(prior, o.name, T)
        lo, hi = x.min(axis=0), x.max(axis=0)
        m = o.mask
        y, sig = o.values[m], o.errors[m]
        if o.signed:
            above = y > hi[m] + 3 * sig * np.maximum(np.abs(hi[m]), o.offset)
            below = y < lo[m] - 3 * sig * np.maximum(np.abs(lo[m]), o.offset)
        else:
            c = o.offset
            above = np.log(y + c) > np.log(np.maximum(hi[m], 0) + c) + 3 * sig
            below = np.log(y + c) < np.log(np.maximum(lo[m], 0) + c) - 3 * sig
        if (above | below).all():
            out.append(o.name)
    return out


def _unreproduced(rms: Mapping[str, Array]) -> list[str]:
    """Series that no sample reproduces within CONFLICT_Z standard errors (RMS over months),
    worst first."""
    best = {k: float(np.min(v)) for k, v in rms.items()}
    return sorted((k for k, v in best.items() if not v <= CONFLICT_Z), key=lambda k: -best[k])


def _culprits(
    paths: ObservedPaths,
    obs: list[Observation],
    z0: Array,
    rms: Mapping[str, Array],
    seed: int,
    min_ess: float,
) -> list[str]:
    """The series in conflict with the plan: a series that cannot be reproduced drags the
    others off when they are fitted together, so the worst one is set aside and the rest
    conditioned again, until the rest fit (at most three series set aside)."""
    rest = list(obs)
    out: list[str] = []
    bad = _unreproduced(rms)
    while bad and len(out) < 3:
        out.append(bad[0])
        rest = [o for o in rest if o.name != bad[0]]
        if not rest:
            break
        rng = np.random.default_rng([seed, name_key("update conflicts"), len(out)])
        _, _, rms_rest, _ = condition(paths, rest, z0, rng, min_ess=min_ess)
        bad = _unreproduced(rms_rest)
    return out + [b for b in bad if b not in out] if len(out) >= 3 else out


def _incompatible(actuals: Actuals, prior: Results, bad: list[str], T: int) -> IncompatibleActuals:
    """Which series the plan cannot reproduce, each located at its worst month against the
    plan's 1–99% range that month."""
    problems = []
    for k in bad:
        s = actuals.series[k]
        x = series_of(prior, k, T)
        lo, hi = np.quantile(x, 0.01, axis=0), np.quantile(x, 0.99, axis=0)
        y = s.values
        gap = np.where(
            s.observed, np.maximum(lo - y, y - hi) / np.maximum(np.abs(y), 1e-9), -np.inf
        )
        t = int(np.argmax(gap))
        msg = (
            f"{input_value(y[t])} in {month_label(actuals.start, t + 1)}, where the plan's "
            f"1–99% range is {input_value(lo[t])} to {input_value(hi[t])}"
        )
        problems.append(Problem(actuals.file, s.lines.get(t + 1), k, msg))
    message = (
        "the actuals are incompatible with the plan: no sample reproduces "
        + ", ".join(bad)
        + " (with the other series observed) within 3 standard errors on average over its "
        "months. Widen the plan's ranges, or check the units and the .error columns.\n"
        + "\n".join(str(p) for p in problems)
    )
    return IncompatibleActuals(message, bad, problems)


__all__ = [
    "IncompatibleActuals",
    "load_actuals",
    "observable",
    "series_bands",
    "variance_table",
    "InputChange",
    "Observation",
    "ObservedPaths",
    "Sampler",
    "Story",
    "change_side",
    "Update",
    "condition",
    "loglik_terms",
    "observations",
    "simulated_noisy_actuals",
    "update",
    "updated_plan_text",
]
