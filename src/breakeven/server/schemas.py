"""The API's request and response bodies (they make the OpenAPI schema at ``/openapi.json``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .limits import MAX_SAMPLES

MAX_SEED = 2**63 - 1
MAX_EDITS = 1_000

EXAMPLE_PLAN = """\
name: Small subscription app
currency: USD
horizon_months: 12
samples: 2000
seed: 1
market:
  consumer:
    market_size: 100k to 300k
    innovation_per_year: 1% to 3%
    imitation_per_year: 0.3 to 0.6
    churn_per_month: 5% to 10%
    usage: {requests_per_day: 2 to 6, input_tokens_per_request: 800, output_tokens_per_request: 400}
streams:
  subscription: {price_per_month: 10, conversion: 3% to 6%}
compute:
  serving:
    per_token: {input_price_per_million: 0.5, output_price_per_million: 1.5}
company:
  team:
    - {role: founders, headcount: 2, cost_per_person_per_year: 60k to 90k}
funding:
  starting_cash: 200k
"""

Samples = Field(
    None,
    ge=1,
    le=MAX_SAMPLES,
    description=f"Monte Carlo samples (default: the plan's; at most {MAX_SAMPLES:,}).",
)
Seed = Field(None, ge=0, le=MAX_SEED, description="Random seed (default: the plan's).")


class _In(BaseModel):
    # strict: true is not a seed, "5" is not a number of samples (unknown fields are ignored)
    model_config = ConfigDict(extra="ignore", strict=True)


class YamlIn(_In):
    yaml: str = Field(
        ...,
        description="The plan, as YAML text (as in a plan file).",
        examples=[EXAMPLE_PLAN],
    )


class ApplyIn(YamlIn):
    edits: dict[str, str | int | float | None] = Field(
        default_factory=dict,
        max_length=MAX_EDITS,
        description="Field path → the value as a user types it ('3% to 5%', '12', "
        "'{1: 10, 13: 20}' for a month table); empty text or null removes the field.",
    )


class SimulateIn(YamlIn):
    samples: int | None = Samples
    seed: int | None = Seed
    tornado: bool = Field(True, description="Include the tornado of what decides NPV.")


class RunIn(YamlIn):
    samples: int | None = Samples
    seed: int | None = Seed
    note: str = Field("", max_length=2_000, description="A note kept with the run.")


class SensitivityIn(YamlIn):
    samples: int | None = Field(
        None,
        ge=2,
        le=MAX_SAMPLES,
        description="tornado: samples for the conditional means (default: the plan's); sobol: "
        "the base sample N, a power of 2 (default 8192; runs N × (inputs + 2)).",
    )
    seed: int | None = Seed
    method: Literal["tornado", "sobol"] = "tornado"
    metric: str = Field("npv", max_length=100, description="The metric to explain.")


class GoalseekIn(YamlIn):
    input: str = Field(..., max_length=500, description="The input to vary: its path or $name.")
    target: str = Field(
        ...,
        max_length=200,
        description="As the CLI takes it: 'p_breakeven>=0.8', 'npv.p50>=0', "
        "'breakeven_month.p50<=36'.",
    )
    low: float | None = Field(None, allow_inf_nan=False, description="Lowest value to try.")
    high: float | None = Field(None, allow_inf_nan=False, description="Highest value to try.")
    samples: int | None = Samples
    seed: int | None = Seed


class CompareIn(_In):
    a: str = Field(..., description="The first plan, as YAML text.", examples=[EXAMPLE_PLAN])
    b: str = Field(..., description="The second plan, as YAML text.", examples=[EXAMPLE_PLAN])
    samples: int | None = Samples
    seed: int | None = Seed


# ---------------------------------------------------------------------------- answers


class ErrorItem(BaseModel):
    loc: str = Field(..., description="The field path of the problem ('' for the document).")
    line: int | None = Field(None, description="Its line in the YAML, when it has one.")
    msg: str


class ErrorOut(BaseModel):
    detail: list[ErrorItem]
    message: str = Field(..., description="The command line's text: one line per problem.")


class PlanRow(BaseModel):
    id: str
    name: str
    kind: Literal["template", "file"]
    description: str


class PlanText(BaseModel):
    id: str
    name: str
    yaml: str


class InputRow(BaseModel):
    path: str
    name: str
    unit: str
    domain: str | None
    kind: Literal["uncertain", "point", "schedule", "choice"]
    text: str
    low: float | None
    high: float | None
    value: float | None
    months: dict[str, Any] | None
    description: str
    written: bool
    line: int | None


class InputGroup(BaseModel):
    group: str
    section: str
    description: str
    inputs: list[InputRow]


class InputsOut(BaseModel):
    plan: dict[str, Any]
    groups: list[InputGroup]


class YamlOut(BaseModel):
    yaml: str


class ValidateOut(BaseModel):
    ok: bool
    warnings: list[dict[str, Any]]


class Headline(BaseModel):
    p_breakeven: float
    p_cash_out: float
    breakeven_month_p50: float | None
    breakeven_date_p50: str | None
    peak_funding_need_p50: float | None
    peak_funding_need_p90: float | None
    npv_p50: float | None
    currency: str
    text: str


class Bands(BaseModel):
    p10: list[float | None]
    p50: list[float | None]
    p90: list[float | None]


class Cdf(BaseModel):
    months: list[int]
    share: list[float]


class TornadoRow(BaseModel):
    name: str
    path: str
    low: float | None
    high: float | None
    base: float | None


class Charts(BaseModel):
    months: list[int]
    dates: list[str]
    cash: Bands
    revenue: Bands
    costs: Bands
    breakeven_cdf: Cdf
    tornado: list[TornadoRow]


class SimulateOut(BaseModel):
    headline: Headline
    charts: Charts
    warnings: list[dict[str, Any]]
    samples: int
    seed: int
    horizon_months: int
    elapsed_ms: float


__all__ = [
    "ApplyIn",
    "CompareIn",
    "ErrorOut",
    "GoalseekIn",
    "InputsOut",
    "PlanRow",
    "PlanText",
    "RunIn",
    "SensitivityIn",
    "SimulateIn",
    "SimulateOut",
    "ValidateOut",
    "YamlIn",
    "YamlOut",
]
