"""Funding: cash at the start and rounds raised during the horizon, some conditional.

A round closes in its month only if every condition holds then (a KPI such as active users, or a
ledger figure such as revenue, ebitda or cash before the round), and — in a cooled market — with
its close probability (one draw per round and outcome). Investors check every 3–6 months: put
rounds and their conditions where the checks are.
"""

from __future__ import annotations

import numpy as np

from ..engine.blocks import Block, Ctx, register
from ..engine.inputs import chance_draw

TOTAL_SIGNS = {  # how month-t totals are built from detail lines, for round conditions
    "revenue": {"revenue": 1},
    "ebitda": {"revenue": 1, "cogs": -1, "opex": -1},
    "free_cash_flow": {"revenue": 1, "cogs": -1, "opex": -1, "wc": 1, "capex": -1},
}


@register("funding")
class FundingBlock(Block):
    lines = ("funding.equity",)
    kpis = ()

    def __init__(self, spec):
        self.spec = spec
        self.draws = {f"funding.rounds.{i}.close_draw": chance_draw()
                      for i, r in enumerate(spec.rounds)
                      if not (r.close_probability.is_point and r.close_probability.median == 1.0)}
        self.kpis = tuple(f"round_closed:{r.name}" for r in spec.rounds)

    @classmethod
    def from_scenario(cls, sc):
        return [cls(sc.funding)]

    def starting_cash(self, ctx: Ctx) -> np.ndarray:
        return np.broadcast_to(ctx.p[self.spec.starting_cash], (ctx.n,)).astype(float)

    def prepare(self, ctx: Ctx) -> None:
        self.by_month: dict[int, list] = {}
        for i, r in enumerate(self.spec.rounds):
            name = f"funding.rounds.{i}.close_draw"
            lucky = (ctx.p.get(name) < ctx.p[r.close_probability] if name in self.draws
                     else np.ones(ctx.n, dtype=bool))
            self.by_month.setdefault(r.month - 1, []).append((r, ctx.p[r.amount], lucky))
        self.cash = self.starting_cash(ctx).copy()
        self.closed = {r.name: np.zeros(ctx.n) for r in self.spec.rounds}
        # running cash is only needed when a round is conditional on it
        self.track_cash = any(c.measure == "cash" for r in self.spec.rounds for c in r.requires)

    def _measure(self, ctx: Ctx, name: str, t: int) -> np.ndarray:
        if name in ctx.kpis:
            return ctx.kpis[name][t]
        if name in ctx.state:
            return ctx.state[name]
        if name == "cash":
            return self.cash  # cash before this month's round
        if name in TOTAL_SIGNS:
            out = np.zeros(ctx.n)
            for kind, sign in TOTAL_SIGNS[name].items():
                out = out + sign * ctx.line_at(kind + ".", t)
            return out
        return ctx.lines[name][t]

    def step(self, ctx: Ctx, t: int) -> None:
        raised = np.zeros(ctx.n)
        for r, amount, lucky in self.by_month.get(t, ()):
            ok = lucky.copy()
            for cond in r.requires:
                ok &= self._measure(ctx, cond.measure, t) >= cond.at_least
            raised = raised + np.where(ok, amount, 0.0)
            self.closed[r.name] = self.closed[r.name] + ok
        ctx.book("funding.equity", t, raised)
        for name, v in self.closed.items():
            ctx.record(f"round_closed:{name}", t, v)
        if self.track_cash:
            self.cash = self.cash + self._measure(ctx, "free_cash_flow", t) + raised

