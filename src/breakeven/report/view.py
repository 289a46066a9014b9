"""What the report shows: every figure of a run's reports, computed once from its Results.

The terminal summary, the HTML report, the Excel workbook, the notebook view and the plots all
read one :class:`View`; none re-derives a number. Groupings come from the declared outputs (a
cost line's category, a KPI's rank as a charted user figure or a unit-economics denominator), the
statement from the ledger's declared layout, and the tornado is the one ``breakeven sensitivity``
prints for the same scenario, seed and samples (it reuses the run's own samples).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np

from ..analysis.actuals import Actuals
from ..analysis.sensitivity import Tornado, tornado
from ..analysis.update import variance_table
from ..engine import Results
from ..engine.labels import input_label
from ..engine.outputs import COST_CATEGORIES
from ..errors import AnalysisError
from ..format import compact, money
from ..models import ledger
from ..models.reference_growth import growth_text
from ..scenario.checks import references
from .i18n import t

BAND_Q = (0.10, 0.25, 0.50, 0.75, 0.90)
MAX_USER_PANELS = 4
Bands = dict[float, np.ndarray]


def bands(arr: np.ndarray) -> Bands:
    """Monthly quantiles of kept samples, arr (kept, months) → {q: (months,)}."""
    arr = np.asarray(arr, dtype=float)
    if arr.ndim != 2 or arr.shape[0] == 0:
        months = arr.shape[-1] if arr.ndim else 0
        return {q: np.full(months, np.nan) for q in BAND_Q}
    return dict(zip(BAND_Q, np.quantile(arr, BAND_Q, axis=0), strict=True))


def cdf_by_month(x: np.ndarray, months: int) -> np.ndarray:
    """P(x ≤ m) for m = 1..months, x NaN where the event never happens."""
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        return np.zeros(months)
    counts = np.bincount(np.clip(x[np.isfinite(x)], 0, months).astype(int), minlength=months + 1)
    return np.cumsum(counts)[1 : months + 1] / x.size


def histogram(
    x: np.ndarray, bins: int = 40, lo: float | None = None, hi: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(edges, share of samples per bin) of the finite values, clipped to [p0.1, p99.9]."""
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return np.array([0.0, 1.0]), np.array([0.0])
    lo = float(np.quantile(x, 0.001)) if lo is None else lo
    hi = float(np.quantile(x, 0.999)) if hi is None else hi
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    counts, edges = np.histogram(np.clip(x, lo, hi), bins=bins, range=(lo, hi))
    return edges, counts / x.size


@dataclass(frozen=True)
class StatementRow:
    """A row of the statement: a detail line, a kind's total, a derived line or opening cash."""

    name: str  # ledger line name, or "cash_start"
    role: str  # "detail", "total", "derived", "cash_start"
    terms: tuple[tuple[int, str], ...] = ()  # (+1/-1, row) that make a total or derived row


def statement_layout(lines: list[str]) -> list[StatementRow]:
    """The statement's rows for a ledger with these lines, from :data:`ledger.STATEMENT`."""
    detail = [n for n in lines if "." in n]
    shown = {k.name for k in ledger.KINDS if k.always_shown}
    shown |= {ledger.kind_of(n) for n in detail}
    rows: list[StatementRow] = []
    for role, name, needs in ledger.STATEMENT:
        if role == "kind":
            if name not in shown:
                continue
            items = [n for n in detail if ledger.kind_of(n) == name]
            rows += [StatementRow(n, "detail") for n in items]
            rows.append(
                StatementRow(ledger.KIND[name].total, "total", tuple((1, n) for n in items))
            )
        elif role == "derived":
            if needs is not None and needs not in shown:
                continue
            present = {r.name for r in rows}
            terms = tuple((s, t) for s, t in ledger.TERMS[name] if t in present)
            rows.append(StatementRow(name, "derived", terms))
        else:  # the stock: opening cash, then cash = opening + net cash flow
            rows.append(StatementRow("cash_start", "cash_start"))
            rows.append(StatementRow(name, "derived", ((1, "cash_start"), (1, "net_cash_flow"))))
    return rows


