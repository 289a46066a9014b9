"""API demand answers prices: your own price path, the market's, and a lag (partial adjustment)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import breakeven

API = """\
name: api price response
currency: CNY
horizon_months: {H}
samples: 1
discount_rate_per_year: 0
streams:
  api:
    input_price_per_million: {price_in}
    output_price_per_million: {price_out}
    input_tokens_per_month: 1B
    output_tokens_per_month: 1B
    market_elasticity: -1
    share_elasticity: {own}
    adjustment_months: {tau}
{extra}compute:
  serving:
    per_token: {{input_price_per_million: 0.1, output_price_per_million: 0.1}}
"""


def run(
    price_in="{1: 10, 4: 1}",
    price_out="{1: 20, 4: 2}",
    own="-1",
    tau="0",
    extra="",
    H=24,
):
    text = API.format(H=H, price_in=price_in, price_out=price_out, own=own, tau=tau, extra=extra)
    return breakeven.simulate(breakeven.load_text(text), samples=1)


def test_a_tenfold_own_price_cut_at_elasticity_minus_one_brings_tenfold_volume():
    r = run()
    tokens = r.kpi("api_tokens")[0]
    assert tokens[:3] == pytest.approx([2e9] * 3)
    assert tokens[3:] == pytest.approx([2e10] * 21, rel=1e-6)  # at once without a lag
    rev = r.line("revenue.api")[0]
    assert rev[0] == pytest.approx(1e9 * 10 / 1e6 + 1e9 * 20 / 1e6)
    assert rev[5] == pytest.approx(rev[0], rel=1e-6)  # elasticity −1: revenue unchanged
    assert r.kpi("api_price_index")[0, 5] == pytest.approx(0.1)


def test_the_lag_brings_the_volume_by_partial_adjustment():
    r = run(tau="3")
    tokens = r.kpi("api_tokens")[0]
    lam = 1 - math.exp(-1 / 3)
    # in logs, each month closes λ of the gap: factor after k months = 10^(1 − (1 − λ)^k)
    expect = [2e9 * 10 ** (1 - (1 - lam) ** k) for k in range(1, 22)]
    assert tokens[3:] == pytest.approx(expect, rel=1e-5)
    assert tokens[3] < 2e9 * 5  # the first month after the cut: far from 10×
    assert tokens[-1] == pytest.approx(2e10, rel=5e-3)  # ~10× after the lag (21 months = 7τ)


def test_follow_the_market_as_a_ratio_of_its_price():
    cut = "    competitor_price_cuts: [{{month: 2, change: -99%}}]\n    follow_competitors: {f}\n"
    r = run(price_in="10", price_out="20", own="-2", extra=cut.format(f="99%"), H=3)
    market = r.kpi("market_price_index")[0]
    ours = r.kpi("api_price_index")[0]
    assert market[1] == pytest.approx(0.01)
    assert ours[1] / market[1] == pytest.approx(0.01**-0.01, rel=1e-5)  # 1.047× the market
    # following exactly: same price as the market, volume grows by the market elasticity only
    r1 = run(price_in="10", price_out="20", own="-2", extra=cut.format(f="1"), H=3)
    assert r1.kpi("api_price_index")[0, 1] == pytest.approx(0.01)
    assert r1.kpi("api_tokens")[0, 1] == pytest.approx(2e9 * 100, rel=1e-5)
    # the list price is what the market index says: revenue per token falls 100×
    assert r1.line("revenue.api")[0, 1] == pytest.approx(r1.line("revenue.api")[0, 0], rel=1e-5)


def test_a_steady_market_decline_loses_share_when_you_do_not_follow():
    drift = "    market_price_change_per_year: -50%\n    follow_competitors: 0\n"
    r = run(price_in="10", price_out="20", own="-2", extra=drift, H=13)
    market = r.kpi("market_price_index")[0]
    assert market[12] == pytest.approx(0.5)
    # market volume doubles (ε = −1), our relative price doubles (ε_own = −2 → ÷4): half
    assert r.kpi("api_tokens")[0, 12] == pytest.approx(2e9 * 2 / 4, rel=1e-6)


def test_without_price_changes_demand_is_the_base_exactly():
    r = run(price_in="10", price_out="20", tau="2 to 6")
    assert np.array_equal(r.kpi("api_tokens")[0], np.full(24, 2e9, dtype=np.float32))


@pytest.mark.parametrize("own", ["1e12", "-60", "-80 to -60"])
def test_an_implausible_elasticity_is_a_located_error_not_an_overflow(own):
    """1e12 (found by fuzzing) overflowed the run and the error named the training runs' token
    counts, the largest inputs, instead of the elasticity."""
    text = API.format(H=3, price_in=1, price_out=2, own=own, tau=0, extra="")
    with pytest.raises(
        breakeven.ScenarioError,
        match=r"p\.yaml:\d+: streams\.api\.share_elasticity: an elasticity beyond ±50 is implaus",
    ):
        breakeven.load_text(text, "p.yaml")
    assert run(own="-50", H=3).line("revenue.api").all()  # the bound itself runs


def _price_levels_by_month(cuts, follow, months, n):
    """price_levels as first written: every cut multiplied into every later month, and the
    power taken of every month: the reference the run-by-run version must equal bit for bit."""
    c = np.ones((months, n))
    for month, change in sorted(cuts, key=lambda x: x[0]):
        if month > months:
            continue
        c[month - 1 :] *= 1.0 + change
    if not cuts:
        return c, np.ones((months, n))
    return c, np.where(follow >= 1.0, c, np.power(c, follow))


@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    months=st.integers(1, 30),
    cuts=st.lists(st.integers(1, 35), max_size=5),  # repeats and months past the horizon
)
def test_price_levels_by_runs_are_the_month_by_month_bits(seed, months, cuts):
    from breakeven.models.pricing import price_levels

    rng = np.random.default_rng(seed)
    n = 7
    given_cuts = [(m, -rng.random(n) * 0.9) for m in cuts]
    follow = rng.choice([0.0, 0.3, 1.0, 1.5, np.nan], n)
    got = price_levels(given_cuts, follow, months, n)
    want = _price_levels_by_month(given_cuts, follow, months, n)
    for a, b in zip(got, want, strict=True):
        assert np.array_equal(a.view(np.uint64), b.view(np.uint64))


def test_month_by_month_is_the_whole_horizon_formula_bit_for_bit():
    """The block makes its paths a month at a time; they are the numbers of the whole-horizon
    formulas (price_levels, growth paths, schedules' monthly arrays, adjusted_path), every
    input uncertain: cuts, a market drift followed in part, a blended cached price, a lag."""
    from breakeven.engine import build_inputs
    from breakeven.engine.inputs import Params
    from breakeven.models.growth import growth_path
    from breakeven.models.pricing import api_demand, list_price_index, price_levels
    from breakeven.models.response import adjusted_path, adjustment_rate

    extra = (
        "    competitor_price_cuts: [{month: 3, change: -60% to -20%}, "
        "{month: 3, change: -10% to -5%}, {month: 9, change: -50% to -10%}]\n"
        "    follow_competitors: 30% to 95%\n"
        "    market_price_change_per_year: -40% to -5%\n"
        "    cached_input_price_per_million: {start: 1 to 2, change_per_year: -30%}\n"
        "    cache_hit_share: 20% to 60%\n"
    )
    text = API.format(
        H=20,
        price_in="{start: 8 to 12, change_per_year: -30% to -10%}",
        price_out="{1: 20, 7: 15 to 18}",
        own="-3 to -1",
        tau="1 to 4",
        extra=extra,
    ).replace(
        "input_tokens_per_month: 1B",
        "input_tokens_per_month: {start: 1B to 3B, change_per_year: 50% to 200%}",
    )
    sc = breakeven.load_text(text)
    n, H = 64, sc.horizon_months
    r = breakeven.simulate(sc, samples=n, seed=5)
    table = build_inputs(sc)
    values = {
        k: r.inputs[k] if k in r.inputs else np.full(n, inp.dist.median) for k, inp in table.items()
    }
    p, s = Params(values, n, table), sc.streams.api
    c, m = price_levels(
        [(cut.month, p[cut.change]) for cut in s.competitor_price_cuts],
        p[s.follow_competitors],
        H,
        n,
    )
    c *= growth_path(p[s.market_price_change_per_year], H)
    m *= growth_path(p[s.market_price_change_per_year], H, power=p[s.follow_competitors])
    h = p[s.cache_hit_share]
    pin = (1.0 - h) * s.input_price_per_million.monthly(p, H) + h * (
        s.cached_input_price_per_million.monthly(p, H)
    )
    pout = s.output_price_per_million.monthly(p, H)
    base_in = s.input_tokens_per_month.monthly(p, H)
    base_out = s.output_tokens_per_month.monthly(p, H)
    first = pin[0] * base_in[0] + pout[0] * base_out[0]
    own = list_price_index(pin, pout, base_in[0], base_out[0], first) * m
    target = api_demand(1.0, c, own, p[s.market_elasticity], p[s.share_elasticity])
    factor = adjusted_path(target, adjustment_rate(p[s.adjustment_months]))
    tin, tout = base_in * factor, base_out * factor
    revenue = (tin * (pin * m) + tout * (pout * m)) / 1e6

    assert r.line("revenue.api").tobytes() == revenue.T.tobytes()
    for name, want in (
        ("api_tokens", tin + tout),
        ("api_price_index", own),
        ("market_price_index", c),
    ):
        assert r.kpi(name).tobytes() == want.T.astype(r.kpi(name).dtype).tobytes(), name


def test_a_payment_fee_on_api_revenue():
    """3% of API revenue to the card processor, every month, on cogs.payment_fees: month 1 is
    1B × ¥10 + 1B × ¥20 per million = ¥30,000 of revenue, ¥900 of fees. Left at 0 the line
    is 0 — and an input still: held at 3% with fixed=, the same fees."""
    r = run(extra="    payment_fee: 3%\n", H=6)
    rev, fee = r.line("revenue.api")[0], r.line("cogs.payment_fees")[0]
    assert fee[0] == pytest.approx(900)
    np.testing.assert_allclose(fee, 0.03 * rev, rtol=1e-12)
    base = run(H=6)
    assert not base.line("cogs.payment_fees").any()
    np.testing.assert_allclose(r.line("ebitda")[0], base.line("ebitda")[0] - fee, rtol=1e-9)
    text = API.format(
        H=6, price_in="{1: 10, 4: 1}", price_out="{1: 20, 4: 2}", own="-1", tau="0", extra=""
    )
    held = breakeven.simulate(
        breakeven.load_text(text), samples=1, fixed={"streams.api.payment_fee": 0.03}
    )
    np.testing.assert_allclose(held.line("cogs.payment_fees")[0], fee, rtol=1e-12)
