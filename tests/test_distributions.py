"""Uncertain numbers: parsing, shapes fitted to 90% intervals, bounds by construction."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breakeven.models.distributions import (
    Domain,
    LogitNormal,
    LogNormal,
    Normal,
    Point,
    ShiftedLogNormal,
    UncertainError,
    parse_number,
    parse_uncertain,
)

U = (np.arange(200_000) + 0.5) / 200_000  # a fine grid of uniforms: exact quantile checks


def test_numbers_with_suffixes_and_percent():
    assert parse_number("1.5M") == 1.5e6
    assert parse_number("300k") == 3e5
    assert parse_number("12%") == pytest.approx(0.12)
    assert parse_number("2亿") == 2e8
    assert parse_number("3_000") == 3000
    assert parse_number(7) == 7.0
    with pytest.raises(UncertainError):
        parse_number("lots")


def test_field_decides_shape():
    assert isinstance(parse_uncertain("10 to 40", Domain.POSITIVE), LogNormal)
    assert isinstance(parse_uncertain("-5 to 5", Domain.REAL), Normal)
    assert isinstance(parse_uncertain("2% to 5%", Domain.FRACTION), LogitNormal)
    assert isinstance(parse_uncertain("-30% to -10%", Domain.RATE), ShiftedLogNormal)
    assert isinstance(parse_uncertain(49, Domain.POSITIVE), Point)


def test_interval_is_a_90_percent_interval():
    for text, dom in [
        ("10 to 40", Domain.POSITIVE),
        ("-5 to 5", Domain.REAL),
        ("2% to 5%", Domain.FRACTION),
        ("-50% to -10%", Domain.RATE),
    ]:
        d = parse_uncertain(text, dom)
        lo, hi = (parse_number(x) for x in text.split(" to "))
        assert d.quantile(0.05) == pytest.approx(lo, rel=1e-9, abs=1e-12)
        assert d.quantile(0.95) == pytest.approx(hi, rel=1e-9, abs=1e-12)
        rng = np.random.default_rng(1)
        x = d.ppf(rng.random(100_000))
        inside = np.mean((x >= lo) & (x <= hi))
        assert 0.89 < inside < 0.91


def test_positive_interval_starting_at_zero_is_an_error_not_a_normal():
    with pytest.raises(UncertainError, match="must start above 0"):
        parse_uncertain("0 to 10", Domain.POSITIVE)
    with pytest.raises(UncertainError, match="below its lower bound"):
        parse_uncertain("10 to 5", Domain.POSITIVE)
    with pytest.raises(UncertainError, match="strictly between"):
        parse_uncertain("0% to 5%", Domain.FRACTION)
    with pytest.raises(UncertainError, match="fraction"):
        parse_uncertain("120%", Domain.FRACTION)


def test_explicit_distributions():
    assert parse_uncertain({"dist": "normal", "mean": 1, "sd": 2}, Domain.REAL).median == 1
    ln = parse_uncertain({"dist": "lognormal", "median": 20, "sigma": 0.5}, Domain.POSITIVE)
    assert ln.median == pytest.approx(20)
    m = parse_uncertain({"dist": "lognormal", "mean": 10, "sd": 5}, Domain.POSITIVE)
    assert np.mean(m.ppf(U)) == pytest.approx(10, rel=1e-3)
    tri = parse_uncertain(
        {"dist": "triangular", "low": 0, "mode": 1, "high": 4}, Domain.NONNEGATIVE
    )
    assert np.mean(tri.ppf(U)) == pytest.approx(5 / 3, rel=1e-3)
    from scipy import stats  # the closed form is scipy's triangular quantile function

    for low, mode, high in ((0, 1, 4), (2, 2, 5), (-1, 3, 3), (10, 12.5, 20)):
        tri = parse_uncertain(
            {"dist": "triangular", "low": low, "mode": mode, "high": high}, Domain.REAL
        )
        ref = stats.triang.ppf(U, (mode - low) / (high - low), loc=low, scale=high - low)
        assert np.allclose(tri.ppf(U), ref, rtol=1e-12, atol=1e-12)
    pert = parse_uncertain({"dist": "pert", "low": 0, "mode": 1, "high": 4}, Domain.NONNEGATIVE)
    assert np.mean(pert.ppf(U)) == pytest.approx((0 + 4 * 1 + 4) / 6, rel=1e-3)
    beta = parse_uncertain({"dist": "beta", "alpha": 2, "beta": 6}, Domain.FRACTION)
    assert np.mean(beta.ppf(U)) == pytest.approx(0.25, rel=1e-3)
    ch = parse_uncertain(
        {"dist": "choice", "values": [1, 2, 3], "weights": [1, 1, 2]}, Domain.POSITIVE
    )
    x = ch.ppf(U)
    assert set(np.unique(x)) == {1.0, 2.0, 3.0}
    assert np.mean(x == 3) == pytest.approx(0.5, abs=1e-3)
    uni = parse_uncertain({"dist": "uniform", "low": 2, "high": 4}, Domain.POSITIVE)
    assert uni.quantile(0.25) == pytest.approx(2.5)


def test_shapes_that_leave_the_domain_are_refused():
    with pytest.raises(UncertainError, match="normal can leave"):
        parse_uncertain({"dist": "normal", "mean": 0.1, "sd": 0.05}, Domain.FRACTION)
    with pytest.raises(UncertainError, match="within"):
        parse_uncertain({"dist": "uniform", "low": 0.5, "high": 1.5}, Domain.FRACTION)
    with pytest.raises(UncertainError, match="unknown distribution"):
        parse_uncertain({"dist": "gamma", "k": 1}, Domain.POSITIVE)
    with pytest.raises(UncertainError, match="does not take"):
        parse_uncertain({"dist": "normal", "mean": 1, "sd": 1, "skew": 2}, Domain.REAL)


@settings(max_examples=200, deadline=None)
@given(a=st.floats(1e-4, 0.98), w=st.floats(1e-4, 0.99), u=st.floats(0, 1))
def test_fraction_intervals_never_leave_0_1(a, w, u):
    b = min(a + w * (1 - a), 1 - 1e-6)
    if not b > a:
        return
    d = parse_uncertain(f"{a!r} to {b!r}", Domain.FRACTION)
    x = d.ppf(np.array([u, 1e-12, 1 - 1e-12]))
    assert np.all((x >= 0) & (x <= 1))


@settings(max_examples=200, deadline=None)
@given(a=st.floats(1e-6, 1e9), ratio=st.floats(1.0001, 1e4), u=st.floats(1e-15, 1 - 1e-15))
def test_positive_intervals_stay_positive(a, ratio, u):
    d = parse_uncertain(f"{a!r} to {a * ratio!r}", Domain.POSITIVE)
    assert d.ppf(np.array([u]))[0] > 0


@settings(max_examples=100, deadline=None)
# rates a plan can write: 0, or at least 1e-30 away from it (closer is refused: MIN_MAGNITUDE)
@given(
    a=st.floats(-0.99, 2).filter(lambda x: x == 0 or abs(x) >= 1e-30),
    w=st.floats(1e-3, 3),
    u=st.floats(1e-15, 1 - 1e-15),
)
def test_rates_stay_above_minus_100_percent(a, w, u):
    d = parse_uncertain(f"{a!r} to {a + w!r}", Domain.RATE)
    assert d.ppf(np.array([u]))[0] > -1
    assert math.isfinite(d.median)


def test_implausible_magnitudes_are_refused():
    with pytest.raises(UncertainError, match="implausibly large"):
        parse_uncertain("1e60", Domain.POSITIVE)
    with pytest.raises(UncertainError, match="finite"):
        parse_uncertain("1e400", Domain.POSITIVE)
    with pytest.raises(UncertainError, match="implausibly large"):
        parse_uncertain({"dist": "normal", "mean": 1e30, "sd": 1}, Domain.REAL)
    with pytest.raises(UncertainError, match=r"1,000,000%.*50%, not 50"):
        parse_uncertain("1000 to 50000", Domain.RATE)
    with pytest.raises(UncertainError, match="1,000,000%"):
        parse_uncertain("20000", Domain.RATE)
    # published hypergrowth: 81% a month is 1,271x a year (+127,000%), a plan (lint warns)
    assert parse_uncertain("5920% to 127000%", Domain.RATE).median > 100
    assert parse_uncertain("1e15", Domain.POSITIVE).median == 1e15  # a quadrillion tokens is fine
    # a denormal overflows whatever divides by it (a market of 1e-320 people): refused, but 0 and
    # a price of a billionth per token are plans
    with pytest.raises(UncertainError, match="implausibly small"):
        parse_uncertain("1e-320 to 200M", Domain.POSITIVE)
    with pytest.raises(UncertainError, match="implausibly small"):
        parse_uncertain("-1e-40", Domain.REAL)
    assert parse_uncertain("0", Domain.NONNEGATIVE).median == 0
    # an exponent with no digits before it is not a number (float() raised on it)
    for text in ("e5", "-e5", ".e5", "e-5%"):
        with pytest.raises(UncertainError, match="expected a number such as"):
            parse_uncertain(text, Domain.POSITIVE)
    assert parse_uncertain(".5e2", Domain.POSITIVE).median == 50
    assert parse_uncertain("1e-9", Domain.POSITIVE).median == 1e-9
