"""To-consumer demand: Bass diffusion plus paid acquisition, with monthly churn, and usage.

Monthly discrete Bass model (Bass 1969, "A New Product Growth for Model Consumer Durables",
Management Science 15(5)): new organic adopters in a month are
    (p/12 + (q/12) * active / M) * (M - ever_adopted)
with p, q the annual coefficients of innovation and imitation. Word of mouth comes from users
still active. Paid acquisition adds budget / CAC users from the same remaining market.
"""

from __future__ import annotations

import numpy as np

from ..engine.blocks import Block, Ctx, register
from ..scenario.types import MONTH_DAYS


def bass_new_adopters(market_size: np.ndarray, ever_adopted: np.ndarray, active: np.ndarray,
                      p_per_year: np.ndarray, q_per_year: np.ndarray) -> np.ndarray:
    """Organic adopters this month from the Bass hazard on the not-yet-adopted market."""
    remaining = np.maximum(market_size - ever_adopted, 0.0)
    hazard = p_per_year / 12.0 + (q_per_year / 12.0) * active / market_size
    return np.minimum(hazard, 1.0) * remaining


def paid_new_users(budget: np.ndarray, cost_per_user: np.ndarray, room: np.ndarray) -> np.ndarray:
    """Users bought this month: budget / CAC, never more than the market left."""
    return np.minimum(budget / cost_per_user, np.maximum(room, 0.0))


def monthly_tokens(active: np.ndarray, requests_per_day: np.ndarray,
                   tokens_per_request: np.ndarray) -> np.ndarray:
    """Tokens per month for ``active`` users (average month of 365.25/12 days)."""
    return active * requests_per_day * MONTH_DAYS * tokens_per_request


@register
class ConsumerMarketBlock(Block):
    lines = ("opex.marketing",)
    kpis = ("active_users", "new_users", "paid_new_users", "reactivated_users", "requests", "input_tokens",
            "output_tokens")

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
        if s.paid_acquisition is not None:
            self.budget = s.paid_acquisition.budget_per_month.monthly(p, ctx.months)
            self.cac = p[s.paid_acquisition.cost_per_user]
        else:
            self.budget = None
        u = s.usage
        self.req = p[u.requests_per_day]
        self.tin, self.tout = p[u.input_tokens_per_request], p[u.output_tokens_per_request]
        self.react = p[s.reactivation_per_month]
        self.active = np.zeros(ctx.n)
        self.ever = np.zeros(ctx.n)
        self.lapsed = np.zeros(ctx.n)

    def step(self, ctx: Ctx, t: int) -> None:
        organic = bass_new_adopters(self.M, self.ever, self.active, self.pp, self.qq)
        if self.budget is not None:
            paid = paid_new_users(self.budget[t], self.cac, self.M - self.ever - organic)
            ctx.book("opex.marketing", t, paid * self.cac)
        else:
            paid = np.zeros(ctx.n)
        new = organic + paid
        churned = self.active * self.churn
        back = self.lapsed * self.react
        self.lapsed = self.lapsed + churned - back
        self.active = self.active - churned + back + new
        self.ever = self.ever + new
        requests = self.active * self.req * MONTH_DAYS
        st = ctx.state
        st["active_users"] = self.active
        st["input_tokens"] = requests * self.tin
        st["output_tokens"] = requests * self.tout
        ctx.record("reactivated_users", t, back)
        for k, v in (("active_users", self.active), ("new_users", new), ("paid_new_users", paid),
                     ("requests", requests), ("input_tokens", st["input_tokens"]),
                     ("output_tokens", st["output_tokens"])):
            ctx.record(k, t, v)
