"""Serving non-LLM work (images, speech) priced by GPU-seconds per request on a rented GPU.

Cost of a month = requests × GPU-seconds per request × price per GPU-second × peak-to-average ÷
target utilisation (capacity is rented for the peak). GPU-seconds come from the catalog's
published workloads (efficiency.yaml ``workloads``, sampled per outcome) or are given directly.
"""

from __future__ import annotations

import numpy as np

from ..engine.blocks import Ctx, register
from ..engine.inputs import catalog_factor
from .serving import ServingBlock

BASE = "compute.serving.gpu_seconds"


@register("serving")
class GpuSecondsServingBlock(ServingBlock):
    kpis = ServingBlock.kpis + ("gpu_hours",)

    def __init__(self, spec):
        self.spec = spec
        if spec.workload is not None:
            self.draws = {f"{BASE}.{spec.workload}": catalog_factor(spec.workload, "workloads")}

    @classmethod
    def from_scenario(cls, sc):
        s = sc.compute.serving
        return [cls(s.gpu_seconds)] if s is not None and s.gpu_seconds is not None else []

    def gpu_name(self) -> str:
        from .catalog import factor
        if self.spec.gpu is not None:
            return self.spec.gpu
        return str(factor(self.spec.workload, "workloads").row.get("reference_gpu", "H100-SXM"))

    def prepare(self, ctx: Ctx) -> None:
        from .hardware import default_gpu_hour_price
        s, p = self.spec, ctx.p
        self.gs = (p.get(f"{BASE}.{s.workload}") if s.workload is not None
                   else p[s.gpu_seconds_per_request])
        price = (p[s.gpu_hour_price] if s.gpu_hour_price is not None
                 else default_gpu_hour_price(self.gpu_name()) * ctx.rate_to_currency("USD"))
        years = (np.arange(ctx.months) / 12.0)[:, None]
        per_second = np.broadcast_to(price, (ctx.n,)) / 3600.0
        self.per_second = per_second * np.exp(np.log1p(p[s.rental_price_change_per_year]) * years)
        self.headroom = p[s.peak_to_average] / p[s.target_utilisation]
        prof = ctx.state_static.get("consumer_usage")
        self.tout = prof.output_tokens_per_request if prof is not None else None

    def step(self, ctx: Ctx, t: int) -> None:
        st = ctx.state
        req = st.get("requests", np.zeros(ctx.n))
        per_request = self.gs * self.per_second[t] * self.headroom
        ctx.book("cogs.inference", t, req * per_request)
        # unit economics prices a user's requests through tokens: put the cost on output tokens
        st["cost_per_input_token"] = np.zeros(ctx.n)
        st["cost_per_output_token"] = (per_request / self.tout if self.tout is not None
                                       else np.zeros(ctx.n))
        ctx.record("requests", t, req)
        ctx.record("input_tokens", t, st.get("input_tokens", np.zeros(ctx.n)))
        ctx.record("output_tokens", t, st.get("output_tokens", np.zeros(ctx.n)))
        ctx.record("gpu_hours", t, req * self.gs / 3600.0)
