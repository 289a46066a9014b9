"""To-business demand: a pipeline of enterprises by segment, and seats adopted inside won accounts.

Stages: no plans → exploring → piloting (no budget) → budgeted → deployed; pilots can be
abandoned; budgeted accounts sign after a sales cycle (exponential delay with the given mean);
deployed contracts renew at a yearly rate (spread monthly: survival^(1/12) a month). Inside a won
account, employees adopt by a Bass diffusion with resistance
(:func:`breakeven.models.adoption.within_org_adoption`, s(a) after a months).

Per segment, month t (1-based), flows from the stocks at the start of the month:

- before the segment's ``launch_month`` nothing moves in its pipeline;
- signed = budgeted × min(1 / sales_cycle_months, 1); with ``market.business.sales``, the
  signings of all segments together are capped at reps[t] × deals_per_rep_per_month: when they
  exceed it each segment's are scaled by capacity ÷ demand and the rest stays budgeted
  (:func:`breakeven.models.adoption.capacity_limited`);
- deployed[1] = D₀ + signed[1], deployed[t] = deployed[t−1] × survival + signed[t], with D₀ =
  ``deployed_accounts``: accounts already paying you at the start, out of the pipeline (the stage
  mix applies to accounts − D₀) and not new deployments (no implementation fee or onboarding);
- with the segment's ``recent_growth_per_month`` g, the stages and the start-exploring rate are
  those of a pipeline that has been growing D by g a month instead of a stage mix (month-1
  signings = (g + churn) × D₀; :func:`breakeven.models.adoption.pipeline_on_growth_path`), the
  start-exploring rate then raised month by month by deployed ÷ D₀ (references), so the path
  goes on until the accounts with no plans run out.

Seats in month t sum cohorts: Σ_a new[t−a] · survival^a · s(a+1) · seats per account, plus the
starting accounts D₀ · survival^(t−1) · s(A+t) · seats per account, A being
``deployed_account_age_months`` (:func:`breakeven.models.adoption.within_org_adoption_from`). With
a recent growth g the starting accounts are the growth path's cohorts, s(A+t) averaged over ages
A ≥ 1 weighted (survival ÷ (1 + g))^A (:func:`breakeven.models.adoption.mean_on_growth_path`), so
seats grow at g from month 1 as accounts do; a stated age is their mean (the path began as long
ago as gives it, :func:`path_ages_for_mean`).
Paid seats = used seats ÷ (1 − unused share); with ``min_seats_per_account`` m, per cohort:
Σ_a new[t−a] · survival^a · max(m, s(a+1) · seats ÷ (1 − unused)) (and likewise for the starting
accounts) — the minimum binds per account, so it is applied to each age's seats per account
before weighting by the accounts of that age. Each segment's figures are shared as ``segments``
for the enterprise stream, which prices segments differently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from functools import partial
from typing import Any

import numpy as np
from pydantic import field_validator, model_validator

from ..engine import (
    CalendarMonth,
    F,
    Fraction,
    InputTable,
    Loc,
    NonNegative,
    NonNegativeSchedule,
    Positive,
    Rate,
    Section,
    Uncertain,
    kpi,
    section_of,
)
from ..engine.block import KPI_DTYPE, Block, Ctx
from ..engine.inputs import Params
from ..models.adoption import (
    DIRECT_MAX_MONTHS,
    capacity_limited,
    cohort_sums,
    cohort_sums_fft,
    growth_path_stages,
    mean_on_growth_path,
    paid_seats_per_account,
    pipeline_on_growth_path,
    seats_by_age,
    survival_by_age,
    within_org_adoption,
    within_org_adoption_from,
)
from ..models.cash import Collections
from ..models.compiled import twin
from ..models.starting_state import as_of_problems, grown_to_month_zero, months_behind
from ._usage import DEMAND, Usage, UsageProfile, route_keys, served_by


class Stage(str, Enum):
    no_plans = "no_plans"
    exploring = "exploring"
    piloting = "piloting"
    budgeted = "budgeted"


# Of 100 Chinese enterprises surveyed at the end of 2023: 7 had no plans for large models, 34
# were exploring use cases, 35 piloting without a budget, 24 had a clear budget (the survey cited
# in background/large-model-commercialisation-essay-2024-07.txt). It describes the market's
# attitude to large models in general, not to one vendor: a plan can write it as its stage_mix
# for a vendor the budgeted accounts have already chosen (an incumbent selling into its base).
STAGES = ("no_plans", "exploring", "piloting", "budgeted")

SURVEY_STAGE_MIX = {"no_plans": 0.07, "exploring": 0.34, "piloting": 0.35, "budgeted": 0.24}

# A new entrant's start (the default): the survey's no-plans share stays out of the market, and
# every other account — even one piloting or budgeted with another vendor — still has to start a
# pilot with you, so it is "exploring" as far as you are concerned. Nobody signs in month 1.
NEW_ENTRANT_STAGE_MIX = {"no_plans": 0.07, "exploring": 0.93}

# The oldest starting deployment whose in-house adoption is followed month by month (50 years).
MAX_DEPLOYED_AGE_MONTHS = 600

# A growth path's past reaches back to the age whose accounts weigh this little beside the
# heaviest's, (survival ÷ (1 + growth))^age below it (ages beyond change a month's seats by about
# as little), at most MAX_DEPLOYED_AGE_MONTHS — and, for its mean age, no further than gives the
# segment's deployed_account_age_months (path_ages_for_mean).
PATH_WEIGHT_FLOOR = 1e-6
PATH_SAMPLES = 2048  # samples whose every age is held at once (starting_holdings)


def path_ages(ratio: np.ndarray) -> np.ndarray:
    """The oldest age of a growth path's whole past, per sample: where ratio^age falls below
    :data:`PATH_WEIGHT_FLOOR`, at most :data:`MAX_DEPLOYED_AGE_MONTHS` (all of them for a ratio
    of 1 or more: a segment shrinking at least as fast as it churns, whose oldest weigh most)."""
    r = np.asarray(ratio, dtype=float)
    below = (r > 0.0) & (r < 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ages = np.ceil(np.log(PATH_WEIGHT_FLOOR) / np.log(np.where(below, r, 0.5)))
    ages = np.where(below, ages, np.where(r <= 0.0, 1, MAX_DEPLOYED_AGE_MONTHS))
    return np.clip(ages, 1, MAX_DEPLOYED_AGE_MONTHS).astype(np.int64)


def path_ages_for_mean(ratio: np.ndarray, mean_age: np.ndarray, most: np.ndarray) -> np.ndarray:
    """The oldest age M of a growth path's accounts whose mean age Σ A·ratio^A / Σ ratio^A over
    A = 1..M first reaches ``mean_age`` (a path that began M months ago), per sample; at most
    ``most`` (the path's whole past, :func:`path_ages`: a mean older than the path's own gets
    the path's own). The sums are rescaled as they grow (a ratio above 1 weighs the oldest most):
    their quotient is unchanged."""
    r = np.asarray(ratio, dtype=float)
    target = np.broadcast_to(np.asarray(mean_age, dtype=float), r.shape)
    power, weight, aged = np.ones_like(r), np.zeros_like(r), np.zeros_like(r)
    oldest = np.asarray(most, dtype=np.int64).copy()
    found = np.zeros(r.shape, dtype=bool)
    for a in range(1, int(oldest.max(initial=1)) + 1):
        power = power * r
        weight += power
        aged += a * power
        reached = ~found & ((aged >= target * weight) | (a >= most))
        oldest[reached] = a
        found |= reached
        if found.all():
            break
        big = power > 1e100
        if big.any():
            power, weight, aged = (np.where(big, x * 1e-100, x) for x in (power, weight, aged))
    return oldest


# Months the pipeline runs ahead of the step, their seats summed together (BusinessMarketBlock).
AHEAD = 24


class Segment(Section):
    """Enterprises of one size: how many, how they move from interest to a paid deployment."""

    name: str = F("Segment label, e.g. large.")
    accounts: Positive = F(
        "Enterprises in the addressable segment (those already deployed included).", "accounts"
    )
    seats_per_account: Positive = F("Employees who could use the product in one account.", "seats")
    stage_mix: dict[Stage, float] = F(
        "Share of the accounts not yet deployed (accounts − deployed_accounts) in each stage "
        "*with your product* at the start (no_plans, exploring, piloting, budgeted); budgeted "
        "accounts sign after the sales cycle. Default, a new entrant: 7% no plans, 93% exploring "
        "(an account piloting or budgeted with another vendor still has to pilot yours). The "
        "end-2023 survey of Chinese enterprises' attitude to large models (7% no plans, 34% "
        "exploring, 35% piloting, 24% budgeted; SURVEY_STAGE_MIX) fits a vendor those accounts "
        "have already chosen; write it out to use it.",
        default_factory=lambda: dict(NEW_ENTRANT_STAGE_MIX),
    )
    deployed_accounts: NonNegative = F(
        "Accounts already paying you at the start (D₀): deployed, renewing and adopting seats "
        "like everyone else, but not new deployments (no implementation fee or one-off "
        "onboarding costs) and out of the pipeline (the stage mix applies to accounts − D₀; a "
        "draw above accounts counts as all of them).",
        "accounts",
        default=0,
    )
    deployed_arr: NonNegative | None = F(
        "Instead of deployed_accounts: the segment's annual recurring revenue at the start "
        "(licences and platform fees, net of tax, as reported), read as D₀ = ARR ÷ 12 ÷ the "
        "month-1 revenue of one deployed account of deployed_account_age_months (its paid seats "
        "× streams.enterprise seat price × seat_price_multiple + platform fee); with "
        "recent_growth_per_month, month 0's revenue of the accounts spread over the growth "
        "path's ages (the ARR is of the same month as the accounts D₀; month 1 already holds a "
        "month of the growth).",
        "currency/year",
        default=None,
    )
    deployed_paid_seats: NonNegative | None = F(
        "Instead of deployed_accounts or deployed_arr: the segment's paid seats at the start "
        "(licences paid for, used or not, e.g. a published count of paying business users), "
        "read as D₀ = paid seats ÷ the paid seats of one deployed account of "
        "deployed_account_age_months (its adopted seats ÷ (1 − unused_paid_seats), at least "
        "min_seats_per_account) in month 1; with recent_growth_per_month, month 0's, over the "
        "growth path's ages (as deployed_arr).",
        "seats",
        default=None,
    )
    deployed_as_of: CalendarMonth | None = F(
        "The month deployed_accounts (or deployed_arr, deployed_paid_seats) counts, when it is "
        "older than month 0 (the month before start), e.g. a quarter's count published a month "
        "or two after it: the accounts are grown to month 0 at recent_growth_per_month, D × (1 + "
        "growth)^months behind (breakeven.models.starting_state), at most the segment's "
        "accounts; their deployed_account_age_months stays as stated. Needs the plan's start "
        "and recent_growth_per_month.",
        "month",
        default=None,
    )
    deployed_account_age_months: NonNegative = F(
        "How long the starting deployed accounts have been deployed (rounded to whole months, "
        f"at most {MAX_DEPLOYED_AGE_MONTHS}): in month t their adopted share is s(age + t) of "
        "the within-organisation curve, and D₀ × survival^(t−1) of them remain. With "
        "recent_growth_per_month their ages (1 month and up) are spread as that growth left "
        "them and this is their mean age, not rounded: the path began as many months ago as "
        "gives it, at most its whole past (ages until the weight r^age falls below 1e-6, r = "
        "survival ÷ (1 + growth); at most 600 months), whose own mean is about 1 ÷ (1 − r) for "
        "a growing segment — a mean older than that gets the path's own. Younger than it, the "
        "path is recent and its accounts' seats still ramp: seats grow faster than accounts.",
        "months",
        default=12,
    )
    recent_growth_per_month: Rate | None = F(
        "How fast the segment's deployed accounts were growing when the plan starts (net of "
        "churn, per month, e.g. 5% to 10% from the last two published counts): instead of "
        "stage_mix and start_exploring_per_month, the accounts not yet deployed start spread over "
        "the stages as in a pipeline that has been feeding that growth — month-1 signings = "
        "(growth + monthly churn) × D₀, every stage holding what keeps its flow growing as fast, "
        "and accounts starting to explore at the rate that feeds it (a balanced growth path; "
        "pipeline_on_growth_path). From then on that rate grows with your deployed accounts "
        "(× deployed ÷ D₀: references, as a consumer product's word of mouth), so the "
        "pipeline's inflow keeps growing with them and the growth fades only as the accounts "
        "with no plans are used up, sooner in a small segment. Month 1 has no churn "
        "(the starting accounts are all there), so its deployed accounts are (1 + growth + "
        "churn) × D₀. The starting accounts are that path's cohorts too — their ages spread as "
        "the growth left them (an account of age A weighs (survival ÷ (1 + growth))^A), so "
        "their seats still ramp and seats, not only accounts, grow at the stated rate "
        "(deployed_account_age_months is their mean age: at its default 12 a path of 10% a "
        "month keeps its own, about 9; a younger mean, a path begun more recently, makes seats "
        "grow faster). Needs deployed_accounts, deployed_arr or deployed_paid_seats. A segment "
        "with fewer accounts not yet deployed than that pipeline holds scales it down, and the "
        "growth fades from month 1 (validate warns: growth-beyond-segment). `reference` when "
        "only one count is "
        "public: the growth of other AI products' paying organisations published before the "
        "plan's start (`breakeven reference business --start …`). `trend 4.9%` with the growth "
        "between the last two counts: the interval is how AI products' paying organisations' "
        "growth carried on from one period to the next, published before the start "
        "(`breakeven reference business --start … --trend 4.9%`; every kind's products "
        "together while fewer than five have counts of paying organisations over two periods).",
        "1/month",
        default=None,
    )
    launch_month: int = F(
        "Month your product is offered to this segment (1 = from the start; later than the "
        "horizon: never). Before it the segment's pipeline does not move — no one starts "
        "exploring, piloting, budgeting or signing; the stages keep their starting counts — "
        "while its deployed_accounts still pay, renew and adopt.",
        "month",
        default=1,
        ge=1,
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
        "Share of paid seats nobody uses (shelfware); below 100%.", "fraction", default=0.15
    )
    min_seats_per_account: NonNegative = F(
        "Contract minimum: a deployed account pays for at least this many seats, however few "
        "its people use — paid seats per account = max(minimum, adopted seats ÷ (1 − "
        "unused_paid_seats)), applied account by account (cohort by cohort). At most "
        "seats_per_account (a draw above it is capped at it).",
        "seats",
        default=0,
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

    @model_validator(mode="after")
    def _growth(self) -> Segment:
        if self.recent_growth_per_month is None:
            return self
        for name in ("stage_mix", "start_exploring_per_month"):
            if name in self.model_fields_set:
                raise ValueError(
                    f"give {name} or recent_growth_per_month, not both (the growth sets the "
                    "stages and the rate accounts start exploring)"
                )
        if all(
            x is None or (x.is_point and x.median == 0)
            for x in (self.deployed_arr, self.deployed_paid_seats)
        ) and (self.deployed_accounts.is_point and self.deployed_accounts.median == 0):
            raise ValueError(
                "recent_growth_per_month needs deployed_accounts, deployed_arr or "
                "deployed_paid_seats (growth of what?)"
            )
        if self.launch_month != 1:
            raise ValueError(
                "recent_growth_per_month is the growth of a segment already selling: its "
                f"launch_month must be 1 (got {self.launch_month})"
            )
        return self

    @field_validator("stage_mix")
    @classmethod
    def _mix(cls, v: dict[Stage, float]) -> dict[Stage, float]:
        total = sum(v.values())
        if not all(0 <= x <= 1 for x in v.values()) or abs(total - 1) > 1e-6:
            raise ValueError(
                f"stage shares must be fractions adding up to 1 (they add up to {total:.4g})"
            )
        return v


class Sales(Section):
    """Sales capacity: how many contracts the sales force can close a month."""

    reps: NonNegativeSchedule = F(
        "Quota-carrying sales people (account executives) per month, e.g. {1: 5, 13: 12}. Their "
        "cost is not booked here: put them in company.team.",
        "people",
    )
    deals_per_rep_per_month: Positive = F(
        "Contracts one rep can close a month. Signings of all segments together (budgeted → "
        "deployed) are at most reps × deals per rep; above it each segment's signings are "
        "scaled pro rata (capacity ÷ unconstrained signings) and the rest stays budgeted, a "
        "queue visible in budgeted_accounts. Enterprise reps close roughly 1–2 mid-market deals "
        "a month, a few large ones a year (author's estimate: check your own sales data).",
        "accounts/person/month",
    )


class BusinessMarket(Section):
    """To-business demand: a pipeline of enterprises by segment."""

    segments: list[Segment] = F("Segments of the market (large, medium, small…).", min_length=1)
    usage: Usage | None = F("Usage per active seat; drives tokens and serving cost.", default=None)
    served_by: str | None = served_by()
    sales: Sales | None = F(
        "Sales capacity shared by all segments; default: unlimited (signings follow the sales "
        "cycle alone). Records sales_capacity_used.",
        default=None,
    )


@dataclass
class SegmentsMonth:
    """Every segment's figures in the current month: (segments, n) arrays, a row per segment in
    the order of ``specs``.

    ``billed_after(m)``, when set, gives this month's paid seats of the accounts past their first
    m months (see :meth:`paid_seats_after`). The arrays are this month's: ``deployed``,
    ``piloting`` and ``paid_seats`` are views of buffers the next months reuse (copy to keep).
    ``private_share`` is each segment's share of accounts deployed on their own hardware (for
    the whole run): :attr:`private_new` and :attr:`private_deployed` are made from it when read."""

    specs: list[Segment]
    new_deployments: np.ndarray
    deployed: np.ndarray
    piloting: np.ndarray
    paid_seats: np.ndarray
    private_share: np.ndarray
    billed_after: Callable[[int], np.ndarray] | None = None

    @property
    def private_new(self) -> np.ndarray:
        """New deployments on the customer's own hardware: new × private share."""
        return np.asarray(self.new_deployments * self.private_share)

    @property
    def private_deployed(self) -> np.ndarray:
        """Deployed accounts on the customer's own hardware: deployed × private share."""
        return np.asarray(self.deployed * self.private_share)

    def paid_seats_after(self, months: int) -> np.ndarray:
        """Paid seats of accounts past their first ``months`` months (deployed at least that
        long ago, the starting deployed accounts included):
        Σ_{a ≥ months} new[t−a] · paid_by_age[a] + starting paid seats, (segments, n)."""
        if months <= 0 or self.billed_after is None:
            return self.paid_seats
        return self.billed_after(months)


