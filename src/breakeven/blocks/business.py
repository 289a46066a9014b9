"""To-business demand: a pipeline of enterprises by segment, and seats adopted inside won accounts.

Stages: no plans → exploring → piloting (no budget) → budgeted → deployed; pilots can be
abandoned; budgeted accounts sign after a sales cycle (exponential delay with the given mean);
deployed contracts renew at a yearly rate (spread monthly). Inside a won account, employees adopt
by a Bass diffusion with resistance (:func:`breakeven.models.adoption.within_org_adoption`).
Seats in month t sum cohorts of accounts deployed earlier: Σ_a new_deployed[t−a] · survival^a ·
s(a+1) · seats per account. Paid seats = used seats / (1 − unused share). Each segment's figures
are shared as ``segments`` for the enterprise stream, which prices segments differently.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np
from pydantic import field_validator

from ..engine import F, Fraction, NonNegative, Positive, Section, kpi
from ..engine.block import Block, Ctx
from ..models.adoption import survival_by_age, within_org_adoption
from ._usage import DEMAND, Usage, UsageProfile


class Stage(str, Enum):
    no_plans = "no_plans"
    exploring = "exploring"
    piloting = "piloting"
    budgeted = "budgeted"


# Of 100 Chinese enterprises surveyed at the end of 2023: 7 had no plans for large models, 34
# were exploring use cases, 35 piloting without a budget, 24 had a clear budget (the survey cited
# in background/large-model-commercialisation-essay-2024-07.txt).
SURVEY_STAGE_MIX = {"no_plans": 0.07, "exploring": 0.34, "piloting": 0.35, "budgeted": 0.24}


class Segment(Section):
    """Enterprises of one size: how many, how they move from interest to a paid deployment."""

    name: str = F("Segment label, e.g. large.")
    accounts: Positive = F("Enterprises in the addressable segment.", "accounts")
    seats_per_account: Positive = F("Employees who could use the product in one account.", "seats")
    stage_mix: dict[Stage, float] = F(
        "Share of accounts in each stage at the start (no_plans, exploring, piloting, "
        "budgeted). Default: the end-2023 survey, 7% / 34% / 35% / 24%.",
        default_factory=lambda: dict(SURVEY_STAGE_MIX),
    )
    start_exploring_per_month: Fraction = F(
        "Share of no-plans accounts that start exploring each month.", "1/month", default=0.02
    )
    start_pilot_per_month: Fraction = F(
        "Share of exploring accounts that start a pilot with "
        "you each month (your win rate included).",
        "1/month",
    )
    get_budget_per_month: Fraction = F(
        "Share of piloting accounts that get a budget each month.", "1/month"
    )
    abandon_pilot_per_month: Fraction = F(
        "Share of piloting accounts that abandon each month.", "1/month", default=0.03
    )
    sales_cycle_months: Positive = F(
        "Mean months from budget to a signed, deployed contract.", "months", default=4
    )
    renewal_per_year: Fraction = F(
        "Share of contracts renewed at each anniversary (spread monthly).", "1/year", default=0.85
    )
    seat_innovation_per_month: Fraction = F(
        "Within a won account, monthly share of remaining employees adopting unprompted (Bass p "
        "inside the organisation).",
        "1/month",
        default=0.03,
    )
    seat_imitation_per_month: NonNegative = F(
        "Within a won account, adoption driven by colleagues (Bass q inside the organisation); "
        "large organisations adopt more slowly.",
        "1/month",
        default=0.15,
    )
    resistance: Fraction = F("Share of employees who never adopt.", "fraction", default=0.3)
    unused_paid_seats: Fraction = F(
        "Share of paid seats nobody uses (shelfware).", "fraction", default=0.15
    )
    private_deployment_share: Fraction = F(
        "Share of won accounts that require private (on-premises) deployment.",
        "fraction",
        default=0,
    )
    seat_price_multiple: Positive = F(
        "This segment's seat price relative to streams.enterprise's (e.g. 0.8: volume "
        "discount for large accounts).",
        "×",
        default=1,
    )
    deal_size_multiple: Positive = F(
        "This segment's per-account fees (platform, implementation, private deployment) "
        "relative to streams.enterprise's: a state-owned group's project can be 10–100× a small "
        "firm's.",
        "×",
        default=1,
    )
    account_cost_multiple: Positive = F(
        "This segment's per-account costs (integration, customisation, security, maintenance, "
        "pre-sales, private deployment) relative to streams.enterprise's.",
        "×",
        default=1,
    )
    payment_terms_days: NonNegative | None = F(
        "Days this segment takes to pay; default: streams.enterprise.payment_terms_days.",
        "days",
        default=None,
    )

    @field_validator("stage_mix")
    @classmethod
    def _mix(cls, v: dict[Stage, float]) -> dict[Stage, float]:
        total = sum(v.values())
        if not all(0 <= x <= 1 for x in v.values()) or abs(total - 1) > 1e-6:
            raise ValueError(
                f"stage shares must be fractions adding up to 1 (they add up to {total:.4g})"
            )
        return v


class BusinessMarket(Section):
    """To-business demand: a pipeline of enterprises by segment."""

    segments: list[Segment] = F("Segments of the market (large, medium, small…).", min_length=1)
    usage: Usage | None = F("Usage per active seat; drives tokens and serving cost.", default=None)


@dataclass
class SegmentMonth:
    """One segment's figures in the current month (arrays over samples)."""

    spec: Segment
    new_deployments: np.ndarray
    deployed: np.ndarray
    piloting: np.ndarray
    paid_seats: np.ndarray
    private_new: np.ndarray
    private_deployed: np.ndarray


