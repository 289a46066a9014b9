"""Each business block by hand on tiny deterministic plans, and the qualitative facts of issue 4."""

import numpy as np
import pytest

import breakeven
from breakeven.models.usage import capped_mean_factor, user_quantile_factor

DAYS = 365.25 / 12

CONSUMER = """\
name: tiny consumer
horizon_months: {H}
samples: 2
discount_rate_per_year: 0
market:
  consumer:
    market_size: 1000
    innovation_per_year: 12%
    imitation_per_year: 0
    churn_per_month: 10%
    usage: {{requests_per_day: 1, input_tokens_per_request: 1000, output_tokens_per_request: 500}}
compute:
  serving:
    per_token: {{input_price_per_million: 1000, output_price_per_million: 2000}}
"""
ACTIVE = [10.0, 18.9, 18.9 - 1.89 + 0.01 * (1000 - 19.9)]


def run(text, samples=2, seed=1):
    return breakeven.simulate(breakeven.load_text(text), samples=samples, seed=seed)


def consumer(extra="", H=3):
    return CONSUMER.format(H=H) + extra


def test_ads_by_hand_and_capped_by_attention():
    ads = (
        "streams:\n  ads: {minutes_per_user_per_day: 20, ads_per_minute: 0.5, fill_rate: 50%,"
        " cpm: 40}\n"
    )
    r = run(consumer(ads))
    expected = [a * 20 * DAYS * 0.5 * 0.5 * 40 / 1000 for a in ACTIVE]
    assert r.line("revenue.ads")[0] == pytest.approx(expected)
    # ten times more requests per user: serving cost x10, ad revenue unchanged (attention-bound)
    heavy = run(consumer(ads).replace("requests_per_day: 1,", "requests_per_day: 10,"))
    assert heavy.line("revenue.ads")[0] == pytest.approx(expected)
    assert heavy.line("cogs.inference")[0] == pytest.approx(10 * r.line("cogs.inference")[0])


def test_subscribers_do_not_see_ads_by_default():
    text = consumer(
        "streams:\n  subscription: {price_per_month: 10, conversion: 20%}\n"
        "  ads: {minutes_per_user_per_day: 20, ads_per_minute: 1, fill_rate: 1,"
        " cpm: 1000}\n"
    )
    r = run(text)
    assert r.line("revenue.ads")[0, 0] == pytest.approx(10 * 0.8 * 20 * DAYS)


def test_commission_and_top_ups_by_hand():
    r = run(
        consumer(
            "streams:\n  commission: {transacting_share: 10%, "
            "gmv_per_transacting_user_per_month: 500, take_rate: 4%}\n"
            "  top_ups: {buyer_share: 5%, spend_per_buyer_per_month: 30, "
            "price_per_million_tokens: 3000, breakage: 0}\n"
        )
    )
    a = np.array(ACTIVE)
    assert r.line("revenue.commission")[0] == pytest.approx(a * 0.1 * 500 * 0.04)
    assert r.line("revenue.top_ups")[0] == pytest.approx(a * 0.05 * 30)
    extra_tokens = a * 0.05 * 30 / 3000 * 1e6
    base_in = a * DAYS * 1000
    assert r.kpi("input_tokens")[0] == pytest.approx(base_in + extra_tokens * 2 / 3)


def test_subscription_tiers_annual_plans_vat_and_fees_by_hand():
    r = run(
        consumer(
            "streams:\n  subscription:\n    price_per_month: 10\n    conversion: 10%\n"
            "    tiers: [{name: pro, price_per_month: 100, conversion: 1%, "
            "usage_multiple: 5}]\n    annual_share: 50%\n    annual_discount: 20%\n"
            "    vat: 6%\n    app_store_share: 50%\n    app_store_fee: 30%\n"
            "    payment_fee: 1%\n"
        )
    )
    a = ACTIVE[0]
    paid = (a * 0.1 * 10 + a * 0.01 * 100) * (1 - 0.5 * 0.2)
    assert r.line("revenue.subscription")[0, 0] == pytest.approx(paid / 1.06)
    assert r.line("cogs.payment_fees")[0, 0] == pytest.approx(paid * (0.5 * 0.3 + 0.5 * 0.01))
    assert r.kpi("paying_users")[0, 0] == pytest.approx(a * 0.11)
    # pro subscribers use 5x: usage units = active + 4 x pro payers
    assert r.kpi("requests")[0, 0] == pytest.approx((a + 4 * a * 0.01) * DAYS)


