"""The scenario schema: one pydantic model is the whole truth of a plan.

Every field carries a description and a unit; ``breakeven schema --markdown`` renders them into
``docs/scenario-reference.md``. Uncertain fields take their shape from their type (see types.py).
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from .types import (
    Fraction,
    NonNegative,
    NonNegativeSchedule,
    Number,
    Positive,
    PositiveSchedule,
    Rate,
    Real,
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
    """Users bought with advertising: budget ÷ cost per acquired user, dearer as the market fills."""

    budget_per_month: NonNegativeSchedule = F(
        "Paid-acquisition spend per month; lands on opex.marketing. Set it to 0 from some month "
        "to see what happens when paid acquisition stops.", "currency/month")
    cost_per_user: Positive = F(
        "Cost to acquire one new active user (CAC) while the audience is fresh.", "currency/user")
    saturation_exponent: NonNegative = F(
        "How fast CAC rises as the cheap audience is used up: CAC × (share of the market not yet "
        "reached)^-k. 0 keeps CAC flat.", "", default=0.5)


class Usage(Section):
    """How much an active user (or seat, or device) asks of the model."""

    requests_per_day: Positive = F("Requests an average user sends per day (the mean).",
                                   "requests/day")
    input_tokens_per_request: Positive = F(
        "Prompt tokens per request, including system prompt and conversation history.", "tokens")
    output_tokens_per_request: Positive = F("Generated tokens per request.", "tokens")
    spread_sigma: NonNegative = F(
        "Heavy tail of usage across users: σ of log usage (lognormal with the given mean). "
        "0 = everyone alike; 0.5 → p90 user 1.7× the mean, p99 2.8×; 0.8 → 2.0× and 4.6×; "
        "1.2 → 2.3× and 8.3×.", "", default=0)
    cap_multiple_of_mean: Positive | None = F(
        "Fair-use limit: no user is served more than this multiple of the mean usage (the "
        "heavy tail is cut off; lowers serving cost).", "×mean", default=None)


class Retention(Section):
    """Churn that is higher in a cohort's first months than later."""

    early_churn_per_month: Fraction = F("Monthly churn of users in their first months.",
                                        "1/month")
    early_months: int = F("How many months a new user counts as early.", "months", default=3,
                          ge=1, le=24)


