"""Per-token API sales in a price war.

Competitors' cuts move the market price level c_t (the product of 1 + change over past cuts).
You follow a share φ of each cut: your price multiplier m_t = Π (1 + φ·change). Demand for your
tokens = base_t × c_t^ε_market × (m_t / c_t)^ε_share: cheaper tokens grow the whole market
(ε_market < 0), and being dearer than the market loses share (ε_share < 0).
"""

from __future__ import annotations

import numpy as np

from ..engine.blocks import Block, Ctx, register


def price_levels(cuts, follow: np.ndarray, p, months: int, n: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Market price level c and your price multiplier m per month, each (months, n)."""
    c = np.ones((months, n))
    m = np.ones((months, n))
    for cut in sorted(cuts, key=lambda x: x.month):
        if cut.month > months:
            continue
        change = p[cut.change]
        c[cut.month - 1:] *= 1.0 + change
        m[cut.month - 1:] *= 1.0 + follow * change
    return c, m


def api_demand(base: np.ndarray, market_level: np.ndarray, own_multiplier: np.ndarray,
               market_elasticity: np.ndarray, share_elasticity: np.ndarray) -> np.ndarray:
    """Tokens demanded given the market price level and your relative price."""
    return (base * np.power(market_level, market_elasticity)
            * np.power(own_multiplier / market_level, share_elasticity))


@register("revenue")
class ApiBlock(Block):
    lines = ("revenue.api",)
    kpis = ("api_tokens", "api_price_index", "market_price_index")

    def __init__(self, spec, start):
        self.spec, self.start = spec, start

    @classmethod
    def from_scenario(cls, sc):
        return [cls(sc.streams.api, sc.start_date)] if sc.streams.api is not None else []

    def prepare(self, ctx: Ctx) -> None:
        s, p, H = self.spec, ctx.p, ctx.months
        c, m = price_levels(s.competitor_price_cuts, p[s.follow_competitors], p, H, ctx.n)
        em, es = p[s.market_elasticity], p[s.share_elasticity]
        self.tin = api_demand(s.input_tokens_per_month.monthly(p, H), c, m, em, es)
        self.tout = api_demand(s.output_tokens_per_month.monthly(p, H), c, m, em, es)
        if s.price_from_catalog is not None:
            from ..compute.api_serving import catalog_price_path
            pin, pout = catalog_price_path(s.price_from_catalog.provider,
                                           s.price_from_catalog.model, self.start, H,
                                           ctx.rate_to_currency)
        else:
            pin = s.input_price_per_million.monthly(p, H)
            pout = s.output_price_per_million.monthly(p, H)
        self.pin, self.pout = pin * m, pout * m
        self.c, self.m = c, m

    def step(self, ctx: Ctx, t: int) -> None:
        tin, tout = self.tin[t], self.tout[t]
        ctx.book("revenue.api", t, (tin * self.pin[t] + tout * self.pout[t]) / 1e6)
        ctx.add("input_tokens", tin)
        ctx.add("output_tokens", tout)
        ctx.add("requests", np.zeros(ctx.n))
        ctx.record("api_tokens", t, tin + tout)
        ctx.record("api_price_index", t, self.m[t])
        ctx.record("market_price_index", t, self.c[t])