def segment_rows(values: list[Any], n: int) -> np.ndarray:
    """Per-segment values (arrays over samples, or scalars) as one (segments, n) array."""
    return np.stack([np.broadcast_to(np.asarray(v, dtype=float), (n,)) for v in values])


class SegmentCollections:
    """Each segment's revenue collected after its payment terms — the segment's own
    ``payment_terms_days``, else the stream's ``default_days`` — in one
    :class:`~breakeven.models.cash.Collections` buffer, a row per segment."""

    def __init__(
        self, p: Params, segs: list[Segment], default_days: Uncertain, months: int, n: int
    ):
        days = segment_rows(
            [
                p[g.payment_terms_days if g.payment_terms_days is not None else default_days]
                for g in segs
            ],
            n,
        )
        self.owed = Collections(days.reshape(-1), days.size, months, groups=len(segs))

    def step(self, revenue: np.ndarray) -> np.ndarray:
        """Book this month's revenue (segments, n); the cash collected this month, all segments
        (summed in segment order)."""
        return self.owed.step(revenue.reshape(-1))


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
SALES_KPI = "sales_capacity_used"

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
    kpi(
        SALES_KPI,
        "Sales capacity used",
        "销售产能利用率",
        unit="ratio",
        category="pipeline",
        audience="business",
        doc="Signings ÷ (reps × deals per rep per month); 1 when capacity binds (or is zero "
        "while accounts wait to sign). Recorded when market.business.sales is set.",
    ),
)