class ConsumerMarket(Section):
    """To-consumer demand: Bass diffusion plus paid acquisition, with churn and reactivation."""

    market_size: Positive = F("People who could ever use the product (Bass market potential M).",
                              "people")
    innovation_per_year: Fraction = F(
        "Bass coefficient of innovation p: share of the remaining market adopting per year "
        "unprompted (Bass 1969; typical 0.1%–3%).", "1/year")
    imitation_per_year: NonNegative = F(
        "Bass coefficient of imitation q: adoption per year driven by existing users "
        "(word of mouth; typical 0.2–0.6).", "1/year")
    churn_per_month: Fraction = F(
        "Share of (settled) active users who stop using the product each month.", "1/month")
    retention: Retention | None = F("Higher churn in a cohort's first months.", default=None)
    reactivation_per_month: Fraction = F(
        "Share of lapsed (churned) users who come back each month.", "1/month", default=0)
    paid_acquisition: PaidAcquisition | None = F("Paid user acquisition, if any.", default=None)
    usage: Usage = F("Usage per active user; drives tokens and serving cost.")


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
    seats_per_account: Positive = F("Employees who could use the product in one account.",
                                    "seats")
    stage_mix: dict[Stage, float] = F(
        "Share of accounts in each stage at the start (no_plans, exploring, piloting, "
        "budgeted). Default: the end-2023 survey, 7% / 34% / 35% / 24%.",
        default_factory=lambda: dict(SURVEY_STAGE_MIX))
    start_exploring_per_month: Fraction = F("Share of no-plans accounts that start exploring "
                                            "each month.", "1/month", default=0.02)
    start_pilot_per_month: Fraction = F("Share of exploring accounts that start a pilot with "
                                        "you each month (your win rate included).", "1/month")
    get_budget_per_month: Fraction = F("Share of piloting accounts that get a budget each month.",
                                       "1/month")
    abandon_pilot_per_month: Fraction = F("Share of piloting accounts that abandon each month.",
                                          "1/month", default=0.03)
    sales_cycle_months: Positive = F("Mean months from budget to a signed, deployed contract.",
                                     "months", default=4)
    renewal_per_year: Fraction = F("Share of contracts renewed at each anniversary (spread "
                                   "monthly).", "1/year", default=0.85)
    seat_innovation_per_month: Fraction = F(
        "Within a won account, monthly share of remaining employees adopting unprompted (Bass p "
        "inside the organisation).", "1/month", default=0.03)
    seat_imitation_per_month: NonNegative = F(
        "Within a won account, adoption driven by colleagues (Bass q inside the organisation); "
        "large organisations adopt more slowly.", "1/month", default=0.15)
    resistance: Fraction = F("Share of employees who never adopt.", "fraction", default=0.3)
    unused_paid_seats: Fraction = F("Share of paid seats nobody uses (shelfware).", "fraction",
                                    default=0.15)
    private_deployment_share: Fraction = F(
        "Share of won accounts that require private (on-premises) deployment.", "fraction",
        default=0)
    seat_price_multiple: Positive = F(
        "This segment's seat price relative to streams.enterprise's (e.g. 0.8: volume "
        "discount for large accounts).", "×", default=1)
    deal_size_multiple: Positive = F(
        "This segment's per-account fees (platform, implementation, private deployment) "
        "relative to streams.enterprise's: a state-owned group's project can be 10–100× a small "
        "firm's.", "×", default=1)
    account_cost_multiple: Positive = F(
        "This segment's per-account costs (integration, customisation, security, maintenance, "
        "pre-sales, private deployment) relative to streams.enterprise's.", "×", default=1)
    payment_terms_days: NonNegative | None = F(
        "Days this segment takes to pay; default: streams.enterprise.payment_terms_days.",
        "days", default=None)

    @field_validator("stage_mix")
    @classmethod
    def _mix(cls, v):
        total = sum(v.values())
        if not all(0 <= x <= 1 for x in v.values()) or abs(total - 1) > 1e-6:
            raise ValueError(f"stage shares must be fractions adding up to 1 (they add up to "
                             f"{total:.4g})")
        return v


class BusinessMarket(Section):
    """To-business demand: a pipeline of enterprises by segment."""

    segments: list[Segment] = F("Segments of the market (large, medium, small…).", min_length=1)
    usage: Usage | None = F("Usage per active seat; drives tokens and serving cost.",
                            default=None)


class Market(Section):
    consumer: ConsumerMarket | None = F("To-consumer demand.", default=None)
    business: BusinessMarket | None = F("To-business demand.", default=None)


# ------------------------------------------------------------------ streams

class Tier(Section):
    """A paid tier beyond the main one."""

    name: str = F("Tier label, e.g. pro.")
    price_per_month: PositiveSchedule = F("List price of the tier.", "currency/month")
    conversion: Fraction = F("Share of active users who pay for this tier.", "fraction")
    usage_multiple: Positive = F("How much more a subscriber of this tier uses than the average "
                                 "user.", "×", default=1)


