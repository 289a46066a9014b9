"""Serving cost from first principles: a roofline estimator for LLM inference.

The model follows the usual two-phase picture (Pope et al., "Efficiently Scaling Transformer
Inference", arXiv:2211.05102; Kwon et al., vLLM, arXiv:2309.06180; Databricks, "LLM Inference
Performance Engineering", 2023):

* **Prefill** (prompt processing) is compute-bound::

      FLOPs = 2 · active_params · B · I  +  B · layers · (d_qk + d_v) · I²      (causal attention)
      t_prefill = max(FLOPs / (N · peak · prefill_mfu),  weights_bytes / (N · bw · mbu)) / tp(N)

* **Decode** produces one token per sequence per step. A step runs two kinds of kernels one
  after the other, and each is a roofline (the *max* of its memory and compute time); the step
  is their *sum*:

      t_linear = max(weights_read(B) / N / (bw · mbu),  2 · active_params · B / (N · peak · decode_mfu))
      t_attn   = max(B · c · kv_bytes_per_token / kv_shards / (bw · mbu),
                     2 · B · layers · (d_qk + d_v) · c / (N · peak_bf16 · decode_mfu))
      t_step   = (t_linear + t_attn) / tp(N)

  The weight GEMMs turn compute-bound at large batch while attention keeps streaming the KV
  cache, so a single max() over the whole step would overstate large-batch throughput.

  For mixture-of-experts models weights_read(B) = non-routed weights + per MoE layer the
  expected number of distinct experts the batch touches, E · (1 − (1 − k/E)^B), each of
  expert_params (tokens route independently and uniformly — an upper bound on sharing).

* **Tensor parallelism** over N GPUs of one node divides weights, FLOPs and (up to kv_heads
  shards; MLA's latent cache is replicated) the KV cache, and keeps tp_efficiency per doubling:
  tp(N) = tp_efficiency ** log2(N).

* **Throughput at a fixed batch counts the prefill**, the way published serving benchmarks
  report it (e.g. TensorRT-LLM's gptSessionBenchmark): B requests of I input and O output tokens
  yield B · O tokens in t_prefill(B · I) + O · t_step(B, c = I + O/2).

Efficiency factors (mbu, MFUs, tp_efficiency, memory reserve) are uncertain; every function takes
them as numpy arrays of shape (n,) (or floats) and returns arrays, so the engine can pass sampled
values. ``None`` means the catalog median (``data/efficiency.yaml``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .catalog import CatalogError, constant, factor_value, factors, percentiles, sample_factors
from .hardware import GPU, PRECISIONS, get_gpu
from .models import ModelSpec, get_model

INFERENCE_FACTORS = (
    "hbm_bandwidth_utilisation",
    "prefill_mfu",
    "decode_mfu",
    "tp_efficiency",
    "memory_reserve_fraction",
)


class EstimateError(CatalogError):
    """The requested deployment is impossible (model does not fit, bad parallelism, …)."""


# ---------------------------------------------------------------- factors


def sample_inference_factors(
    n: int | None = None,
    rng: np.random.Generator | None = None,
    uniforms: Mapping[str, np.ndarray] | np.ndarray | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, np.ndarray]:
    """Inference efficiency factors as arrays (n,): sampled with ``rng`` / ``uniforms``, else medians.

    Pass the result as keyword arguments: ``estimate_inference(..., **sample_inference_factors(
    1000, rng))``. Column order for a uniforms array: :data:`INFERENCE_FACTORS`.
    """
    return sample_factors(n, rng, uniforms, "factors", INFERENCE_FACTORS, overrides)


def _f(name: str, value: Any) -> np.ndarray:
    return factor_value(name, value, EstimateError)


# ---------------------------------------------------------------- memory


def bytes_per_param(precision: str) -> float:
    """Storage bytes per weight: bf16/fp16 2, fp8/int8 1, int4/fp4 0.5 (+ group scales, ~3%)."""
    p = str(precision).lower()
    table = constant("bytes_per_param")
    if p not in table:
        raise EstimateError(
            f"unknown precision {precision!r}; choose one of {', '.join(PRECISIONS)}"
        )
    b = float(table[p])
    if p in ("int4", "fp4"):
        b *= 1.0 + float(constant("int4_group_scale_overhead"))
    return b


def weights_bytes(model: ModelSpec, precision: str = "bf16") -> float:
    """Bytes of all weights: params · bytes_per_param (Llama-2-7B at bf16: 6.74e9 · 2 = 13.5 GB)."""
    return float(model.params) * bytes_per_param(precision)


def default_kv_precision(precision: str) -> str:
    """fp8 weights pair with an fp8 KV cache (TensorRT-LLM, vLLM fp8 recipes); otherwise bf16."""
    return "fp8" if str(precision).lower() == "fp8" else "bf16"


def kv_bytes_per_token(model: ModelSpec, kv_precision: str = "bf16") -> float:
    """KV-cache bytes per token over all layers.

    MHA/GQA/MQA: 2 · layers · kv_heads · head_dim · bytes (Llama-3.1-8B bf16: 2·32·8·128·2 =
    131,072). MLA: (kv_lora_rank + qk_rope_head_dim) · layers · bytes (DeepSeek-V3 bf16:
    (512+64)·61·2 = 70,272).
    """
    p = str(kv_precision).lower()
    if p in ("int4", "fp4"):
        b = 0.5
    else:
        b = bytes_per_param(p)
    return float(model.kv_elements_per_token()) * b


def kv_shards(model: ModelSpec, n_gpus: int) -> int:
    """How many ways tensor parallelism splits the KV cache: kv heads split up to kv_heads ways;
    MLA's compressed latent is shared by all heads, so every GPU holds all of it."""
    if model.attention == "mla":
        return 1
    assert model.kv_heads is not None  # ModelSpec derives it
    return max(1, min(int(n_gpus), int(model.kv_heads)))


