"""Subscription revenue: paid tiers, monthly or annual, net of VAT; app-store and payment fees.

Per tier: payers = active users × conversion; revenue = payers × price × (1 − annual share ×
annual discount) / (1 + VAT). Fees apply to what customers pay (VAT included): app-store share ×
store fee + the rest × payment-processor fee. Annual plans are recognised monthly (cash timing of
prepayment is not modelled).
"""

from __future__ import annotations

import numpy as np

from ..engine.blocks import Block, Ctx, register


def blended_fee_rate(app_store_share: np.ndarray, app_store_fee: np.ndarray,
                     payment_fee: np.ndarray) -> np.ndarray:
    """Average fee on a unit of customer payments, mixing app-store and direct payments."""
    return app_store_share * app_store_fee + (1.0 - app_store_share) * payment_fee


def effective_price(list_price: np.ndarray, annual_share: np.ndarray,
                    annual_discount: np.ndarray) -> np.ndarray:
    """Average monthly amount a payer pays, with annual plans at a discount."""
    return list_price * (1.0 - annual_share * annual_discount)


@register("revenue")
class SubscriptionBlock(Block):
    lines = ("revenue.subscription", "cogs.payment_fees")
    kpis = ("paying_users", "subscription_revenue_per_payer")

    def __init__(self, spec):
        self.spec = spec

    @classmethod
    def from_scenario(cls, sc):
        return [cls(sc.streams.subscription)] if sc.streams.subscription is not None else []

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        tiers = []
        if s.price_per_month is not None:
            tiers.append((s.price_per_month, s.conversion, s.usage_multiple))
        tiers += [(t.price_per_month, t.conversion, t.usage_multiple) for t in s.tiers]
        self.tiers = [(pr.monthly(p, ctx.months), p[c], p[u]) for pr, c, u in tiers]
        self.disc = 1.0 - p[s.annual_share] * p[s.annual_discount]
        self.vat = p[s.vat]
        self.fee = blended_fee_rate(p[s.app_store_share], p[s.app_store_fee], p[s.payment_fee])

    def step(self, ctx: Ctx, t: int) -> None:
        active = ctx.state["active_users"]
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
        ctx.state["paying_users"] = paying
        ctx.state["subscription_net_per_payer"] = np.divide(
            revenue - paid * self.fee, paying, out=np.zeros(ctx.n), where=paying > 0)
        ctx.state["payer_usage_multiple"] = np.divide(
            paying + extra_units, paying, out=np.ones(ctx.n), where=paying > 0)
        ctx.record("paying_users", t, paying)
        ctx.record("subscription_revenue_per_payer", t, np.divide(
            revenue, paying, out=np.zeros(ctx.n), where=paying > 0))
