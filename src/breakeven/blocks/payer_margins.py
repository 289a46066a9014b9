"""The monthly margin of the average, median, p90 and p99 paying user: a flat price loses money
on the heavy tail.

A paying user at usage quantile q costs factor_q × usage multiple × the mean user's serving cost,
with factor_q the lognormal quantile of usage (capped by fair use,
:func:`breakeven.models.usage.user_quantile_factor`); their margin is the subscription revenue
per payer net of VAT and fees minus that cost. When tiers have their own usage or route, the mean
payer's cost is the tiers' serving cost per paying user (:mod:`.tier_economics`), and a quantile
payer costs factor_q ÷ (mean usage served) times it.
"""

from __future__ import annotations

from typing import Any

from ..engine import kpi
from ..engine.block import Block, Ctx
from ..models.usage import user_quantile_factor
from ._usage import route_keys

QUANTILE_USERS = {"p50": 0.50, "p90": 0.90, "p99": 0.99}

OUTPUTS = (
    kpi(
        "margin_mean_payer",
        "Margin, average payer",
        "平均付费用户利润",
        unit="currency/user/month",
        category="economics",
        audience="consumer",
    ),
    kpi(
        "margin_p50_payer",
        "Margin, median payer",
        "中位付费用户利润",
        unit="currency/user/month",
        category="economics",
        audience="consumer",
    ),
    kpi(
        "margin_p90_payer",
        "Margin, heavy payer (p90)",
        "重度付费用户利润（p90）",
        unit="currency/user/month",
        category="economics",
        audience="consumer",
    ),
    kpi(
        "margin_p99_payer",
        "Margin, very heavy payer (p99)",
        "极重度付费用户利润（p99）",
        unit="currency/user/month",
        category="economics",
        audience="consumer",
    ),
)


class PayerMarginsBlock(Block):
    section = "streams.subscription"
    reads: tuple[str, ...] = (
        "consumer_usage",
        "cost_per_input_token",
        "cost_per_output_token",
        "subscription_net_per_payer",
        "payer_usage_multiple",
    )
    optional_reads = ("payer_serving_cost",)
    records = ("margin_mean_payer", "margin_p50_payer", "margin_p90_payer", "margin_p99_payer")

    def __init__(self, spec: Any, scenario: Any):
        super().__init__(spec, scenario)
        consumer = getattr(getattr(scenario, "market", None), "consumer", None)
        self.costs = route_keys(
            ("cost_per_input_token", "cost_per_output_token"), getattr(consumer, "served_by", None)
        )
        self.reads = (
            "consumer_usage",
            *self.costs,
            "subscription_net_per_payer",
            "payer_usage_multiple",
        )

    def prepare(self, ctx: Ctx) -> None:
        prof = ctx.read("consumer_usage")
        self.factors = {
            k: user_quantile_factor(prof.sigma, q, prof.cap) for k, q in QUANTILE_USERS.items()
        }

    def step(self, ctx: Ctx, t: int) -> None:
        prof = ctx.read("consumer_usage")
        net = ctx.read("subscription_net_per_payer")
        mean_cost = ctx.get("payer_serving_cost")
        if mean_cost is not None:  # tiers with their own usage or route
            payer_unit = mean_cost / prof.served_factor
        else:
            unit = prof.serving_cost(ctx.read(self.costs[0]), ctx.read(self.costs[1]))
            payer_unit = ctx.read("payer_usage_multiple") * unit
        ctx.record("margin_mean_payer", t, net - prof.served_factor * payer_unit)
        for k, f in self.factors.items():
            ctx.record(f"margin_{k}_payer", t, net - f * payer_unit)
