"""Serving on your own GPUs: capacity sized from the model and GPU (roofline), rented or bought.

The deployment is estimated once per chunk with :func:`breakeven.compute.inference.estimate_inference`
at the sized request shape, with its efficiency factors drawn per sample. Its GPU time per request
splits into prefill (∝ input tokens) and decode (∝ output tokens), giving GPU-seconds per input
and per output token; any token demand (consumer, seats, devices, API) converts to GPU-seconds.
GPUs needed = average GPUs × peak-to-average ÷ target utilisation, in whole replicas.
Renting books GPU-hours × price (falling per year) on cogs.inference. Owning buys whole servers
as the running peak grows (never sold): capex.gpus, depreciation.gpus (straight line), and power
(TDP × PUE × hours × electricity) and hosting on cost of revenue — with the formulas of
:mod:`breakeven.compute.ownership`, applied month by month as the fleet grows.
"""

from __future__ import annotations

import numpy as np

from ..engine.blocks import Ctx, register
from ..engine.inputs import catalog_factor
from .ownership import HOURS_PER_MONTH, hosting_cost, power_cost, straight_line_depreciation
from .serving import ServingBlock

SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600.0
INFERENCE_FACTORS = ("hbm_bandwidth_utilisation", "prefill_mfu", "decode_mfu", "tp_efficiency",
                     "memory_reserve_fraction")
OWN_FACTORS = ("pue", "electricity_usd_per_kwh", "hosting_usd_per_gpu_month",
               "server_overhead_fraction")


def gpus_at_peak(gpu_seconds: np.ndarray, peak_to_average: np.ndarray,
                 utilisation: np.ndarray, gpus_per_replica: int) -> np.ndarray:
    """GPUs to provision in a month for ``gpu_seconds`` of work: sized for the peak, in replicas."""
    avg = gpu_seconds / SECONDS_PER_MONTH
    need = avg * peak_to_average / utilisation
    return np.ceil(need / gpus_per_replica - 1e-9) * gpus_per_replica