def statement_values(
    r: Results, rows: list[StatementRow], sample: int | None = None
) -> dict[str, np.ndarray]:
    """Monthly values of each row: one kept sample's ledger, or the mean over all samples."""
    out: dict[str, np.ndarray] = {}
    for row in rows:
        if row.role != "cash_start":
            out[row.name] = np.asarray(
                r.monthly_mean(row.name) if sample is None else r.line(row.name)[sample],
                dtype=float,
            )
    cash, ncf = out["cash"], out["net_cash_flow"]
    start = np.empty_like(cash)
    start[0] = cash[0] - ncf[0]
    start[1:] = cash[:-1]
    out["cash_start"] = start
    return out


STOCKS = ("cash", "cash_start")  # balances, not flows: a year shows its end (or start)


def yearly(vals: dict[str, np.ndarray], months: int) -> dict[str, list[float]]:
    """Year totals of flows; end-of-year cash and start-of-year opening cash."""
    years = (months + 11) // 12
    out = {}
    for k, v in vals.items():
        if k == "cash":
            out[k] = [float(v[min(12 * y + 11, months - 1)]) for y in range(years)]
        elif k == "cash_start":
            out[k] = [float(v[12 * y]) for y in range(years)]
        else:
            out[k] = [float(v[12 * y : 12 * y + 12].sum()) for y in range(years)]
    return out


@dataclass(frozen=True)
class UnitEconomics:
    """Revenue and costs per unit per month (mean over samples) over ``period``:
    {denominator KPI: {revenue, fees, serving, other_cogs, margin}}."""

    period: str  # "ue.last_year" or "ue.horizon"
    per: dict[str, dict[str, float]]


@dataclass
class View:
    """Every figure the reports of one run show (see the module docstring)."""

    results: Results
    probabilities: dict[str, float]
    metrics: dict[str, dict[str, float | None]]
    milestones: list[dict[str, Any]]
    bands: dict[str, Bands]
    users: list[str]
    funding_events: list[tuple[int, str, float]]
    breakeven_cdf: np.ndarray
    payback_cdf: np.ndarray
    funding_need: tuple[np.ndarray, np.ndarray]
    unit_economics: UnitEconomics
    user_margins: dict[str, np.ndarray]
    cost_breakdown: dict[str, np.ndarray]
    revenue_mean: np.ndarray
    statement: list[StatementRow]
    statement_yearly: dict[str, list[float]]
    assumptions: list[dict[str, Any]]
    tornado: Tornado | None = None
    tornado_missing: str | None = None
    actuals: Actuals | None = None  # observed months, overlaid on the charts (``run --actuals``)
    variance: list[dict[str, Any]] = field(default_factory=list)  # each observation vs the plan
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ the run
    @property
    def name(self) -> str:
        return str(self.results.scenario.name)

    @property
    def description(self) -> str:
        return str(self.results.scenario.description or "").strip()

    @property
    def source(self) -> str:
        return self.results.scenario.source

    @property
    def currency(self) -> str:
        return self.results.currency

    @property
    def months(self) -> int:
        return self.results.months

    @property
    def start(self) -> date:
        """The calendar month of month 1 (its first day)."""
        return self.results.scenario.start

    @property
    def calendar(self) -> list[str]:
        """The calendar month of each simulated month, as 2025-03."""
        return self.results.calendar

    def year_name(self, k: int, lang: str, narrow: bool = False) -> str:
        """Year ``k`` (0-based) of the plan with its calendar months: "year 1 (2025-03–2026-02)"
        (the plan's years run from its start month, not calendar years); ``narrow``, for the
        terminal's columns, "year 1" over its first month on a second line."""
        cal = self.calendar
        first, last = cal[12 * k], cal[min(12 * k + 11, len(cal) - 1)]
        if narrow:
            return f"{t('year_n', lang, n=k + 1)}\n{first}"
        span = first if first == last else f"{first}–{last}"  # a one-month year: its month
        return f"{t('year_n', lang, n=k + 1)} ({span})"

    @property
    def samples(self) -> int:
        return self.results.samples

    @property
    def seed(self) -> int:
        return self.results.seed

    @property
    def kept(self) -> int:
        return self.results.kept

    def label(self, name: str, lang: str = "en") -> str:
        """The declared en/zh label of a line, KPI, metric or category."""
        return self.results.outputs.label(name, lang)

    def doc(self, name: str, lang: str = "en") -> str:
        return self.results.outputs.doc(name, lang)

    def kind(self, name: str) -> str:
        """'line' for ledger lines (money), 'kpi' for operating figures."""
        return "line" if name in self.results.lines else "kpi"

    def observed(self, name: str) -> tuple[list[int], list[float]] | None:
        """(months, values) of the actuals of a line or KPI, None when it was not observed."""
        s = self.actuals.series.get(name) if self.actuals is not None else None
        if s is None:
            return None
        idx = np.flatnonzero(s.observed)
        return [int(i) + 1 for i in idx], [float(s.values[i]) for i in idx]

    # ------------------------------------------------------------------ building it
    @classmethod
    def of(
        cls,
        r: Results,
        tornado_rows: Tornado | bool | None = None,
        actuals: Actuals | None = None,
    ) -> View:
        """The view of a run. ``tornado_rows``: rows already computed, False to leave the
        tornado out, None (default) to compute it as ``breakeven sensitivity`` does.
        ``actuals``: observed months to show against the plan (read with
        :func:`breakeven.analysis.update.load_actuals`)."""
        tr, missing = _tornado(r, tornado_rows)
        return cls(
            results=r,
            probabilities=r.probabilities,
            metrics=r.summary(),
            milestones=r.milestones,
            bands=_bands(r),
            users=user_kpis(r),
            funding_events=_funding_events(r),
            breakeven_cdf=cdf_by_month(r.metrics["breakeven_month"], r.months),
            payback_cdf=cdf_by_month(r.metrics["payback_month"], r.months),
            funding_need=histogram(r.metrics["peak_funding_need"]),
            unit_economics=unit_economics(r),
            user_margins=_user_margins(r),
            cost_breakdown=cost_breakdown(r),
            revenue_mean=r.monthly_mean("revenue"),
            statement=statement_layout(r.lines),
            statement_yearly=yearly(statement_values(r, statement_layout(r.lines)), r.months),
            assumptions=assumptions(r),
            tornado=tr,
            tornado_missing=missing,
            actuals=actuals,
            variance=variance_table(actuals, r) if actuals is not None else [],
        )


