"""A business segment's recent growth (issue 9: what a plan could not say): the pipeline starts
on the balanced growth path that fed it, by hand on a one-segment plan, and the stocks of
:func:`pipeline_on_growth_path` grow as fast as the growth through one month of the chain."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import breakeven
from breakeven.blocks.business import path_ages, path_ages_for_mean
from breakeven.models.adoption import mean_on_growth_path, pipeline_on_growth_path

SEGMENT = """\
name: growing to-business
horizon_months: {H}
samples: 2
discount_rate_per_year: 0
market:
  business:
    segments:
      - name: mid
        accounts: {accounts}
        seats_per_account: 10
        {start}
        recent_growth_per_month: {growth}
        start_pilot_per_month: 20%
        abandon_pilot_per_month: 5%
        get_budget_per_month: 10%
        sales_cycle_months: 2
        renewal_per_year: {renewal}
        {extra}
streams:
  enterprise:
    price_per_seat_per_month: 100
    payment_terms_days: 0
"""


def plan(
    *,
    H: int = 4,
    accounts: float = 100_100,
    start: str = "deployed_accounts: 100",
    growth: str = "10%",
    renewal: float = 1,
    extra: str = "",
) -> str:
    return SEGMENT.format(
        H=H, accounts=accounts, start=start, growth=growth, renewal=renewal, extra=extra
    )


def kpi(r: breakeven.Results, name: str) -> np.ndarray:
    return np.asarray(r.kpi(name)[0], dtype=float)  # sample 0: every sample is the same


def run(text: str) -> breakeven.Results:
    return breakeven.simulate(breakeven.load_text(text), samples=2, seed=1)


def test_signings_and_stages_grow_by_the_recent_growth_by_hand():
    """D₀ = 100, g = 10%, no churn, sign 1/2, budget 10%, abandon 5%, pilot 20%: budgeted
    B = 10 ÷ 0.5 = 20, piloting P = 20 × 0.6 ÷ 0.1 = 120, exploring E = 120 × 0.25 ÷ 0.2 = 150,
    and 150 × 0.3 = 45 accounts start exploring in month 1. Signings 10, 11, 12.1: each flow
    grows by 10% a month, and so do the deployed accounts (110, 121, 133.1)."""
    r = run(plan())
    np.testing.assert_allclose(kpi(r, "new_deployments")[:3], [10, 11, 12.1], rtol=1e-6)
    np.testing.assert_allclose(kpi(r, "deployed_accounts")[:3], [110, 121, 133.1], rtol=1e-6)
    np.testing.assert_allclose(kpi(r, "budgeted_accounts")[:2], [22, 24.2], rtol=1e-6)
    np.testing.assert_allclose(kpi(r, "piloting_accounts")[:2], [132, 145.2], rtol=1e-6)
    # exploring: 150 + 45 in − 150 × 20% out = 165
    np.testing.assert_allclose(kpi(r, "exploring_accounts")[0], 165, rtol=1e-6)


def test_signings_replace_churn_as_well():
    """Renewal 80% a year: churn c = 1 − 0.8^(1/12) a month, so month-1 signings are
    (g + c) × D₀ and the deployed accounts of month 1, which carry no churn, (1 + g + c) × D₀."""
    c = 1 - 0.8 ** (1 / 12)
    r = run(plan(renewal=0.8))
    signed = kpi(r, "new_deployments")
    np.testing.assert_allclose(signed[0], (0.1 + c) * 100, rtol=1e-6)
    np.testing.assert_allclose(signed[1:3] / signed[:2], [1.1, 1.1], rtol=1e-5)
    np.testing.assert_allclose(kpi(r, "deployed_accounts")[0], (1.1 + c) * 100, rtol=1e-6)


def test_a_starting_arr_sets_the_accounts_the_growth_is_of():
    """deployed_arr 12M a year at 100 a seat, 10 seats each, all adopted and used (age 600
    months, no resistance, no shelfware): 1,000 deployed accounts; month-1 signings 10% of
    them."""
    arr = "deployed_arr: 12M\n        deployed_account_age_months: 600"
    full = "seat_innovation_per_month: 100%\n        resistance: 0\n        unused_paid_seats: 0"
    r = run(plan(start=arr, extra=full))
    np.testing.assert_allclose(kpi(r, "new_deployments")[0], 100, rtol=1e-5)


def test_a_segment_too_small_for_the_growth_holds_what_it_has():
    """50 accounts not yet deployed against the 290 the path needs: the stages are scaled to
    the 50 (no plans empty, nobody starts exploring) and signings fall short of the growth."""
    r = run(plan(accounts=150))
    scale = 50 / 290
    np.testing.assert_allclose(kpi(r, "new_deployments")[0], 10 * scale, rtol=1e-6)
    month_1 = ("exploring_accounts", "piloting_accounts", "budgeted_accounts")
    month_1 += ("new_deployments", "abandoned_pilots")  # where the 50 went in month 1
    assert sum(kpi(r, k)[0] for k in month_1) == pytest.approx(50, rel=1e-6)


def test_shrinking_faster_than_churn_leaves_the_pipeline_empty():
    r = run(plan(growth="-5%"))
    assert kpi(r, "new_deployments").max() == 0
    np.testing.assert_allclose(kpi(r, "deployed_accounts")[:2], [100, 100])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(start="deployed_accounts: 0"), "recent_growth_per_month needs deployed_accounts"),
        (
            dict(extra="stage_mix: {no_plans: 0.5, exploring: 0.5}"),
            "give stage_mix or recent_growth_per_month",
        ),
        (
            dict(extra="start_exploring_per_month: 2%"),
            "give start_exploring_per_month or recent_growth_per_month",
        ),
        (dict(extra="launch_month: 3"), "its launch_month must be 1"),
    ],
)
def test_growth_without_what_grows_or_with_what_it_sets_is_located(kwargs, match):
    with pytest.raises(breakeven.ScenarioError, match=match) as e:
        breakeven.load_text(plan(**kwargs))
    assert "market.business.segments.0" in str(e.value)


rate = st.floats(0.01, 1.0)


@settings(max_examples=60, deadline=None)
@given(
    g=st.floats(-0.05, 0.5),
    c=st.floats(0.0, 0.05),
    deployed=st.floats(1.0, 1e5),
    room=st.floats(1e3, 1e9),
    pilot=rate,
    abandon=st.floats(0.0, 0.3),
    budget=rate,
    sign=rate,
)
def test_one_month_of_the_chain_grows_every_stage_by_the_growth(
    g, c, deployed, room, pilot, abandon, budget, sign
):
    """Invariant: unless scaled down, the stages hold every account not yet deployed, and one
    month of the chain's flows (the block's own order) leaves each stage (1 + g) times larger
    and signs (g + c) × deployed."""
    a = [np.array([v]) for v in (g, c, deployed, room, pilot, abandon, budget, sign)]
    N, E, P, B, explore = (float(x[0]) for x in pipeline_on_growth_path(*a))
    assert min(N, E, P, B, explore) >= 0 and explore <= 1
    if (
        B + P + E >= room
        or explore >= 1
        or min(g + c, g + sign, g + abandon + budget, g + pilot) <= 0
    ):
        return  # scaled, capped at 1, or a stage draining slower than it shrinks: off the path
    assert N + E + P + B == pytest.approx(room, rel=1e-9)
    signed = B * sign
    assert signed == pytest.approx((g + c) * deployed, rel=1e-9)
    to_explore, to_pilot = N * explore, E * pilot
    E1 = E + to_explore - to_pilot
    P1 = P + to_pilot - P * abandon - P * budget
    B1 = B + P * budget - signed
    for before, after in ((E, E1), (P, P1), (B, B1)):
        assert after == pytest.approx((1 + g) * before, rel=1e-7, abs=1e-9 * room)


def test_growth_from_python_as_from_yaml():
    """The same plan as a Python dict through Scenario.model_validate gives the same numbers."""
    import yaml

    data = yaml.safe_load(plan())
    sc = breakeven.Scenario.model_validate(data)
    seg = sc.model_dump(mode="json")["market"]["business"]["segments"][0]
    assert seg["recent_growth_per_month"] == "10%"
    a = breakeven.simulate(sc, samples=2, seed=1)
    b = run(plan())
    assert np.array_equal(kpi(a, "new_deployments"), kpi(b, "new_deployments"))


RAMP = (
    "seat_innovation_per_month: 5%\n        seat_imitation_per_month: 0.2\n"
    "        resistance: 20%\n        unused_paid_seats: 0"
)


def test_seats_grow_at_the_recent_growth_as_accounts_do():
    """The starting accounts are the growth path's cohorts (ages spread as 10% a month left
    them, each still adopting inside): with no churn, seats and paid seats grow by 10% a month
    from month 1, as signings and accounts do (until the pipeline's inflow, held at its month-1
    rate, lets the growth fade). Starting from one age, seats grew ~8% while the accounts grew
    10%: a new account brings few seats, and the base was far up its curve."""
    r = run(plan(H=4, extra=RAMP))
    for name in ("seats", "paid_seats"):
        x = kpi(r, name)
        np.testing.assert_allclose(x[1:] / x[:-1], 1.1, rtol=1e-5)


def test_a_starting_arr_on_the_growth_path_is_month_0s():
    """deployed_arr 12M a year at 100 a seat is 10,000 paid seats in month 0, the month the
    accounts D₀ count: month 1, already a month along the path, holds 10% more."""
    r = run(plan(H=3, start="deployed_arr: 12M", extra=RAMP))
    np.testing.assert_allclose(kpi(r, "paid_seats")[0], 11_000, rtol=1e-4)


def test_starting_paid_seats_on_the_growth_path_are_month_0s():
    """10,000 paid seats counted in month 0 read as the accounts that hold them on the path,
    as deployed_arr 12M at 100 a seat does: the same run, and month 1 holds 10% more."""
    by_seats = run(plan(H=3, start="deployed_paid_seats: 10000", extra=RAMP))
    by_arr = run(plan(H=3, start="deployed_arr: 12M", extra=RAMP))
    np.testing.assert_allclose(kpi(by_seats, "paid_seats")[0], 11_000, rtol=1e-4)
    for name in ("deployed_accounts", "seats", "paid_seats"):
        np.testing.assert_allclose(kpi(by_seats, name), kpi(by_arr, name), rtol=1e-12)
    # growth of what: paid seats are a starting count as accounts and ARR are; none is none
    breakeven.load_text(plan(start="deployed_paid_seats: 10000"))
    with pytest.raises(breakeven.ScenarioError, match="growth of what"):
        breakeven.load_text(plan(start="deployed_paid_seats: 0"))


def test_a_stated_age_is_the_mean_age_of_the_paths_accounts():
    """ratio ½: a path of ages 1..M has mean age 1, 4/3, 11/7 for M = 1, 2, 3 (weights ½, ¼,
    ⅛); the first M reaching the stated mean is taken, at most the path's whole past."""
    half = np.full(4, 0.5)
    most = np.full(4, 20)
    got = path_ages_for_mean(half, np.array([0.5, 1.2, 1.4, 5.0]), most)
    assert got.tolist() == [1, 2, 3, 20]
    assert path_ages(half).tolist() == [20] * 4  # ½^20 < 1e-6 ≤ ½^19
    assert path_ages(np.array([1.0, 1.02, 0.0])).tolist() == [600, 600, 1]
    # no growth, no churn (ratio 1): ages 1..23 average 12; shrinking fast (ratio 99), the
    # oldest weigh most and 13 ages average just past 12
    assert path_ages_for_mean(np.array([1.0, 99.0]), 12.0, np.full(2, 600)).tolist() == [23, 13]


