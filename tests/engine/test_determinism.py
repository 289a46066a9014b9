"""Same plan and seed → bit-identical results, however the work is chunked or spread, for every
template: chunk sizes, worker threads and sample prefixes (the first k of n samples)."""

from __future__ import annotations

import numpy as np
import pytest

import breakeven
from breakeven.engine import BLOCK
from breakeven.scenario import templates

N = BLOCK + 700  # one whole RNG block and a partial one


def _same(a, b, k: int | None = None) -> None:
    sl = slice(0, k)
    for name in a.metrics:
        assert np.array_equal(a.metrics[name][sl], b.metrics[name][sl], equal_nan=True), name
    kept = min(a.kept, b.kept) if k is None else min(k, a.kept, b.kept)
    assert np.array_equal(a.ledger_lms[:, :, :kept], b.ledger_lms[:, :, :kept])
    assert np.array_equal(a.kpis_lms[:, :, :kept], b.kpis_lms[:, :, :kept])


@pytest.fixture(scope="module", params=templates.names())
def plan(request):
    return breakeven.load(templates.path(request.param))


def test_chunking_and_workers_do_not_change_a_bit(plan):
    a = breakeven.simulate(plan, samples=N, seed=11, chunk_size=BLOCK, workers=1)
    b = breakeven.simulate(plan, samples=N, seed=11, chunk_size=2 * BLOCK, workers=2)
    _same(a, b)
    assert np.array_equal(a.ledger_sum_lm, b.ledger_sum_lm)
    assert np.array_equal(a.kpi_sum_lm, b.kpi_sum_lm)


def test_the_first_samples_of_a_longer_run_are_a_shorter_run(plan):
    short = breakeven.simulate(plan, samples=300, seed=11)
    long = breakeven.simulate(plan, samples=N, seed=11, chunk_size=2 * BLOCK)
    _same(short, long, k=300)


# Every mechanism of the business-fidelity work at once, with inputs whose draws differ from chunk
# to chunk (a `choice` that is sometimes 0 existing subscribers): chunking must not matter.
EVERYTHING = """\
name: every new mechanism
currency: CNY
start: 2025-03
horizon_months: 18
market:
  consumer:
    market_size: 5M to 20M
    innovation_per_year: 1% to 3%
    imitation_per_year: 0.2 to 0.5
    churn_per_month: 5% to 12%
    existing_users: 50k to 200k
    users_counted_as: dau
    activity: {dau_per_mau: 20% to 40%, wau_per_mau: 50% to 70%}
    served_by: small
    usage: {requests_per_day: 2 to 6, input_tokens_per_request: 800, output_tokens_per_request: 300,
            spread_sigma: 0.6}
  business:
    segments:
      - name: large
        accounts: 200 to 400
        seats_per_account: 500 to 2000
        deployed_accounts: 5 to 20
        min_seats_per_account: 100
        start_pilot_per_month: 3% to 8%
        get_budget_per_month: 5% to 15%
      - name: small
        accounts: 2000 to 5000
        seats_per_account: 20 to 80
        launch_month: 4
        start_pilot_per_month: 5% to 10%
        get_budget_per_month: 5% to 15%
    sales: {reps: {1: 3, 7: 6}, deals_per_rep_per_month: 1 to 2}
    usage: {requests_per_day: 5, input_tokens_per_request: 1500, output_tokens_per_request: 400}
    served_by: frontier
streams:
  subscription:
    price_per_month: {1: 30, 7: 25}
    conversion: 2% to 5%
    conversion_of: dau
    existing_subscribers: {dist: choice, values: [0, 3000], weights: [0.5, 0.5]}
    adjustment_months: 1 to 3
    price_elasticity: -1.5 to -0.5
    trial: {months: 0.25, to_paid: 30% to 60%}
    intro_offer: {months: 2, discount: 50%}
    subsidised: {share: 10%, discount: 100%, paid_by: partner}
    served_by: frontier
    usage: {requests_per_day: 10, input_tokens_per_request: 2000, output_tokens_per_request: 600}
    tiers:
      - {name: lite, price_per_month: 10, conversion: 3% to 6%, usage_multiple: 1.5}
  api:
    input_price_per_million: {1: 4, 10: 1}
    output_price_per_million: {1: 12, 10: 3}
    input_tokens_per_month: 1B to 5B
    output_tokens_per_month: 200M to 1B
    adjustment_months: 1 to 4
    market_price_change_per_year: -50% to -10%
    competitor_price_cuts: [{month: 5, change: -70% to -30%}]
    follow_competitors: 50% to 90%
    served_by: frontier
  enterprise:
    price_per_seat_per_month: 60
    free_months: 2
    subsidised_seat_share: 20%
    seat_discount: 50%
  hardware:
    devices_sold_per_month: 1k to 3k
    device_price: 1500
    device_cost: 1000
    installed_base: 10k to 30k
compute:
  routes:
    small:
      per_token: {input_price_per_million: 0.3 to 0.8, output_price_per_million: 1 to 3}
    frontier:
      per_token: {input_price_per_million: 2 to 6, output_price_per_million: 8 to 20}
company:
  team:
    - {role: all, headcount: {1: 50, 7: 80}, cost_per_person_per_year: 300k to 600k}
funding:
  starting_cash: 300M
"""


