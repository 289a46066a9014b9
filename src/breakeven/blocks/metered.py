"""Metered billing: business accounts pay per unit of use — a conversation, a resolution, an
agent action — beside or instead of seats (needs market.business).

Salesforce sold Agentforce at $2 a conversation, Intercom's Fin at $0.99 a resolution: the
revenue follows what the accounts' agents do, not how many employees hold a seat. Per segment
and month t, a fully ramped deployed account uses u(t) = units_per_account_per_month(t) × the
segment's deal_size_multiple units; one deployed a months ago uses r(a)·u(t), r(a) = (a + 1) ÷
ramp_months over its first ramp_months months, then 1 (the accounts deployed before month 1 are
past it). Each account is billed max(0, r·u − allowance) units at price_per_unit
(:func:`breakeven.models.pricing.metered_units`), the allowance included_units_per_account_per_
month × the same multiple. Cash arrives after the segment's payment terms
(:class:`breakeven.blocks.business.SegmentCollections`), the difference on wc.receivables.

Every unit used is served — requests_per_unit requests and the tokens per unit, added to the
demand of the serving mode (``served_by``) — except those of private deployments, which run on
the customer's hardware. Leave the tokens out when market.business.usage already counts this
traffic (seats' usage), so it is not served twice.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import model_validator

from ..engine import F, NonNegative, Positive, PositiveSchedule, Section, kpi, line
from ..engine.block import Block, Ctx
from ..models.compiled import twin
from ..models.pricing import metered_units, ramp_share
from ._usage import DEMAND, route_keys, served_by
from .business import SegmentCollections, segment_rows

MAX_RAMP_MONTHS = 60


class Metered(Section):
    """Usage-based pricing of business accounts: a price per unit of use."""

    unit: str = F(
        "What is counted and priced, e.g. conversation, resolution, agent action (a label).",
        default="unit",
    )
    price_per_unit: PositiveSchedule = F("Price of one billed unit.", "currency/unit")
    units_per_account_per_month: PositiveSchedule = F(
        "Units one fully ramped deployed account uses a month, times each segment's "
        "deal_size_multiple (a large account's deal is larger).",
        "units/account/month",
    )
    included_units_per_account_per_month: NonNegative = F(
        "Allowance: units an account uses each month without paying for them (in the seat or "
        "platform price), times the segment's deal_size_multiple; billed units are those above "
        "it, account by account.",
        "units/account/month",
        default=0,
    )
    ramp_months: int = F(
        "Roll-out: a newly deployed account's use rises linearly to the full volume over its "
        "first N months ((age + 1) ÷ N of it); 0 or 1: full from its first month. Accounts "
        "deployed before month 1 (market.business deployed_accounts) are past it.",
        "months",
        default=0,
        ge=0,
        le=MAX_RAMP_MONTHS,
    )
    requests_per_unit: Positive = F(
        "Model requests a unit takes (a conversation of several turns: several), the work on "
        "attempts that are not units included: priced per resolution, a conversation's "
        "requests ÷ the resolution rate.",
        "requests/unit",
        default=1,
    )
    input_tokens_per_unit: NonNegative | None = F(
        "Prompt tokens a unit takes, all its requests together (and, like requests_per_unit, "
        "those of the attempts that are not units); with output_tokens_per_unit the units are "
        "served (and cost) like any other requests. Leave both out when market.business.usage "
        "already counts this traffic.",
        "tokens/unit",
        default=None,
    )
    output_tokens_per_unit: NonNegative | None = F(
        "Generated tokens a unit takes, all its requests together.", "tokens/unit", default=None
    )
    served_by: str | None = served_by()
    payment_terms_days: NonNegative = F(
        "Days from use to cash (billed monthly in arrears on 30-day terms: about 45); a "
        "segment's own payment_terms_days, where given, wins.",
        "days",
        default=45,
    )

    @model_validator(mode="after")
    def _tokens(self) -> Metered:
        if (self.input_tokens_per_unit is None) != (self.output_tokens_per_unit is None):
            raise ValueError("give input_tokens_per_unit and output_tokens_per_unit, or neither")
        return self


OUTPUTS = (
    line(
        "revenue.metered",
        "Metered usage (per unit)",
        "按量计费",
        category="revenue",
        audience="business",
    ),
    kpi(
        "metered_units",
        "Metered units used",
        "计量用量",
        unit="units/month",
        category="usage",
        audience="business",
        doc="Units (streams.metered.unit) the deployed accounts use in the month, allowances "
        "included.",
    ),
    kpi(
        "metered_units_billed",
        "Metered units billed",
        "计费用量",
        unit="units/month",
        category="usage",
        audience="business",
        doc="Units billed: each account's use above its allowance.",
    ),
)


def _month_loop(
    deployed: np.ndarray,
    recent: np.ndarray,
    months: int,
    surv_by_age: np.ndarray,
    shares: np.ndarray,
    units: np.ndarray,
    mult: np.ndarray,
    included: np.ndarray,
    used: np.ndarray,
    billed: np.ndarray,
) -> None:  # pragma: no cover - compiled by numba (the numpy twin is tested against it)
    """:func:`_month` as one pass over segments × samples: the same operations in the same
    order (np.maximum(x, 0.0)'s: x when it is greater or NaN, else 0.0, so −0.0 gives +0.0)."""
    S, n = deployed.shape
    k = shares.shape[0]
    for s in range(S):
        for j in range(n):
            u = units[j] * mult[s, j]
            inc = included[s, j]
            rest = deployed[s, j]
            if k:
                young = 0.0
                for a in range(months):
                    young = young + recent[a, s, j] * surv_by_age[a, s, j]
                d = rest - young
                rest = d if (d > 0.0 or d != d) else 0.0
            over = u - inc
            u_used = 0.0 + rest * u
            u_billed = 0.0 + rest * (over if (over > 0.0 or over != over) else 0.0)
            for a in range(months):
                per_account = u if shares[a] == 1.0 else shares[a] * u
                accounts = recent[a, s, j] * surv_by_age[a, s, j]
                over = per_account - inc
                u_used = u_used + accounts * per_account
                u_billed = u_billed + accounts * (over if (over > 0.0 or over != over) else 0.0)
            used[s, j] = u_used
            billed[s, j] = u_billed


@twin(_month_loop)
def _month(
    deployed: np.ndarray,
    recent: np.ndarray,
    months: int,
    surv_by_age: np.ndarray,
    shares: np.ndarray,
    units: np.ndarray,
    mult: np.ndarray,
    included: np.ndarray,
    used: np.ndarray,
    billed: np.ndarray,
) -> None:
    """Units used and billed this month by segment, (segments, n), into ``used`` and
    ``billed``: the accounts of the last ``months`` (at most the ramp's) cohorts, ``recent``
    (newest first) × their survival, at their ``shares`` of the full volume (units × the
    segment's multiple), the rest of the deployed accounts at the full volume
    (:func:`~breakeven.models.pricing.metered_units`)."""
    groups, weights = [deployed], [1.0]
    if shares.shape[0]:
        young = [recent[a] * surv_by_age[a] for a in range(months)]
        groups = [np.maximum(deployed - sum(young), 0.0), *young]
        weights = [1.0, *shares[:months].tolist()]
    used[...], billed[...] = metered_units(groups, weights, units * mult, included)


class MeteredBlock(Block):
    section = "streams.metered"
    schema = Metered
    reads = ("segments", "segment_specs")
    books = ("revenue.metered", "wc.receivables")
    records = ("metered_units", "metered_units_billed")

    def __init__(self, spec: Metered, scenario: Any):
        super().__init__(spec, scenario)
        if spec.input_tokens_per_unit is not None:
            self.adds = route_keys(DEMAND, spec.served_by)
            self.consumed = (self.adds[1],)

    def prepare(self, ctx: Ctx) -> None:
        s, p, n = self.spec, ctx.p, ctx.n
        segs = ctx.read("segment_specs")
        mult = segment_rows([p[g.deal_size_multiple] for g in segs], n)
        self.mult = mult
        self.included = p[s.included_units_per_account_per_month] * mult
        # a month at a time (no (months, n) arrays), read in step
        self.units = s.units_per_account_per_month.rows(p, ctx.months)
        self.price = s.price_per_unit.rows(p, ctx.months)
        # accounts of ages 0 … ramp − 2 use less than the full volume; a cohort a months old
        # is its deployments × survival^a (the business pipeline renews every month)
        self.shares = np.array(
            [ramp_share(a, s.ramp_months) for a in range(max(s.ramp_months - 1, 0))]
        )
        surv = segment_rows([np.power(p[g.renewal_per_year], 1.0 / 12.0) for g in segs], n)
        k = len(self.shares)
        self.surv_by_age = (  # (k, segments, n), survival^age of the young cohorts
            np.stack([np.power(surv, a) for a in range(k)]) if k else np.empty((0, *mult.shape))
        )
        self.recent = np.zeros(
            (k, *mult.shape)
        )  # new deployments of the last k months, newest first
        self.used, self.billed = np.empty_like(mult), np.empty_like(mult)
        self.served_share = segment_rows([1.0 - p[g.private_deployment_share] for g in segs], n)
        if s.input_tokens_per_unit is not None:
            assert s.output_tokens_per_unit is not None  # the schema checks both or neither
            self.requests = p[s.requests_per_unit]
            self.tokens_in = p[s.input_tokens_per_unit]
            self.tokens_out = p[s.output_tokens_per_unit]
        # each segment's revenue awaiting payment
        self.owed = SegmentCollections(p, segs, s.payment_terms_days, ctx.months, n)

    def step(self, ctx: Ctx, t: int) -> None:
        seg = ctx.read("segments")
        k = len(self.shares)
        if k:  # the young cohorts apart from the fully ramped rest
            self.recent[1:] = self.recent[:-1]
            self.recent[0] = seg.new_deployments
        used, billed = self.used, self.billed
        _month(
            seg.deployed,
            self.recent,
            min(t + 1, k),
            self.surv_by_age,
            self.shares,
            next(self.units),
            self.mult,
            self.included,
            used,
            billed,
        )
        revenue = billed * next(self.price)
        cash = self.owed.step(revenue)
        total = np.add.reduce(revenue, axis=0)
        ctx.book("revenue.metered", t, total)
        ctx.book("wc.receivables", t, cash - total)
        ctx.record("metered_units", t, np.add.reduce(used, axis=0))
        ctx.record("metered_units_billed", t, np.add.reduce(billed, axis=0))
        if self.adds:
            served = np.add.reduce(used * self.served_share, axis=0)
            requests, tokens_in, tokens_out = self.adds
            ctx.add(requests, served * self.requests)
            ctx.add(tokens_in, served * self.tokens_in)
            ctx.add(tokens_out, served * self.tokens_out)
