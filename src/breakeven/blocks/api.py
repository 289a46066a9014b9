"""Per-token API sales in a price war.

Competitors' cuts move the market price level; you follow a share of each cut; demand for your
tokens responds to the market level and to your price relative to it
(:func:`breakeven.models.pricing.price_levels`, :func:`~breakeven.models.pricing.api_demand`).
Your list prices are a schedule, or a catalog model's dated prices replayed from the plan's start
date. The tokens sold are served like any other.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import model_validator

from ..compute.prices import price_history, price_path
from ..engine import (
    F,
    Fraction,
    PositiveSchedule,
    Rate,
    Real,
    Section,
    kpi,
    line,
)
from ..engine.block import Block, Ctx
from ..engine.fields import Loc
from ..engine.inputs import InputTable
from ..errors import CatalogError
from ..models.pricing import api_demand, price_levels
from ._usage import DEMAND


class PriceCut(Section):
    month: int = F("Month the competitors' cut takes effect.", "month", ge=1)
    change: Rate = F("Change of the market price level, e.g. -60%.", "fraction")


class CatalogModel(Section):
    provider: str = F("Provider in the price catalog (`breakeven prices`).")
    model: str = F("Model of that provider.")


class ApiStream(Section):
    """Selling tokens through an API, in a market where prices fall."""

    input_price_per_million: PositiveSchedule | None = F(
        "Your list price per million input tokens, before following competitors' cuts.",
        "currency/M tokens",
        default=None,
    )
    output_price_per_million: PositiveSchedule | None = F(
        "Your list price per million output tokens.", "currency/M tokens", default=None
    )
    price_from_catalog: CatalogModel | None = F(
        "Instead of the two prices: a catalog provider and model whose dated list prices you "
        "charge (replayed from the plan's start month; converted with fx), e.g. to replay the May 2024 "
        "price war as it happened.",
        default=None,
    )
    input_tokens_per_month: PositiveSchedule = F(
        "Input tokens customers would buy per month at the starting price and market price level.",
        "tokens/month",
    )
    output_tokens_per_month: PositiveSchedule = F("Output tokens, likewise.", "tokens/month")
    market_elasticity: Real = F(
        "Elasticity of total market volume to the market price level "
        "(e.g. -1: a 50% cut doubles usage).",
        "",
        default=-1.0,
    )
    share_elasticity: Real = F(
        "Elasticity of your share to your price relative to the market (e.g. -2).", "", default=-2.0
    )
    competitor_price_cuts: list[PriceCut] = F("Price war events.", default_factory=list)
    follow_competitors: Fraction = F(
        "Share of each competitor cut you match in your price.", "fraction", default=1.0
    )

    @model_validator(mode="after")
    def _prices(self) -> ApiStream:
        given = (
            self.input_price_per_million is not None,
            self.output_price_per_million is not None,
        )
        if self.price_from_catalog is not None:
            if any(given):
                raise ValueError("give either price_from_catalog or the two prices, not both")
        elif not all(given):
            raise ValueError(
                "give input_price_per_million and output_price_per_million, or price_from_catalog"
            )
        return self


OUTPUTS = (
    line("revenue.api", "API", "API", category="revenue", audience="platform"),
    kpi(
        "api_tokens",
        "API tokens",
        "API token",
        unit="tokens/month",
        category="usage",
        audience="platform",
    ),
    kpi(
        "api_price_index",
        "API price index",
        "API 价格指数",
        unit="×start",
        category="economics",
        audience="platform",
    ),
    kpi(
        "market_price_index",
        "Market price index",
        "市场价格指数",
        unit="×start",
        category="economics",
        audience="platform",
    ),
)


class ApiBlock(Block):
    section = "streams.api"
    schema = ApiStream
    adds = DEMAND[1:]
    consumed = ("demand_input_tokens",)
    books = ("revenue.api",)
    records = ("api_tokens", "api_price_index", "market_price_index")

    def problems(self, inputs: InputTable) -> Iterable[tuple[Loc, str, Any]]:
        cm = self.spec.price_from_catalog
        if cm is not None:
            try:
                price_history(cm.provider, cm.model)
            except CatalogError as e:
                yield ("price_from_catalog", "model"), e.message, cm.model

    def currencies(self) -> Iterable[tuple[Loc, str]]:
        cm = self.spec.price_from_catalog
        if cm is not None:
            yield (
                ("price_from_catalog", "provider"),
                price_history(cm.provider, cm.model)[-1].currency,
            )

    def prepare(self, ctx: Ctx) -> None:
        s, p, H = self.spec, ctx.p, ctx.months
        cuts = [(cut.month, p[cut.change]) for cut in s.competitor_price_cuts]
        c, m = price_levels(cuts, p[s.follow_competitors], H, ctx.n)
        em, es = p[s.market_elasticity], p[s.share_elasticity]
        self.tin = api_demand(s.input_tokens_per_month.monthly(p, H), c, m, em, es)
        self.tout = api_demand(s.output_tokens_per_month.monthly(p, H), c, m, em, es)
        if s.price_from_catalog is not None:
            pin, pout = price_path(
                s.price_from_catalog.provider,
                s.price_from_catalog.model,
                self.scenario.start,
                H,
                ctx.rate_to_currency,
            )
        else:
            pin = s.input_price_per_million.monthly(p, H)
            pout = s.output_price_per_million.monthly(p, H)
        self.pin, self.pout = pin * m, pout * m
        self.c, self.m = c, m

    def step(self, ctx: Ctx, t: int) -> None:
        tin, tout = self.tin[t], self.tout[t]
        ctx.book("revenue.api", t, (tin * self.pin[t] + tout * self.pout[t]) / 1e6)
        ctx.add("demand_input_tokens", tin)
        ctx.add("demand_output_tokens", tout)
        ctx.record("api_tokens", t, tin + tout)
        ctx.record("api_price_index", t, self.m[t])
        ctx.record("market_price_index", t, self.c[t])
