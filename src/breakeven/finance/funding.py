"""Funding: cash at the start and rounds raised during the horizon."""

from __future__ import annotations

import numpy as np

from ..engine.blocks import Block, Ctx, register


@register
class FundingBlock(Block):
    lines = ("funding.equity",)

    def __init__(self, spec):
        self.spec = spec

    @classmethod
    def from_scenario(cls, sc):
        return [cls(sc.funding)]

    def starting_cash(self, ctx: Ctx) -> np.ndarray:
        return np.broadcast_to(ctx.p[self.spec.starting_cash], (ctx.n,)).astype(float)

    def prepare(self, ctx: Ctx) -> None:
        self.by_month: dict[int, list] = {}
        for r in self.spec.rounds:
            self.by_month.setdefault(r.month - 1, []).append(ctx.p[r.amount])

    def step(self, ctx: Ctx, t: int) -> None:
        for amount in self.by_month.get(t, ()):
            ctx.book("funding.equity", t, amount)
