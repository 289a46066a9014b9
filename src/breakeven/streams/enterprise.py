"""Enterprise contracts: seats, platform fees, implementation; the costs of serving businesses.

Revenue: paid seats × price per seat; deployed accounts × platform fee; new deployments ×
implementation fee (plus the fee for private deployments). Costs: one-off integration,
customisation and security work per new account (cost of revenue), maintenance per deployed
account, pre-sales per piloting account (opex), private deployments (one-off hardware and
installation, then running cost). Cash arrives after the payment terms: the difference between
revenue booked and cash collected lands on wc.receivables.
"""

from __future__ import annotations

import numpy as np

from ..engine.blocks import Block, Ctx, register
from ..finance.cash import collected


@register("revenue")
class EnterpriseBlock(Block):
    lines = ("revenue.enterprise_seats", "revenue.enterprise_platform",
             "revenue.implementation", "cogs.integration", "cogs.maintenance",
             "cogs.private_deployment", "opex.presales", "wc.receivables")
    kpis = ("cash_collected_enterprise",)

    def __init__(self, spec):
        self.spec = spec

    @classmethod
    def from_scenario(cls, sc):
        return [cls(sc.streams.enterprise)] if sc.streams.enterprise is not None else []

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        self.seat_price = s.price_per_seat_per_month.monthly(p, ctx.months)
        self.v = {k: p[getattr(s, k)] for k in (
            "platform_fee_per_month", "implementation_fee", "payment_terms_days",
            "integration_cost", "customisation_cost", "security_compliance_cost",
            "maintenance_per_year", "presales_per_pilot_per_month", "private_deployment_cost",
            "private_deployment_fee", "private_hosting_per_month")}
        self.history = np.zeros((ctx.months, ctx.n))

    def step(self, ctx: Ctx, t: int) -> None:
        v, st = self.v, ctx.state
        new, deployed = st["new_deployments"], st["deployed_accounts"]
        priv_new, priv = st["private_new_deployments"], st["private_deployed_accounts"]
        seats = st["paid_seats"] * self.seat_price[t]
        platform = deployed * v["platform_fee_per_month"]
        impl = new * v["implementation_fee"] + priv_new * v["private_deployment_fee"]
        ctx.book("revenue.enterprise_seats", t, seats)
        ctx.book("revenue.enterprise_platform", t, platform)
        ctx.book("revenue.implementation", t, impl)
        one_off = v["integration_cost"] + v["customisation_cost"] + v["security_compliance_cost"]
        ctx.book("cogs.integration", t, new * one_off)
        ctx.book("cogs.maintenance", t, deployed * v["maintenance_per_year"] / 12.0)
        ctx.book("cogs.private_deployment", t, priv_new * v["private_deployment_cost"]
                 + priv * v["private_hosting_per_month"])
        ctx.book("opex.presales", t, st["piloting_accounts"] * v["presales_per_pilot_per_month"])
        revenue = seats + platform + impl
        self.history[t] = revenue
        cash = collected(self.history, t, v["payment_terms_days"])
        ctx.book("wc.receivables", t, cash - revenue)
        ctx.record("cash_collected_enterprise", t, cash)
