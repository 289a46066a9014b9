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


@register("serving")
class ApiServingBlock(ServingBlock):
    def __init__(self, spec, start: _dt.date):
        self.spec, self.start = spec, start

    @classmethod
    def from_scenario(cls, sc):
        s = sc.compute.serving
        return [cls(s.api, sc.start_date)] if s is not None and s.api is not None else []

    def prepare(self, ctx: Ctx) -> None:
        from .prices import price_at, price_history
        s, p, H = self.spec, ctx.p, ctx.months
        history = price_history(s.provider, s.model)
        last = history[-1].effective_from
        cached = p[s.cached_input_share]
        keep = 1.0 - p[s.discount]
        growth = np.log1p(p[s.price_change_per_year])
        self.pin = np.empty((H, ctx.n))
        self.pout = np.empty((H, ctx.n))
        for t in range(H):
            d = month_date(self.start, t)
            row = price_at(s.provider, s.model, max(d, history[0].effective_from))
            fx = ctx.rate_to_currency(row.currency)
            years_after = max(0.0, (d - last).days / 365.25)
            drift = np.exp(growth * years_after)
            cin = row.cached_input_per_million
            inp = row.input_per_million if cin is None else (
                (1 - cached) * row.input_per_million + cached * cin)
            self.pin[t] = inp * fx * keep * drift
            self.pout[t] = row.output_per_million * fx * keep * drift

    def prices_per_million(self, ctx: Ctx, t: int):
        return self.pin[t], self.pout[t]
