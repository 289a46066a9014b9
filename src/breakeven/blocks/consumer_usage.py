"""Turns the consumer side's usage (active users, and subscribers' heavier use) into tokens.

Runs after every block that adds usage units (active users, extra units of paid tiers) and adds
the month's requests and tokens for the serving mode to cost.
"""

from __future__ import annotations

from ..engine.block import Block, Ctx
from ._usage import DEMAND


class ConsumerUsageBlock(Block):
    section = "market.consumer"
    reads = ("consumer_usage_units", "consumer_usage")
    adds = DEMAND
    consumed = ("demand_input_tokens",)

    def step(self, ctx: Ctx, t: int) -> None:
        ctx.read("consumer_usage").add_tokens(ctx, ctx.read("consumer_usage_units"))
