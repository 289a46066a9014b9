"""Unit economics of the consumer side add up to the ledger."""

from __future__ import annotations

import numpy as np
from tests.conftest import TINY

import breakeven


def test_serving_cost_per_active_user_counts_the_heavier_payers():
    """Regression: the cost per active user was a non-payer's; payers who use 3× the average
    are half the users here, so the true cost is 2× that."""
    plan = TINY.replace("    payment_fee: 10%\n", "    payment_fee: 10%\n    usage_multiple: 3\n")
    res = breakeven.simulate(breakeven.load_text(plan), samples=1)
    per_user = res.kpi("serving_cost_per_active_user")[0].astype(float)
    active = res.kpi("active_users")[0].astype(float)
    assert np.allclose(per_user * active, res.line("cogs.inference")[0], rtol=1e-6)
