"""Serving through a provider's API: the catalog's dated prices replayed month by month, then a
forecast change per year after the last listed price; converted with fx."""

from __future__ import annotations

import datetime as _dt

import numpy as np

from ..engine.blocks import Ctx, register
from .serving import ServingBlock


def month_date(start: _dt.date, t: int) -> _dt.date:
    """Calendar date of month index t (0-based) from the scenario's start date."""
    m = start.month - 1 + t
    return _dt.date(start.year + m // 12, m % 12 + 1, 1)


def catalog_price_path(provider: str, model: str, start: _dt.date, months: int, rate,
                       cached_share=0.0, discount=0.0, change_per_year=0.0
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Input and output prices per million tokens for months 1..months, (months, n) or
    (months, 1): the catalog row in force each month (the earliest before the first), then
    ``change_per_year`` after the last listed price; ``rate(currency)`` converts to the
    scenario's currency; ``cached_share`` of input at the cached price; ``discount`` off."""
    from .prices import price_at, price_history
    history = price_history(provider, model)
    last = history[-1].effective_from
    keep = 1.0 - np.asarray(discount, dtype=float)
    growth = np.log1p(np.asarray(change_per_year, dtype=float))
    pin, pout = [], []
    for t in range(months):
        d = month_date(start, t)
        row = price_at(provider, model, max(d, history[0].effective_from))
        fx = rate(row.currency)
        drift = np.exp(growth * max(0.0, (d - last).days / 365.25))
        cin = row.cached_input_per_million
        inp = row.input_per_million if cin is None else (
            (1 - cached_share) * row.input_per_million + cached_share * cin)
        pin.append(inp * fx * keep * drift)
        pout.append(row.output_per_million * fx * keep * drift)
    return np.atleast_2d(np.array(pin, dtype=float).T).T, np.atleast_2d(
        np.array(pout, dtype=float).T).T


@register("serving")
class ApiServingBlock(ServingBlock):
    def __init__(self, spec, start: _dt.date):
        self.spec, self.start = spec, start

    @classmethod
    def from_scenario(cls, sc):
        s = sc.compute.serving
        return [cls(s.api, sc.start_date)] if s is not None and s.api is not None else []

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        pin, pout = catalog_price_path(s.provider, s.model, self.start, ctx.months,
                                       ctx.rate_to_currency, p[s.cached_input_share],
                                       p[s.discount], p[s.price_change_per_year])
        self.pin = np.broadcast_to(pin, (ctx.months, ctx.n))
        self.pout = np.broadcast_to(pout, (ctx.months, ctx.n))

    def prices_per_million(self, ctx: Ctx, t: int):
        return self.pin[t], self.pout[t]
