"""To-consumer demand: Bass diffusion plus paid acquisition, churn by cohort age, reactivation.

New organic adopters follow the monthly Bass hazard (:func:`breakeven.models.adoption.
bass_new_adopters`) with word of mouth from users still active. Paid acquisition adds budget ÷
CAC users from the same remaining market, with CAC rising as the market fills. New users churn at
the early rate for their first months (a retention curve by cohort), then at the settled rate; a
share of lapsed users comes back each month. Active users drive every consumer stream and, in
average-user units, the tokens served.

Active users are monthly active users (MAU). A plan that already has users starts from
``existing_users`` (settled: they churn, bring word of mouth and are counted as having adopted,
but are not new users); a plan that counts its users daily or weekly says so
(``users_counted_as``) with the ratios of ``activity``, and every count is converted to MAU.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import ValidationInfo, field_validator, model_validator

from ..engine import (
    CalendarMonth,
    F,
    Fraction,
    NonNegative,
    NonNegativeSchedule,
    Positive,
    Rate,
    Section,
    kpi,
    line,
)
from ..engine.block import Block, Ctx
from ..engine.fields import Loc
from ..engine.inputs import InputTable
from ..format import pct_sig
from ..models.adoption import (
    bass_new_adopters,
    growing_cohorts,
    imitation_for_growth,
    lapsed_pool,
    paid_new_users,
    reactivation_for_growth,
    saturating_cac,
)
from ..models.starting_state import as_of_problems, grown_to_month_zero, months_behind
from ._usage import Usage, UsageProfile, served_by


class PaidAcquisition(Section):
    """Users bought with advertising: budget ÷ cost per acquired user, dearer as the market fills."""

    budget_per_month: NonNegativeSchedule = F(
        "Paid-acquisition spend per month; lands on opex.marketing. Set it to 0 from some month "
        "to see what happens when paid acquisition stops.",
        "currency/month",
    )
    cost_per_user: Positive = F(
        "Cost to acquire one new active user (CAC) while the audience is fresh.", "currency/user"
    )
    saturation_exponent: NonNegative = F(
        "How fast CAC rises as the cheap audience is used up: CAC × (share of the market not yet "
        "reached)^-k. 0 keeps CAC flat; at most 10.",
        "",
        default=0.5,
    )


class Retention(Section):
    """Churn that is higher in a cohort's first months than later."""

    early_churn_per_month: Fraction = F("Monthly churn of users in their first months.", "1/month")
    early_months: int = F(
        "How many months a new user counts as early.", "months", default=3, ge=1, le=24
    )


class Activity(Section):
    """How often monthly active users come back: the ratios that turn MAU into WAU and DAU."""

    dau_per_mau: Fraction | None = F(
        "Daily over monthly active users ('stickiness'; consumer apps typically 10%–50%).",
        "fraction",
        default=None,
    )
    wau_per_mau: Fraction | None = F(
        "Weekly over monthly active users (at least dau_per_mau).", "fraction", default=None
    )


COUNTED_AS = ("mau", "wau", "dau")
RATIO_FIELD = {"wau": "wau_per_mau", "dau": "dau_per_mau"}