def test_retention_curve_early_churn_by_cohort():
    r = run(
        consumer("", H=4).replace(
            "    churn_per_month: 10%\n",
            "    churn_per_month: 10%\n    retention: {early_churn_per_month: 50%, early_months: 2}\n",
        )
    )
    n1 = 10.0
    n2 = 0.01 * (1000 - n1)
    n3 = 0.01 * (1000 - n1 - n2)
    n4 = 0.01 * (1000 - n1 - n2 - n3)
    # month 2: cohort 1 is early (50% churn); month 3: cohort 1 settles after 2 early months
    m2 = n1 * 0.5 + n2
    m3 = n1 * 0.25 + n2 * 0.5 + n3
    m4 = n1 * 0.25 * 0.9 + n2 * 0.25 + n3 * 0.5 + n4
    assert r.kpi("active_users")[0] == pytest.approx([n1, m2, m3, m4])


def test_cac_rises_as_the_market_fills():
    r = run(
        consumer("", H=2).replace(
            "    churn_per_month: 10%\n",
            "    churn_per_month: 10%\n    paid_acquisition: {budget_per_month: 100, cost_per_user: 1,"
            " saturation_exponent: 1}\n",
        )
    )
    cac1 = 1 / (1 - 10 / 1000)
    assert r.kpi("cac")[0, 0] == pytest.approx(cac1)
    assert r.kpi("paid_new_users")[0, 0] == pytest.approx(100 / cac1)
    assert r.kpi("cac")[0, 1] > cac1


def test_stopping_paid_acquisition_shrinks_active_users():
    text = (
        consumer("", H=36)
        .replace(
            "    churn_per_month: 10%\n",
            "    churn_per_month: 10%\n    paid_acquisition: {budget_per_month: {0: 400k, 13: 0}, "
            "cost_per_user: 20, saturation_exponent: 0}\n",
        )
        .replace("market_size: 1000", "market_size: 1M")
    )
    r = run(text)
    active = r.kpi("active_users")[0]
    assert active[11] > active[12 + 11]  # a year after spending stops, fewer users
    assert np.all(np.diff(active[13:]) < 0)
    assert r.line("opex.marketing")[0, 12:].sum() == 0


def test_heavy_tail_flat_price_loses_money_on_p99_user():
    text = consumer(
        "streams:\n  subscription: {price_per_month: 200, conversion: 10%}\n", H=2
    ).replace(
        "output_tokens_per_request: 500}", "output_tokens_per_request: 500, spread_sigma: 1.2}"
    )
    r = run(text)
    assert r.kpi("margin_p50_payer")[0, 0] > 0 > r.kpi("margin_p99_payer")[0, 0]
    mean_cost = DAYS * 2.0  # 1 request/day × (1000 × 1000 + 500 × 2000) / 1e6
    p99 = user_quantile_factor(1.2, 0.99, None)
    assert r.kpi("margin_p99_payer")[0, 0] == pytest.approx(198 - p99 * mean_cost)  # 1% payment fee
    assert r.user_margins["p99"][0] < 0
    # a fair-use cap at 3x the mean stops the tail from losing money
    capped = run(text.replace("spread_sigma: 1.2}", "spread_sigma: 1.2, cap_multiple_of_mean: 3}"))
    assert capped.kpi("margin_p99_payer")[0, 0] == pytest.approx(198 - 3 * mean_cost)
    assert 198 - 3 * mean_cost > 0
    assert capped.line("cogs.inference")[0, 0] < r.line("cogs.inference")[0, 0]


