"""Per-token API sales: your own price path and the market's, and demand that answers both.

The market price level c_t moves with competitors' cuts and a steady change per year; your price
is your list price (a schedule, or a catalog model's dated prices replayed from the plan's start
month) times how far you follow the market, c_t^φ. Demand for your tokens at its target is
base_t × c_t^ε_market × (p_t / c_t)^ε_own, with p_t your price relative to month 1: cheaper
tokens grow the whole market, and being dearer than the market loses share. Demand reaches its
target by partial adjustment over ``adjustment_months``
(:mod:`breakeven.models.response`). The tokens sold are served like any other.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from pydantic import model_validator

from ..compute.prices import price_history, price_path
from ..engine import (
    F,
    Fraction,
    NonNegative,
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
from ..models.growth import growth_path
from ..models.pricing import api_demand, elasticity_problem, list_price_index, price_levels
from ..models.response import adjusted_path, adjustment_rate
from ._usage import DEMAND, route_keys, served_by


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
    cache_hit_share: Fraction = F(
        "Share of input tokens that hit your prompt cache and are billed at the cached-input "
        "price (as most Chinese and US APIs bill them).",
        "fraction",
        default=0,
    )
    cached_input_price_per_million: PositiveSchedule | None = F(
        "Your price per million cache-hit input tokens; with price_from_catalog: the catalog's.",
        "currency/M tokens",
        default=None,
    )
    input_tokens_per_month: PositiveSchedule = F(
        "Input tokens customers would buy per month at the starting price and market price level.",
        "tokens/month",
    )
    output_tokens_per_month: PositiveSchedule = F("Output tokens, likewise.", "tokens/month")
    market_elasticity: Real = F(
        "Elasticity of total market volume to the market price level "
        "(e.g. -1: a 50% cut doubles usage). Within ±50.",
        "",
        default=-1.0,
    )
    share_elasticity: Real = F(
        "Own-price elasticity relative to the market: your volume × (your price ÷ market "
        "price)^this, e.g. -2: 10% dearer than the market loses ≈ 17% of volume; -1: a 10× cut "
        "of your own price alone brings 10× the volume once adjusted. Within ±50.",
        "",
        default=-2.0,
    )
    adjustment_months: NonNegative = F(
        "How long demand takes to answer a price change: each month it closes 1 − e^(−1/τ) of "
        "the gap to its new level in logs (partial adjustment, Nerlove 1958; 63% after τ "
        "months, 95% after 3τ). 0 = in the same month.",
        "months",
        default=0,
    )
    market_price_change_per_year: Rate = F(
        "Steady change of the market price level per year, besides the cuts (e.g. -50%: token "
        "prices halve every year).",
        "1/year",
        default=0,
    )
    competitor_price_cuts: list[PriceCut] = F("Price war events.", default_factory=list)
    served_by: str | None = served_by()
    follow_competitors: Fraction = F(
        "How closely your price follows the market's, as a ratio: your price is multiplied by "
        "(market level)^this. 1 matches the market exactly; 0 ignores it; 0.99 after a -99% "
        "market cut leaves you 1.05× the market's price.",
        "fraction",
        default=1.0,
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
    adds: tuple[str, ...] = DEMAND[1:]
    consumed = ("demand_input_tokens",)
    books = ("revenue.api",)
    records = ("api_tokens", "api_price_index", "market_price_index")

    def __init__(self, spec: ApiStream, scenario: Any):
        super().__init__(spec, scenario)
        self.adds = route_keys(DEMAND, spec.served_by)[1:]
        self.consumed = (self.adds[0],)

    def problems(self, inputs: InputTable) -> Iterable[tuple[Loc, str, Any]]:
        s = self.spec
        for field in ("market_elasticity", "share_elasticity"):
            leaf = getattr(s, field)
            why = elasticity_problem(inputs.median(leaf))
            if why:
                yield (field,), why, leaf.raw
        h = s.cache_hit_share
        if (
            s.price_from_catalog is None
            and s.cached_input_price_per_million is None
            and not (h.is_point and h.median == 0)
        ):
            yield (
                ("cached_input_price_per_million",),
                "a cache_hit_share needs the price cache-hit input tokens are billed at",
                None,
            )
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
        if not p.is_point(s.market_price_change_per_year) or p[s.market_price_change_per_year][0]:
            change = p[s.market_price_change_per_year]
            c *= growth_path(change, H)
            m *= growth_path(change, H, power=p[s.follow_competitors])  # drift ** follow
        if s.price_from_catalog is not None:
            pin, pout = price_path(
                s.price_from_catalog.provider,
                s.price_from_catalog.model,
                self.scenario.start,
                H,
                ctx.rate_to_currency,
                cached_share=p[s.cache_hit_share],
            )
        else:
            pin = s.input_price_per_million.monthly(p, H)
            pout = s.output_price_per_million.monthly(p, H)
            if s.cached_input_price_per_million is not None:  # blended input price
                h = p[s.cache_hit_share]
                pin = (1.0 - h) * pin + h * s.cached_input_price_per_million.monthly(p, H)
        base_in = s.input_tokens_per_month.monthly(p, H)
        base_out = s.output_tokens_per_month.monthly(p, H)
        own = list_price_index(pin, pout, base_in[0], base_out[0]) * m
        target = api_demand(1.0, c, own, p[s.market_elasticity], p[s.share_elasticity])
        rate = adjustment_rate(p[s.adjustment_months])
        factor = target if np.all(rate >= 1.0) else adjusted_path(target, rate)
        self.tin, self.tout = base_in * factor, base_out * factor
        self.pin, self.pout = pin * m, pout * m
        self.c, self.own = c, own

    def step(self, ctx: Ctx, t: int) -> None:
        tin, tout = self.tin[t], self.tout[t]
        ctx.book("revenue.api", t, (tin * self.pin[t] + tout * self.pout[t]) / 1e6)
        ctx.add(self.adds[0], tin)
        ctx.add(self.adds[1], tout)
        ctx.record("api_tokens", t, tin + tout)
        ctx.record("api_price_index", t, self.own[t])
        ctx.record("market_price_index", t, self.c[t])