def _check_parallel(model: ModelSpec, n_gpus: int) -> int:
    n = int(n_gpus)
    if n != n_gpus or n < 1:
        raise EstimateError(f"the number of GPUs must be a whole number >= 1 (got {n_gpus})")
    assert model.heads is not None  # ModelSpec derives it
    if n > 1 and model.heads % n:
        raise EstimateError(
            f"tensor parallelism over {n} GPUs needs heads ({model.heads}) "
            f"divisible by {n}; use a power of two such as 2, 4 or 8"
        )
    return n


def kv_capacity_tokens(
    model: ModelSpec,
    gpu: GPU,
    n_gpus: int = 1,
    precision: str = "bf16",
    kv_precision: str | None = None,
    memory_reserve_fraction: Any = None,
) -> np.ndarray:
    """Tokens of KV cache that fit beside the weights, per tensor-parallel group.

    per-GPU free bytes = memory · (1 − reserve) − weights_bytes / N;
    tokens = free / (kv_bytes_per_token / kv_shards). Negative when the weights do not fit.
    """
    n = _check_parallel(model, n_gpus)
    reserve = _f("memory_reserve_fraction", memory_reserve_fraction)
    kvp = kv_precision or default_kv_precision(precision)
    free = gpu.memory_bytes * (1.0 - reserve) - weights_bytes(model, precision) / n
    per_token = kv_bytes_per_token(model, kvp) / kv_shards(model, n)
    return free / per_token


def max_batch(
    model: ModelSpec,
    gpu: GPU,
    context_tokens: int,
    n_gpus: int = 1,
    precision: str = "bf16",
    kv_precision: str | None = None,
    memory_reserve_fraction: Any = None,
) -> np.ndarray:
    """Largest number of concurrent sequences whose full context (input + output) fits in memory.

    Returns an integer array; 0 where not even one sequence fits.
    """
    cap = kv_capacity_tokens(model, gpu, n_gpus, precision, kv_precision, memory_reserve_fraction)
    return np.maximum(np.floor(cap / max(1, int(context_tokens))), 0).astype(np.int64)


# ---------------------------------------------------------------- time


def attention_dims(model: ModelSpec, absorbed: bool) -> float:
    """d_qk + d_v: attention FLOPs per (query, key) pair per layer are 2 · (d_qk + d_v).

    MLA decode uses the absorbed form, whose scores and values live in the latent
    (heads · (kv_lora_rank + rope) and heads · kv_lora_rank); MLA prefill and other attention
    use heads · head_dim for both (plus the RoPE part of MLA keys).
    """
    h, head_dim = model.heads, model.head_dim
    assert h is not None and head_dim is not None  # ModelSpec derives them
    if model.attention == "mla":
        assert model.kv_lora_rank is not None and model.qk_rope_head_dim is not None  # validated
        if absorbed:
            return float(h * (model.kv_lora_rank + model.qk_rope_head_dim) + h * model.kv_lora_rank)
        return float(h * (head_dim + model.qk_rope_head_dim) + h * head_dim)
    return float(2 * h * head_dim)


