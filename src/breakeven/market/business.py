"""To-business demand: a pipeline of enterprises by segment, and seats adopted inside won accounts.

Stages: no plans → exploring → piloting (no budget) → budgeted → deployed; pilots can be
abandoned; budgeted accounts sign after a sales cycle (exponential delay with the given mean);
deployed contracts renew at a yearly rate (spread monthly). Inside a won account, employees adopt
by a Bass diffusion with resistance (a share never adopts): adopted share s(a) after a months,
s(a+1) = s(a) + (p + q·s(a)/S)·(S − s(a)), S = 1 − resistance. Seats in month t sum cohorts of
accounts deployed earlier: Σ_a new_deployed[t−a] · survival^a · s(a+1) · seats per account.
Paid seats = used seats / (1 − unused share). Each segment's figures are published in
``ctx.state['segments']`` for the enterprise stream, which prices segments differently.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine.blocks import Block, Ctx, register
from .usage import UsageProfile


def within_org_adoption(p: np.ndarray, q: np.ndarray, resistance: np.ndarray, months: int
                        ) -> np.ndarray:
    """Adopted share of an account's employees after 1..months months, shape (months, n)."""
    S = 1.0 - resistance
    s = np.zeros_like(S)
    out = np.empty((months,) + np.shape(S))
    for a in range(months):
        hazard = np.minimum(p + q * np.divide(s, S, out=np.zeros_like(s), where=S > 0), 1.0)
        s = s + hazard * (S - s)
        out[a] = s
    return out


@dataclass
class SegmentMonth:
    """One segment's figures in the current month (arrays over samples)."""

    spec: object
    new_deployments: np.ndarray
    deployed: np.ndarray
    piloting: np.ndarray
    paid_seats: np.ndarray
    private_new: np.ndarray
    private_deployed: np.ndarray


KPIS = ("exploring_accounts", "piloting_accounts", "budgeted_accounts", "deployed_accounts",
        "new_deployments", "abandoned_pilots", "seats", "paid_seats")


@register("demand")
class BusinessMarketBlock(Block):
    lines = ()
    kpis = KPIS

    def __init__(self, spec):
        self.spec = spec

    @classmethod
    def from_scenario(cls, sc):
        return [cls(sc.market.business)] if sc.market.business is not None else []

    def prepare(self, ctx: Ctx) -> None:
        p, H = ctx.p, ctx.months
        self.segs = []
        for seg in self.spec.segments:
            acc = p[seg.accounts]
            mix = {k.value if hasattr(k, "value") else k: v for k, v in seg.stage_mix.items()}
            st = {k: acc * mix.get(k, 0.0) for k in ("no_plans", "exploring", "piloting",
                                                      "budgeted")}
            surv = np.power(p[seg.renewal_per_year], 1.0 / 12.0)
            adopt = within_org_adoption(p[seg.seat_innovation_per_month],
                                        p[seg.seat_imitation_per_month], p[seg.resistance], H)
            ages = np.arange(H)[:, None]
            weight = np.power(surv, ages) * adopt  # seats per deployed account by cohort age
            self.segs.append(dict(
                spec=seg, st=st, deployed=np.zeros(ctx.n), new_hist=np.zeros((H, ctx.n)),
                weight=weight * p[seg.seats_per_account], surv=surv,
                explore=p[seg.start_exploring_per_month], pilot=p[seg.start_pilot_per_month],
                budget=p[seg.get_budget_per_month], abandon=p[seg.abandon_pilot_per_month],
                sign=np.minimum(1.0 / np.maximum(p[seg.sales_cycle_months], 1e-9), 1.0),
                unused=p[seg.unused_paid_seats], private=p[seg.private_deployment_share]))
        self.profile = UsageProfile.from_spec(self.spec.usage, p) if self.spec.usage else None

    def step(self, ctx: Ctx, t: int) -> None:
        tot = {k: np.zeros(ctx.n) for k in KPIS}
        private_seats = np.zeros(ctx.n)
        months = []
        for g in self.segs:
            st = g["st"]
            to_explore = st["no_plans"] * g["explore"]
            to_pilot = st["exploring"] * g["pilot"]
            abandoned = st["piloting"] * g["abandon"]
            to_budget = st["piloting"] * g["budget"]
            signed = st["budgeted"] * g["sign"]
            st["no_plans"] = st["no_plans"] - to_explore
            st["exploring"] = st["exploring"] + to_explore - to_pilot
            st["piloting"] = st["piloting"] + to_pilot - abandoned - to_budget
            st["budgeted"] = st["budgeted"] + to_budget - signed
            g["deployed"] = g["deployed"] * g["surv"] + signed
            g["new_hist"][t] = signed
            # seats: cohorts deployed in months 0..t, newest first, weighted by age
            seats = np.einsum("an,an->n", g["new_hist"][t::-1], g["weight"][:t + 1])
            paid = seats / (1.0 - g["unused"])
            for k, v in (("exploring_accounts", st["exploring"]),
                         ("piloting_accounts", st["piloting"]),
                         ("budgeted_accounts", st["budgeted"]),
                         ("deployed_accounts", g["deployed"]), ("new_deployments", signed),
                         ("abandoned_pilots", abandoned), ("seats", seats), ("paid_seats", paid)):
                tot[k] = tot[k] + v
            private_seats = private_seats + seats * g["private"]
            months.append(SegmentMonth(g["spec"], signed, g["deployed"], st["piloting"], paid,
                                       signed * g["private"], g["deployed"] * g["private"]))
        for k, v in tot.items():
            ctx.record(k, t, v)
            ctx.state[k] = v
        ctx.state["segments"] = months
        if self.profile is not None:  # private deployments run on the customer's hardware
            self.profile.add_tokens(ctx, tot["seats"] - private_seats)
