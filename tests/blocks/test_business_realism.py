"""To-business realism, each mechanism by hand on a one-segment plan with no uncertainty: the
new-entrant stage mix, accounts deployed before month 1, a per-segment launch month, minimum
seats per account, sales capacity, and the enterprise promotions (free months, seat subsidies)."""

from __future__ import annotations

import numpy as np
import pytest

import breakeven
from breakeven.blocks.business import AHEAD, NEW_ENTRANT_STAGE_MIX, SURVEY_STAGE_MIX
from breakeven.models.adoption import (
    capacity_limited,
    paid_seats_per_account,
    within_org_adoption,
    within_org_adoption_from,
)

SEGMENT = """\
      - name: s
        accounts: {accounts}
        seats_per_account: {seats}
        start_exploring_per_month: 0
        start_pilot_per_month: 10%
        get_budget_per_month: 50%
        abandon_pilot_per_month: 0
        sales_cycle_months: {cycle}
        renewal_per_year: {renewal}
        seat_innovation_per_month: {innovation}
        seat_imitation_per_month: 0
        resistance: 0
        unused_paid_seats: {unused}
"""


def plan(
    seg: str = "",
    enterprise: str = "",
    business: str = "",
    *,
    H: int = 6,
    accounts: float = 100,
    seats: float = 10,
    cycle: float = 1,
    renewal: float = 1,
    innovation: str = "100%",
    unused: float = 0,
    extra: str = "",
) -> str:
    """A tiny plan: one segment (``seg`` adds its fields), seats at 100 a month, no costs."""
    segment = SEGMENT.format(
        accounts=accounts,
        seats=seats,
        cycle=cycle,
        renewal=renewal,
        innovation=innovation,
        unused=unused,
    )
    return (
        f"name: tiny to-business\nhorizon_months: {H}\nsamples: 2\ndiscount_rate_per_year: 0\n"
        "market:\n  business:\n    segments:\n"
        + segment
        + "".join(f"        {x}\n" for x in seg.splitlines())
        + "".join(f"    {x}\n" for x in business.splitlines())
        + "streams:\n  enterprise:\n    price_per_seat_per_month: 100\n"
        "    payment_terms_days: 0\n"
        + "".join(f"    {x}\n" for x in enterprise.splitlines())
        + extra
    )


BUDGETED = "stage_mix: {no_plans: 0, exploring: 0, piloting: 0, budgeted: 1}"


def run(text: str, samples: int = 2, seed: int = 1) -> breakeven.Results:
    return breakeven.simulate(breakeven.load_text(text), samples=samples, seed=seed)


def located(text: str, match: str) -> None:
    with pytest.raises(breakeven.ScenarioError, match=match):
        breakeven.load_text(text, "p.yaml")


# ---------------------------------------------------------------- 1. the new-entrant stage mix


def test_a_new_entrant_signs_nobody_in_month_one_and_does_not_break_even_then():
    costs = "company:\n  g_and_a_per_month: 1000\n"
    r = run(plan(H=4, extra=costs))  # default stage mix: 7 no plans, 93 exploring
    sc = r.scenario
    mix = {k.value: v for k, v in sc.market.business.segments[0].stage_mix.items()}
    assert mix == NEW_ENTRANT_STAGE_MIX
    # month 1: 9.3 start a pilot; month 2: half of them get a budget; month 3: they sign
    assert r.kpi("exploring_accounts")[0, 0] == pytest.approx(93 - 9.3)
    assert r.kpi("piloting_accounts")[0, 0] == pytest.approx(9.3)
    assert r.kpi("budgeted_accounts")[0, :2] == pytest.approx([0, 4.65])
    assert r.kpi("new_deployments")[0, :3] == pytest.approx([0, 0, 4.65])
    assert r.line("revenue")[0, :2] == pytest.approx([0, 0])
    assert r.line("revenue.enterprise_seats")[0, 2] == pytest.approx(4.65 * 10 * 100)
    assert np.all(r.metrics["breakeven_month"] == 3)  # 4,650 of revenue against 1,000 of costs
    # the survey mix, written out, has 24 budgeted accounts that sign at once: month 1
    survey = run(
        plan(
            "stage_mix: {no_plans: 0.07, exploring: 0.34, piloting: 0.35, budgeted: 0.24}",
            H=4,
            extra=costs,
        )
    )
    assert survey.kpi("new_deployments")[0, 0] == pytest.approx(24)
    assert np.all(survey.metrics["breakeven_month"] == 1)
    assert SURVEY_STAGE_MIX == {
        "no_plans": 0.07,
        "exploring": 0.34,
        "piloting": 0.35,
        "budgeted": 0.24,
    }


