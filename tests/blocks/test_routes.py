"""Routing: free users on a small model, subscribers on a frontier one, each priced by its route;
per-route and per-tier figures add up to the ledger. Hand-checked on the tiny plan."""

from __future__ import annotations

import numpy as np
import pytest
from tests.conftest import DAYS, TINY

import breakeven

ROUTES = """\
compute:
  routes:
    small:
      per_token: {input_price_per_million: 100, output_price_per_million: 200}
    frontier:
      per_token: {input_price_per_million: 1000, output_price_per_million: 2000}
"""


def routed(tier: str = "    served_by: frontier\n", free: str = "small", extra: str = "") -> str:
    text = TINY.replace(
        "compute:\n  serving:\n    per_token: {input_price_per_million: 1000, "
        "output_price_per_million: 2000}\n",
        ROUTES + extra,
    )
    text = text.replace(
        "    churn_per_month: 10%\n", f"    churn_per_month: 10%\n    served_by: {free}\n"
    )
    return text.replace("    payment_fee: 10%\n", "    payment_fee: 10%\n" + tier)


def run(text: str):
    return breakeven.simulate(breakeven.load_text(text), samples=1)


def test_free_users_and_subscribers_are_served_and_priced_apart():
    tier = (
        "    served_by: frontier\n"
        "    usage: {requests_per_day: 2, input_tokens_per_request: 1000, "
        "output_tokens_per_request: 500}\n"
    )
    r = run(routed(tier))
    # month 1: 10 active users, 5 subscribers. The 5 free users send 1 request a day (1,000 in,
    # 500 out) to the small model: 0.2 per request; the 5 subscribers 2 a day to the frontier one
    # at 2 per request.
    assert r.kpi("requests@small")[0, 0] == pytest.approx(5 * DAYS)
    assert r.kpi("requests@frontier")[0, 0] == pytest.approx(10 * DAYS)
    assert r.kpi("requests")[0, 0] == pytest.approx(15 * DAYS)
    assert r.kpi("serving_cost@small")[0, 0] == pytest.approx(1 * DAYS)
    assert r.kpi("serving_cost@frontier")[0, 0] == pytest.approx(20 * DAYS)
    assert r.line("cogs.inference")[0, 0] == pytest.approx(21 * DAYS)
    # the tier's own economics: revenue 50, fees 5, serving 20 × DAYS, over 5 payers
    assert r.kpi("tier_serving_cost:main")[0, 0] == pytest.approx(20 * DAYS)
    assert r.kpi("tier_margin_per_payer:main")[0, 0] == pytest.approx((50 - 5 - 20 * DAYS) / 5)
    # consumer unit economics count both: (1 + 20) × DAYS over 10 active users
    assert r.kpi("serving_cost_per_active_user")[0, 0] == pytest.approx(2.1 * DAYS)
    assert r.kpi("margin_mean_payer")[0, 0] == pytest.approx(9 - 4 * DAYS, rel=1e-6)


def test_routes_add_up_to_the_ledger_every_month():
    r = run(routed().replace("horizon_months: 3", "horizon_months: 12"))
    by_route = r.kpi("serving_cost@small") + r.kpi("serving_cost@frontier")
    assert np.allclose(by_route, r.line("cogs.inference"), rtol=1e-6)
    tiers = r.kpi("tier_serving_cost:main")
    assert np.allclose(tiers, r.kpi("serving_cost@frontier"), rtol=1e-6)


def test_a_tier_without_its_own_usage_uses_the_free_users_times_its_multiple():
    r = run(routed("    served_by: frontier\n    usage_multiple: 3\n"))
    # 5 subscribers × 3 × 1 request a day on the frontier model
    assert r.kpi("requests@frontier")[0, 0] == pytest.approx(15 * DAYS)
    assert r.kpi("requests@small")[0, 0] == pytest.approx(5 * DAYS)


def test_without_routes_every_tier_has_its_economics_and_nothing_else_moves():
    r = run(TINY)
    assert "requests@default" not in r.kpi_names
    cost = r.kpi("tier_serving_cost:main")[0, 0]
    # 5 subscribers × 1 request a day × (1,000 × 1,000 + 500 × 2,000) / 1e6 = 2 per request
    assert cost == pytest.approx(5 * DAYS * 2, rel=1e-6)


def test_the_default_route_and_a_named_one():
    extra = "  serving:\n    per_token: {input_price_per_million: 1, output_price_per_million: 2}\n"
    r = run(routed(free="default", extra=extra))
    assert r.kpi("requests@default")[0, 0] == pytest.approx(5 * DAYS)
    assert r.kpi("requests@frontier")[0, 0] == pytest.approx(5 * DAYS)


@pytest.mark.parametrize(
    "text, message",
    [
        (routed("    served_by: frontiers\n"), "no route named 'frontiers'.*did you mean frontier"),
        (routed(free="tiny"), "no route named 'tiny' \\(routes: frontier, small\\)"),
        (
            routed()
            .replace("    small:\n", "    2small:\n")
            .replace("served_by: small", "served_by: 2small"),
            "compute.routes",
        ),
        (
            routed().replace(
                "      per_token: {input_price_per_million: 100, output_price_per_million: 200}\n",
                "      per_token: {input_price_per_million: 100, output_price_per_million: 200}\n"
                "      api: {provider: openai, model: gpt-4o}\n",
            ),
            "choose exactly one of",
        ),
    ],
)
def test_bad_routes_are_clear_errors(text, message):
    with pytest.raises(breakeven.ScenarioError, match=message):
        breakeven.load_text(text)
