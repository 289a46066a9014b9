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

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from pydantic import model_validator

from ..compute.prices import price_history, price_rows
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
from ..models.growth import growth_rows
from ..models.pricing import (
    api_demand,
    elasticity_problem,
    list_price_index,
    price_level_runs,
)
from ..models.response import adjust_log, adjustment_rate
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
        "Input tokens customers would buy per month at the starting price and market price "
        "level. Its change_per_year may be `reference` (the growth of AI products' tokens "
        "published before the plan's start, `breakeven reference tokens --start …`) or `trend "
        "x` (a monthly growth observed, widened by how their growth carried on; every kind's "
        "products together — users, paying organisations, tokens — while fewer than five have "
        "token counts over two periods), each read per month and compounded over twelve.",
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
    payment_fee: Fraction = F(
        "Payment-processing fee on the stream's revenue, booked on cogs.payment_fees: ~3% "
        "for usage billed to cards; 0, the default, for invoices paid by bank transfer. A cloud "
        "marketplace's cut of the revenue it resells: streams.partner_share.",
        "fraction",
        default=0,
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
    books: tuple[str, ...] = ("revenue.api", "cogs.payment_fees")
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
        # Every path is made a month at a time in step (the same numbers as whole (months, n)
        # arrays, without their memory): the market's level and your multiplier by runs of
        # months between cuts, times their drift; your list prices; the base demand.
        s, p, H, n = self.spec, ctx.p, ctx.months, ctx.n
        self.fee = p[s.payment_fee]  # booked every month, 0 by default: fixed= and sweeps move it
        cuts = [(cut.month, p[cut.change]) for cut in s.competitor_price_cuts]
        ones = np.ones(n)
        self.levels = [(ones, ones)] * H  # (c, m) before any drift, by month
        for a, b, c, m in price_level_runs(cuts, p[s.follow_competitors], H, n):
            self.levels[a:b] = [(c, m)] * (b - a)
        self.drift: tuple[Iterator[np.ndarray], Iterator[np.ndarray]] | None = None
        if not p.is_point(s.market_price_change_per_year) or p[s.market_price_change_per_year][0]:
            change = p[s.market_price_change_per_year]
            self.drift = (
                growth_rows(change, H),
                growth_rows(change, H, power=p[s.follow_competitors]),  # drift ** follow
            )
        self.prices: Iterator[tuple[np.ndarray, np.ndarray]]
        if s.price_from_catalog is not None:
            self.prices = price_rows(
                s.price_from_catalog.provider,
                s.price_from_catalog.model,
                self.scenario.start,
                H,
                ctx.rate_to_currency,
                cached_share=p[s.cache_hit_share],
            )
        else:
            assert s.input_price_per_million is not None and s.output_price_per_million is not None
            ins = s.input_price_per_million.rows(p, H)
            outs = s.output_price_per_million.rows(p, H)
            if s.cached_input_price_per_million is not None:  # blended input price
                h = p[s.cache_hit_share]
                cached = s.cached_input_price_per_million.rows(p, H)
                ins = ((1.0 - h) * x + h * y for x, y in zip(ins, cached, strict=True))
            self.prices = zip(ins, outs, strict=True)
        self.base = zip(
            s.input_tokens_per_month.rows(p, H), s.output_tokens_per_month.rows(p, H), strict=True
        )
        self.elasticity = p[s.market_elasticity], p[s.share_elasticity]
        self.rate = adjustment_rate(p[s.adjustment_months])
        self.at_once = bool(np.all(self.rate >= 1.0))
        self.factor: np.ndarray = np.broadcast_to(1.0, (n,))  # demand's level before month 1
        # month 1's token mix and its blended price: the list price index's weights and base
        self.first: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def step(self, ctx: Ctx, t: int) -> None:
        c, m = self.levels[t]
        if self.drift is not None:
            c, m = c * next(self.drift[0]), m * next(self.drift[1])
        pin, pout = next(self.prices)
        base_in, base_out = next(self.base)
        if self.first is None:  # month 1
            self.first = base_in, base_out, pin * base_in + pout * base_out
        w_in, w_out, blended_first = self.first
        own = list_price_index(pin, pout, w_in, w_out, blended_first) * m
        target = api_demand(1.0, c, own, *self.elasticity)
        self.factor = target if self.at_once else adjust_log(self.factor, target, self.rate)
        tin, tout = base_in * self.factor, base_out * self.factor
        revenue = (tin * (pin * m) + tout * (pout * m)) / 1e6
        ctx.book("revenue.api", t, revenue)
        ctx.book("cogs.payment_fees", t, revenue * self.fee)
        ctx.add(self.adds[0], tin)
        ctx.add(self.adds[1], tout)
        ctx.record("api_tokens", t, tin + tout)
        ctx.record("api_price_index", t, own)
        ctx.record("market_price_index", t, c)
