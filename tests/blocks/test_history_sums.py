"""The sums over past months behind the business and enterprise blocks, by hand and against
their whole-history definitions: seats of every cohort (cohort_sums) and cash collected after
payment terms (Collections)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from breakeven.models.adoption import cohort_sums, cohort_sums_fft
from breakeven.models.cash import Collections, collected
from breakeven.models.units import MONTH_DAYS


def _per_month(new: np.ndarray, per_age: np.ndarray, start: int = 0) -> np.ndarray:
    """The sums as the business block made them month by month: one einsum over the cohorts
    deployed so far, newest first, against the holding by age."""
    out = np.zeros_like(new)
    for t in range(start, new.shape[0]):
        out[t] = np.einsum("an,an->n", new[t - start :: -1], per_age[start : t + 1])
    return out


def _cohorts_and_holdings(seed: int, months: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Random cohorts (a fifth of the months sign none) and holdings by age, (months, n) each."""
    rng = np.random.default_rng(seed)
    new = rng.exponential(5.0, (months, n)) * (rng.random((months, n)) < 0.8)
    return new, rng.random((months, n)) * 100


def test_cohort_sums_by_hand():
    # 2 accounts deployed in month 1 and 1 in month 2; an account holds 10, 4, 3 seats at ages 0–2
    new = np.array([[2.0], [1.0], [0.0]])
    per_age = np.array([[10.0], [4.0], [3.0]])
    assert cohort_sums(new, per_age).ravel().tolist() == [20.0, 8 + 10, 6 + 4]
    # past their first month only (ages ≥ 1), for months 2 and 3
    assert cohort_sums(new, per_age, range(1, 3), start=1).ravel().tolist() == [8.0, 6 + 4]
    assert cohort_sums(new, per_age, range(0)).shape == (0, 1)


def test_cohort_sums_in_blocks_of_samples_are_the_monthly_sums_bit_for_bit():
    rng = np.random.default_rng(7)
    new = rng.exponential(1.0, (30, 20_001)) * (rng.random((30, 20_001)) < 0.7)
    per_age = rng.random((30, 20_001))
    assert np.array_equal(cohort_sums(new, per_age), _per_month(new, per_age))  # two blocks
    parts = [cohort_sums(new, per_age, range(a, min(30, a + 7))) for a in range(0, 30, 7)]
    assert np.array_equal(np.concatenate(parts), _per_month(new, per_age))


@settings(max_examples=150, deadline=None)
@given(
    months=st.integers(1, 30),
    n=st.integers(1, 5),
    start=st.integers(0, 6),
    first=st.integers(0, 30),
    seed=st.integers(0, 2**32 - 1),
)
def test_cohort_sums_are_the_definition(months, n, start, first, seed):
    new, per_age = _cohorts_and_holdings(seed, months, n)
    span = range(min(first, months), months)
    got = cohort_sums(new, per_age, span, start=start)
    assert np.array_equal(got, _per_month(new, per_age, start)[span.start :])
    naive = np.zeros((len(span), n))
    for i, t in enumerate(span):
        for a in range(start, t + 1):
            naive[i] += new[t - a] * per_age[a]
    np.testing.assert_allclose(got, naive, rtol=1e-12)


def test_cohort_sums_by_fft_by_hand():
    new = np.array([[2.0], [1.0], [0.0]])
    per_age = np.array([[10.0], [4.0], [3.0]])
    (all_ages,) = cohort_sums_fft(new, [per_age])
    assert np.allclose(all_ages.ravel(), [20.0, 18.0, 10.0], rtol=0, atol=1e-12)
    (past,) = cohort_sums_fft(new, [per_age], start=1)
    past = past.ravel()
    assert past[0] == 0.0  # exactly: no cohort is a month old yet
    assert np.allclose(past[1:], [8.0, 10.0], rtol=0, atol=1e-12)
    assert per_age.ravel().tolist() == [10.0, 4.0, 3.0]  # the holdings are left alone


@settings(max_examples=100, deadline=None)
@given(
    months=st.integers(1, 130),
    n=st.integers(1, 4),
    start=st.integers(0, 6),
    quiet=st.integers(0, 130),
    seed=st.integers(0, 2**32 - 1),
)
def test_cohort_sums_by_fft_are_the_sums_to_rounding(months, n, start, quiet, seed):
    """Within 1e-13 of the largest term, never negative, and exactly 0 before the first cohort
    (the months before launch hold no seats, not rounding noise)."""
    new, per_age = _cohorts_and_holdings(seed, months, n)
    new[: min(quiet, months)] = 0.0  # nothing signed for a while
    got, twice = cohort_sums_fft(new, [per_age, 2 * per_age], start)
    assert np.allclose(twice, 2 * got, rtol=1e-12, atol=1e-9)
    want = cohort_sums(new, per_age, start=start)
    scale = new.max(initial=0.0) * per_age.max(initial=0.0) * months
    assert np.all(got >= 0.0)
    assert np.all(np.abs(got - want) <= 1e-13 * max(scale, 1e-300))
    assert np.all(got[want == 0.0] == 0.0)
    before = np.arange(months)[:, None] < (min(quiet, months) + start)
    assert np.all(got[np.broadcast_to(before, got.shape)] == 0.0)


def test_cohort_sums_by_fft_do_not_depend_on_the_other_samples():
    """Each sample is transformed alone: a chunk of samples gets the same bits as the run."""
    rng = np.random.default_rng(3)
    new = rng.exponential(1.0, (240, 1000)) * (rng.random((240, 1000)) < 0.5)
    per_age = rng.random((240, 1000))
    (whole,) = cohort_sums_fft(new, [per_age], 2)
    for a, b in ((0, 1), (1, 333), (333, 1000), (997, 1000)):
        (part,) = cohort_sums_fft(new[:, a:b], [per_age[:, a:b]], 2)
        assert np.array_equal(part, whole[:, a:b])


def test_collections_by_hand():
    # 45 days ≈ 1.48 months: 52% of a month's revenue arrives a month later, 48% two months later
    days = 45.0
    share = days / MONTH_DAYS - 1
    c = Collections(np.array([days, 0.0]), 2, 5)
    got = [c.step(np.array([r, r])).tolist() for r in (100.0, 200.0, 0.0, 0.0, 0.0)]
    first = [g[0] for g in got]
    assert np.allclose(
        first, [0, 100 * (1 - share), 100 * share + 200 * (1 - share), 200 * share, 0]
    )
    assert [g[1] for g in got] == [100.0, 200.0, 0.0, 0.0, 0.0]  # paid at once
    # terms longer than the horizon: nothing arrives
    late = Collections(np.array([10_000.0]), 1, 3)
    assert [late.step(np.array([50.0]))[0] for _ in range(3)] == [0.0, 0.0, 0.0]


@settings(max_examples=200, deadline=None)
@given(
    months=st.integers(1, 30),
    days=st.lists(st.floats(0.0, 1200.0), min_size=1, max_size=5),
    seed=st.integers(0, 2**32 - 1),
)
def test_collections_are_the_whole_history_gather_bit_for_bit(months, days, seed):
    rng = np.random.default_rng(seed)
    n = len(days)
    dso = np.array(days)
    revenue = rng.normal(1000.0, 400.0, (months, n)) * (rng.random((months, n)) < 0.9)
    c = Collections(dso, n, months)
    history = np.zeros((months, n))
    for t in range(months):
        history[t] = revenue[t]
        assert np.array_equal(c.step(revenue[t]), collected(history, t, dso))
