"""Plan lint: warnings when a plan that validates implies something implausible.

A warning is not an error: the plan runs and the exit status stays 0. Each warning names the
field to look at and says why, located like an error::

    plan.yaml:49: compute.serving: warning: gross margin over the last 12 months is above 95%
    although the plan serves tokens: usage or serving prices look too low (got 96.2%); check
    compute.serving (prices per token or GPU) and the usage per user (…)

:func:`lint` reads a :class:`~breakeven.engine.Results` (``breakeven run`` lints its own run);
:func:`lint_plan` first runs a small deterministic simulation (``breakeven validate``:
:data:`LINT_SAMPLES` samples with the plan's seed). Each rule is a small pure function of the
scenario and its results, registered in :data:`RULES`; its docstring gives the source of its
threshold. The published figures for revenue per employee, and fallback exchange rates to US
dollars, are in ``data/revenue_per_employee.yaml`` (every row with ``source`` and ``as_of``).

Rules:

- ``first-month-breakeven``: EBITDA ≥ 0 with revenue in month 1 in at least half the samples.
- ``revenue-per-employee``: annualised revenue per person at the horizon end far outside the
  published range (above 3× the highest credible figure, below 1/10 of the lowest).
- ``serving-gross-margin``: gross margin above 95% over the last 12 months in a plan that sells
  the use of its model (subscriptions, API, seats) for at least half its revenue.
- ``cac-below-cent``: paid acquisition at less than one US cent per user.
- ``people-beyond-world``: a consumer market or user count above the world's population.
- ``seats-below-one``: a business segment's accounts with less than one seat each.
- ``cap-below-mean``: a fair-use cap below the average user's usage (every user is cut).
- ``request-beyond-context``: tokens per request above the longest context of any catalog model.
- ``step-after-horizon``: a schedule's step dated after the plan's last month (it never applies).
- ``event-after-horizon``: a dated event — a funding round, a training run, a competitor's price
  cut, a segment's launch, a partner share's first month — after the plan's last month.
- ``growth-beyond-segment``: a business segment too small for its ``recent_growth_per_month``
  (its growth path needs more pipeline than it has accounts not yet deployed).
- ``growth-beyond-market``: a consumer market with too few people left for its
  ``recent_growth_per_month`` (month 1 needs more new adopters than the market not yet reached).
- ``rate-beyond-100x``: a growth or change rate above +10,000% a period (its 95th percentile).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from dataclasses import field as _field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import BaseModel

from ..engine import Results, iter_leaves, iter_schedules, section_of, simulate
from ..engine.inputs import Params
from ..errors import ScenarioError, show
from ..format import compact, money, money_exact, pct, pct_sig
from ..models.distributions import Domain
from ..scenario.checks import line_of
from ..scenario.loader import parse_yaml, read_plan

LINT_SAMPLES = 500
"""Samples of the simulation ``breakeven validate`` lints (with the plan's seed): enough for a
median and a 50% share to within a few points, in 0.03–0.2 s for a shipped template."""

DATA_FILE = "revenue_per_employee.yaml"


# ---------------------------------------------------------------------------- warnings


@dataclass
class PlanWarning:
    """One warning: ``code`` (which rule), ``field`` (dotted path to check), ``message`` (what is
    implausible), ``value`` (what the plan implies, as shown after "got"), ``check`` (what to
    look at), and where: ``file`` and ``line`` (None when the plan has no file). ``facts``: the
    numbers and names the sentences are made of, for reports that tell them in another language
    (each rule's own keys; not in :meth:`to_dict`)."""

    code: str
    field: str
    message: str
    value: str | None = None
    check: str = ""
    file: str = "<scenario>"
    line: int | None = None
    facts: dict[str, Any] = _field(default_factory=dict)

    @property
    def text(self) -> str:
        """The message with what the plan implies and what to check."""
        got = f" (got {self.value})" if self.value is not None else ""
        check = f"; check {self.check}" if self.check else ""
        return f"{self.message}{got}{check}"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field or '(document)'}: warning: {self.text}"

    def to_dict(self) -> dict[str, Any]:
        """For JSON output: ``{code, message, field, line}``."""
        return {"code": self.code, "message": self.text, "field": self.field, "line": self.line}


Rule = Callable[[Any, Results], "PlanWarning | None"]
RULES: dict[str, Rule] = {}
"""Every rule by code, in the order they run."""


def rule(code: str) -> Callable[[Rule], Rule]:
    """Register a rule under ``code``."""

    def register(fn: Rule) -> Rule:
        RULES[code] = fn
        return fn

    return register


# ---------------------------------------------------------------------------- entry points


def lint(
    scenario: Any, results: Results, lines: dict[tuple[str, ...], int] | None = None
) -> list[PlanWarning]:
    """Every rule's warning for ``scenario`` given its ``results``, located by ``lines`` (the
    loader's map from path to line; default: read again from the plan's file, if it has one)."""
    found = [w for fn in RULES.values() if (w := fn(scenario, results)) is not None]
    if not found:
        return []
    if lines is None:
        lines = line_map(scenario)
    for w in found:
        w.file = str(scenario.source)
        w.line = line_of(lines, tuple(w.field.split("."))) if w.field else None
    return found


def lint_plan(scenario: Any, samples: int = LINT_SAMPLES) -> list[PlanWarning]:
    """Simulate ``samples`` samples with the plan's seed (ledger kept) and lint the plan."""
    results = simulate(scenario, samples=samples, keep_ledger=samples)
    return lint(scenario, results)


def line_map(scenario: Any) -> dict[tuple[str, ...], int]:
    """The loader's map from path to line for the plan's file ({} if it has none, or the file
    no longer reads)."""
    source = str(getattr(scenario, "source", "<scenario>"))
    if not Path(source).is_file():
        return {}
    try:
        return parse_yaml(read_plan(source), source)[1]
    except ScenarioError:  # the file changed since it was loaded
        return {}


# ---------------------------------------------------------------------------- reference data


@cache
def reference() -> dict[str, Any]:
    """``data/revenue_per_employee.yaml`` (cached; read-only): rows checked for ``source`` and
    ``as_of``."""
    text = resources.files("breakeven.analysis").joinpath("data", DATA_FILE).read_text("utf-8")
    # libyaml's loader when PyYAML has it (as the compute catalog reads its files): the same
    # data, several times faster than pure Python — validate reads this file on every run
    data: dict[str, Any] = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    for section in ("revenue_per_employee", "usd_fallback_rates"):
        for row in data[section]:
            if not row.get("source") or not row.get("as_of"):  # pragma: no cover - shipped file
                raise ValueError(f"{DATA_FILE} {section}: a row without source or as_of: {row}")
    return data


def credible_range() -> tuple[dict[str, Any], dict[str, Any]]:
    """The lowest and highest credible published revenue per employee (rows of the data file)."""
    rows = [r for r in reference()["revenue_per_employee"] if r.get("credible")]
    rows.sort(key=lambda r: float(r["usd_per_employee_per_year"]))
    return rows[0], rows[-1]


def usd_rate(scenario: Any) -> tuple[float, str] | None:
    """Units of the plan's currency per US dollar, and where it comes from: 1 for a USD plan, the
    median of ``fx.USD``, else the data file's fallback (Federal Reserve G.5A); None if unknown."""
    currency = str(scenario.currency).upper()
    if currency == "USD":
        return 1.0, "USD"
    for code, value in (scenario.fx or {}).items():
        if str(code).upper() == "USD":
            return float(value.median), "fx.USD"
    for row in reference()["usd_fallback_rates"]:
        if row["currency"] == currency:
            return float(row["per_usd"]), f"{DATA_FILE} (as of {row['as_of']})"
    return None


# ---------------------------------------------------------------------------- helpers


def _median(values: Any) -> float:
    """The median of finite ``values`` (the mean of the two middle ones for an even count), as
    ``np.median`` gives it, without the masked-array module ``np.median`` imports on its first
    call (5 ms of every ``validate``)."""
    a = np.sort(np.asarray(values, dtype=float), axis=None)
    mid = a.size // 2
    return float(a[mid]) if a.size % 2 else float((a[mid - 1] + a[mid]) / 2.0)


def _revenue_lines(results: Results, buyer: bool = False) -> list[str]:
    """Detail revenue lines of the plan (a buyer's benefit excluded unless ``buyer``)."""
    out = []
    for name in results.detail_lines:
        if not name.startswith("revenue."):
            continue
        row = results.outputs[name] if name in results.outputs else None
        if not buyer and row is not None and row.audience == "buyer":
            continue
        out.append(name)
    return out


def _section_booking(scenario: Any, line: str) -> str:
    """The section of the block that books ``line`` (``streams.subscription``), else ``streams``."""
    for block in scenario.build_blocks():
        if line in block.books and block.section:
            return str(block.section)
    return "streams"


# ---------------------------------------------------------------------------- rules

FIRST_MONTH_SHARE = 0.5


@rule("first-month-breakeven")
def first_month_breakeven(scenario: Any, results: Results) -> PlanWarning | None:
    """EBITDA ≥ 0 with positive revenue in month 1 (``breakeven_month == 1``) in at least
    :data:`FIRST_MONTH_SHARE` of the samples, i.e. in the median outcome.

    The threshold is the median outcome. A new product starts with its costs (people, serving,
    marketing) before its customers; even the AI companies that have published accounts lost
    several times their revenue years in (Hong Kong prospectuses: MiniMax a net loss of $465M on
    $30.5M of revenue in 2024, Zhipu RMB 2.96B on RMB 312M). Month-1 break-even in the median
    outcome usually
    means the plan starts with a business already built — users, accounts in the budgeted stage
    or a conversion that applies at once. Points to the stream with the largest month-1 revenue
    (mean over all samples).
    """
    bm = results.metrics.get("breakeven_month")
    if bm is None or len(bm) == 0:
        return None
    share = float(np.mean(bm == 1))
    if share < FIRST_MONTH_SHARE:
        return None
    revenue = {n: float(results.monthly_mean(n)[0]) for n in _revenue_lines(results, buyer=True)}
    if not revenue:
        return None
    top = max(revenue, key=lambda n: revenue[n])
    section = _section_booking(scenario, top)
    fields = [section]
    if section_of(scenario, "market.business") is not None:
        fields.append("market.business.segments.*.stage_mix")
    if section_of(scenario, "market.consumer") is not None:
        fields.append("market.consumer.existing_users")
    return PlanWarning(
        "first-month-breakeven",
        section,
        f"EBITDA is ≥ 0 with revenue already in month 1 in {pct(share)} of samples; break-even "
        "from the first month is unusual for any new product",
        f"month-1 revenue {money(sum(revenue.values()), results.currency)}, most of it "
        f"{top} {money(revenue[top], results.currency)}",
        f"the starting state (stage_mix, starting users) and conversion: {', '.join(fields)}",
        facts={
            "share": share,
            "revenue": sum(revenue.values()),
            "top": top,
            "top_revenue": revenue[top],
            "currency": results.currency,
            "fields": fields,
        },
    )


HIGH_MULTIPLE = 3.0
LOW_FRACTION = 0.1
LOW_MIN_HORIZON = 24


@rule("revenue-per-employee")
def revenue_per_employee(scenario: Any, results: Results) -> PlanWarning | None:
    """Annualised revenue in the last month ÷ headcount that month (median over kept samples),
    in US dollars, far outside the published range of ``data/revenue_per_employee.yaml``:

    - above :data:`HIGH_MULTIPLE` × the highest credible figure (NVIDIA, ~$3.6M per employee in
      FY2025: revenue $130.5B, ~36,000 employees), or
    - below :data:`LOW_FRACTION` × the lowest (private SaaS companies under $1M ARR, median
      $25,750 per employee: SaaS Capital 2022), when the horizon is at least
      :data:`LOW_MIN_HORIZON` months (the published figures are of companies already selling;
      a plan that ends within its first two years may still be before its revenue).

    Run-rate and press estimates of private labs (OpenAI, Anthropic, Midjourney) are in the file
    for context, not in the range. Revenue excludes a buyer's benefit (``revenue.productivity``).
    Skipped without headcount (``company.team``) or without a rate to US dollars.
    """
    if "headcount" not in results.kpi_names or results.kept == 0:
        return None
    names = _revenue_lines(results)
    if not names:
        return None
    heads = results.kpi("headcount")[:, -1].astype(float)
    if _median(heads) <= 0:
        return None
    rate = usd_rate(scenario)
    if rate is None:
        return None
    annual = np.sum([results.line(n)[:, -1] for n in names], axis=0) * 12.0
    ok = heads > 0
    per_person = _median(annual[ok] / heads[ok])
    usd = per_person / rate[0]
    low, high = credible_range()
    hi_usd, lo_usd = (
        float(high["usd_per_employee_per_year"]),
        float(low["usd_per_employee_per_year"]),
    )
    cur = results.currency
    facts: dict[str, Any] = {
        "per_person": per_person,
        "usd": usd,
        "currency": cur,
        "month": results.months,
        "monthly_revenue": _median(annual) / 12,
        "people": _median(heads),
    }
    if usd > HIGH_MULTIPLE * hi_usd:
        facts |= {"side": "high", "multiple": HIGH_MULTIPLE, "reference": high}
        what = (
            f"revenue per employee at the horizon end is more than {HIGH_MULTIPLE:g}× the highest "
            f"published figure ({money(hi_usd, 'USD')}, {high['company']} {high['year']})"
        )
        check = "company.team (headcount for this revenue) and the streams' prices and volumes"
    elif results.months >= LOW_MIN_HORIZON and usd < LOW_FRACTION * lo_usd:
        facts |= {"side": "low", "fraction": LOW_FRACTION, "reference": low}
        what = (
            f"revenue per employee at the horizon end is below 1/{1 / LOW_FRACTION:g} of the lowest "
            f"published figure ({money(lo_usd, 'USD')}, {low['company']} {low['year']})"
        )
        check = "company.team (headcount) against the revenue the plan reaches"
    else:
        return None
    # formatted only for a warning: the currency symbols load CLDR data (10 ms of a validate)
    plan_value = (
        money(per_person, cur)
        if cur == "USD"
        else f"{money(per_person, cur)} ≈ {money(usd, 'USD')}"
    )
    got = (
        f"{plan_value} a year per person in month {results.months}: "
        f"{money(facts['monthly_revenue'], cur)} a month, {facts['people']:,.0f} people"
    )
    return PlanWarning("revenue-per-employee", "company.team", what, got, check, facts=facts)


MAX_GROSS_MARGIN = 0.95
MARGIN_MONTHS = 12


USAGE_REVENUE = (
    "revenue.subscription",
    "revenue.api",
    "revenue.top_ups",
    "revenue.enterprise_seats",
    "revenue.metered",
    "revenue.device_subscriptions",
)
"""Revenue that sells the use of the model: its serving cost grows with it."""
SERVING_HEAVY_SHARE = 0.5
"""A plan is serving-heavy when at least this share of its revenue sells the use of the model."""


@rule("serving-gross-margin")
def serving_gross_margin(scenario: Any, results: Results) -> PlanWarning | None:
    """Median gross margin (gross profit ÷ revenue, summed over the last :data:`MARGIN_MONTHS`
    months of each kept sample) above :data:`MAX_GROSS_MARGIN` in a serving-heavy plan: one that
    serves tokens (``input_tokens``/``output_tokens`` > 0, or a ``cogs.inference`` line) and
    earns at least half its revenue from selling their use (:data:`USAGE_REVENUE`), not from
    advertising, commission or devices, which serving does not scale with.

    Published gross margins of businesses that serve models are far lower: Bessemer's State of
    AI 2025 (~25% for its "Supernovas", ~60% for "Shooting Stars"), Zhipu 56.3% in 2024 (Hong
    Kong prospectus), MiniMax 12.2% in 2024, Anthropic ~40% (as reported from investor
    documents); even NVIDIA, which sells the chips, guided 73.5% for its fiscal Q4 2025. Above
    95%, serving is
    nearly free: usage too low, or serving prices too low, for the tokens the plan sells.
    """
    if results.kept == 0 or "gross_profit" not in results.lines:
        return None
    tokens = any(
        k in results.kpi_names and float(np.max(results.kpi(k))) > 0
        for k in ("input_tokens", "output_tokens")
    )
    if not (tokens or "cogs.inference" in results.lines):
        return None
    months = min(MARGIN_MONTHS, results.months)
    rev = results.line("revenue")[:, -months:].sum(axis=1)
    gp = results.line("gross_profit")[:, -months:].sum(axis=1)
    usage = sum(
        (results.line(k)[:, -months:].sum(axis=1) for k in USAGE_REVENUE if k in results.lines),
        np.zeros(results.kept),
    )
    ok = rev > 0
    if not ok.any():
        return None
    if _median(usage[ok] / rev[ok]) < SERVING_HEAVY_SHARE:
        return None  # revenue mostly from what serving does not scale with (ads, commission)
    margin = _median(gp[ok] / rev[ok])
    if not margin > MAX_GROSS_MARGIN:
        return None
    return PlanWarning(
        "serving-gross-margin",
        "compute.serving",
        f"gross margin over the last {months} months is above {pct(MAX_GROSS_MARGIN)} although "
        "the plan serves tokens: usage or serving prices look too low",
        pct_sig(margin),
        "compute.serving (prices per token or GPU) and the usage per user "
        "(requests and tokens per request)",
        facts={"months": months, "threshold": MAX_GROSS_MARGIN, "margin": margin},
    )


CAC_FLOOR_USD = 0.01
CAC_FIELD = "market.consumer.paid_acquisition.cost_per_user"


@rule("cac-below-cent")
def cac_below_cent(scenario: Any, results: Results) -> PlanWarning | None:
    """``market.consumer.paid_acquisition.cost_per_user`` (median) below one US cent
    (:data:`CAC_FLOOR_USD`, converted to the plan's currency; one cent of the plan's currency if
    no rate is known).

    Published costs to acquire a user are dollars, not cents (the shipped templates use ¥12–¥50
    per AI-app user, as reported for 2024); a CAC below a cent is usually a way to add the users
    a plan starts with, through the marketing budget.
    """
    cac = section_of(scenario, CAC_FIELD)
    if cac is None:
        return None
    rate = usd_rate(scenario)
    floor = CAC_FLOOR_USD * (rate[0] if rate else 1.0)
    value = float(cac.median)
    if not value < floor:
        return None
    cur = str(scenario.currency)
    decimals = max(2, min(8, 1 - math.floor(math.log10(value)))) if value > 0 else 2
    return PlanWarning(
        "cac-below-cent",
        CAC_FIELD,
        f"paid acquisition costs less than a cent per user ({money_exact(floor, cur, decimals=4)}); "
        "often a way to add starting users",
        f"{show(cac.raw)}, median {money_exact(value, cur, decimals=decimals)}",
        f"{CAC_FIELD}; for users the plan starts with, use market.consumer.existing_users",
        facts={
            "floor": floor,
            "currency": cur,
            "raw": show(cac.raw),
            "median": value,
            "decimals": decimals,
        },
    )


# ---------------------------------------------------------------------------- magnitudes
# Rules on the plan's inputs alone: a value no real business has, usually a unit or a typo (a
# market in requests instead of people, seats as a share, tokens a month instead of a request).


def _leaves_named(scenario: Any, names: tuple[str, ...], under: str = "") -> list[tuple[str, Any]]:
    """(dotted path, leaf) of every uncertain input whose field is one of ``names``, under the
    dotted prefix ``under``, in the plan's order."""
    return [
        (".".join(loc), leaf)
        for loc, leaf in iter_leaves(scenario)
        if loc and loc[-1] in names and ".".join(loc).startswith(under)
    ]


def _first_above(
    leaves: list[tuple[str, Any]], limit: float, below: bool = False
) -> tuple[str, Any, int] | None:
    """The first leaf whose median is above ``limit`` (below it with ``below``), and how many
    leaves are, or None."""
    hits = [
        (path, leaf)
        for path, leaf in leaves
        if (leaf.median < limit if below else leaf.median > limit)
    ]
    return (*hits[0], len(hits)) if hits else None


def _written(leaf: Any) -> str:
    """An input as the plan wrote it (``80B``, ``1B to 9B``, ``0.3``), without quotes."""
    return leaf.raw if isinstance(leaf.raw, str) else show(leaf.raw)


def _others(count: int) -> str:
    return f" ({count - 1} more field{'s' if count > 2 else ''} like it)" if count > 1 else ""


WORLD_POPULATION = 8.2e9
"""People alive in mid-2024: 8.2 billion (United Nations, World Population Prospects 2024,
https://population.un.org/wpp/, as of 2024-07-01)."""
PEOPLE_FIELDS = ("market_size", "existing_users", "lapsed_users")


@rule("people-beyond-world")
def people_beyond_world(scenario: Any, results: Results) -> PlanWarning | None:
    """A consumer count of people (``market.consumer.market_size``, ``existing_users``,
    ``lapsed_users``; median) above the world's population, :data:`WORLD_POPULATION` (United
    Nations, World Population Prospects 2024: 8.2 billion people in mid-2024).

    These fields count people: no product reaches more than everyone alive. A count this large
    is usually a count of something else — requests, sessions, page views, tokens — or a wrong
    suffix (``8B`` for eight billion people is the whole world; ``80B`` is not a market).
    """
    hit = _first_above(_leaves_named(scenario, PEOPLE_FIELDS, "market.consumer."), WORLD_POPULATION)
    if hit is None:
        return None
    path, leaf, count = hit
    return PlanWarning(
        "people-beyond-world",
        path,
        "counts more people than live on Earth (8.2 billion, UN World Population Prospects "
        f"2024){_others(count)}",
        f"{_written(leaf)}, median {compact(leaf.median)}",
        f"{path}: it counts people (users), not requests, sessions or tokens",
        facts={"raw": _written(leaf), "median": float(leaf.median), "more": count - 1},
    )


@rule("seats-below-one")
def seats_below_one(scenario: Any, results: Results) -> PlanWarning | None:
    """A business segment's ``seats_per_account`` (median) below one.

    ``seats_per_account`` is how many people at one customer could use the product — at least
    the one who signs. Below one it is usually a share written where a count belongs (the share
    of employees who will adopt is ``resistance``'s complement, and the seats actually paid for
    follow from the within-account adoption).
    """
    hit = _first_above(
        _leaves_named(scenario, ("seats_per_account",), "market.business."), 1.0, below=True
    )
    if hit is None:
        return None
    path, leaf, count = hit
    return PlanWarning(
        "seats-below-one",
        path,
        f"an account has less than one seat{_others(count)}",
        f"{_written(leaf)}, median {compact(leaf.median)}",
        f"{path}: the people at one customer who could use the product (a count, not a share)",
        facts={"raw": _written(leaf), "median": float(leaf.median), "more": count - 1},
    )


@rule("cap-below-mean")
def cap_below_mean(scenario: Any, results: Results) -> PlanWarning | None:
    """A fair-use ``cap_multiple_of_mean`` (median) below 1: no user may use even the average,
    so every user is cut and the plan serves less than its own usage says (E[min(X, c)] < c < 1
    times the mean, :func:`breakeven.models.usage.capped_mean_factor`). A cap is a multiple of
    the mean (3 = three times the average user); below 1 it is usually a share written where a
    multiple belongs, or a cap meant as "50% above the mean" (1.5).
    """
    hit = _first_above(_leaves_named(scenario, ("cap_multiple_of_mean",)), 1.0, below=True)
    if hit is None:
        return None
    path, leaf, count = hit
    return PlanWarning(
        "cap-below-mean",
        path,
        f"the fair-use cap is below the average user's usage, so every user is cut{_others(count)}",
        f"{_written(leaf)}, median {compact(leaf.median)}",
        f"{path}: a multiple of the mean usage (3 = three times the average user)",
        facts={"raw": _written(leaf), "median": float(leaf.median), "more": count - 1},
    )


REQUEST_FIELDS = ("input_tokens_per_request", "output_tokens_per_request")
CONTEXT_FLOOR = 131072  # no catalog model has less: below it no catalog lookup is needed


def longest_context() -> tuple[int, str]:
    """The longest context of any model in the model catalog, and the model's name (its row in
    ``compute/data/models.yaml`` carries the source)."""
    from ..compute.models import list_models  # the catalog only when a request is that long

    return max((int(m.max_context or 0), m.name) for m in list_models())


@rule("request-beyond-context")
def request_beyond_context(scenario: Any, results: Results) -> PlanWarning | None:
    """A usage's ``input_tokens_per_request`` or ``output_tokens_per_request`` (median) above the
    longest context window of any model in the catalog (:func:`longest_context`: 10,485,760
    tokens, Llama 4 Scout, Meta's model card of 2025-04-05).

    One request's prompt and answer must fit in the model's context; no model in the catalog
    takes more. A figure this large is usually tokens per user per day or per month written as
    per request (requests_per_day multiplies it again).
    """
    leaves = [
        (p, leaf)
        for p, leaf in _leaves_named(scenario, REQUEST_FIELDS)
        if leaf.median > CONTEXT_FLOOR
    ]
    if not leaves:
        return None
    tokens, model = longest_context()
    hit = _first_above(leaves, float(tokens))
    if hit is None:
        return None
    path, leaf, count = hit
    return PlanWarning(
        "request-beyond-context",
        path,
        f"one request holds more tokens than any model's context ({tokens:,}, {model})"
        f"{_others(count)}",
        f"{_written(leaf)}, median {compact(leaf.median)}",
        f"{path}: tokens of ONE request (per day or per month belongs in requests_per_day)",
        facts={
            "raw": _written(leaf),
            "median": float(leaf.median),
            "more": count - 1,
            "tokens": tokens,
            "model": model,
        },
    )


__all__ = [
    "LINT_SAMPLES",
    "RULES",
    "PlanWarning",
    "credible_range",
    "line_map",
    "lint",
    "lint_plan",
    "reference",
    "sampled_params",
    "usd_rate",
]


@rule("step-after-horizon")
def step_after_horizon(scenario: Any, results: Results) -> PlanWarning | None:
    """A schedule's step (``{0: 49, 25: 39}``: from month 25 on) dated after the plan's last
    month, ``horizon_months``: it never applies. Usually a step written in days or in calendar
    months (2026-03 is month 13 of a plan starting 2025-03, not month 202603), or a horizon
    shortened after the schedule was written."""
    horizon = int(scenario.horizon_months)
    late = [
        (".".join((*loc, str(month))), month)
        for loc, sched in iter_schedules(scenario)
        for month, _ in sched.steps
        if month > horizon
    ]
    if not late:
        return None
    path, month = late[0]
    return PlanWarning(
        "step-after-horizon",
        path,
        f"this step starts after the plan's last month ({horizon}): it never applies"
        f"{_others(len(late))}",
        f"month {month}",
        f"{path}: months count from 1 at the plan's start, up to horizon_months",
        facts={"month": month, "horizon": horizon, "more": len(late) - 1},
    )


PERIOD_ENDS = ("until_month",)
"""Month fields that end a period rather than date an event (a partner share paid "until month
120" of a 60-month plan is paid to the end)."""


def _dated_events(obj: Any, loc: tuple[str, ...] = ()) -> Iterator[tuple[str, int]]:
    """(path, month) of every whole-month field (unit ``month``) of the plan: the month a round
    arrives, a run starts, a cut takes effect, a segment launches…, in field order."""
    if isinstance(obj, BaseModel):
        for name, f in type(obj).model_fields.items():
            v = getattr(obj, name, None)
            extra = f.json_schema_extra
            if isinstance(extra, dict) and extra.get("unit") == "month":
                if isinstance(v, int) and not isinstance(v, bool) and name not in PERIOD_ENDS:
                    yield ".".join((*loc, name)), v
            else:
                yield from _dated_events(v, (*loc, name))
    elif isinstance(obj, list):
        for i, x in enumerate(obj):
            yield from _dated_events(x, (*loc, str(i)))


@rule("event-after-horizon")
def event_after_horizon(scenario: Any, results: Results) -> PlanWarning | None:
    """A dated event (a funding round's ``month``, a training run's, a competitor price cut's, a
    segment's ``launch_month``, a partner share's ``from_month``) after the plan's last month,
    ``horizon_months``: it never happens in the simulation, so a round the plan counts on, or
    a run it must pay for, is silently absent. Usually a horizon shortened after the plan was
    written, or a month written as a calendar month. (A milestone after the horizon is an
    error: its probability would be reported.)"""
    horizon = int(scenario.horizon_months)
    late = [(path, month) for path, month in _dated_events(scenario) if month > horizon]
    if not late:
        return None
    path, month = late[0]
    return PlanWarning(
        "event-after-horizon",
        path,
        f"this happens after the plan's last month ({horizon}): the simulation never reaches it"
        f"{_others(len(late))}",
        f"month {month}",
        f"{path}: months count from 1 at the plan's start, up to horizon_months",
        facts={"month": month, "horizon": horizon, "more": len(late) - 1},
    )


# ---------------------------------------------------------------------------- growth


def sampled_params(results: Results) -> Params:
    """The inputs ``results`` drew, as the blocks read them (random inputs per sample, the
    others at their one value)."""
    n, table = results.samples, results.input_table
    values = {
        k: np.full(n, float(inp.dist.ppf(np.array([0.5]))[0]))
        if inp.dist.is_point
        else np.asarray(results.inputs[k], dtype=float)
        for k, inp in table.items()
    }
    return Params(values, n, table)


@rule("growth-beyond-segment")
def growth_beyond_segment(scenario: Any, results: Results) -> PlanWarning | None:
    """A business segment whose ``recent_growth_per_month`` needs a larger pipeline than it has
    accounts: in the median sample the exploring, piloting and budgeted accounts of its balanced
    growth path (Sterman 2000, *Business Dynamics*, ch. 12; ``pipeline_on_growth_path``) are
    more than the accounts not yet deployed.

    The stages are then scaled down to the accounts there are, so the signings fall short of the
    stated growth from the first month and the growth fades at once: the plan does not say what
    it seems to. Usually ``accounts`` counts only today's customers instead of every organisation
    that could buy, or the growth is that of seats (people inside accounts), which
    ``seat_innovation_per_month`` and ``seat_imitation_per_month`` carry, not of accounts.
    """
    spec = section_of(scenario, "market.business")
    if spec is None or all(s.recent_growth_per_month is None for s in spec.segments):
        return None
    from ..blocks.business import BusinessMarketBlock

    block = BusinessMarketBlock(spec, scenario)
    p = sampled_params(results)
    short = []
    for i, seg in enumerate(spec.segments):
        if seg.recent_growth_per_month is None:
            continue
        room = float(np.median(block.growth_room(p, seg, scenario.horizon_months)))
        if room < 1.0:
            short.append((i, seg, room))
    if not short:
        return None
    i, seg, room = short[0]
    path = f"market.business.segments.{i}.recent_growth_per_month"
    name = seg.name or f"segment {i + 1}"
    return PlanWarning(
        "growth-beyond-segment",
        path,
        f"segment {name!r} is too small for its stated growth: its growth path needs a pipeline "
        "of exploring, piloting and budgeted accounts larger than the accounts not yet deployed, "
        f"so the pipeline is scaled down and the growth fades from month 1{_others(len(short))}",
        f"{_written(seg.recent_growth_per_month)} a month; the accounts not yet deployed are "
        f"{pct(room)} of the pipeline it needs, in the median sample",
        f"market.business.segments.{i}.accounts (every organisation that could buy, not only "
        "today's customers) and whether the growth is of accounts or of seats inside them",
        facts={
            "segment": name,
            "raw": _written(seg.recent_growth_per_month),
            "room": room,
            "more": len(short) - 1,
            "accounts_field": f"market.business.segments.{i}.accounts",
        },
    )


@rule("start-beyond-segment")
def start_beyond_segment(scenario: Any, results: Results) -> PlanWarning | None:
    """A business segment whose starting ARR (``deployed_arr``) or paid seats
    (``deployed_paid_seats``) reads as more deployed accounts than the segment has: in the
    median sample, the count ÷ one starting account's revenue or paid seats (at
    ``deployed_account_age_months`` on the adoption curve) is above ``accounts``.

    The starting accounts are then cut to the segment's accounts, so the run starts from less
    revenue or fewer seats than the plan states, without an error (a ``deployed_accounts``
    above ``accounts`` is one, but these counts are read through the adoption curve, known only
    per sample). Usually the accounts are too few, or the starting accounts are younger on
    their curve than they are, holding fewer seats each than the count implies.
    """
    spec = section_of(scenario, "market.business")
    if spec is None:
        return None
    from ..blocks.business import BusinessMarketBlock

    block = BusinessMarketBlock(spec, scenario)
    p = sampled_params(results)
    over = []
    for i, seg in enumerate(spec.segments):
        field = (
            "deployed_arr"
            if seg.deployed_arr is not None
            else "deployed_paid_seats"
            if seg.deployed_paid_seats is not None
            else None
        )
        if field is None:
            continue
        implied = block.implied_starting_accounts(p, seg, scenario.horizon_months)
        ratio = float(np.median(implied / p[seg.accounts]))
        if ratio > 1.0:
            over.append((i, seg, field, ratio))
    if not over:
        return None
    i, seg, field, ratio = over[0]
    name = seg.name or f"segment {i + 1}"
    raw = _written(getattr(seg, field))
    return PlanWarning(
        "start-beyond-segment",
        f"market.business.segments.{i}.{field}",
        f"segment {name!r} starts from more deployed accounts than it has: its {field} reads as "
        "accounts of deployed_account_age_months on the adoption curve, more than accounts, so "
        f"the start is cut to all of them and the run starts below the stated count"
        f"{_others(len(over))}",
        f"{raw}; {ratio:.2f}× the segment's accounts, in the median sample",
        f"market.business.segments.{i}.accounts and deployed_account_age_months (older "
        "accounts hold more seats each)",
        facts={"segment": name, "field": field, "raw": raw, "ratio": ratio, "more": len(over) - 1},
    )


@rule("growth-beyond-market")
def growth_beyond_market(scenario: Any, results: Results) -> PlanWarning | None:
    """A consumer market whose ``recent_growth_per_month`` needs more new adopters in month 1
    than it has people left: in the median sample, market_size − active users − the lapsed
    pool (people who used the product and left, who return but are not new) is below the
    organic adopters the growth needs (``ConsumerMarketBlock.growth_room``).

    The simulation then has the lapsed carry the rest, coming back faster than
    reactivation_per_month (``reactivation_for_growth``), and the growth fades as they run out
    (in some samples too few are lapsed, or none, to make it up): the plan's market, churn and return
    rates contradict the growth it states. Usually market_size is too small for the users the
    plan starts from (counted by ``users_counted_as``, converted to monthly users), or the churn
    and reactivation rates leave a lapsed pool larger than the people the market has.
    """
    spec = section_of(scenario, "market.consumer")
    if spec is None or spec.recent_growth_per_month is None:
        return None
    from ..blocks.consumer import ConsumerMarketBlock

    block = ConsumerMarketBlock(spec, scenario)
    p = sampled_params(results)
    rooms = block.growth_room(p)
    room = float(np.median(rooms))
    if not room < 1.0:
        return None
    rate = block.returning_rate(p)
    planned = np.broadcast_to(p[spec.reactivation_per_month], rate.shape)
    capped = float(np.mean(block.growth_unmet(p)))
    raw = _written(spec.recent_growth_per_month)
    value = (
        f"{raw} a month; the people left are {pct(room)} of the new users it needs, and the "
        f"lapsed come back at {pct_sig(float(np.median(rate)))} a month instead of "
        f"{pct_sig(float(np.median(planned)))}, in the median sample"
    )
    if capped > 0:
        value += (
            f"; in {pct(capped)} of samples too few are lapsed (or none) to make it up, and "
            "the users grow less than stated, or shrink"
        )
    return PlanWarning(
        "growth-beyond-market",
        "market.consumer.recent_growth_per_month",
        "the market has too few people left for the stated growth: month 1 needs more new users "
        "than the market not yet reached (market_size minus the active and the lapsed users), "
        "so the rest comes from lapsed users coming back faster than reactivation_per_month "
        "says, and the growth fades as they run out",
        value,
        "market.consumer.market_size (everyone who could use the product), the users the plan "
        "starts from, and churn_per_month and reactivation_per_month (the lapsed pool)",
        facts={
            "raw": raw,
            "room": room,
            "rate": float(np.median(rate)),
            "planned": float(np.median(planned)),
            "capped": capped,
        },
    )


RATE_WARN = 100.0
"""+10,000% per period (101×): the old hard limit of a rate, now a warning (the limit is
:data:`~breakeven.models.distributions.MAX_RATE`)."""


def _period(path: str) -> str:
    """The period a rate field counts per, from its name (``…_per_year``, ``…_per_month``)."""
    last = path.rsplit(".", 1)[-1]
    return "year" if last.endswith("per_year") else "month" if last.endswith("per_month") else ""


@rule("rate-beyond-100x")
def rate_beyond_100x(scenario: Any, results: Results) -> PlanWarning | None:
    """A growth or change rate (a ``Rate`` field: ``recent_growth_per_month``, a schedule's
    ``change_per_year``, a price change) whose 95th percentile is above :data:`RATE_WARN`,
    +10,000% a period (more than a hundredfold).

    Published growth does reach that for a while: Doubao's tokens rose from 120 billion to 1.3
    trillion a day between May and September 2024, 81% a month or 1,271× a year (Volcano Engine,
    Shenzhen, 2024-09; https://aicnews.cn/keji/moxing/17951.html). Held for a whole plan it
    compounds past any market, and a rate this large is as often a rate per month written as
    one per year, or a percentage written without its % (``50`` is +5,000%). Above +1,000,000%
    a period the plan is refused (:data:`~breakeven.models.distributions.MAX_RATE`).
    """
    hits = [
        (".".join(loc), leaf, high)
        for loc, leaf in iter_leaves(scenario)
        if leaf.domain is Domain.RATE
        and leaf.dist is not None
        and (high := float(leaf.dist.ppf(np.array([0.95]))[0])) > RATE_WARN
    ]
    if not hits:
        return None
    path, leaf, high = hits[0]
    period = _period(path)
    per = f" a {period}" if period else " a period"
    return PlanWarning(
        "rate-beyond-100x",
        path,
        f"changes by more than +10,000%{per} (over 100×): published growth this fast lasted only "
        "months (Doubao's tokens, 120B to 1.3T a day in four months of 2024), and held it "
        f"compounds past any market{_others(len(hits))}",
        f"{_written(leaf)}, 95th percentile +{high * 100:,.0f}%",
        f"{path}: the period it counts per (a rate per month is not one per year), and that a "
        "percentage has its % (50 is +5,000%)",
        facts={
            "raw": _written(leaf),
            "p95": high,
            "period": period,
            "more": len(hits) - 1,
        },
    )