def test_lognormal_partial_expectation():
    rng = np.random.default_rng(0)
    x = np.exp(-(0.8**2) / 2 + 0.8 * rng.standard_normal(2_000_000))
    assert float(capped_mean_factor(np.array(0.8), np.array(2.0))) == pytest.approx(
        np.minimum(x, 2.0).mean(), rel=2e-3
    )
    assert float(capped_mean_factor(np.array(0.0), np.array(0.5))) == 0.5


BUSINESS = """\
name: tiny business
horizon_months: {H}
samples: 2
discount_rate_per_year: 0
market:
  business:
    segments:
      - name: large
        accounts: 100
        seats_per_account: 1000
        stage_mix: {{no_plans: 0, exploring: 0, piloting: 0, budgeted: 1}}
        start_pilot_per_month: 10%
        get_budget_per_month: 10%
        sales_cycle_months: 1
        renewal_per_year: 1
        seat_innovation_per_month: 10%
        seat_imitation_per_month: 0
        resistance: 0
        unused_paid_seats: 0
streams:
  enterprise:
    price_per_seat_per_month: 10
    payment_terms_days: {dso}
"""


def test_business_pipeline_seats_and_cash_lag_by_hand():
    dso = 2 * DAYS  # exactly two months
    r = run(BUSINESS.format(H=5, dso=dso))
    # all 100 budgeted accounts sign in month 1 (cycle of 1 month); seats adopt 10% of the rest
    assert r.kpi("new_deployments")[0] == pytest.approx([100, 0, 0, 0, 0])
    share = [1 - 0.9**k for k in range(1, 6)]
    seats = [100 * 1000 * s for s in share]
    assert r.kpi("seats")[0] == pytest.approx(seats)
    revenue = np.array(seats) * 10
    assert r.line("revenue.enterprise_seats")[0] == pytest.approx(revenue)
    cash = r.kpi("cash_collected_enterprise")[0]
    assert cash[:2] == pytest.approx([0, 0])
    assert cash[2:] == pytest.approx(revenue[:3])  # cash lags signature by the payment terms
    assert r.line("wc.receivables")[0] == pytest.approx(cash - revenue)
    assert r.line("free_cash_flow")[0, 0] == pytest.approx(
        r.line("ebitda")[0, 0] - revenue[0], abs=1e-6
    )


def test_stage_transitions_and_abandoned_pilots():
    text = BUSINESS.format(H=2, dso=0).replace(
        "stage_mix: {no_plans: 0, exploring: 0, piloting: 0, budgeted: 1}",
        "stage_mix: {no_plans: 0.5, exploring: 0.5, piloting: 0, budgeted: 0}\n"
        "        start_exploring_per_month: 20%\n        abandon_pilot_per_month: 50%",
    )
    r = run(text)
    assert r.kpi("exploring_accounts")[0, 0] == pytest.approx(50 + 10 - 5)
    assert r.kpi("piloting_accounts")[0, 0] == pytest.approx(5)
    # month 2: pilots lose 50% abandoned and 10% budgeted; 5 more pilots start
    assert r.kpi("abandoned_pilots")[0, 1] == pytest.approx(2.5)
    assert r.kpi("piloting_accounts")[0, 1] == pytest.approx(5 - 2.5 - 0.5 + 0.1 * 55)


def test_new_entrant_stage_mix_is_the_default():
    # the survey mix is the market's attitude to large models, kept for plans that write it out;
    # the default is a new entrant's: nobody has a pilot or a budget with *you* yet
    from breakeven.blocks.business import NEW_ENTRANT_STAGE_MIX, SURVEY_STAGE_MIX

    assert SURVEY_STAGE_MIX == {
        "no_plans": 0.07,
        "exploring": 0.34,
        "piloting": 0.35,
        "budgeted": 0.24,
    }
    assert NEW_ENTRANT_STAGE_MIX == {"no_plans": 0.07, "exploring": 0.93}
    sc = breakeven.load_text(
        BUSINESS.format(H=2, dso=0).replace(
            "        stage_mix: {no_plans: 0, exploring: 0, piloting: 0, budgeted: 1}\n", ""
        )
    )
    assert {
        k.value: v for k, v in sc.market.business.segments[0].stage_mix.items()
    } == NEW_ENTRANT_STAGE_MIX