def tp_factor(n_gpus: int, tp_efficiency: Any = None) -> np.ndarray:
    """Fraction of ideal N-fold speed kept under tensor parallelism: tp_efficiency ** log2(N)."""
    eff = _f("tp_efficiency", tp_efficiency)
    n = int(n_gpus)
    return np.ones_like(eff) if n <= 1 else eff ** math.log2(n)


def prefill_flops(model: ModelSpec, input_tokens: float, n_requests: Any = 1) -> np.ndarray:
    """2 · active_params · B · I + B · layers · (d_qk + d_v) · I² (causal attention; the
    2·(d_qk+d_v)·t per token at position t summed over t ≈ (d_qk+d_v)·I²)."""
    b = np.asarray(n_requests, dtype=float)
    i = float(input_tokens)
    assert model.active_params is not None  # ModelSpec derives it
    return b * (2.0 * model.active_params * i + model.layers * attention_dims(model, False) * i * i)


def prefill_time_s(
    model: ModelSpec,
    gpu: GPU,
    input_tokens: float,
    n_requests: Any = 1,
    n_gpus: int = 1,
    precision: str = "bf16",
    prefill_mfu: Any = None,
    hbm_bandwidth_utilisation: Any = None,
    tp_efficiency: Any = None,
) -> np.ndarray:
    """Seconds to process the prompts of ``n_requests`` requests of ``input_tokens`` each.

    Compute-bound: FLOPs / (N · peak · prefill_mfu), floored by one read of the weights.
    """
    n = _check_parallel(model, n_gpus)
    mfu = _f("prefill_mfu", prefill_mfu)
    mbu = _f("hbm_bandwidth_utilisation", hbm_bandwidth_utilisation)
    compute = prefill_flops(model, input_tokens, n_requests) / (n * gpu.peak_flops(precision) * mfu)
    memory = weights_bytes(model, precision) / n / (gpu.memory_bandwidth_bytes_s * mbu)
    return np.maximum(compute, memory) / tp_factor(n, tp_efficiency)


def expected_experts_touched(experts: int, experts_per_token: int, batch: Any) -> np.ndarray:
    """Expected distinct routed experts a batch of B tokens touches in one MoE layer:
    E · (1 − (1 − k/E)^B), with each token picking k of E experts uniformly."""
    b = np.asarray(batch, dtype=float)
    e, k = float(experts), float(experts_per_token)
    return e * (1.0 - (1.0 - k / e) ** b)


def weights_read_bytes(model: ModelSpec, batch: Any, precision: str = "bf16") -> np.ndarray:
    """Weight bytes one decode step reads: all of a dense model; for MoE the non-routed part plus
    the experts the batch touches (:func:`expected_experts_touched`) in every MoE layer."""
    bpp = bytes_per_param(precision)
    b = np.asarray(batch, dtype=float)
    if not model.is_moe:
        return np.full(b.shape, model.params * bpp)
    touched = expected_experts_touched(model.experts, model.experts_per_token, b)
    assert model.moe_layers is not None and model.expert_params is not None  # MoE: validated
    return (model.nonrouted_params + model.moe_layers * model.expert_params * touched) * bpp


