"""Unit economics of the consumer side: revenue, fees and serving cost per active and paying
user, and the monthly margin of the median, p90 and p99 paying user when usage is heavy-tailed.

A paying user at usage quantile q costs  factor_q × usage multiple × requests/month ×
(input tokens × cost per input token + output tokens × cost per output token), with factor_q the
lognormal quantile of usage (capped by fair use); their margin is net subscription revenue per
payer (after VAT and fees) minus that cost. A flat price loses money on the heavy tail.
"""

from __future__ import annotations

import numpy as np

from ..engine.blocks import Block, Ctx, register
from .usage import user_quantile_factor

QUANTILE_USERS = {"p50": 0.50, "p90": 0.90, "p99": 0.99}
CONSUMER_REVENUE = ("revenue.subscription", "revenue.ads", "revenue.commission",
                    "revenue.top_ups")


def user_serving_cost(usage_factor: np.ndarray, profile, cost_in: np.ndarray,
                      cost_out: np.ndarray) -> np.ndarray:
    """Monthly serving cost of a user using ``usage_factor`` × the mean."""
    per_request = (profile.input_tokens_per_request * cost_in
                   + profile.output_tokens_per_request * cost_out)
    return usage_factor * profile.requests_per_month * per_request


@register("unit_economics")
class ConsumerUnitEconomicsBlock(Block):
    kpis = ("serving_cost_per_active_user", "revenue_per_active_user",
            "margin_mean_payer", "margin_p50_payer", "margin_p90_payer", "margin_p99_payer")

    def __init__(self, has_subscription: bool):
        self.has_sub = has_subscription
        if not has_subscription:
            self.kpis = self.kpis[:2]

    @classmethod
    def from_scenario(cls, sc):
        if sc.market.consumer is None or sc.compute.serving is None:
            return []
        return [cls(sc.streams.subscription is not None)]

    def prepare(self, ctx: Ctx) -> None:
        prof = ctx.state_static["consumer_usage"]
        self.factors = {k: user_quantile_factor(prof.sigma, q, prof.cap)
                        for k, q in QUANTILE_USERS.items()}
        self.mean_factor = prof.served_factor

    def step(self, ctx: Ctx, t: int) -> None:
        st = ctx.state
        prof = ctx.state_static["consumer_usage"]
        cin, cout = st["cost_per_input_token"], st["cost_per_output_token"]
        active = st["active_users"]
        rev = np.zeros(ctx.n)
        for line in CONSUMER_REVENUE:  # consumer streams only, not enterprise or API sales
            if line in ctx.lines:
                rev = rev + ctx.lines[line][t]
        unit = user_serving_cost(1.0, prof, cin, cout)  # the mean user, uncapped
        ctx.record("serving_cost_per_active_user", t, self.mean_factor * unit)
        ctx.record("revenue_per_active_user", t,
                   np.divide(rev, active, out=np.zeros(ctx.n), where=active > 0))
        if not self.has_sub:
            return
        net = st["subscription_net_per_payer"]
        payer_unit = st["payer_usage_multiple"] * unit
        ctx.record("margin_mean_payer", t, net - self.mean_factor * payer_unit)
        for k, f in self.factors.items():
            ctx.record(f"margin_{k}_payer", t, net - f * payer_unit)
