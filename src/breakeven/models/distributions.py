"""Uncertain numbers: parsing ``"a to b"`` and explicit distributions, and their quantile functions.

Every distribution is sampled through its quantile function (``ppf``) applied to uniforms in (0, 1),
so that independent, correlated (copula) and quasi-random (Sobol) designs share one path.
The *field* decides the shape (its :class:`Domain`), never the numbers: ``a to b`` is a 90% interval
that is lognormal on a positive quantity, normal on a real one and logit-normal on a fraction.
"""

from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import UncertainError
from ..format import number, pct_sig
from . import special

Array = NDArray[np.float64]

Z95 = 1.6448536269514722
"""``scipy.special.ndtri(0.95)``, 1.6448536…: a 90% interval spans ±Z95 standard deviations
(written out, so that reading a range computes no quantile; a test checks the two agree to the
bit)."""


class Domain(str, Enum):
    """What values a field may take; decides how ``a to b`` is read."""

    POSITIVE = "positive"  # > 0: prices, sizes, token counts
    NONNEGATIVE = "nonnegative"  # >= 0: budgets, headcount (may be exactly 0)
    REAL = "real"  # any sign: elasticities, offsets
    RATE = "rate"  # > -100%: growth or change per period; a to b is lognormal on (1 + x)
    FRACTION = "fraction"  # [0, 1]: conversion, churn, utilisation, take rate
    COUNT = "count"  # >= 0 and drawn as an integer-valued choice when explicit

    # These bounds shadow str.lower/str.upper of the str mix-in (no code calls those on a Domain),
    # which mypy cannot accept as an override: hence the two ignores.
    @property
    def lower(self) -> float:  # type: ignore[override]  # a bound, not str.lower (see above)
        return {
            "positive": 0.0,
            "nonnegative": 0.0,
            "real": -math.inf,
            "rate": -1.0,
            "fraction": 0.0,
            "count": 0.0,
        }[self.value]

    @property
    def upper(self) -> float:  # type: ignore[override]  # a bound, not str.upper (see above)
        return 1.0 if self is Domain.FRACTION else math.inf


@dataclass(frozen=True)
class Dist(ABC):
    """Base of all distributions: a quantile function and a readable description."""

    @abstractmethod
    def ppf(self, u: Array) -> Array:
        """Quantile function: values at probabilities u in (0, 1)."""

    @property
    def is_point(self) -> bool:
        return False

    @property
    def median(self) -> float:
        return float(self.ppf(np.array([0.5]))[0])

    def quantile(self, q: float) -> float:
        return float(self.ppf(np.array([q]))[0])

    @property
    def support(self) -> tuple[float, float]:
        return (float(self.ppf(np.array([0.0]))[0]), float(self.ppf(np.array([1.0]))[0]))

    @abstractmethod
    def describe(self) -> str:
        """A short human description, e.g. 'lognormal(median 20, 90% in 10 to 40)'."""

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}
        return {"dist": type(self).__name__.lower(), **d}


@dataclass(frozen=True)
class Point(Dist):
    value: float

    def ppf(self, u: Array) -> Array:
        return np.full(np.shape(u), self.value, dtype=float)

    @property
    def is_point(self) -> bool:
        return True

    @property
    def support(self) -> tuple[float, float]:
        return (self.value, self.value)

    def describe(self) -> str:
        return number(self.value)

    def to_dict(self) -> dict[str, Any]:
        return {"dist": "point", "value": self.value}


@dataclass(frozen=True)
class Normal(Dist):
    mean: float
    sd: float

    def ppf(self, u: Array) -> Array:
        return self.mean + self.sd * special.ndtri(u)

    def describe(self) -> str:
        return f"normal(mean {number(self.mean)}, sd {number(self.sd)})"


