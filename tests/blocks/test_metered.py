"""Metered billing of business accounts (streams.metered), by hand on one- and two-segment
plans with no uncertainty: ramp, allowance, segment multiples, private deployments, payment
terms, the tokens served, and its errors."""

from __future__ import annotations

import numpy as np
import pytest

import breakeven
from breakeven.models.pricing import metered_units, ramp_share
from breakeven.scenario import BLOCKS

SEGMENT = """\
      - name: {name}
        accounts: 100
        seats_per_account: 10
        stage_mix: {{no_plans: 0, exploring: 0, piloting: 0, budgeted: 1}}
        start_exploring_per_month: 0
        start_pilot_per_month: 10%
        get_budget_per_month: 50%
        abandon_pilot_per_month: 0
        sales_cycle_months: 2
        renewal_per_year: {renewal}
        deployed_accounts: 10
"""


def plan(metered: str, seg: str = "", *, H: int = 4, renewal: float = 1, two: str = "") -> str:
    """90 budgeted accounts sign at 1/2 a month beside 10 deployed at the start; ``metered``
    is the stream's body, ``seg`` more fields of the (first) segment, ``two`` a second one's."""
    segs = SEGMENT.format(name="a", renewal=renewal) + "".join(
        f"        {x}\n" for x in seg.splitlines()
    )
    if two:
        segs += SEGMENT.format(name="b", renewal=renewal) + "".join(
            f"        {x}\n" for x in two.splitlines()
        )
    return (
        f"name: metered\nhorizon_months: {H}\nsamples: 2\ndiscount_rate_per_year: 0\n"
        "market:\n  business:\n    segments:\n"
        + segs
        + "streams:\n  metered:\n"
        + "".join(f"    {x}\n" for x in metered.splitlines())
    )


SERVING = (
    "compute:\n  serving:\n    per_token:\n"
    "      input_price_per_million: 1\n      output_price_per_million: 4\n"
)
BASIC = "price_per_unit: 2\nunits_per_account_per_month: 1000\npayment_terms_days: 0"


def run(text: str, samples: int = 2) -> breakeven.Results:
    return breakeven.simulate(breakeven.load_text(text), samples=samples, seed=1)


def test_formulas_by_hand():
    assert [ramp_share(a, 3) for a in range(4)] == [1 / 3, 2 / 3, 1.0, 1.0]
    assert ramp_share(0, 0) == ramp_share(0, 1) == 1.0
    used, billed = metered_units(
        [np.array([10.0]), np.array([45.0])], [1.0, 1 / 3], np.array([1000.0]), np.array([300.0])
    )
    assert used[0] == pytest.approx(10 * 1000 + 45 * 1000 / 3)
    assert billed[0] == pytest.approx(10 * 700 + 45 * (1000 / 3 - 300))


def test_every_deployed_account_uses_and_pays_for_the_full_volume_without_a_ramp():
    r = run(plan(BASIC))
    deployed = r.kpi("deployed_accounts")[0]
    # month 1: the 10 starting accounts and 45 signed (90 budgeted × 1/2); month 2: 22.5 more
    assert deployed[:2] == pytest.approx([55, 77.5])
    assert r.kpi("metered_units")[0] == pytest.approx(deployed * 1000, rel=1e-6)
    assert r.kpi("metered_units_billed")[0] == pytest.approx(deployed * 1000, rel=1e-6)
    assert r.line("revenue.metered")[0] == pytest.approx(deployed * 2000, rel=1e-12)
    assert np.all(r.line("wc.receivables") == 0)  # paid the month it is used
    assert r.line("revenue")[0] == pytest.approx(r.line("revenue.metered")[0], rel=1e-15)


def test_ramp_and_allowance_by_hand():
    r = run(plan(BASIC + "\nincluded_units_per_account_per_month: 300\nramp_months: 3"))
    used, billed = r.kpi("metered_units")[0], r.kpi("metered_units_billed")[0]
    # month 1: 10 starting accounts (past the ramp) use 1,000; 45 new ones 1/3 of it
    assert used[0] == pytest.approx(10 * 1000 + 45 * 1000 / 3)
    # allowance 300 an account: 10 × 700 + 45 × 33.3
    assert billed[0] == pytest.approx(10 * 700 + 45 * (1000 / 3 - 300))
    # month 2: 22.5 new at 1/3, last month's 45 at 2/3, the 10 at full
    assert used[1] == pytest.approx(10 * 1000 + 45 * 2000 / 3 + 22.5 * 1000 / 3)
    assert billed[1] == pytest.approx(10 * 700 + 45 * (2000 / 3 - 300) + 22.5 * (1000 / 3 - 300))
    # month 3: the first 45 are fully ramped
    assert used[2] == pytest.approx(55 * 1000 + 22.5 * 2000 / 3 + 11.25 * 1000 / 3)
    assert r.line("revenue.metered")[0] == pytest.approx(2 * billed, rel=1e-12)


