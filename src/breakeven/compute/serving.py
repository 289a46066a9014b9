"""Cost of serving the tokens that users ask for; lands on cogs.inference."""

from __future__ import annotations

import numpy as np

from ..engine.blocks import Block, Ctx, register


def token_cost(input_tokens: np.ndarray, output_tokens: np.ndarray,
               input_price_per_million: np.ndarray, output_price_per_million: np.ndarray
               ) -> np.ndarray:
    """Cost of a month's tokens at prices per million tokens."""
    return (input_tokens * input_price_per_million
            + output_tokens * output_price_per_million) / 1e6


@register
class PerTokenServingBlock(Block):
    lines = ("cogs.inference",)

    def __init__(self, spec):
        self.spec = spec

    @classmethod
    def from_scenario(cls, sc):
        s = sc.compute.serving
        return [cls(s.per_token)] if s is not None and s.per_token is not None else []

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        fx = ctx.rate_to_currency(s.currency)
        self.pin = s.input_price_per_million.monthly(p, ctx.months) * fx
        self.pout = s.output_price_per_million.monthly(p, ctx.months) * fx

    def step(self, ctx: Ctx, t: int) -> None:
        st = ctx.state
        if "input_tokens" not in st:
            return
        ctx.book("cogs.inference", t,
                 token_cost(st["input_tokens"], st["output_tokens"], self.pin[t], self.pout[t]))
