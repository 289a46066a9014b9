"""What every serving mode shares: it costs the tokens the demand blocks ask for.

A serving mode reads the month's demand (requests, input and output tokens added by consumers,
seats, devices, API customers and top-ups), books its cost on cost of revenue, records the served
volume, and shares its cost per input and output token for unit economics.
"""

from __future__ import annotations

import numpy as np

from ..engine import kpi, line
from ..engine.block import Block, Ctx, Read
from ..models.pricing import token_cost
from ._usage import DEMAND

OUTPUTS = (
    line("cogs.inference", "Inference (serving)", "推理服务", category="serving"),
    kpi("requests", "Requests", "请求数", unit="requests/month", category="usage"),
    kpi("input_tokens", "Input tokens", "输入 token", unit="tokens/month", category="usage"),
    kpi("output_tokens", "Output tokens", "输出 token", unit="tokens/month", category="usage"),
)


class ServingBlock(Block):
    """Base of the serving modes: prices tokens per million, books cogs.inference."""

    abstract = True
    optional_reads: tuple[Read, ...] = DEMAND
    writes: tuple[str, ...] = ("cost_per_input_token", "cost_per_output_token")
    books: tuple[str, ...] = ("cogs.inference",)
    records: tuple[str, ...] = ("requests", "input_tokens", "output_tokens")

    def prices_per_million(self, ctx: Ctx, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Cost per million input and output tokens in month t (plan currency)."""
        raise TypeError(f"{type(self).__name__} must define prices_per_million")

    def demand(self, ctx: Ctx) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """This month's requests, input tokens and output tokens (zeros if nothing asks)."""
        zero = np.zeros(ctx.n)
        return tuple(ctx.get(k, zero) for k in DEMAND)

    def record_volume(
        self, ctx: Ctx, t: int, req: np.ndarray, tin: np.ndarray, tout: np.ndarray
    ) -> None:
        ctx.record("requests", t, req)
        ctx.record("input_tokens", t, tin)
        ctx.record("output_tokens", t, tout)

    def step(self, ctx: Ctx, t: int) -> None:
        req, tin, tout = self.demand(ctx)
        pin, pout = self.prices_per_million(ctx, t)
        ctx.book("cogs.inference", t, token_cost(tin, tout, pin, pout))
        ctx.write("cost_per_input_token", pin / 1e6)
        ctx.write("cost_per_output_token", pout / 1e6)
        self.record_volume(ctx, t, req, tin, tout)
