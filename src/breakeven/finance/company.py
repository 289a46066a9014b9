"""The company around the product: people, brand marketing, G&A."""

from __future__ import annotations

from ..engine.blocks import Block, Ctx, register


@register
class CompanyBlock(Block):
    lines = ("opex.people", "opex.marketing", "opex.g_and_a")
    kpis = ("headcount",)

    def __init__(self, spec):
        self.spec = spec

    @classmethod
    def from_scenario(cls, sc):
        return [cls(sc.company)]

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        self.heads = [r.headcount.monthly(p, ctx.months) for r in s.team]
        self.cost_month = [p[r.cost_per_person_per_year] / 12.0 for r in s.team]
        self.brand = s.brand_marketing_per_month.monthly(p, ctx.months)
        self.gna = s.g_and_a_per_month.monthly(p, ctx.months)

    def step(self, ctx: Ctx, t: int) -> None:
        people = 0.0
        heads = 0.0
        for h, c in zip(self.heads, self.cost_month):
            people = people + h[t] * c
            heads = heads + h[t]
        ctx.book("opex.people", t, people)
        ctx.book("opex.marketing", t, self.brand[t])
        ctx.book("opex.g_and_a", t, self.gna[t])
        ctx.record("headcount", t, heads)
