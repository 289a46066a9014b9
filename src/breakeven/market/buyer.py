"""The buyer's side: an organisation rolling out an AI tool, and its return on the investment.

Each department adopts by a Bass diffusion with resistance (as inside a business customer).
During the pilot only the first department rolls out; after it, with probability
``abandon_probability`` (one draw per outcome) the project is dropped — licences, maintenance
and benefits stop — otherwise every department rolls out. Benefit = hours saved × loaded cost ×
value realisation, booked as revenue.productivity so that NPV, payback and ROI come from the
same ledger as any plan.
"""

from __future__ import annotations

import numpy as np

from ..engine.blocks import Block, Ctx, register
from ..engine.inputs import chance_draw
from .business import within_org_adoption


@register("buyer")
class BuyerBlock(Block):
    lines = ("revenue.productivity", "opex.licences", "opex.integration", "opex.maintenance",
             "opex.adoption_training")
    kpis = ("adopters", "licensed_seats", "hours_saved", "project_live")
    draws = {"buyer.abandon_draw": chance_draw()}

    def __init__(self, spec):
        self.spec = spec

    @classmethod
    def from_scenario(cls, sc):
        return [cls(sc.buyer)] if sc.buyer is not None else []

    def prepare(self, ctx: Ctx) -> None:
        s, p, H = self.spec, ctx.p, ctx.months
        self.depts = []
        for i, d in enumerate(s.departments):
            start = 0 if i == 0 else s.pilot_months  # others roll out after the pilot
            adopt = within_org_adoption(p[d.adoption_innovation_per_month],
                                        p[d.adoption_imitation_per_month], p[d.resistance], H)
            share = np.zeros((H, ctx.n))
            if start < H:
                share[start:] = adopt[:H - start]
            self.depts.append((p[d.employees], share, p[d.hours_saved_per_active_user_per_month],
                               p[d.loaded_cost_per_hour], start))
        abandoned = p.get("buyer.abandon_draw") < p[s.abandon_probability]
        self.live = np.ones((H, ctx.n))
        if s.pilot_months < H:
            self.live[s.pilot_months:, abandoned] = 0.0
        self.prev_adopters = np.zeros(ctx.n)
        self.v = {k: p[getattr(s, k)] for k in ("licence_per_seat_per_month", "integration_cost",
                                                 "security_cost", "maintenance_per_year",
                                                 "training_cost_per_adopter",
                                                 "value_realisation")}

    def step(self, ctx: Ctx, t: int) -> None:
        s, v = self.spec, self.v
        live = self.live[t]
        adopters = np.zeros(ctx.n)
        hours = np.zeros(ctx.n)
        value = np.zeros(ctx.n)
        seats = np.zeros(ctx.n)
        for employees, share, h, cost, start in self.depts:
            a = employees * share[t] * live
            adopters = adopters + a
            hours = hours + a * h
            value = value + a * h * cost
            rolled_out = 1.0 if t >= start else 0.0
            seats = seats + (employees * rolled_out * live if s.license_all_employees else a)
        ctx.book("revenue.productivity", t, value * v["value_realisation"])
        ctx.book("opex.licences", t, seats * v["licence_per_seat_per_month"])
        if t == 0:
            ctx.book("opex.integration", t, v["integration_cost"] + v["security_cost"])
        ctx.book("opex.maintenance", t, live * v["maintenance_per_year"] / 12.0)
        ctx.book("opex.adoption_training", t,
                 np.maximum(adopters - self.prev_adopters, 0.0) * v["training_cost_per_adopter"])
        self.prev_adopters = adopters
        for k, x in (("adopters", adopters), ("licensed_seats", seats), ("hours_saved", hours),
                     ("project_live", live)):
            ctx.record(k, t, x)