@dataclass(frozen=True)
class LogNormal(Dist):
    """exp(N(mu, sigma)); ``a to b`` puts a and b at the 5th and 95th percentiles."""

    mu: float
    sigma: float

    def ppf(self, u: Array) -> Array:
        return np.exp(self.mu + self.sigma * special.ndtri(u))

    def describe(self) -> str:
        return (
            f"lognormal(median {number(math.exp(self.mu))}, "
            f"90% in {number(self.quantile(0.05))} to {number(self.quantile(0.95))})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {"dist": "lognormal", "median": math.exp(self.mu), "sigma": self.sigma}


@dataclass(frozen=True)
class ShiftedLogNormal(Dist):
    """exp(N(mu, sigma)) - 1: a rate bounded below by -100% by construction."""

    mu: float
    sigma: float

    def ppf(self, u: Array) -> Array:
        return np.expm1(self.mu + self.sigma * special.ndtri(u))

    def describe(self) -> str:
        return (
            f"rate(median {pct_sig(math.expm1(self.mu))}, 90% in "
            f"{pct_sig(self.quantile(0.05))} to {pct_sig(self.quantile(0.95))})"
        )


@dataclass(frozen=True)
class LogitNormal(Dist):
    """1 / (1 + exp(-N(mu, sigma))): bounded in (0, 1) by construction, fitted to a 90% interval."""

    mu: float
    sigma: float

    def ppf(self, u: Array) -> Array:
        return special.expit(self.mu + self.sigma * special.ndtri(u))

    def describe(self) -> str:
        return (
            f"logit-normal(median {pct_sig(special.expit(self.mu))}, 90% in "
            f"{pct_sig(self.quantile(0.05))} to {pct_sig(self.quantile(0.95))})"
        )


@dataclass(frozen=True)
class Uniform(Dist):
    low: float
    high: float

    def ppf(self, u: Array) -> Array:
        return self.low + (self.high - self.low) * np.asarray(u, dtype=float)

    def describe(self) -> str:
        return f"uniform({number(self.low)}, {number(self.high)})"


@dataclass(frozen=True)
class Triangular(Dist):
    low: float
    mode: float
    high: float

    def ppf(self, u: Array) -> Array:
        """Inverse of the triangular CDF (closed form): below the mode's cumulative share
        F_c = (c − a)/(b − a), x = a + √(u(b − a)(c − a)); above, x = b − √((1 − u)(b − a)(b − c))."""
        a, c, b = self.low, self.mode, self.high
        u = np.asarray(u, dtype=float)
        fc = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1.0 - u) * (b - a) * (b - c))
        return np.where(u < fc, left, right)

    def describe(self) -> str:
        return f"triangular({number(self.low)}, {number(self.mode)}, {number(self.high)})"


@dataclass(frozen=True)
class Beta(Dist):
    """Beta(alpha, beta) scaled to [low, high] (default [0, 1])."""

    alpha: float
    beta: float
    low: float = 0.0
    high: float = 1.0

    def ppf(self, u: Array) -> Array:
        from scipy.special import betaincinv  # no exact port: scipy's iterative inverse

        return self.low + (self.high - self.low) * betaincinv(self.alpha, self.beta, u)

    def describe(self) -> str:
        return f"beta({number(self.alpha)}, {number(self.beta)}) on [{number(self.low)}, {number(self.high)}]"


@dataclass(frozen=True)
class Pert(Dist):
    """PERT(low, mode, high): a beta with shape 4 (Vose, *Risk Analysis*, 3rd ed., §9.1.3)."""

    low: float
    mode: float
    high: float
    shape: float = 4.0

    def ppf(self, u: Array) -> Array:
        r = self.high - self.low
        a = 1 + self.shape * (self.mode - self.low) / r
        b = 1 + self.shape * (self.high - self.mode) / r
        from scipy.special import betaincinv

        return self.low + r * betaincinv(a, b, u)

    def describe(self) -> str:
        return f"pert({number(self.low)}, {number(self.mode)}, {number(self.high)})"