def decode_step_time_s(
    model: ModelSpec,
    gpu: GPU,
    batch: Any,
    context_tokens: Any,
    n_gpus: int = 1,
    precision: str = "bf16",
    kv_precision: str | None = None,
    hbm_bandwidth_utilisation: Any = None,
    decode_mfu: Any = None,
    tp_efficiency: Any = None,
) -> np.ndarray:
    """Seconds for one decode step of ``batch`` sequences at average context ``context_tokens``.

    Sum of two rooflines (see the module docstring): weight GEMMs max(weight bytes, FLOPs) plus
    attention max(KV bytes, attention FLOPs), divided by tp(N). At batch 1 on a 7B model this is
    ≈ weights_bytes / (bandwidth · mbu), e.g. 13.5e9 / (3.35e12 · 0.7) ≈ 5.7 ms on an H100.
    """
    n = _check_parallel(model, n_gpus)
    mbu = _f("hbm_bandwidth_utilisation", hbm_bandwidth_utilisation)
    mfu = _f("decode_mfu", decode_mfu)
    kvp = kv_precision or default_kv_precision(precision)
    b = np.asarray(batch, dtype=float)
    c = np.asarray(context_tokens, dtype=float)
    bw = gpu.memory_bandwidth_bytes_s * mbu
    assert model.active_params is not None  # ModelSpec derives it
    linear = np.maximum(
        weights_read_bytes(model, b, precision) / n / bw,
        2.0 * model.active_params * b / (n * gpu.peak_flops(precision) * mfu),
    )
    kv_bytes = b * c * kv_bytes_per_token(model, kvp) / kv_shards(model, n)
    attn_flops = 2.0 * b * model.layers * attention_dims(model, True) * c
    attn = np.maximum(kv_bytes / bw, attn_flops / (n * gpu.peak_flops("bf16") * mfu))
    return (linear + attn) / tp_factor(n, tp_efficiency)


# ---------------------------------------------------------------- throughput at a batch


def batch_timings(
    model: ModelSpec,
    gpu: GPU,
    batch: Any,
    input_tokens: int,
    output_tokens: int,
    n_gpus: int = 1,
    precision: str = "bf16",
    kv_precision: str | None = None,
    hbm_bandwidth_utilisation: Any = None,
    prefill_mfu: Any = None,
    decode_mfu: Any = None,
    tp_efficiency: Any = None,
) -> dict[str, np.ndarray]:
    """Times of one batch cycle: B requests of I in / O out on an N-GPU tensor-parallel group.

    Returns prefill_s (B·I prompt tokens), step_s (decode step at context I + O/2), decode_s
    (O steps), total_s, ttft_s (one new prompt's prefill plus one decode step — continuous
    batching), tpot_s (total_s / O: mean time between tokens with prefills interleaved).
    """
    b = np.asarray(batch, dtype=float)
    pre = prefill_time_s(
        model,
        gpu,
        input_tokens,
        b,
        n_gpus=n_gpus,
        precision=precision,
        prefill_mfu=prefill_mfu,
        hbm_bandwidth_utilisation=hbm_bandwidth_utilisation,
        tp_efficiency=tp_efficiency,
    )
    step = decode_step_time_s(
        model,
        gpu,
        b,
        input_tokens + output_tokens / 2.0,
        n_gpus=n_gpus,
        precision=precision,
        kv_precision=kv_precision,
        hbm_bandwidth_utilisation=hbm_bandwidth_utilisation,
        decode_mfu=decode_mfu,
        tp_efficiency=tp_efficiency,
    )
    one = prefill_time_s(
        model,
        gpu,
        input_tokens,
        1.0,
        n_gpus=n_gpus,
        precision=precision,
        prefill_mfu=prefill_mfu,
        hbm_bandwidth_utilisation=hbm_bandwidth_utilisation,
        tp_efficiency=tp_efficiency,
    )
    dec = output_tokens * step
    total = pre + dec
    return {
        "prefill_s": pre,
        "step_s": step,
        "decode_s": dec,
        "total_s": total,
        "ttft_s": one + step,
        "tpot_s": total / output_tokens,
    }