class Subscription(Section):
    """Paid tiers: shares of active users pay monthly or annually, less store and payment fees."""

    price_per_month: PositiveSchedule | None = F("List price of the main paid tier.",
                                                 "currency/month", default=None)
    conversion: Fraction | None = F("Share of active users who pay for the main tier.",
                                    "fraction", default=None)
    usage_multiple: Positive = F("How much more a subscriber uses than the average user.", "×",
                                 default=1)
    tiers: list[Tier] = F("Further tiers (e.g. a pro tier), each with its own price and "
                          "conversion.", default_factory=list)
    annual_share: Fraction = F("Share of subscribers on annual plans.", "fraction", default=0)
    annual_discount: Fraction = F("Discount of annual plans over twelve monthly payments.",
                                  "fraction", default=0.2)
    vat: Fraction = F("Value-added tax included in list prices (China: 6% on digital services); "
                      "revenue is booked net of it.", "fraction", default=0)
    app_store_share: Fraction = F(
        "Share of payments that go through mobile app stores.", "fraction", default=0)
    app_store_fee: Fraction = F(
        "App-store commission on those payments (Apple/Google: 15%–30%).", "fraction",
        default=0.3)
    payment_fee: Fraction = F(
        "Payment-processor fee on the other payments (Alipay/WeChat Pay ~0.6%, cards ~3%).",
        "fraction", default=0.01)

    @model_validator(mode="after")
    def _some_tier(self):
        if (self.price_per_month is None) != (self.conversion is None):
            raise ValueError("give both price_per_month and conversion for the main tier")
        if self.price_per_month is None and not self.tiers:
            raise ValueError("give price_per_month and conversion, or at least one of tiers")
        return self


class Ads(Section):
    """Advertising, capped by attention: minutes × ad load → impressions × fill × CPM."""

    minutes_per_user_per_day: Positive = F("Minutes an active (non-paying) user spends per day.",
                                           "minutes/day")
    ads_per_minute: Positive = F("Ad load: impressions offered per minute of attention.",
                                 "ads/minute")
    fill_rate: Fraction = F("Share of offered impressions sold.", "fraction", default=0.7)
    cpm: Positive = F("Revenue per thousand impressions sold.", "currency/1000 ads")
    paying_users_see_ads: bool = F("Whether subscribers also see ads.", default=False)


class Commission(Section):
    """An assistant that brokers purchases and takes a cut."""

    transacting_share: Fraction = F("Share of active users who buy through the assistant in a "
                                    "month.", "fraction")
    gmv_per_transacting_user_per_month: Positive = F("Value bought per transacting user.",
                                                     "currency/month")
    take_rate: Fraction = F("Commission on that value.", "fraction")


class TopUps(Section):
    """Usage credits bought on top of the free allowance."""

    buyer_share: Fraction = F("Share of active users who buy credits in a month.", "fraction")
    spend_per_buyer_per_month: Positive = F("Credits bought per buyer per month.",
                                            "currency/month")
    price_per_million_tokens: Positive = F("Price of credits per million tokens (blended).",
                                           "currency/M tokens")
    breakage: Fraction = F("Share of credits bought but never used.", "fraction", default=0.1)


class PriceCut(Section):
    month: int = F("Month the competitors' cut takes effect.", "month", ge=1)
    change: Rate = F("Change of the market price level, e.g. -60%.", "fraction")


class CatalogModel(Section):
    provider: str = F("Provider in the price catalog (`breakeven prices`).")
    model: str = F("Model of that provider.")


class ApiStream(Section):
    """Selling tokens through an API, in a market where prices fall."""

    input_price_per_million: PositiveSchedule | None = F(
        "Your list price per million input tokens, before following competitors' cuts.",
        "currency/M tokens", default=None)
    output_price_per_million: PositiveSchedule | None = F(
        "Your list price per million output tokens.", "currency/M tokens", default=None)
    price_from_catalog: CatalogModel | None = F(
        "Instead of the two prices: a catalog provider and model whose dated list prices you "
        "charge (replayed from start_date; converted with fx), e.g. to replay the May 2024 "
        "price war as it happened.", default=None)
    input_tokens_per_month: PositiveSchedule = F(
        "Input tokens customers would buy per month at the starting price and market price "
        "level.", "tokens/month")
    output_tokens_per_month: PositiveSchedule = F("Output tokens, likewise.", "tokens/month")
    market_elasticity: Real = F("Elasticity of total market volume to the market price level "
                                "(e.g. -1: a 50% cut doubles usage).", "", default=-1.0)
    share_elasticity: Real = F("Elasticity of your share to your price relative to the market "
                               "(e.g. -2).", "", default=-2.0)
    competitor_price_cuts: list[PriceCut] = F("Price war events.", default_factory=list)
    follow_competitors: Fraction = F("Share of each competitor cut you match in your price.",
                                     "fraction", default=1.0)

    @model_validator(mode="after")
    def _prices(self):
        given = (self.input_price_per_million is not None,
                 self.output_price_per_million is not None)
        if self.price_from_catalog is not None:
            if any(given):
                raise ValueError("give either price_from_catalog or the two prices, not both")
        elif not all(given):
            raise ValueError("give input_price_per_million and output_price_per_million, or "
                             "price_from_catalog")
        return self