# ---------------------------------------------------------------- 2. accounts deployed at the start


def test_starting_accounts_pay_renew_and_adopt_from_their_age_but_are_not_new():
    fees = "platform_fee_per_month: 50\nimplementation_fee: 1000\nintegration_cost: 300"
    r = run(
        plan(
            "deployed_accounts: 20\ndeployed_account_age_months: 12",
            fees,
            H=3,
            renewal=0.9**12,  # 0.9 a month
            innovation="10%",
        )
    )
    # the pipeline is the 80 accounts not yet deployed: 5.6 no plans, 74.4 exploring
    assert r.kpi("exploring_accounts")[0, 0] == pytest.approx(74.4 * 0.9)
    # 20 accounts in month 1, then 90% renew each month; none of them is a new deployment
    assert r.kpi("new_deployments")[0, :2] == pytest.approx([0, 0])
    assert r.kpi("deployed_accounts")[0, :2] == pytest.approx([20, 18])
    # seats from the adoption curve at their age: s(12 + t) = 1 − 0.9^(12 + t), not from zero
    s = [1 - 0.9 ** (12 + t) for t in (1, 2)]
    seats = [20 * s[0] * 10, 18 * s[1] * 10]
    assert r.kpi("seats")[0, :2] == pytest.approx(seats)
    assert r.line("revenue.enterprise_seats")[0, :2] == pytest.approx(np.multiply(seats, 100))
    assert r.line("revenue.enterprise_platform")[0, :2] == pytest.approx([20 * 50, 18 * 50])
    # nothing booked per new account for them
    assert r.line("revenue.implementation")[0, :2] == pytest.approx([0, 0])
    assert r.line("cogs.integration")[0, :2] == pytest.approx([0, 0])


def test_a_starting_arr_is_read_as_the_accounts_that_earn_it():
    fees = "platform_fee_per_month: 50"
    kw = dict(H=3, renewal=0.9**12, innovation="10%")
    # one account of age 12 earns s(13) · 10 seats · 100 + 50 in month 1
    per_account = (1 - 0.9**13) * 10 * 100 + 50
    arr = 12 * 20 * per_account
    by_arr = run(plan(f"deployed_arr: {arr}\ndeployed_account_age_months: 12", fees, **kw))
    by_count = run(plan("deployed_accounts: 20\ndeployed_account_age_months: 12", fees, **kw))
    assert by_arr.kpi("deployed_accounts")[0, :2] == pytest.approx([20, 18])
    for line in ("revenue.enterprise_seats", "revenue.enterprise_platform"):
        assert by_arr.line(line)[0] == pytest.approx(by_count.line(line)[0])
    month1 = (
        by_arr.line("revenue.enterprise_seats")[0, 0]
        + by_arr.line("revenue.enterprise_platform")[0, 0]
    )
    assert month1 * 12 == pytest.approx(arr)
    located(plan("deployed_arr: 1e6\ndeployed_accounts: 3"), "not both")


def test_starting_paid_seats_are_read_as_the_accounts_that_hold_them():
    """Paid seats at the start, as published ("2M paying business users"): one account of age
    12 holds s(13) · 10 = (1 − 0.9^13) · 10 seats in month 1, with 20% of paid seats unused
    ÷ 0.8 paid; 20 accounts' worth reads as 20 accounts, and the plan runs as with them."""
    kw = dict(H=3, renewal=0.9**12, innovation="10%", unused=0.2)
    paid = 20 * (1 - 0.9**13) * 10 / 0.8
    by_seats = run(plan(f"deployed_paid_seats: {paid}\ndeployed_account_age_months: 12", **kw))
    by_count = run(plan("deployed_accounts: 20\ndeployed_account_age_months: 12", **kw))
    assert by_seats.kpi("deployed_accounts")[0, :2] == pytest.approx([20, 18])
    assert by_seats.kpi("paid_seats")[0, 0] == pytest.approx(paid)
    for line in ("revenue.enterprise_seats", "revenue.enterprise_platform"):
        assert by_seats.line(line)[0] == pytest.approx(by_count.line(line)[0])
    # a segment starts from one count; and no more seats than its accounts hold (100 × 10)
    located(plan("deployed_paid_seats: 100\ndeployed_accounts: 3"), "not two")
    located(plan("deployed_paid_seats: 100\ndeployed_arr: 1e6"), "not two")
    located(plan("deployed_paid_seats: 1001"), "more paid seats than")
    # with half the paid seats unused, an account of 10 people pays for up to 20
    run(plan("deployed_paid_seats: 1200", unused=0.5))
    located(plan("deployed_paid_seats: 2001", unused=0.5), "more paid seats than")