def as_view(
    x: View | Results,
    tornado_rows: Tornado | bool | None = None,
    actuals: Actuals | None = None,
) -> View:
    """A view of ``x`` (built now if ``x`` is a Results), with ``actuals`` if given."""
    if not isinstance(x, View):
        return View.of(x, tornado_rows, actuals)
    if actuals is None:
        return x
    return replace(x, actuals=actuals, variance=variance_table(actuals, x.results))


# ---------------------------------------------------------------------------- the pieces


def total_cost(r: Results) -> np.ndarray:
    """Cost of revenue + operating expenses per kept sample and month."""
    return r.line("cost_of_revenue") + r.line("operating_expenses")


def series_value(r: Results, name: str, x: float | None, lang: str = "en") -> str:
    """A value of a ledger line (money) or KPI (a count) of ``r`` for people."""
    return money(x, r.currency, lang) if name in r.lines else compact(x, lang)


def user_kpis(r: Results) -> list[str]:
    """The user and account figures worth a chart: declared category ``users`` with a rank,
    best ranked first, at most four."""
    out = r.outputs
    names = [k for k in r.kpi_names if k in out and out[k].category == "users" and out[k].rank]
    return sorted(names, key=lambda k: out[k].rank)[:MAX_USER_PANELS]


def _bands(r: Results) -> dict[str, Bands]:
    b = {
        "revenue": bands(r.line("revenue")),
        "total_cost": bands(total_cost(r)),
        "cash": bands(r.line("cash")),
    }
    for k in user_kpis(r):
        b[k] = bands(r.kpi(k))
    return b


def _funding_events(r: Results) -> list[tuple[int, str, float]]:
    """(month, round names, mean amount) of each month with money raised."""
    mean = r.monthly_mean("funding")
    names: dict[int, list[str]] = {}
    for rnd in r.scenario.funding.rounds:
        names.setdefault(int(rnd.month), []).append(str(rnd.name))
    return [
        (i + 1, " + ".join(names.get(i + 1, [])), float(v)) for i, v in enumerate(mean) if v > 0
    ]