def search_batch(
    model: ModelSpec,
    gpu: GPU,
    input_tokens: int,
    output_tokens: int,
    limit: Any,
    ttft_ms: float | None = None,
    tpot_ms: float | None = None,
    **kw: Any,
) -> tuple[np.ndarray, np.ndarray]:
    """Largest batch in [1, limit] meeting the TTFT and TPOT targets (vectorised bisection).

    Both latencies grow with the batch, so the feasible set is [1, B*]. Returns (batch, ok) where
    ``ok`` is False for samples in which even batch 1 misses a target (batch is then 1).
    """
    hi = np.maximum(np.asarray(limit, dtype=np.int64), 1)

    def ok(b):
        t = batch_timings(model, gpu, b, input_tokens, output_tokens, **kw)
        good = np.ones(np.shape(b), dtype=bool)
        if ttft_ms is not None:
            good &= t["ttft_s"] * 1e3 <= ttft_ms
        if tpot_ms is not None:
            good &= t["tpot_s"] * 1e3 <= tpot_ms
        return good

    shape = np.broadcast(
        hi, *[np.asarray(v) for v in kw.values() if isinstance(v, np.ndarray)]
    ).shape
    hi = np.broadcast_to(hi, shape).astype(np.int64)
    if ttft_ms is None and tpot_ms is None:
        return hi, np.ones(shape, dtype=bool)
    lo = np.ones(shape, dtype=np.int64)
    feasible1 = ok(lo)
    top_ok = ok(hi)
    # invariant where active: lo meets the targets, hi does not
    hi_ = hi.copy()
    while True:
        active = feasible1 & ~top_ok & (hi_ - lo > 1)
        if not active.any():
            break
        mid = (lo + hi_) // 2
        good = ok(mid)
        lo = np.where(active & good, mid, lo)
        hi_ = np.where(active & ~good, mid, hi_)
    res = np.where(top_ok, hi, lo)
    return np.where(feasible1, res, 1), feasible1


@dataclass
class InferenceEstimate:
    """Serving estimate for one deployment (model × GPU × N × precision × workload).

    Array fields have one entry per efficiency sample (shape (n,)); scalars are exact.
    Costs are at full utilisation of the GPUs; use :func:`gpus_needed` for capacity.
    """

    model: str
    gpu: str
    n_gpus: int
    precision: str
    kv_precision: str
    input_tokens: int
    output_tokens: int
    weights_gb: float
    kv_bytes_per_token: float
    batch: np.ndarray
    max_batch: np.ndarray
    output_tokens_per_s_per_gpu: np.ndarray
    requests_per_s_per_gpu: np.ndarray
    requests_per_s: np.ndarray
    ttft_ms: np.ndarray
    tpot_ms: np.ndarray
    prefill_share: np.ndarray
    meets_targets: np.ndarray
    fits: np.ndarray
    gpu_hour_price: np.ndarray | None = None
    cost_per_request: np.ndarray | None = None
    cost_per_million_input_tokens: np.ndarray | None = None
    cost_per_million_output_tokens: np.ndarray | None = None
    cost_per_million_output_tokens_all_in: np.ndarray | None = None
    notes: list[str] = field(default_factory=list)

    ARRAYS = (
        "batch",
        "max_batch",
        "output_tokens_per_s_per_gpu",
        "requests_per_s_per_gpu",
        "requests_per_s",
        "ttft_ms",
        "tpot_ms",
        "prefill_share",
        "gpu_hour_price",
        "cost_per_request",
        "cost_per_million_input_tokens",
        "cost_per_million_output_tokens",
        "cost_per_million_output_tokens_all_in",
    )

    def summary(self) -> dict[str, Any]:
        """JSON-ready dict: scalars as numbers, arrays as {p10, p50, p90}."""
        out: dict[str, Any] = {
            "model": self.model,
            "gpu": self.gpu,
            "gpus": self.n_gpus,
            "precision": self.precision,
            "kv_precision": self.kv_precision,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "weights_gb": self.weights_gb,
            "kv_bytes_per_token": self.kv_bytes_per_token,
        }
        for k in self.ARRAYS:
            v = getattr(self, k)
            if v is not None:
                out[k] = percentiles(v)
        out["share_meeting_targets"] = float(np.mean(self.meets_targets))
        out["share_fitting"] = float(np.mean(self.fits))
        if self.notes:
            out["notes"] = list(self.notes)
        return out


