"""Serving priced directly per million tokens: a negotiated API rate or a known unit cost."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..engine import Currency, F, PositiveSchedule, Section
from ..engine.block import Ctx
from ..engine.fields import Loc
from ..engine.formulas import Cells, scaled, schedule_formula
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

    def formulas(self, cells: Cells, t: int) -> dict[str, str]:
        """Input tokens × input price + output tokens × output price, per million."""
        s = self.spec
        tin, tout = cells.row(self.kpi("input_tokens"), t), cells.row(self.kpi("output_tokens"), t)
        fx = cells.fx(s.currency)
        if tin is None or tout is None or fx is None:
            return {}
        pin = schedule_formula(s.input_price_per_million, t, cells)
        pout = schedule_formula(s.output_price_per_million, t, cells)
        return {"cogs.inference": scaled(f"({tin}*{pin}+{tout}*{pout})/1000000", fx)}
