"""Unit economics of each paid tier: its tokens, what its users cost to serve, its margin per payer;
and the same tokens and cost for the users who do not pay (the free tier).

A tier's tokens in a month are its users (subscribers, and trial users while their trial lasts) ×
their requests × (input + output tokens per request), times the mean usage served under a
fair-use cap; a tier without usage of its own uses the free users' profile × its usage multiple.
Its serving cost prices the same requests at the cost per input and output token of the route
that serves them. Its margin per payer is (revenue net of VAT − payment fees − serving cost) ÷
paying subscribers.

The free users are the consumer usage the free users' profile is served for (in average-user
units) less what the tiers without traffic of their own send through it: active users less every
tier's users (subscribers and trial users). Their tokens and serving cost are the free profile's
on the free users' route (market.consumer.served_by).

So the tiers' tokens and the free users' add up to the consumer side's tokens served: all of the
plan's ``input_tokens`` + ``output_tokens`` when nothing else is served (top-ups, API customers,
seats and devices add their own). Priced at the route's cost per token, the tiers' costs, the
free users' and the other streams' add up to the plan's serving cost (``cogs.inference``) when
that is priced per token (per_token, api; self-hosted capacity is paid for by the GPU).
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
        "tier_tokens:{tier}",
        "Tokens served to the tier",
        "付费档位 token 用量",
        unit="tokens/month",
        category="usage",
        audience="consumer",
        doc="Input + output tokens served in a month to the tier's users (subscribers and trial "
        "users), after any fair-use cap.",
    ),
    kpi(
        "free_tokens",
        "Tokens served to free users",
        "免费用户 token 用量",
        unit="tokens/month",
        category="usage",
        audience="consumer",
        doc="Input + output tokens served in a month to the active users who neither pay for a "
        "tier nor try one; with every tier's tier_tokens, the consumer side's tokens served.",
    ),
    kpi(
        "free_serving_cost",
        "Serving cost of free users",
        "免费用户推理成本",
        unit="currency/month",
        category="economics",
        audience="consumer",
        doc="What the active users who neither pay for a tier nor try one cost to serve in a "
        "month, at the cost per token of their route; with every tier's tier_serving_cost, the "
        "consumer side's serving cost.",
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
    reads: tuple[str, ...] = ("tier_months", "consumer_usage", "consumer_usage_units", *COSTS)
    writes: tuple[str, ...] = ("routed_tier_serving_cost", "payer_serving_cost")
    records: tuple[str, ...] = (
        "tier_serving_cost:{tier}",
        "tier_tokens:{tier}",
        "tier_margin_per_payer:{tier}",
        "free_serving_cost",
        "free_tokens",
    )

    def __init__(self, spec: Any, scenario: Any):
        super().__init__(spec, scenario)
        consumer = getattr(getattr(scenario, "market", None), "consumer", None)
        free = getattr(consumer, "served_by", None)
        self.free_costs = route_keys(COSTS, free)  # the free users' route's cost keys
        self.costs: dict[str, tuple[str, ...]] = {}  # tier → its route's cost keys
        for _, name, _, _, terms in spec.tier_list():
            self.costs[name] = route_keys(COSTS, terms.served_by or free)
        self.routed = any(terms.own_traffic for *_, terms in spec.tier_list())
        self.reads = (
            "tier_months",
            "consumer_usage",
            "consumer_usage_units",
            *dict.fromkeys(k for keys in (self.free_costs, *self.costs.values()) for k in keys),
        )
        self.writes = ("routed_tier_serving_cost", "payer_serving_cost") if self.routed else ()
        self.records = (
            *(
                f"{k}:{name}"
                for name in self.costs
                for k in ("tier_serving_cost", "tier_tokens", "tier_margin_per_payer")
            ),
            "free_serving_cost",
            "free_tokens",
        )

    def step(self, ctx: Ctx, t: int) -> None:
        free = ctx.read("consumer_usage")
        routed: Any = 0.0
        total: Any = 0.0
        paying: Any = 0.0
        # the free profile's units served on the free users' route: theirs, and the tiers'
        # without traffic of their own (subtracted below, tier by tier)
        free_units: Any = ctx.read("consumer_usage_units")
        per_user_of: dict[tuple[int, tuple[str, ...]], np.ndarray] = {}  # one per profile, route
        for m in ctx.read("tier_months"):
            prof = m.profile or free
            key = (id(prof), self.costs[m.name])
            per_user = per_user_of.get(key)
            if per_user is None:
                cin, cout = (ctx.read(k) for k in self.costs[m.name])
                per_user = per_user_of[key] = prof.served_factor * prof.serving_cost(cin, cout)
            units = m.users if m.profile is not None else m.users * m.multiple
            cost = units * per_user
            ctx.record(f"tier_serving_cost:{m.name}", t, cost)
            ctx.record(f"tier_tokens:{m.name}", t, units * prof.served_tokens_per_month)
            margin = np.divide(
                m.revenue - m.fees - cost, m.billed, out=np.zeros(ctx.n), where=m.billed > 0
            )
            ctx.record(f"tier_margin_per_payer:{m.name}", t, margin)
            if not m.own_traffic:  # its requests are in the free users' usage units
                free_units = free_units - units
            if not self.routed:
                continue
            total = total + cost
            paying = paying + m.billed
            if m.own_traffic:
                routed = routed + cost
        key = (id(free), self.free_costs)
        per_user = per_user_of.get(key)
        if per_user is None:  # no tier on the free users' profile and route
            cin, cout = (ctx.read(k) for k in self.free_costs)
            per_user = free.served_factor * free.serving_cost(cin, cout)
        ctx.record("free_serving_cost", t, free_units * per_user)
        ctx.record("free_tokens", t, free_units * free.served_tokens_per_month)
        if self.routed:
            ctx.write("routed_tier_serving_cost", routed)
            ctx.write(
                "payer_serving_cost",
                np.divide(total, paying, out=np.zeros(ctx.n), where=paying > 0),
            )
