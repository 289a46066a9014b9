"""Compiled loops and their numpy twins (issue 13): each pair gives the same bits on random
inputs — signed zeros and NaN included, compared as integers — and every plan with a business
pipeline gives bit-identical results whichever runs. When a run uses them is a policy of size
(``BREAKEVEN_JIT``), never of the numbers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import breakeven
from breakeven.blocks import business, enterprise, metered
from breakeven.compute import ownership
from breakeven.models import adoption, cash, compiled
from breakeven.scenario import templates

pytest.importorskip("numba")

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _bits(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float64).view(np.uint64)


def _same_bits(a: np.ndarray, b: np.ndarray) -> None:
    assert a.shape == b.shape
    assert np.array_equal(_bits(a), _bits(b))


def _both(twin: compiled.Twin, make, check) -> None:
    """Run the twin's numpy function and its compiled loop on copies of the same arguments."""
    a, b = make(), make()
    twin.numpy(*a)
    twin.compiled()(*b)
    check(a, b)


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


@FAST
@given(
    seed=st.integers(0, 2**32 - 1),
    months=st.integers(1, 40),
    n=st.integers(1, 1100),  # past the loop's block of 512 samples
    data=st.data(),
)
def test_cohort_sums_twins(seed, months, n, data):
    t0 = data.draw(st.integers(0, months - 1))
    t1 = data.draw(st.integers(t0 + 1, months))
    start = data.draw(st.integers(0, 3))
    rng = _rng(seed)
    new = rng.random((months, n)) * rng.integers(0, 2, (months, n))
    held = rng.random((months, n)) * 1e3

    def make():
        return [new, held, t0, t1, start, np.full((t1 - t0, n), np.nan)]

    _both(adoption._cohort_sums_into, make, lambda a, b: _same_bits(a[5], b[5]))


def test_cohort_sums_by_hand():
    """Month t sums new[t−a] · held[a] over ages start..t; before ``start`` nothing is held."""
    new = np.array([[1.0], [2.0], [0.0]])
    held = np.array([[10.0], [5.0], [1.0]])
    with compiled.running(True):
        assert adoption.cohort_sums(new, held).ravel().tolist() == [10.0, 25.0, 11.0]
        assert adoption.cohort_sums(new, held, range(0, 3), 1).ravel().tolist() == [0, 5, 11]


@FAST
@given(
    seed=st.integers(0, 2**32 - 1),
    segments=st.integers(1, 3),
    n=st.integers(1, 1300),  # past the loop's block of 1,024 samples
    capacity=st.booleans(),
    figures=st.booleans(),
    data=st.data(),
)
def test_pipeline_twins(seed, segments, n, capacity, figures, data):
    months = data.draw(st.integers(1, 30))
    t0 = data.draw(st.integers(0, months - 1))
    t1 = data.draw(st.integers(t0 + 1, months if not figures else min(months, t0 + 24)))
    launch = np.array(data.draw(st.lists(st.integers(1, 12), min_size=segments, max_size=segments)))
    rng = _rng(seed)
    stock = rng.random((4, segments, n)) * 100
    stock[:, :, ::7] = 0.0  # empty stages
    deployed = rng.random((segments, n)) * 10
    rate = rng.random((5, segments, n)) * 0.3
    surv = 0.95 + 0.05 * rng.random((segments, n))
    referred = rng.random((segments, n)) * 10  # a stated growth's D₀ …
    referred[::2] = 0.0  # … or none: the explore rate held
    cap = rng.random((months, n)) * 5 if capacity else np.empty((0, n))
    if capacity:
        cap[:, ::5] = 0.0  # no sales force some months: zero capacity

    def make():
        return [
            stock.copy(),
            deployed.copy(),
            rate,
            referred,
            surv,
            launch,
            cap,
            t0,
            t1,
            np.zeros((segments, months, n)),
            np.full((24, segments, n), np.nan),
            np.full((24, segments, n), np.nan),
            np.full((24, 6, n), np.nan, dtype=np.float32),  # KPI figures: float32, as the block
            np.full((24, n), np.nan, dtype=np.float32),
            figures,
        ]

    def check(a, b):
        for k in (0, 1, 9):  # the stocks, deployed accounts and every month's signings
            _same_bits(a[k], b[k])
        if figures:
            T = t1 - t0
            for k in (10, 11, 12):
                _same_bits(a[k][:T], b[k][:T])
            if capacity:
                _same_bits(a[13][:T], b[13][:T])

    _both(business._pipeline, make, check)


