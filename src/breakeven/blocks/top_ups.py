"""Usage top-ups: credits bought on top of the free allowance, and the tokens they unlock.

Tokens bought = spend / price per million × 1e6 × (1 − breakage), split between input and
output in the proportion of the consumer usage profile, in requests of the profile's size, and
served like any other requests (so serving priced per request, by GPU-seconds, costs them too).
Credits sold by the request (an image, a generation) buy spend / price per request × (1 −
breakage) requests of the profile's size instead.
"""

from __future__ import annotations

from typing import Any

from pydantic import model_validator

from ..engine import F, Fraction, Positive, Section, kpi, line
from ..engine.block import Block, Ctx
from ._usage import DEMAND, route_keys


class TopUps(Section):
    """Usage credits bought on top of the free allowance."""

    buyer_share: Fraction = F("Share of active users who buy credits in a month.", "fraction")
    spend_per_buyer_per_month: Positive = F("Credits bought per buyer per month.", "currency/month")
    price_per_million_tokens: Positive | None = F(
        "Price of credits per million tokens (blended).", "currency/M tokens", default=None
    )
    price_per_request: Positive | None = F(
        "Instead of price_per_million_tokens: the price of one request's credit — an image, a "
        "generation, a minute of audio — for work served by GPU-seconds per request (credits "
        "sold as GPU time: price per GPU-hour × GPU-seconds per request ÷ 3,600).",
        "currency/request",
        default=None,
    )
    breakage: Fraction = F("Share of credits bought but never used.", "fraction", default=0.1)
    served_by: str | None = F(
        "The route (compute.routes) serving the tokens bought; default: the free users' "
        "(market.consumer.served_by).",
        default=None,
    )

    @model_validator(mode="after")
    def _one_price(self) -> TopUps:
        if (self.price_per_million_tokens is None) == (self.price_per_request is None):
            raise ValueError("give either price_per_million_tokens or price_per_request")
        return self


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
    adds: tuple[str, ...] = DEMAND
    consumed = ("demand_input_tokens",)
    books = ("revenue.top_ups",)
    records = ("top_up_buyers",)

    def __init__(self, spec: TopUps, scenario: Any):
        super().__init__(spec, scenario)
        consumer = getattr(getattr(scenario, "market", None), "consumer", None)
        route = spec.served_by or getattr(consumer, "served_by", None)
        self.adds = route_keys(DEMAND, route)
        self.consumed = (self.adds[1],)

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        self.share, self.spend = p[s.buyer_share], p[s.spend_per_buyer_per_month]
        self.breakage = p[s.breakage]
        prof = ctx.read("consumer_usage")
        tin, tout = prof.input_tokens_per_request, prof.output_tokens_per_request
        self.in_share = tin / (tin + tout)
        self.per_request = tin + tout  # tokens in a request
        # what one unit of currency buys, in tokens
        self.tokens_per_spend = (
            1e6 / p[s.price_per_million_tokens]
            if s.price_per_million_tokens is not None
            else self.per_request / p[s.price_per_request]
        )

    def step(self, ctx: Ctx, t: int) -> None:
        buyers = ctx.read("active_users") * self.share
        revenue = buyers * self.spend
        tokens = revenue * self.tokens_per_spend * (1.0 - self.breakage)
        ctx.book("revenue.top_ups", t, revenue)
        req, tin, tout = self.adds
        ctx.add(req, tokens / self.per_request)
        ctx.add(tin, tokens * self.in_share)
        ctx.add(tout, tokens * (1.0 - self.in_share))
        ctx.record("top_up_buyers", t, buyers)