class Enterprise(Section):
    """Contracts with won business accounts (needs market.business)."""

    price_per_seat_per_month: PositiveSchedule = F("Licence per paid seat.", "currency/seat/month")
    platform_fee_per_month: NonNegative = F("Fee per deployed account.", "currency/month",
                                            default=0)
    implementation_fee: NonNegative = F("One-off fee charged at deployment.", "currency",
                                        default=0)
    payment_terms_days: NonNegative = F("Days sales outstanding: cash arrives this long after "
                                        "revenue is booked.", "days", default=60)
    integration_cost: NonNegative = F("One-off cost to integrate with the customer's workflows "
                                      "and systems.", "currency/account", default=0)
    customisation_cost: NonNegative = F("One-off customisation per account.", "currency/account",
                                        default=0)
    security_compliance_cost: NonNegative = F("One-off data-security and compliance work per "
                                              "account.", "currency/account", default=0)
    maintenance_per_year: NonNegative = F("Support and maintenance per deployed account.",
                                          "currency/account/year", default=0)
    presales_per_pilot_per_month: NonNegative = F("Pre-sales engineering per piloting account.",
                                                  "currency/account/month", default=0)
    private_deployment_cost: NonNegative = F("One-off cost of a private (on-premises) deployment: "
                                             "hardware and installation.", "currency/account",
                                             default=0)
    private_deployment_fee: NonNegative = F("One-off price charged for a private deployment.",
                                            "currency/account", default=0)
    private_hosting_per_month: NonNegative = F("Running cost per private deployment.",
                                               "currency/account/month", default=0)


class Hardware(Section):
    """A device with a model inside: device margin, AI service over its life, subscriptions."""

    devices_sold_per_month: NonNegativeSchedule = F("Units sold per month.", "devices/month")
    device_price: Positive = F("Selling price per device (net of VAT and channel margin).",
                               "currency/device")
    device_cost: Positive = F("Bill of materials, assembly and logistics per device.",
                              "currency/device")
    service_life_months: Positive = F("Months a device stays in use.", "months", default=36)
    ai_service_cost_per_device_per_month: NonNegative = F(
        "Cost of the AI service per device in use, when not modelled by usage.", "currency/month",
        default=0)
    usage: Usage | None = F("Usage per device in use; drives tokens and serving cost.",
                            default=None)
    subscription_attach_rate: Fraction = F("Share of devices in use with a paid subscription.",
                                           "fraction", default=0)
    subscription_price_per_month: NonNegative = F("Subscription price per attached device.",
                                                  "currency/month", default=0)


class Streams(Section):
    subscription: Subscription | None = F("Subscription revenue.", default=None)
    ads: Ads | None = F("Advertising revenue.", default=None)
    commission: Commission | None = F("Commission on brokered purchases.", default=None)
    top_ups: TopUps | None = F("Usage credits.", default=None)
    api: ApiStream | None = F("Per-token API sales.", default=None)
    enterprise: Enterprise | None = F("Enterprise contracts (per seat, platform, implementation).",
                                      default=None)
    hardware: Hardware | None = F("Hardware bundle.", default=None)


# ------------------------------------------------------------------ the buyer's side