@FAST
@given(
    seed=st.integers(0, 2**32 - 1),
    months=st.integers(1, 40),
    n=st.integers(1, 1100),
    paid=st.booleans(),
)
def test_seats_by_age_twins(seed, months, n, paid):
    rng = _rng(seed)
    args = [
        rng.random(n) * 0.2,  # innovation
        rng.random(n) * 0.5,  # imitation
        np.where(rng.random(n) < 0.1, 1.0, rng.random(n) * 0.5),  # resistance, sometimes all
        0.9 + 0.1 * rng.random(n),  # monthly survival
        rng.random(n) * 500,  # seats per account
        rng.random(n) * 0.5,  # unused share
        rng.random(n) * 50,  # minimum
    ]

    def make():
        return [*args, np.full((months, n), np.nan), np.full((months if paid else 0, n), np.nan)]

    def check(a, b):
        _same_bits(a[7], b[7])
        _same_bits(a[8], b[8])

    _both(adoption._seats_by_age, make, check)


def test_seats_by_age_is_the_functions_it_composes():
    """Seats by age = survival^a · s(a+1) · seats; paid = survival^a · max(minimum, paid seats)."""
    rng = _rng(3)
    p, q, r = rng.random(50) * 0.1, rng.random(50) * 0.3, rng.random(50) * 0.4
    surv, seats, unused, low = 0.95 + 0.05 * rng.random(50), rng.random(50) * 90, 0.2, 30.0
    adopt = adoption.within_org_adoption(p, q, r, 12)
    by_age = adoption.survival_by_age(surv, 12)
    for flag in (False, True):
        with compiled.running(flag):
            w, paid = adoption.seats_by_age(p, q, r, surv, seats, unused, low, 12)
        _same_bits(w, by_age * adopt * seats)
        _same_bits(paid, by_age * adoption.paid_seats_per_account(adopt, seats, unused, low))


@FAST
@given(
    seed=st.integers(0, 2**32 - 1),
    segments=st.integers(1, 3),
    n=st.integers(1, 1300),
    discount=st.booleans(),
    you_pay=st.booleans(),
)
def test_enterprise_month_twins(seed, segments, n, discount, you_pay):
    rng = _rng(seed)
    S = (segments, n)
    args = [
        rng.random(S) * 1e3,  # billed seats
        rng.random(n) * 200,  # seat price this month
        rng.random(S) + 0.5,  # seat price multiple
        rng.random(n) * 0.3 if discount else np.empty(0),
        you_pay,
        rng.random(S) * 20,  # deployed
        rng.random(S) * 2,  # new
        rng.random(S),  # private share
        rng.random(S) * 8,  # piloting
        rng.random((8, *S)) * 1e4,  # the terms
    ]

    def make():
        return [*args, np.full(S, np.nan), np.full((9, n), np.nan)]

    def check(a, b):
        _same_bits(a[10], b[10])
        _same_bits(a[11], b[11])

    _both(enterprise._month, make, check)


@FAST
@given(
    seed=st.integers(0, 2**32 - 1),
    segments=st.integers(1, 3),
    n=st.integers(1, 300),
    ramp=st.integers(0, 4),
    data=st.data(),
)
def test_metered_month_twins(seed, segments, n, ramp, data):
    months = data.draw(st.integers(min(ramp, 1), ramp))  # the cohorts seen so far
    rng = _rng(seed)
    S = (segments, n)
    recent = rng.random((ramp, *S)) * 3 * rng.integers(0, 2, (ramp, *S))
    deployed = rng.random(S) * 10 - 1.0  # some below the young cohorts: the rest is 0
    deployed[rng.random(S) < 0.1] = -0.0
    shares = np.array([1.0, 0.5, 1 / 3, 0.25][:ramp])
    rng.shuffle(shares)
    args = [
        deployed,
        recent,
        months,
        rng.random((ramp, *S)),  # survival by age
        shares,
        rng.random(n) * 1e3,  # full volume per account this month
        rng.random(S) + 0.5,  # segment multiple
        rng.random(S) * 500 * rng.integers(0, 2, S),  # allowance
    ]

    def make():
        return [*args, np.full(S, np.nan), np.full(S, np.nan)]

    def check(a, b):
        _same_bits(a[8], b[8])
        _same_bits(a[9], b[9])

    _both(metered._month, make, check)


