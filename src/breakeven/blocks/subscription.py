"""Subscription revenue: paid tiers, monthly or annual, net of VAT; app-store and payment fees.

Per tier: subscribers = base × paying share, where the base is the monthly, weekly or daily active
users (``conversion_of``). The paying share's target is conversion × (price ÷ month-1
price)^elasticity; the share reaches it by partial adjustment over ``adjustment_months``, from
the share the existing subscribers make at the start (:mod:`breakeven.models.response`). New
subscribers may start with a free trial and an introductory price; a share of subscribers may be
subsidised (:mod:`breakeven.models.promotions`). Revenue = billed subscribers × price × (1 − annual
share × annual discount) / (1 + VAT). Fees apply to what customers pay (VAT included): app-store
share × store fee + the rest × payment-processor fee. Annual plans are recognised monthly (cash
timing of prepayment is not modelled). Subscribers who use more than the average user add their
extra usage to the tokens served, and so do trial users while their trial lasts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import field_validator, model_validator

from ..engine import (
    F,
    Fraction,
    NonNegative,
    Positive,
    PositiveSchedule,
    Real,
    Section,
    kpi,
    line,
)
from ..engine.block import Block, Ctx
from ..engine.fields import Loc
from ..engine.formulas import Cells, schedule_formula
from ..engine.inputs import InputTable
from ..format import number, pct_sig
from ..models.pricing import annual_plan_factor, blended_fee_rate, elasticity_problem
from ..models.promotions import age_cohorts, cohort_depth, gross_starts, phase_weights
from ..models.response import adjust_share, adjustment_rate, elastic_factor
from ..models.starting_state import grown_to_month_zero, months_behind
from ._usage import DEMAND, Usage, UsageProfile, route_keys
from .consumer import RATIO_FIELD

PERIOD = {"mau": "monthly", "wau": "weekly", "dau": "daily"}


class Trial(Section):
    """A free trial for new subscribers."""

    months: float = F(
        "Length of the trial (0.25 ≈ a 7-day trial).", "months", gt=0, le=24, allow_inf_nan=False
    )
    to_paid: Fraction = F(
        "Share of trials that become paying subscribers; the others go back to the free tier.",
        "fraction",
    )

    @field_validator("to_paid")
    @classmethod
    def _some_convert(cls, v: Any) -> Any:
        if v.is_point and v.median <= 0:
            raise ValueError("to_paid must be above 0: a trial nobody converts from has no payers")
        return v


class IntroOffer(Section):
    """An introductory price for new subscribers (after any trial)."""

    months: float = F("Months at the introductory price.", "months", gt=0, le=36)
    discount: Fraction = F("Discount off the list price during those months.", "fraction")


class Subsidy(Section):
    """Subscribers on a subsidised price: a carrier or partner bundle, a student price."""

    share: Fraction = F("Share of billed subscribers on the subsidised price.", "fraction")
    discount: Fraction = F("Discount they get off the list price.", "fraction", default=1)
    paid_by: str = F(
        "Who pays the discount: you (revenue is net of it) or partner (you are paid the full "
        "price, the partner paying the difference).",
        default="you",
        pattern="^(partner|you)$",
    )


class TierTerms(Section):
    """What every tier may say beyond its price and conversion."""

    usage_multiple: Positive = F(
        "How much more a subscriber of this tier uses than the average user.", "×", default=1
    )
    existing_subscribers: NonNegative = F(
        "Subscribers at the start (past any trial). The paying share starts at existing "
        "subscribers ÷ existing users and moves to conversion over adjustment_months.",
        "users",
        default=0,
    )
    existing_mrr: NonNegative | None = F(
        "Instead of existing_subscribers: the tier's monthly recurring revenue at the start (net "
        "of VAT, as reported), read as subscribers = MRR × (1 + VAT) ÷ (month-1 price × the "
        "annual-plan factor). An ARR figure is 12 × MRR.",
        "currency/month",
        default=None,
    )
    price_elasticity: Real | None = F(
        "Elasticity of conversion to the tier's price relative to its month-1 price: target "
        "conversion × (price ÷ month-1 price)^this (e.g. -1.5: a 20% cut lifts conversion 40%). "
        "Reached over adjustment_months. Within ±50.",
        "",
        default=None,
    )
    trial: Trial | None = F("A free trial for new subscribers.", default=None)
    intro_offer: IntroOffer | None = F(
        "An introductory price for new subscribers, after any trial.", default=None
    )
    subsidised: Subsidy | None = F(
        "A share of subscribers on a subsidised price (bundle, student price).", default=None
    )
    usage: Usage | None = F(
        "The tier's own usage per subscriber (instead of usage_multiple × the free users'), "
        "e.g. a pro tier with longer prompts.",
        default=None,
    )
    served_by: str | None = F(
        "The route (a name under compute.routes) serving this tier's subscribers, e.g. a "
        "frontier model for paying users; default: the free users' (market.consumer.served_by).",
        default=None,
    )

    @model_validator(mode="after")
    def _one_usage(self) -> TierTerms:
        if self.usage is not None and not (
            self.usage_multiple.is_point and self.usage_multiple.median == 1
        ):
            raise ValueError("give usage or usage_multiple for a tier, not both")
        if self.existing_mrr is not None and not (
            self.existing_subscribers.is_point and self.existing_subscribers.median == 0
        ):
            raise ValueError("give existing_subscribers or existing_mrr for a tier, not both")
        return self

    @property
    def starting_state(self) -> tuple[str, Any]:
        """(field, value) the tier's starting subscribers are given by."""
        if self.existing_mrr is not None:
            return "existing_mrr", self.existing_mrr
        return "existing_subscribers", self.existing_subscribers

    @property
    def own_traffic(self) -> bool:
        """Whether the tier's requests are its own (own usage or route), not the free users'."""
        return self.usage is not None or self.served_by is not None