@register("serving")
class SelfHostBlock(ServingBlock):
    def __init__(self, spec, sc):
        self.spec = spec
        s = spec
        base = "compute.serving.self_host"
        draws = [(k, "factors") for k in INFERENCE_FACTORS]
        if s.ownership == "own":
            draws += [(k, "ownership") for k in OWN_FACTORS]
            if s.depreciation_years is None:
                draws.append(("depreciation_years", "ownership"))
        elif s.rental_price_change_per_year is None:
            draws.append(("rental_price_annual_decline", "ownership"))
        self.draws = {f"{base}.{k}": catalog_factor(k, sec) for k, sec in draws}
        self.lines = ("cogs.inference",)
        if s.ownership == "own":
            self.lines = ("cogs.power", "cogs.hosting", "capex.gpus", "depreciation.gpus")
        self.kpis = ServingBlock.kpis + ("gpus_needed", "gpus_owned")
        self.io = _sizing_tokens(sc, s)

    @classmethod
    def from_scenario(cls, sc):
        s = sc.compute.serving
        return [cls(s.self_host, sc)] if s is not None and s.self_host is not None else []

    def _factor(self, ctx, section, name):
        return ctx.p.get(f"compute.serving.self_host.{name}")

    def prepare(self, ctx: Ctx) -> None:
        from .hardware import default_gpu_hour_price, get_gpu
        from .inference import estimate_inference
        s, p, H = self.spec, ctx.p, ctx.months
        gpu = get_gpu(s.gpu)
        f = {k: self._factor(ctx, "factors", k) for k in INFERENCE_FACTORS}
        est = estimate_inference(s.model, gpu, n_gpus=s.gpus_per_replica, precision=s.precision,
                                 input_tokens=self.io[0], output_tokens=self.io[1],
                                 ttft_ms=s.ttft_ms, tpot_ms=s.tpot_ms, **f)
        gpu_s_per_request = 1.0 / est.requests_per_s_per_gpu  # GPU-seconds per request
        self.s_in = est.prefill_share * gpu_s_per_request / self.io[0]
        self.s_out = (1.0 - est.prefill_share) * gpu_s_per_request / self.io[1]
        self.peak, self.util = p[s.peak_to_average], p[s.target_utilisation]
        usd = ctx.rate_to_currency("USD")
        months = np.arange(H)[:, None] / 12.0
        if s.ownership == "rent":
            price = p[s.gpu_hour_price] / usd if s.gpu_hour_price is not None else np.full(
                ctx.n, default_gpu_hour_price(gpu))  # in USD here; converted below
            if s.rental_price_change_per_year is not None:
                change = p[s.rental_price_change_per_year]
            else:
                change = -self._factor(ctx, "ownership", "rental_price_annual_decline")
            # currency per GPU-second, per month: (months, n)
            self.gpu_second = price * usd / 3600.0 * np.exp(np.log1p(change) * months)
        else:
            purchase = (p[s.purchase_price_per_gpu] / usd if s.purchase_price_per_gpu is not None
                        else np.full(ctx.n, _purchase_price(gpu)))  # USD
            over = self._factor(ctx, "ownership", "server_overhead_fraction")
            self.unit_capex = purchase * (1.0 + over) * usd
            self.years = (p[s.depreciation_years] if s.depreciation_years is not None
                          else self._factor(ctx, "ownership", "depreciation_years"))
            self.life = np.maximum(np.rint(self.years * 12.0), 1.0)
            one = np.ones((ctx.n, 1))  # one GPU, one month: the unit costs, in USD → currency
            self.power_per_gpu = power_cost(
                one, gpu.tdp_watts, self._factor(ctx, "ownership", "pue"),
                self._factor(ctx, "ownership", "electricity_usd_per_kwh"))[:, 0] * usd
            self.hosting_per_gpu = hosting_cost(
                one, self._factor(ctx, "ownership", "hosting_usd_per_gpu_month"))[:, 0] * usd
            running = self.unit_capex / self.life + self.power_per_gpu + self.hosting_per_gpu
            self.gpu_second = np.broadcast_to(running / SECONDS_PER_MONTH, (H, ctx.n))
            self.owned = np.zeros(ctx.n)
            self.capex_hist = np.zeros((H, ctx.n))

    def prices_per_million(self, ctx: Ctx, t: int):
        """Capacity cost per million tokens (sized for the peak at the target utilisation)."""
        k = self.gpu_second[t] * self.peak / self.util * 1e6
        return self.s_in * k, self.s_out * k

    def step(self, ctx: Ctx, t: int) -> None:
        s, st = self.spec, ctx.state
        tin = st.get("input_tokens", np.zeros(ctx.n))
        tout = st.get("output_tokens", np.zeros(ctx.n))
        need = gpus_at_peak(tin * self.s_in + tout * self.s_out, self.peak, self.util,
                            s.gpus_per_replica)
        pin, pout = self.prices_per_million(ctx, t)
        st["cost_per_input_token"], st["cost_per_output_token"] = pin / 1e6, pout / 1e6
        if s.ownership == "rent":
            ctx.book("cogs.inference", t, need * self.gpu_second[t] * SECONDS_PER_MONTH)
        else:
            k = s.gpus_per_server
            target = np.ceil(need / k - 1e-9) * k
            bought = np.maximum(target - self.owned, 0.0)
            self.owned = self.owned + bought
            spend = bought * self.unit_capex
            self.capex_hist[t] = spend
            # straight line: each purchase spread over its life from the month it is made
            dep = straight_line_depreciation(self.capex_hist[:t + 1].T, self.years)[:, -1]
            ctx.book("capex.gpus", t, spend)
            ctx.book("depreciation.gpus", t, dep)
            ctx.book("cogs.power", t, self.owned * self.power_per_gpu)
            ctx.book("cogs.hosting", t, self.owned * self.hosting_per_gpu)
        ctx.record("gpus_needed", t, need)
        ctx.record("gpus_owned", t, self.owned if s.ownership == "own" else need)
        ctx.record("requests", t, st.get("requests", np.zeros(ctx.n)))
        ctx.record("input_tokens", t, tin)
        ctx.record("output_tokens", t, tout)


def _purchase_price(gpu) -> float:
    from .catalog import CatalogError
    if gpu.purchase_price_usd is None:
        raise CatalogError(f"no purchase price for {gpu.name} in the catalog; give "
                           "purchase_price_per_gpu")
    return gpu.purchase_price_usd


def _sizing_tokens(sc, s) -> tuple[int, int]:
    """Request shape the deployment is sized for: given, else the medians of the usage."""
    usage = None
    if sc.market.consumer is not None:
        usage = sc.market.consumer.usage
    elif sc.market.business is not None and sc.market.business.usage is not None:
        usage = sc.market.business.usage
    elif sc.streams.hardware is not None and sc.streams.hardware.usage is not None:
        usage = sc.streams.hardware.usage
    i = s.input_tokens_per_request or (int(round(usage.input_tokens_per_request.median))
                                       if usage else 1000)
    o = s.output_tokens_per_request or (int(round(usage.output_tokens_per_request.median))
                                        if usage else 300)
    return max(i, 1), max(o, 1)
