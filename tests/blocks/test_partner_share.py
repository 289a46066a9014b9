"""Partner revenue share: a percentage of chosen revenue lines paid to a partner."""

from __future__ import annotations

import numpy as np
import pytest
from tests.conftest import TINY

import breakeven
from breakeven.scenario import BLOCKS

SHARE = """\
  partner_share:
    - {partner: app store bundle, share: 20%, of: [revenue.subscription], from_month: 2}
"""


def plan(share: str = SHARE) -> str:
    return TINY.replace("streams:\n", "streams:\n" + share, 1)


def test_the_share_is_paid_on_the_named_revenue_from_its_month():
    base = breakeven.simulate(breakeven.load_text(TINY), samples=3)
    res = breakeven.simulate(breakeven.load_text(plan()), samples=3)
    sub = res.line("revenue.subscription")
    paid = res.line("cogs.partner_share")
    assert np.array_equal(paid[:, 0], [0.0, 0.0, 0.0])  # from month 2
    assert np.allclose(paid[:, 1:], 0.2 * sub[:, 1:], rtol=1e-15)
    # nothing else moves: EBITDA is lower by exactly the share paid
    assert np.array_equal(res.line("revenue"), base.line("revenue"))
    assert np.allclose(res.line("ebitda"), base.line("ebitda") - paid, rtol=1e-12)


def test_hand_checked_month_two():
    res = breakeven.simulate(breakeven.load_text(plan()), samples=1)
    # tiny plan: month 1 has 10 new users (1% of 1,000), 10% churn → month 2: 9 + 9.9 new = 18.9
    # active users; half pay ¥10: revenue 94.5, of which the partner gets 20% (fees are a cost)
    active = res.kpi("active_users")[0, 1]
    assert active == pytest.approx(18.9, rel=1e-6)
    revenue = active * 0.5 * 10
    assert res.line("revenue.subscription")[0, 1] == pytest.approx(revenue, rel=1e-6)
    assert res.line("cogs.partner_share")[0, 1] == pytest.approx(0.2 * revenue, rel=1e-6)


def test_an_uncertain_share_is_an_input_and_until_month_ends_it():
    text = plan(
        "  partner_share:\n    - {partner: cloud, share: 10% to 30%, "
        "of: [revenue.subscription], until_month: 2}\n"
    )
    res = breakeven.simulate(breakeven.load_text(text), samples=2000, seed=4)
    share = res.inputs["streams.partner_share.0.share"]
    assert 0.1 < np.median(share) < 0.3
    assert np.all(res.line("cogs.partner_share")[:, 2] == 0)  # after month 2
    ratio = res.line("cogs.partner_share")[:, 0] / res.line("revenue.subscription")[:, 0]
    assert np.allclose(ratio, share[: len(ratio)], rtol=1e-12)


def test_a_line_the_plan_does_not_book_needs_its_stream():
    with pytest.raises(
        breakeven.ScenarioError, match=r"streams.partner_share.0.of.0: needs streams.api"
    ):
        breakeven.load_text(
            plan("  partner_share:\n    - {partner: cloud, share: 20%, of: [revenue.api]}\n"),
            "p.yaml",
        )


def test_only_revenue_can_be_shared():
    with pytest.raises(
        breakeven.ScenarioError,
        match=r"p.yaml:\d+: streams.partner_share.0.of.0: not a revenue line",
    ):
        breakeven.load_text(
            plan("  partner_share:\n    - {partner: cloud, share: 20%, of: [cogs.inference]}\n"),
            "p.yaml",
        )


def test_declared_as_a_fee_with_labels():
    row = BLOCKS.outputs["cogs.partner_share"]
    assert row.category == "fees" and row.sign == -1 and row.zh == "合作方分成"
    res = breakeven.simulate(breakeven.load_text(plan()), samples=3)
    assert "cogs.partner_share" in res.detail_lines