def test_every_new_mechanism_is_deterministic_however_chunked():
    plan = breakeven.load_text(EVERYTHING)
    a = breakeven.simulate(plan, samples=N, seed=5, chunk_size=BLOCK, workers=1)
    b = breakeven.simulate(plan, samples=N, seed=5, chunk_size=2 * BLOCK, workers=2)
    _same(a, b)
    short = breakeven.simulate(plan, samples=300, seed=5)
    _same(short, a, k=300)


def test_every_new_mechanism_over_five_years_is_deterministic_however_chunked():
    # past the months the business pipeline runs ahead at once (AHEAD), and long enough for
    # payment terms and free months to reach back across them
    plan = breakeven.load_text(EVERYTHING.replace("horizon_months: 18", "horizon_months: 60"))
    a = breakeven.simulate(plan, samples=N, seed=5, chunk_size=BLOCK, workers=1)
    b = breakeven.simulate(plan, samples=N, seed=5, chunk_size=2 * BLOCK, workers=2)
    _same(a, b)
    assert np.array_equal(a.ledger_sum_lm, b.ledger_sum_lm)
    short = breakeven.simulate(plan, samples=300, seed=5)
    _same(short, a, k=300)


def _drawn_again_matches(sc, monkeypatch) -> None:
    import importlib

    kept = breakeven.simulate(sc, samples=N, seed=4, chunk_size=BLOCK, workers=2)
    assert isinstance(kept.inputs, dict)
    engine = importlib.import_module("breakeven.engine.simulate")
    monkeypatch.setattr(engine, "INPUTS_KEPT_BYTES", 0)  # as if the run were large
    again = breakeven.simulate(sc, samples=N, seed=4, chunk_size=2 * BLOCK, workers=1)
    assert not isinstance(again.inputs, dict)
    assert list(again.inputs) == list(kept.inputs)
    for k in kept.inputs:
        assert np.array_equal(again.inputs[k], kept.inputs[k]), k
    _same(kept, again)


def test_inputs_drawn_again_are_the_ones_the_run_drew(plan, monkeypatch):
    """A large run keeps no inputs: read, they are drawn again from the seed — the very values a
    run that kept them holds."""
    _drawn_again_matches(plan, monkeypatch)


def test_correlated_inputs_drawn_again_go_through_the_same_copula(monkeypatch):
    text = templates.path("chat-assistant-freemium").read_text(encoding="utf-8") + (
        "correlations:\n"
        "  - between: [streams.subscription.conversion, market.consumer.churn_per_month]\n"
        "    rank: -0.6\n"
        "  - between: [market.consumer.market_size, market.consumer.imitation_per_year]\n"
        "    rank: 0.4\n"
    )
    _drawn_again_matches(breakeven.load_text(text), monkeypatch)