KPIS = (
    "exploring_accounts",
    "piloting_accounts",
    "budgeted_accounts",
    "deployed_accounts",
    "new_deployments",
    "abandoned_pilots",
    "seats",
    "paid_seats",
)

OUTPUTS = (
    kpi(
        "exploring_accounts",
        "Exploring accounts",
        "探索中客户",
        unit="accounts",
        category="pipeline",
        audience="business",
    ),
    kpi(
        "piloting_accounts",
        "Piloting accounts",
        "试点客户",
        unit="accounts",
        category="pipeline",
        audience="business",
    ),
    kpi(
        "budgeted_accounts",
        "Budgeted accounts",
        "已立项客户",
        unit="accounts",
        category="pipeline",
        audience="business",
    ),
    kpi(
        "deployed_accounts",
        "Deployed accounts",
        "已部署客户",
        unit="accounts",
        category="users",
        audience="business",
        rank=3,
        per=3,
    ),
    kpi(
        "new_deployments",
        "New deployments",
        "新部署",
        unit="accounts/month",
        category="pipeline",
        audience="business",
    ),
    kpi(
        "abandoned_pilots",
        "Abandoned pilots",
        "放弃的试点",
        unit="accounts/month",
        category="pipeline",
        audience="business",
    ),
    kpi(
        "seats", "Seats", "席位", unit="seats", category="users", audience="business", rank=5, per=5
    ),
    kpi(
        "paid_seats",
        "Paid seats",
        "付费席位",
        unit="seats",
        category="users",
        audience="business",
        rank=4,
        per=4,
    ),
)


class BusinessMarketBlock(Block):
    section = "market.business"
    schema = BusinessMarket
    writes = ("segments", "segment_specs")
    records = KPIS

    def __init__(self, spec: BusinessMarket, scenario: Any):
        super().__init__(spec, scenario)
        if spec.usage is not None:
            self.adds = DEMAND
            self.consumed = ("demand_input_tokens",)

    def prepare(self, ctx: Ctx) -> None:
        p, H = ctx.p, ctx.months
        self.segs = []
        for seg in self.spec.segments:
            acc = p[seg.accounts]
            mix = {k.value if hasattr(k, "value") else k: v for k, v in seg.stage_mix.items()}
            st = {
                k: acc * mix.get(k, 0.0) for k in ("no_plans", "exploring", "piloting", "budgeted")
            }
            surv = np.power(p[seg.renewal_per_year], 1.0 / 12.0)
            adopt = within_org_adoption(
                p[seg.seat_innovation_per_month],
                p[seg.seat_imitation_per_month],
                p[seg.resistance],
                H,
            )
            weight = survival_by_age(surv, H) * adopt  # seats per deployed account by cohort age
            self.segs.append(
                dict(
                    spec=seg,
                    st=st,
                    deployed=np.zeros(ctx.n),
                    new_hist=np.zeros((H, ctx.n)),
                    weight=weight * p[seg.seats_per_account],
                    surv=surv,
                    explore=p[seg.start_exploring_per_month],
                    pilot=p[seg.start_pilot_per_month],
                    budget=p[seg.get_budget_per_month],
                    abandon=p[seg.abandon_pilot_per_month],
                    sign=np.minimum(1.0 / np.maximum(p[seg.sales_cycle_months], 1e-9), 1.0),
                    unused=p[seg.unused_paid_seats],
                    private=p[seg.private_deployment_share],
                )
            )
        self.profile = UsageProfile.from_spec(self.spec.usage, p) if self.spec.usage else None
        ctx.write("segment_specs", list(self.spec.segments))

    def step(self, ctx: Ctx, t: int) -> None:
        tot = {k: np.zeros(ctx.n) for k in KPIS}
        private_seats = np.zeros(ctx.n)
        months = []
        for g in self.segs:
            st = g["st"]
            to_explore = st["no_plans"] * g["explore"]
            to_pilot = st["exploring"] * g["pilot"]
            abandoned = st["piloting"] * g["abandon"]
            to_budget = st["piloting"] * g["budget"]
            signed = st["budgeted"] * g["sign"]
            st["no_plans"] = st["no_plans"] - to_explore
            st["exploring"] = st["exploring"] + to_explore - to_pilot
            st["piloting"] = st["piloting"] + to_pilot - abandoned - to_budget
            st["budgeted"] = st["budgeted"] + to_budget - signed
            g["deployed"] = g["deployed"] * g["surv"] + signed
            g["new_hist"][t] = signed
            # seats: cohorts deployed in months 0..t, newest first, weighted by age
            seats = np.einsum("an,an->n", g["new_hist"][t::-1], g["weight"][: t + 1])
            paid = seats / (1.0 - g["unused"])
            for k, v in (
                ("exploring_accounts", st["exploring"]),
                ("piloting_accounts", st["piloting"]),
                ("budgeted_accounts", st["budgeted"]),
                ("deployed_accounts", g["deployed"]),
                ("new_deployments", signed),
                ("abandoned_pilots", abandoned),
                ("seats", seats),
                ("paid_seats", paid),
            ):
                tot[k] = tot[k] + v
            private_seats = private_seats + seats * g["private"]
            months.append(
                SegmentMonth(
                    g["spec"],
                    signed,
                    g["deployed"],
                    st["piloting"],
                    paid,
                    signed * g["private"],
                    g["deployed"] * g["private"],
                )
            )
        for k, v in tot.items():
            ctx.record(k, t, v)
        ctx.write("segments", months)
        if self.profile is not None:  # private deployments run on the customer's hardware
            self.profile.add_tokens(ctx, tot["seats"] - private_seats)
