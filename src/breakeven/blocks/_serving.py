"""What every serving mode shares: it costs the tokens the demand blocks ask for.

A serving mode reads the month's demand (requests, input and output tokens added by consumers,
seats, devices, API customers and top-ups), books its cost on cost of revenue, records the served
volume, and shares its cost per input and output token for unit economics.

A plan may name further serving modes under ``compute.routes``; each is a block of its mode's
class for that route, reading the demand sent there (``demand_requests@<route>``…) and sharing
its costs per token under the route's name. In a plan with routes every mode records its volume
and cost as ``requests@<route>``, ``serving_cost@<route>``… (``@default`` for compute.serving),
and the totals over routes are recorded under the plain names (:mod:`.serving_totals`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..engine import kpi, line
from ..engine.block import Block, Ctx, Read
from ..engine.fields import Loc
from ..engine.inputs import InputTable
from ..models.pricing import token_cost
from ._usage import DEMAND, route_keys

OUTPUTS = (
    line("cogs.inference", "Inference (serving)", "推理服务", category="serving"),
    kpi("requests", "Requests", "请求数", unit="requests/month", category="usage"),
    kpi("input_tokens", "Input tokens", "输入 token", unit="tokens/month", category="usage"),
    kpi("output_tokens", "Output tokens", "输出 token", unit="tokens/month", category="usage"),
    kpi("requests@{route}", "Requests", "请求数", unit="requests/month", category="usage"),
    kpi(
        "input_tokens@{route}", "Input tokens", "输入 token", unit="tokens/month", category="usage"
    ),
    kpi(
        "output_tokens@{route}",
        "Output tokens",
        "输出 token",
        unit="tokens/month",
        category="usage",
    ),
    kpi(
        "serving_cost@{route}",
        "Serving cost",
        "推理成本",
        unit="currency/month",
        category="economics",
        doc="What the route books on cost of revenue in a month (inference, or power and hosting "
        "of owned GPUs, whose depreciation is below EBITDA).",
    ),
)


def routes_of(sc: Any) -> dict[str, Any]:
    """The plan's named serving modes (compute.routes), or none."""
    compute = getattr(sc, "compute", None)
    return dict(getattr(compute, "routes", None) or {})


class ServingBlock(Block):
    """Base of the serving modes: prices tokens per million, books cogs.inference."""

    abstract = True
    optional_reads: tuple[Read, ...] = DEMAND
    writes: tuple[str, ...] = ("cost_per_input_token", "cost_per_output_token")
    books: tuple[str, ...] = ("cogs.inference",)
    # the plain names, and the names of a route's (in a plan with routes)
    records: tuple[str, ...] = (
        "requests",
        "input_tokens",
        "output_tokens",
        "requests@{route}",
        "input_tokens@{route}",
        "output_tokens@{route}",
        "serving_cost@{route}",
    )

    def __init__(self, spec: Any, scenario: Any, route: str | None = None):
        super().__init__(spec, scenario)
        self.route = route
        if route is not None:
            self.path = f"compute.routes.{route}.{str(self.section).rsplit('.', 1)[-1]}"
        self.demand_keys = route_keys(DEMAND, route)
        self.cost_keys = route_keys(("cost_per_input_token", "cost_per_output_token"), route)
        self.optional_reads = self.demand_keys + tuple(
            k for k in type(self).optional_reads if k not in DEMAND
        )
        self.writes = self.cost_keys
        self.routed = bool(routes_of(scenario))
        plain = [k for k in self.records if "@" not in k]
        if self.routed:
            plain.append("serving_cost")
        self.records = tuple(self.kpi(k) for k in plain)

    @classmethod
    def from_scenario(cls, sc: Any) -> list[Block]:
        """One block for compute.serving's mode, and one per route of this mode."""
        out = super().from_scenario(sc)
        mode = str(cls.section).rsplit(".", 1)[-1]
        for name, choice in routes_of(sc).items():
            spec = getattr(choice, mode, None)
            if spec is not None:
                out.append(cls(spec, sc, route=name))
        return out

    def headroom_problems(self, inputs: InputTable) -> Iterable[tuple[Loc, str, Any]]:
        """Capacity is sized as peak traffic ÷ target_utilisation: a share that can be 0 has no
        capacity to size (modes with a ``target_utilisation`` call this from ``problems``)."""
        share = self.spec.target_utilisation
        if inputs.reaches(share, 0.0):
            yield (
                ("target_utilisation",),
                "must be above 0%: capacity is sized as peak traffic ÷ this share",
                share.raw,
            )

    def kpi(self, name: str) -> str:
        """This mode's name for a KPI: ``name@<route>`` in a plan with routes."""
        return f"{name}@{self.route or 'default'}" if self.routed else name

    def prices_per_million(self, ctx: Ctx, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Cost per million input and output tokens in month t (plan currency)."""
        raise TypeError(f"{type(self).__name__} must define prices_per_million")

    def demand(self, ctx: Ctx) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """This month's requests, input tokens and output tokens (zeros if nothing asks)."""
        zero = np.zeros(ctx.n)
        req, tin, tout = (ctx.get(k, zero) for k in self.demand_keys)
        return req, tin, tout

    def share_costs(self, ctx: Ctx, per_input: np.ndarray, per_output: np.ndarray) -> None:
        """Share this month's cost per input and output token (currency per token)."""
        ctx.write(self.cost_keys[0], per_input)
        ctx.write(self.cost_keys[1], per_output)

    def record_volume(
        self,
        ctx: Ctx,
        t: int,
        req: np.ndarray,
        tin: np.ndarray,
        tout: np.ndarray,
        cost: np.ndarray | None = None,
    ) -> None:
        """Record the volume served (and, in a plan with routes, its cost)."""
        ctx.record(self.kpi("requests"), t, req)
        ctx.record(self.kpi("input_tokens"), t, tin)
        ctx.record(self.kpi("output_tokens"), t, tout)
        if self.routed and cost is not None:
            ctx.record(self.kpi("serving_cost"), t, cost)

    def step(self, ctx: Ctx, t: int) -> None:
        req, tin, tout = self.demand(ctx)
        pin, pout = self.prices_per_million(ctx, t)
        cost = token_cost(tin, tout, pin, pout)
        ctx.book("cogs.inference", t, cost)
        self.share_costs(ctx, pin / 1e6, pout / 1e6)
        self.record_volume(ctx, t, req, tin, tout, cost)
