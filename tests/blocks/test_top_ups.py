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
