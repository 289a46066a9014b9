"""Unit economics of each paid tier: what its users cost to serve, and its margin per payer.

A tier's serving cost in a month is its users (subscribers, and trial users while their trial
lasts) × their requests × (input tokens × cost per input token + output tokens × cost per output
token) of the route that serves them, times the mean usage served under a fair-use cap; a tier
without usage of its own uses the free users' profile × its usage multiple. Its margin per payer
is (revenue net of VAT − payment fees − serving cost) ÷ paying subscribers. Priced at the
route's cost per token, the tiers' costs, the free users' and the other streams' add up to the
plan's serving cost when that is priced per token (self-hosted capacity is paid for by the GPU).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import kpi
from ..engine.block import Block, Ctx
from ._usage import route_keys

COSTS = ("cost_per_input_token", "cost_per_output_token")

OUTPUTS = (
    kpi(
        "tier_serving_cost:{tier}",
        "Serving cost of the tier",
        "付费档位推理成本",
        unit="currency/month",
        category="economics",
        audience="consumer",
        doc="What the tier's users (subscribers and trial users) cost to serve in a month, at "
        "the cost per token of the route that serves them.",
    ),
    kpi(
        "tier_margin_per_payer:{tier}",
        "Margin per payer of the tier",
        "付费档位每付费用户利润",
        unit="currency/user/month",
        category="economics",
        audience="consumer",
        doc="(Tier revenue net of VAT − its payment fees − its serving cost) ÷ its paying "
        "subscribers.",
    ),
)


class TierEconomicsBlock(Block):
    section = "streams.subscription"
    reads: tuple[str, ...] = ("tier_months", "consumer_usage", *COSTS)
    writes: tuple[str, ...] = ("routed_tier_serving_cost", "payer_serving_cost")
    records: tuple[str, ...] = ("tier_serving_cost:{tier}", "tier_margin_per_payer:{tier}")

    def __init__(self, spec: Any, scenario: Any):
        super().__init__(spec, scenario)
        consumer = getattr(getattr(scenario, "market", None), "consumer", None)
        free = getattr(consumer, "served_by", None)
        self.costs: dict[str, tuple[str, ...]] = {}  # tier → its route's cost keys
        for _, name, _, _, terms in spec.tier_list():
            self.costs[name] = route_keys(COSTS, terms.served_by or free)
        self.routed = any(terms.own_traffic for *_, terms in spec.tier_list())
        self.reads = (
            "tier_months",
            "consumer_usage",
            *dict.fromkeys(k for keys in self.costs.values() for k in keys),
        )
        self.writes = ("routed_tier_serving_cost", "payer_serving_cost") if self.routed else ()
        self.records = tuple(
            f"{k}:{name}"
            for name in self.costs
            for k in ("tier_serving_cost", "tier_margin_per_payer")
        )

    def step(self, ctx: Ctx, t: int) -> None:
        free = ctx.read("consumer_usage")
        routed: Any = 0.0
        total: Any = 0.0
        paying: Any = 0.0
        per_user_of: dict[tuple[int, tuple[str, ...]], np.ndarray] = {}  # one per profile, route
        for m in ctx.read("tier_months"):
            prof = m.profile or free
            key = (id(prof), self.costs[m.name])
            per_user = per_user_of.get(key)
            if per_user is None:
                cin, cout = (ctx.read(k) for k in self.costs[m.name])
                per_user = per_user_of[key] = prof.served_factor * prof.serving_cost(cin, cout)
            cost = m.users * per_user * (1.0 if m.profile is not None else m.multiple)
            ctx.record(f"tier_serving_cost:{m.name}", t, cost)
            margin = np.divide(
                m.revenue - m.fees - cost, m.billed, out=np.zeros(ctx.n), where=m.billed > 0
            )
            ctx.record(f"tier_margin_per_payer:{m.name}", t, margin)
            if not self.routed:
                continue
            total = total + cost
            paying = paying + m.billed
            if m.own_traffic:
                routed = routed + cost
        if self.routed:
            ctx.write("routed_tier_serving_cost", routed)
            ctx.write(
                "payer_serving_cost",
                np.divide(total, paying, out=np.zeros(ctx.n), where=paying > 0),
            )