def _made(a: np.ndarray | Callable[[], np.ndarray]) -> np.ndarray:
    """An array, or what a function makes on demand."""
    return a() if callable(a) else a


def _is_zero(p: Params, leaf: Uncertain) -> bool:
    """Whether an input is 0 in every sample (a field left at its default 0, say)."""
    return bool(p.is_point(leaf) and p[leaf][0] == 0)


def _sign_rate(p: Params, seg: Segment) -> np.ndarray:
    """Share of budgeted accounts signing a month: 1 ÷ the sales cycle's mean months, at most 1."""
    return np.asarray(np.minimum(1.0 / np.maximum(p[seg.sales_cycle_months], 1e-9), 1.0))


def _is_zero_input(inputs: InputTable, leaf: Uncertain) -> bool:
    """The same, before sampling (from the plan's distributions)."""
    d = inputs.dist(leaf)
    return bool(d.is_point and d.median == 0)


# The pipeline's figures for the KPIs, summed over segments: rows of ``sums`` in _pipeline.
FIGURES = ("exploring", "piloting", "budgeted", "deployed", "signed", "abandoned")


def _pipeline_loop(
    stock: np.ndarray,
    deployed: np.ndarray,
    rate: np.ndarray,
    referred: np.ndarray,
    surv: np.ndarray,
    launch: np.ndarray,
    capacity: np.ndarray,
    t0: int,
    t1: int,
    new_hist: np.ndarray,
    piloting: np.ndarray,
    deployed_by_month: np.ndarray,
    sums: np.ndarray,
    used: np.ndarray,
    figures: bool,
) -> None:  # pragma: no cover - compiled by numba (the numpy twin is tested against it)
    """:func:`_pipeline` as one loop: 1,024 samples at a time through every month, so their
    stocks and rates stay in the cache; the same operations in the same order."""
    S, n = deployed.shape
    has_cap = capacity.shape[0] > 0
    width = 1024
    signed = np.empty((S, width))
    served = np.empty(width)
    flows = np.empty((4, width))  # to exploring, to piloting, abandoned, to budgeted
    acc = np.empty((6, width))  # this month's FIGURES summed over segments, in float64
    ones = np.ones(width)  # survival in month 1 (× 1.0 leaves a number as it is)
    for j0 in range(0, n, width):
        j1 = min(n, j0 + width)
        m = j1 - j0
        for t in range(t0, t1):
            i = t - t0
            for s in range(S):
                sg = signed[s]
                if launch[s] > t + 1:
                    sg[:m] = 0.0
                else:
                    budgeted, sign = stock[3, s, j0:j1], rate[4, s, j0:j1]
                    for j in range(m):
                        sg[j] = budgeted[j] * sign[j]
            if has_cap:
                cap = capacity[t, j0:j1]
                for j in range(m):
                    d = signed[0, j]
                    for s in range(1, S):
                        d += signed[s, j]
                    c = cap[j]
                    served[j] = c / d if d > c else 1.0
                    if figures:
                        used[i, j0 + j] = (min(d, c) / c) if c > 0 else (1.0 if d > 0 else 0.0)
                for s in range(S):
                    sg = signed[s]
                    for j in range(m):
                        sg[j] *= served[j]
            for s in range(S):
                sg = signed[s]
                no_plans, exploring = stock[0, s, j0:j1], stock[1, s, j0:j1]
                piloting_s, budgeted = stock[2, s, j0:j1], stock[3, s, j0:j1]
                to_explore, to_pilot, abandoned, to_budget = flows[0], flows[1], flows[2], flows[3]
                if launch[s] > t + 1:
                    flows[:, :m] = 0.0
                else:
                    explore, pilot = rate[0, s, j0:j1], rate[1, s, j0:j1]
                    abandon, budget = rate[2, s, j0:j1], rate[3, s, j0:j1]
                    ref, dep_now = referred[s, j0:j1], deployed[s, j0:j1]
                    for j in range(m):
                        grown = dep_now[j] / ref[j] if ref[j] > 0 else 1.0
                        to_explore[j] = no_plans[j] * (explore[j] * grown)
                        to_pilot[j] = exploring[j] * pilot[j]
                        abandoned[j] = piloting_s[j] * abandon[j]
                        to_budget[j] = piloting_s[j] * budget[j]
                dep = deployed[s, j0:j1]
                sv = surv[s, j0:j1] if t > 0 else ones
                hist = new_hist[s, t, j0:j1]
                for j in range(m):
                    no_plans[j] = no_plans[j] - to_explore[j]
                    exploring[j] = exploring[j] + to_explore[j] - to_pilot[j]
                    piloting_s[j] = piloting_s[j] + to_pilot[j] - abandoned[j] - to_budget[j]
                    budgeted[j] = budgeted[j] + to_budget[j] - sg[j]
                    dep[j] = dep[j] * sv[j] + sg[j]
                    hist[j] = sg[j]
                if not figures:  # (i may lie past the window's rows)
                    continue
                piloting[i, s, j0:j1] = piloting_s
                deployed_by_month[i, s, j0:j1] = dep
                # the FIGURES summed over segments, in segment order
                month = (exploring, piloting_s, budgeted, dep, sg, abandoned)
                for k in range(6):
                    row, v = acc[k], month[k]
                    if s == 0:
                        row[:m] = v[:m]
                    else:
                        for j in range(m):
                            row[j] += v[j]
            if figures:  # rounded once to the KPIs' precision
                for k in range(6):
                    sums[i, k, j0:j1] = acc[k, :m]