def test_bad_stage_mix_is_located():
    with pytest.raises(breakeven.ScenarioError, match=r":11: .*stage_mix.*adding up to 1"):
        breakeven.load_text(BUSINESS.format(H=2, dso=0).replace("budgeted: 1}", "budgeted: 0.5}"))


HARDWARE = """\
name: tiny device
horizon_months: 3
samples: 2
streams:
  hardware:
    devices_sold_per_month: 100
    device_price: 500
    device_cost: 300
    service_life_months: 10
    ai_service_cost_per_device_per_month: 2
    subscription_attach_rate: 20%
    subscription_price_per_month: 15
"""


def test_hardware_bundle_by_hand():
    r = run(HARDWARE)
    in_use = [100, 190, 271]
    assert r.kpi("devices_in_use")[0] == pytest.approx(in_use)
    assert r.line("revenue.devices")[0] == pytest.approx([50_000] * 3)
    assert r.line("cogs.devices")[0] == pytest.approx([30_000] * 3)
    assert r.line("cogs.ai_service")[0] == pytest.approx([2 * d for d in in_use])
    assert r.line("revenue.device_subscriptions")[0] == pytest.approx(
        [0.2 * 15 * d for d in in_use]
    )


API = """\
name: tiny api
horizon_months: 4
samples: 2
streams:
  api:
    input_price_per_million: 10
    output_price_per_million: 20
    input_tokens_per_month: 1e9
    output_tokens_per_month: 5e8
    market_elasticity: -1
    share_elasticity: -2
    follow_competitors: {follow}
    competitor_price_cuts: [{{month: 3, change: -50%}}]
compute:
  serving:
    per_token: {{input_price_per_million: 1, output_price_per_million: 2}}
"""


def test_api_price_war_by_hand():
    follow = run(API.format(follow=1))
    # month 3: market price halves; following fully keeps share; volume doubles (elasticity -1)
    assert follow.kpi("market_price_index")[0] == pytest.approx([1, 1, 0.5, 0.5])
    tokens = [1.5e9, 1.5e9, 3e9, 3e9]
    assert follow.kpi("api_tokens")[0] == pytest.approx(tokens)
    assert follow.line("revenue.api")[0] == pytest.approx([1e9 * 10 / 1e6 + 5e8 * 20 / 1e6] * 4)
    hold = run(API.format(follow=0))
    # not following: relative price 2x → share falls 2^-2 = 1/4 on a market twice as big
    assert hold.kpi("api_tokens")[0, 2] == pytest.approx(1.5e9 * 2 / 4)
    assert hold.line("revenue.api")[0, 2] < follow.line("revenue.api")[0, 2] * 2


BUYER = """\
name: tiny buyer
horizon_months: 6
samples: 2
discount_rate_per_year: 0
buyer:
  departments:
    - {{name: support, employees: 100, hours_saved_per_active_user_per_month: 10,
        loaded_cost_per_hour: 50, adoption_innovation_per_month: 50%,
        adoption_imitation_per_month: 0, resistance: 0}}
    - {{name: sales, employees: 100, hours_saved_per_active_user_per_month: 10,
        loaded_cost_per_hour: 50, adoption_innovation_per_month: 50%,
        adoption_imitation_per_month: 0, resistance: 0}}
  licence_per_seat_per_month: 30
  integration_cost: 10000
  maintenance_per_year: 12000
  pilot_months: 2
  abandon_probability: {p}
  value_realisation: 100%
"""


