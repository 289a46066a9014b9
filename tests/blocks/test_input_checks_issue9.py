"""Inputs that were accepted silently and then clipped, raised or dropped are located errors
(issue 9): more starting subscribers than starting users, fewer weekly than daily users, a
partner share of a line nothing books, a start month written as a day. Hand-checked on the tiny
plan of tests/conftest.py (1,000 people, 50% pay ¥10)."""

from __future__ import annotations

import numpy as np
import pytest
from tests.conftest import TINY

import breakeven
from breakeven import ScenarioError
from breakeven.scenario import templates


def plan(consumer: str = "", subscription: str = "", streams: str = "", top: str = "") -> str:
    text = TINY.replace("    churn_per_month: 10%\n", "    churn_per_month: 10%\n" + consumer)
    text = text.replace("    conversion: 50%\n", "    conversion: 50%\n" + subscription)
    text = text.replace("streams:\n", "streams:\n" + streams, 1)
    return text.replace("horizon_months: 3\n", "horizon_months: 3\n" + top)


def error(text: str, file: str = "plan.yaml") -> str:
    with pytest.raises(ScenarioError) as e:
        breakeven.load_text(text, file)
    return str(e.value)


def line_of(text: str, needle: str) -> int:
    return next(i for i, x in enumerate(text.splitlines(), 1) if needle in x)


USERS_100 = "    existing_users: 100\n"
LAG = "    adjustment_months: 2\n"


# ------------------------------------------------------------------ 1. subscribers ≤ users


def test_more_starting_subscribers_than_starting_users_is_located():
    text = plan(USERS_100, "    existing_subscribers: 150\n" + LAG)
    msg = error(text)
    at = line_of(text, "existing_subscribers")
    assert msg.startswith(f"plan.yaml:{at}: streams.subscription.existing_subscribers: "), msg
    # what is wrong and both numbers: 150 subscribers of 100 users
    assert "more subscribers at the start (150) than users (100 monthly active users" in msg
    assert msg.endswith("(got 150)"), msg
    # as many as the users is possible (everyone pays); the plan was accepted before too
    breakeven.load_text(plan(USERS_100, "    existing_subscribers: 100\n" + LAG))


def test_users_counted_daily_are_compared_as_monthly_users():
    daily = (
        "    existing_users: 25\n    users_counted_as: dau\n"
        "    activity: {dau_per_mau: 25%, wau_per_mau: 60%}\n"
    )
    # 25 DAU ÷ 25% = 100 MAU: 90 subscribers fit (more than the 25 daily users), 120 do not
    breakeven.load_text(plan(daily, "    existing_subscribers: 90\n" + LAG))
    msg = error(plan(daily, "    existing_subscribers: 120\n" + LAG))
    assert "streams.subscription.existing_subscribers: more subscribers at the start (120)" in msg
    assert "than users (100 monthly active users" in msg


def test_subscribers_are_summed_over_the_tiers():
    tiers = (
        "    existing_subscribers: 60\n" + LAG + "    tiers:\n"
        "      - {name: pro, price_per_month: 30, conversion: 5%, existing_subscribers: 30}\n"
    )
    breakeven.load_text(plan(USERS_100, tiers))  # 60 + 30 ≤ 100
    text = plan(USERS_100, tiers.replace("existing_subscribers: 30", "existing_subscribers: 50"))
    msg = error(text)
    # 60 + 50 = 110 > 100: said at the tier that takes the total past the users
    at = line_of(text, "name: pro")
    assert f"plan.yaml:{at}: streams.subscription.tiers.0.existing_subscribers: " in msg
    assert "(110: main 60 + pro 50)" in msg and "than users (100 monthly" in msg


def test_existing_mrr_is_read_as_the_subscribers_it_implies():
    # ¥2,000 a month at ¥10 is 200 subscribers, of 100 users
    text = plan(USERS_100, "    existing_mrr: 2000\n" + LAG)
    msg = error(text)
    at = line_of(text, "existing_mrr")
    assert f"plan.yaml:{at}: streams.subscription.existing_mrr: " in msg
    assert "more subscribers at the start (200) than users (100" in msg
    breakeven.load_text(plan(USERS_100, "    existing_mrr: 900\n" + LAG))  # 90 subscribers


def test_subscribers_beyond_the_conversion_base_are_an_error():
    """Conversion of daily users: subscribers are a share of the DAU (clipped at 100% before)."""
    consumer = USERS_100 + "    activity: {dau_per_mau: 20%}\n"
    sub = "    conversion_of: dau\n    existing_subscribers: 30\n" + LAG
    msg = error(plan(consumer, sub))
    assert "more subscribers at the start (30) than users (20 daily active users" in msg
    assert "conversion_of dau" in msg
    breakeven.load_text(plan(consumer, sub.replace(": 30", ": 20")))