class Department(Section):
    name: str = F("Department, e.g. customer service.")
    employees: Positive = F("People in the department.", "people")
    hours_saved_per_active_user_per_month: NonNegative = F(
        "Hours an active user saves per month.", "hours/month")
    loaded_cost_per_hour: Positive = F("Fully loaded cost of an hour of their time.",
                                       "currency/hour")
    adoption_innovation_per_month: Fraction = F("Bass p inside the department.", "1/month",
                                                default=0.05)
    adoption_imitation_per_month: NonNegative = F("Bass q inside the department.", "1/month",
                                                  default=0.2)
    resistance: Fraction = F("Share who never adopt.", "fraction", default=0.3)


class Buyer(Section):
    """An organisation adopting AI: benefits from hours saved against licences and projects."""

    departments: list[Department] = F("Departments rolling the tool out.", min_length=1)
    licence_per_seat_per_month: NonNegative = F("Licence price per seat.", "currency/seat/month")
    license_all_employees: bool = F("Pay for every employee from the start (true) or only for "
                                    "adopters (false).", default=False)
    integration_cost: NonNegative = F("One-off integration with systems and workflows.",
                                      "currency", default=0)
    security_cost: NonNegative = F("One-off data-security review and controls.", "currency",
                                   default=0)
    maintenance_per_year: NonNegative = F("Internal maintenance and support.", "currency/year",
                                          default=0)
    training_cost_per_adopter: NonNegative = F("Training per new adopter.", "currency/person",
                                               default=0)
    pilot_months: int = F("Length of the pilot (one department's worth of adoption).", "months",
                          default=3, ge=0)
    abandon_probability: Fraction = F("Chance the project is abandoned after the pilot: "
                                      "licences and benefits stop.", "probability", default=0.2)
    value_realisation: Fraction = F("Share of saved hours that turn into value (redeployed "
                                    "work, not idle time).", "fraction", default=0.5)
# ------------------------------------------------------------------ compute

class PerToken(Section):
    """Serving priced directly per million tokens (a negotiated API rate or a known unit cost)."""

    input_price_per_million: PositiveSchedule = F("Price per million input tokens.",
                                                  "currency/M tokens")
    output_price_per_million: PositiveSchedule = F("Price per million output tokens.",
                                                   "currency/M tokens")
    currency: str | None = F("Currency of these prices; converted with `fx`. Default: the "
                             "scenario's currency.", "ISO 4217", default=None)


class ApiServing(Section):
    """Serving through a provider's API from the catalog, its price history replayed."""

    provider: str = F("Provider in the price catalog (`breakeven prices`).")
    model: str = F("Model of that provider in the catalog.")
    cached_input_share: Fraction = F("Share of input tokens billed at the cached-input price "
                                     "(when the provider has one).", "fraction", default=0)
    price_change_per_year: Rate = F(
        "Forecast price change per year after the catalog's last price (e.g. -50% to -20%).",
        "1/year", default=0)
    discount: Fraction = F("Negotiated discount off list prices.", "fraction", default=0)