class ConsumerMarket(Section):
    """To-consumer demand: Bass diffusion plus paid acquisition, with churn and reactivation."""

    market_size: Positive = F(
        "People who could ever use the product (Bass market potential M).", "people"
    )
    innovation_per_year: Fraction | None = F(
        "Bass coefficient of innovation p: share of the remaining market adopting per year "
        "unprompted (Bass 1969; typical 0.1%–3%). For a product that already has users, "
        "recent_growth_per_month instead (the innovation is then 0 and the growth sets the "
        "imitation).",
        "1/year",
        default=None,
    )
    imitation_per_year: NonNegative = F(
        "Bass coefficient of imitation q: adoption per year driven by existing users "
        "(word of mouth; typical 0.2–0.6). With recent_growth_per_month, the least q: the "
        "growth raises it to what carries it.",
        "1/year",
    )
    churn_per_month: Fraction = F(
        "Share of (settled) active users who stop using the product each month.", "1/month"
    )
    retention: Retention | None = F("Higher churn in a cohort's first months.", default=None)
    reactivation_per_month: Fraction = F(
        "Share of lapsed (churned) users who come back each month. With "
        "recent_growth_per_month, the least rate: where the market has too few people left for "
        "month 1's new adopters, it is raised per outcome to what carries the rest (at most "
        "100%; reactivation_for_growth).",
        "1/month",
        default=0,
    )
    paid_acquisition: PaidAcquisition | None = F("Paid user acquisition, if any.", default=None)
    recent_growth_per_month: Rate | None = F(
        "How fast active users were growing when the plan starts (net, per month, e.g. 5% to "
        "15% from the last published counts): instead of innovation_per_year (innovation 0), "
        "the imitation q is raised per outcome, never below imitation_per_year, so that month "
        "1's organic adopters = (growth + churn) × existing users − reactivated (more where "
        "imitation_per_year alone brings more); the inflow then grows with the users, as on a "
        "growth path, and the growth fades as the market fills (Bass's logistic; "
        "imitation_for_growth). Where the market has fewer people left than month 1 needs, "
        "the lapsed carry the rest: reactivation_per_month is raised per outcome, and the growth "
        "fades as they run out (reactivation_for_growth; `validate` warns, "
        "growth-beyond-market). The lapsed pool (unless lapsed_users) is that path's: churned "
        "settled and early users not yet back; a product shrinking with people coming back "
        "has nobody new and the pool whose returning make up the churn less the decline. "
        "With retention, the existing users are those of a product that has been growing so: "
        "the recent cohorts among them are still in their early months, and month 1 brings "
        "the adopters that keep the net growth after their early churn. Needs existing_users. "
        "`reference` when only one count is public: the growth of other AI products' users "
        "published before the plan's start (`breakeven reference consumer --start …`). `trend "
        "4.9%` with the growth between the last two counts: the interval is how AI products' "
        "growth carried on from one period to the next, published before the start "
        "(`breakeven reference consumer --start … --trend 4.9%`; every kind's products "
        "together while fewer than five have user counts over two periods).",
        "1/month",
        default=None,
    )
    existing_users: NonNegative = F(
        "Active users at the start (as counted by users_counted_as): settled users who churn, "
        "convert and cost like everyone else and bring word of mouth, but are not new users.",
        "users",
        default=0,
    )
    existing_users_as_of: CalendarMonth | None = F(
        "The month existing_users counts, when it is older than month 0 (the month before "
        "start), e.g. a quarter's count published a month or two after it: the count is grown "
        "to month 0 at recent_growth_per_month, count × (1 + growth)^months behind "
        "(breakeven.models.starting_state). Needs the plan's start and recent_growth_per_month.",
        "month",
        default=None,
    )
    lapsed_users: NonNegative | None = F(
        "People who used the product before and do not now, at the start (registered minus "
        "active, if known; people, not converted by users_counted_as): they come back at "
        "reactivation_per_month and are no longer in the market still to reach. Default: the "
        "pool the same churn and return rates leave behind for a product that has been growing "
        "at recent_growth_per_month (0 if not given), churn × existing ÷ (growth + "
        "reactivation), with retention the early cohorts' churn too; shrinking with people "
        "coming back, (growth + churn) × existing ÷ reactivation (models.adoption.lapsed_pool).",
        "people",
        default=None,
    )
    users_counted_as: str = F(
        "How the plan's user counts (existing_users) are stated: mau, wau or dau. The "
        "simulation runs on monthly active users and converts with activity's ratios.",
        default="mau",
        pattern="^(mau|wau|dau)$",
    )
    activity: Activity | None = F(
        "DAU/MAU and WAU/MAU ratios: to state users or conversion per day or week, and to "
        "report DAU and WAU.",
        default=None,
    )
    served_by: str | None = served_by()
    usage: Usage = F(
        "Usage per active user (per monthly active user, averaged over every day of the month, "
        "used or not); drives tokens and serving cost."
    )

    @model_validator(mode="after")
    def _innovation(self) -> ConsumerMarket:
        if (self.innovation_per_year is None) == (self.recent_growth_per_month is None):
            raise ValueError("give innovation_per_year or recent_growth_per_month (one of them)")
        if self.recent_growth_per_month is not None and (
            self.existing_users.is_point and self.existing_users.median == 0
        ):
            raise ValueError("recent_growth_per_month needs existing_users (growth of what?)")
        return self

    @field_validator("activity")
    @classmethod
    def _ratios(cls, v: Activity | None, info: ValidationInfo) -> Activity | None:
        counted = info.data.get("users_counted_as", "mau")
        need = RATIO_FIELD.get(counted)
        if need and (v is None or getattr(v, need) is None):
            raise ValueError(
                f"users_counted_as {counted} needs activity.{need} to convert to monthly "
                "active users"
            )
        return v


