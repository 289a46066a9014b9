"""Serving through a provider's API: the catalog's dated prices replayed month by month from the
plan's start date, then a forecast change per year after the last listed price; converted with
fx (:func:`breakeven.compute.prices.price_rows`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..compute.prices import price_history, price_rows
from ..engine import F, Fraction, Rate, Section
from ..engine.block import Ctx
from ..engine.fields import Loc
from ..engine.inputs import InputTable
from ..errors import CatalogError
from ._serving import ServingBlock


class ApiServing(Section):
    """Serving through a provider's API from the catalog, its price history replayed."""

    provider: str = F("Provider in the price catalog (`breakeven prices`).")
    model: str = F("Model of that provider in the catalog.")
    cached_input_share: Fraction = F(
        "Share of input tokens billed at the cached-input price (when the provider has one).",
        "fraction",
        default=0,
    )
    price_change_per_year: Rate = F(
        "Forecast price change per year after the catalog's last price (e.g. -50% to -20%).",
        "1/year",
        default=0,
    )
    discount: Fraction = F("Negotiated discount off list prices.", "fraction", default=0)
    off_peak_share: Fraction = F(
        "Share of the traffic sent in the provider's off-peak hours, billed at its time-of-day "
        "discount in the months the catalog lists one (e.g. DeepSeek's night discount in 2025; "
        "evenly spread traffic: a third).",
        "fraction",
        default=0,
    )


class ApiServingBlock(ServingBlock):
    section = "compute.serving.api"
    schema = ApiServing

    def problems(self, inputs: InputTable) -> Iterable[tuple[Loc, str, Any]]:
        try:
            price_history(self.spec.provider, self.spec.model)
        except CatalogError as e:
            yield ("model",), e.message, self.spec.model

    def currencies(self) -> Iterable[tuple[Loc, str]]:
        yield ("provider",), price_history(self.spec.provider, self.spec.model)[-1].currency

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        self.rows = price_rows(  # a month at a time: no (months, n) arrays
            s.provider,
            s.model,
            self.scenario.start,
            ctx.months,
            ctx.rate_to_currency,
            p[s.cached_input_share],
            p[s.discount],
            p[s.price_change_per_year],
            off_peak_share=p[s.off_peak_share],
        )
        self.n, self.at = ctx.n, -1
        self.prices: tuple[np.ndarray, np.ndarray] = (np.empty(0), np.empty(0))

    def prices_per_million(self, ctx: Ctx, t: int) -> tuple[np.ndarray, np.ndarray]:
        if t != self.at:  # the next month's
            assert t == self.at + 1, "prices are read month by month"
            pin, pout = next(self.rows)
            self.prices = np.broadcast_to(pin, (self.n,)), np.broadcast_to(pout, (self.n,))
            self.at = t
        return self.prices
