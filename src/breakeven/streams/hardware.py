"""A device with a model inside: device margin, the AI service it costs over its life, and
subscriptions attached to devices in use. Devices retire at rate 1 / service life (exponential
survival with that mean life)."""

from __future__ import annotations

import numpy as np

from ..engine.blocks import Block, Ctx, register
from ..market.usage import UsageProfile


@register("devices")
class HardwareBlock(Block):
    lines = ("revenue.devices", "revenue.device_subscriptions", "cogs.devices",
             "cogs.ai_service")
    kpis = ("devices_sold", "devices_in_use")

    def __init__(self, spec):
        self.spec = spec

    @classmethod
    def from_scenario(cls, sc):
        return [cls(sc.streams.hardware)] if sc.streams.hardware is not None else []

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        self.sold = s.devices_sold_per_month.monthly(p, ctx.months)
        self.price, self.cost = p[s.device_price], p[s.device_cost]
        self.retire = 1.0 / np.maximum(p[s.service_life_months], 1.0)
        self.service = p[s.ai_service_cost_per_device_per_month]
        self.attach, self.sub = p[s.subscription_attach_rate], p[s.subscription_price_per_month]
        self.profile = UsageProfile.from_spec(s.usage, p) if s.usage is not None else None
        self.in_use = np.zeros(ctx.n)

    def step(self, ctx: Ctx, t: int) -> None:
        sold = self.sold[t]
        self.in_use = self.in_use * (1.0 - self.retire) + sold
        ctx.book("revenue.devices", t, sold * self.price)
        ctx.book("cogs.devices", t, sold * self.cost)
        ctx.book("revenue.device_subscriptions", t, self.in_use * self.attach * self.sub)
        ctx.book("cogs.ai_service", t, self.in_use * self.service)
        if self.profile is not None:
            self.profile.add_tokens(ctx, self.in_use)
        ctx.state["devices_in_use"] = self.in_use
        ctx.record("devices_sold", t, sold)
        ctx.record("devices_in_use", t, self.in_use)