def estimate_inference(
    model: str | dict | ModelSpec,
    gpu: str | GPU,
    *,
    n_gpus: int = 1,
    precision: str = "bf16",
    kv_precision: str | None = None,
    input_tokens: int = 1000,
    output_tokens: int = 300,
    batch: Any = None,
    ttft_ms: float | None = None,
    tpot_ms: float | None = None,
    max_batch_cap: int = 1024,
    gpu_hour_price: Any = None,
    hbm_bandwidth_utilisation: Any = None,
    prefill_mfu: Any = None,
    decode_mfu: Any = None,
    tp_efficiency: Any = None,
    memory_reserve_fraction: Any = None,
) -> InferenceEstimate:
    """Throughput, latency and cost of serving ``model`` on ``n_gpus`` × ``gpu`` (one TP group).

    ``batch``: a fixed batch (int or array); otherwise the largest batch that fits in memory
    (capped at ``max_batch_cap``, a serving-engine limit) and meets ``ttft_ms`` / ``tpot_ms``.
    ``gpu_hour_price`` (USD per GPU-hour, float or array) adds costs: per request (all-in), and per
    million input / output tokens with the GPU time split by phase (prefill time → input tokens,
    decode time → output tokens).
    """
    m = get_model(model)
    g = get_gpu(gpu)
    precision = str(precision).lower()
    if precision not in PRECISIONS:
        raise EstimateError(
            f"unknown precision {precision!r}; choose one of {', '.join(PRECISIONS)}"
        )
    kvp = (kv_precision or default_kv_precision(precision)).lower()
    i, o = int(input_tokens), int(output_tokens)
    if i < 1 or o < 1:
        raise EstimateError(
            f"input and output tokens must be >= 1 (got {input_tokens}, {output_tokens})"
        )
    n = _check_parallel(m, n_gpus)
    notes: list[str] = []
    if m.max_context and i + o > m.max_context:
        notes.append(f"{i + o} tokens exceed {m.name}'s context of {m.max_context}")
    if precision == "fp8" and not g.tflops.get("fp8"):
        notes.append(f"{g.name} has no fp8 tensor cores: fp8 weights computed at bf16 speed")
    fx = {
        k: np.atleast_1d(_f(k, v))
        for k, v in (
            ("hbm_bandwidth_utilisation", hbm_bandwidth_utilisation),
            ("prefill_mfu", prefill_mfu),
            ("decode_mfu", decode_mfu),
            ("tp_efficiency", tp_efficiency),
        )
    }
    reserve = np.atleast_1d(_f("memory_reserve_fraction", memory_reserve_fraction))

    wb = weights_bytes(m, precision)
    median_reserve = factors("factors")["memory_reserve_fraction"].median
    mb_median = max_batch(m, g, i + o, n, precision, kvp, median_reserve)
    if int(np.min(mb_median)) < 1:
        usable = g.memory_bytes * (1 - median_reserve) * n / 1e9
        need = wb / 1e9 + kv_bytes_per_token(m, kvp) * (i + o) / kv_shards(m, n) * n / 1e9
        raise EstimateError(
            f"{m.name} at {precision} does not fit on {n}x {g.name}: it needs {need:,.1f} GB "
            f"(weights {wb / 1e9:,.1f} GB + KV for one {i + o}-token request) and "
            f"{usable:,.1f} GB is usable; add GPUs (--gpus) or use a smaller precision"
        )
    mb = max_batch(m, g, i + o, n, precision, kvp, reserve)
    fits = mb >= 1
    mb = np.maximum(mb, 1)

    shape = np.broadcast(mb, *fx.values()).shape
    mb = np.broadcast_to(mb, shape)
    kw: dict[str, Any] = dict(n_gpus=n, precision=precision, kv_precision=kvp, **fx)
    if batch is not None:
        b = np.broadcast_to(np.asarray(batch, dtype=np.int64), shape).astype(np.int64)
        if np.any(b < 1):
            raise EstimateError(f"batch must be >= 1 (got {batch})")
        if np.any(b > mb):
            notes.append(
                f"batch {int(np.max(b))} exceeds the memory limit "
                f"(max batch p50 {int(np.median(mb))}); KV cache would not fit"
            )
        t = batch_timings(m, g, b, i, o, **kw)
        meets = np.ones(shape, dtype=bool)
        if ttft_ms is not None:
            meets &= t["ttft_s"] * 1e3 <= ttft_ms
        if tpot_ms is not None:
            meets &= t["tpot_s"] * 1e3 <= tpot_ms
    else:
        limit = np.minimum(mb, int(max_batch_cap))
        b, meets = search_batch(m, g, i, o, limit, ttft_ms, tpot_ms, **kw)
        t = batch_timings(m, g, b, i, o, **kw)
    if not np.all(meets):
        notes.append(f"latency targets missed even at batch 1 in {np.mean(~meets):.0%} of samples")

    bf = np.asarray(b, dtype=float)
    total = t["total_s"]
    est = InferenceEstimate(
        model=m.name,
        gpu=g.name,
        n_gpus=n,
        precision=precision,
        kv_precision=kvp,
        input_tokens=i,
        output_tokens=o,
        weights_gb=wb / 1e9,
        kv_bytes_per_token=kv_bytes_per_token(m, kvp),
        batch=np.asarray(b),
        max_batch=np.asarray(mb),
        output_tokens_per_s_per_gpu=bf * o / total / n,
        requests_per_s_per_gpu=bf / total / n,
        requests_per_s=bf / total,
        ttft_ms=t["ttft_s"] * 1e3,
        tpot_ms=t["tpot_s"] * 1e3,
        prefill_share=t["prefill_s"] / total,
        meets_targets=np.asarray(meets),
        fits=fits,
        notes=notes,
    )
    if gpu_hour_price is not None:
        add_costs(est, t, gpu_hour_price)
    return est