@FAST
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 700),
    months=st.integers(1, 30),
    groups=st.integers(1, 3),
)
def test_collections_twins(seed, n, months, groups):
    rng = _rng(seed)
    days = rng.random(n * groups) * 120
    days[rng.random(n * groups) < 0.1] = 1e4  # some lags past the horizon: the zero rows
    revenue = rng.random((months, n * groups)) * 1e4
    out = []
    for flag in (False, True):
        owed = cash.Collections(days, n * groups, months, groups=groups)
        with compiled.running(flag):
            out.append(np.stack([owed.step(revenue[t]) for t in range(months)]))
    _same_bits(out[0], out[1])
    # and the whole-history reference, summed over the groups in order
    ref = np.stack([cash.collected(revenue[: t + 1], t, days) for t in range(months)])
    ref = np.add.reduce(ref.reshape(months, groups, n), axis=1)
    np.testing.assert_allclose(out[1], ref, rtol=1e-12, atol=1e-9)


@FAST
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 700),
    months=st.integers(1, 40),
    top=st.sampled_from([2.0, 12.0]),  # up to 24 or 144 distinct lives: by runs, gathered
)
def test_depreciation_twins(seed, n, months, top):
    rng = _rng(seed)
    years = rng.uniform(0.01, top, n)
    capex = rng.exponential(1000.0, (months, n)) * (rng.random((months, n)) < 0.3)
    out = []
    for flag in (False, True):
        d = ownership.DepreciationSchedule(years)
        with compiled.running(flag):
            out.append(np.stack([d.step(capex[t]) for t in range(months)]))
    _same_bits(out[0], out[1])
    np.testing.assert_array_equal(out[1], ownership.straight_line_depreciation(capex.T, years).T)


BUSINESS = [
    name
    for name in templates.names()
    if any(k in templates.text(name) for k in ("business:", "enterprise:", "metered:"))
]


def _all_equal(a, b) -> None:
    for name in a.metrics:
        _same_bits(a.metrics[name], b.metrics[name])
    _same_bits(a.ledger_lms, b.ledger_lms)
    assert np.array_equal(a.kpis_lms.view(np.uint32), b.kpis_lms.view(np.uint32))
    _same_bits(a.ledger_sum_lm, b.ledger_sum_lm)
    _same_bits(a.kpi_sum_lm, b.kpi_sum_lm)


@pytest.mark.parametrize("months", [36, 120])  # 120: the cohorts' sums by FFT
@pytest.mark.parametrize("name", BUSINESS)
def test_compiled_and_numpy_runs_are_bit_identical(name, months, monkeypatch):
    assert len(BUSINESS) >= 4
    plan = breakeven.load(templates.path(name)).model_copy(update={"horizon_months": months})
    runs = []
    for mode in ("0", "1"):
        monkeypatch.setenv(compiled.ENV, mode)
        runs.append(breakeven.simulate(plan, samples=1200, seed=5, workers=1))
    _all_equal(*runs)


# Arguments a compiled loop may take strided ('A' layout, which numba cannot vectorise): only
# the cohort sums' ``out``, a window's rows written once per block of samples.
STRIDED_OK = {("_cohort_sums_loop", 5)}


@pytest.mark.parametrize("name", BUSINESS)
def test_compiled_loops_read_contiguous_arrays(name, monkeypatch):
    """A loop handed a strided array compiles a generic version, without SIMD: the enterprise
    stream's month ran 4x slower on a (segments, n) view of the (segments, months, n) cohorts."""
    monkeypatch.setenv(compiled.ENV, "1")
    twins = [enterprise._month, metered._month, business._pipeline, cash._collect]
    twins += [adoption._cohort_sums_into, adoption._seats_by_age, ownership._depreciate]
    for twin in twins:
        twin._compiled = None  # signatures of this run only
    plan = breakeven.load(templates.path(name))
    breakeven.simulate(plan, samples=600, seed=5, workers=1)
    strided = [
        (twin.loop.__name__, i)
        for twin in twins
        if twin._compiled is not None
        for sig in twin._compiled.signatures
        for i, arg in enumerate(sig)
        if getattr(arg, "layout", "C") != "C"
    ]
    assert set(strided) <= STRIDED_OK, strided


def test_the_policy_is_by_size_and_the_environment(monkeypatch):
    small, large = 10_000 * 60, compiled.AUTO_MIN_SAMPLE_MONTHS
    monkeypatch.setenv(compiled.ENV, "0")
    assert not compiled.wanted(large)
    monkeypatch.setenv(compiled.ENV, "1")
    assert compiled.wanted(small)
    monkeypatch.setenv(compiled.ENV, "auto")
    assert compiled.wanted(large)
    assert compiled.wanted(small)  # numba is loaded in this process by now: it costs nothing
    monkeypatch.setattr(compiled, "_numba", [None])  # numba not installed: the twins run
    monkeypatch.setenv(compiled.ENV, "1")
    assert not compiled.wanted(large)
    with compiled.running(True):
        assert not compiled._active[0]
