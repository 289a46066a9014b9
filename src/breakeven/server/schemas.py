"""The API's request and response bodies (they make the OpenAPI schema at ``/openapi.json``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..analysis.actuals import MAX_ERROR
from ..analysis.sweep import MAX_CELLS
from .limits import MAX_SAMPLES, MAX_VARY

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

EXAMPLE_ACTUALS = """\
month,active_users,revenue
1,240,100
2,470,190
3,700,280
"""

Samples = Field(
    None,
    ge=1,
    le=MAX_SAMPLES,
    description=f"Monte Carlo samples (default: the plan's; at most {MAX_SAMPLES:,}).",
)
Seed = Field(None, ge=0, le=MAX_SEED, description="Random seed (default: the plan's).")
Lang = Literal["en", "zh"]
LANG_DOC = (
    "The language of the answer's sentences (headline, notes, warnings, messages, narrative): "
    "en (the command line's --json, unchanged) or zh (told in Chinese from the same facts, as "
    "--lang zh prints them). Keys and numbers are the same in both."
)


class _In(BaseModel):
    # strict: true is not a seed, "5" is not a number of samples (unknown fields are ignored)
    model_config = ConfigDict(extra="ignore", strict=True)


class YamlIn(_In):
    yaml: str = Field(
        ...,
        description="The plan, as YAML text (as in a plan file).",
        examples=[EXAMPLE_PLAN],
    )


class YamlLangIn(YamlIn):
    lang: Lang = Field("en", description=LANG_DOC)


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
    lang: Lang = Field("en", description=LANG_DOC)


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
    lang: Lang = Field("en", description=LANG_DOC)


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
    lang: Lang = Field("en", description=LANG_DOC)


class CompareIn(_In):
    a: str = Field(..., description="The first plan, as YAML text.", examples=[EXAMPLE_PLAN])
    b: str = Field(..., description="The second plan, as YAML text.", examples=[EXAMPLE_PLAN])
    samples: int | None = Samples
    seed: int | None = Seed
    lang: Lang = Field("en", description=LANG_DOC)


class UpdateIn(YamlIn):
    actuals: str | None = Field(
        None,
        description="The actuals as CSV text: one row per month (column `month`: 2025-03, or "
        "the plan's month number), one column per output (`observable` in the answer lists "
        "them: active_users, revenue.subscription, cash…), NAME.error for a series' relative "
        "error. Send this or actuals_base64.",
        examples=[EXAMPLE_ACTUALS],
    )
    actuals_base64: str | None = Field(
        None,
        description="The actuals file's bytes in base64 (a data: URL is read too): an Excel "
        "workbook (.xlsx), or a UTF-8 CSV file. Send this or actuals.",
    )
    actuals_name: str = Field(
        "",
        max_length=255,
        description="The file's name, as the located problems name it (actuals.csv:4: …); "
        "default actuals.csv, or actuals.xlsx for a workbook.",
    )
    sheet: str | None = Field(
        None, max_length=100, description="Excel: the sheet to read (default: the first)."
    )
    error: float | str = Field(
        0.1,
        description="Relative measurement error of series without a NAME.error column: 0.1 or "
        f"'10%' (above 0, at most {MAX_ERROR:.0%}).",
        examples=["10%"],
    )
    samples: int | None = Samples
    seed: int | None = Seed
    lang: Lang = Field("en", description=LANG_DOC)


class VaryItem(_In):
    input: str = Field(
        ...,
        max_length=500,
        description="The input to vary: a field path (a schedule's own path holds it at the "
        "value in every month) or $variable, as `breakeven sweep --vary` takes it.",
        examples=["streams.subscription.price_per_month"],
    )
    values: list[str | int | float] | str = Field(
        ...,
        description="The values to hold it at, read like plan numbers: a list (['29', '39', "
        "'49'], [0.01, 0.03]) or one text of values separated by commas ('1%, 3%'; no thousands "
        "commas: 1500 or 1.5k).",
        examples=[["8", "10", "12"]],
    )


class SweepIn(YamlIn):
    vary: list[VaryItem | str] = Field(
        ...,
        min_length=1,
        max_length=MAX_VARY,
        description="The inputs to vary, each {input, values} or the command line's "
        "'FIELD=v1,v2,…'. Every combination of their values is a cell (the first input varying "
        f"slowest), at most {MAX_CELLS} cells, and cells × samples within the server's work "
        "limit.",
        examples=[
            [
                {"input": "streams.subscription.price_per_month", "values": ["8", "10", "12"]},
                "streams.subscription.conversion=3%,6%",
            ]
        ],
    )
    samples: int | None = Field(
        None,
        ge=1,
        le=MAX_SAMPLES,
        description="Monte Carlo samples of every cell (default: the plan's).",
    )
    seed: int | None = Field(
        None, ge=0, le=MAX_SEED, description="The seed of every cell (default: the plan's)."
    )
    lang: Lang = Field("en", description=LANG_DOC)


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


class Quantiles(BaseModel):
    p5: float | None
    p10: float | None
    p50: float | None
    p90: float | None
    p95: float | None


class InputMove(BaseModel):
    input: str = Field(..., description="The input's name (its path, $name for a variable).")
    label: str
    prior: Quantiles
    posterior: Quantiles
    width_ratio: float | None = Field(..., description="Updated p10–p90 width / the plan's.")
    shift: float | None = Field(..., description="The median's move, in the plan's p10–p90.")
    moved: bool
    phrase: str
    effect_on_p_breakeven: float | None = Field(
        ..., description="P(break-even) change if only this input's range had changed."
    )


class VarianceRow(BaseModel):
    series: str
    month: str
    actual: float
    plan_p10: float | None
    plan_p50: float | None
    plan_p90: float | None
    outside_plan: bool = Field(..., description="Outside the plan's 80% band (p10–p90).")
    updated_p10: float | None = None
    updated_p50: float | None = None
    updated_p90: float | None = None


class SeriesBands(BaseModel):
    calendar: list[str]
    plan: Bands
    updated: Bands
    actual: list[float | None] = Field(..., description="Per month; null where not observed.")


class BeforeAfter(BaseModel):
    prior: float | dict[str, float | None] | None
    posterior: float | dict[str, float | None] | None


class ActualsInfo(BaseModel):
    file: str
    period: str
    series: list[str]
    observations: int


class SamplerInfo(BaseModel):
    method: str
    method_text: str | None = Field(None, description="The method in words (lang zh only).")
    samples: int
    ess_prior: float | None
    stages: int
    moves: int
    mean_acceptance: float | None
    temperatures: list[float | None]
    distinct_samples: int
    simulations: int


class UpdateOut(BaseModel):
    plan: str
    actuals: ActualsInfo
    narrative: str
    sampler: SamplerInfo
    residual: dict[str, float | None]
    headline: dict[str, BeforeAfter] = Field(
        ..., description="P(break-even), P(cash out), and the headline metrics' summaries."
    )
    inputs: list[InputMove]
    variance: list[VarianceRow]
    updated_plan: str | None = Field(..., description="The plan with the narrowed ranges.")
    bands: dict[str, SeriesBands] = Field(
        ..., description="Fan-chart data of each observed series, then cash."
    )
    observable: list[str] = Field(..., description="The outputs an actuals file can name.")
    labels: dict[str, str] | None = Field(
        None, description="lang zh: each observed series' and cash's name in Chinese."
    )
    currency: str
    samples: int
    seed: int
    horizon_months: int
    elapsed_ms: float


class SweepVaried(BaseModel):
    ref: str = Field(..., description="The input as given: a path or $variable.")
    inputs: list[str] = Field(..., description="The inputs it holds.")
    label: str
    domain: str = Field(..., description="positive, nonnegative, fraction, rate, real…")
    values: list[float]


class SweepFigure(BaseModel):
    key: str = Field(..., description="The figure's key in a row.")
    label: str


class SweepOut(BaseModel):
    name: str
    source: str
    currency: str
    horizon_months: int
    start: str | None = Field(..., description="The plan's first calendar month, YYYY-MM-DD.")
    samples: int
    seed: int
    vary: list[SweepVaried]
    cells: int
    figures: dict[str, SweepFigure] = Field(
        ..., description="p_breakeven, breakeven_month, npv, peak_funding_need, p_cash_out."
    )
    rows: list[dict[str, float | None]] = Field(
        ...,
        description="One per cell, in grid order (the first input varying slowest): the value "
        "of each varied input (keyed by its ref) and every figure: p_breakeven, "
        "breakeven_month_p50 (null: beyond the horizon), npv_p50, peak_funding_need_p90, "
        "p_cash_out.",
    )
    best: dict[str, int] = Field(
        ..., description="Figure → the index in rows of the best cell by that figure."
    )
    scheduler: str
    workers: int
    elapsed_s: float
    warnings: list[str]
    elapsed_ms: float


__all__ = [
    "ApplyIn",
    "CompareIn",
    "ErrorOut",
    "GoalseekIn",
    "InputsOut",
    "Lang",
    "PlanRow",
    "PlanText",
    "RunIn",
    "SensitivityIn",
    "SimulateIn",
    "SimulateOut",
    "SweepIn",
    "SweepOut",
    "UpdateIn",
    "UpdateOut",
    "ValidateOut",
    "VaryItem",
    "YamlIn",
    "YamlLangIn",
    "YamlOut",
]