def test_a_payment_fee_on_enterprise_revenue():
    """2% of everything the stream bills — licences, platform and implementation fees — on
    cogs.payment_fees: 20 starting accounts of age 12 pay (1 − 0.9^13) · 10 seats × 100 + 50
    each in month 1. Unset (invoices by bank transfer), 0."""
    kw = dict(H=3, renewal=0.9**12, innovation="10%")
    start = "deployed_accounts: 20\ndeployed_account_age_months: 12"
    fees = "platform_fee_per_month: 50\nimplementation_fee: 500"
    r = run(plan(start, fees + "\npayment_fee: 2%", **kw))
    billed = sum(
        r.line(x)[0]
        for x in (
            "revenue.enterprise_seats",
            "revenue.enterprise_platform",
            "revenue.implementation",
        )
    )
    assert billed[0] == pytest.approx(20 * ((1 - 0.9**13) * 10 * 100 + 50))
    np.testing.assert_allclose(r.line("cogs.payment_fees")[0], 0.02 * billed, rtol=1e-12)
    assert not run(plan(start, fees, **kw)).line("cogs.payment_fees").any()


def test_starting_accounts_of_age_zero_are_a_month_zero_cohort():
    start = run(
        plan(
            "deployed_accounts: 10\ndeployed_account_age_months: 0\n" + BUDGETED,
            accounts=10,
            innovation="10%",
            H=3,
        )
    )
    signed = run(plan(BUDGETED, accounts=10, innovation="10%", H=3))
    # ten accounts deployed just before month 1 adopt like ten signed in month 1
    assert start.kpi("seats")[0] == pytest.approx(signed.kpi("seats")[0])
    assert start.kpi("new_deployments")[0] == pytest.approx([0, 0, 0])
    assert signed.kpi("new_deployments")[0] == pytest.approx([10, 0, 0])


def test_uncertain_starting_accounts_are_drawn():
    r = run(plan("deployed_accounts: 10 to 30", H=2), samples=200, seed=3)
    drawn = r.inputs["market.business.segments.0.deployed_accounts"]
    assert 10 < np.median(drawn) < 30 and np.ptp(drawn) > 0
    assert r.kpi("deployed_accounts")[:, 0] == pytest.approx(drawn[: r.kept], rel=1e-6)
    # each sample's pipeline is what is left: exploring 93% of (100 − drawn), 10% of it piloting
    assert r.kpi("exploring_accounts")[:, 0] == pytest.approx(
        0.93 * (100 - drawn[: r.kept]) * 0.9, rel=1e-5
    )


def test_more_starting_accounts_than_accounts_is_located():
    located(plan("deployed_accounts: 150"), r"p.yaml:\d+: .*deployed_accounts: more than the")
    located(plan("deployed_account_age_months: -2"), r"deployed_account_age_months")
    located(plan("deployed_account_age_months: 5000"), r"deployed_account_age_months: at most")


# ---------------------------------------------------------------- 3. launch month


def test_nothing_moves_before_the_launch_month_but_starting_accounts_pay():
    r = run(plan(BUDGETED + "\nlaunch_month: 3\ndeployed_accounts: 5", accounts=105, H=4))
    # 100 budgeted accounts wait for the launch, then sign in month 3 (a 1-month cycle)
    assert r.kpi("new_deployments")[0] == pytest.approx([0, 0, 100, 0])
    assert r.kpi("budgeted_accounts")[0] == pytest.approx([100, 100, 0, 0])
    assert r.kpi("deployed_accounts")[0] == pytest.approx([5, 5, 105, 105])
    assert r.line("revenue.enterprise_seats")[0] == pytest.approx(
        [5 * 1000, 5 * 1000, 105 * 1000, 105 * 1000]
    )
    # the exploring stage is frozen too
    frozen = run(plan("launch_month: 3", H=3))
    assert frozen.kpi("exploring_accounts")[0] == pytest.approx([93, 93, 93 * 0.9])
    assert frozen.kpi("piloting_accounts")[0] == pytest.approx([0, 0, 9.3])


