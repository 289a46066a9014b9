"""Commission: an assistant that brokers purchases earns a take rate on their value (GMV)."""

from __future__ import annotations

from ..engine.blocks import Block, Ctx, register


@register("revenue")
class CommissionBlock(Block):
    lines = ("revenue.commission",)
    kpis = ("gmv", "transacting_users")

    def __init__(self, spec):
        self.spec = spec

    @classmethod
    def from_scenario(cls, sc):
        return [cls(sc.streams.commission)] if sc.streams.commission is not None else []

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        self.share, self.gmv, self.take = (p[s.transacting_share],
                                           p[s.gmv_per_transacting_user_per_month], p[s.take_rate])

    def step(self, ctx: Ctx, t: int) -> None:
        buyers = ctx.state["active_users"] * self.share
        gmv = buyers * self.gmv
        ctx.book("revenue.commission", t, gmv * self.take)
        ctx.record("gmv", t, gmv)
        ctx.record("transacting_users", t, buyers)
