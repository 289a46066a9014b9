"""Turns the consumer side's usage (active users, and subscribers' heavier use) into tokens.

Runs after every block that adds usage units (active users, extra units of paid tiers) and adds
the month's requests and tokens for the serving mode to cost.
"""

from __future__ import annotations

from typing import Any

from ..engine.block import Block, Ctx
from ._usage import DEMAND, route_keys


class ConsumerUsageBlock(Block):
    section = "market.consumer"
    reads = ("consumer_usage_units", "consumer_usage")
    adds: tuple[str, ...] = DEMAND
    consumed = ("demand_input_tokens",)

    def __init__(self, spec: Any, scenario: Any):
        super().__init__(spec, scenario)
        self.adds = route_keys(DEMAND, spec.served_by)  # the route serving free users
        self.consumed = (self.adds[1],)

    def step(self, ctx: Ctx, t: int) -> None:
        ctx.read("consumer_usage").add_tokens(ctx, ctx.read("consumer_usage_units"), self.adds)