OUTPUTS = (
    line("opex.marketing", "Marketing", "市场营销", category="marketing"),
    kpi(
        "active_users",
        "Active users",
        "活跃用户",
        unit="users",
        category="users",
        audience="consumer",
        rank=1,
        per=2,
    ),
    kpi(
        "dau",
        "Daily active users",
        "日活跃用户",
        unit="users",
        category="users",
        audience="consumer",
        rank=10,
    ),
    kpi(
        "wau",
        "Weekly active users",
        "周活跃用户",
        unit="users",
        category="users",
        audience="consumer",
        rank=11,
    ),
    kpi(
        "new_users",
        "New users",
        "新增用户",
        unit="users/month",
        category="users",
        audience="consumer",
        rank=20,
    ),
    kpi(
        "paid_new_users",
        "New users from paid acquisition",
        "付费获客新增用户",
        unit="users/month",
        category="users",
        audience="consumer",
        rank=21,
    ),
    kpi(
        "reactivated_users",
        "Reactivated users",
        "回流用户",
        unit="users/month",
        category="users",
        audience="consumer",
        rank=22,
    ),
    kpi(
        "churned_users",
        "Churned users",
        "流失用户",
        unit="users/month",
        category="users",
        audience="consumer",
        rank=23,
    ),
    kpi(
        "cac",
        "Acquisition cost per user (CAC)",
        "单用户获客成本（CAC）",
        unit="currency/user",
        category="economics",
        audience="consumer",
    ),
)


MAX_SATURATION = 10.0
"""Largest saturation exponent k a plan may give: at k = 10 CAC is already 1,024× its start when
half the market is reached (0.5^-10); a typo such as 1T overflows the run at once."""


@dataclass
class _Start:
    """A consumer market at month 0: the activity ratios, the MAU (``existing``) — settled and,
    with retention, by early month — the lapsed pool, everyone who ever adopted, the month-1
    organic adopters the stated recent growth needs (None when innovation_per_year is given) and
    the return rate of the lapsed, raised where the market has too few people left for them
    (:func:`~breakeven.models.adoption.reactivation_for_growth`)."""

    ratios: dict[str, np.ndarray]
    existing: np.ndarray
    settled: np.ndarray
    early: np.ndarray | None
    lapsed: np.ndarray
    ever: np.ndarray
    target: np.ndarray | None
    react: np.ndarray