def test_a_launch_beyond_the_horizon_never_sells_and_a_negative_one_is_an_error():
    r = run(plan(BUDGETED + "\nlaunch_month: 99", H=3))
    assert r.kpi("new_deployments")[0] == pytest.approx([0, 0, 0])
    located(plan("launch_month: -1"), r"p.yaml:\d+: .*launch_month: input should be greater")
    located(plan("launch_month: 2.5"), r"launch_month: input should be a valid integer")


# ---------------------------------------------------------------- 4. minimum seats per account


def test_minimum_seats_bind_account_by_account():
    # 20 budgeted accounts, a 2-month cycle: 10, 5, 2.5, 1.25 sign in months 1–4; each adopts
    # 10% of its remaining 100 people a month: 10, 19, 27.1, 34.39 seats at ages 1–4
    r = run(
        plan(
            BUDGETED + "\nmin_seats_per_account: 30",
            accounts=20,
            seats=100,
            cycle=2,
            innovation="10%",
            H=4,
        )
    )
    new = [10, 5, 2.5, 1.25]
    used = [100 * (1 - 0.9**a) for a in (1, 2, 3, 4)]
    assert r.kpi("new_deployments")[0] == pytest.approx(new)
    seats = [sum(new[t - a] * used[a] for a in range(t + 1)) for t in range(4)]
    paid = [sum(new[t - a] * max(30, used[a]) for a in range(t + 1)) for t in range(4)]
    assert r.kpi("seats")[0] == pytest.approx(seats)  # the people using it: unchanged
    assert r.kpi("paid_seats")[0] == pytest.approx(paid)
    assert paid[3] == pytest.approx(10 * 34.39 + (5 + 2.5 + 1.25) * 30)  # 606.4
    # applied to the total instead, the minimum would give max(30 × 18.75, 539.4) = 562.5
    assert paid[3] != pytest.approx(max(30 * sum(new), seats[3]))
    assert r.line("revenue.enterprise_seats")[0] == pytest.approx(np.multiply(paid, 100))


def test_seats_over_many_months_sum_every_cohort_since_month_one():
    # the pipeline runs ahead AHEAD months at a time; past several such batches, seats, paid
    # seats and billed seats (past 5 free months) are still sums over every cohort since month 1
    H = 2 * AHEAD + 7
    r = run(
        plan(
            BUDGETED + "\nmin_seats_per_account: 3",
            "free_months: 5",
            accounts=1000,
            seats=10,
            cycle=8,
            renewal=0.8,
            innovation="5%",
            H=H,
        )
    )
    new = [1000 * (7 / 8) ** t / 8 for t in range(H)]  # an eighth of the budgeted sign a month
    kept = [0.8 ** (a / 12) for a in range(H)]  # accounts still renewing a months later
    used = [10 * (1 - 0.95 ** (a + 1)) for a in range(H)]  # seats in use at age a
    pays = [max(3, u) for u in used]  # the minimum binds account by account

    def cohorts(per_account: list[float], t: int, first: int = 0) -> float:
        return sum(new[t - a] * kept[a] * per_account[a] for a in range(first, t + 1))

    seats = [cohorts(used, t) for t in range(H)]
    paid = [cohorts(pays, t) for t in range(H)]
    billed = [cohorts(pays, t, first=5) for t in range(H)]
    assert r.kpi("seats")[0] == pytest.approx(seats, rel=1e-6)
    assert r.kpi("paid_seats")[0] == pytest.approx(paid, rel=1e-6)
    assert r.line("revenue.enterprise_seats")[0] == pytest.approx(
        np.multiply(billed, 100), rel=1e-9
    )


def test_minimum_seats_count_shelfware_and_starting_accounts():
    r = run(
        plan(
            "stage_mix: {no_plans: 1}\nmin_seats_per_account: 30\ndeployed_accounts: 4\n"
            "deployed_account_age_months: 1",
            accounts=10,
            seats=100,
            innovation="10%",
            unused=0.5,
            H=3,
        )
    )
    # adopted 19, 27.1, 34.39 at ages 2–4; paid per account max(30, adopted ÷ 0.5)
    per_account = [max(30, 100 * (1 - 0.9**a) / 0.5) for a in (2, 3, 4)]
    assert per_account[0] == pytest.approx(38)
    assert r.kpi("paid_seats")[0] == pytest.approx(np.multiply(per_account, 4))
    low = run(
        plan(
            "stage_mix: {no_plans: 1}\nmin_seats_per_account: 50\ndeployed_accounts: 4\n"
            "deployed_account_age_months: 0",
            accounts=10,
            seats=100,
            innovation="10%",
            unused=0.5,
            H=2,
        )
    )
    assert low.kpi("paid_seats")[0] == pytest.approx([4 * 50, 4 * 50])  # 20 and 38 ÷ 0.5 < 50


