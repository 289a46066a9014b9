"""Usage top-ups: credits bought on top of the free allowance, and the tokens they unlock.

Tokens bought = spend / price per million × 1e6 × (1 − breakage), split between input and
output in the proportion of the consumer usage profile, and served like any other tokens.
"""

from __future__ import annotations

from ..engine.blocks import Block, Ctx, register


@register("revenue")
class TopUpsBlock(Block):
    lines = ("revenue.top_ups",)
    kpis = ("top_up_buyers",)

    def __init__(self, spec):
        self.spec = spec

    @classmethod
    def from_scenario(cls, sc):
        return [cls(sc.streams.top_ups)] if sc.streams.top_ups is not None else []

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        self.share, self.spend = p[s.buyer_share], p[s.spend_per_buyer_per_month]
        self.price, self.breakage = p[s.price_per_million_tokens], p[s.breakage]
        prof = ctx.state_static["consumer_usage"]
        tin, tout = prof.input_tokens_per_request, prof.output_tokens_per_request
        self.in_share = tin / (tin + tout)

    def step(self, ctx: Ctx, t: int) -> None:
        buyers = ctx.state["active_users"] * self.share
        revenue = buyers * self.spend
        tokens = revenue / self.price * 1e6 * (1.0 - self.breakage)
        ctx.book("revenue.top_ups", t, revenue)
        ctx.add("input_tokens", tokens * self.in_share)
        ctx.add("output_tokens", tokens * (1.0 - self.in_share))
        ctx.record("top_up_buyers", t, buyers)