def test_a_shrinking_segment_stays_within_its_accounts():
    """Shrinking faster than it churns (ratio survival ÷ (1 + growth) above 1), over 240
    months: the starting accounts are the oldest cohorts of a shrinking path, and no month holds
    more paid seats than the 100 accounts' 1,000 seats (the first recursion, backwards from the
    last month, multiplied its rounding by 1.25 a month: 6.3e10 seats)."""
    for growth in ("-20%", "-99%", "-99.99%"):
        r = run(plan(H=240, growth=growth, extra=RAMP))
        seats = kpi(r, "paid_seats")
        assert np.isfinite(seats).all() and seats.min() >= 0 and seats.max() <= 1_000 * 1.0001


def test_the_starting_seats_move_smoothly_where_growth_meets_churn():
    """Around growth = −churn (ratio 1) the path's ages and the accounts read from an ARR
    change little (a first version jumped from 600 months of ages to 12 there)."""
    arr = "deployed_arr: 12M"
    near = [
        kpi(run(plan(start=arr, growth=g, renewal=0.8, extra=RAMP)), "paid_seats")[0]
        for g in ("-1.9%", "-1.8%")
    ]
    assert near[0] == pytest.approx(near[1], rel=0.05)


def test_no_account_survives_a_month_leaves_the_youngest():
    """renewal 0: the growth path's accounts are all one month old (weights 0^age), not 0 ÷ 0."""
    r = run(plan(renewal=0, extra=RAMP))
    assert np.isfinite(kpi(r, "paid_seats")).all()


