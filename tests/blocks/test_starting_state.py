"""A starting count of an earlier month, grown to month 0 at the plan's recent growth
(``existing_users_as_of``, a segment's ``deployed_as_of``): hand-checked on the tiny consumer
plan of tests/conftest.py and the growing segment of test_business_growth."""

from __future__ import annotations

import numpy as np
import pytest
from tests.blocks.test_business_growth import plan as segment_plan
from tests.conftest import TINY

import breakeven
from breakeven.blocks.consumer import ConsumerMarket

GROWING = "    existing_users: {users}\n    recent_growth_per_month: 5%\n{extra}"


def consumer_plan(users: str = "100", extra: str = "", start: str = "2026-03") -> str:
    text = TINY.replace(
        "    churn_per_month: 10%\n",
        "    churn_per_month: 10%\n" + GROWING.format(users=users, extra=extra),
    ).replace("    innovation_per_year: 12%      # p/12 = 1% per month\n", "")
    return f"start: {start}\n" + text if start else text


def run(text: str) -> breakeven.Results:
    return breakeven.simulate(breakeven.load_text(text), samples=3)


def test_a_count_two_months_old_is_grown_to_month_zero():
    """100 users counted in 2025-12, start 2026-03: month 0 is 2026-02, two months on, so the
    plan starts from 100 × 1.05² = 110.25 users and month 1 has 115.7625 — the plan that
    states 110.25 at month 0, number for number."""
    old = run(consumer_plan(extra="    existing_users_as_of: 2025-12\n"))
    assert old.kpi("active_users")[0, 0] == pytest.approx(110.25 * 1.05)
    same = run(consumer_plan(users="110.25"))
    for name in ("active_users", "new_users", "churned_users", "paying_users"):
        np.testing.assert_allclose(old.kpi(name), same.kpi(name), rtol=1e-12)


def test_a_count_of_month_zero_is_left_as_it_is():
    of_zero = run(consumer_plan(extra="    existing_users_as_of: 2026-02\n"))
    plain = run(consumer_plan())
    np.testing.assert_array_equal(of_zero.kpi("active_users"), plain.kpi("active_users"))


def test_existing_subscribers_are_a_share_of_the_grown_users():
    """20 subscribers at month 0 against 110.25 users (grown from 100): the starting paying
    share is 20 / 110.25, as in the plan that states 110.25 users."""
    sub = "    existing_subscribers: 20\n    adjustment_months: 1\n"
    old = run(
        consumer_plan(extra="    existing_users_as_of: 2025-12\n").replace(
            "    conversion: 50%\n", "    conversion: 50%\n" + sub
        )
    )
    same = run(
        consumer_plan(users="110.25").replace(
            "    conversion: 50%\n", "    conversion: 50%\n" + sub
        )
    )
    np.testing.assert_allclose(old.kpi("paying_users"), same.kpi("paying_users"), rtol=1e-12)


def test_deployed_accounts_two_months_old_are_grown_to_month_zero():
    """D = 100 counted two months before month 0, g = 10%: D₀ = 121, month-1 signings 12.1 and
    deployed accounts 133.1 (test_business_growth's hand check, scaled by 1.21)."""
    start = "deployed_accounts: 100\n        deployed_as_of: 2025-10"
    r = breakeven.simulate(
        breakeven.load_text("start: 2026-01\n" + segment_plan(start=start)), samples=2
    )
    np.testing.assert_allclose(r.kpi("new_deployments")[0, :2], [12.1, 13.31], rtol=1e-6)
    np.testing.assert_allclose(r.kpi("deployed_accounts")[0, 0], 133.1, rtol=1e-6)


def test_a_starting_arr_two_months_old_grows_its_accounts():
    """deployed_arr 12M a year reads as 1,000 accounts (test_business_growth); counted three
    months before month 0 at 10% a month they are 1,331, and month 1 signs 133.1."""
    arr = (
        "deployed_arr: 12M\n        deployed_account_age_months: 600\n"
        "        deployed_as_of: 2025-09"
    )
    full = "seat_innovation_per_month: 100%\n        resistance: 0\n        unused_paid_seats: 0"
    text = "start: 2026-01\n" + segment_plan(start=arr, extra=full)
    r = breakeven.simulate(breakeven.load_text(text), samples=2)
    np.testing.assert_allclose(r.kpi("new_deployments")[0, 0], 133.1, rtol=1e-5)