class SelfHost(Section):
    """Serving on your own GPUs (rented or bought), sized from the model and GPU by roofline."""

    model: str | dict = F("Model from the catalog (`breakeven models`) or its numbers "
                          "({params, active_params, layers, d_model, heads, kv_heads, ...}).")
    gpu: str = F("Accelerator from the catalog (`breakeven gpus`).")
    gpus_per_replica: int = F("GPUs per serving replica (tensor parallel within a node).",
                              "GPUs", default=1, ge=1, le=16)
    precision: str = F("Weights precision: bf16, fp16, fp8, int8 or int4.", default="bf16",
                       pattern="^(bf16|fp16|fp8|int8|int4)$")
    input_tokens_per_request: int | None = F(
        "Prompt length the deployment is sized for; default: the usage median.", "tokens",
        default=None, ge=1)
    output_tokens_per_request: int | None = F(
        "Output length the deployment is sized for; default: the usage median.", "tokens",
        default=None, ge=1)
    ttft_ms: float | None = F("Latency target: time to first token.", "ms", default=2000, gt=0)
    tpot_ms: float | None = F("Latency target: time per output token.", "ms", default=60, gt=0)
    peak_to_average: Positive = F("Peak traffic over average traffic (capacity is sized for "
                                  "the peak).", "×", default="1.8 to 3")
    target_utilisation: Fraction = F("Share of peak capacity you plan to use (headroom).",
                                     "fraction", default="60% to 85%")
    ownership: str = F("rent (GPU-hours) or own (buy servers: capex, depreciation, power, "
                       "hosting).", default="rent", pattern="^(rent|own)$")
    gpu_hour_price: Positive | None = F("Rental price per GPU-hour; default: the catalog's "
                                        "latest (USD, converted with fx).", "currency/GPU-hour",
                                        default=None)
    rental_price_change_per_year: Rate | None = F(
        "Change of rental prices per year; default: the catalog's published decline.", "1/year",
        default=None)
    purchase_price_per_gpu: Positive | None = F("Purchase price per GPU; default: the catalog's "
                                                "(USD, converted with fx).", "currency",
                                                default=None)
    gpus_per_server: int = F("GPUs bought together (capacity comes in whole servers).", "GPUs",
                             default=8, ge=1)
    depreciation_years: Positive | None = F("Straight-line depreciation life; default: the "
                                            "catalog's range.", "years", default=None)


class GpuSeconds(Section):
    """Non-LLM work (images, speech): each request costs GPU-seconds on a rented GPU."""

    workload: str | None = F("Workload from the catalog (efficiency.yaml `workloads`, e.g. "
                             "sdxl_image_1024, whisper_large_audio_minute): its published "
                             "GPU-seconds per unit on its reference GPU.", default=None)
    gpu_seconds_per_request: Positive | None = F(
        "GPU-seconds per request, if not taken from a catalog workload.", "GPU-seconds",
        default=None)
    gpu: str | None = F("GPU rented; default: the workload's reference GPU.", default=None)
    gpu_hour_price: Positive | None = F("Rental price per GPU-hour; default: the catalog's "
                                        "latest (USD, converted with fx).", "currency/GPU-hour",
                                        default=None)
    rental_price_change_per_year: Rate = F("Change of the rental price per year.", "1/year",
                                           default=0)
    peak_to_average: Positive = F("Peak traffic over average traffic.", "×",
                                  default="1.8 to 3")
    target_utilisation: Fraction = F("Share of peak capacity in use.", "fraction",
                                     default="60% to 85%")

    @model_validator(mode="after")
    def _one(self):
        if (self.workload is None) == (self.gpu_seconds_per_request is None):
            raise ValueError("give either workload or gpu_seconds_per_request")
        if self.workload is None and self.gpu is None:
            raise ValueError("give the gpu the GPU-seconds are measured on")
        return self


class Serving(Section):
    per_token: PerToken | None = F("Serving cost per million tokens.", default=None)
    gpu_seconds: GpuSeconds | None = F("Non-LLM work priced by GPU-seconds per request.",
                                       default=None)
    api: ApiServing | None = F("Serving through a catalog provider's API.", default=None)
    self_host: SelfHost | None = F("Serving on your own (rented or bought) GPUs.", default=None)

    @model_validator(mode="after")
    def _one(self):
        modes = ("per_token", "api", "self_host", "gpu_seconds")
        chosen = [k for k in modes if getattr(self, k) is not None]
        if len(chosen) != 1:
            raise ValueError(f"choose exactly one serving mode: {', '.join(modes)}")
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