class ConsumerMarketBlock(Block):
    section = "market.consumer"
    schema = ConsumerMarket
    writes = ("active_users", "consumer_usage", "activity_ratios", "user_churn", "starting_users")
    adds = ("consumer_usage_units",)
    books = ("opex.marketing",)
    records: tuple[str, ...] = (
        "active_users",
        "new_users",
        "paid_new_users",
        "reactivated_users",
        "churned_users",
        "cac",
        "dau",
        "wau",
    )

    def __init__(self, spec: ConsumerMarket, scenario: Any):
        super().__init__(spec, scenario)
        act = spec.activity
        self.ratios = {
            k: getattr(act, f) for k, f in RATIO_FIELD.items() if act and getattr(act, f)
        }
        self.records = tuple(k for k in self.records if k not in RATIO_FIELD or k in self.ratios)

    def problems(self, inputs: InputTable) -> Iterable[tuple[Loc, str, Any]]:
        for why in as_of_problems(
            self.spec.existing_users_as_of,
            self.scenario.start,
            "start" in self.scenario.model_fields_set,
            self.spec.recent_growth_per_month is not None,
        ):
            yield ("existing_users_as_of",), why, f"{self.spec.existing_users_as_of:%Y-%m}"
        act = self.spec.activity
        if act is not None and act.dau_per_mau is not None and act.wau_per_mau is not None:
            dau = inputs.median(act.dau_per_mau)
            if inputs.median(act.wau_per_mau) < dau:
                yield (
                    ("activity", "wau_per_mau"),
                    f"below dau_per_mau ({pct_sig(dau)}): a week's active users include the day's, "
                    "so WAU/MAU is at least DAU/MAU",
                    act.wau_per_mau.raw,
                )
        pa = self.spec.paid_acquisition
        if pa is not None and inputs.median(pa.saturation_exponent) > MAX_SATURATION:
            yield (
                ("paid_acquisition", "saturation_exponent"),
                f"at most {MAX_SATURATION:g}: CAC × (share of the market not yet reached)^-k is "
                f"already {0.5**-MAX_SATURATION:,.0f}× its start at half the market",
                pa.saturation_exponent.raw,
            )

    def months_behind(self) -> int:
        """Months existing_users is behind month 0 (0 without existing_users_as_of)."""
        counted = self.spec.existing_users_as_of
        return 0 if counted is None else months_behind(counted, self.scenario.start)

    def _start(self, p: Any, n: int) -> _Start:
        """The users at month 0 and what the stated growth asks of month 1 (see :class:`_Start`):
        one reading, for :meth:`prepare` and for :meth:`growth_room`."""
        s = self.spec
        M, churn, react = p[s.market_size], p[s.churn_per_month], p[s.reactivation_per_month]
        ratios = {"mau": np.ones(n)} | {k: p[v] for k, v in self.ratios.items()}
        if "dau" in ratios and "wau" in ratios:  # a week has at least the day's users
            # problems() refuses WAU/MAU below DAU/MAU at their medians; two ranges that
            # overlap (20% to 40% and 35% to 60%) still draw a WAU below the DAU in some
            # samples, independently drawn: those are held at the DAU, sample by sample
            ratios["wau"] = np.maximum(ratios["wau"], ratios["dau"])
        existing = p[s.existing_users] / ratios[s.users_counted_as]
        growth = p[s.recent_growth_per_month] if s.recent_growth_per_month is not None else 0.0
        behind = self.months_behind()
        if behind:  # a count of an earlier month, grown to month 0
            existing = grown_to_month_zero(existing, growth, behind)
        settled = np.array(existing, dtype=float)
        if s.lapsed_users is not None:
            lapsed = np.minimum(p[s.lapsed_users], np.maximum(M - settled, 0.0))
        else:  # what churn and return leave behind for a product of this size and growth
            # with a stated growth, the recent cohorts in their early months churn into it too
            ret = s.retention if s.innovation_per_year is None else None
            lapsed = lapsed_pool(
                churn,
                settled,
                growth,
                react,
                M,
                p[ret.early_churn_per_month] if ret is not None else 0.0,
                ret.early_months if ret is not None else 0,
            )
        start = _Start(ratios, settled.copy(), settled, None, lapsed, settled + lapsed, None, react)
        if s.retention is not None:
            start.early = np.zeros((s.retention.early_months, n))  # users by age in months
        if s.innovation_per_year is None:  # the growth at the start, net of those coming back
            back = react * lapsed
            if s.retention is not None:  # recent adopters are still in their early months
                start.settled, start.early, start.target = growing_cohorts(
                    settled,
                    growth,
                    churn,
                    p[s.retention.early_churn_per_month],
                    s.retention.early_months,
                    back,
                )
            else:
                start.target = np.maximum((growth + churn) * settled - back, 0.0)
            # where the market has too few people left for them, those coming back carry the rest
            left = np.maximum(M - start.ever, 0.0)
            start.react = reactivation_for_growth(react, lapsed, start.target, left)
        return start

    def growth_room(self, p: Any) -> np.ndarray:
        """The market not yet reached (market_size − active − lapsed) ÷ the organic adopters
        month 1 needs for ``recent_growth_per_month``, per sample (inf where it needs none).
        Below 1 even every person left adopting falls short: the lapsed carry the rest by
        coming back faster (:meth:`returning_rate`)."""
        start = self._start(p, p.n)
        if start.target is None:
            return np.full(p.n, np.inf)
        left = np.maximum(p[self.spec.market_size] - start.ever, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(np.where(start.target > 0, left / start.target, np.inf))

    def returning_rate(self, p: Any) -> np.ndarray:
        """The lapsed users' monthly return rate the simulation uses, per sample: the plan's
        reactivation_per_month, raised where the market has too few people left for the stated
        growth (:func:`~breakeven.models.adoption.reactivation_for_growth`)."""
        return np.broadcast_to(self._start(p, p.n).react, (p.n,)).copy()

    def growth_unmet(self, p: Any) -> np.ndarray:
        """Per sample, whether month 1 falls short of ``recent_growth_per_month`` even with
        everyone the market has left adopting and the lapsed coming back at
        :meth:`returning_rate`: too few lapsed (the rate at most 100%), or none."""
        start = self._start(p, p.n)
        if start.target is None:
            return np.zeros(p.n, dtype=bool)
        left = np.maximum(p[self.spec.market_size] - start.ever, 0.0)
        short = np.maximum(start.target - left, 0.0)
        carried = (start.react - p[self.spec.reactivation_per_month]) * start.lapsed
        return np.asarray(np.broadcast_to(short > carried * (1.0 + 1e-9) + 1e-12, (p.n,)))

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        self.M = p[s.market_size]
        self.qq = p[s.imitation_per_year]
        self.churn = p[s.churn_per_month]
        if s.retention is not None:
            self.early_churn = p[s.retention.early_churn_per_month]
        pa = s.paid_acquisition
        self.budget: np.ndarray | None = None
        if pa is not None:
            self.budget = pa.budget_per_month.monthly(p, ctx.months)
            self.cac = p[pa.cost_per_user]
            self.sat = p[pa.saturation_exponent]
        start = self._start(p, ctx.n)
        self.react = start.react
        ctx.write("starting_users", start.existing)  # MAU at month 0
        self.settled, self.early, self.lapsed, self.ever = (
            start.settled,
            start.early,
            start.lapsed,
            start.ever,
        )
        if start.target is None:
            self.pp = p[s.innovation_per_year]
        else:  # word of mouth calibrated to the growth at the start (imitation_for_growth)
            self.pp = np.zeros(ctx.n)
            self.qq = imitation_for_growth(
                self.M, self.ever, self.settled + self.early_total(), self.qq, start.target
            )
        self.ratio_arrays = start.ratios
        ctx.write("activity_ratios", start.ratios)
        ctx.write("user_churn", self.churn)
        ctx.write("consumer_usage", UsageProfile.from_spec(s.usage, p))

    def early_total(self) -> np.ndarray | float:
        """Users still in their early months (0 without retention)."""
        return self.early.sum(axis=0) if self.early is not None else 0.0

    def step(self, ctx: Ctx, t: int) -> None:
        active_prev = self.settled + self.early_total()
        organic = bass_new_adopters(self.M, self.ever, active_prev, self.pp, self.qq)
        if self.budget is not None:
            cac = saturating_cac(self.cac, 1.0 - (self.ever + organic) / self.M, self.sat)
            paid = paid_new_users(self.budget[t], cac, self.M - self.ever - organic)
            ctx.book("opex.marketing", t, paid * cac)
            ctx.record("cac", t, cac)
        else:
            paid = np.zeros(ctx.n)
        new = organic + paid
        back = self.lapsed * self.react
        churned = self.settled * self.churn
        self.settled = self.settled - churned + back
        if self.early is not None:
            e = self.early
            gone = e * self.early_churn
            churned = churned + gone.sum(axis=0)
            e -= gone
            self.settled = self.settled + e[-1]  # the oldest early cohort settles
            e[1:] = e[:-1].copy()
            e[0] = new
            active = self.settled + e.sum(axis=0)
        else:
            self.settled = self.settled + new
            active = self.settled
        self.lapsed = self.lapsed + churned - back
        self.ever = self.ever + new
        ctx.write("active_users", active)
        ctx.add("consumer_usage_units", active)  # in average-user units; tiers add extra
        for k in self.ratios:
            ctx.record(k, t, active * self.ratio_arrays[k])
        for k, v in (
            ("active_users", active),
            ("new_users", new),
            ("paid_new_users", paid),
            ("reactivated_users", back),
            ("churned_users", churned),
        ):
            ctx.record(k, t, v)
