"""The company around the product: people by role, brand marketing, G&A, training runs."""

from __future__ import annotations

import numpy as np

from ..engine.blocks import Block, Ctx, register


def spread_cost(cost: np.ndarray, start_month: int, duration_months: int, months: int
                ) -> np.ndarray:
    """A cost spread evenly over ``duration_months`` from ``start_month`` (1-based): (months, n)."""
    out = np.zeros((months, np.shape(cost)[0]))
    a = start_month - 1
    b = min(months, a + duration_months)
    if a < months:
        out[a:b] = cost / duration_months
    return out


@register("company")
class CompanyBlock(Block):
    lines = ("opex.people", "opex.marketing", "opex.g_and_a")
    kpis = ("headcount",)

    def __init__(self, spec, training_costs):
        self.spec = spec
        self.training_costs = training_costs  # callables (ctx) -> (months, n) array, one a run
        if spec.training_runs:
            self.lines = self.lines + ("opex.training",)

    @classmethod
    def from_scenario(cls, sc):
        from ..compute.training_runs import training_cost_schedules, training_draws
        block = cls(sc.company, training_cost_schedules(sc))
        block.draws = training_draws(sc)
        return [block]

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        self.heads = [r.headcount.monthly(p, ctx.months) for r in s.team]
        self.cost_month = [p[r.cost_per_person_per_year] / 12.0 for r in s.team]
        self.brand = s.brand_marketing_per_month.monthly(p, ctx.months)
        self.gna = s.g_and_a_per_month.monthly(p, ctx.months)
        self.training = None
        for f in self.training_costs:
            c = f(ctx)
            self.training = c if self.training is None else self.training + c

    def step(self, ctx: Ctx, t: int) -> None:
        people = heads = 0.0
        for h, c in zip(self.heads, self.cost_month):
            people = people + h[t] * c
            heads = heads + h[t]
        people, heads = np.broadcast_to(people, (ctx.n,)), np.broadcast_to(heads, (ctx.n,))
        ctx.book("opex.people", t, people)
        ctx.book("opex.marketing", t, self.brand[t])
        ctx.book("opex.g_and_a", t, self.gna[t])
        if self.training is not None:
            ctx.book("opex.training", t, self.training[t])
        ctx.record("headcount", t, heads)