class TrainingRun(Section):
    """A training or fine-tuning run as a dated event; lands on opex.training."""

    name: str = F("Label, e.g. base model v2.")
    month: int = F("Month the run starts.", "month", ge=1)
    cost: NonNegative | None = F("Cost of the run, if you know it (else give compute below).",
                                 "currency", default=None)
    duration_months: int = F("Months the cost is spread over.", "months", default=1, ge=1)
    params: Positive | None = F("Active parameters trained (for a compute estimate).", "params",
                                default=None)
    tokens: Positive | None = F("Training tokens (for a compute estimate).", "tokens",
                                default=None)
    gpu: str | None = F("Accelerator from the catalog (`breakeven gpus`).", default=None)
    gpu_hour_price: Positive | None = F("Price per GPU-hour; default: the catalog's latest "
                                        "rental price, converted with fx.", "currency/GPU-hour",
                                        default=None)
    mfu: Fraction | None = F("Model FLOPs utilisation; default: the catalog's published range.",
                             "fraction", default=None)
    mode: str = F("pretrain, full (full fine-tune) or lora.", default="pretrain",
                  pattern="^(pretrain|full|lora)$")

    @model_validator(mode="after")
    def _cost_or_compute(self):
        compute = [self.params, self.tokens, self.gpu]
        if self.cost is None and any(x is None for x in compute):
            raise ValueError("give either cost, or params, tokens and gpu for a compute estimate")
        if self.cost is not None and any(x is not None for x in compute):
            raise ValueError("give either cost or params/tokens/gpu, not both")
        return self


class Company(Section):
    team: list[Role] = F("Headcount plan by role; lands on opex.people.", default_factory=list)
    training_runs: list[TrainingRun] = F("Training and fine-tuning runs as dated events.",
                                         default_factory=list)
    brand_marketing_per_month: NonNegativeSchedule = F(
        "Marketing beyond paid acquisition (brand, events); lands on opex.marketing.",
        "currency/month", default=0)
    g_and_a_per_month: NonNegativeSchedule = F(
        "General and administrative costs (rent, legal, tools); lands on opex.g_and_a.",
        "currency/month", default=0)


MEASURES = ("active_users", "paying_users", "revenue", "ebitda", "cash", "deployed_accounts",
            "seats", "devices_in_use", "api_tokens")


class Condition(Section):
    """A figure that must reach a level in a month (investors check every 3–6 months)."""

    measure: str = F("What is checked: a KPI (active_users, paying_users, deployed_accounts, "
                     "seats, devices_in_use…) or a ledger line (revenue, ebitda, cash…) in that "
                     "month.")
    at_least: Number = F("Level it must reach.", "units of the measure")


class Round(Section):
    name: str = F("Label of the round, e.g. Series A.", default="round")
    month: int = F("Month the money arrives (1 = first month).", "month", ge=1)
    amount: NonNegative = F("Cash raised.", "currency")
    requires: list[Condition] = F("Conditions checked in the round's month; the round closes "
                                  "only if all hold.", default_factory=list)
    close_probability: Fraction = F("Chance the round closes even when its conditions hold (a "
                                    "cooled market makes it lower).", "probability", default=1)


class Funding(Section):
    starting_cash: NonNegative = F("Cash in the bank at the start of month 1.", "currency",
                                   default=0)
    rounds: list[Round] = F("Equity or debt raised during the horizon.", default_factory=list)


class Milestone(Section):
    """A target to hit by a month; its probability is reported."""

    name: str = F("Label, e.g. 10M MAU.")
    month: int = F("Month by which it must be reached (in that month or any earlier one).",
                   "month", ge=1)
    measure: str = F("KPI or ledger line, as for round conditions.")
    at_least: Number = F("Level to reach.", "units of the measure")


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
    start_date: date = F("Calendar date of month 1 (replays dated catalog prices).", "date",
                         default=date(2025, 1, 1))
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
    funding: Funding = F("Cash at start and money raised.", default_factory=Funding)
    milestones: list[Milestone] = F("Targets whose probability of being hit is reported.",
                                    default_factory=list)
    buyer: Buyer | None = F("The buyer's side: an organisation's ROI from adopting AI.",
                            default=None)

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