def test_buyer_roi_by_hand():
    r = run(BUYER.format(p=0))
    support = [100 * (1 - 0.5**k) for k in range(1, 7)]
    sales = [0, 0] + [100 * (1 - 0.5**k) for k in range(1, 5)]
    adopters = np.add(support, sales)
    assert r.kpi("adopters")[0] == pytest.approx(adopters)
    assert r.line("revenue.productivity")[0] == pytest.approx(adopters * 10 * 50)
    assert r.line("opex.licences")[0] == pytest.approx(adopters * 30)
    assert r.line("opex.integration")[0, 0] == 10_000
    cost = adopters * 30 + 1000
    cost[0] += 10_000
    assert r.metrics["npv"][0] == pytest.approx((adopters * 500 - cost).sum())
    assert r.metrics["roi"][0] == pytest.approx((adopters * 500).sum() / cost.sum() - 1)


def test_abandoned_pilot_earns_nothing_after_abandonment():
    r = run(BUYER.format(p=1))
    assert np.all(r.line("revenue.productivity")[:, 2:] == 0)
    assert np.all(r.line("opex.licences")[:, 2:] == 0)
    assert np.all(r.line("revenue.productivity")[:, :2] > 0)
    # dearer licences: the pilot never pays; the empty months after abandonment are not
    # "break-even" (EBITDA 0 with no revenue)
    dear = run(
        BUYER.format(p=1).replace(
            "licence_per_seat_per_month: 30", "licence_per_seat_per_month: 600"
        )
    )
    assert np.all(dear.line("ebitda")[:, 2:] == 0)
    assert np.all(np.isnan(dear.metrics["breakeven_month"]))
    assert dear.probabilities["p_breakeven"] == 0
    some = breakeven.simulate(breakeven.load_text(BUYER.format(p="30%")), samples=4000, seed=3)
    live = some.kpi("project_live")[:, -1]
    assert live.mean() == pytest.approx(0.7, abs=0.03)


def test_conditional_round_closes_only_when_the_target_is_met():
    text = consumer(
        "funding:\n  starting_cash: 0\n  rounds:\n"
        "    - {name: A, month: 2, amount: 1000, requires: [{measure: active_users,"
        " at_least: 15}]}\n    - {name: B, month: 3, amount: 500, requires:"
        " [{measure: active_users, at_least: 100}]}\n"
        "milestones:\n  - {name: 20 users, month: 3, measure: active_users,"
        " at_least: 20}\n  - {name: 50 users, month: 3, measure: active_users,"
        " at_least: 50}\n"
    )
    r = run(text)
    assert r.line("funding")[0] == pytest.approx([0, 1000, 0])  # 18.9 >= 15; 26.8 < 100
    ms = {m["name"]: m["probability"] for m in r.milestones}
    assert ms["20 users"] == 1.0 and ms["50 users"] == 0.0


def test_cooled_market_round_fails_with_its_probability():
    text = consumer(
        "funding:\n  rounds: [{name: A, month: 1, amount: 1000, close_probability: 40%}]\n"
    )
    r = breakeven.simulate(breakeven.load_text(text), samples=5000, seed=2)
    closed = r.line("funding")[:, 0] > 0
    assert closed.mean() == pytest.approx(0.4, abs=0.03)


def test_unknown_measure_is_a_located_error():
    with pytest.raises(
        breakeven.ScenarioError,
        match=r"milestones.0.measure: .*did you mean "
        r"'active_users'",
    ):
        breakeven.load_text(
            consumer("milestones: [{name: x, month: 2, measure: activ_users, at_least: 1}]\n")
        )


def test_stream_without_its_market_is_a_located_error():
    with pytest.raises(breakeven.ScenarioError, match="needs market.consumer"):
        breakeven.load_text(
            "name: x\nstreams:\n  ads: {minutes_per_user_per_day: 1, ads_per_minute: 1, cpm: 1}\n"
        )


def test_training_run_spread_over_its_months():
    r = run(
        consumer(
            "company:\n  training_runs: [{name: v2, month: 2, cost: 3000, duration_months: 2}]\n"
        )
    )
    assert r.line("opex.training")[0] == pytest.approx([0, 1500, 1500])


