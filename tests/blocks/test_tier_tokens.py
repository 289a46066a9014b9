"""Tokens per paid tier, and the free users' tokens and serving cost: hand-checked on the tiny
plan, and adding up, every month, to the tokens served and the serving cost the ledger books."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.blocks.test_routes import routed
from tests.conftest import DAYS, TINY

import breakeven

TIERS = """\
    tiers:
      - {name: pro, price_per_month: 30, conversion: 10%, usage_multiple: 3}
      - name: max
        price_per_month: 60
        conversion: 10%
        usage: {requests_per_day: 2, input_tokens_per_request: 2000, output_tokens_per_request: 1000}
"""


def three_tiers(text: str = TINY) -> str:
    """The tiny plan with its main tier at 20% and two more tiers: pro (10%, 3× the free users'
    usage) and max (10%, its own usage: 2 requests a day of 2,000 in and 1,000 out)."""
    text = text.replace("conversion: 50%", "conversion: 20%")
    return text.replace("    payment_fee: 10%\n", "    payment_fee: 10%\n" + TIERS)


def run(text: str, samples: int = 1):
    return breakeven.simulate(breakeven.load_text(text), samples=samples)


def tier_names(r) -> list[str]:
    return [k.split(":", 1)[1] for k in r.kpi_names if k.startswith("tier_tokens:")]


def assert_adds_up(r, rtol: float = 2e-6) -> None:
    """Tiers + free users = the tokens served and the cost booked, every sample and month
    (KPIs keep 7 significant digits)."""
    names = tier_names(r)
    tokens = r.kpi("free_tokens").astype(float) + sum(
        r.kpi(f"tier_tokens:{n}").astype(float) for n in names
    )
    served = r.kpi("input_tokens").astype(float) + r.kpi("output_tokens").astype(float)
    np.testing.assert_allclose(tokens, served, rtol=rtol)
    cost = r.kpi("free_serving_cost").astype(float) + sum(
        r.kpi(f"tier_serving_cost:{n}").astype(float) for n in names
    )
    np.testing.assert_allclose(cost, r.line("cogs.inference"), rtol=rtol)


def test_one_tier_by_hand():
    """Month 1: 10 active users (1,000 × 1%), 5 pay (50%). Each sends 1 request a day of 1,000
    input and 500 output tokens: 1,500 tokens, costing 1,000 × 1,000 / 1e6 + 500 × 2,000 / 1e6
    = 2 a request. Payers: 5 × DAYS × 1,500 = 7,500 × DAYS tokens, 10 × DAYS of cost; the 5 free
    users the same. Month 2: 9.9 new (990 × 1%), 1 churned (10%): 18.9 active, 9.45 paying,
    9.45 × DAYS × 1,500 tokens each side."""
    r = run(TINY)
    assert r.kpi("tier_tokens:main")[0, 0] == pytest.approx(7_500 * DAYS, rel=1e-6)
    assert r.kpi("free_tokens")[0, 0] == pytest.approx(7_500 * DAYS, rel=1e-6)
    assert r.kpi("tier_serving_cost:main")[0, 0] == pytest.approx(10 * DAYS, rel=1e-6)
    assert r.kpi("free_serving_cost")[0, 0] == pytest.approx(10 * DAYS, rel=1e-6)
    assert r.kpi("tier_tokens:main")[0, 1] == pytest.approx(9.45 * DAYS * 1_500, rel=1e-6)
    assert r.kpi("free_tokens")[0, 1] == pytest.approx(9.45 * DAYS * 1_500, rel=1e-6)
    assert r.line("cogs.inference")[0, 0] == pytest.approx(20 * DAYS)


def test_three_tiers_by_hand():
    """Month 1, 10 active users: main 2 (20%), pro 1 (10%), max 1 (10%), 6 free.
    main: 2 × DAYS × 1,500 = 3,000 × DAYS tokens, 2 × DAYS × 2 = 4 × DAYS of cost.
    pro: 1 × 3 × DAYS × 1,500 = 4,500 × DAYS tokens, 3 × DAYS × 2 = 6 × DAYS.
    max: 1 × 2 × DAYS requests of 3,000 tokens = 6,000 × DAYS tokens; a request costs 2,000 ×
    1,000 / 1e6 + 1,000 × 2,000 / 1e6 = 4, so 8 × DAYS.
    free: 6 × DAYS × 1,500 = 9,000 × DAYS tokens, 12 × DAYS.
    Together 22,500 × DAYS tokens (input 15,000 + output 7,500) and 30 × DAYS of cost."""
    r = run(three_tiers())
    want = {
        "main": (3_000, 4),
        "pro": (4_500, 6),
        "max": (6_000, 8),
    }
    for name, (tokens, cost) in want.items():
        assert r.kpi(f"tier_tokens:{name}")[0, 0] == pytest.approx(tokens * DAYS, rel=1e-6)
        assert r.kpi(f"tier_serving_cost:{name}")[0, 0] == pytest.approx(cost * DAYS, rel=1e-6)
    assert r.kpi("free_tokens")[0, 0] == pytest.approx(9_000 * DAYS, rel=1e-6)
    assert r.kpi("free_serving_cost")[0, 0] == pytest.approx(12 * DAYS, rel=1e-6)
    served = r.kpi("input_tokens")[0, 0] + r.kpi("output_tokens")[0, 0]
    assert served == pytest.approx(22_500 * DAYS, rel=1e-6)
    assert r.line("cogs.inference")[0, 0] == pytest.approx(30 * DAYS)
    assert_adds_up(r)


def test_routed_tiers_by_hand():
    """Free users on the small model (100 / 200 per million: 0.2 a request), main on the
    frontier one with its own usage (2 requests a day of 1,000 in, 500 out: 2 a request).
    Month 1: 5 free users, 5 × DAYS × 1,500 = 7,500 × DAYS tokens costing 1 × DAYS; 5
    subscribers, 10 × DAYS requests = 15,000 × DAYS tokens costing 20 × DAYS."""
    tier = (
        "    served_by: frontier\n"
        "    usage: {requests_per_day: 2, input_tokens_per_request: 1000, "
        "output_tokens_per_request: 500}\n"
    )
    r = run(routed(tier))
    assert r.kpi("free_tokens")[0, 0] == pytest.approx(7_500 * DAYS, rel=1e-6)
    assert r.kpi("free_serving_cost")[0, 0] == pytest.approx(1 * DAYS, rel=1e-6)
    assert r.kpi("tier_tokens:main")[0, 0] == pytest.approx(15_000 * DAYS, rel=1e-6)
    assert r.kpi("tier_serving_cost:main")[0, 0] == pytest.approx(20 * DAYS, rel=1e-6)
    np.testing.assert_allclose(r.kpi("free_serving_cost"), r.kpi("serving_cost@small"), rtol=2e-6)
    assert_adds_up(r)


def test_trial_users_are_the_tiers_not_the_free_users():
    """A two-week trial: those trying the tier are served as its users (and are no longer
    free users); the tiers and the free users still add up to what is served."""
    trial = "    trial: {months: 0.5, to_paid: 50%}\n"
    r = run(three_tiers().replace("    payment_fee: 10%\n", "    payment_fee: 10%\n" + trial))
    assert r.kpi("trial_users")[0, 0] > 0
    assert_adds_up(r)


def test_tiers_and_free_users_add_up_every_month_over_uncertain_inputs():
    """Twelve months, 200 samples drawn from ranges (users, conversion, usage, a fair-use cap,
    the tiers on two routes): per sample and month, tokens and cost add up."""
    text = (
        three_tiers(routed(""))
        .replace("horizon_months: 3", "horizon_months: 12")
        .replace("conversion: 20%", "conversion: 10% to 30%")
        .replace("usage_multiple: 3}", "usage_multiple: 2 to 4, served_by: frontier}")
        .replace("      requests_per_day: 1\n", "      requests_per_day: 0.5 to 2\n")
        .replace(
            "      output_tokens_per_request: 500\n",
            "      output_tokens_per_request: 300 to 800\n"
            "      spread_sigma: 0.8\n"
            "      cap_multiple_of_mean: 4\n",
        )
    )
    r = run(text, samples=200)
    assert r.kpi("free_tokens").std() > 0  # the inputs are drawn
    assert_adds_up(r)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    main=st.integers(0, 60),
    pro=st.integers(0, 30),
    multiple=st.sampled_from(["1", "2.5", "4"]),
    pro_route=st.sampled_from([None, "small", "frontier"]),
    free_route=st.sampled_from(["small", "frontier"]),
    own_usage=st.booleans(),
    trial=st.booleans(),
)
def test_any_mix_of_tiers_and_routes_adds_up(
    main, pro, multiple, pro_route, free_route, own_usage, trial
):
    """Whatever the conversions, usage multiples, routes, own usage and trials, the tiers'
    tokens and the free users' add up to the tokens served, and their costs to the ledger's,
    every month."""
    tier = "    conversion_of: mau\n    tiers:\n      - name: pro\n        price_per_month: 30\n"
    tier += f"        conversion: {pro}%\n        usage_multiple: {multiple}\n"
    if pro_route:
        tier += f"        served_by: {pro_route}\n"
    if trial:
        tier += "        trial: {months: 0.5, to_paid: 40%}\n"
    main_tier = ""
    if own_usage:
        main_tier = (
            "    usage: {requests_per_day: 3, input_tokens_per_request: 800, "
            "output_tokens_per_request: 900}\n"
        )
    text = routed(main_tier + tier, free=free_route).replace(
        "conversion: 50%", f"conversion: {main}%"
    )
    text = text.replace("horizon_months: 3", "horizon_months: 8")
    r = run(text)
    assert_adds_up(r)