class Tier(TierTerms):
    """A paid tier beyond the main one."""

    name: str = F("Tier label, e.g. pro.")
    price_per_month: PositiveSchedule = F("List price of the tier.", "currency/month")
    conversion: Fraction = F(
        "Share of active users (of the conversion_of base) who pay for this tier.", "fraction"
    )


class Subscription(TierTerms):
    """Paid tiers: shares of active users pay monthly or annually, less store and payment fees."""

    name: str = F("Label of the main tier (in per-tier outputs).", default="main")
    price_per_month: PositiveSchedule | None = F(
        "List price of the main paid tier.", "currency/month", default=None
    )
    conversion: Fraction | None = F(
        "Share of active users (of the conversion_of base) who pay for the main tier.",
        "fraction",
        default=None,
    )
    tiers: list[Tier] = F(
        "Further tiers (e.g. a pro tier), each with its own price and conversion.",
        default_factory=list,
    )
    conversion_of: str = F(
        "The users conversion is measured against: mau (monthly active users), wau or dau "
        "(needs market.consumer.activity's ratio).",
        default="mau",
        pattern="^(mau|wau|dau)$",
    )
    adjustment_months: NonNegative = F(
        "How long the paying share takes to reach its target after a price change, or from the "
        "existing subscribers' share: each month it closes 1 − e^(−1/τ) of the gap (partial "
        "adjustment, Nerlove 1958). 0 = at once.",
        "months",
        default=0,
    )
    annual_share: Fraction = F("Share of subscribers on annual plans.", "fraction", default=0)
    annual_discount: Fraction = F(
        "Discount of annual plans over twelve monthly payments.", "fraction", default=0.2
    )
    vat: Fraction = F(
        "Value-added tax included in list prices (China: 6% on digital services); "
        "revenue is booked net of it.",
        "fraction",
        default=0,
    )
    app_store_share: Fraction = F(
        "Share of payments that go through mobile app stores.", "fraction", default=0
    )
    app_store_fee: Fraction = F(
        "App-store commission on those payments (Apple/Google: 15%–30%).", "fraction", default=0.3
    )
    payment_fee: Fraction = F(
        "Payment-processor fee on the other payments (Alipay/WeChat Pay ~0.6%, cards ~3%).",
        "fraction",
        default=0.01,
    )

    @model_validator(mode="after")
    def _some_tier(self) -> Subscription:
        if (self.price_per_month is None) != (self.conversion is None):
            raise ValueError("give both price_per_month and conversion for the main tier")
        if self.price_per_month is None and not self.tiers:
            raise ValueError("give price_per_month and conversion, or at least one of tiers")
        return self

    def tier_list(self) -> list[tuple[Loc, str, Any, Any, TierTerms]]:
        """(location, name, price, conversion, terms) of every tier, the main one first."""
        out: list[tuple[Loc, str, Any, Any, TierTerms]] = []
        if self.price_per_month is not None:
            out.append(((), self.name, self.price_per_month, self.conversion, self))
        out += [
            (("tiers", str(i)), t.name, t.price_per_month, t.conversion, t)
            for i, t in enumerate(self.tiers)
        ]
        return out


