"""Cost of serving the tokens that users ask for; lands on cogs.inference.

Every demand block adds its requests and tokens to the month's state; the serving block prices
them all. It also publishes the cost per input and output token for unit economics.
"""

from __future__ import annotations

import numpy as np

from ..engine.blocks import Block, Ctx, register


def token_cost(input_tokens: np.ndarray, output_tokens: np.ndarray,
               input_price_per_million: np.ndarray, output_price_per_million: np.ndarray
               ) -> np.ndarray:
    """Cost of a month's tokens at prices per million tokens."""
    return (input_tokens * input_price_per_million
            + output_tokens * output_price_per_million) / 1e6


class ServingBlock(Block):
    """Base of the serving modes: records the served volume, books cogs.inference."""

    lines = ("cogs.inference",)
    kpis = ("requests", "input_tokens", "output_tokens")

    def prices_per_million(self, ctx: Ctx, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Cost per million input and output tokens in month t (scenario currency)."""
        raise TypeError(f"{type(self).__name__} must define prices_per_million")

    def step(self, ctx: Ctx, t: int) -> None:
        st = ctx.state
        tin = st.get("input_tokens", np.zeros(ctx.n))
        tout = st.get("output_tokens", np.zeros(ctx.n))
        pin, pout = self.prices_per_million(ctx, t)
        ctx.book("cogs.inference", t, token_cost(tin, tout, pin, pout))
        st["cost_per_input_token"] = pin / 1e6
        st["cost_per_output_token"] = pout / 1e6
        ctx.record("requests", t, st.get("requests", np.zeros(ctx.n)))
        ctx.record("input_tokens", t, tin)
        ctx.record("output_tokens", t, tout)


@register("serving")
class PerTokenServingBlock(ServingBlock):
    def __init__(self, spec):
        self.spec = spec

    @classmethod
    def from_scenario(cls, sc):
        s = sc.compute.serving
        return [cls(s.per_token)] if s is not None and s.per_token is not None else []

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        fx = ctx.rate_to_currency(s.currency)
        self.pin = s.input_price_per_million.monthly(p, ctx.months)
        self.pout = s.output_price_per_million.monthly(p, ctx.months)
        if not (np.isscalar(fx) and fx == 1.0):
            self.pin, self.pout = self.pin * fx, self.pout * fx

    def prices_per_million(self, ctx: Ctx, t: int):
        return self.pin[t], self.pout[t]
