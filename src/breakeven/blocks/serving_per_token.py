"""Serving priced directly per million tokens: a negotiated API rate or a known unit cost."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..engine import Currency, F, PositiveSchedule, Section
from ..engine.block import Ctx
from ..engine.fields import Loc
from ._serving import ServingBlock


class PerToken(Section):
    """Serving priced directly per million tokens (a negotiated API rate or a known unit cost)."""

    input_price_per_million: PositiveSchedule = F(
        "Price per million input tokens.", "currency/M tokens"
    )
    output_price_per_million: PositiveSchedule = F(
        "Price per million output tokens.", "currency/M tokens"
    )
    currency: Currency | None = F(
        "Currency of these prices; converted with `fx`. Default: the scenario's currency.",
        "ISO 4217",
        default=None,
    )


class PerTokenServingBlock(ServingBlock):
    section = "compute.serving.per_token"
    schema = PerToken

    def currencies(self) -> Iterable[tuple[Loc, str]]:
        if self.spec.currency:
            yield ("currency",), self.spec.currency

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        fx = ctx.rate_to_currency(s.currency)
        self.pin = s.input_price_per_million.monthly(p, ctx.months)
        self.pout = s.output_price_per_million.monthly(p, ctx.months)
        if not (np.isscalar(fx) and fx == 1.0):
            self.pin, self.pout = self.pin * fx, self.pout * fx

    def prices_per_million(self, ctx: Ctx, t: int) -> tuple[np.ndarray, np.ndarray]:
        return self.pin[t], self.pout[t]