@dataclass(frozen=True)
class Choice(Dist):
    """A discrete choice among values with weights (a step quantile function)."""

    values: tuple[float, ...]
    weights: tuple[float, ...]
    _cum: tuple[float, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        w = np.asarray(self.weights, dtype=float)
        object.__setattr__(self, "_cum", tuple(np.cumsum(w / w.sum())))

    def ppf(self, u: Array) -> Array:
        idx = np.searchsorted(np.asarray(self._cum), np.asarray(u, dtype=float), side="right")
        return np.asarray(self.values, dtype=float)[np.minimum(idx, len(self.values) - 1)]

    def describe(self) -> str:
        parts = ", ".join(
            f"{number(v)} ({w / sum(self.weights):.0%})"
            for v, w in zip(self.values, self.weights, strict=True)
        )
        return f"choice({parts})"

    def to_dict(self) -> dict[str, Any]:
        return {"dist": "choice", "values": list(self.values), "weights": list(self.weights)}


# ---------------------------------------------------------------- parsing

_SUFFIX = {
    "k": 1e3,
    "K": 1e3,
    "M": 1e6,
    "m": 1e6,
    "B": 1e9,
    "b": 1e9,
    "bn": 1e9,
    "T": 1e12,
    "万": 1e4,
    "亿": 1e8,
}
# Digits grouped by commas in threes (1,500,000) or by underscores (1_500_000), or plain; a
# fraction; an exponent; a suffix. Unambiguous, so matching is linear in the text's length.
_NUM_RE = re.compile(
    r"^\s*([+-]?(?:\d{1,3}(?:,\d{3})+|\d+(?:_\d+)*)?(?:\.\d+|\.)?(?:[eE][+-]?\d+)?)\s*"
    r"(%|k|K|M|m|bn|B|b|T|万|亿)?\s*$"
)
_DECIMAL_COMMA_RE = re.compile(r"^\s*[+-]?\d+,\d+")
MAX_NUMBER_TEXT = 100  # characters: longer is a mistake (and would be slow to read)
_TO_RE = re.compile(r"^(.+?)\s+to\s+(.+)$")


def parse_number(text: Any) -> float:
    """Read ``49``, ``"1.5M"``, ``"12%"``, ``"3_000"``, ``"2万"`` as a float."""
    if isinstance(text, bool):
        raise UncertainError("expected a number", text)
    if isinstance(text, (int, float)):
        if not math.isfinite(float(text)):
            raise UncertainError("expected a finite number", text)
        return float(text)
    if not isinstance(text, str):
        raise UncertainError("expected a number", text)
    if len(text) > MAX_NUMBER_TEXT:
        raise UncertainError(f"a number longer than {MAX_NUMBER_TEXT} characters", text[:40] + "…")
    m = _NUM_RE.match(text)
    if not m or not any(ch.isdigit() for ch in re.split("[eE]", m.group(1))[0]):  # e5: no digits
        if _DECIMAL_COMMA_RE.match(text):
            raise UncertainError(
                f"a comma is not a decimal point here; write {text.strip().replace(',', '.')} "
                "(commas only group thousands, as in 1,500)",
                text,
            )
        raise UncertainError("expected a number such as 49, 1.5M or 12%", text)
    base = float(m.group(1).replace("_", "").replace(",", ""))
    suf = m.group(2)
    value = base / 100.0 if suf == "%" else (base * _SUFFIX[suf] if suf else base)
    if not math.isfinite(value):
        raise UncertainError("expected a finite number", text)
    return value


MAX_MAGNITUDE = 1e18  # larger than any money, user or token count a plan needs (1e18 tokens)
MIN_MAGNITUDE = 1e-30  # smaller than any price per token or share a plan needs, other than 0
MAX_RATE = 1e4
"""+1,000,000% per period (10,001×): above it a change is no growth a plan can mean, but a slip of
units (a percentage without its %). Published growth does reach +10,000% a year for a few months
(Doubao's tokens: 120B to 1.3T a day from May to September 2024, 81% a month), so that level is
a plan-lint warning (``rate-beyond-100x``), not an error."""
RATE_ERROR = (
    "a change per period above +1,000,000% is no growth a plan can mean; check the units "
    "(a percentage needs its %: 50%, not 50)"
)


def check_magnitude(x: float, got: Any) -> None:
    """:class:`UncertainError` for a number beyond ±:data:`MAX_MAGNITUDE`, or closer to 0 than
    :data:`MIN_MAGNITUDE` without being 0 (a unit slip; such a number, 1e-320 say, overflows
    whatever divides by it)."""
    if abs(x) > MAX_MAGNITUDE:
        raise UncertainError(
            f"is implausibly large (beyond ±{MAX_MAGNITUDE:.0e}); check the units", got
        )
    if 0 < abs(x) < MIN_MAGNITUDE:
        raise UncertainError(
            f"is implausibly small (closer to 0 than ±{MIN_MAGNITUDE:.0e}); write 0 for none, "
            "or check the units",
            got,
        )


def _check_point(x: float, domain: Domain, got: Any) -> None:
    check_magnitude(x, got)
    if domain is Domain.RATE and x > MAX_RATE:
        raise UncertainError(RATE_ERROR, got)
    if domain is Domain.POSITIVE and x <= 0:
        raise UncertainError("must be greater than 0", got)
    if domain in (Domain.NONNEGATIVE, Domain.COUNT) and x < 0:
        raise UncertainError("must not be negative", got)
    if domain is Domain.FRACTION and not 0 <= x <= 1:
        raise UncertainError("must be a fraction between 0 and 1 (0% to 100%)", got)
    if domain is Domain.RATE and not x > -1:
        raise UncertainError("a change per period must be above -100%", got)


def interval(a: float, b: float, domain: Domain, got: Any = None) -> Dist:
    """The distribution whose 5th and 95th percentiles are ``a`` and ``b``, shaped by the domain."""
    got = f"{number(a)} to {number(b)}" if got is None else got
    check_magnitude(a, got)
    check_magnitude(b, got)
    if domain is Domain.RATE and b > MAX_RATE:
        raise UncertainError(RATE_ERROR, got)
    if not b > a:
        if b == a:
            return interval_point(a, domain, got)
        raise UncertainError("interval upper bound is below its lower bound", got)
    if domain is Domain.REAL:
        return Normal((a + b) / 2, (b - a) / (2 * Z95))
    if domain is Domain.RATE:
        if a <= -1:
            raise UncertainError("a change per period must stay above -100%", got)
        la, lb = math.log1p(a), math.log1p(b)
        return ShiftedLogNormal((la + lb) / 2, (lb - la) / (2 * Z95))
    if domain is Domain.FRACTION:
        if not (0 < a and b < 1):
            raise UncertainError(
                "a fraction's 90% interval must lie strictly between 0% and 100%", got
            )
        la, lb = special.logit(a), special.logit(b)
        return LogitNormal((la + lb) / 2, (lb - la) / (2 * Z95))
    # positive, nonnegative, count: lognormal, which needs a > 0
    if a <= 0:
        raise UncertainError(
            "a 90% interval on a positive quantity must start above 0 "
            "(it is lognormal); use {dist: uniform, ...} or pert to include 0",
            got,
        )
    la, lb = math.log(a), math.log(b)
    return LogNormal((la + lb) / 2, (lb - la) / (2 * Z95))


def interval_point(x: float, domain: Domain, got: Any) -> Point:
    _check_point(x, domain, got)
    return Point(x)


_EXPLICIT = {
    "normal": {"mean", "sd"},
    "lognormal": set(),  # median+sigma, or p5+p95, or mean+sd
    "uniform": {"low", "high"},
    "triangular": {"low", "mode", "high"},
    "pert": {"low", "mode", "high"},
    "beta": {"alpha", "beta"},
    "choice": {"values"},
    "point": {"value"},
}
_OPTIONAL = {
    "lognormal": {"median", "sigma", "p5", "p95", "mean", "sd"},
    "beta": {"low", "high"},
    "pert": {"shape"},
    "choice": {"weights"},
}


def parse_explicit(spec: dict[str, Any], domain: Domain) -> Dist:
    """``{dist: normal, mean: 0, sd: 1}`` and friends; rejects shapes that leave the domain."""
    kind = spec.get("dist")
    if not isinstance(kind, str) or kind not in _EXPLICIT:
        raise UncertainError(
            f"unknown distribution; choose one of {', '.join(sorted(_EXPLICIT))}", kind
        )
    allowed = _EXPLICIT[kind] | _OPTIONAL.get(kind, set()) | {"dist"}
    extra = set(spec) - allowed
    if extra:
        raise UncertainError(
            f"{kind} does not take {', '.join(sorted(map(str, extra)))}; "
            f"it takes {', '.join(sorted(allowed - {'dist'}))}",
            spec,
        )
    missing = _EXPLICIT[kind] - set(spec)
    if missing:
        raise UncertainError(f"{kind} needs {', '.join(sorted(missing))}", spec)
    if kind == "choice":
        values = spec["values"]
        if not isinstance(values, list) or not values:
            raise UncertainError("choice needs a non-empty list of values", values)
        vals = tuple(parse_number(v) for v in values)
        for v in vals:
            _check_point(v, domain, values)
        weights = spec.get("weights", [1] * len(vals))
        if not isinstance(weights, list) or len(weights) != len(vals):
            raise UncertainError("choice weights must be a list as long as values", weights)
        w = tuple(parse_number(x) for x in weights)
        if any(x < 0 for x in w) or sum(w) <= 0:
            raise UncertainError("choice weights must be non-negative and not all zero", weights)
        return Choice(vals, w)
    p = {k: parse_number(v) for k, v in spec.items() if k != "dist"}
    for v in p.values():
        check_magnitude(v, spec)
    lo, hi = domain.lower, domain.upper
    if kind == "point":
        return interval_point(p["value"], domain, spec)
    if kind == "normal":
        if p["sd"] < 0:
            raise UncertainError("sd must not be negative", spec)
        if domain not in (Domain.REAL,) and p["sd"] > 0:
            raise UncertainError(
                f"a normal can leave the range of this {domain.value} field; "
                "use 'a to b' or a bounded distribution",
                spec,
            )
        return Normal(p["mean"], p["sd"])
    if kind == "lognormal":
        if domain is Domain.FRACTION:
            raise UncertainError(
                "a lognormal can exceed 100% on a fraction; use 'a to b' or beta", spec
            )
        if "median" in p and "sigma" in p:
            if p["median"] <= 0 or p["sigma"] < 0:
                raise UncertainError("lognormal needs median > 0 and sigma >= 0", spec)
            return LogNormal(math.log(p["median"]), p["sigma"])
        if "p5" in p and "p95" in p:
            return interval(p["p5"], p["p95"], Domain.POSITIVE, spec)
        if "mean" in p and "sd" in p:
            m, s = p["mean"], p["sd"]
            if m <= 0 or s < 0:
                raise UncertainError("lognormal needs mean > 0 and sd >= 0", spec)
            sigma2 = math.log1p((s / m) ** 2)
            return LogNormal(math.log(m) - sigma2 / 2, math.sqrt(sigma2))
        raise UncertainError("lognormal needs median and sigma, p5 and p95, or mean and sd", spec)
    if kind == "beta":
        if p["alpha"] <= 0 or p["beta"] <= 0:
            raise UncertainError("beta needs alpha > 0 and beta > 0", spec)
        d = Beta(p["alpha"], p["beta"], p.get("low", 0.0), p.get("high", 1.0))
        _check_bounds(d.low, d.high, lo, hi, domain, spec)
        return d
    # uniform, triangular, pert
    low, high = p["low"], p["high"]
    if not high > low:
        raise UncertainError("high must be above low", spec)
    _check_bounds(low, high, lo, hi, domain, spec)
    if kind == "uniform":
        return Uniform(low, high)
    mode = p["mode"]
    if not low <= mode <= high:
        raise UncertainError("mode must lie between low and high", spec)
    if kind == "triangular":
        return Triangular(low, mode, high)
    shape = p.get("shape", 4.0)
    if shape <= 0:
        raise UncertainError("pert shape must be > 0", spec)
    return Pert(low, mode, high, shape)


def _check_bounds(low: float, high: float, lo: float, hi: float, domain: Domain, got: Any) -> None:
    if low < lo or high > hi or (domain is Domain.POSITIVE and low <= 0 and high <= 0):
        raise UncertainError(
            f"range must lie within this {domain.value} field's bounds "
            f"[{number(lo)}, {number(hi)}]",
            got,
        )


def parse_uncertain(value: Any, domain: Domain) -> Dist:
    """Turn a scenario value into a :class:`Dist` of the given domain, or raise UncertainError."""
    if isinstance(value, Dist):
        return value
    if isinstance(value, dict):
        if "dist" not in value:
            raise UncertainError("expected a number, 'a to b', or {dist: ...}", value)
        return parse_explicit(value, domain)
    if isinstance(value, str):
        if len(value) > 2 * MAX_NUMBER_TEXT:
            raise UncertainError(
                f"longer than {2 * MAX_NUMBER_TEXT} characters for a number or a range",
                value[:40] + "…",
            )
        m = _TO_RE.match(value.strip())
        if m:
            a, b = parse_number(m.group(1)), parse_number(m.group(2))
            return interval(a, b, domain, value)
        return interval_point(parse_number(value), domain, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return interval_point(parse_number(value), domain, value)
    raise UncertainError("expected a number, 'a to b', or {dist: ...}", value)
