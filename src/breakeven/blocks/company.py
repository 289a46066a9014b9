"""The company around the product: people by role, brand marketing, general and administrative."""

from __future__ import annotations

import numpy as np

from ..engine import F, NonNegativeSchedule, Positive, Section, kpi, line
from ..engine.block import Block, Ctx
from ..engine.formulas import Cells, schedule_formula


class Role(Section):
    role: str = F("Name of the role or team, e.g. engineering.")
    headcount: NonNegativeSchedule = F("People in this role, per month.", "people")
    cost_per_person_per_year: Positive = F(
        "Fully loaded cost of one person (salary, social insurance, benefits, office).",
        "currency/year",
    )


class Company(Section):
    """People and overheads."""

    team: list[Role] = F("Headcount plan by role; lands on opex.people.", default_factory=list)
    brand_marketing_per_month: NonNegativeSchedule = F(
        "Marketing beyond paid acquisition (brand, events); lands on opex.marketing.",
        "currency/month",
        default=0,
    )
    g_and_a_per_month: NonNegativeSchedule = F(
        "General and administrative costs (rent, legal, tools); lands on opex.g_and_a.",
        "currency/month",
        default=0,
    )


OUTPUTS = (
    line("opex.people", "People", "人员", category="people"),
    line("opex.g_and_a", "General & administrative", "管理费用", category="other"),
    kpi("headcount", "Headcount", "员工人数", unit="people", category="economics"),
)


class CompanyBlock(Block):
    section = "company"
    schema = Company
    always = True
    books = ("opex.people", "opex.marketing", "opex.g_and_a")
    records = ("headcount",)

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        self.heads = [r.headcount.monthly(p, ctx.months) for r in s.team]
        self.cost_month = [p[r.cost_per_person_per_year] / 12.0 for r in s.team]
        self.brand = s.brand_marketing_per_month.monthly(p, ctx.months)
        self.gna = s.g_and_a_per_month.monthly(p, ctx.months)

    def step(self, ctx: Ctx, t: int) -> None:
        people = heads = 0.0
        for h, c in zip(self.heads, self.cost_month, strict=True):
            people = people + h[t] * c
            heads = heads + h[t]
        ctx.book("opex.people", t, np.broadcast_to(people, (ctx.n,)))
        ctx.book("opex.marketing", t, self.brand[t])
        ctx.book("opex.g_and_a", t, self.gna[t])
        ctx.record("headcount", t, np.broadcast_to(heads, (ctx.n,)))

    def formulas(self, cells: Cells, t: int) -> dict[str, str]:
        s = self.spec
        people = "+".join(
            f"{schedule_formula(r.headcount, t, cells)}*{cells.input(r.cost_per_person_per_year)}/12"
            for r in s.team
        )
        return {
            "opex.people": people or "0",
            "opex.marketing": schedule_formula(s.brand_marketing_per_month, t, cells),
            "opex.g_and_a": schedule_formula(s.g_and_a_per_month, t, cells),
        }