@pytest.mark.parametrize(
    ("text", "where", "match"),
    [
        (
            consumer_plan(extra="    existing_users_as_of: 2025-12\n", start=""),
            "market.consumer.existing_users_as_of",
            "needs the plan's start",
        ),
        (
            consumer_plan(extra="    existing_users_as_of: 2026-03\n"),
            "market.consumer.existing_users_as_of",
            r"is month 1 or later \(the plan starts 2026-03\).*month 0 \(2026-02\)",
        ),
        (
            "start: 2026-01\n"
            + TINY.replace(
                "    churn_per_month: 10%\n",
                "    churn_per_month: 10%\n    existing_users: 100\n"
                "    existing_users_as_of: 2025-10\n",
            ),
            "market.consumer.existing_users_as_of",
            "needs recent_growth_per_month",
        ),
        (
            "start: 2026-01\n"
            + segment_plan(start="deployed_accounts: 100\n        deployed_as_of: 2026-02"),
            "market.business.segments.0.deployed_as_of",
            r"is month 1 or later \(the plan starts 2026-01\).*month 0 \(2025-12\)",
        ),
    ],
)
def test_a_count_month_that_cannot_be_used_is_located(text, where, match):
    with pytest.raises(breakeven.ScenarioError, match=match) as e:
        breakeven.load_text(text)
    assert where in str(e.value)


def test_the_cli_gives_the_line_and_exit_status_2(cli, write):
    path = write(consumer_plan(extra="    existing_users_as_of: 2026-04\n"))
    code, _, err = cli("validate", path)
    assert code == 2
    line = path.read_text().splitlines().index("    existing_users_as_of: 2026-04") + 1
    assert f"plan.yaml:{line}: market.consumer.existing_users_as_of: is month 1 or later" in err
    assert "(got '2026-04')" in err
    assert "Traceback" not in err


def test_from_python_as_from_yaml():
    market = ConsumerMarket(
        market_size=1000,
        imitation_per_year=0,
        churn_per_month=0.1,
        existing_users=100,
        existing_users_as_of="2025-12",
        recent_growth_per_month=0.05,
        usage={
            "requests_per_day": 1,
            "input_tokens_per_request": 1000,
            "output_tokens_per_request": 500,
        },
    )
    sc = breakeven.load_text(consumer_plan(extra="    existing_users_as_of: 2025-12\n"))
    assert market.existing_users_as_of == sc.market.consumer.existing_users_as_of
    by_python = sc.model_copy(update={"market": sc.market.model_copy(update={"consumer": market})})
    a = breakeven.simulate(by_python, samples=3).kpi("active_users")
    np.testing.assert_allclose(
        a, run(consumer_plan(users="110.25")).kpi("active_users"), rtol=1e-12
    )


def test_validate_says_what_a_dated_count_was_grown_by(cli, write):
    """5% a month (a point value) over Jan and Feb: ×1.1025, printed to three digits."""
    path = write(consumer_plan(extra="    existing_users_as_of: 2025-12\n"))
    code, out, _ = cli("validate", path)
    assert code == 0
    assert (
        "  market.consumer.existing_users: counted in 2025-12, month 0 is 2026-02: grown over "
        "the months between (2) at recent_growth_per_month, ×1.1 to ×1.1" in out
    )
    code, out, _ = cli("validate", "--lang", "zh", path)
    assert "统计于 2025-12，第 0 月为 2026-02" in out
    code, out, _ = cli("validate", write(consumer_plan(), "plain.yaml"))
    assert "counted in" not in out


def test_validate_names_a_segment_count_by_its_field(cli, write):
    start = "deployed_accounts: 100\n        deployed_as_of: 2025-10"
    path = write("start: 2026-01\n" + segment_plan(start=start))
    code, out, _ = cli("validate", path)
    assert code == 0
    assert (
        "market.business.segments.0.deployed_accounts: counted in 2025-10, month 0 is 2025-12"
        in out
    )
    assert "×1.21 to ×1.21" in out  # 10% a month, two months
