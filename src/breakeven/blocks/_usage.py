"""Usage per user, seat or device: the section shared by the demand blocks, and its profile."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from ..engine import F, NonNegative, Positive, Section
from ..engine.block import Ctx
from ..engine.fields import ParamLookup
from ..models.units import MONTH_DAYS
from ..models.usage import capped_mean_factor, user_serving_cost

# The shared values every demand block adds its tokens to, and every serving mode reads.
DEMAND = ("demand_requests", "demand_input_tokens", "demand_output_tokens")


def route_keys(keys: tuple[str, ...], route: str | None) -> tuple[str, ...]:
    """Shared values of a route (compute.routes): ``demand_requests@<route>``…; the plain names
    for compute.serving (no route, or ``default``)."""
    if route is None or route == "default":
        return keys
    return tuple(f"{k}@{route}" for k in keys)


def served_by() -> Any:
    """The ``served_by`` field of a tier or stream."""
    return F(
        "The route (a name under compute.routes) that serves these requests; default: "
        "compute.serving (or `default`).",
        default=None,
    )


class Usage(Section):
    """How much an active user (or seat, or device) asks of the model."""

    requests_per_day: Positive = F(
        "Requests an average user sends per day (the mean).", "requests/day"
    )
    input_tokens_per_request: Positive = F(
        "Prompt tokens per request, including system prompt and conversation history.", "tokens"
    )
    output_tokens_per_request: Positive = F("Generated tokens per request.", "tokens")
    spread_sigma: NonNegative = F(
        "Heavy tail of usage across users: σ of log usage (lognormal with the given mean). "
        "0 = everyone alike; 0.5 → p90 user 1.7× the mean, p99 2.8×; 0.8 → 2.0× and 4.6×; "
        "1.2 → 2.3× and 8.3×.",
        "",
        default=0,
    )
    cap_multiple_of_mean: Positive | None = F(
        "Fair-use limit: no user is served more than this multiple of the mean usage (the "
        "heavy tail is cut off; lowers serving cost).",
        "×mean",
        default=None,
    )


@dataclass
class UsageProfile:
    """Per-sample usage of one kind of user: requests/month, tokens/request, spread and cap."""

    spec: Usage
    requests_per_month: np.ndarray
    input_tokens_per_request: np.ndarray
    output_tokens_per_request: np.ndarray
    sigma: np.ndarray
    cap: np.ndarray | None

    @classmethod
    def from_spec(cls, spec: Usage, p: ParamLookup) -> UsageProfile:
        return cls(
            spec,
            p[spec.requests_per_day] * MONTH_DAYS,
            p[spec.input_tokens_per_request],
            p[spec.output_tokens_per_request],
            p[spec.spread_sigma],
            p[spec.cap_multiple_of_mean] if spec.cap_multiple_of_mean is not None else None,
        )

    def __post_init__(self) -> None:
        # mean usage actually served per average user (below 1 when a cap cuts the tail)
        self.served_factor = capped_mean_factor(self.sigma, self.cap)
        self._last_cost: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    @cached_property
    def served_tokens_per_month(self) -> np.ndarray:
        """Input + output tokens served in a month to one average user (after the fair-use cap,
        as :meth:`add_tokens` serves them): fixed for the run, computed once."""
        req = self.requests_per_month * self.served_factor
        return np.asarray(
            req * self.input_tokens_per_request + req * self.output_tokens_per_request
        )

    def add_tokens(self, ctx: Ctx, units: np.ndarray, keys: tuple[str, ...] = DEMAND) -> None:
        """Add the requests and tokens of ``units`` average users to this month's demand (of
        compute.serving, or of the route whose ``keys`` are given)."""
        req = units * self.requests_per_month * self.served_factor
        ctx.add(keys[0], req)
        ctx.add(keys[1], req * self.input_tokens_per_request)
        ctx.add(keys[2], req * self.output_tokens_per_request)

    def serving_cost(
        self, cost_per_input_token: np.ndarray, cost_per_output_token: np.ndarray
    ) -> np.ndarray:
        """Monthly serving cost of the mean user, uncapped (× a usage factor for others).

        Unit economics, payer margins and tier economics all ask for it with the month's same
        cost arrays: the last answer is kept with the arrays it was computed from (held, so
        compared by identity safely) and given again for the same ones."""
        last = self._last_cost
        if (
            last is not None
            and last[0] is cost_per_input_token
            and last[1] is cost_per_output_token
        ):
            return last[2]
        cost = user_serving_cost(
            1.0,
            self.requests_per_month,
            self.input_tokens_per_request,
            self.output_tokens_per_request,
            cost_per_input_token,
            cost_per_output_token,
        )
        self._last_cost = (cost_per_input_token, cost_per_output_token, cost)
        return cost