def test_the_young_cohorts_renew_like_the_rest():
    month = 0.9  # renewal 0.9 a month
    r = run(plan(BASIC + "\nramp_months: 2", renewal=month**12))
    deployed = r.kpi("deployed_accounts")[0]
    new = r.kpi("new_deployments")[0]
    assert deployed[1] == pytest.approx(55 * month + new[1])
    # month 2: this month's new accounts at half the volume, every other one at full
    assert r.kpi("metered_units")[0, 1] == pytest.approx(
        (deployed[1] - new[1]) * 1000 + new[1] * 500, rel=1e-9
    )


def test_segments_scale_by_their_deal_size_and_private_deployments_are_not_served():
    text = (
        plan(
            BASIC
            + "\nincluded_units_per_account_per_month: 100"
            + "\ninput_tokens_per_unit: 4000\noutput_tokens_per_unit: 500\nrequests_per_unit: 4",
            two="deal_size_multiple: 3\nprivate_deployment_share: 20%",
        )
        + SERVING
    )
    r = run(text)
    deployed_each = 55.0  # both segments sign alike in month 1
    used = deployed_each * 1000 + deployed_each * 3000
    assert r.kpi("metered_units")[0, 0] == pytest.approx(used)
    # the allowance scales too: 900 billed an account in a, 2,700 in b
    assert r.kpi("metered_units_billed")[0, 0] == pytest.approx(deployed_each * (900 + 2700))
    served = deployed_each * 1000 + deployed_each * 3000 * 0.8
    assert r.kpi("input_tokens")[0, 0] == pytest.approx(served * 4000)
    assert r.kpi("output_tokens")[0, 0] == pytest.approx(served * 500)
    assert r.kpi("requests")[0, 0] == pytest.approx(served * 4)
    # serving cost at ¥1 / ¥4 per million tokens
    cost = (served * 4000 * 1 + served * 500 * 4) / 1e6
    assert r.line("cogs.inference")[0, 0] == pytest.approx(cost)


def test_cash_arrives_after_the_payment_terms():
    days = 1.5 * 365.25 / 12  # half a month's revenue one month later, half two months later
    r = run(plan(BASIC.replace("payment_terms_days: 0", f"payment_terms_days: {days}"), H=3))
    rev = r.line("revenue.metered")[0]
    wc = r.line("wc.receivables")[0]
    assert wc[0] == pytest.approx(-rev[0])
    assert wc[1] == pytest.approx(rev[0] / 2 - rev[1])
    assert wc[2] == pytest.approx(rev[0] / 2 + rev[1] / 2 - rev[2])


def test_uncertain_terms_are_inputs_and_a_run_repeats_exactly():
    text = plan(
        "price_per_unit: {start: 1.5 to 2.5, change_per_year: -30% to 0%}\n"
        "units_per_account_per_month: 500 to 2000\nramp_months: 4"
    )
    a, b = run(text, 300), run(text, 300)
    assert "streams.metered.price_per_unit.start" in a.inputs
    assert "streams.metered.units_per_account_per_month" in a.inputs
    assert np.array_equal(a.line("revenue.metered"), b.line("revenue.metered"))
    units = a.inputs["streams.metered.units_per_account_per_month"][: a.kept]
    mature = a.kpi("deployed_accounts")[:, 0] - a.kpi("new_deployments")[:, 0]
    # month 1: the starting accounts at full volume, the new ones at a quarter of it
    expected = units * (mature + a.kpi("new_deployments")[:, 0] / 4)
    assert a.kpi("metered_units")[:, 0] == pytest.approx(expected, rel=1e-6)


def test_errors_are_located():
    with pytest.raises(
        breakeven.ScenarioError, match=r"p.yaml:\d+: streams.metered: .*input_tokens_per_unit"
    ):
        breakeven.load_text(plan(BASIC + "\ninput_tokens_per_unit: 100"), "p.yaml")
    with pytest.raises(breakeven.ScenarioError, match=r"streams.metered.*market.business"):
        breakeven.load_text(
            "name: x\nhorizon_months: 3\nstreams:\n  metered:\n"
            "    price_per_unit: 2\n    units_per_account_per_month: 10\n",
            "p.yaml",
        )
    # tokens with nothing to serve them
    with pytest.raises(breakeven.ScenarioError, match="compute.serving"):
        breakeven.load_text(
            plan(BASIC + "\ninput_tokens_per_unit: 100\noutput_tokens_per_unit: 10"), "p.yaml"
        )


def test_declared_with_labels():
    row = BLOCKS.outputs["revenue.metered"]
    assert row.category == "revenue" and row.zh == "按量计费"
    assert BLOCKS.outputs["metered_units_billed"].unit == "units/month"
