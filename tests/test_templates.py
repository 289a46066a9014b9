"""Every shipped template loads, runs, and gives plausible answers; each path's defining feature
shows up in its ledger (ads after acquisition stops, the price-war cut, private deployments…)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import breakeven
from breakeven.scenario import templates

SAMPLES = 2000
NAMES = templates.names()
_CACHE: dict[str, breakeven.Results] = {}


def run(name: str) -> breakeven.Results:
    if name not in _CACHE:
        sc = breakeven.load(templates.path(name))
        _CACHE[name] = breakeven.simulate(sc, samples=SAMPLES, seed=1)
    return _CACHE[name]


def mean(res: breakeven.Results, name: str) -> np.ndarray:
    """Per-month mean over all samples of a ledger line or KPI."""
    return res.monthly_mean(name)


def test_the_paths_of_the_essay_are_all_shipped():
    expected = {
        "image-generation-subscription",
        "free-assistant-ads",
        "commission-agent",
        "enterprise-copilot-seats",
        "office-and-security-suite",
        "ai-hardware-bundle",
        "private-deployment",
        "api-platform-price-war",
        "foundation-model-lab",
        "enterprise-buyer-roi",
    }
    assert expected <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_template_header_and_settings(name):
    first = templates.text(name).splitlines()[0]
    assert first.startswith("# ") and len(templates.summary(name)) > 20
    sc = breakeven.load(templates.path(name))
    assert sc.samples == 10_000
    assert sc.horizon_months in (60, 72)
    assert sc.currency in ("CNY", "USD")


@pytest.mark.parametrize("name", NAMES)
def test_headline_metrics_are_finite_and_plausible(name):
    res = run(name)
    s = res.summary()
    rev = s["revenue_last_month"]["mean"]
    assert rev is not None and math.isfinite(rev) and 0 < rev < 5e9
    need = s["peak_funding_need"]
    assert need["undefined_share"] == 0.0
    assert need["mean"] is not None and math.isfinite(need["mean"]) and need["mean"] >= 0
    assert np.all(res.metrics["peak_funding_need"] >= 0)
    for p in res.probabilities.values():
        assert 0.0 <= p <= 1.0
    for m in res.milestones:
        assert 0.0 <= m["probability"] <= 1.0
    assert math.isfinite(s["npv"]["mean"])
    assert res.headline()


# ---------------------------------------------------------------- one path at a time


def test_image_generation_heavy_users_earn_less():
    res = run("image-generation-subscription")
    assert mean(res, "revenue.subscription")[-1] > 0
    assert mean(res, "cogs.inference").sum() > 0
    # the p99 subscriber's margin is below the median subscriber's: the heavy tail costs
    assert np.all(mean(res, "margin_p99_payer") < mean(res, "margin_p50_payer"))


def test_ads_assistant_shrinks_when_paid_acquisition_stops():
    res = run("free-assistant-ads")
    assert mean(res, "revenue.ads").sum() > 0
    assert mean(res, "revenue.top_ups").sum() > 0
    paid = mean(res, "paid_new_users")
    assert paid[17] > 0 and np.all(paid[18:] == 0)  # budget {0: …, 19: 0}
    users = mean(res, "active_users")
    assert users[23] < users[17]  # six months after the ads stop, fewer active users
    marketing = mean(res, "opex.marketing")
    assert marketing[18] < 0.1 * marketing[17]


def test_commission_agent_earns_a_take_rate_on_gmv():
    res = run("commission-agent")
    gmv, fee = mean(res, "gmv"), mean(res, "revenue.commission")
    assert fee[-1] > 0 and np.all(fee <= gmv)


def test_copilot_seats_are_sold_into_the_installed_base():
    res = run("enterprise-copilot-seats")
    assert mean(res, "revenue.enterprise_seats")[-1] > 0
    assert np.all(mean(res, "paid_seats") >= mean(res, "seats"))
    assert mean(res, "wc.receivables")[:12].sum() < 0  # cash arrives after payment terms


def test_office_and_security_suite_earns_on_both_sides():
    res = run("office-and-security-suite")
    for line in (
        "revenue.subscription",
        "revenue.ads",
        "revenue.enterprise_seats",
        "revenue.enterprise_platform",
    ):
        assert mean(res, line).sum() > 0, line
    assert mean(res, "active_users")[-1] > 0 and mean(res, "deployed_accounts")[-1] > 0


def test_hardware_bundle_sells_devices_and_serves_them():
    res = run("ai-hardware-bundle")
    assert mean(res, "revenue.devices").sum() > mean(res, "cogs.devices").sum() > 0
    in_use = mean(res, "devices_in_use")
    assert in_use[-1] > in_use[0]
    assert mean(res, "capex.gpus").sum() > 0  # own servers for the model inside


def test_private_deployment_books_on_premises_projects_and_fine_tuning():
    res = run("private-deployment")
    assert mean(res, "cogs.private_deployment").sum() > 0
    assert mean(res, "revenue.implementation").sum() > 0
    assert mean(res, "opex.training").sum() > 0  # compute-estimated full and LoRA runs
    assert mean(res, "wc.receivables")[:12].sum() < 0  # 120–180 days to be paid


def test_api_price_war_cuts_the_market_price_in_may_2024():
    res = run("api-platform-price-war")
    sc = res.scenario
    assert str(sc.start) == "2024-01-01"
    market = mean(res, "market_price_index")
    assert np.allclose(market[:4], 1.0)
    assert market[4] < 0.45  # month 5 = May 2024: -60% to -90%
    own = mean(res, "api_price_index")
    assert own[4] < 1.0 and own[4] >= market[4]  # follow most, not more, of the cut
    assert mean(res, "revenue.api")[-1] > 0


def test_foundation_lab_trains_for_tens_of_millions_and_needs_its_rounds():
    res = run("foundation-model-lab")
    assert res.months == 72
    training = mean(res, "opex.training")
    assert 10e6 < training[:3].sum() < 300e6  # base v1 plus research compute: tens of millions
    closes = {m["name"]: m["probability"] for m in res.milestones}
    p = closes["round Series B closes"]
    assert 0.05 < p < 0.95  # milestone and a cooled market: neither sure nor hopeless
    assert res.probabilities["p_breakeven"] < 0.5


def test_buyer_roi_counts_productivity_and_pays_off_at_the_median():
    res = run("enterprise-buyer-roi")
    assert mean(res, "revenue.productivity")[-1] > 0
    assert mean(res, "opex.licences").sum() > 0
    npv = res.summary()["npv"]
    assert npv["p50"] > 0  # the median rollout pays for itself…
    assert npv["p10"] < 0  # …but abandoned pilots lose the integration spend
