"""Funding: cash at the start and rounds raised during the horizon, some conditional.

A round closes in its month only if every condition holds then (a KPI such as active users, or a
ledger figure such as revenue, ebitda or cash before the round), and — in a cooled market — with
its close probability (one draw per round and outcome). Investors check every 3–6 months: put
rounds and their conditions where the checks are.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import model_validator

from ..engine import F, Fraction, NonNegative, Number, Section, chance_draw, kpi, line
from ..engine.block import Block, Ctx
from ..engine.formulas import Cells
from ..models.distributions import Dist


class Condition(Section):
    """A figure that must reach a level in a month (investors check every 3–6 months)."""

    measure: str = F(
        "What is checked: a KPI (active_users, paying_users, deployed_accounts, "
        "seats, devices_in_use…) or a ledger line (revenue, ebitda, cash…) in that "
        "month."
    )
    at_least: Number = F("Level it must reach.", "units of the measure")


class Round(Section):
    name: str = F(
        "Label of the round, e.g. Series A; each round its own. Default: round, or round N (its "
        "place in the list) when several rounds have no name.",
        default="round",
    )
    month: int = F("Month the money arrives (1 = first month).", "month", ge=1)
    amount: NonNegative = F("Cash raised.", "currency")
    requires: list[Condition] = F(
        "Conditions checked in the round's month; the round closes only if all hold.",
        default_factory=list,
    )
    close_probability: Fraction = F(
        "Chance the round closes even when its conditions hold (a cooled market makes it lower).",
        "probability",
        default=1,
    )


class Funding(Section):
    """Cash at start and money raised."""

    starting_cash: NonNegative = F(
        "Cash in the bank at the start of month 1.", "currency", default=0
    )
    rounds: list[Round] = F("Equity or debt raised during the horizon.", default_factory=list)

    @model_validator(mode="after")
    def _name_unnamed_rounds(self) -> Funding:
        """Several rounds without a name are round 1, round 2… by their place in the list: each
        records its own ``round_closed:<name>``, and they are told apart in reports."""
        unnamed = [i for i, r in enumerate(self.rounds) if "name" not in r.model_fields_set]
        if len(unnamed) > 1:
            for i in unnamed:
                self.rounds[i].name = f"round {i + 1}"
        return self


OUTPUTS = (
    line("funding.equity", "Equity", "股权融资", category="funding"),
    kpi(
        "round_closed:{round}", "Round closed", "融资轮完成", unit="probability", category="funding"
    ),
)


def _certain(r: Round) -> bool:
    """A round that closes whenever its conditions hold: no draw needed."""
    cp = r.close_probability
    return cp.dist is not None and cp.dist.is_point and cp.dist.median == 1.0


class FundingBlock(Block):
    section = "funding"
    schema = Funding
    always = True
    books = ("funding.equity",)
    records: tuple[str, ...] = ("round_closed:{round}",)  # one per round, named after it

    def __init__(self, spec: Funding, scenario: Any):
        super().__init__(spec, scenario)
        self.records = tuple(f"round_closed:{r.name}" for r in spec.rounds)
        measures = sorted({c.measure for r in spec.rounds for c in r.requires})
        # running cash is only needed when a round is conditional on it
        self.track_cash = "cash" in measures
        self.reads = tuple(m for m in measures if m != "cash") + (
            ("free_cash_flow",) if self.track_cash else ()
        )

    def draws(self) -> dict[str, tuple[Dist, str]]:
        return {
            f"funding.rounds.{i}.close_draw": chance_draw()
            for i, r in enumerate(self.spec.rounds)
            if not _certain(r)
        }

    def opening_cash(self, ctx: Ctx) -> np.ndarray:
        return np.broadcast_to(ctx.p[self.spec.starting_cash], (ctx.n,)).astype(float)

    def prepare(self, ctx: Ctx) -> None:
        self.by_month: dict[int, list[tuple[Round, np.ndarray, np.ndarray]]] = {}
        for i, r in enumerate(self.spec.rounds):
            lucky = (
                np.ones(ctx.n, dtype=bool)
                if _certain(r)
                else ctx.p.get(f"funding.rounds.{i}.close_draw") < ctx.p[r.close_probability]
            )
            self.by_month.setdefault(r.month - 1, []).append((r, ctx.p[r.amount], lucky))
        self.cash = self.opening_cash(ctx).copy()
        self.closed = {r.name: np.zeros(ctx.n) for r in self.spec.rounds}

    def _measure(self, ctx: Ctx, name: str) -> Any:
        return self.cash if name == "cash" else ctx.measure(name)  # cash before this round

    def step(self, ctx: Ctx, t: int) -> None:
        raised = np.zeros(ctx.n)
        for r, amount, lucky in self.by_month.get(t, ()):
            ok = lucky.copy()
            for cond in r.requires:
                ok &= self._measure(ctx, cond.measure) >= cond.at_least
            raised = raised + np.where(ok, amount, 0.0)
            self.closed[r.name] = self.closed[r.name] + ok
        ctx.book("funding.equity", t, raised)
        for name, v in self.closed.items():
            ctx.record(f"round_closed:{name}", t, v)
        if self.track_cash:
            self.cash = self.cash + ctx.read("free_cash_flow") + raised

    def formulas(self, cells: Cells, t: int) -> dict[str, str]:
        """A round is its amount in its month: certain and unconditional, or times whether it
        closed (the month's step of its round_closed count)."""
        parts = []
        for r in self.spec.rounds:
            if r.month - 1 != t:
                continue
            amount = cells.input(r.amount)
            if _certain(r) and not r.requires:
                parts.append(amount)
                continue
            now = cells.row(f"round_closed:{r.name}", t)
            before = cells.row(f"round_closed:{r.name}", t - 1) if t else "0"
            if now is None or before is None:
                return {}
            parts.append(f"{amount}*({now}-{before})")
        return {"funding.equity": "+".join(parts) or "0"}