def test_uncertain_counts_are_compared_at_their_medians():
    # users 80 to 120 (median √(80 × 120) = 97.98): 90 subscribers fit at the median, 150 not
    users = "    existing_users: 80 to 120\n"
    breakeven.load_text(plan(users, "    existing_subscribers: 90\n" + LAG))
    msg = error(plan(users, "    existing_subscribers: 150\n" + LAG))
    assert "more subscribers at the start (150) than users (97.98 monthly" in msg


def test_the_cli_says_where_and_exits_2(cli, write):
    f = write(plan(USERS_100, "    existing_subscribers: 150\n" + LAG))
    code, out, err = cli("validate", f)
    assert code == 2 and "Traceback" not in err
    at = line_of(f.read_text(), "existing_subscribers")
    line = next(x for x in err.splitlines() if "existing_subscribers" in x)
    assert line.startswith(f"{f}:{at}: streams.subscription.existing_subscribers: more ")
    assert line.endswith("(got 150)")


# ------------------------------------------------------------------ 2. WAU ≥ DAU


def test_weekly_users_below_daily_users_is_located():
    text = plan("    activity: {dau_per_mau: 50%, wau_per_mau: 40%}\n")
    msg = error(text)
    at = line_of(text, "activity")
    assert msg.startswith(f"plan.yaml:{at}: market.consumer.activity.wau_per_mau: ")
    assert "below dau_per_mau (50%)" in msg and "(got '40%')" in msg


def test_overlapping_ratios_keep_weekly_at_least_daily_in_every_sample():
    # medians in order (30% < 47.5%), but a sample may draw WAU below DAU: held at DAU there
    text = plan("    activity: {dau_per_mau: 20% to 40%, wau_per_mau: 35% to 60%}\n")
    r = breakeven.simulate(breakeven.load_text(text), samples=400, seed=3)
    assert np.all(r.kpi("wau") >= r.kpi("dau") * (1 - 1e-12))


# ------------------------------------------------------------------ 3. lines nothing books


def _share(of: str) -> str:
    return f"  partner_share:\n    - {{partner: cloud, share: 20%, of: [revenue.subscription, {of}]}}\n"


def test_a_line_no_block_provides_is_said_at_the_entry_with_the_closest_lines():
    text = templates.text("enterprise-copilot-seats").replace(
        "streams:\n", "streams:\n" + _share("revenue.enterprise"), 1
    )
    text = text.replace("of: [revenue.subscription, ", "of: [")
    msg = error(text)
    at = line_of(text, "partner_share:") + 1
    assert (
        f"plan.yaml:{at}: streams.partner_share.0.of.0: reads revenue.enterprise, which no "
        "block provides; did you mean revenue.enterprise_seats or revenue.enterprise_platform?"
        " (got 'revenue.enterprise')"
    ) in msg


def test_a_misspelt_line_suggests_the_plans_line():
    msg = error(plan(streams=_share("revenue.subscriptions")))
    assert "streams.partner_share.0.of.1: reads revenue.subscriptions, which no block " in msg
    assert "did you mean revenue.subscription?" in msg


def test_a_line_of_a_stream_the_plan_lacks_names_that_stream():
    msg = error(plan(streams=_share("revenue.enterprise")))
    assert "streams.partner_share.0.of.1: reads revenue.enterprise, which no block provides" in msg
    assert "revenue.enterprise_seats" in msg and "streams.enterprise" in msg
    assert "(got 'revenue.enterprise')" in msg
    # a line no stream has: the plan's revenue lines are listed
    msg = error(plan(streams=_share("revenue.zzz")))
    assert "this plan's revenue lines: revenue.subscription" in msg


# ------------------------------------------------------------------ 4. a month, not a day


@pytest.mark.parametrize("value", ["2025-03-15", "'2025-03-15'", "2025-3-31"])
def test_a_start_with_a_day_is_a_located_error(value):
    text = plan(top=f"start: {value}\n")
    msg = error(text)
    assert msg.startswith(
        "plan.yaml:4: start: expected a calendar month such as 2025-03, not a day"
    )
    assert "(got '2025-" in msg


def test_every_calendar_month_field_refuses_a_day():
    consumer = (
        "    existing_users: 100\n    existing_users_as_of: 2024-12-20\n"
        "    recent_growth_per_month: 5%\n"
    )
    text = plan(consumer, top="start: 2025-03\n")
    text = text.replace("    innovation_per_year: 12%      # p/12 = 1% per month\n", "")
    msg = error(text)
    at = line_of(text, "existing_users_as_of")
    assert (
        f"plan.yaml:{at}: market.consumer.existing_users_as_of: expected a calendar month such "
        "as 2024-12, not a day"
    ) in msg
    assert "(got '2024-12-20')" in msg
    breakeven.load_text(text.replace("2024-12-20", "2024-12"))


@pytest.mark.parametrize("value", ["2025-03", "2025-03-01", "'2025-03-01'"])
def test_a_month_or_its_first_day_is_still_read(value):
    sc = breakeven.load_text(plan(top=f"start: {value}\n"))
    assert sc.start.isoformat() == "2025-03-01"
