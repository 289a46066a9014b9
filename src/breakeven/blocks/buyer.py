"""The buyer's side: an organisation rolling out an AI tool, and its return on the investment.

Each department adopts by a Bass diffusion with resistance (as inside a business customer,
:func:`breakeven.models.adoption.within_org_adoption`). During the pilot only the first
department rolls out; after it, with probability ``abandon_probability`` (one draw per outcome)
the project is dropped — licences, maintenance and benefits stop — otherwise every department
rolls out. Benefit = hours saved × loaded cost × value realisation, booked as
revenue.productivity so that NPV, payback and ROI come from the same ledger as any plan.
"""

from __future__ import annotations

import numpy as np

from ..engine import F, Fraction, NonNegative, Positive, Section, chance_draw, kpi, line
from ..engine.block import Block, Ctx
from ..models.adoption import within_org_adoption
from ..models.distributions import Dist


class Department(Section):
    name: str = F("Department, e.g. customer service.")
    employees: Positive = F("People in the department.", "people")
    hours_saved_per_active_user_per_month: NonNegative = F(
        "Hours an active user saves per month.", "hours/month"
    )
    loaded_cost_per_hour: Positive = F(
        "Fully loaded cost of an hour of their time.", "currency/hour"
    )
    adoption_innovation_per_month: Fraction = F(
        "Bass p inside the department.", "1/month", default=0.05
    )
    adoption_imitation_per_month: NonNegative = F(
        "Bass q inside the department.", "1/month", default=0.2
    )
    resistance: Fraction = F("Share who never adopt.", "fraction", default=0.3)


class Buyer(Section):
    """An organisation adopting AI: benefits from hours saved against licences and projects."""

    departments: list[Department] = F("Departments rolling the tool out.", min_length=1)
    licence_per_seat_per_month: NonNegative = F("Licence price per seat.", "currency/seat/month")
    license_all_employees: bool = F(
        "Pay for every employee from the start (true) or only for adopters (false).", default=False
    )
    integration_cost: NonNegative = F(
        "One-off integration with systems and workflows.", "currency", default=0
    )
    security_cost: NonNegative = F(
        "One-off data-security review and controls.", "currency", default=0
    )
    maintenance_per_year: NonNegative = F(
        "Internal maintenance and support.", "currency/year", default=0
    )
    training_cost_per_adopter: NonNegative = F(
        "Training per new adopter.", "currency/person", default=0
    )
    pilot_months: int = F(
        "Length of the pilot (one department's worth of adoption).", "months", default=3, ge=0
    )
    abandon_probability: Fraction = F(
        "Chance the project is abandoned after the pilot: licences and benefits stop.",
        "probability",
        default=0.2,
    )
    value_realisation: Fraction = F(
        "Share of saved hours that turn into value (redeployed work, not idle time).",
        "fraction",
        default=0.5,
    )


OUTPUTS = (
    line(
        "revenue.productivity",
        "Productivity gained",
        "效率收益",
        category="revenue",
        audience="buyer",
    ),
    line("opex.licences", "Licences", "软件许可", category="licences", audience="buyer"),
    line(
        "opex.integration",
        "Integration & security",
        "集成与安全",
        category="delivery",
        audience="buyer",
    ),
    line("opex.maintenance", "Maintenance", "运维", category="delivery", audience="buyer"),
    line(
        "opex.adoption_training",
        "Adoption training",
        "使用培训",
        category="people",
        audience="buyer",
    ),
    kpi(
        "adopters", "Adopters", "采用者", unit="people", category="users", audience="buyer", rank=6
    ),
    kpi(
        "licensed_seats",
        "Licensed seats",
        "授权席位",
        unit="seats",
        category="users",
        audience="buyer",
        rank=7,
    ),
    kpi(
        "hours_saved",
        "Hours saved",
        "节省工时",
        unit="hours/month",
        category="economics",
        audience="buyer",
    ),
    kpi(
        "project_live",
        "Project live",
        "项目进行中",
        unit="share of outcomes",
        category="economics",
        audience="buyer",
    ),
)


class BuyerBlock(Block):
    section = "buyer"
    schema = Buyer
    books = (
        "revenue.productivity",
        "opex.licences",
        "opex.integration",
        "opex.maintenance",
        "opex.adoption_training",
    )
    records = ("adopters", "licensed_seats", "hours_saved", "project_live")

    def draws(self) -> dict[str, tuple[Dist, str]]:
        return {"buyer.abandon_draw": chance_draw()}

    def prepare(self, ctx: Ctx) -> None:
        s, p, H = self.spec, ctx.p, ctx.months
        self.depts = []
        for i, d in enumerate(s.departments):
            start = 0 if i == 0 else s.pilot_months  # others roll out after the pilot
            adopt = within_org_adoption(
                p[d.adoption_innovation_per_month],
                p[d.adoption_imitation_per_month],
                p[d.resistance],
                H,
            )
            share = np.zeros((H, ctx.n))
            if start < H:
                share[start:] = adopt[: H - start]
            self.depts.append(
                (
                    p[d.employees],
                    share,
                    p[d.hours_saved_per_active_user_per_month],
                    p[d.loaded_cost_per_hour],
                    start,
                )
            )
        abandoned = p.get("buyer.abandon_draw") < p[s.abandon_probability]
        self.live = np.ones((H, ctx.n))
        if s.pilot_months < H:
            self.live[s.pilot_months :, abandoned] = 0.0
        self.prev_adopters = np.zeros(ctx.n)
        self.v = {
            k: p[getattr(s, k)]
            for k in (
                "licence_per_seat_per_month",
                "integration_cost",
                "security_cost",
                "maintenance_per_year",
                "training_cost_per_adopter",
                "value_realisation",
            )
        }

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
        ctx.book(
            "opex.adoption_training",
            t,
            np.maximum(adopters - self.prev_adopters, 0.0) * v["training_cost_per_adopter"],
        )
        self.prev_adopters = adopters
        for k, x in (
            ("adopters", adopters),
            ("licensed_seats", seats),
            ("hours_saved", hours),
            ("project_live", live),
        ):
            ctx.record(k, t, x)
