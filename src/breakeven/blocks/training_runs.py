"""Training and fine-tuning runs as dated costs on opex.training.

A run is either priced directly (``cost``) or estimated from compute: GPU-hours = c·N·D ÷
(peak FLOP/s × MFU) ÷ goodput (:mod:`breakeven.compute.training`: c = 6 for pre-training and full
fine-tunes, 4 for LoRA; MFU and goodput from the catalog's published ranges, drawn per outcome),
times the GPU-hour price (the plan's, or the catalog's latest rental price in USD converted with
``fx``). Its cost is spread evenly over ``duration_months`` (:func:`breakeven.models.cash.
spread_cost`), month by month as the run is stepped.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from pydantic import model_validator

from ..compute.catalog import factor_input
from ..compute.hardware import default_gpu_hour_price, get_gpu
from ..compute.training import flops_per_param_token
from ..engine import F, Fraction, NonNegative, Positive, Section, line, section_of
from ..engine.block import Block, Ctx
from ..engine.fields import Loc
from ..engine.inputs import InputTable
from ..errors import CatalogError
from ..models.cash import spread_months
from ..models.distributions import Dist


class TrainingRun(Section):
    """A training or fine-tuning run as a dated event; lands on opex.training."""

    name: str = F("Label, e.g. base model v2.")
    month: int = F("Month the run starts.", "month", ge=1)
    cost: NonNegative | None = F(
        "Cost of the run, if you know it (else give compute below).", "currency", default=None
    )
    duration_months: int = F("Months the cost is spread over.", "months", default=1, ge=1)
    params: Positive | None = F(
        "Active parameters trained (for a compute estimate).", "params", default=None
    )
    tokens: Positive | None = F("Training tokens (for a compute estimate).", "tokens", default=None)
    gpu: str | None = F("Accelerator from the catalog (`breakeven gpus`).", default=None)
    gpu_hour_price: Positive | None = F(
        "Price per GPU-hour; default: the catalog's latest rental price, converted with fx.",
        "currency/GPU-hour",
        default=None,
    )
    mfu: Fraction | None = F(
        "Model FLOPs utilisation; default: the catalog's published range.", "fraction", default=None
    )
    mode: str = F(
        "pretrain, full (full fine-tune) or lora.",
        default="pretrain",
        pattern="^(pretrain|full|lora)$",
    )

    @model_validator(mode="after")
    def _cost_or_compute(self) -> TrainingRun:
        compute = [self.params, self.tokens, self.gpu]
        if self.cost is None and any(x is None for x in compute):
            raise ValueError("give either cost, or params, tokens and gpu for a compute estimate")
        if self.cost is not None and any(x is not None for x in compute):
            raise ValueError("give either cost or params/tokens/gpu, not both")
        return self


SECTION = "company.training_runs"

OUTPUTS = (line("opex.training", "Training", "训练", category="training"),)


class TrainingRunsBlock(Block):
    """Every run of the plan; present when the plan has at least one."""

    section = SECTION
    schema = list[TrainingRun]
    books = ("opex.training",)

    @classmethod
    def from_scenario(cls, sc: Any) -> list[Block]:
        runs = section_of(sc, SECTION)
        return [cls(runs, sc)] if runs else []

    def draws(self) -> dict[str, tuple[Dist, str]]:
        """Catalog efficiency factors (MFU, goodput) of compute-estimated runs, as inputs."""
        names: dict[str, tuple[Dist, str]] = {}
        for i, run in enumerate(self.spec):
            if run.cost is None:
                if run.mfu is None:
                    names[f"{SECTION}.{i}.training_mfu"] = factor_input("training_mfu")
                names[f"{SECTION}.{i}.training_goodput"] = factor_input("training_goodput")
        return names

    def problems(self, inputs: InputTable) -> Iterable[tuple[Loc, str, Any]]:
        for i, run in enumerate(self.spec):
            if run.gpu is not None:
                try:
                    get_gpu(run.gpu)
                except CatalogError as e:
                    yield (str(i), "gpu"), e.message, run.gpu

    def currencies(self) -> Iterable[tuple[Loc, str]]:
        for i, run in enumerate(self.spec):
            if run.cost is None and run.gpu_hour_price is None:
                yield (str(i), "gpu"), "USD"  # the catalog's rental prices

    def compute_cost(self, ctx: Ctx, run: TrainingRun, i: int) -> np.ndarray:
        """Cost of a run from its compute, per sample."""
        # a run without a cost has params, tokens and gpu (TrainingRun._cost_or_compute)
        assert run.gpu is not None and run.params is not None and run.tokens is not None
        gpu = get_gpu(run.gpu)
        path = f"{SECTION}.{i}"
        mfu = ctx.p[run.mfu] if run.mfu is not None else ctx.p.get(f"{path}.training_mfu")
        goodput = ctx.p.get(f"{path}.training_goodput")
        flops = flops_per_param_token(run.mode) * ctx.p[run.params] * ctx.p[run.tokens]
        hours = flops / (gpu.peak_flops("bf16") * mfu) / goodput / 3600.0
        price: np.ndarray | float
        if run.gpu_hour_price is not None:
            price = ctx.p[run.gpu_hour_price]
        else:
            price = default_gpu_hour_price(gpu) * ctx.rate_to_currency("USD")
        return hours * price

    def prepare(self, ctx: Ctx) -> None:
        # each run's cost per month and the months it is spread over: a month's figure is
        # made when it is stepped, not kept for the whole horizon
        self.spread: list[tuple[np.ndarray, range]] = []
        for i, run in enumerate(self.spec):
            total = ctx.p[run.cost] if run.cost is not None else self.compute_cost(ctx, run, i)
            self.spread.append(
                (
                    np.broadcast_to(total, (ctx.n,)) / run.duration_months,
                    spread_months(run.month, run.duration_months, ctx.months),
                )
            )
        self.zero = np.zeros(ctx.n)

    def step(self, ctx: Ctx, t: int) -> None:
        """The runs' costs this month, added in plan order (a run outside its months adds 0):
        the same numbers as summing each run's :func:`~breakeven.models.cash.spread_cost`."""
        rows = [per_month if t in months else self.zero for per_month, months in self.spread]
        total = rows[0]
        for row in rows[1:]:
            total = total + row
        ctx.book("opex.training", t, total)
