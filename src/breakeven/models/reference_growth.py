"""A reference class for growth a plan cannot state: how fast other AI products were growing,
as published before the plan's start (reference-class forecasting: Kahneman & Tversky 1979,
"Intuitive prediction: biases and corrective procedures"; Flyvbjerg 2006, "From Nobel Prize to
project management: getting risks right", Project Management Journal 37(3)).

A product whose recent trend is public states it (``recent_growth_per_month``, from its last two
counts). A product with one published count has no trend of its own; a template's adoption
rates, written for a new entrant, then stand in for it and say little about an established
product. ``recent_growth_per_month: reference`` takes instead the growth of the reference class:
the AI products whose counts were published before the plan starts (``data/ai_growth_counts.yaml``,
every count with its source, the month it counts and the day it was published).

The rule, fixed before it was first used on a validation plan:

* The counts of a family: users (``mau``, ``wau``, ``dau``, ``users``) for a consumer product,
  paying organisations (``business_accounts``) for a business segment, tokens a day
  (``tokens``) for an API stream's volume (added later, by the same rule). Only counts
  *published* before the start month's first day are known to the plan.
* Each product's growth is that of its latest pair of counts of one metric: its latest count,
  and the latest count at least :data:`MIN_SPAN_MONTHS` months before it (two counts a month
  apart, often from different sources, make a month's noise a growth):
  g = (later ÷ earlier)^(1 / months between) − 1. The later count must count a month at most
  :data:`RECENT_MONTHS` before the start (recent growth), and the earlier count at least
  :data:`MIN_USERS` users, :data:`MIN_ACCOUNTS` organisations or :data:`MIN_TOKENS_PER_DAY`
  tokens a day (an established product, not a launch). A count published as a bound ("over 100 million") counts as that number; of two
  counts of one month, the one published later.
* Counts are compared within one product's series and metric (a `series` is a count defined
  apart, as paid deals among all deals). Each product counts once: its latest pair. ln(1 + g)
  over the products is taken as normal (mean, sample standard deviation), and the 90% interval
  of one more product is exp(mean ± z sd) − 1, z = :func:`prediction_z` of the class's size
  (the prediction interval, 2.34 for five products; it was 1.645 until 2026-12-02, which
  leaves out what five products do not tell of the mean and spread) — the field's own ``a to
  b``. At least :data:`MIN_PRODUCTS`
  products are needed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from .distributions import MAX_RATE, RATE_ERROR, Z95

DATA_FILE = "ai_growth_counts.yaml"
FAMILIES = {
    "consumer": ("mau", "wau", "dau", "users"),
    "business": ("business_accounts",),
    "tokens": ("tokens",),
}
"""The metrics whose growth stands for each kind of field."""
METRICS = (
    *FAMILIES["consumer"],
    "business_accounts",
    "business_seats",
    "registered",  # people who ever signed up or used it (cumulative): not active users
    "subscribers",  # paying consumers
    "large_accounts",  # organisations above a spend or usage threshold: not all paying ones
    "tokens",  # a product's tokens a day
    "tokens_market",  # a country's or a market's tokens (statistics, trackers): not a product's
    "api_calls",  # API requests a day: not tokens
)
RECENT_MONTHS = 12
MIN_SPAN_MONTHS = 3
MIN_USERS = 1e6
MIN_ACCOUNTS = 100.0
MIN_TOKENS_PER_DAY = 1e9
FLOORS = {"consumer": MIN_USERS, "business": MIN_ACCOUNTS, "tokens": MIN_TOKENS_PER_DAY}
"""The earlier count of a pair must be at least this (an established product, not a launch)."""
MIN_PRODUCTS = 5


def prediction_z(n: int) -> float:
    """Half-width, in the class's sample standard deviations, of the 90% interval of one more
    member of a class of ``n`` taken as normal, its mean and spread estimated from those n:
    t(0.95; n − 1) · √(1 + 1/n) (the prediction interval: Hahn & Meeker 1991, *Statistical
    Intervals*, §4.7; Geisser 1993, *Predictive Inference*, ch. 2) — wider than ±1.645 by what
    the n do not tell of the mean and spread (2.34 for 5 products, 1.80 for 17). A plan's
    product is that one more member. The t quantile by the Cornish–Fisher expansion of
    Abramowitz & Stegun 26.7.5 in powers of 1/ν (within 2e-4 of scipy's for n ≥ 5, tested), so
    that ``validate`` needs no scipy.

    >>> round(prediction_z(5), 4), round(prediction_z(17), 4)
    (2.3351, 1.7965)
    """
    x, nu = Z95, float(n - 1)
    g1 = (x**3 + x) / 4.0
    g2 = (5 * x**5 + 16 * x**3 + 3 * x) / 96.0
    g3 = (3 * x**7 + 19 * x**5 + 17 * x**3 - 15 * x) / 384.0
    g4 = (79 * x**9 + 776 * x**7 + 1482 * x**5 - 1920 * x**3 - 945 * x) / 92160.0
    t = x + g1 / nu + g2 / nu**2 + g3 / nu**3 + g4 / nu**4
    return t * math.sqrt(1.0 + 1.0 / n)


class ReferenceClassError(ValueError):
    """The reference class cannot answer (too few products published before the start)."""


@dataclass(frozen=True)
class Count:
    """One published count of a product: ``value`` of ``metric`` in month ``as_of`` (its first
    day), made public on ``published``; ``series`` names a count defined apart from the
    product's others (paid deals among all deals), compared only with its own series."""

    product: str
    metric: str
    value: float
    as_of: date
    published: date
    source: str
    series: str = ""


@dataclass(frozen=True)
class Pair:
    """A product's latest count of one metric and the latest at least
    :data:`MIN_SPAN_MONTHS` before it, and the growth between them."""

    product: str
    metric: str
    earlier: Count
    later: Count

    @property
    def series(self) -> str:
        return self.later.series

    @property
    def months(self) -> int:
        return months_between(self.earlier.as_of, self.later.as_of)

    @property
    def growth_per_month(self) -> float:
        return float((self.later.value / self.earlier.value) ** (1.0 / self.months) - 1.0)


@dataclass(frozen=True)
class ReferenceGrowth:
    """The reference class's 90% interval of monthly growth (``low`` to ``high``, as a plan's
    ``a to b``) for ``family`` at ``start``, and the pairs it was made of."""

    family: str
    start: date
    low: float
    high: float
    pairs: tuple[Pair, ...]

    @property
    def median(self) -> float:
        return math.sqrt((1.0 + self.low) * (1.0 + self.high)) - 1.0

    @property
    def products(self) -> tuple[str, ...]:
        return tuple(p.product for p in self.pairs)

    def describe(self) -> str:
        """``1.2% to 18% a month: the latest growth of 21 AI products' users published before
        2025-03``."""
        what = {"consumer": "users", "business": "paying organisations", "tokens": "tokens"}[
            self.family
        ]
        return (
            f"{growth_text(self.low)} to {growth_text(self.high)} a month: the latest growth of "
            f"{len(self.pairs)} AI products' {what} published before "
            f"{self.start.year:04d}-{self.start.month:02d}"
        )


def growth_text(x: float) -> str:
    """A growth as a percentage, two significant figures (1.2%, 18%, -3.5%)."""
    return f"{float(f'{x * 100:.2g}'):g}%"


def per_period(low: float, high: float, months: int) -> tuple[float, float]:
    """A monthly growth interval as one over ``months`` months: (1 + g)^months − 1 at each end
    (the same 90% interval: ln(1 + g) scales by months).

    >>> [round(x, 4) for x in per_period(0.0, 0.1, 12)]
    [0.0, 2.1384]
    """
    return math.expm1(months * math.log1p(low)), math.expm1(months * math.log1p(high))


def months_between(a: date, b: date) -> int:
    """Whole calendar months from month ``a`` to month ``b``.

    >>> months_between(date(2024, 11, 1), date(2025, 2, 1))
    3
    """
    return (b.year - a.year) * 12 + (b.month - a.month)


def _month(x: Any) -> date:
    """A YAML month or day (``2024-05``, ``2024-05-14``, a date) as a date (a month: its 1st)."""
    if isinstance(x, date):
        return x
    text = str(x)
    y, m, *d = (int(p) for p in text.split("-"))
    return date(y, m, d[0] if d else 1)


def _published(x: Any) -> date:
    """When a count became public: a day, or a month (a year) read as its LAST day — it is not
    known to have been public before then.

    >>> _published("2024-02"), _published(2025), _published("2024-05-14")
    (datetime.date(2024, 2, 29), datetime.date(2025, 12, 31), datetime.date(2024, 5, 14))
    """
    if isinstance(x, date):
        return x
    parts = str(x).split("-")
    if len(parts) == 3:
        return _month(x)
    y, m = int(parts[0]), int(parts[1]) if len(parts) == 2 else 12
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


@cache
def counts() -> tuple[Count, ...]:
    """Every count in ``data/ai_growth_counts.yaml``, checked (metric, value > 0, dates, source)."""
    text = resources.files(__package__).joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    rows = yaml.safe_load(text)["counts"]
    out = []
    for i, r in enumerate(rows):
        where = f"{DATA_FILE}: counts.{i} ({r.get('product')})"
        if r.get("metric") not in METRICS:
            raise ValueError(f"{where}: metric must be one of {', '.join(METRICS)}")
        value = float(r["value"])
        if not value > 0 or not str(r.get("source") or "").strip():
            raise ValueError(f"{where}: needs a value above 0 and a source")
        c = Count(
            str(r["product"]),
            str(r["metric"]),
            value,
            _month(r["as_of"]),
            _published(r["published"]),
            str(r["source"]),
            str(r.get("series") or ""),
        )
        if c.published < c.as_of:
            raise ValueError(f"{where}: published before the month it counts")
        out.append(c)
    return tuple(out)


def latest_pairs(
    family: str, start: date, data: tuple[Count, ...] | None = None
) -> tuple[Pair, ...]:
    """Each product's latest eligible pair of the family's counts known before ``start`` (see
    the module's rule), one per product, by product name."""
    best: dict[str, Pair] = {}
    for (product, _, metric), series in _series(family, start, data).items():
        last = series[-1]
        before = [c for c in series if months_between(c.as_of, last.as_of) >= MIN_SPAN_MONTHS]
        if not before:
            continue
        pair = Pair(product, metric, before[-1], last)
        if months_between(pair.later.as_of, start) > RECENT_MONTHS:
            continue
        if pair.earlier.value < FLOORS[family]:
            continue
        held = best.get(product)  # one pair a product: its latest (the first series on ties)
        if held is None or pair.later.as_of > held.later.as_of:
            best[product] = pair
    return tuple(best[p] for p in sorted(best))


def _series(
    family: str, start: date, data: tuple[Count, ...] | None
) -> dict[tuple[str, str, str], list[Count]]:
    """The family's counts published before ``start``, by (product, series, metric), one count
    a month (of two, the later published), in month order; keys sorted."""
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; one of {', '.join(FAMILIES)}")
    known = sorted(
        (
            c
            for c in (counts() if data is None else data)
            if c.metric in FAMILIES[family] and c.published < start
        ),
        key=lambda c: (c.product, c.series, c.metric, c.as_of, c.published),
    )
    by_month: dict[tuple[str, str, str], dict[date, Count]] = {}
    for c in known:
        by_month.setdefault((c.product, c.series, c.metric), {})[c.as_of] = c
    return {key: [months[m] for m in sorted(months)] for key, months in sorted(by_month.items())}


def reference_growth(
    family: str, start: date, data: tuple[Count, ...] | None = None
) -> ReferenceGrowth:
    """The reference class's 90% interval of monthly growth for ``family`` at ``start``
    (:class:`ReferenceClassError` with fewer than :data:`MIN_PRODUCTS` products).

    >>> rows = tuple(Count(f"p{i}", "mau", v, date(2024, m, 1), date(2024, m, 28), "s")
    ...              for i, g in enumerate((0.0, 0.05, 0.1, 0.15, 0.2))
    ...              for m, v in ((1, 1e7), (4, 1e7 * (1 + g) ** 3)))
    >>> r = reference_growth("consumer", date(2024, 6, 1), rows)
    >>> len(r.pairs), round(r.pairs[2].growth_per_month, 6), r.describe()
    (5, 0.1, "-7.2% to 30% a month: the latest growth of 5 AI products' users published before 2024-06")
    """
    pairs = latest_pairs(family, start, data)
    if len(pairs) < MIN_PRODUCTS:
        known = [c.as_of for series in _series(family, start, data).values() for c in series]
        latest = f"; its latest count is of {max(known):%Y-%m}" if known else ""
        raise ReferenceClassError(
            f"only {len(pairs)} AI product{'s' if len(pairs) != 1 else ''} with two counts "
            f"published before {start.year:04d}-{start.month:02d} in the reference data, the "
            f"later within {RECENT_MONTHS} months of it (at least {MIN_PRODUCTS} needed"
            f"{latest})"
        )
    logs = [math.log1p(p.growth_per_month) for p in pairs]
    mean = sum(logs) / len(logs)
    sd = math.sqrt(sum((x - mean) ** 2 for x in logs) / (len(logs) - 1))
    z = prediction_z(len(pairs))
    return ReferenceGrowth(
        family, start, math.expm1(mean - z * sd), math.expm1(mean + z * sd), pairs
    )


# ------------------------------------------------------------------ persistence of a trend

MIN_TREND = 0.01
"""Smallest growth a month (of a plan's trend, and of a period a ratio is taken to): below it
a ratio of growths says nothing."""


@dataclass(frozen=True)
class Periods:
    """Two consecutive periods of one series of a product's counts (``first`` → ``middle`` →
    ``last``, each at least :data:`MIN_SPAN_MONTHS` long) and how the second's growth compares
    with the first's."""

    product: str
    metric: str
    first: Count
    middle: Count
    last: Count

    @property
    def before(self) -> float:
        """Growth a month over the first period."""
        return _growth(self.first, self.middle)

    @property
    def after(self) -> float:
        """Growth a month over the second period."""
        return _growth(self.middle, self.last)

    @property
    def ratio(self) -> float:
        """ln(1 + growth after) ÷ ln(1 + growth before): 1 if the growth held, 0.5 if it halved
        (in log terms), below 0 if the product shrank after growing."""
        return math.log1p(self.after) / math.log1p(self.before)


def _growth(a: Count, b: Count) -> float:
    return float((b.value / a.value) ** (1.0 / months_between(a.as_of, b.as_of)) - 1.0)


def period_pairs(
    family: str, start: date, data: tuple[Count, ...] | None = None
) -> tuple[Periods, ...]:
    """Every two consecutive periods of the family's counts known before ``start``: within one
    product's series and metric (one count a month, the latest published), the counts from the
    first on, each kept if at least :data:`MIN_SPAN_MONTHS` after the last one kept; a pair of
    periods whose first count is at least the family's floor (:data:`FLOORS`) and whose first
    growth is at least :data:`MIN_TREND` a month."""
    out: list[Periods] = []
    for (product, _, metric), series in _series(family, start, data).items():
        chain: list[Count] = []
        for c in series:
            if not chain or months_between(chain[-1].as_of, c.as_of) >= MIN_SPAN_MONTHS:
                chain.append(c)
        for a, b, c in zip(chain, chain[1:], chain[2:], strict=False):
            pp = Periods(product, metric, a, b, c)
            if a.value >= FLOORS[family] and pp.before >= MIN_TREND:
                out.append(pp)
    return tuple(out)


@dataclass(frozen=True)
class Persistence:
    """How AI products' growth carried on, as published before ``start``: each product's mean
    ratio of next-period to last-period growth (:attr:`Periods.ratio`), their mean and sample
    standard deviation over products; and the 90% interval of growth it gives a plan whose last
    two counts grew ``observed`` a month."""

    family: str
    start: date
    observed: float
    mean_ratio: float
    sd_ratio: float
    periods: tuple[Periods, ...]
    pooled: bool = False
    """True when the field's family had too few products and every family's periods were
    taken together (:func:`growth_persistence`)."""

    @property
    def products(self) -> tuple[str, ...]:
        return tuple(sorted({p.product for p in self.periods}))

    @property
    def low(self) -> float:
        z = prediction_z(len(self.products))
        return math.expm1(math.log1p(self.observed) * (self.mean_ratio - z * self.sd_ratio))

    @property
    def high(self) -> float:
        z = prediction_z(len(self.products))
        return math.expm1(math.log1p(self.observed) * (self.mean_ratio + z * self.sd_ratio))

    @property
    def median(self) -> float:
        return math.expm1(math.log1p(self.observed) * self.mean_ratio)


def ratio_by_product(periods: tuple[Periods, ...]) -> dict[str, float]:
    """Each product's mean ratio of next-period to last-period growth: a product counts once."""
    by_product: dict[str, list[float]] = {}
    for p in periods:
        by_product.setdefault(p.product, []).append(p.ratio)
    return {k: sum(v) / len(v) for k, v in by_product.items()}


def trend_problem(observed: float) -> str | None:
    """Why ``trend observed`` cannot be read whatever the class (None if it can): a growth below
    :data:`MIN_TREND` a month, where a ratio of growths says nothing, or above the plan
    language's ceiling of +1,000,000% a period (:data:`~breakeven.models.distributions.MAX_RATE`:
    a slip of units)."""
    if observed < MIN_TREND:
        return (
            f"a trend of {growth_text(observed)} a month is below {growth_text(MIN_TREND)}: a "
            "ratio of growths says nothing there; state the growth as an interval"
        )
    if observed > MAX_RATE:
        return f"a trend of {growth_text(observed)} a month: {RATE_ERROR}"
    return None


def growth_persistence(
    family: str, start: date, observed: float, data: tuple[Count, ...] | None = None
) -> Persistence:
    """The growth a plan whose last two counts grew ``observed`` a month can expect, from how
    AI products' growth carried on from one period to the next before ``start``
    (:class:`ReferenceClassError` with fewer than :data:`MIN_PRODUCTS` products, or an
    ``observed`` below :data:`MIN_TREND`).

    ln(1 + growth) = r · ln(1 + observed), r normal with the products' mean and standard
    deviation of their ratios (each product once: the mean of its own ratios); the interval is
    that of one more product's r (:func:`prediction_z`). The class is the
    field's family when it has :data:`MIN_PRODUCTS` products with two periods; otherwise every
    family's products together (``pooled``): r is a ratio of growths, without units, and did not
    differ between the families where each could answer (``bench/growth_intervals.py``) — the
    narrowest class with enough cases (Flyvbjerg 2006; the levels of growth, which do differ,
    are never pooled: :func:`reference_growth`).

    >>> rows = tuple(Count(f"p{i}", "mau", v, date(2024, m, 1), date(2024, m, 28), "s")
    ...              for i, g2 in enumerate((0.0, 0.05, 0.1, 0.15, 0.2))
    ...              for m, v in ((1, 1e7), (4, 1e7 * 1.1 ** 3), (7, 1e7 * 1.1 ** 3 * (1 + g2) ** 3)))
    >>> p = growth_persistence("consumer", date(2024, 9, 1), 0.1, rows)
    >>> len(p.periods), round(p.periods[1].ratio, 4), round(p.median, 4), p.pooled
    (5, 0.5119, 0.0977, False)
    >>> growth_persistence("tokens", date(2024, 9, 1), 0.1, rows).pooled  # no token counts
    True
    """
    problem = trend_problem(observed)
    if problem is not None:
        raise ReferenceClassError(problem)
    periods = period_pairs(family, start, data)
    ratios = ratio_by_product(periods)
    pooled = len(ratios) < MIN_PRODUCTS
    if pooled:
        own = len(ratios)
        periods = tuple(p for f in FAMILIES for p in period_pairs(f, start, data))
        ratios = ratio_by_product(periods)
        if len(ratios) < MIN_PRODUCTS:
            n = len(ratios)
            raise ReferenceClassError(
                f"only {own} AI product{'s' if own != 1 else ''} of this kind and {n} of every "
                f"kind with three counts (two periods) published before "
                f"{start.year:04d}-{start.month:02d} in the reference data (at least "
                f"{MIN_PRODUCTS} needed)"
            )
    means = list(ratios.values())
    mean = sum(means) / len(means)
    sd = math.sqrt(sum((x - mean) ** 2 for x in means) / (len(means) - 1))
    return Persistence(family, start, float(observed), mean, sd, periods, pooled)


__all__ = [
    "MIN_TREND",
    "trend_problem",
    "Count",
    "Pair",
    "Periods",
    "Persistence",
    "ReferenceClassError",
    "ReferenceGrowth",
    "counts",
    "growth_persistence",
    "growth_text",
    "latest_pairs",
    "per_period",
    "period_pairs",
    "ratio_by_product",
    "reference_growth",
]