def test_training_runs_are_their_spread_costs_summed_bit_for_bit():
    """The block makes each month's figure as it is stepped; the numbers are those of summing
    every run's whole-horizon :func:`spread_cost` in plan order (a run past the horizon adds 0)."""
    from breakeven.models.cash import spread_cost

    costs = [(3000.0, 2, 3), (7.0, 3, 1), (1e6 / 3, 1, 7), (50.0, 9, 2), (9.0, 11, 1)]
    runs = ", ".join(
        f"{{name: r{i}, month: {m}, cost: {c!r}, duration_months: {d}}}"
        for i, (c, m, d) in enumerate(costs)
    )
    r = run(consumer(f"company:\n  training_runs: [{runs}]\n", H=10))
    got = r.line("opex.training")[0]
    months = len(got)
    want = spread_cost(np.array([costs[0][0]]), costs[0][1], costs[0][2], months)
    for c, m, d in costs[1:]:
        want = want + spread_cost(np.array([c]), m, d, months)
    assert np.array_equal(np.asarray(got, dtype=float), want[:, 0])


def test_segments_price_and_pay_differently():
    text = BUSINESS.format(H=4, dso=0) + "    implementation_fee: 1000\n    integration_cost: 100\n"
    text = text.replace(
        "        unused_paid_seats: 0\n",
        "        unused_paid_seats: 0\n"
        "        deal_size_multiple: 10\n        account_cost_multiple: 5\n"
        "        seat_price_multiple: 0.5\n"
        f"        payment_terms_days: {DAYS}\n"
        "      - {name: small, accounts: 50, seats_per_account: 10, stage_mix: "
        "{no_plans: 0, exploring: 0, piloting: 0, budgeted: 1}, "
        "start_pilot_per_month: 0, get_budget_per_month: 0, sales_cycle_months: 1,"
        " renewal_per_year: 1, seat_innovation_per_month: 1, "
        "seat_imitation_per_month: 0, resistance: 0, unused_paid_seats: 0}\n",
    )
    r = run(text)
    assert r.line("revenue.implementation")[0, 0] == pytest.approx(100 * 1000 * 10 + 50 * 1000)
    assert r.line("cogs.integration")[0, 0] == pytest.approx(100 * 100 * 5 + 50 * 100)
    large_seats = 100 * 1000 * 0.1
    seat_rev = large_seats * 10 * 0.5 + 50 * 10 * 10
    assert r.line("revenue.enterprise_seats")[0, 0] == pytest.approx(seat_rev)
    # the large segment pays a month later; the small one at once (dso 0)
    small_month1 = 50 * 1000 + 50 * 10 * 10
    assert r.kpi("cash_collected_enterprise")[0, 0] == pytest.approx(small_month1)


def test_api_stream_charges_the_catalog_price_history():
    import datetime as dt

    from breakeven.compute.prices import price_at

    text = (
        API.format(follow=0)
        .replace(
            "    input_price_per_million: 10\n    output_price_per_million: 20\n",
            "    price_from_catalog: {provider: DeepSeek, model: deepseek-chat}\n",
        )
        .replace("competitor_price_cuts: [{month: 3, change: -50%}]", "competitor_price_cuts: []")
    )
    text = text.replace("horizon_months: 4", "horizon_months: 4\nstart_date: 2024-05-01")
    r = run(text)
    for t in range(4):
        row = price_at(
            "DeepSeek", "deepseek-chat", dt.date(2024, 5 + t, 1) if t else dt.date(2024, 5, 6)
        )
        assert r.line("revenue.api")[0, t] == pytest.approx(
            (1e9 * row.input_per_million + 5e8 * row.output_per_million) / 1e6
        )
    with pytest.raises(breakeven.ScenarioError, match="price_from_catalog or the two prices"):
        breakeven.load_text(
            text.replace(
                "    price_from_catalog", "    input_price_per_million: 1\n    price_from_catalog"
            )
        )
