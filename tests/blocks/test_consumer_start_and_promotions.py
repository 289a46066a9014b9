"""Consumer starting state, activity periods, conversion price response and promotions, hand-checked
on the tiny plan of tests/conftest.py (1,000 people, 1% adopt per month, 10% churn, 50% pay ¥10).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import TINY

import breakeven
from breakeven.models.adoption import reactivation_for_growth


def plan(consumer: str = "", subscription: str = "", price: str = "10", conversion: str = "50%"):
    text = TINY.replace("    churn_per_month: 10%\n", "    churn_per_month: 10%\n" + consumer)
    text = text.replace("    price_per_month: 10\n", f"    price_per_month: {price}\n")
    text = text.replace("    conversion: 50%\n", f"    conversion: {conversion}\n" + subscription)
    return text


def run(text: str):
    return breakeven.simulate(breakeven.load_text(text), samples=1)


def test_existing_users_are_settled_not_new():
    r = run(plan("    existing_users: 100\n"))
    # month 1: 100 − 10 churned + 1% of the 900 not yet reached = 99 active, of whom 9 are new
    assert r.kpi("active_users")[0, 0] == pytest.approx(99)
    assert r.kpi("new_users")[0, 0] == pytest.approx(9)
    assert r.kpi("churned_users")[0, 0] == pytest.approx(10)
    assert r.kpi("paying_users")[0, 0] == pytest.approx(49.5)
    assert r.line("revenue.subscription")[0, 0] == pytest.approx(495)
    fresh = run(plan())
    assert fresh.kpi("active_users")[0, 0] == pytest.approx(10)


def test_users_counted_daily_are_converted_to_monthly():
    daily = "    existing_users: 25\n    users_counted_as: dau\n    activity: {dau_per_mau: 25%, wau_per_mau: 60%}\n"
    r = run(plan(daily))
    assert r.kpi("active_users")[0, 0] == pytest.approx(99)  # 25 DAU = 100 MAU
    assert r.kpi("dau")[0, 0] == pytest.approx(99 * 0.25)
    assert r.kpi("wau")[0, 0] == pytest.approx(99 * 0.60)


def test_conversion_against_daily_users():
    r = run(
        plan("    activity: {dau_per_mau: 20%}\n", "    conversion_of: dau\n", conversion="50%")
    )
    assert r.kpi("paying_users")[0, 0] == pytest.approx(10 * 0.2 * 0.5)


def test_existing_subscribers_move_to_the_conversion_by_partial_adjustment():
    sub = "    existing_subscribers: 20\n    adjustment_months: 1\n"
    r = run(plan("    existing_users: 100\n", sub))
    lam = 1 - math.exp(-1)
    share1 = 0.2 + lam * (0.5 - 0.2)
    assert r.kpi("paying_users")[0, 0] == pytest.approx(99 * share1)
    share2 = share1 + lam * (0.5 - share1)
    assert r.kpi("paying_users")[0, 1] / r.kpi("active_users")[0, 1] == pytest.approx(share2)


def test_existing_mrr_states_the_same_start_as_the_subscribers_it_implies():
    by_count = run(
        plan(
            "    existing_users: 100\n", "    existing_subscribers: 20\n    adjustment_months: 1\n"
        )
    )
    by_mrr = run(
        plan("    existing_users: 100\n", "    existing_mrr: 200\n    adjustment_months: 1\n")
    )
    # ¥200 a month at ¥10 is 20 subscribers
    assert by_mrr.kpi("paying_users")[0] == pytest.approx(by_count.kpi("paying_users")[0])
    # reported MRR is net of VAT: at 6% VAT, ¥200 net is ¥212 paid, 21.2 subscribers
    with_vat = plan(
        "    existing_users: 100\n", "    existing_mrr: 200\n    adjustment_months: 1\n"
    )
    with_vat = with_vat.replace("    existing_mrr:", "    vat: 6%\n    existing_mrr:")
    lam = 1 - math.exp(-1)
    share1 = 0.212 + lam * (0.5 - 0.212)
    assert run(with_vat).kpi("paying_users")[0, 0] == pytest.approx(99 * share1)
    both = plan("    existing_users: 100\n", "    existing_subscribers: 5\n    existing_mrr: 200\n")
    with pytest.raises(breakeven.ScenarioError, match="not both"):
        breakeven.load_text(both)


def test_conversion_answers_the_price_with_its_elasticity():
    sub = "    price_elasticity: -1\n"
    r = run(plan(subscription=sub, price="{1: 10, 3: 5}", conversion="20%"))
    share = r.kpi("paying_users")[0] / r.kpi("active_users")[0]
    assert share == pytest.approx([0.2, 0.2, 0.4], rel=1e-6)  # half the price, twice the payers
    lagged = run(
        plan(
            subscription=sub + "    adjustment_months: 2\n", price="{1: 10, 3: 5}", conversion="20%"
        )
    )
    s3 = lagged.kpi("paying_users")[0, 2] / lagged.kpi("active_users")[0, 2]
    assert s3 == pytest.approx(0.2 + (1 - math.exp(-0.5)) * 0.2, rel=1e-6)


def test_a_free_trial_delays_billing_and_costs_the_trials_that_do_not_convert():
    r = run(plan(subscription="    trial: {months: 1, to_paid: 50%}\n"))
    # month 1: 10 active, 5 subscribers all in their trial (10 trial users: half will not pay)
    assert r.kpi("paying_users")[0, 0] == pytest.approx(0)
    assert r.kpi("trial_users")[0, 0] == pytest.approx(10)
    assert r.line("revenue.subscription")[0, 0] == pytest.approx(0)
    # month 2: 18.9 active, 9.45 subscribers; 4.5 are last month's (billed), 4.95 new in trial
    assert r.kpi("paying_users")[0, 1] == pytest.approx(4.5)
    assert r.kpi("trial_users")[0, 1] == pytest.approx(9.9)
    assert r.line("revenue.subscription")[0, 1] == pytest.approx(45)


def test_an_introductory_price_for_the_first_months():
    r = run(plan(subscription="    intro_offer: {months: 2, discount: 50%}\n"))
    rev = r.line("revenue.subscription")[0]
    assert rev[0] == pytest.approx(25)  # 5 new subscribers at half price
    assert rev[1] == pytest.approx(9.45 * 10 * 0.5)  # everyone is within 2 months
    p3 = r.kpi("paying_users")[0, 2]
    starts3 = p3 - 0.9 * 9.45
    in_intro = starts3 + 4.95 * 0.9
    assert rev[2] == pytest.approx((p3 - 0.5 * in_intro) * 10)


@pytest.mark.parametrize("paid_by", ["you", "partner"])
def test_subsidised_subscribers(paid_by):
    sub = f"    subsidised: {{share: 20%, discount: 100%, paid_by: {paid_by}}}\n"
    r, base = run(plan(subscription=sub)), run(plan())
    full = base.line("revenue.subscription")[0]
    fees = r.line("cogs.payment_fees")[0]
    assert fees == pytest.approx(0.8 * base.line("cogs.payment_fees")[0])  # customers pay 80%
    expect = full if paid_by == "partner" else 0.8 * full
    assert r.line("revenue.subscription")[0] == pytest.approx(expect)


def test_without_the_new_fields_nothing_moves():
    a, b = run(TINY), run(plan("    existing_users: 0\n", "    adjustment_months: 0\n"))
    assert np.array_equal(a.line("revenue.subscription"), b.line("revenue.subscription"))


@pytest.mark.parametrize(
    "consumer, subscription, message",
    [
        (
            "",
            "    existing_subscribers: 5\n    adjustment_months: 2\n",
            "existing subscribers need market.consumer.existing_users",
        ),
        (
            "    existing_users: 100\n",
            "    existing_subscribers: 5\n",
            "existing subscribers need adjustment_months above 0",
        ),
        ("", "    conversion_of: dau\n", "conversion of dau needs market.consumer.activity"),
        ("    users_counted_as: wau\n", "", "users_counted_as wau needs activity.wau_per_mau"),
        ("", "    trial: {months: 1, to_paid: 0}\n", "to_paid must be above 0"),
    ],
)
def test_inconsistent_starting_state_is_a_clear_error(consumer, subscription, message):
    with pytest.raises(breakeven.ScenarioError, match=message):
        breakeven.load_text(plan(consumer, subscription))


def test_recent_growth_sets_word_of_mouth_so_month_one_grows_at_that_rate():
    text = plan("    existing_users: 100\n    recent_growth_per_month: 5%\n").replace(
        "    innovation_per_year: 12%      # p/12 = 1% per month\n", ""
    )
    r = run(text)
    # 100 settled users, 10 churn, nobody comes back: 15 organic adopters are needed for +5%.
    # A product that grew 5% a month losing 10% a month has 10 / 0.05 = 200 lapsed people, out
    # of the market: 700 left, and q/12 · 100/1000 · 700 = 15 (no innovation)
    assert r.kpi("active_users")[0, 0] == pytest.approx(105)
    assert r.kpi("new_users")[0, 0] == pytest.approx(15)
    # then word of mouth grows with the users (105) on what is left of the market (685):
    # 15 × 1.05 × 685/700, where an innovation p would have kept 15 × 685/700
    assert r.kpi("new_users")[0, 1] == pytest.approx(15 * 1.05 * 685 / 700, rel=1e-6)


def test_a_stated_growth_carries_on_until_the_market_fills():
    """Invariant of the growth path: in a market a million times the users, with no early
    churn, 8% a month stays 8% a month (within the market's filling) for a year. A calibrated
    innovation held the inflow at 18 a month against 10% churn: 108, 115.2, … towards 180,
    1.6% in month 12."""
    text = plan(
        "    existing_users: 100\n    recent_growth_per_month: 8%\n    reactivation_per_month: 0\n"
    ).replace("    innovation_per_year: 12%      # p/12 = 1% per month\n", "")
    text = text.replace("market_size: 1000", "market_size: 100M").replace(
        "horizon_months: 3", "horizon_months: 12"
    )
    users = np.asarray(run(text).kpi("active_users")[0], dtype=float)
    np.testing.assert_allclose(users[1:] / users[:-1], 1.08, rtol=1e-4)


def _growing(retention: str = "") -> str:
    return plan("    existing_users: 100\n    recent_growth_per_month: 5%\n" + retention).replace(
        "    innovation_per_year: 12%      # p/12 = 1% per month\n", ""
    )


def test_recent_growth_with_early_churn_counts_the_recent_cohorts():
    r = run(_growing("    retention: {early_churn_per_month: 50%, early_months: 1}\n"))
    # Steady growth G = 1.05 with one early month at 50% churn, x = 0.5 / 1.05, no one back:
    # N0 = (0.15 × 100) / (0.15 + 1.05 · x) = 15 / 0.65 joined last month (23.08 of the 100 are
    # in their early month, 76.92 settled); month 1 brings 1.05 · N0 = 24.23 new users, loses
    # 10% of the settled (7.69) and half the early cohort (11.54), and grows 5%.
    n0 = 15 / 0.65
    assert r.kpi("new_users")[0, 0] == pytest.approx(1.05 * n0)
    assert r.kpi("churned_users")[0, 0] == pytest.approx(0.1 * (100 - n0) + 0.5 * n0)
    assert r.kpi("active_users")[0, 0] == pytest.approx(105)


def test_recent_growth_with_early_churn_keeps_growing_after_month_one():
    """Before the recent cohorts were counted, month 1 grew 5% and month 2 fell back as the
    month-1 adopters met their early churn (+5.0% then -1.7% here); now month 2 goes on near
    the plain plan's pace (Bass with the same q = 0 slows both alike)."""
    early = run(_growing("    retention: {early_churn_per_month: 50%, early_months: 1}\n"))
    plain = run(_growing())
    a, b = early.kpi("active_users")[0], plain.kpi("active_users")[0]
    assert a[1] / a[0] - 1 == pytest.approx(b[1] / b[0] - 1, abs=0.01)
    assert a[1] / a[0] - 1 > 0.03


def test_lapsed_users_come_back_and_are_out_of_the_market():
    base = "    existing_users: 100\n    reactivation_per_month: 5%\n"
    r = run(plan(base))
    # no growth given: the steady pool, 10% churn × 100 ÷ 5% return = 200 lapsed; 10 come back
    assert r.kpi("reactivated_users")[0, 0] == pytest.approx(10)
    assert r.kpi("new_users")[0, 0] == pytest.approx(0.01 * (1000 - 300))  # 1% of 700 left
    assert r.kpi("active_users")[0, 0] == pytest.approx(100 - 10 + 10 + 7)
    given = run(plan(base + "    lapsed_users: 50\n"))
    assert given.kpi("reactivated_users")[0, 0] == pytest.approx(2.5)
    assert given.kpi("new_users")[0, 0] == pytest.approx(0.01 * (1000 - 150))


@pytest.mark.parametrize(
    "consumer, message",
    [
        (
            "    recent_growth_per_month: 5%\n",
            "give innovation_per_year or recent_growth_per_month",
        ),
    ],
)
def test_growth_or_innovation_not_both(consumer, message):
    with pytest.raises(breakeven.ScenarioError, match=message):
        breakeven.load_text(plan("    existing_users: 100\n" + consumer))


def test_recent_growth_needs_existing_users():
    text = plan("    recent_growth_per_month: 5%\n").replace(
        "    innovation_per_year: 12%      # p/12 = 1% per month\n", ""
    )
    with pytest.raises(breakeven.ScenarioError, match="needs existing_users"):
        breakeven.load_text(text)


def test_an_implausible_conversion_elasticity_is_a_located_error():
    with pytest.raises(
        breakeven.ScenarioError, match=r"streams\.subscription\.price_elasticity: an elasticity"
    ):
        breakeven.load_text(plan(subscription="    price_elasticity: -100\n"))


def _path(growth: str, extra: str = "", market: str = "100M") -> np.ndarray:
    """Active users of a product stated to grow at ``growth`` a month, people coming back."""
    text = plan(
        f"    existing_users: 1000\n    recent_growth_per_month: {growth}\n"
        "    reactivation_per_month: 5%\n" + extra
    ).replace("    innovation_per_year: 12%      # p/12 = 1% per month\n", "")
    text = text.replace("market_size: 1000", f"market_size: {market}").replace(
        "horizon_months: 3", "horizon_months: 12"
    )
    return np.asarray(run(text).kpi("active_users")[0], dtype=float)


def test_the_lapsed_pool_holds_the_early_cohorts_churn_too():
    """With early months and people coming back, the default lapsed pool is the growth path's:
    the early cohorts' churn feeds it as the settled users' does, and 8% a month holds (a pool
    of the settled users' churn alone let the growth climb to 10.5% by month 24)."""
    users = _path("8%", "    retention: {early_churn_per_month: 30%, early_months: 3}\n")
    np.testing.assert_allclose(users[1:] / users[:-1], 1.08, rtol=1e-5)  # the market fills


def test_a_decline_with_people_coming_back_holds_in_month_one():
    """Shrinking 4.9% a month with 5% of the lapsed coming back: the path's pool, churn ÷
    (growth + reactivation), is 100 times the users and brought them back five-fold (+492%).
    Nobody new joins a shrinking product; the pool is the one whose returning make up the churn
    less the decline, (−4.9% + 10%) × 1,000 ÷ 5% = 1,020: month 1 is 951."""
    users = _path("-4.9%", market="1M")
    assert users[0] == pytest.approx(951, rel=1e-6)


def _full(market: str) -> str:
    """100 users stated to grow 5% a month, 10% churn, 5% of the lapsed coming back: the path's
    lapsed pool is 10 ÷ (5% + 5%) = 100 people, out of the market."""
    text = plan(
        "    existing_users: 100\n    recent_growth_per_month: 5%\n    reactivation_per_month: 5%\n"
    ).replace("    innovation_per_year: 12%      # p/12 = 1% per month\n", "")
    return text.replace("market_size: 1000", f"market_size: {market}")


def test_a_market_with_nobody_left_grows_by_those_coming_back():
    """200 people, 100 active and the path's 100 lapsed: nobody is left to reach. +5% needs an
    inflow of (5% + 10%) × 100 = 15; at 5% the lapsed bring 5, so they come back at 5% + 10 ÷
    100 = 15% a month (before, the product shrank 5% in month 1: 5 back, 10 gone, 95).
    Month 2: 95 lapsed × 15% = 14.25 back, 10.5 churn: 108.75, the growth fading (3.6%) as the
    lapsed run out."""
    r = run(_full("200"))
    assert r.kpi("active_users")[0, 0] == pytest.approx(105)
    assert r.kpi("reactivated_users")[0, 0] == pytest.approx(15)
    assert r.kpi("new_users")[0, 0] == pytest.approx(0)
    assert r.kpi("active_users")[0, 1] == pytest.approx(108.75)


@pytest.mark.parametrize(
    ("market", "new", "back"),
    [
        ("200", 0, 15),  # nobody left: the lapsed carry all 10 the new would have brought
        ("205", 5, 10),  # 5 left, all adopting: the lapsed carry the other 5 (10% a month)
        ("210", 10, 5),  # 10 left, exactly the 10 needed: the plan's 5% a month
        ("1000", 10, 5),  # plenty left: word of mouth brings them, the plan's rate
    ],
)
def test_month_one_grows_as_stated_whoever_carries_it(market, new, back):
    """Where the market's people left meet the need the returning rate is the plan's; below
    it the lapsed make up exactly the shortfall, so month 1 is 105 on either side, no jump."""
    r = run(_full(market))
    assert r.kpi("active_users")[0, 0] == pytest.approx(105)
    assert r.kpi("new_users")[0, 0] == pytest.approx(new)
    assert r.kpi("reactivated_users")[0, 0] == pytest.approx(back)


def test_not_even_every_lapsed_user_back_is_enough():
    """105 people: the path's 100 lapsed do not fit, 5 do. Even all 5 back (the rate is at most
    100%) against 10 gone leaves 95: the growth cannot be had (validate says so)."""
    r = run(_full("105"))
    assert r.kpi("reactivated_users")[0, 0] == pytest.approx(5)
    assert r.kpi("active_users")[0, 0] == pytest.approx(95)


@given(
    r=st.floats(0, 1),
    lapsed=st.floats(0, 1e9),
    new=st.floats(0, 1e9),
    left=st.floats(0, 1e9),
)
def test_the_raised_return_rate_keeps_the_inflow(r, lapsed, new, left):
    """Invariant of reactivation_for_growth: never below the plan's rate nor above 100%, and
    unless capped the people left adopting plus the lapsed back at it are exactly the new
    adopters needed plus those the plan's rate brings back (with nobody lapsed, the plan's)."""
    one = np.array([1.0])
    rate = reactivation_for_growth(r * one, lapsed * one, new * one, left * one)[0]
    assert r <= rate <= max(r, 1.0)
    if lapsed == 0:
        assert rate == r
    elif rate < 1.0:
        inflow = min(new, left) + rate * lapsed
        assert inflow == pytest.approx(new + r * lapsed, rel=1e-9, abs=1e-6)
