"""Subscription revenue: paid tiers, monthly or annual, net of VAT; app-store and payment fees.

Per tier: payers = active users × conversion; revenue = payers × price × (1 − annual share ×
annual discount) / (1 + VAT). Fees apply to what customers pay (VAT included): app-store share ×
store fee + the rest × payment-processor fee. Annual plans are recognised monthly (cash timing of
prepayment is not modelled). Subscribers of a tier who use more than the average user add their
extra usage to the tokens served.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import model_validator

from ..engine import F, Fraction, Positive, PositiveSchedule, Section, kpi, line
from ..engine.block import Block, Ctx
from ..models.pricing import annual_plan_factor, blended_fee_rate


class Tier(Section):
    """A paid tier beyond the main one."""

    name: str = F("Tier label, e.g. pro.")
    price_per_month: PositiveSchedule = F("List price of the tier.", "currency/month")
    conversion: Fraction = F("Share of active users who pay for this tier.", "fraction")
    usage_multiple: Positive = F(
        "How much more a subscriber of this tier uses than the average user.", "×", default=1
    )


class Subscription(Section):
    """Paid tiers: shares of active users pay monthly or annually, less store and payment fees."""

    price_per_month: PositiveSchedule | None = F(
        "List price of the main paid tier.", "currency/month", default=None
    )
    conversion: Fraction | None = F(
        "Share of active users who pay for the main tier.", "fraction", default=None
    )
    usage_multiple: Positive = F(
        "How much more a subscriber uses than the average user.", "×", default=1
    )
    tiers: list[Tier] = F(
        "Further tiers (e.g. a pro tier), each with its own price and conversion.",
        default_factory=list,
    )
    annual_share: Fraction = F("Share of subscribers on annual plans.", "fraction", default=0)
    annual_discount: Fraction = F(
        "Discount of annual plans over twelve monthly payments.", "fraction", default=0.2
    )
    vat: Fraction = F(
        "Value-added tax included in list prices (China: 6% on digital services); "
        "revenue is booked net of it.",
        "fraction",
        default=0,
    )
    app_store_share: Fraction = F(
        "Share of payments that go through mobile app stores.", "fraction", default=0
    )
    app_store_fee: Fraction = F(
        "App-store commission on those payments (Apple/Google: 15%–30%).", "fraction", default=0.3
    )
    payment_fee: Fraction = F(
        "Payment-processor fee on the other payments (Alipay/WeChat Pay ~0.6%, cards ~3%).",
        "fraction",
        default=0.01,
    )

    @model_validator(mode="after")
    def _some_tier(self) -> Subscription:
        if (self.price_per_month is None) != (self.conversion is None):
            raise ValueError("give both price_per_month and conversion for the main tier")
        if self.price_per_month is None and not self.tiers:
            raise ValueError("give price_per_month and conversion, or at least one of tiers")
        return self


OUTPUTS = (
    line("revenue.subscription", "Subscriptions", "订阅", category="revenue", audience="consumer"),
    line(
        "cogs.payment_fees",
        "Payment & store fees",
        "支付与应用商店费用",
        category="fees",
        audience="consumer",
    ),
    kpi(
        "paying_users",
        "Paying users",
        "付费用户",
        unit="users",
        category="users",
        audience="consumer",
        rank=2,
        per=1,
    ),
    kpi(
        "subscription_revenue_per_payer",
        "Subscription revenue per payer",
        "每付费用户订阅收入",
        unit="currency/user/month",
        category="economics",
        audience="consumer",
    ),
)


class SubscriptionBlock(Block):
    section = "streams.subscription"
    schema = Subscription
    reads = ("active_users",)
    writes = ("paying_users", "subscription_net_per_payer", "payer_usage_multiple")
    adds = ("consumer_usage_units",)
    books = ("revenue.subscription", "cogs.payment_fees")
    records = ("paying_users", "subscription_revenue_per_payer")

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        tiers: list[tuple[Any, Any, Any]] = []
        if s.price_per_month is not None:
            tiers.append((s.price_per_month, s.conversion, s.usage_multiple))
        tiers += [(t.price_per_month, t.conversion, t.usage_multiple) for t in s.tiers]
        self.tiers = [(pr.monthly(p, ctx.months), p[c], p[u]) for pr, c, u in tiers]
        self.disc = annual_plan_factor(p[s.annual_share], p[s.annual_discount])
        self.vat = p[s.vat]
        self.fee = blended_fee_rate(p[s.app_store_share], p[s.app_store_fee], p[s.payment_fee])

    def step(self, ctx: Ctx, t: int) -> None:
        active = ctx.read("active_users")
        paying = np.zeros(ctx.n)
        paid = np.zeros(ctx.n)
        extra_units = np.zeros(ctx.n)
        for price, conv, mult in self.tiers:
            payers = active * conv
            paying = paying + payers
            paid = paid + payers * price[t] * self.disc
            extra_units = extra_units + payers * (mult - 1.0)
        revenue = paid / (1.0 + self.vat)
        ctx.book("revenue.subscription", t, revenue)
        ctx.book("cogs.payment_fees", t, paid * self.fee)
        ctx.add("consumer_usage_units", extra_units)
        ctx.write("paying_users", paying)
        ctx.write(
            "subscription_net_per_payer",
            np.divide(revenue - paid * self.fee, paying, out=np.zeros(ctx.n), where=paying > 0),
        )
        ctx.write(
            "payer_usage_multiple",
            np.divide(paying + extra_units, paying, out=np.ones(ctx.n), where=paying > 0),
        )
        ctx.record("paying_users", t, paying)
        ctx.record(
            "subscription_revenue_per_payer",
            t,
            np.divide(revenue, paying, out=np.zeros(ctx.n), where=paying > 0),
        )
