"""Usage top-ups: credits bought on top of the free allowance, and the tokens they unlock.

Tokens bought = spend / price per million × 1e6 × (1 − breakage), split between input and
output in the proportion of the consumer usage profile, in requests of the profile's size, and
served like any other requests (so serving priced per request, by GPU-seconds, costs them too).
"""

from __future__ import annotations

from ..engine import F, Fraction, Positive, Section, kpi, line
from ..engine.block import Block, Ctx


class TopUps(Section):
    """Usage credits bought on top of the free allowance."""

    buyer_share: Fraction = F("Share of active users who buy credits in a month.", "fraction")
    spend_per_buyer_per_month: Positive = F("Credits bought per buyer per month.", "currency/month")
    price_per_million_tokens: Positive = F(
        "Price of credits per million tokens (blended).", "currency/M tokens"
    )
    breakage: Fraction = F("Share of credits bought but never used.", "fraction", default=0.1)


OUTPUTS = (
    line("revenue.top_ups", "Top-ups", "充值", category="revenue", audience="consumer"),
    kpi(
        "top_up_buyers",
        "Top-up buyers",
        "充值用户",
        unit="users",
        category="users",
        audience="consumer",
        rank=9,
    ),
)


class TopUpsBlock(Block):
    section = "streams.top_ups"
    schema = TopUps
    reads = ("active_users", "consumer_usage")
    adds = ("demand_requests", "demand_input_tokens", "demand_output_tokens")
    consumed = ("demand_input_tokens",)
    books = ("revenue.top_ups",)
    records = ("top_up_buyers",)

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        self.share, self.spend = p[s.buyer_share], p[s.spend_per_buyer_per_month]
        self.price, self.breakage = p[s.price_per_million_tokens], p[s.breakage]
        prof = ctx.read("consumer_usage")
        tin, tout = prof.input_tokens_per_request, prof.output_tokens_per_request
        self.in_share = tin / (tin + tout)
        self.per_request = tin + tout  # tokens in a request

    def step(self, ctx: Ctx, t: int) -> None:
        buyers = ctx.read("active_users") * self.share
        revenue = buyers * self.spend
        tokens = revenue / self.price * 1e6 * (1.0 - self.breakage)
        ctx.book("revenue.top_ups", t, revenue)
        ctx.add("demand_requests", tokens / self.per_request)
        ctx.add("demand_input_tokens", tokens * self.in_share)
        ctx.add("demand_output_tokens", tokens * (1.0 - self.in_share))
        ctx.record("top_up_buyers", t, buyers)
