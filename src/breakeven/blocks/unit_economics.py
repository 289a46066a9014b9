"""Unit economics of the consumer side: revenue and serving cost per active user.

Serving cost per active user is the mean user's requests × (input tokens × cost per input token +
output tokens × cost per output token), times the mean usage actually served under a fair-use cap,
times the usage of all consumers in average-user units per active user (subscribers who use more
than the average count with their extra use), priced at the cost per token of the route serving
free users; tiers served with their own usage or route add their own serving cost
(:mod:`.tier_economics`).
Revenue per active user counts the consumer streams only (declared with audience ``consumer``),
not enterprise or API sales.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import kpi
from ..engine.block import Block, Ctx, Lines, Read
from ._usage import route_keys

CONSUMER_REVENUE = Lines(kind="revenue", audience="consumer")

OUTPUTS = (
    kpi(
        "serving_cost_per_active_user",
        "Serving cost per active user",
        "每活跃用户推理成本",
        unit="currency/user/month",
        category="economics",
        audience="consumer",
    ),
    kpi(
        "revenue_per_active_user",
        "Revenue per active user",
        "每活跃用户收入",
        unit="currency/user/month",
        category="economics",
        audience="consumer",
    ),
)


class ConsumerUnitEconomicsBlock(Block):
    section = "market.consumer"
    reads: tuple[Read, ...] = (
        "consumer_usage",
        "consumer_usage_units",
        "cost_per_input_token",
        "cost_per_output_token",
        "active_users",
        CONSUMER_REVENUE,
    )
    optional_reads = ("routed_tier_serving_cost",)
    records = ("serving_cost_per_active_user", "revenue_per_active_user")

    def __init__(self, spec: Any, scenario: Any):
        super().__init__(spec, scenario)
        self.costs = route_keys(("cost_per_input_token", "cost_per_output_token"), spec.served_by)
        self.reads = (
            "consumer_usage",
            "consumer_usage_units",
            *self.costs,
            "active_users",
            CONSUMER_REVENUE,
        )

    def step(self, ctx: Ctx, t: int) -> None:
        prof = ctx.read("consumer_usage")
        unit = prof.serving_cost(ctx.read(self.costs[0]), ctx.read(self.costs[1]))
        active = ctx.read("active_users")
        rev = ctx.sum_lines(CONSUMER_REVENUE, t)
        units_per_user = np.divide(
            ctx.read("consumer_usage_units"), active, out=np.ones(ctx.n), where=active > 0
        )
        per_user = prof.served_factor * unit * units_per_user
        routed = ctx.get("routed_tier_serving_cost")
        if routed is not None:  # tiers with their own usage or route
            per_user = per_user + np.divide(routed, active, out=np.zeros(ctx.n), where=active > 0)
        ctx.record("serving_cost_per_active_user", t, per_user)
        ctx.record(
            "revenue_per_active_user",
            t,
            np.divide(rev, active, out=np.zeros(ctx.n), where=active > 0),
        )
