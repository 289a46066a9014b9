"""Advertising, capped by attention: minutes × ad load → impressions, × fill rate × CPM.

Ads are shown to active users — to non-paying ones only unless subscribers see ads too; ad revenue
scales with attention (minutes per day), not with tokens (:mod:`breakeven.models.advertising`).
"""

from __future__ import annotations

from ..engine import F, Fraction, Positive, Section, kpi, line
from ..engine.block import Block, Ctx
from ..models.advertising import ad_revenue, impressions


class Ads(Section):
    """Advertising, capped by attention: minutes × ad load → impressions × fill × CPM."""

    minutes_per_user_per_day: Positive = F(
        "Minutes an active (non-paying) user spends per day.", "minutes/day"
    )
    ads_per_minute: Positive = F(
        "Ad load: impressions offered per minute of attention.", "ads/minute"
    )
    fill_rate: Fraction = F("Share of offered impressions sold.", "fraction", default=0.7)
    cpm: Positive = F("Revenue per thousand impressions sold.", "currency/1000 ads")
    paying_users_see_ads: bool = F("Whether subscribers also see ads.", default=False)


OUTPUTS = (
    line("revenue.ads", "Advertising", "广告", category="revenue", audience="consumer"),
    kpi(
        "ad_impressions",
        "Ad impressions",
        "广告展示次数",
        unit="impressions/month",
        category="usage",
        audience="consumer",
    ),
)


class AdsBlock(Block):
    section = "streams.ads"
    schema = Ads
    reads = ("active_users",)
    optional_reads = ("paying_users",)
    books = ("revenue.ads",)
    records = ("ad_impressions",)

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        self.minutes, self.load = p[s.minutes_per_user_per_day], p[s.ads_per_minute]
        self.fill, self.cpm = p[s.fill_rate], p[s.cpm]

    def step(self, ctx: Ctx, t: int) -> None:
        users = ctx.read("active_users")
        payers = None if self.spec.paying_users_see_ads else ctx.get("paying_users")
        if payers is not None:
            users = users - payers
        offered = impressions(users, self.minutes, self.load)
        ctx.book("revenue.ads", t, ad_revenue(offered, self.fill, self.cpm))
        ctx.record("ad_impressions", t, offered * self.fill)
