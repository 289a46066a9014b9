"""The monthly margin of the average, median, p90 and p99 paying user: a flat price loses money
on the heavy tail.

A paying user at usage quantile q costs factor_q × usage multiple × the mean user's serving cost,
with factor_q the lognormal quantile of usage (capped by fair use,
:func:`breakeven.models.usage.user_quantile_factor`); their margin is the subscription revenue
per payer net of VAT and fees minus that cost.
"""

from __future__ import annotations

from ..engine import kpi
from ..engine.block import Block, Ctx
from ..models.usage import user_quantile_factor

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
    reads = (
        "consumer_usage",
        "cost_per_input_token",
        "cost_per_output_token",
        "subscription_net_per_payer",
        "payer_usage_multiple",
    )
    records = ("margin_mean_payer", "margin_p50_payer", "margin_p90_payer", "margin_p99_payer")

    def prepare(self, ctx: Ctx) -> None:
        prof = ctx.read("consumer_usage")
        self.factors = {
            k: user_quantile_factor(prof.sigma, q, prof.cap) for k, q in QUANTILE_USERS.items()
        }

    def step(self, ctx: Ctx, t: int) -> None:
        prof = ctx.read("consumer_usage")
        unit = prof.serving_cost(
            ctx.read("cost_per_input_token"), ctx.read("cost_per_output_token")
        )
        net = ctx.read("subscription_net_per_payer")
        payer_unit = ctx.read("payer_usage_multiple") * unit
        ctx.record("margin_mean_payer", t, net - prof.served_factor * payer_unit)
        for k, f in self.factors.items():
            ctx.record(f"margin_{k}_payer", t, net - f * payer_unit)
