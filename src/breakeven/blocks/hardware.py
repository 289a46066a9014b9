"""A device with a model inside: device margin, the AI service it costs over its life, and
subscriptions attached to devices in use. Devices retire at rate 1 / service life (exponential
survival with that mean life); devices in use send requests if their usage is given. A plan may
start with devices already in use (``installed_base``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import F, Fraction, NonNegative, NonNegativeSchedule, Positive, Section, kpi, line
from ..engine.block import Block, Ctx
from ._usage import DEMAND, Usage, UsageProfile, route_keys, served_by


class Hardware(Section):
    """A device with a model inside: device margin, AI service over its life, subscriptions."""

    devices_sold_per_month: NonNegativeSchedule = F("Units sold per month.", "devices/month")
    device_price: Positive = F(
        "Selling price per device (net of VAT and channel margin).", "currency/device"
    )
    device_cost: Positive = F(
        "Bill of materials, assembly and logistics per device.", "currency/device"
    )
    service_life_months: Positive = F("Months a device stays in use.", "months", default=36)
    installed_base: NonNegative = F(
        "Devices already in use at the start: they retire, subscribe and cost the AI service "
        "like new ones, but are not sold again.",
        "devices",
        default=0,
    )
    ai_service_cost_per_device_per_month: NonNegative = F(
        "Cost of the AI service per device in use, when not modelled by usage.",
        "currency/month",
        default=0,
    )
    usage: Usage | None = F(
        "Usage per device in use; drives tokens and serving cost.", default=None
    )
    served_by: str | None = served_by()
    subscription_attach_rate: Fraction = F(
        "Share of devices in use with a paid subscription.", "fraction", default=0
    )
    subscription_price_per_month: NonNegative = F(
        "Subscription price per attached device.", "currency/month", default=0
    )


OUTPUTS = (
    line("revenue.devices", "Devices", "设备销售", category="revenue", audience="devices"),
    line(
        "revenue.device_subscriptions",
        "Device subscriptions",
        "设备订阅",
        category="revenue",
        audience="devices",
    ),
    line("cogs.devices", "Device cost", "设备成本", category="devices", audience="devices"),
    line(
        "cogs.ai_service",
        "AI service per device",
        "设备 AI 服务",
        category="serving",
        audience="devices",
    ),
    kpi(
        "devices_sold",
        "Devices sold",
        "设备销量",
        unit="devices/month",
        category="devices",
        audience="devices",
    ),
    kpi(
        "devices_in_use",
        "Devices in use",
        "在用设备",
        unit="devices",
        category="users",
        audience="devices",
        rank=9,
    ),
)


class HardwareBlock(Block):
    section = "streams.hardware"
    schema = Hardware
    books = ("revenue.devices", "revenue.device_subscriptions", "cogs.devices", "cogs.ai_service")
    records = ("devices_sold", "devices_in_use")

    def __init__(self, spec: Hardware, scenario: Any):
        super().__init__(spec, scenario)
        if spec.usage is not None:
            self.adds = route_keys(DEMAND, spec.served_by)
            self.consumed = (self.adds[1],)

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        self.sold = s.devices_sold_per_month.monthly(p, ctx.months)
        self.price, self.cost = p[s.device_price], p[s.device_cost]
        self.retire = 1.0 / np.maximum(p[s.service_life_months], 1.0)
        self.service = p[s.ai_service_cost_per_device_per_month]
        self.attach, self.sub = p[s.subscription_attach_rate], p[s.subscription_price_per_month]
        self.profile = UsageProfile.from_spec(s.usage, p) if s.usage is not None else None
        self.in_use = p[s.installed_base] * 1.0

    def step(self, ctx: Ctx, t: int) -> None:
        sold = self.sold[t]
        self.in_use = self.in_use * (1.0 - self.retire) + sold
        ctx.book("revenue.devices", t, sold * self.price)
        ctx.book("cogs.devices", t, sold * self.cost)
        ctx.book("revenue.device_subscriptions", t, self.in_use * self.attach * self.sub)
        ctx.book("cogs.ai_service", t, self.in_use * self.service)
        if self.profile is not None:
            self.profile.add_tokens(ctx, self.in_use, self.adds)
        ctx.record("devices_sold", t, sold)
        ctx.record("devices_in_use", t, self.in_use)