def test_the_mean_age_is_an_input_like_any_other():
    """Held at another value (fixed=, goal seek), a segment's mean age moves its seats, whether
    or not the plan writes it (default 12)."""
    sc = breakeven.load_text(plan(start="deployed_arr: 12M", growth="3%", extra=RAMP))
    leaf = "market.business.segments.0.deployed_account_age_months"
    seats = [
        np.asarray(breakeven.simulate(sc, samples=2, seed=1, fixed={leaf: v}).kpi("paid_seats"))
        for v in (3, 12)
    ]
    assert not np.array_equal(seats[0], seats[1])


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    months=st.integers(1, 6),
    top=st.integers(1, 9),
)
def test_the_growth_path_mean_is_its_weighted_sum(seed, months, top):
    """Invariant: the backward recursion of mean_on_growth_path gives Σ_{A=1..M} r^A ·
    values[A + t] / Σ r^A, term by term, for ratios below and above 1 and any oldest age M."""
    rng = np.random.default_rng(seed)
    n = 5
    values = rng.uniform(0, 10, (months + top + 1, n))
    ratio = rng.uniform(0.3, 1.3, n)
    oldest = rng.integers(1, top + 1, n)
    want = np.empty((months, n))
    for j in range(n):
        w = ratio[j] ** np.arange(1, oldest[j] + 1)
        for t in range(months):
            want[t, j] = w @ values[t + 1 : t + 1 + oldest[j], j] / w.sum()
    np.testing.assert_allclose(mean_on_growth_path(values, ratio, oldest, months), want, rtol=1e-9)


def test_a_segments_growth_carries_on_until_it_fills():
    """Accounts start exploring as your deployments grow (references): in a segment of a
    billion accounts, 10% a month stays 10% for two years, in signings and deployed accounts
    alike (held at its month-1 rate, the inflow let signings' growth fall month by month)."""
    r = run(plan(H=24, accounts=1e9))
    for name in ("new_deployments", "deployed_accounts"):
        x = kpi(r, name)
        np.testing.assert_allclose(x[1:] / x[:-1], 1.1, rtol=1e-5)