OUTPUTS = (
    line("revenue.subscription", "Subscriptions", "订阅", category="revenue", audience="consumer"),
    line(
        "cogs.payment_fees",
        "Payment & store fees",
        "支付与应用商店费用",
        category="fees",
        audience="consumer",
    ),
    kpi(
        "paying_users",
        "Paying users",
        "付费用户",
        unit="users",
        category="users",
        audience="consumer",
        rank=2,
        per=1,
    ),
    kpi(
        "trial_users",
        "Users on a free trial",
        "免费试用用户",
        unit="users",
        category="users",
        audience="consumer",
        rank=12,
    ),
    kpi(
        "subscription_revenue_per_payer",
        "Subscription revenue per payer",
        "每付费用户订阅收入",
        unit="currency/user/month",
        category="economics",
        audience="consumer",
    ),
)


@dataclass
class TierMonth:
    """One tier's figures in the current month (arrays over samples), for its unit economics."""

    name: str
    billed: np.ndarray  # paying subscribers (past any trial)
    users: np.ndarray  # who use the tier: subscribers and trial users
    revenue: np.ndarray  # net of VAT
    fees: np.ndarray
    multiple: np.ndarray  # usage over the free users' (when it has no usage of its own)
    profile: UsageProfile | None  # its own usage, if given
    own_traffic: bool  # served by its own route or with its own usage


@dataclass
class _Tier:
    """One tier's arrays for a chunk of samples, and its state."""

    name: str
    price: np.ndarray  # (months, n)
    conversion: np.ndarray
    multiple: np.ndarray
    elasticity: np.ndarray | None
    share: np.ndarray | None  # the paying share so far (None: always the target)
    subscribers: np.ndarray  # last month's subscribers
    trial_w: np.ndarray | None  # (depth, 1) weights of cohort ages in the trial
    intro_w: np.ndarray | None
    to_paid: np.ndarray
    intro_discount: np.ndarray
    cohorts: np.ndarray | None  # (depth, n)
    subsidy: tuple[np.ndarray, np.ndarray, bool] | None  # share, discount, partner pays
    keys: tuple[str, ...] | None  # the demand keys of its own traffic (None: the free users')
    profile: UsageProfile | None  # its own usage (None: the free users' × multiple)


