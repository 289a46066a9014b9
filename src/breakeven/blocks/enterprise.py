"""Enterprise contracts: seats, platform fees, implementation; the costs of serving businesses.

Per segment, with the stream's terms scaled by the segment's multiples: revenue = paid seats ×
price per seat; deployed accounts × platform fee; new deployments × implementation fee (plus the
fee for private deployments). Costs: one-off integration, customisation and security work per new
account (cost of revenue), maintenance per deployed account, pre-sales per piloting account
(opex), private deployments (one-off hardware and installation, then running cost). Cash arrives
after each segment's payment terms (:class:`breakeven.models.cash.Collections`): the difference
between revenue booked and cash collected lands on wc.receivables.

Promotions: a newly deployed account's seats are not billed for its first ``free_months``
months (they are used, so they cost serving as usual; platform and implementation fees are
billed); billed seats = paid seats of accounts past their first free_months months
(:meth:`breakeven.blocks.business.SegmentsMonth.paid_seats_after`; the accounts deployed before
month 1 are past them). A share σ = ``subsidised_seat_share`` of billed seats sells at a
discount d = ``seat_discount``: seat revenue = billed × price × (1 − σ·d) when you pay the
discount, and billed × price when a partner pays it (the customer pays the discounted price,
the partner the rest, so your revenue is the full price; cash is assumed to arrive on the
segment's payment terms either way). The discount, whoever pays it, is recorded as the KPI
seat_subsidy = billed × price × σ·d.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import numpy as np

from ..engine import F, Fraction, NonNegative, PositiveSchedule, Section, kpi, line
from ..engine.block import Block, Ctx
from ..models.compiled import twin
from .business import SegmentCollections, segment_rows


class SubsidyPayer(str, Enum):
    """Who pays a seat discount: you (out of revenue) or a partner (to you)."""

    you = "you"
    partner = "partner"


class Enterprise(Section):
    """Contracts with won business accounts (needs market.business)."""

    price_per_seat_per_month: PositiveSchedule = F("Licence per paid seat.", "currency/seat/month")
    platform_fee_per_month: NonNegative = F(
        "Fee per deployed account.", "currency/month", default=0
    )
    implementation_fee: NonNegative = F("One-off fee charged at deployment.", "currency", default=0)
    payment_terms_days: NonNegative = F(
        "Days sales outstanding: cash arrives this long after revenue is booked.",
        "days",
        default=60,
    )
    payment_fee: Fraction = F(
        "Payment-processing fee on the stream's revenue (licences, platform and implementation "
        "fees), booked on cogs.payment_fees: ~3% paid by card; 0, the default, for invoices "
        "paid by bank transfer. A reseller's or marketplace's cut: streams.partner_share.",
        "fraction",
        default=0,
    )
    integration_cost: NonNegative = F(
        "One-off cost to integrate with the customer's workflows and systems.",
        "currency/account",
        default=0,
    )
    customisation_cost: NonNegative = F(
        "One-off customisation per account.", "currency/account", default=0
    )
    security_compliance_cost: NonNegative = F(
        "One-off data-security and compliance work per account.", "currency/account", default=0
    )
    maintenance_per_year: NonNegative = F(
        "Support and maintenance per deployed account.", "currency/account/year", default=0
    )
    presales_per_pilot_per_month: NonNegative = F(
        "Pre-sales engineering per piloting account.", "currency/account/month", default=0
    )
    private_deployment_cost: NonNegative = F(
        "One-off cost of a private (on-premises) deployment: hardware and installation.",
        "currency/account",
        default=0,
    )
    private_deployment_fee: NonNegative = F(
        "One-off price charged for a private deployment.", "currency/account", default=0
    )
    private_hosting_per_month: NonNegative = F(
        "Running cost per private deployment.", "currency/account/month", default=0
    )
    free_months: int = F(
        "Promotion: a newly deployed account's seats are free for its first N months (not "
        "billed, but used and served at your cost; platform and implementation fees still "
        "billed). Accounts deployed before month 1 (market.business deployed_accounts) are past "
        "it.",
        "months",
        default=0,
        ge=0,
    )
    subsidised_seat_share: Fraction = F(
        "Promotion: share of billed seats sold at seat_discount off the price (e.g. seats in a "
        "partner's or a government's subsidy programme).",
        "fraction",
        default=0,
    )
    seat_discount: Fraction = F(
        "Discount off the seat price on the subsidised seats (0.3 = 30% off).",
        "fraction",
        default=0,
    )
    subsidy_paid_by: SubsidyPayer = F(
        "Who pays the discount: you (seat revenue is net of it: billed × price × (1 − "
        "subsidised_seat_share × seat_discount)) or partner (a cloud or channel partner pays "
        "you the difference, so seat revenue is the full price). Either way the KPI seat_subsidy "
        "shows the discount.",
        default="you",
    )


FEES = ("platform_fee_per_month", "implementation_fee", "private_deployment_fee")
COSTS = (
    "integration_cost",
    "customisation_cost",
    "security_compliance_cost",
    "maintenance_per_year",
    "presales_per_pilot_per_month",
    "private_deployment_cost",
    "private_hosting_per_month",
)

OUTPUTS = (
    line(
        "revenue.enterprise_seats",
        "Enterprise seats",
        "企业席位",
        category="revenue",
        audience="business",
    ),
    line(
        "revenue.enterprise_platform",
        "Enterprise platform fees",
        "企业平台费",
        category="revenue",
        audience="business",
    ),
    line(
        "revenue.implementation",
        "Implementation fees",
        "实施费",
        category="revenue",
        audience="business",
    ),
    line(
        "cogs.integration",
        "Integration, customisation & security",
        "集成、定制与安全",
        category="delivery",
        audience="business",
    ),
    line("cogs.maintenance", "Maintenance", "运维", category="delivery", audience="business"),
    line(
        "cogs.private_deployment",
        "Private deployments",
        "私有化部署",
        category="delivery",
        audience="business",
    ),
    line("opex.presales", "Pre-sales", "售前", category="delivery", audience="business"),
    line("wc.receivables", "Receivables", "应收账款", category="timing", audience="business"),
    kpi(
        "seat_subsidy",
        "Seat discounts (promotion)",
        "席位补贴",
        unit="currency/month",
        category="economics",
        audience="business",
        doc="Billed seats × price × subsidised_seat_share × seat_discount: the discount the "
        "customers get, paid by you (out of seat revenue) or by a partner. Recorded when the "
        "promotion is set.",
    ),
    kpi(
        "cash_collected_enterprise",
        "Cash collected from enterprises",
        "企业回款",
        unit="currency/month",
        category="economics",
        audience="business",
    ),
)


# Per-account terms, (8, segments, n) in this order, and the month's figures summed over
# segments that _month writes, (9, n) in this order.
TERMS = (
    "platform_fee_per_month",
    "implementation_fee",
    "private_deployment_fee",
    "private_deployment_cost",
    "private_hosting_per_month",
    "one_off_cost",
    "maintenance_per_year",
    "presales_per_pilot_per_month",
)
SUMS = (
    "seats",
    "discount",
    "platform",
    "implementation",
    "integration",
    "maintenance",
    "private",
    "presales",
    "revenue",
)


def _month_loop(
    billed: np.ndarray,
    price: np.ndarray,
    multiple: np.ndarray,
    discount: np.ndarray,
    you_pay: bool,
    deployed: np.ndarray,
    new: np.ndarray,
    private_share: np.ndarray,
    piloting: np.ndarray,
    terms: np.ndarray,
    booked: np.ndarray,
    sums: np.ndarray,
) -> None:  # pragma: no cover - compiled by numba (the numpy twin is tested against it)
    """:func:`_month` as one loop over 1,024 samples at a time: the same operations in the
    same order, each segment's figures added to the sums in segment order."""
    S, n = billed.shape
    has_discount = discount.shape[0] > 0
    width = 1024
    v = np.empty((9, width))
    for j0 in range(0, n, width):
        j1 = min(n, j0 + width)
        m = j1 - j0
        pr = price[j0:j1]
        for s in range(S):
            b, mult = billed[s, j0:j1], multiple[s, j0:j1]
            dep, nw, piloting_s = deployed[s, j0:j1], new[s, j0:j1], piloting[s, j0:j1]
            share, out = private_share[s, j0:j1], booked[s, j0:j1]
            platform, implementation = terms[0, s, j0:j1], terms[1, s, j0:j1]
            private_fee, private_cost = terms[2, s, j0:j1], terms[3, s, j0:j1]
            hosting, one_off = terms[4, s, j0:j1], terms[5, s, j0:j1]
            maintenance, presales = terms[6, s, j0:j1], terms[7, s, j0:j1]
            for j in range(m):
                pn, pd = nw[j] * share[j], dep[j] * share[j]
                seats = b[j] * (pr[j] * mult[j])
                v[1, j] = 0.0
                if has_discount:
                    d = seats * discount[j0 + j]
                    v[1, j] = d
                    if you_pay:
                        seats = seats - d
                p_rev = dep[j] * platform[j]
                i_rev = nw[j] * implementation[j] + pn * private_fee[j]
                total = seats + p_rev + i_rev
                out[j] = total
                v[0, j] = seats
                v[2, j] = p_rev
                v[3, j] = i_rev
                v[4, j] = nw[j] * one_off[j]
                v[5, j] = dep[j] * maintenance[j] / 12.0
                v[6, j] = pn * private_cost[j] + pd * hosting[j]
                v[7, j] = piloting_s[j] * presales[j]
                v[8, j] = total
            for k in range(9):
                row, vk = sums[k, j0:j1], v[k]
                if s == 0:
                    row[:] = vk[:m]
                else:
                    for j in range(m):
                        row[j] += vk[j]