def add_costs(
    est: InferenceEstimate, timings: Mapping[str, np.ndarray], gpu_hour_price: Any
) -> None:
    """Fill the cost fields of ``est`` from its batch timings and a USD/GPU-hour price."""
    p = np.asarray(gpu_hour_price, dtype=float)
    if np.any(p < 0):
        raise EstimateError(f"gpu_hour_price must not be negative (got {gpu_hour_price})")
    per_s = est.n_gpus * p / 3600.0  # USD per second for the whole TP group
    b = np.asarray(est.batch, dtype=float)
    est.gpu_hour_price = np.broadcast_to(p, np.shape(timings["total_s"])).astype(float)
    est.cost_per_request = per_s * timings["total_s"] / b
    est.cost_per_million_input_tokens = per_s * timings["prefill_s"] / (b * est.input_tokens) * 1e6
    est.cost_per_million_output_tokens = per_s * timings["decode_s"] / (b * est.output_tokens) * 1e6
    est.cost_per_million_output_tokens_all_in = (
        per_s * timings["total_s"] / (b * est.output_tokens) * 1e6
    )


# ---------------------------------------------------------------- capacity


def gpus_needed(
    requests_per_s: Any,
    requests_per_s_per_gpu: Any,
    peak_to_average: Any = 1.0,
    target_utilisation: Any = 1.0,
    gpus_per_replica: int = 1,
) -> np.ndarray:
    """GPUs to serve an average request rate at its peak: whole replicas of ``gpus_per_replica``.

    gpus = ceil(rate · peak_to_average / (rate_per_gpu · gpus_per_replica · target_utilisation))
           · gpus_per_replica.
    Arrays broadcast (e.g. rate of shape (samples, months) with rate_per_gpu[:, None]).
    """
    rate = np.asarray(requests_per_s, dtype=float)
    per_gpu = np.asarray(requests_per_s_per_gpu, dtype=float)
    util = np.asarray(target_utilisation, dtype=float)
    if np.any(util <= 0) or np.any(util > 1):
        raise EstimateError("target_utilisation must be in (0, 1]")
    if np.any(per_gpu <= 0):
        raise EstimateError("requests_per_s_per_gpu must be positive")
    k = int(gpus_per_replica)
    replicas = np.ceil(rate * np.asarray(peak_to_average, float) / (per_gpu * k * util) - 1e-9)
    return np.maximum(replicas, 0) * k


# ---------------------------------------------------------------- other workloads


def gpu_seconds_cost(
    units: Any,
    workload: str,
    gpu_hour_price: Any,
    rng: np.random.Generator | None = None,
    n: int | None = None,
    gpu_seconds_per_unit: Any = None,
) -> np.ndarray:
    """Cost of non-LLM work (images, speech) priced by GPU-seconds per unit on the reference GPU.

    ``workload`` names a row of efficiency.yaml ``workloads`` (e.g. ``sdxl_image_1024``); its
    interval is sampled with ``rng`` (or its median). cost = units · s/unit · price / 3600.
    """
    if gpu_seconds_per_unit is None:
        draws = sample_factors(n, rng, None, "workloads", [workload])
        gpu_seconds_per_unit = next(iter(draws.values()))
    return (
        np.asarray(units, float)
        * np.asarray(gpu_seconds_per_unit, float)
        * np.asarray(gpu_hour_price, float)
        / 3600.0
    )