class SubscriptionBlock(Block):
    section = "streams.subscription"
    schema = Subscription
    reads = ("active_users", "activity_ratios", "user_churn", "consumer_usage", "starting_users")
    writes = ("paying_users", "subscription_net_per_payer", "payer_usage_multiple", "tier_months")
    adds: tuple[str, ...] = ("consumer_usage_units",)
    books = ("revenue.subscription", "cogs.payment_fees")
    records: tuple[str, ...] = ("paying_users", "subscription_revenue_per_payer", "trial_users")

    def __init__(self, spec: Subscription, scenario: Any):
        super().__init__(spec, scenario)
        if all(terms.trial is None for *_, terms in spec.tier_list()):
            self.records = tuple(k for k in self.records if k != "trial_users")
        consumer = getattr(getattr(scenario, "market", None), "consumer", None)
        self.free_route = getattr(consumer, "served_by", None)
        # a tier with its own usage or route sends its subscribers' requests itself
        self.routes = {
            name: terms.served_by or self.free_route
            for _, name, _, _, terms in spec.tier_list()
            if terms.own_traffic
        }
        own = dict.fromkeys(k for r in self.routes.values() for k in route_keys(DEMAND, r))
        self.adds = ("consumer_usage_units", *own)
        self.consumed = tuple(k for k in own if k.startswith(DEMAND[1]))

    def problems(self, inputs: InputTable) -> Iterable[tuple[Loc, str, Any]]:
        s = self.spec
        seen: set[str] = set()
        for loc, name, *_ in s.tier_list():
            if name in seen:
                yield loc + ("name",), "two tiers have this name (it names their outputs)", name
            seen.add(name)
        for loc, _, _, _, terms in s.tier_list():
            leaf = terms.price_elasticity
            why = elasticity_problem(inputs.median(leaf)) if leaf is not None else None
            if why:
                yield loc + ("price_elasticity",), why, leaf.raw
        consumer = getattr(getattr(self.scenario, "market", None), "consumer", None)
        if consumer is None:
            return
        act = consumer.activity
        field = RATIO_FIELD.get(s.conversion_of)
        if field and (act is None or getattr(act, field) is None):
            yield (
                ("conversion_of",),
                f"conversion of {s.conversion_of} needs market.consumer.activity.{field}",
                s.conversion_of,
            )
        yield from self._more_subscribers_than_users(inputs, consumer)
        lag = inputs.dist(s.adjustment_months)
        for loc, name, _, _, terms in s.tier_list():
            key, value = terms.starting_state
            existing = inputs.dist(value)
            if existing.is_point and existing.median == 0:
                continue
            if inputs.dist(consumer.existing_users).median <= 0:
                yield (
                    loc + (key,),
                    "existing subscribers need market.consumer.existing_users",
                    existing.describe(),
                )
            elif lag.is_point and lag.median == 0:
                yield (
                    loc + (key,),
                    f"tier {name}: existing subscribers need adjustment_months above 0 (else "
                    "the paying share jumps to conversion in month 1; without them, existing "
                    "users × conversion are the starting subscribers)",
                    existing.describe(),
                )

    def _more_subscribers_than_users(
        self, inputs: InputTable, consumer: Any
    ) -> Iterable[tuple[Loc, str, Any]]:
        """Starting subscribers, summed over the tiers, beyond the starting users they are a
        share of (the conversion_of base at month 0, as ConsumerMarketBlock._start reads it):
        the paying share would start above 100%, and :meth:`prepare` holds it at 100%.
        Compared at the medians, as every check of one input against another; an existing_mrr
        is read as the subscribers it implies, at the medians of price, VAT and annual plans.
        Said at the tier whose subscribers take the total past the users."""
        s = self.spec
        act = consumer.activity
        ratios = {"mau": 1.0}
        for k, f in RATIO_FIELD.items():
            leaf = getattr(act, f) if act is not None else None
            if leaf is not None:
                ratios[k] = inputs.median(leaf)
        if "dau" in ratios and "wau" in ratios:  # as _start does
            ratios["wau"] = max(ratios["wau"], ratios["dau"])
        counted, conv = consumer.users_counted_as, s.conversion_of
        if ratios.get(counted, 0.0) <= 0.0 or conv not in ratios:
            return  # no conversion to monthly users (said elsewhere)
        users = inputs.median(consumer.existing_users)
        mau = users / ratios[counted]
        how = []
        if counted != "mau":
            how.append(
                f"existing_users {number(users)} {counted.upper()} ÷ {RATIO_FIELD[counted]} "
                f"{pct_sig(ratios[counted])}"
            )
        behind = self._months_behind(consumer)
        if behind > 0:
            mau = float(
                grown_to_month_zero(mau, inputs.median(consumer.recent_growth_per_month), behind)
            )
            months = "month" if behind == 1 else f"{behind} months"
            how.append(f"grown over the {months} from existing_users_as_of to month 0")
        base = mau * ratios[conv]
        if conv == "mau":
            shown = f"{number(base)} monthly active users"
        else:
            how.append(
                f"{number(mau)} monthly × {RATIO_FIELD[conv]} {pct_sig(ratios[conv])}, the "
                f"base of conversion_of {conv}"
            )
            shown = f"{number(base)} {PERIOD[conv]} active users"
        if how:
            shown += ": " + ", ".join(how)
        if base <= 0.0:
            return  # existing subscribers without existing users: said below
        total = 0.0
        counts: list[str] = []
        by_mrr = False
        for loc, name, price, _, terms in s.tier_list():
            key, value = terms.starting_state
            n = inputs.median(value)
            if n <= 0.0:
                continue
            if terms.existing_mrr is not None:
                pays = self._month_one_price(inputs, price)
                if pays <= 0.0:  # annual plans at a 100% discount: no subscriber count
                    continue
                by_mrr = True
                n = n * (1.0 + inputs.median(s.vat)) / pays
            total += n
            counts.append(f"{name} {number(n)}")
            if total > base * (1.0 + 1e-9):
                detail = f": {' + '.join(counts)}" if len(counts) > 1 else ""
                mrr = (
                    "; existing_mrr counts MRR × (1 + VAT) ÷ (month-1 price × annual-plan "
                    "factor) subscribers"
                    if by_mrr
                    else ""
                )
                yield (
                    loc + (key,),
                    f"more subscribers at the start ({number(total)}{detail}) than users "
                    f"({shown}): subscribers are some of those users, the paying share at "
                    f"most 100%{mrr}",
                    value.raw,
                )
                return

    def _months_behind(self, consumer: Any) -> int:
        """Months market.consumer's existing_users is behind month 0, where that is stated
        and fine (else 0: the consumer block says what is wrong)."""
        counted = consumer.existing_users_as_of
        if (
            counted is None
            or consumer.recent_growth_per_month is None
            or "start" not in self.scenario.model_fields_set
        ):
            return 0
        return max(months_behind(counted, self.scenario.start), 0)

    def _month_one_price(self, inputs: InputTable, price: Any) -> float:
        """Median month-1 price of a tier × the annual-plan factor (what a payer pays)."""
        if price.constant is not None:
            leaf = price.constant
        else:  # a step schedule's first step (key 0 or 1), or a growth schedule's start
            leaf = price.steps[0][1] if price.steps else price.start
        s = self.spec
        factor = 1.0 - inputs.median(s.annual_share) * inputs.median(s.annual_discount)
        return float(inputs.median(leaf) * factor)

    def prepare(self, ctx: Ctx) -> None:
        s, p, H = self.spec, ctx.p, ctx.months
        self.base_ratio = ctx.read("activity_ratios")[s.conversion_of]
        self.rate = adjustment_rate(p[s.adjustment_months])
        self.churn = ctx.read("user_churn")
        self.disc = annual_plan_factor(p[s.annual_share], p[s.annual_discount])
        self.vat = p[s.vat]
        self.fee = blended_fee_rate(p[s.app_store_share], p[s.app_store_fee], p[s.payment_fee])
        users0 = ctx.read("starting_users")  # MAU at month 0
        base0 = users0 * self.base_ratio  # existing users in the conversion base
        self.tiers = []
        for _, name, price, conv, terms in s.tier_list():
            prices = price.monthly(p, H)
            start_field = terms.starting_state[1]
            existing = p[start_field]
            if terms.existing_mrr is not None:  # revenue → subscribers at the month-1 price
                existing = existing * (1.0 + self.vat) / (prices[0] * self.disc)
            # decided for the plan, not the chunk, so that chunking cannot change a result
            has_existing = not (p.is_point(start_field) and float(existing[0]) == 0.0)
            dynamic = has_existing or terms.price_elasticity is not None
            # a sample without existing subscribers starts at the target (NaN: "fresh")
            share0 = (
                np.divide(
                    existing,
                    base0,
                    out=np.full(ctx.n, np.nan),
                    where=(existing > 0) & (base0 > 0),
                )
                if has_existing
                else None
            )
            depth = 0
            if terms.trial is not None:
                depth = cohort_depth(terms.trial.months)
            if terms.intro_offer is not None:
                depth = cohort_depth(
                    (terms.trial.months if terms.trial else 0.0) + terms.intro_offer.months
                )
            trial_w = intro_w = None
            if terms.trial is not None:
                trial_w = phase_weights(terms.trial.months, depth)[:, None]
            if terms.intro_offer is not None:
                before = terms.trial.months if terms.trial else 0.0
                intro_w = (
                    phase_weights(before + terms.intro_offer.months, depth)
                    - phase_weights(before, depth)
                )[:, None]
            sub = terms.subsidised
            self.tiers.append(
                _Tier(
                    name=name,
                    price=prices,
                    conversion=p[conv],
                    multiple=p[terms.usage_multiple],
                    elasticity=(
                        p[terms.price_elasticity] if terms.price_elasticity is not None else None
                    ),
                    share=(np.minimum(share0, 1.0) if share0 is not None else None)
                    if dynamic
                    else None,
                    subscribers=existing * 1.0,
                    trial_w=trial_w,
                    intro_w=intro_w,
                    to_paid=p[terms.trial.to_paid] if terms.trial else np.ones(ctx.n),
                    intro_discount=(
                        p[terms.intro_offer.discount] if terms.intro_offer else np.zeros(ctx.n)
                    ),
                    cohorts=np.zeros((depth, ctx.n)) if depth else None,
                    subsidy=(p[sub.share], p[sub.discount], sub.paid_by == "partner")
                    if sub is not None
                    else None,
                    keys=route_keys(DEMAND, self.routes[name]) if name in self.routes else None,
                    profile=UsageProfile.from_spec(terms.usage, p) if terms.usage else None,
                )
            )
            if dynamic and self.tiers[-1].share is None:
                self.tiers[-1].share = np.full(ctx.n, np.nan)  # set to the target in month 1

    def _target(self, g: _Tier, t: int) -> np.ndarray:
        """This month's target paying share of the tier."""
        if g.elasticity is None:
            return g.conversion
        return np.minimum(g.conversion * elastic_factor(g.price[t] / g.price[0], g.elasticity), 1.0)

    def step(self, ctx: Ctx, t: int) -> None:
        active = ctx.read("active_users")
        free_profile = ctx.read("consumer_usage")
        base = active if self.spec.conversion_of == "mau" else active * self.base_ratio
        # sums over tiers (0.0 until a tier adds to them: no arrays made for nothing)
        paying: Any = 0.0
        trying: Any = 0.0
        customer: Any = 0.0  # what customers pay (VAT included)
        partner: Any = 0.0  # what partners pay for subsidised subscribers
        extra_units: Any = 0.0
        months = []
        for g in self.tiers:
            target = self._target(g, t)
            if g.share is None:
                share = target
            else:
                fresh = np.isnan(g.share)  # no starting share: the target from month 1
                share = np.where(
                    fresh | (self.rate >= 1.0), target, adjust_share(g.share, target, self.rate)
                )
                g.share = share
            subscribers = base * share
            billed = subscribers
            at_list = billed
            users = subscribers  # who use the tier: subscribers, and trial users who will not pay
            if g.cohorts is not None:
                starts = gross_starts(subscribers, g.subscribers, self.churn)
                age_cohorts(g.cohorts, starts, self.churn)
                if g.trial_w is not None:
                    in_trial = (g.trial_w * g.cohorts).sum(axis=0)
                    billed = subscribers - in_trial
                    trial_users = in_trial / g.to_paid
                    trying = trying + trial_users
                    users = billed + trial_users
                at_list = billed
                if g.intro_w is not None:
                    in_intro = (g.intro_w * g.cohorts).sum(axis=0)
                    at_list = billed - in_intro * g.intro_discount
            g.subscribers = subscribers
            pays = at_list * g.price[t] * self.disc  # billed subscribers in full-price units
            from_partner: Any = 0.0
            if g.subsidy is not None:
                share_s, discount, by_partner = g.subsidy
                off = pays * share_s * discount
                pays = pays - off
                if by_partner:
                    from_partner = off
            paying = paying + billed
            customer = customer + pays
            partner = partner + from_partner
            if g.keys is None:  # the free users' requests, heavier by the multiple
                extra_units = extra_units + users * (g.multiple - 1.0)
            else:  # its own requests, on its route; out of the free users' traffic
                extra_units = extra_units - users
                if g.profile is not None:
                    g.profile.add_tokens(ctx, users, g.keys)
                else:
                    free_profile.add_tokens(ctx, users * g.multiple, g.keys)
            months.append(
                TierMonth(
                    g.name,
                    billed,
                    users,
                    (pays + from_partner) / (1.0 + self.vat),
                    pays * self.fee,
                    g.multiple,
                    g.profile,
                    g.keys is not None,
                )
            )
        revenue = (customer + partner) / (1.0 + self.vat)
        fees = customer * self.fee
        ctx.book("revenue.subscription", t, revenue)
        ctx.book("cogs.payment_fees", t, fees)
        ctx.add("consumer_usage_units", extra_units)
        ctx.write("tier_months", months)
        ctx.write("paying_users", paying)
        ctx.write(
            "subscription_net_per_payer",
            np.divide(revenue - fees, paying, out=np.zeros(ctx.n), where=paying > 0),
        )
        ctx.write(
            "payer_usage_multiple",
            np.divide(paying + extra_units, paying, out=np.ones(ctx.n), where=paying > 0),
        )
        ctx.record("paying_users", t, paying)
        if "trial_users" in self.records:
            ctx.record("trial_users", t, trying)
        ctx.record(
            "subscription_revenue_per_payer",
            t,
            np.divide(revenue, paying, out=np.zeros(ctx.n), where=paying > 0),
        )

    def formulas(self, cells: Cells, t: int) -> dict[str, str]:
        """One tier without promotions: paying users × price × (1 − annual share × annual
        discount) ÷ (1 + VAT); fees on what customers pay (VAT included)."""
        s = self.spec
        tiers = s.tier_list()
        if len(tiers) != 1:
            return {}
        _, _, price, _, terms = tiers[0]
        paying = cells.row("paying_users", t)
        revenue = cells.row("revenue.subscription", t)
        if terms.trial or terms.intro_offer or terms.subsidised or paying is None or not revenue:
            return {}
        vat = cells.input(s.vat)
        annual = f"(1-{cells.input(s.annual_share)}*{cells.input(s.annual_discount)})"
        store = cells.input(s.app_store_share)
        fee = f"({store}*{cells.input(s.app_store_fee)}+(1-{store})*{cells.input(s.payment_fee)})"
        return {
            "revenue.subscription": (
                f"{paying}*{schedule_formula(price, t, cells)}*{annual}/(1+{vat})"
            ),
            "cogs.payment_fees": f"{revenue}*(1+{vat})*{fee}",
        }