@twin(_month_loop)
def _month(
    billed: np.ndarray,
    price: np.ndarray,
    multiple: np.ndarray,
    discount: np.ndarray,
    you_pay: bool,
    deployed: np.ndarray,
    new: np.ndarray,
    private_share: np.ndarray,
    piloting: np.ndarray,
    terms: np.ndarray,
    booked: np.ndarray,
    sums: np.ndarray,
) -> None:
    """One month of the stream, every segment ((segments, n) arrays; ``price`` and
    ``discount`` (n,), no discount: an empty array): revenue booked per segment into
    ``booked``, and the :data:`SUMS` over segments into ``sums`` (9, n).

    seats = billed × (price × the segment's multiple), less the discount (seats × σ·d) when
    you pay it; platform = deployed × fee; implementation = new × fee + private new × private
    fee; booked = seats + platform + implementation; integration = new × one-off costs;
    maintenance = deployed × yearly maintenance ÷ 12; private = private new × cost + private
    deployed × hosting; presales = piloting × cost per pilot; private new and private deployed
    are new and deployed × the segment's ``private_share``."""
    t = dict(zip(TERMS, terms, strict=True))
    private_new, private_deployed = new * private_share, deployed * private_share
    seats = billed * (price * multiple)
    sums[1] = 0.0
    if discount.shape[0]:
        d = seats * discount
        np.add.reduce(d, axis=0, out=sums[1])
        if you_pay:
            seats = seats - d
    p_rev = deployed * t["platform_fee_per_month"]
    i_rev = new * t["implementation_fee"] + private_new * t["private_deployment_fee"]
    np.add(seats + p_rev, i_rev, out=booked)
    private = (
        private_new * t["private_deployment_cost"]
        + private_deployed * t["private_hosting_per_month"]
    )
    for k, v in (
        (0, seats),
        (2, p_rev),
        (3, i_rev),
        (4, new * t["one_off_cost"]),
        (5, deployed * t["maintenance_per_year"] / 12.0),
        (6, private),
        (7, piloting * t["presales_per_pilot_per_month"]),
        (8, booked),
    ):
        np.add.reduce(v, axis=0, out=sums[k])