def _period(r: Results) -> tuple[slice, str]:
    if r.months >= 24:
        return slice(r.months - 12, r.months), "ue.last_year"
    return slice(0, r.months), "ue.horizon"


def unit_economics(r: Results) -> UnitEconomics:
    """Per unit per month over the last 12 months (whole horizon if shorter), for each declared
    denominator of the run (paying users, active users, deployed accounts, paid seats…)."""
    sl, period = _period(r)
    out = r.outputs

    def total(category: str) -> float:
        names = out.select(r.detail_lines, kind="cogs", category=category)
        return float(sum(r.monthly_mean(n)[sl].sum() for n in names))

    revenue = float(r.monthly_mean("revenue")[sl].sum())
    fees, serving = total("fees"), total("serving")
    cogs = float(r.monthly_mean("cost_of_revenue")[sl].sum())
    per: dict[str, dict[str, float]] = {}
    dens = [k for k in r.kpi_names if k in out and out[k].per is not None]
    for k in sorted(dens, key=lambda k: out[k].per or 0):
        units = float(r.monthly_mean(k)[sl].sum())
        if units > 0:
            per[k] = {
                "revenue": revenue / units,
                "fees": fees / units,
                "serving": serving / units,
                "other_cogs": (cogs - fees - serving) / units,
                "margin": (revenue - cogs) / units,
            }
    return UnitEconomics(period, per)


def _user_margins(r: Results) -> dict[str, np.ndarray]:
    um = r.user_margins
    return {} if um is None else {k: np.asarray(v) for k, v in um.items()}


def cost_breakdown(r: Results) -> dict[str, np.ndarray]:
    """Mean monthly cost (all samples) by declared category, those with any cost, in the
    categories' order."""
    out: dict[str, np.ndarray] = {}
    for n in r.outputs.select(r.detail_lines, kind=("cogs", "opex")):
        c = r.outputs[n].category
        out[c] = out.get(c, 0.0) + r.monthly_mean(n)
    order = [c for c in COST_CATEGORIES if c in out] + [c for c in out if c not in COST_CATEGORIES]
    return {k: out[k] for k in order if np.any(out[k] != 0)}


def assumptions(r: Results) -> list[dict[str, Any]]:
    """Every input as the model read it: distribution, domain, where it is used (named, not
    indexed: :func:`~breakeven.engine.labels.input_label`), the p10/p50/p90 of the values drawn (None for a fixed value), and for a
    ``reference`` growth what its reference class was (``basis``: family, start, products)."""
    refs = {path: ref for path, ref, _ in references(r.scenario)}
    rows = []
    for name, inp in r.input_table.items():
        ref = next((refs[p] for p in (name, *inp.paths) if p in refs), None)
        x = r.inputs.get(name)
        qs = (
            np.quantile(np.asarray(x, dtype=float), [0.1, 0.5, 0.9]).tolist()
            if x is not None and len(x)
            else None
        )
        rows.append(
            {
                "input": name,
                "label": input_label(r.scenario, inp.paths[0]) if inp.paths else name,
                "distribution": inp.dist.describe(),
                "domain": inp.domain,
                "quantiles": qs,
                "paths": [input_label(r.scenario, p) for p in inp.paths],
                "basis": None
                if ref is None
                else {
                    "family": ref.family,
                    "start": f"{ref.start:%Y-%m}",
                    "products": list(ref.products),
                    "observed": growth_text(ref.observed)
                    if getattr(ref, "observed", None) is not None
                    else None,
                    "pooled": bool(getattr(ref, "pooled", False)),
                },
            }
        )
    return rows


def _tornado(r: Results, given: Tornado | bool | None) -> tuple[Tornado | None, str | None]:
    if given is False:
        return None, "not requested"
    if isinstance(given, Tornado):
        return given, None
    try:
        rows = tornado(
            r.scenario, metric="npv", seed=r.seed, samples_for_conditional=r.samples, results=r
        )
    except AnalysisError as e:
        return None, str(e)
    return (rows, None) if len(rows) else (None, "no uncertain inputs")
