"""To-consumer demand: Bass diffusion plus paid acquisition, churn by cohort age, reactivation.

Monthly discrete Bass model (Bass 1969, "A New Product Growth Model for Consumer Durables",
Management Science 15(5)): new organic adopters in a month are
    (p/12 + (q/12) * active / M) * (M - ever_adopted)
with p, q the annual coefficients of innovation and imitation; word of mouth comes from users
still active. Paid acquisition adds budget / CAC users from the same remaining market, with CAC
rising as the market fills: CAC * (remaining share)^-k. New users churn at the early rate for
their first months (a retention curve by cohort), then at the settled rate; a share of lapsed
users comes back each month.
"""

from __future__ import annotations

import numpy as np

from ..engine.blocks import Block, Ctx, register
from .usage import UsageProfile


def bass_new_adopters(market_size: np.ndarray, ever_adopted: np.ndarray, active: np.ndarray,
                      p_per_year: np.ndarray, q_per_year: np.ndarray) -> np.ndarray:
    """Organic adopters this month from the Bass hazard on the not-yet-adopted market."""
    remaining = np.maximum(market_size - ever_adopted, 0.0)
    hazard = p_per_year / 12.0 + (q_per_year / 12.0) * active / market_size
    return np.minimum(hazard, 1.0) * remaining


def saturating_cac(cost_per_user: np.ndarray, remaining_share: np.ndarray,
                   exponent: np.ndarray) -> np.ndarray:
    """CAC once part of the market is reached: CAC × remaining_share^-k (cheap users go first).
    The remaining share is floored at 0.1%: past that the market is exhausted (and the users
    bought are capped by what is left anyway)."""
    return cost_per_user * np.power(np.maximum(remaining_share, 1e-3), -exponent)


def paid_new_users(budget: np.ndarray, cost_per_user: np.ndarray, room: np.ndarray) -> np.ndarray:
    """Users bought this month: budget / CAC, never more than the market left."""
    return np.minimum(budget / cost_per_user, np.maximum(room, 0.0))


@register("demand")
class ConsumerMarketBlock(Block):
    lines = ("opex.marketing",)
    kpis = ("active_users", "new_users", "paid_new_users", "reactivated_users", "churned_users",
            "cac")

    def __init__(self, spec):
        self.spec = spec

    @classmethod
    def from_scenario(cls, sc):
        return [cls(sc.market.consumer)] if sc.market.consumer is not None else []

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        self.M = p[s.market_size]
        self.pp, self.qq = p[s.innovation_per_year], p[s.imitation_per_year]
        self.churn = p[s.churn_per_month]
        if s.retention is not None:
            self.early_churn = p[s.retention.early_churn_per_month]
            self.early = np.zeros((s.retention.early_months, ctx.n))  # users by age in months
        else:
            self.early = None
        pa = s.paid_acquisition
        if pa is not None:
            self.budget = pa.budget_per_month.monthly(p, ctx.months)
            self.cac = p[pa.cost_per_user]
            self.sat = p[pa.saturation_exponent]
        else:
            self.budget = None
        self.react = p[s.reactivation_per_month]
        self.settled = np.zeros(ctx.n)
        self.ever = np.zeros(ctx.n)
        self.lapsed = np.zeros(ctx.n)
        self.profile = UsageProfile.from_spec(s.usage, p)
        ctx.state_static["consumer_usage"] = self.profile

    def step(self, ctx: Ctx, t: int) -> None:
        active_prev = self.settled + (self.early.sum(axis=0) if self.early is not None else 0.0)
        organic = bass_new_adopters(self.M, self.ever, active_prev, self.pp, self.qq)
        if self.budget is not None:
            cac = saturating_cac(self.cac, 1.0 - (self.ever + organic) / self.M, self.sat)
            paid = paid_new_users(self.budget[t], cac, self.M - self.ever - organic)
            ctx.book("opex.marketing", t, paid * cac)
            ctx.record("cac", t, cac)
        else:
            paid = np.zeros(ctx.n)
        new = organic + paid
        back = self.lapsed * self.react
        churned = self.settled * self.churn
        self.settled = self.settled - churned + back
        if self.early is not None:
            e = self.early
            gone = e * self.early_churn
            churned = churned + gone.sum(axis=0)
            e -= gone
            self.settled = self.settled + e[-1]  # the oldest early cohort settles
            e[1:] = e[:-1].copy()
            e[0] = new
            active = self.settled + e.sum(axis=0)
        else:
            self.settled = self.settled + new
            active = self.settled
        self.lapsed = self.lapsed + churned - back
        self.ever = self.ever + new
        ctx.state["active_users"] = active
        ctx.add("consumer_usage_units", active)  # in average-user units; tiers add extra
        for k, v in (("active_users", active), ("new_users", new), ("paid_new_users", paid),
                     ("reactivated_users", back), ("churned_users", churned)):
            ctx.record(k, t, v)