class EnterpriseBlock(Block):
    section = "streams.enterprise"
    schema = Enterprise
    reads = ("segments", "segment_specs")
    books: tuple[str, ...] = (
        "revenue.enterprise_seats",
        "revenue.enterprise_platform",
        "revenue.implementation",
        "cogs.payment_fees",
        "cogs.integration",
        "cogs.maintenance",
        "cogs.private_deployment",
        "opex.presales",
        "wc.receivables",
    )
    records: tuple[str, ...] = ("cash_collected_enterprise", "seat_subsidy")

    def __init__(self, spec: Enterprise, scenario: Any):
        super().__init__(spec, scenario)
        self.subsidy = not all(
            _written_zero(x) for x in (spec.subsidised_seat_share, spec.seat_discount)
        )
        self.records = (
            ("cash_collected_enterprise", "seat_subsidy")
            if self.subsidy
            else ("cash_collected_enterprise",)
        )

    def prepare(self, ctx: Ctx) -> None:
        s, p, n = self.spec, ctx.p, ctx.n
        self.fee = p[s.payment_fee]  # booked every month, 0 by default: fixed= and sweeps move it
        # σ·d: the share of billed seat revenue given as discounts
        self.discount = p[s.subsidised_seat_share] * p[s.seat_discount] if self.subsidy else None
        self.seat_price = s.price_per_seat_per_month.rows(p, ctx.months)  # a month at a time
        segs = ctx.read("segment_specs")
        # the stream's terms scaled by each segment's multiples, (segments, n)
        v = {
            k: segment_rows([p[getattr(s, k)] * p[g.deal_size_multiple] for g in segs], n)
            for k in FEES
        }
        v.update(
            {
                k: segment_rows([p[getattr(s, k)] * p[g.account_cost_multiple] for g in segs], n)
                for k in COSTS
            }
        )
        v["seat_price_multiple"] = segment_rows([p[g.seat_price_multiple] for g in segs], n)
        # one-off work per new account, summed once rather than every month
        v["one_off_cost"] = (
            v["integration_cost"] + v["customisation_cost"] + v["security_compliance_cost"]
        )
        self.v = v
        self.terms = np.stack([v[k] for k in TERMS])
        self.booked = np.empty_like(v["seat_price_multiple"])
        self.sums = np.empty((len(SUMS), n))
        self.no_discount = np.empty(0)
        # each segment's revenue awaiting payment
        self.owed = SegmentCollections(p, segs, s.payment_terms_days, ctx.months, n)

    def step(self, ctx: Ctx, t: int) -> None:
        seg, sums = ctx.read("segments"), self.sums
        _month(
            seg.paid_seats_after(self.spec.free_months),
            next(self.seat_price),
            self.v["seat_price_multiple"],
            self.discount if self.discount is not None else self.no_discount,
            self.spec.subsidy_paid_by is SubsidyPayer.you,
            seg.deployed,
            seg.new_deployments,
            seg.private_share,
            seg.piloting,
            self.terms,
            self.booked,
            sums,
        )
        if self.discount is not None:
            ctx.record("seat_subsidy", t, sums[1])
        cash = self.owed.step(self.booked)
        revenue = sums[8]
        ctx.book("revenue.enterprise_seats", t, sums[0])
        ctx.book("revenue.enterprise_platform", t, sums[2])
        ctx.book("revenue.implementation", t, sums[3])
        ctx.book("cogs.integration", t, sums[4])
        ctx.book("cogs.maintenance", t, sums[5])
        ctx.book("cogs.private_deployment", t, sums[6])
        ctx.book("opex.presales", t, sums[7])
        ctx.book("wc.receivables", t, cash - revenue)
        ctx.book("cogs.payment_fees", t, revenue * self.fee)
        ctx.record("cash_collected_enterprise", t, cash)


def _written_zero(leaf: Any) -> bool:
    """A fixed 0 written in place (the default): the promotion is off."""
    return bool(leaf.is_point and leaf.median == 0)
