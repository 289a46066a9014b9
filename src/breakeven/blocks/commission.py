"""Commission: an assistant that brokers purchases earns a take rate on their value (GMV)."""

from __future__ import annotations

from ..engine import F, Fraction, Positive, Section, kpi, line
from ..engine.block import Block, Ctx


class Commission(Section):
    """An assistant that brokers purchases and takes a cut."""

    transacting_share: Fraction = F(
        "Share of active users who buy through the assistant in a month.", "fraction"
    )
    gmv_per_transacting_user_per_month: Positive = F(
        "Value bought per transacting user.", "currency/month"
    )
    take_rate: Fraction = F("Commission on that value.", "fraction")


OUTPUTS = (
    line("revenue.commission", "Commission", "佣金", category="revenue", audience="consumer"),
    kpi(
        "gmv",
        "GMV",
        "交易额（GMV）",
        unit="currency/month",
        category="economics",
        audience="consumer",
    ),
    kpi(
        "transacting_users",
        "Transacting users",
        "交易用户",
        unit="users",
        category="users",
        audience="consumer",
        rank=8,
    ),
)


class CommissionBlock(Block):
    section = "streams.commission"
    schema = Commission
    reads = ("active_users",)
    books = ("revenue.commission",)
    records = ("gmv", "transacting_users")

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        self.share, self.gmv, self.take = (
            p[s.transacting_share],
            p[s.gmv_per_transacting_user_per_month],
            p[s.take_rate],
        )

    def step(self, ctx: Ctx, t: int) -> None:
        buyers = ctx.read("active_users") * self.share
        gmv = buyers * self.gmv
        ctx.book("revenue.commission", t, gmv * self.take)
        ctx.record("gmv", t, gmv)
        ctx.record("transacting_users", t, buyers)