@twin(_pipeline_loop)
def _pipeline(
    stock: np.ndarray,
    deployed: np.ndarray,
    rate: np.ndarray,
    referred: np.ndarray,
    surv: np.ndarray,
    launch: np.ndarray,
    capacity: np.ndarray,
    t0: int,
    t1: int,
    new_hist: np.ndarray,
    piloting: np.ndarray,
    deployed_by_month: np.ndarray,
    sums: np.ndarray,
    used: np.ndarray,
    figures: bool,
) -> None:
    """Move the pipeline through months t0 ≤ t < t1, all segments at once, in place: the stocks
    ``stock`` (no plans, exploring, piloting, budgeted; (4, segments, n)) and ``deployed``
    (segments, n), with the monthly ``rate`` s (explore, pilot, abandon, budget, sign; (4 + 1,
    segments, n)), each segment frozen before its ``launch`` month and the signings of all
    segments capped by ``capacity`` (months, n; no rows: no sales force). Writes each month's
    signings to ``new_hist`` (segments, months, n), the piloting and deployed accounts of month
    t to row t − t0 of ``piloting`` and ``deployed_by_month`` (window, segments, n), the
    :data:`FIGURES` summed over segments to ``sums`` (window, 6, n) and the share of the sales
    capacity used to ``used`` (window, n) — these four only with ``figures`` (a first pass over
    a long horizon needs only the signings). Where ``referred`` (segments, n) is above 0 — the
    starting accounts D₀ of a segment with a stated growth — the explore rate is raised by
    deployed ÷ D₀ at the start of each month: accounts start exploring as your deployments
    grow (references), so a growth path's inflow grows with it, as a consumer product's word
    of mouth does.

    Flows come from the stocks at the start of the month: to exploring = no plans × explore,
    to piloting = exploring × pilot, abandoned = piloting × abandon, to budgeted = piloting ×
    budget, signed = budgeted × sign (× the capacity's share served); deployed = deployed ×
    survival (from month 2: the starting accounts are there in month 1) + signed."""
    has_ref = referred > 0
    grows = bool(has_ref.any())  # else every explore rate is held (× 1.0)
    ref_or_1 = np.where(has_ref, referred, 1.0)
    for t in range(t0, t1):
        i = t - t0
        explore = rate[0] * np.where(has_ref, deployed / ref_or_1, 1.0) if grows else rate[0]
        to_explore = stock[0] * explore
        to_pilot = stock[1] * rate[1]
        abandoned = stock[2] * rate[2]
        to_budget = stock[2] * rate[3]
        signed = stock[3] * rate[4]
        waiting = launch > t + 1  # not offered to these segments yet: nothing moves
        if waiting.any():
            for f in (to_explore, to_pilot, abandoned, to_budget, signed):
                f[waiting] = 0.0
        if capacity.shape[0]:  # signings of all segments share the sales force
            served, use = capacity_limited(np.add.reduce(signed, axis=0), capacity[t])
            signed *= served
            if figures:
                used[i] = use
        stock[0] -= to_explore
        stock[1] += to_explore
        stock[1] -= to_pilot
        stock[2] += to_pilot
        stock[2] -= abandoned
        stock[2] -= to_budget
        stock[3] += to_budget
        stock[3] -= signed
        if t > 0:
            deployed *= surv
        deployed += signed
        new_hist[:, t] = signed
        if figures:
            piloting[i] = stock[2]
            deployed_by_month[i] = deployed
            for k, v in enumerate((stock[1], stock[2], stock[3], deployed, signed, abandoned)):
                sums[i, k] = np.add.reduce(v, axis=0)  # in float64, then to the KPIs' precision


