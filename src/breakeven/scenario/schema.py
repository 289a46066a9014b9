"""The scenario schema: one pydantic model is the whole truth of a plan.

Every field carries a description and a unit; ``breakeven schema --markdown`` renders them into
``docs/scenario-reference.md``. Uncertain fields take their shape from their type (see types.py).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from .types import (
    Fraction,
    NonNegative,
    NonNegativeSchedule,
    Positive,
    PositiveSchedule,
)


def F(description: str, unit: str | None = None, default: Any = ..., **kw) -> Any:
    """A documented field: description and unit land in the JSON schema and the reference."""
    extra = {"unit": unit} if unit else None
    return Field(default, description=description, json_schema_extra=extra, **kw)


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True,
                              validate_default=True)


# ------------------------------------------------------------------ market

class PaidAcquisition(Section):
    """Users bought with advertising: budget ÷ cost per acquired user."""

    budget_per_month: NonNegativeSchedule = F(
        "Paid-acquisition spend per month; lands on opex.marketing.", "currency/month")
    cost_per_user: Positive = F(
        "Cost to acquire one new active user (CAC) while the audience is fresh.", "currency/user")


class Usage(Section):
    """How much an active user asks of the model."""

    requests_per_day: Positive = F("Requests an average active user sends per day.",
                                   "requests/day")
    input_tokens_per_request: Positive = F(
        "Prompt tokens per request, including system prompt and conversation history.", "tokens")
    output_tokens_per_request: Positive = F("Generated tokens per request.", "tokens")


class ConsumerMarket(Section):
    """To-consumer demand: Bass diffusion plus paid acquisition, with monthly churn."""

    market_size: Positive = F("People who could ever use the product (Bass market potential M).",
                              "people")
    innovation_per_year: Fraction = F(
        "Bass coefficient of innovation p: share of the remaining market adopting per year "
        "unprompted (Bass 1969; typical 0.1%–3%).", "1/year")
    imitation_per_year: NonNegative = F(
        "Bass coefficient of imitation q: adoption per year driven by existing users "
        "(word of mouth; typical 0.2–0.6).", "1/year")
    churn_per_month: Fraction = F("Share of active users who stop using the product each month.",
                                  "1/month")
    reactivation_per_month: Fraction = F(
        "Share of lapsed (churned) users who come back each month.", "1/month", default=0)
    paid_acquisition: PaidAcquisition | None = F("Paid user acquisition, if any.", default=None)
    usage: Usage = F("Usage per active user; drives tokens and serving cost.")


class Market(Section):
    consumer: ConsumerMarket | None = F("To-consumer demand.", default=None)


# ------------------------------------------------------------------ streams

class Subscription(Section):
    """A paid tier: a share of active users pays a monthly price, less store and payment fees."""

    price_per_month: PositiveSchedule = F("List price of the paid tier.", "currency/month")
    conversion: Fraction = F("Share of active users who pay for the tier.", "fraction")
    app_store_share: Fraction = F(
        "Share of payments that go through mobile app stores.", "fraction", default=0)
    app_store_fee: Fraction = F(
        "App-store commission on those payments (Apple/Google: 15%–30%).", "fraction",
        default=0.3)
    payment_fee: Fraction = F(
        "Payment-processor fee on the other payments (Alipay/WeChat Pay ~0.6%, cards ~3%).",
        "fraction", default=0.01)


class Streams(Section):
    subscription: Subscription | None = F("Subscription revenue.", default=None)


# ------------------------------------------------------------------ compute

class PerToken(Section):
    """Serving priced directly per million tokens (a negotiated API rate or a known unit cost)."""

    input_price_per_million: PositiveSchedule = F("Price per million input tokens.",
                                                  "currency/M tokens")
    output_price_per_million: PositiveSchedule = F("Price per million output tokens.",
                                                   "currency/M tokens")
    currency: str | None = F("Currency of these prices; converted with `fx`. Default: the "
                             "scenario's currency.", "ISO 4217", default=None)


class Serving(Section):
    per_token: PerToken | None = F("Serving cost per million tokens.", default=None)

    @model_validator(mode="after")
    def _one(self):
        chosen = [k for k in ("per_token",) if getattr(self, k) is not None]
        if len(chosen) != 1:
            raise ValueError("choose exactly one serving mode: per_token")
        return self


class Compute(Section):
    serving: Serving | None = F("How requests are served and what they cost.", default=None)


# ------------------------------------------------------------------ company & funding

class Role(Section):
    role: str = F("Name of the role or team, e.g. engineering.")
    headcount: NonNegativeSchedule = F("People in this role, per month.", "people")
    cost_per_person_per_year: Positive = F(
        "Fully loaded cost of one person (salary, social insurance, benefits, office).",
        "currency/year")


class Company(Section):
    team: list[Role] = F("Headcount plan by role; lands on opex.people.", default_factory=list)
    brand_marketing_per_month: NonNegativeSchedule = F(
        "Marketing beyond paid acquisition (brand, events); lands on opex.marketing.",
        "currency/month", default=0)
    g_and_a_per_month: NonNegativeSchedule = F(
        "General and administrative costs (rent, legal, tools); lands on opex.g_and_a.",
        "currency/month", default=0)


class Round(Section):
    name: str = F("Label of the round, e.g. Series A.", default="round")
    month: int = F("Month the money arrives (1 = first month).", "month", ge=1)
    amount: NonNegative = F("Cash raised.", "currency")


class Funding(Section):
    starting_cash: NonNegative = F("Cash in the bank at the start of month 1.", "currency")
    rounds: list[Round] = F("Equity or debt raised during the horizon.", default_factory=list)


# ------------------------------------------------------------------ the scenario

class Correlation(Section):
    """A rank correlation between two uncertain inputs (Gaussian copula)."""

    between: list[str] = F("The two inputs, by path (e.g. streams.subscription.conversion) or "
                           "as $variable.", min_length=2, max_length=2)
    rank: float = F("Spearman rank correlation, -1 to 1 (e.g. -0.5: when conversion is high, "
                    "churn tends to be low).", ge=-0.99, le=0.99)


class Scenario(Section):
    """A business plan under uncertainty: everything breakeven needs to simulate it."""

    _source: str = PrivateAttr("<scenario>")
    _correlation_pairs: list = PrivateAttr(default_factory=list)

    def correlation_pairs(self) -> list[tuple[str, str, float]]:
        """(input name, input name, rank) for each declared correlation, names resolved."""
        return list(self._correlation_pairs)

    name: str = F("Name of the plan, shown in reports.")
    description: str = F("What the plan is and where its numbers come from.", default="")
    currency: str = F("Currency of every money amount in the file.", "ISO 4217", default="CNY")
    fx: dict[str, Positive] = F(
        "Exchange rates: units of `currency` per one unit of each other currency, e.g. "
        "{USD: 7.1 to 7.3}. Used to convert catalog and per-token prices.", "currency/unit",
        default_factory=dict)
    horizon_months: int = F("Months simulated.", "months", default=60, ge=1, le=240)
    samples: int = F("Monte Carlo samples (outcomes) drawn.", "samples", default=10_000, ge=1,
                     le=10_000_000)
    seed: int = F("Random seed; same scenario and seed give identical results.", default=0, ge=0)
    discount_rate_per_year: Fraction = F("Annual discount rate for NPV.", "1/year", default=0.12)
    variables: dict[str, Any] = F(
        "Named inputs referenced as `$name` from any field; drawn once per sample, so every use "
        "sees the same value. Their shape comes from the fields that use them.",
        default_factory=dict)
    correlations: list[Correlation] = F("Rank correlations between uncertain inputs.",
                                        default_factory=list)
    market: Market = F("Who uses the product and how much.", default_factory=Market)
    streams: Streams = F("How the product earns.", default_factory=Streams)
    compute: Compute = F("What serving and training cost.", default_factory=Compute)
    company: Company = F("People and overheads.", default_factory=Company)
    funding: Funding = F("Cash at start and money raised.")

    @field_validator("currency")
    @classmethod
    def _currency(cls, v: str) -> str:
        if not (len(v) == 3 and v.isalpha()):
            raise ValueError("currency must be a three-letter ISO 4217 code such as CNY or USD")
        return v.upper()

    @field_validator("fx")
    @classmethod
    def _fx(cls, v: dict) -> dict:
        bad = [k for k in v if not (isinstance(k, str) and len(k) == 3 and k.isalpha())]
        if bad:
            raise ValueError(f"fx keys must be ISO 4217 codes, got {bad[0]!r}")
        return {k.upper(): x for k, x in v.items()}

    @field_validator("variables")
    @classmethod
    def _vars(cls, v: dict) -> dict:
        import re
        for k in v:
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", str(k)):
                raise ValueError(f"variable names are letters, digits and _, got {k!r}")
        return v
