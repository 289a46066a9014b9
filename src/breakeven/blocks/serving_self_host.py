"""Serving on your own GPUs: capacity sized from the model and GPU (roofline), rented or bought.

The deployment — a replica of ``gpus_per_replica`` GPUs, or ``nodes`` of them laid out as tp, pp
or ep (:mod:`breakeven.compute.parallel`), with a prefix cache, speculative decoding and
disaggregated prefill if the plan says so — is estimated once per chunk with
:func:`breakeven.compute.inference.estimate_inference` at the sized request shape, with its
efficiency factors drawn per sample. Its GPU time per request splits into prefill (∝ input
tokens) and decode (∝ output tokens), giving
GPU-seconds per input and per output token; any token demand (consumer, seats, devices, API)
converts to GPU-seconds. GPUs needed = average GPUs × peak-to-average ÷ target utilisation, in
whole replicas (:func:`breakeven.models.capacity.gpus_at_peak`). Renting books GPU-hours × price
(falling per year) on cogs.inference. Owning buys whole servers as the running peak grows (never
sold): capex.gpus, depreciation.gpus (straight line), and power (TDP × PUE × hours × electricity)
and hosting on cost of revenue — with the formulas of :mod:`breakeven.compute.ownership`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from ..compute.catalog import factor_input
from ..compute.hardware import GPU, default_gpu_hour_price, get_gpu
from ..compute.inference import INFERENCE_FACTORS, Speculation, estimate_inference
from ..compute.models import get_model
from ..compute.ownership import DepreciationSchedule, hosting_cost, power_cost
from ..engine import F, Fraction, Positive, Rate, Section, kpi, line, section_of
from ..engine.block import Ctx
from ..engine.fields import Loc
from ..engine.inputs import InputTable
from ..errors import CatalogError
from ..models.capacity import SECONDS_PER_MONTH, gpus_at_peak
from ..models.distributions import Dist
from ..models.growth import growth_rows
from ._serving import ServingBlock


class Speculative(Section):
    """Speculative decoding or multi-token prediction (MTP) on the serving replica."""

    draft_tokens: int = F("Draft tokens proposed per decode step.", "tokens", ge=1, le=16)
    acceptance: float = F("Probability each draft token is accepted.", "fraction", ge=0, le=1)
    draft_cost: float | None = F(
        "Cost of one draft token over one decode step; default: an MTP module, 1 / layers.",
        "fraction",
        default=None,
        ge=0,
        le=2,
    )


class SelfHost(Section):
    """Serving on your own GPUs (rented or bought), sized from the model and GPU by roofline."""

    model: str | dict[str, Any] = F(
        "Model from the catalog (`breakeven models`) or its numbers ({params, active_params, "
        "layers, d_model, heads, kv_heads, ...})."
    )
    gpu: str = F("Accelerator from the catalog (`breakeven gpus`).")
    gpus_per_replica: int = F(
        "GPUs per serving replica (tensor parallel within a node; more than the catalog's node "
        "holds, whole nodes of it); with nodes > 1, GPUs per node.",
        "GPUs",
        default=1,
        ge=1,
        le=16,
    )
    nodes: int = F("Nodes in one serving replica.", "nodes", default=1, ge=1, le=128)
    layout: str = F(
        "How the replica is split: tp (tensor parallel), pp (tensor parallel in a node, pipeline "
        "across nodes) or ep (expert parallel with data-parallel attention, MoE models).",
        default="tp",
        pattern="^(tp|pp|ep)$",
    )
    kv_precision: str | None = F(
        "KV cache precision; default: the activations' (bf16).",
        default=None,
        pattern="^(bf16|fp16|fp8|int8|int4)$",
    )
    cache_hit_share: float = F(
        "Share of input tokens found in the prefix cache (served without prefill).",
        "fraction",
        default=0.0,
        ge=0,
        lt=1,
    )
    speculative: Speculative | None = F(
        "Speculative decoding / multi-token prediction.", default=None
    )
    attention_kernel: str = F(
        "How decode attention reads the KV cache: grouped (each KV head once for the query "
        "heads sharing it: FlashDecoding, vLLM, TensorRT-LLM XQA) or per_head (once per query "
        "head, as TensorRT-LLM did before v0.8).",
        default="grouped",
        pattern="^(grouped|per_head)$",
    )
    disaggregated: bool = F(
        "Prefill and decode on separate instances, each at its own batch.", default=False
    )
    prefill_nodes: int | None = F(
        "Nodes of the prefill instance when disaggregated; default: nodes.",
        "nodes",
        default=None,
        ge=1,
        le=128,
    )
    precision: str = F(
        "Weights precision: bf16, fp16, fp8, int8 or int4.",
        default="bf16",
        pattern="^(bf16|fp16|fp8|int8|int4)$",
    )
    input_tokens_per_request: int | None = F(
        "Prompt length the deployment is sized for; default: the usage median.",
        "tokens",
        default=None,
        ge=1,
    )
    output_tokens_per_request: int | None = F(
        "Output length the deployment is sized for; default: the usage median.",
        "tokens",
        default=None,
        ge=1,
    )
    ttft_ms: float | None = F("Latency target: time to first token.", "ms", default=2000, gt=0)
    tpot_ms: float | None = F("Latency target: time per output token.", "ms", default=60, gt=0)
    peak_to_average: Positive = F(
        "Peak traffic over average traffic (capacity is sized for the peak).",
        "×",
        default="1.8 to 3",
    )
    target_utilisation: Fraction = F(
        "Share of peak capacity you plan to use (headroom; capacity = peak ÷ this); above 0%.",
        "fraction",
        default="60% to 85%",
    )
    ownership: str = F(
        "rent (GPU-hours) or own (buy servers: capex, depreciation, power, hosting).",
        default="rent",
        pattern="^(rent|own)$",
    )
    gpu_hour_price: Positive | None = F(
        "Rental price per GPU-hour; default: the catalog's latest (USD, converted with fx).",
        "currency/GPU-hour",
        default=None,
    )
    rental_price_change_per_year: Rate | None = F(
        "Change of rental prices per year; default: the catalog's published decline.",
        "1/year",
        default=None,
    )
    purchase_price_per_gpu: Positive | None = F(
        "Purchase price per GPU; default: the catalog's (USD, converted with fx).",
        "currency",
        default=None,
    )
    gpus_per_server: int = F(
        "GPUs bought together (capacity comes in whole servers).", "GPUs", default=8, ge=1
    )
    depreciation_years: Positive | None = F(
        "Straight-line depreciation life; default: the catalog's range.", "years", default=None
    )


BASE = "compute.serving.self_host"
OWN_FACTORS = (
    "pue",
    "electricity_usd_per_kwh",
    "hosting_usd_per_gpu_month",
    "server_overhead_fraction",
)
# Where the request shape is taken from when the deployment does not give it, in order.
USAGE_SECTIONS = ("market.consumer.usage", "market.business.usage", "streams.hardware.usage")

OUTPUTS = (
    line("cogs.power", "Power", "电力", category="serving"),
    line("cogs.hosting", "Hosting", "机房托管", category="serving"),
    line("capex.gpus", "GPUs", "GPU", category="assets"),
    line("depreciation.gpus", "GPUs", "GPU", category="assets"),
    kpi("gpus_needed", "GPUs needed", "所需 GPU 数", unit="GPUs", category="capacity"),
    kpi("gpus_owned", "GPUs in service", "在用 GPU 数", unit="GPUs", category="capacity"),
    kpi("gpus_needed@{route}", "GPUs needed", "所需 GPU 数", unit="GPUs", category="capacity"),
    kpi("gpus_owned@{route}", "GPUs in service", "在用 GPU 数", unit="GPUs", category="capacity"),
)


def deployment(s: SelfHost) -> dict[str, Any]:
    """The replica as :func:`~breakeven.compute.inference.estimate_inference` keyword arguments."""
    spec = s.speculative
    return dict(
        n_gpus=s.gpus_per_replica,
        nodes=s.nodes,
        # one node of more GPUs than the catalog's node holds is whole nodes, as `infer --gpus`
        gpus_per_node=s.gpus_per_replica if s.nodes > 1 else None,
        layout=s.layout,
        precision=s.precision,
        kv_precision=s.kv_precision,
        cache_hit_share=s.cache_hit_share,
        speculation=Speculation(spec.draft_tokens, spec.acceptance, spec.draft_cost)
        if spec
        else None,
        disaggregated=s.disaggregated,
        prefill_nodes=s.prefill_nodes,
        attention_kernel=s.attention_kernel,
    )


def sizing_tokens(sc: Any, s: SelfHost) -> tuple[int, int]:
    """Request shape the deployment is sized for: given, else the medians of the first usage of
    the plan (consumers, then seats, then devices), else 1,000 in / 300 out."""
    usage = next((u for u in (section_of(sc, p) for p in USAGE_SECTIONS) if u is not None), None)
    i = s.input_tokens_per_request or (
        int(round(usage.input_tokens_per_request.median)) if usage else 1000
    )
    o = s.output_tokens_per_request or (
        int(round(usage.output_tokens_per_request.median)) if usage else 300
    )
    return max(i, 1), max(o, 1)


class SelfHostBlock(ServingBlock):
    section = BASE
    schema = SelfHost
    books: tuple[str, ...] = (
        "cogs.inference",
        "cogs.power",
        "cogs.hosting",
        "capex.gpus",
        "depreciation.gpus",
    )
    records = ServingBlock.records + (
        "gpus_needed",
        "gpus_owned",
        "gpus_needed@{route}",
        "gpus_owned@{route}",
    )
    # currency per GPU-second: a row for each month in turn, and this month's (n,)
    gpu_second_rows: Iterator[np.ndarray]
    gpu_second: np.ndarray

    def __init__(self, spec: SelfHost, scenario: Any, route: str | None = None):
        super().__init__(spec, scenario, route)
        self.books = (
            ("cogs.power", "cogs.hosting", "capex.gpus", "depreciation.gpus")
            if spec.ownership == "own"
            else ("cogs.inference",)
        )
        self.io = sizing_tokens(scenario, spec)

    def draws(self) -> dict[str, tuple[Dist, str]]:
        s = self.spec
        names = [(k, "factors") for k in INFERENCE_FACTORS]
        if s.ownership == "own":
            names += [(k, "ownership") for k in OWN_FACTORS]
            if s.depreciation_years is None:
                names.append(("depreciation_years", "ownership"))
        elif s.rental_price_change_per_year is None:
            names.append(("rental_price_annual_decline", "ownership"))
        return {f"{self.path}.{k}": factor_input(k, sec) for k, sec in names}

    def problems(self, inputs: InputTable) -> Iterable[tuple[Loc, str, Any]]:
        s = self.spec
        bad = False
        for loc, check, got in (
            (("gpu",), lambda: get_gpu(s.gpu), s.gpu),
            (("model",), lambda: get_model(s.model), s.model),
        ):
            try:
                check()
            except CatalogError as e:
                bad = True
                yield loc, e.message, got
        yield from self.headroom_problems(inputs)
        if bad:
            return
        if s.prefill_nodes is not None and not s.disaggregated:
            yield (
                ("prefill_nodes",),
                "prefill nodes are a separate prefill instance: set disaggregated: true",
                s.prefill_nodes,
            )
        per = get_gpu(s.gpu).gpus_per_node
        if s.gpus_per_replica > per and (s.nodes > 1 or s.gpus_per_replica % per):
            node = get_gpu(s.gpu).node
            yield (
                ("gpus_per_replica",),
                (
                    f"a {s.gpu} node holds {per} GPUs ({node}); with nodes > 1 this is the GPUs "
                    f"of each node, at most {per}"
                    if s.nodes > 1
                    else f"a {s.gpu} node holds {per} GPUs ({node}): a replica larger than one "
                    f"node takes whole nodes ({2 * per}, or nodes: 2 with gpus_per_replica: {per})"
                ),
                s.gpus_per_replica,
            )
            return
        try:  # the deployment fits and can be split as asked (median efficiency factors)
            estimate_inference(
                s.model,
                s.gpu,
                input_tokens=self.io[0],
                output_tokens=self.io[1],
                **deployment(s),
            )
        except CatalogError as e:
            name = s.model if isinstance(s.model, str) else "model"
            where = f"{s.nodes} nodes x {s.gpus_per_replica}" if s.nodes > 1 else s.gpus_per_replica
            yield (), e.message, f"{name} on {where}x {s.gpu} ({s.layout}) at {s.precision}"
        if s.ownership == "own" and s.purchase_price_per_gpu is None:
            if get_gpu(s.gpu).purchase_price_usd is None:
                yield (
                    ("gpu",),
                    (f"no purchase price for {s.gpu} in the catalog; give purchase_price_per_gpu"),
                    s.gpu,
                )

    def currencies(self) -> Iterable[tuple[Loc, str]]:
        yield ("gpu",), "USD"  # the catalog's prices

    def _factor(self, ctx: Ctx, name: str) -> np.ndarray:
        return ctx.p.get(f"{self.path}.{name}")

    def prepare(self, ctx: Ctx) -> None:
        s, p, H = self.spec, ctx.p, ctx.months
        gpu = get_gpu(s.gpu)
        # efficiency factors, passed to estimate_inference as keyword arguments
        f: dict[str, Any] = {k: self._factor(ctx, k) for k in INFERENCE_FACTORS}
        est = estimate_inference(
            s.model,
            gpu,
            input_tokens=self.io[0],
            output_tokens=self.io[1],
            ttft_ms=s.ttft_ms,
            tpot_ms=s.tpot_ms,
            **deployment(s),
            **f,
        )
        assert est.prefill_gpu_s_per_request is not None
        assert est.decode_gpu_s_per_request is not None
        # GPU-seconds per input and per output token (prefill → input, decode → output)
        self.s_in = est.prefill_gpu_s_per_request / self.io[0]
        self.s_out = est.decode_gpu_s_per_request / self.io[1]
        self.replica = est.n_gpus  # capacity comes in whole replicas
        self.peak, self.util = p[s.peak_to_average], p[s.target_utilisation]
        usd = ctx.rate_to_currency("USD")
        if s.ownership == "rent":
            price = (
                p[s.gpu_hour_price] / usd
                if s.gpu_hour_price is not None
                else np.full(ctx.n, default_gpu_hour_price(gpu))
            )  # in USD here; converted below
            if s.rental_price_change_per_year is not None:
                change = p[s.rental_price_change_per_year]
            else:
                change = -self._factor(ctx, "rental_price_annual_decline")
            # currency per GPU-second, a month at a time: the hour's price × its growth path
            per_second = price * usd / 3600.0
            self.gpu_second_rows = (per_second * g for g in growth_rows(change, H))
        else:
            purchase = (
                p[s.purchase_price_per_gpu] / usd
                if s.purchase_price_per_gpu is not None
                else np.full(ctx.n, _purchase_price(gpu))
            )  # USD
            over = self._factor(ctx, "server_overhead_fraction")
            self.unit_capex = purchase * (1.0 + over) * usd
            self.years = (
                p[s.depreciation_years]
                if s.depreciation_years is not None
                else self._factor(ctx, "depreciation_years")
            )
            self.life = np.maximum(np.rint(self.years * 12.0), 1.0)
            one = np.ones((ctx.n, 1))  # one GPU, one month: the unit costs, in USD → currency
            self.power_per_gpu = (
                power_cost(
                    one,
                    gpu.tdp_watts,
                    self._factor(ctx, "pue"),
                    self._factor(ctx, "electricity_usd_per_kwh"),
                )[:, 0]
                * usd
            )
            self.hosting_per_gpu = (
                hosting_cost(one, self._factor(ctx, "hosting_usd_per_gpu_month"))[:, 0] * usd
            )
            running = self.unit_capex / self.life + self.power_per_gpu + self.hosting_per_gpu
            self.gpu_second_rows = itertools.repeat(running / SECONDS_PER_MONTH, H)
            self.owned = np.zeros(ctx.n)
            self.depreciation = DepreciationSchedule(self.years, ctx.n)

    def prices_per_million(self, ctx: Ctx, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Capacity cost per million tokens in the month being stepped (sized for the peak at the
        target utilisation)."""
        k = self.gpu_second * self.peak / self.util * 1e6
        return self.s_in * k, self.s_out * k

    def step(self, ctx: Ctx, t: int) -> None:
        s = self.spec
        self.gpu_second = next(self.gpu_second_rows)  # currency per GPU-second this month
        req, tin, tout = self.demand(ctx)
        need = gpus_at_peak(tin * self.s_in + tout * self.s_out, self.peak, self.util, self.replica)
        pin, pout = self.prices_per_million(ctx, t)
        self.share_costs(ctx, pin / 1e6, pout / 1e6)
        if s.ownership == "rent":
            cost = need * self.gpu_second * SECONDS_PER_MONTH
            ctx.book("cogs.inference", t, cost)
        else:
            k = s.gpus_per_server
            target = np.ceil(need / k - 1e-9) * k
            bought = np.maximum(target - self.owned, 0.0)
            self.owned = self.owned + bought
            spend = bought * self.unit_capex
            # straight line: each purchase spread over its life from the month it is made
            dep = self.depreciation.step(spend)
            ctx.book("capex.gpus", t, spend)
            ctx.book("depreciation.gpus", t, dep)
            power = self.owned * self.power_per_gpu
            hosting = self.owned * self.hosting_per_gpu
            ctx.book("cogs.power", t, power)
            ctx.book("cogs.hosting", t, hosting)
            cost = power + hosting
        ctx.record(self.kpi("gpus_needed"), t, need)
        ctx.record(self.kpi("gpus_owned"), t, self.owned if s.ownership == "own" else need)
        self.record_volume(ctx, t, req, tin, tout, cost)


def _purchase_price(gpu: GPU) -> float:
    if gpu.purchase_price_usd is None:
        raise CatalogError(
            f"no purchase price for {gpu.name} in the catalog; give purchase_price_per_gpu"
        )
    return float(gpu.purchase_price_usd)