def test_minimum_above_the_seats_of_an_account_is_an_error():
    located(
        plan("min_seats_per_account: 20"),
        r"p.yaml:\d+: .*min_seats_per_account: more than seats_per_account \(10\)",
    )
    located(plan("min_seats_per_account: -1"), r"min_seats_per_account")


def test_all_paid_seats_unused_is_a_located_error_not_an_overflow():
    """Paid seats = seats in use ÷ (1 − unused share): at 100% the run divided by zero and
    stopped on 'the plan's numbers overflow' with no field named (found by fuzzing)."""
    located(
        plan(unused=1),
        r"p.yaml:\d+: market\.business\.segments\.0\.unused_paid_seats: must stay below 100%",
    )
    r = run(plan(unused=0.99999))  # just below: a finite, very large number of paid seats
    assert np.isfinite(r.kpi("paid_seats")).all()


# ---------------------------------------------------------------- 5. sales capacity


SALES = "sales: {reps: 1, deals_per_rep_per_month: 2}"


def test_sales_capacity_queues_budgeted_accounts():
    r = run(plan(BUDGETED, business=SALES, accounts=10, H=7))
    # 10 budgeted accounts, a 1-month cycle: 10 would sign in month 1; 2 a month can
    assert r.kpi("new_deployments")[0] == pytest.approx([2, 2, 2, 2, 2, 0, 0])
    assert r.kpi("budgeted_accounts")[0] == pytest.approx([8, 6, 4, 2, 0, 0, 0])
    assert r.kpi("deployed_accounts")[0] == pytest.approx([2, 4, 6, 8, 10, 10, 10])
    assert r.kpi("sales_capacity_used")[0] == pytest.approx([1, 1, 1, 1, 1, 0, 0])
    unconstrained = run(plan(BUDGETED, accounts=10, H=2))
    assert unconstrained.kpi("new_deployments")[0] == pytest.approx([10, 0])
    assert "sales_capacity_used" not in unconstrained.kpi_names


def test_sales_capacity_is_shared_pro_rata_and_follows_the_rep_schedule():
    text = plan(
        BUDGETED,
        business="sales: {reps: {1: 2, 3: 10}, deals_per_rep_per_month: 4}",
        accounts=30,
        cycle=2,
        H=4,
    )
    second = (  # a second segment, written before the sales section
        "      - {name: t, accounts: 10, seats_per_account: 1, stage_mix: {budgeted: 1},"
        " start_pilot_per_month: 0, get_budget_per_month: 0, sales_cycle_months: 1}\n"
    )
    text = text.replace("    sales:", second + "    sales:")
    r = run(text)
    # month 1: would sign 15 + 10 = 25, capacity 2 × 4 = 8 → each scaled by 8/25
    m1 = [15 * 8 / 25, 10 * 8 / 25]
    assert r.kpi("new_deployments")[0, 0] == pytest.approx(sum(m1))
    assert r.kpi("budgeted_accounts")[0, 0] == pytest.approx(40 - 8)
    # month 2: budgeted 30 − 4.8 = 25.2 (half would sign) and 10 − 3.2 = 6.8: 19.4 > 8
    assert r.kpi("new_deployments")[0, 1] == pytest.approx(8)
    assert r.kpi("sales_capacity_used")[0, :2] == pytest.approx([1, 1])
    # month 3: 40 reps' worth of capacity, more than the 24 budgeted left can use
    b = [25.2 - 12.6 * 8 / 19.4, 6.8 - 6.8 * 8 / 19.4]
    m3 = b[0] / 2 + b[1]
    assert r.kpi("new_deployments")[0, 2] == pytest.approx(m3)
    assert r.kpi("sales_capacity_used")[0, 2] == pytest.approx(m3 / 40)


def test_bad_sales_capacity_is_located():
    located(
        plan(business="sales: {reps: -1, deals_per_rep_per_month: 2}"),
        r"p.yaml:\d+: market.business.sales.reps",
    )
    located(
        plan(business="sales: {reps: 3, deals_per_rep_per_month: 0}"),
        r"market.business.sales.deals_per_rep_per_month",
    )
    located(plan(business="sales: {reps: 3}"), r"market.business.sales.deals_per_rep_per_month")


# ---------------------------------------------------------------- 6. enterprise promotions


