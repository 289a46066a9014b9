"""Usage per user and its heavy tail: requests, tokens, fair-use caps, the p50/p90/p99 user.

Usage across users is lognormal with mean 1 (in units of the average user) and log-sd σ
(``spread_sigma``): X = exp(−σ²/2 + σZ). A fair-use cap c serves at most c × mean, so the served
mean is E[min(X, c)] = Φ((ln c − σ²/2)/σ) + c·(1 − Φ((ln c + σ²/2)/σ)) (partial expectation of
the lognormal; e.g. Johnson, Kotz & Balakrishnan, *Continuous Univariate Distributions* vol. 1,
ch. 14).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from ..engine.blocks import Block, Ctx, register
from ..scenario.types import MONTH_DAYS


def capped_mean_factor(sigma: np.ndarray, cap: np.ndarray | None) -> np.ndarray:
    """E[min(X, cap)] for X lognormal with mean 1 and log-sd sigma (1 when there is no cap)."""
    sigma = np.asarray(sigma, dtype=float)
    if cap is None:
        return np.ones_like(sigma)
    cap = np.asarray(cap, dtype=float)
    s = np.maximum(sigma, 1e-12)
    lc = np.log(cap)
    below = special.ndtr((lc - s * s / 2) / s)
    above = 1.0 - special.ndtr((lc + s * s / 2) / s)
    out = below + cap * above
    return np.where(sigma > 0, out, np.minimum(1.0, cap))


def user_quantile_factor(sigma: np.ndarray, q: float, cap: np.ndarray | None) -> np.ndarray:
    """Usage of the user at quantile q, in units of the mean user (capped if a cap is set)."""
    sigma = np.asarray(sigma, dtype=float)
    x = np.exp(-sigma * sigma / 2 + sigma * special.ndtri(q))
    return x if cap is None else np.minimum(x, cap)


@dataclass
class UsageProfile:
    """Per-sample usage of one kind of user: requests/month, tokens/request, spread and cap."""

    requests_per_month: np.ndarray
    input_tokens_per_request: np.ndarray
    output_tokens_per_request: np.ndarray
    sigma: np.ndarray
    cap: np.ndarray | None

    @classmethod
    def from_spec(cls, spec, p) -> "UsageProfile":
        return cls(p[spec.requests_per_day] * MONTH_DAYS, p[spec.input_tokens_per_request],
                   p[spec.output_tokens_per_request], p[spec.spread_sigma],
                   p[spec.cap_multiple_of_mean] if spec.cap_multiple_of_mean is not None
                   else None)

    def __post_init__(self):
        # mean usage actually served per average user (below 1 when a cap cuts the tail)
        self.served_factor = capped_mean_factor(self.sigma, self.cap)

    def add_tokens(self, ctx: Ctx, units: np.ndarray) -> None:
        """Add the requests and tokens of ``units`` average users to this month's demand."""
        req = units * self.requests_per_month * self.served_factor
        ctx.add("requests", req)
        ctx.add("input_tokens", req * self.input_tokens_per_request)
        ctx.add("output_tokens", req * self.output_tokens_per_request)


@register("usage")
class ConsumerUsageBlock(Block):
    """Turns the consumer side's usage units (active users, heavier subscribers) into tokens."""

    @classmethod
    def from_scenario(cls, sc):
        return [cls()] if sc.market.consumer is not None else []

    def step(self, ctx: Ctx, t: int) -> None:
        units = ctx.state.get("consumer_usage_units")
        if units is not None:
            ctx.state_static["consumer_usage"].add_tokens(ctx, units)