class BusinessMarketBlock(Block):
    section = "market.business"
    schema = BusinessMarket
    writes = ("segments", "segment_specs")
    records: tuple[str, ...] = (*KPIS, SALES_KPI)

    def __init__(self, spec: BusinessMarket, scenario: Any):
        super().__init__(spec, scenario)
        self.records = (*KPIS, SALES_KPI) if spec.sales is not None else KPIS
        if spec.usage is not None:
            self.adds = route_keys(DEMAND, spec.served_by)
            self.consumed = (self.adds[1],)

    def problems(self, inputs: InputTable) -> Iterable[tuple[Loc, str, Any]]:
        for i, seg in enumerate(self.spec.segments):
            where = ("segments", str(i))
            for why in as_of_problems(
                seg.deployed_as_of,
                self.scenario.start,
                "start" in self.scenario.model_fields_set,
                seg.recent_growth_per_month is not None,
            ):
                yield (*where, "deployed_as_of"), why, f"{seg.deployed_as_of:%Y-%m}"
            if seg.deployed_arr is not None:
                if not _is_zero_input(inputs, seg.deployed_accounts):
                    yield (
                        (*where, "deployed_arr"),
                        "give deployed_accounts or deployed_arr for a segment, not both",
                        seg.deployed_arr.raw,
                    )
                if section_of(self.scenario, "streams.enterprise") is None:
                    yield (
                        (*where, "deployed_arr"),
                        "deployed_arr needs streams.enterprise (its seat price turns revenue "
                        "into accounts)",
                        seg.deployed_arr.raw,
                    )
            if seg.deployed_paid_seats is not None and (
                seg.deployed_arr is not None or not _is_zero_input(inputs, seg.deployed_accounts)
            ):
                yield (
                    (*where, "deployed_paid_seats"),
                    "give one of deployed_accounts, deployed_arr and deployed_paid_seats for a "
                    "segment, not two",
                    seg.deployed_paid_seats.raw,
                )
            elif seg.deployed_paid_seats is not None:
                # every seat adopted, with its shelfware, or the contract minimum: the most
                # an account pays for (paid_seats_per_account)
                most = inputs.median(seg.accounts) * max(
                    inputs.median(seg.seats_per_account)
                    / (1.0 - min(inputs.median(seg.unused_paid_seats), 1.0 - 1e-9)),
                    inputs.median(seg.min_seats_per_account),
                )
                if inputs.median(seg.deployed_paid_seats) > most:
                    yield (
                        (*where, "deployed_paid_seats"),
                        "more paid seats than the segment's accounts can pay for, every seat "
                        "adopted (accounts × seats_per_account ÷ (1 − unused_paid_seats), or "
                        f"the minimum: {most:,.0f} at the medians)",
                        seg.deployed_paid_seats.raw,
                    )
            if inputs.reaches(seg.unused_paid_seats, 1.0):
                yield (
                    (*where, "unused_paid_seats"),
                    "must stay below 100%: paid seats are the seats in use ÷ (1 − this share), "
                    "so at 100% no paid seat is ever used",
                    seg.unused_paid_seats.raw,
                )
            seats = inputs.median(seg.seats_per_account)
            if inputs.median(seg.min_seats_per_account) > seats:
                yield (
                    (*where, "min_seats_per_account"),
                    f"more than seats_per_account ({seats:g}): an account cannot be billed "
                    "for more seats than it has people",
                    seg.min_seats_per_account.raw,
                )
            accounts = inputs.median(seg.accounts)
            if inputs.median(seg.deployed_accounts) > accounts:
                yield (
                    (*where, "deployed_accounts"),
                    f"more than the segment's accounts ({accounts:g})",
                    seg.deployed_accounts.raw,
                )
            if inputs.median(seg.deployed_account_age_months) > MAX_DEPLOYED_AGE_MONTHS:
                yield (
                    (*where, "deployed_account_age_months"),
                    f"at most {MAX_DEPLOYED_AGE_MONTHS} months",
                    seg.deployed_account_age_months.raw,
                )

    def _accounts_for_arr(self, p: Params, seg: Segment, H: int) -> np.ndarray:
        """D₀ from a starting ARR: ARR ÷ 12 ÷ one starting account's month-1 revenue (paid seats
        at its age × seat price × multiple + platform fee)."""
        ent = section_of(self.scenario, "streams.enterprise")
        assert ent is not None and seg.deployed_arr is not None  # problems() checked
        paid = self.starting_holdings(p, seg, 1)[2]  # all still there
        price = ent.price_per_seat_per_month.monthly(p, 1)[0] * p[seg.seat_price_multiple]
        per_account = paid * price + p[ent.platform_fee_per_month]
        return np.asarray(p[seg.deployed_arr] / 12.0 / np.maximum(per_account, 1e-300))

    def _accounts_for_seats(self, p: Params, seg: Segment) -> np.ndarray:
        """D₀ from starting paid seats: paid seats ÷ one starting account's paid seats in the
        month they are counted (as :meth:`_accounts_for_arr`, without the price)."""
        assert seg.deployed_paid_seats is not None  # starting_accounts checked
        per_account = self.starting_holdings(p, seg, 1)[2]
        return np.asarray(p[seg.deployed_paid_seats] / np.maximum(per_account, 1e-300))

    def starting_holdings(
        self, p: Params, seg: Segment, H: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """What one starting account holds in months 1..H before churn, (H, n) each: its
        adopted share of the within-organisation curve and its paid seats (with the contract
        minimum); and the paid seats ``deployed_arr`` and ``deployed_paid_seats`` are read at,
        (n,). One age A = ``deployed_account_age_months``: s(A + t) in month t, the ARR read in
        month 1. With ``recent_growth_per_month`` g the accounts are the cohorts that growth left, ages 1..M
        weighted (survival ÷ (1 + g))^age (:func:`~breakeven.models.adoption.mean_on_growth_path`),
        M such that their mean age is ``deployed_account_age_months`` (at most the path's whole
        past: :func:`path_ages_for_mean`), so that seats, not only accounts, carry on growing
        at g as on that path, and the ARR is month 0's, as the accounts D₀ are (month 1
        already holds a month of the growth)."""
        bass = (
            p[seg.seat_innovation_per_month],
            p[seg.seat_imitation_per_month],
            p[seg.resistance],
        )
        seats_pa, unused = p[seg.seats_per_account], p[seg.unused_paid_seats]
        minimum: np.ndarray | float = (
            np.minimum(p[seg.min_seats_per_account], seats_pa)
            if not _is_zero(p, seg.min_seats_per_account)
            else 0.0
        )
        if seg.recent_growth_per_month is None:
            age = np.rint(
                np.minimum(p[seg.deployed_account_age_months], MAX_DEPLOYED_AGE_MONTHS)
            ).astype(np.int64)
            share = within_org_adoption_from(*bass, age, H)  # s(age + t), t = 1…H
            paid = paid_seats_per_account(share, seats_pa, unused, minimum)
            return share, paid, paid[0]
        ratio = np.power(p[seg.renewal_per_year], 1.0 / 12.0) / (
            1.0 + p[seg.recent_growth_per_month]
        )
        oldest = path_ages_for_mean(  # the stated age is their mean
            ratio, p[seg.deployed_account_age_months], path_ages(ratio)
        )
        n = p.n
        row = [np.broadcast_to(x, (n,)) for x in (*bass, seats_pa, unused, minimum)]
        share, paid = np.empty((H + 1, n)), np.empty((H + 1, n))  # months 0..H
        for j0 in range(0, n, PATH_SAMPLES):  # a block's every age at a time: bounded memory
            j = slice(j0, min(n, j0 + PATH_SAMPLES))
            innovation, imitation, resistance, seats, idle, least = (x[j] for x in row)
            top = int(oldest[j].max(initial=1))
            every = np.zeros((H + top + 2, j.stop - j0))  # s(0) = 0, s(1), …: by age in months
            every[1:] = within_org_adoption(innovation, imitation, resistance, H + top + 1)
            paid_every = paid_seats_per_account(every, seats, idle, least)
            share[:, j] = mean_on_growth_path(every, ratio[j], oldest[j], H + 1)
            paid[:, j] = mean_on_growth_path(paid_every, ratio[j], oldest[j], H + 1)
        return share[1:], paid[1:], paid[0]

    def implied_starting_accounts(self, p: Params, seg: Segment, H: int) -> np.ndarray:
        """The deployed accounts a segment's starting count reads as, per sample, before it is
        cut to the segment's accounts (:meth:`starting_accounts`; for the plan lint)."""
        if seg.deployed_arr is not None:
            counted = self._accounts_for_arr(p, seg, H)
        elif seg.deployed_paid_seats is not None:
            counted = self._accounts_for_seats(p, seg)
        else:
            counted = p[seg.deployed_accounts]
        if seg.deployed_as_of is not None:  # a count of an earlier month, grown to month 0
            assert seg.recent_growth_per_month is not None  # problems() checked
            behind = months_behind(seg.deployed_as_of, self.scenario.start)
            counted = grown_to_month_zero(counted, p[seg.recent_growth_per_month], behind)
        return np.asarray(counted)

    def starting_accounts(
        self, p: Params, seg: Segment, H: int
    ) -> tuple[np.ndarray, np.ndarray, bool]:
        """A segment's accounts deployed at the start (``deployed_accounts``, or read from
        ``deployed_arr`` or ``deployed_paid_seats``; at most its accounts), the accounts not yet
        deployed (the pipeline's), per sample, and whether it has a start at all."""
        acc = p[seg.accounts]
        by_arr = seg.deployed_arr is not None and not _is_zero(p, seg.deployed_arr)
        by_seats = seg.deployed_paid_seats is not None and not _is_zero(p, seg.deployed_paid_seats)
        has_start = by_arr or by_seats or not _is_zero(p, seg.deployed_accounts)
        if not has_start:
            return np.zeros(p.n), acc, False
        start = np.minimum(self.implied_starting_accounts(p, seg, H), acc)
        return start, acc - start, True

    def growth_room(self, p: Params, seg: Segment, H: int) -> np.ndarray:
        """Accounts not yet deployed ÷ the pipeline (budgeted, piloting, exploring) the segment's
        ``recent_growth_per_month`` needs on its balanced growth path, per sample (inf where it
        needs none). Below 1 the segment is too small for that growth: the stages are scaled
        down to its accounts (:func:`~breakeven.models.adoption.pipeline_on_growth_path`) and
        the growth fades from the first month."""
        assert seg.recent_growth_per_month is not None, "a segment that states its growth"
        start, not_deployed, _ = self.starting_accounts(p, seg, H)
        surv = np.power(p[seg.renewal_per_year], 1.0 / 12.0)
        exploring, piloting, budgeted = growth_path_stages(
            p[seg.recent_growth_per_month],
            1.0 - surv,
            start,
            p[seg.start_pilot_per_month],
            p[seg.abandon_pilot_per_month],
            p[seg.get_budget_per_month],
            _sign_rate(p, seg),
        )
        need = budgeted + piloting + exploring
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(np.where(need > 0, not_deployed / need, np.inf))

    def prepare(self, ctx: Ctx) -> None:
        p, H = ctx.p, ctx.months
        self.segs = []
        stocks: list[dict[str, np.ndarray]] = []
        deployed: list[np.ndarray] = []
        for seg in self.spec.segments:
            start, acc, has_start = self.starting_accounts(p, seg, H)
            surv = np.power(p[seg.renewal_per_year], 1.0 / 12.0)
            if seg.recent_growth_per_month is not None:  # a pipeline that has grown so
                *stages, explore = pipeline_on_growth_path(
                    p[seg.recent_growth_per_month],
                    1.0 - surv,
                    start,
                    acc,
                    p[seg.start_pilot_per_month],
                    p[seg.abandon_pilot_per_month],
                    p[seg.get_budget_per_month],
                    _sign_rate(p, seg),
                )
                st = dict(zip(STAGES, stages, strict=True))
            else:
                mix = {k.value if hasattr(k, "value") else k: v for k, v in seg.stage_mix.items()}
                st = {k: acc * mix.get(k, 0.0) for k in STAGES}
                explore = p[seg.start_exploring_per_month]
            bass = (
                p[seg.seat_innovation_per_month],
                p[seg.seat_imitation_per_month],
                p[seg.resistance],
            )
            seats_pa, unused = p[seg.seats_per_account], p[seg.unused_paid_seats]
            has_min = not _is_zero(p, seg.min_seats_per_account)
            minimum: np.ndarray | float = (
                np.minimum(p[seg.min_seats_per_account], seats_pa) if has_min else 0.0
            )
            # seats per deployed account by cohort age, survival included, and paid seats:
            # summed with a minimum; without one, made only if free months ask (_paid_by_age)
            weight, paid_by_age = seats_by_age(
                *bass, surv, seats_pa, unused, np.asarray(minimum) if has_min else None, H
            )
            start_seats: np.ndarray | None = None
            start_paid: np.ndarray | None = None
            if has_start:
                share, paid_pa, _ = self.starting_holdings(p, seg, H)
                by_age = survival_by_age(surv, H)
                start_seats = start * by_age * share * seats_pa
                start_paid = start * by_age * paid_pa
            stocks.append(st)
            deployed.append(start)
            self.segs.append(
                dict(
                    spec=seg,
                    explore=explore,
                    new_hist=None,  # this segment's row of self.new_hist
                    whole={},  # whole-horizon FFT sums (months, n), by what they sum
                    weight=weight,
                    paid_by_age=paid_by_age,
                    has_min=has_min,
                    start_seats=start_seats,
                    start_paid=start_paid,
                    surv=surv,
                    unused=unused,
                    bass=bass,
                    seats_pa=seats_pa,
                    minimum=minimum,
                )
            )
        # the pipeline, all segments at once: (stage, segments, n) stocks and monthly rates
        segs = self.spec.segments
        S = len(segs)
        self.stock = np.stack([segment_rows([st[k] for st in stocks], ctx.n) for k in STAGES])
        self.deployed = segment_rows(deployed, ctx.n)
        self.surv = segment_rows([g["surv"] for g in self.segs], ctx.n)
        self.rate = np.stack(
            [
                segment_rows([g["explore"] for g in self.segs], ctx.n),
                segment_rows([p[g.start_pilot_per_month] for g in segs], ctx.n),
                segment_rows([p[g.abandon_pilot_per_month] for g in segs], ctx.n),
                segment_rows([p[g.get_budget_per_month] for g in segs], ctx.n),
                segment_rows([_sign_rate(p, g) for g in segs], ctx.n),
            ]
        )
        # a stated growth's explore rate grows with the deployed accounts (0: held as it is)
        self.referred = segment_rows(
            [
                dep if g.recent_growth_per_month is not None else np.zeros(ctx.n)
                for g, dep in zip(segs, deployed, strict=True)
            ],
            ctx.n,
        )
        self.launch = np.array([g.launch_month for g in segs], dtype=np.int64)
        # every month's signings, by segment: the cohorts the seats sum
        self.new_hist = np.zeros((S, H, ctx.n))
        for k, g in enumerate(self.segs):
            g["new_hist"] = self.new_hist[k]
        # the months run ahead (reused window to window): piloting and deployed accounts by
        # segment, the FIGURES summed over segments, seats and paid seats by segment
        T = min(AHEAD, H)
        self.win_piloting = np.empty((T, S, ctx.n))
        self.win_deployed = np.empty((T, S, ctx.n))
        # KPIs only: kept at their precision (KPI_DTYPE), half the memory the window moves
        self.win_sums = np.empty((T, len(FIGURES), ctx.n), dtype=KPI_DTYPE)
        self.seats = np.empty((T, S, ctx.n))
        self.paid = np.empty((T, S, ctx.n))
        self.private = segment_rows([p[g.private_deployment_share] for g in segs], ctx.n)
        self.spectral = H > DIRECT_MAX_MONTHS  # cohort sums by FFT (see _cohorts)
        sales = self.spec.sales
        self.capacity = (
            sales.reps.monthly(p, H) * p[sales.deals_per_rep_per_month]
            if sales is not None
            else np.empty((0, ctx.n))
        )
        self.win_used = np.empty((T, ctx.n), dtype=KPI_DTYPE)  # with a sales force only
        self.profile = UsageProfile.from_spec(self.spec.usage, p) if self.spec.usage else None
        ctx.write("segment_specs", list(self.spec.segments))
        self.ahead_from, self.ahead_len = 0, 0  # the months in the window: from, how many

    def _run_ahead(self, ctx: Ctx, t0: int) -> None:
        """Run the pipeline for the next :data:`AHEAD` months from t0 (it reads nothing from
        other blocks), keeping each month's figures for :meth:`step`, then sum each segment's
        cohorts for those months together (:func:`~breakeven.models.adoption.cohort_sums`): a
        sum reads every older cohort, and months summed together share the reading. Over a
        horizon past ``DIRECT_MAX_MONTHS`` a first pass runs the whole pipeline so that its
        cohorts' sums are made once, by FFT, for every month (:meth:`_cohorts`)."""
        t1 = min(ctx.months, t0 + AHEAD)
        if self.spectral and t0 == 0:  # FFT sums take every month's cohorts: a first pass
            saved = self.stock.copy(), self.deployed.copy()
            self._pipeline(0, ctx.months, figures=False)
            self.stock, self.deployed = saved
            for g in self.segs:  # seats and paid seats from one transform of the cohorts
                keys = ["seats", "paid"] if g["has_min"] else ["seats"]
                held = [g["weight"], g["paid_by_age"]] if g["has_min"] else [g["weight"]]
                g["whole"].update(zip(keys, cohort_sums_fft(g["new_hist"], held), strict=True))
        self._pipeline(t0, t1)
        self.ahead_from, self.ahead_len = t0, t1 - t0
        T = t1 - t0
        for k, g in enumerate(self.segs):
            seats, paid = self.seats[:T, k], self.paid[:T, k]
            self._cohorts(g, "seats", g["weight"], out=seats)
            if g["start_seats"] is not None:
                seats += g["start_seats"][t0:t1]
            if g["has_min"]:  # the minimum binds account by account: per cohort
                self._cohorts(g, "paid", g["paid_by_age"], out=paid)
                if g["start_paid"] is not None:
                    paid += g["start_paid"][t0:t1]
            else:
                np.divide(seats, 1.0 - g["unused"], out=paid)
            g["billed_after"] = {}  # months free → paid seats past them, these months

    def _pipeline(self, t0: int, t1: int, figures: bool = True) -> None:
        """Run the pipeline (:func:`_pipeline`) through months t0 ≤ t < t1 into the window."""
        _pipeline(
            self.stock,
            self.deployed,
            self.rate,
            self.referred,
            self.surv,
            self.launch,
            self.capacity,
            t0,
            t1,
            self.new_hist,
            self.win_piloting,
            self.win_deployed,
            self.win_sums,
            self.win_used,
            figures,
        )

    def _cohorts(
        self,
        g: dict[str, Any],
        key: Any,
        per_age: np.ndarray | Callable[[], np.ndarray],
        start: int = 0,
        out: np.ndarray | None = None,
    ) -> np.ndarray:
        """The segment's cohorts summed with the holdings ``per_age`` (or what it makes), ages
        ``start`` on, for the months run ahead, (months, n) (into ``out`` if given): term by
        term, or over a long horizon a slice of the whole horizon's FFT sums, made once
        (:data:`~breakeven.models.adoption.DIRECT_MAX_MONTHS`)."""
        span = range(self.ahead_from, self.ahead_from + self.ahead_len)
        if not self.spectral:
            return cohort_sums(g["new_hist"], _made(per_age), span, start=start, out=out)
        whole = g["whole"].get(key)
        if whole is None:
            whole = g["whole"][key] = cohort_sums_fft(g["new_hist"], [_made(per_age)], start)[0]
        if out is None:
            return np.asarray(whole[span.start : span.stop])
        out[...] = whole[span.start : span.stop]
        return out

    def _paid_by_age(self, g: dict[str, Any]) -> np.ndarray:
        """Paid seats per deployed account by cohort age, survival included (months, n)."""
        if g["paid_by_age"] is None:
            H = g["new_hist"].shape[0]
            innovation, imitation, resistance = g["bass"]
            minimum = np.broadcast_to(g["minimum"], g["surv"].shape)
            g["paid_by_age"] = seats_by_age(
                innovation, imitation, resistance, g["surv"], g["seats_pa"], g["unused"], minimum, H
            )[1]
        return np.asarray(g["paid_by_age"])

    def _billed_after(self, g: dict[str, Any], t: int, months: int) -> np.ndarray:
        """Paid seats in month t of the segment's accounts past their first ``months`` months."""
        i = t - self.ahead_from
        assert 0 <= i < self.ahead_len, "billed_after is read in its own month"
        older = g["billed_after"].get(months)
        if older is None:
            older = g["billed_after"][months] = self._cohorts(
                g, ("billed_after", months), lambda: self._paid_by_age(g), start=months
            )
        start_paid = 0.0 if g["start_paid"] is None else g["start_paid"][t]
        return np.asarray(older[i] + start_paid)

    def _billed_after_all(self, t: int, months: int) -> np.ndarray:
        """:meth:`_billed_after` of every segment, (segments, n)."""
        return np.stack([self._billed_after(g, t, months) for g in self.segs])

    def step(self, ctx: Ctx, t: int) -> None:
        if t == self.ahead_from + self.ahead_len:
            self._run_ahead(ctx, t)
        i = t - self.ahead_from
        if self.spec.sales is not None:
            ctx.record(SALES_KPI, t, self.win_used[i])
        for k, name in enumerate(KPIS[: len(FIGURES)]):  # sums over segments
            ctx.record(name, t, self.win_sums[i, k])
        seats, paid = self.seats[i], self.paid[i]  # cohorts deployed in months 0..t, by age
        seats_all = np.add.reduce(seats, axis=0)
        ctx.record("seats", t, seats_all)
        ctx.record("paid_seats", t, np.add.reduce(paid, axis=0))
        # a contiguous copy: a compiled reader of (segments, n) rows strided by months runs
        # without SIMD (the enterprise stream's month: 4x slower)
        signed, deployed = np.ascontiguousarray(self.new_hist[:, t]), self.win_deployed[i]
        ctx.write(
            "segments",
            SegmentsMonth(
                self.spec.segments,
                signed,
                deployed,
                self.win_piloting[i],
                paid,
                self.private,
                partial(self._billed_after_all, t),
            ),
        )
        if self.profile is not None:  # private deployments run on the customer's hardware
            private_seats = np.add.reduce(seats * self.private, axis=0)
            self.profile.add_tokens(ctx, seats_all - private_seats, self.adds)