def test_free_months_delay_seat_billing_but_not_serving_or_fees():
    usage = (
        "usage: {requests_per_day: 1, input_tokens_per_request: 1000, "
        "output_tokens_per_request: 500}"
    )
    serving = (
        "compute:\n  serving:\n    per_token: {input_price_per_million: 1000, "
        "output_price_per_million: 2000}\n"
    )
    fees = "free_months: 2\nplatform_fee_per_month: 7"
    r = run(plan(BUDGETED, fees, business=usage, accounts=10, cycle=2, H=4, extra=serving))
    # 5, 2.5, 1.25, 0.625 sign in months 1–4, each with its 10 seats at once
    new = [5, 2.5, 1.25, 0.625]
    deployed = np.cumsum(new)
    assert r.kpi("paid_seats")[0] == pytest.approx(deployed * 10)
    # a cohort's seats are billed from its third month: cohort 1 in month 3, cohort 2 in month 4
    billed = [0, 0, 5 * 10, 7.5 * 10]
    assert r.line("revenue.enterprise_seats")[0] == pytest.approx(np.multiply(billed, 100))
    assert r.line("revenue.enterprise_platform")[0] == pytest.approx(deployed * 7)
    # the free seats are used: inference costs from month 1 (2 per request, a request a day)
    days = 365.25 / 12
    assert r.line("cogs.inference")[0] == pytest.approx(deployed * 10 * days * 2)


def test_starting_accounts_are_past_their_free_months():
    r = run(plan("deployed_accounts: 3\n" + BUDGETED, "free_months: 1", accounts=13, H=2))
    # 3 starting accounts billed at once; the 10 signed in month 1 from month 2
    assert r.line("revenue.enterprise_seats")[0] == pytest.approx([3 * 1000, 13 * 1000])


@pytest.mark.parametrize("who", ["you", "partner"])
def test_seat_subsidy_paid_by_you_or_a_partner(who):
    promo = f"subsidised_seat_share: 50%\nseat_discount: 40%\nsubsidy_paid_by: {who}"
    r = run(plan(BUDGETED, promo, accounts=10, H=2))
    full = 10 * 10 * 100  # 10 accounts × 10 seats × 100
    discount = full * 0.5 * 0.4
    assert r.kpi("seat_subsidy")[0] == pytest.approx([discount, discount])
    expected = full - discount if who == "you" else full
    assert r.line("revenue.enterprise_seats")[0] == pytest.approx([expected, expected])
    plain = run(plan(BUDGETED, accounts=10, H=2))
    assert "seat_subsidy" not in plain.kpi_names
    assert plain.line("revenue.enterprise_seats")[0] == pytest.approx([full, full])


def test_bad_promotions_are_located():
    located(plan(enterprise="free_months: -1"), r"p.yaml:\d+: streams.enterprise.free_months")
    located(
        plan(enterprise="subsidy_paid_by: them"),
        r"streams.enterprise.subsidy_paid_by: input should be 'you' or 'partner'",
    )
    located(plan(enterprise="seat_discount: 140%"), r"streams.enterprise.seat_discount")


# ---------------------------------------------------------------- the pure functions


def test_adoption_from_an_age_is_the_curve_shifted():
    rng = np.random.default_rng(0)
    p, q, r = rng.uniform(0, 0.2, 5), rng.uniform(0, 0.5, 5), rng.uniform(0, 0.6, 5)
    curve = within_org_adoption(p, q, r, 20)
    assert np.array_equal(within_org_adoption_from(p, q, r, np.zeros(5, np.int64), 20), curve)
    age = np.array([0, 1, 3, 7, 12])
    shifted = within_org_adoption_from(p, q, r, age, 8)
    for n, a in enumerate(age):
        assert np.array_equal(shifted[:, n], curve[a : a + 8, n])


def test_paid_seats_per_account_and_capacity_limits():
    paid = paid_seats_per_account(np.array([0.2]), np.array([100.0]), np.array([0.2]), 30.0)
    assert paid.tolist() == [30.0]  # 20 used ÷ 0.8 = 25 < 30
    served, used = capacity_limited(np.array([10.0, 1.0]), np.array([2.0, 2.0]))
    assert served.tolist() == [0.2, 1.0] and used.tolist() == [1.0, 0.5]


def test_a_starting_arr_without_a_seat_price_is_located():
    text = plan("deployed_arr: 1e6").split("streams:")[0]
    located(text, "deployed_arr needs streams.enterprise")
