"""Top-ups: credits bought, and the requests and tokens they unlock — served and costed under
every serving mode."""

from __future__ import annotations

from tests.conftest import TINY

import breakeven

GPU_SECONDS = (
    "compute:\n  serving:\n    gpu_seconds: {gpu_seconds_per_request: 2, gpu: H100-SXM, "
    "gpu_hour_price: 3600, peak_to_average: 1, target_utilisation: 100%}\n"
)
TOP_UPS = (
    "  top_ups: {buyer_share: 10%, spend_per_buyer_per_month: 20, "
    "price_per_million_tokens: 10000, breakage: 0}\n"
)


def _plan(top_ups: bool) -> str:
    text = TINY.replace(
        "compute:\n  serving:\n    per_token: {input_price_per_million: 1000, "
        "output_price_per_million: 2000}\n",
        GPU_SECONDS,
    )
    return text.replace("streams:\n", "streams:\n" + TOP_UPS, 1) if top_ups else text


def test_top_ups_under_gpu_seconds_serving_cost_their_requests():
    """Regression: credits bought as extra usage added revenue but no serving cost when serving
    is priced per request (GPU-seconds), and tokens without requests."""
    base = breakeven.simulate(breakeven.load_text(_plan(False)), samples=1)
    res = breakeven.simulate(breakeven.load_text(_plan(True)), samples=1)
    # month 1: 10 active users, 1 buyer spends 20 → 2,000 tokens at 10,000/M; the tiny plan's
    # requests are 1,000 in + 500 out tokens → 2,000 / 1,500 = 4/3 requests, each 2 GPU-seconds
    # at 1 per GPU-second (3,600 per hour)
    extra_requests = 20 / 10_000 * 1e6 / 1_500
    cost = res.line("cogs.inference")[0, 0] - base.line("cogs.inference")[0, 0]
    assert abs(cost - extra_requests * 2 * 1.0) < 1e-9
    added = res.kpi("requests")[0, 0] - base.kpi("requests")[0, 0]
    assert abs(added - extra_requests) < 1e-3
    tokens = res.kpi("input_tokens")[0, 0] + res.kpi("output_tokens")[0, 0]
    base_tokens = base.kpi("input_tokens")[0, 0] + base.kpi("output_tokens")[0, 0]
    assert abs(tokens - base_tokens - 2_000) < 1e-2


def test_credits_sold_by_the_request():
    """An image plan sells credits per image, not per million tokens: 1 buyer spends 20 at 5 a
    request, 10% never used → 3.6 requests of the profile's 1,500 tokens, 2 GPU-seconds each at
    1 per GPU-second: 7.2 of serving cost on 20 of revenue."""
    per_request = TOP_UPS.replace(
        "price_per_million_tokens: 10000, breakage: 0", "price_per_request: 5, breakage: 10%"
    )
    base = breakeven.simulate(breakeven.load_text(_plan(False)), samples=1)
    text = _plan(False).replace("streams:\n", "streams:\n" + per_request, 1)
    res = breakeven.simulate(breakeven.load_text(text), samples=1)
    assert abs(res.line("revenue.top_ups")[0, 0] - 20) < 1e-9
    added = res.kpi("requests")[0, 0] - base.kpi("requests")[0, 0]
    assert abs(added - 3.6) < 1e-3  # KPIs are float32
    cost = res.line("cogs.inference")[0, 0] - base.line("cogs.inference")[0, 0]
    assert abs(cost - 7.2) < 1e-9


def test_one_price_for_credits():
    both = TOP_UPS.replace("breakage: 0", "price_per_request: 5, breakage: 0")
    for top_ups in (both, TOP_UPS.replace("price_per_million_tokens: 10000, ", "")):
        text = TINY.replace("streams:\n", "streams:\n" + top_ups, 1)
        try:
            breakeven.load_text(text, "p.yaml")
        except breakeven.ScenarioError as e:
            assert "give either price_per_million_tokens or price_per_request" in str(e)
            assert "p.yaml:" in str(e)
        else:
            raise AssertionError("accepted: " + top_ups)
