"""Serving non-LLM work (images, speech) priced by GPU-seconds per request on a rented GPU.

Cost of a month = requests × GPU-seconds per request × price per GPU-second × peak-to-average ÷
target utilisation (capacity is rented for the peak). GPU-seconds come from the catalog's
published workloads (efficiency.yaml ``workloads``, sampled per outcome) or are given directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from pydantic import model_validator

from ..compute.catalog import factor, factor_input
from ..compute.hardware import default_gpu_hour_price, get_gpu
from ..engine import F, Fraction, Positive, Rate, Section, kpi
from ..engine.block import Ctx
from ..engine.fields import Loc
from ..engine.inputs import InputTable
from ..errors import CatalogError
from ..models.distributions import Dist
from ..models.growth import growth_path
from ._serving import ServingBlock


class GpuSeconds(Section):
    """Non-LLM work (images, speech): each request costs GPU-seconds on a rented GPU."""

    workload: str | None = F(
        "Workload from the catalog (efficiency.yaml `workloads`, e.g. "
        "sdxl_image_1024, whisper_large_audio_minute): its published "
        "GPU-seconds per unit on its reference GPU.",
        default=None,
    )
    gpu_seconds_per_request: Positive | None = F(
        "GPU-seconds per request, if not taken from a catalog workload.",
        "GPU-seconds",
        default=None,
    )
    gpu: str | None = F("GPU rented; default: the workload's reference GPU.", default=None)
    gpu_hour_price: Positive | None = F(
        "Rental price per GPU-hour; default: the catalog's latest (USD, converted with fx).",
        "currency/GPU-hour",
        default=None,
    )
    rental_price_change_per_year: Rate = F(
        "Change of the rental price per year.", "1/year", default=0
    )
    peak_to_average: Positive = F("Peak traffic over average traffic.", "×", default="1.8 to 3")
    target_utilisation: Fraction = F(
        "Share of peak capacity in use (capacity = peak ÷ this); above 0%.",
        "fraction",
        default="60% to 85%",
    )

    @model_validator(mode="after")
    def _one(self) -> GpuSeconds:
        if (self.workload is None) == (self.gpu_seconds_per_request is None):
            raise ValueError("give either workload or gpu_seconds_per_request")
        if self.workload is None and self.gpu is None:
            raise ValueError("give the gpu the GPU-seconds are measured on")
        return self


BASE = "compute.serving.gpu_seconds"

OUTPUTS = (
    kpi("gpu_hours", "GPU-hours", "GPU 小时", unit="GPU-hours/month", category="capacity"),
    kpi("gpu_hours@{route}", "GPU-hours", "GPU 小时", unit="GPU-hours/month", category="capacity"),
)


class GpuSecondsServingBlock(ServingBlock):
    section = BASE
    schema = GpuSeconds
    optional_reads = ServingBlock.optional_reads + ("consumer_usage",)
    records = ServingBlock.records + ("gpu_hours", "gpu_hours@{route}")

    def draws(self) -> dict[str, tuple[Dist, str]]:
        w = self.spec.workload
        return {} if w is None else {f"{self.path}.{w}": factor_input(w, "workloads")}

    def problems(self, inputs: InputTable) -> Iterable[tuple[Loc, str, Any]]:
        s = self.spec
        if s.workload is not None:
            try:
                factor(s.workload, "workloads")
            except CatalogError as e:
                yield ("workload",), e.message, s.workload
        if s.gpu is not None:
            try:
                get_gpu(s.gpu)
            except CatalogError as e:
                yield ("gpu",), e.message, s.gpu
        yield from self.headroom_problems(inputs)

    def currencies(self) -> Iterable[tuple[Loc, str]]:
        if self.spec.gpu_hour_price is None:
            yield (), "USD"  # the catalog's rental prices

    def gpu_name(self) -> str:
        if self.spec.gpu is not None:
            return str(self.spec.gpu)
        return str(factor(self.spec.workload, "workloads").row.get("reference_gpu", "H100-SXM"))

    def prepare(self, ctx: Ctx) -> None:
        s, p = self.spec, ctx.p
        self.gs = (
            p.get(f"{self.path}.{s.workload}")
            if s.workload is not None
            else p[s.gpu_seconds_per_request]
        )
        price = (
            p[s.gpu_hour_price]
            if s.gpu_hour_price is not None
            else default_gpu_hour_price(self.gpu_name()) * ctx.rate_to_currency("USD")
        )
        per_second = np.broadcast_to(price, (ctx.n,)) / 3600.0
        self.per_second = per_second * growth_path(p[s.rental_price_change_per_year], ctx.months)
        self.headroom = p[s.peak_to_average] / p[s.target_utilisation]
        prof = ctx.get("consumer_usage")
        self.tout = prof.output_tokens_per_request if prof is not None else None

    def step(self, ctx: Ctx, t: int) -> None:
        req, tin, tout = self.demand(ctx)
        per_request = self.gs * self.per_second[t] * self.headroom
        cost = req * per_request
        ctx.book("cogs.inference", t, cost)
        # unit economics prices a user's requests through tokens: put the cost on output tokens
        self.share_costs(
            ctx,
            np.zeros(ctx.n),
            per_request / self.tout if self.tout is not None else np.zeros(ctx.n),
        )
        self.record_volume(ctx, t, req, tin, tout, cost)
        ctx.record(self.kpi("gpu_hours"), t, req * self.gs / 3600.0)
