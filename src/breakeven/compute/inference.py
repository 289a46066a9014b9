"""Serving cost from first principles: a roofline estimator for LLM inference at any scale.

The model follows the usual two-phase picture (Pope et al., "Efficiently Scaling Transformer
Inference", arXiv:2211.05102; Kwon et al., vLLM, arXiv:2309.06180; Databricks, "LLM Inference
Performance Engineering", 2023), per GPU of a replica laid out by :mod:`.parallel` (tp, pp, ep):

* **Prefill** (prompt processing) is compute-bound. With a share h of each prompt's I tokens
  already in the prefix cache, only the new tokens are computed, attending to the whole prompt::

      FLOPs = 2 · active_params · B · I · (1 − h)  +  B · layers · (d_qk + d_v) · I² · (1 − h²)
      t_prefill = max(FLOPs / G / (peak · prefill_mfu),  weights_per_gpu / (bw · mbu)) + comm

* **Decode** advances every sequence by one step. A step runs two kinds of kernels one after the
  other, and each is a roofline (the *max* of its memory and compute time); the step is their
  *sum*, plus the layout's communication (tensor-parallel all-reduces on the critical path;
  expert all-to-alls overlapped with computation, :func:`.parallel.overlapped_s`)::

      t_linear = max(weights_read(B) per GPU / (bw · mbu),  2 · active_params · B / G / (peak · decode_mfu))
      t_attn   = max(KV bytes per GPU / (bw · mbu),  2 · B · layers · (d_qk + d_v) · c / G / (peak_bf16 · decode_mfu))

  The weight GEMMs turn compute-bound at large batch while attention keeps streaming the KV
  cache, so a single max() over the whole step would overstate large-batch throughput.

  For mixture-of-experts models weights_read(B) = non-routed weights + per MoE layer the
  expected number of distinct experts the batch touches, E · (1 − (1 − k/E)^B), each of
  expert_params (tokens route independently and uniformly — an upper bound on sharing).

* **Speculative decoding / multi-token prediction**: with d draft tokens each accepted with
  probability a, a step yields (1 − a^(d+1)) / (1 − a) tokens per sequence (Leviathan et al.,
  arXiv:2211.17192, eq. 1) and verifies d + 1 tokens per sequence (GEMM and attention FLOPs ×
  (d + 1), the KV cache read once), plus d draft passes each costing ``draft_cost`` of a plain
  step (MTP: one extra transformer block, 1 / layers; DeepSeek-V3, arXiv:2412.19437, section 2.2).

* **Colocated serving** (prefill and decode on the same GPUs) counts the prefill in the
  throughput, the way published serving benchmarks report it (e.g. TensorRT-LLM's
  gptSessionBenchmark): B requests of I input and O output tokens yield B · O tokens in
  t_prefill(B · I) + O · t_step(B, c = I + O/2). **Disaggregated serving** (Zhong et al.,
  DistServe, arXiv:2401.09670) runs prefill and decode on separate instances, each at its own
  batch: the decode instance's time per token is the step alone, and each request costs the
  prefill instance's GPU-seconds plus the decode instance's.

Efficiency factors (mbu, MFUs, link utilisation, collective latency, overlap, expert imbalance,
memory reserve) are uncertain; every function takes them as numpy arrays of shape (n,) (or
floats) and returns arrays, so the engine can pass sampled values. ``None`` means the catalog
median (``data/efficiency.yaml``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..format import pct_sig
from .catalog import CatalogError, constant, factor_value, factors, percentiles, sample_factors
from .hardware import GPU, PRECISIONS, get_gpu
from .models import ModelSpec, get_model
from .parallel import (
    Layout,
    allreduce_time_s,
    alltoall_time_s,
    link_bandwidths_bytes_s,
    make_layout,
    overlapped_s,
)

INFERENCE_FACTORS = (
    "hbm_bandwidth_utilisation",
    "prefill_mfu",
    "decode_mfu",
    "link_bandwidth_utilisation",
    "collective_latency_us",
    "comm_overlap",
    "expert_load_imbalance",
    "memory_reserve_fraction",
)
# The factors the time functions take (all but the memory reserve), in the order above.
TIME_FACTORS = INFERENCE_FACTORS[:-1]


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
    """The precision attention runs in: fp16 for fp16 weights, otherwise bf16 — also for fp8 and
    4-bit weights, whose activations stay 16-bit unless an fp8 KV cache is chosen explicitly
    (vLLM ``kv_cache_dtype="auto"`` = the model's activation dtype,
    https://docs.vllm.ai/en/latest/configuration/engine_args.html)."""
    return "fp16" if str(precision).lower() == "fp16" else "bf16"


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


def as_layout(model: ModelSpec, n_gpus: int = 1, layout: Layout | None = None) -> Layout:
    """The replica's layout (``n_gpus`` → one node of tensor parallelism), checked for the model:
    tensor parallelism needs heads divisible by its degree; expert parallelism needs an MoE model
    with at least one routed expert per GPU."""
    if layout is None:
        n = int(n_gpus)
        if n != n_gpus or n < 1:
            raise EstimateError(f"the number of GPUs must be a whole number >= 1 (got {n_gpus})")
        layout = make_layout("tp", 1, n)
    assert model.heads is not None  # ModelSpec derives it
    t = layout.tp
    if t > 1 and model.heads % t:
        raise EstimateError(
            f"tensor parallelism over {t} GPUs needs heads ({model.heads}) "
            f"divisible by {t}; use a power of two such as 2, 4 or 8"
        )
    if layout.kind == "ep":
        if not model.is_moe:
            raise EstimateError(
                f"the ep layout spreads routed experts over GPUs, and {model.name} is a dense "
                "model; use tp or pp"
            )
        if layout.gpus > model.experts:
            raise EstimateError(
                f"ep over {layout.gpus} GPUs leaves some without an expert ({model.name} has "
                f"{model.experts} routed experts per layer)"
            )
    if layout.kind == "pp" and layout.pp > model.layers:
        raise EstimateError(f"{layout.pp} pipeline stages for {model.layers} layers")
    return layout


def weights_per_gpu_bytes(model: ModelSpec, layout: Layout, precision: str = "bf16") -> float:
    """Weight bytes one GPU holds: all weights / GPUs under tp and pp; under ep the non-routed
    weights (replicated: attention runs data-parallel) plus routed experts / GPUs."""
    if layout.kind == "ep":
        return (model.nonrouted_params + model.routed_params / layout.gpus) * bytes_per_param(
            precision
        )
    return weights_bytes(model, precision) / layout.gpus


def kv_bytes_per_token_per_gpu(model: ModelSpec, layout: Layout, kv_precision: str) -> float:
    """KV bytes one GPU stores per token of a sequence it serves: tp/pp split layers over stages
    and heads over up to kv_heads GPUs; under ep a sequence's whole cache lives on its GPU."""
    kvb = kv_bytes_per_token(model, kv_precision)
    if layout.kind == "ep":
        return kvb
    return kvb / kv_shards(model, layout.tp) / layout.pp


def kv_capacity_tokens(
    model: ModelSpec,
    gpu: GPU,
    n_gpus: int = 1,
    precision: str = "bf16",
    kv_precision: str | None = None,
    memory_reserve_fraction: Any = None,
    layout: Layout | None = None,
) -> np.ndarray:
    """Tokens of KV cache the whole replica holds beside its weights.

    per-GPU free bytes = memory · (1 − reserve) − weights per GPU; tp/pp: every GPU holds a slice
    of every sequence, so tokens = free / per-GPU bytes per token; ep: each GPU holds its own
    sequences, so tokens = GPUs · free / bytes per token. Negative when the weights do not fit.
    """
    lay = as_layout(model, n_gpus, layout)
    reserve = _f("memory_reserve_fraction", memory_reserve_fraction)
    kvp = kv_precision or default_kv_precision(precision)
    free = gpu.memory_bytes * (1.0 - reserve) - weights_per_gpu_bytes(model, lay, precision)
    per_token = kv_bytes_per_token_per_gpu(model, lay, kvp)
    return free / per_token * (lay.gpus if lay.kind == "ep" else 1)


def max_batch(
    model: ModelSpec,
    gpu: GPU,
    context_tokens: int,
    n_gpus: int = 1,
    precision: str = "bf16",
    kv_precision: str | None = None,
    memory_reserve_fraction: Any = None,
    layout: Layout | None = None,
) -> np.ndarray:
    """Largest number of concurrent sequences in the replica whose full context (input + output)
    fits in memory; an integer array, 0 where not even one sequence fits (per GPU under ep)."""
    lay = as_layout(model, n_gpus, layout)
    cap = kv_capacity_tokens(
        model, gpu, n_gpus, precision, kv_precision, memory_reserve_fraction, lay
    )
    per = max(1, int(context_tokens))
    if lay.kind == "ep":  # whole sequences per GPU
        return (np.maximum(np.floor(cap / lay.gpus / per), 0) * lay.gpus).astype(np.int64)
    return np.maximum(np.floor(cap / per), 0).astype(np.int64)


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


def _factors_or_medians(kw: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """The time factors given in ``kw`` (arrays or numbers), the catalog medians for the rest."""
    unknown = set(kw) - set(TIME_FACTORS)
    if unknown:
        raise TypeError(f"unknown efficiency factor(s): {', '.join(sorted(unknown))}")
    return {k: _f(k, kw.get(k)) for k in TIME_FACTORS}


def routed_active_params(model: ModelSpec) -> float:
    """Parameters of the routed experts one token uses: moe_layers · k · expert_params (0 if dense)."""
    if not model.is_moe:
        return 0.0
    assert model.moe_layers is not None and model.expert_params is not None  # MoE: validated
    return float(model.moe_layers * model.experts_per_token * model.expert_params)


def prefill_flops(
    model: ModelSpec, input_tokens: float, n_requests: Any = 1, cached_share: Any = 0.0
) -> np.ndarray:
    """2 · active · B · I · (1 − h) + B · layers · (d_qk + d_v) · I² · (1 − h²): causal attention
    over positions h·I … I (Σ 2·(d_qk+d_v)·t ≈ (d_qk+d_v)·(I² − (hI)²)); h = 0 is the full prompt."""
    b = np.asarray(n_requests, dtype=float)
    i = float(input_tokens)
    h = np.asarray(cached_share, dtype=float)
    assert model.active_params is not None  # ModelSpec derives it
    return b * (
        2.0 * model.active_params * i * (1.0 - h)
        + model.layers * attention_dims(model, False) * i * i * (1.0 - h * h)
    )


def _links(gpu: GPU, lay: Layout, fx: Mapping[str, np.ndarray]) -> tuple[Any, Any, Any]:
    intra, inter = link_bandwidths_bytes_s(gpu, lay, fx["link_bandwidth_utilisation"])
    return intra, inter, fx["collective_latency_us"] * 1e-6


def _tp_comm_s(
    model: ModelSpec, gpu: GPU, lay: Layout, tokens: Any, fx: Mapping[str, np.ndarray]
) -> np.ndarray:
    """Per-GPU communication of tp/pp for ``tokens`` activations through one stage: two
    all-reduces per layer over the TP group (across nodes under tp: the network is the bottleneck)
    and, under pp, one hand-off of the activations to the next stage over the network."""
    intra, inter, lat = _links(gpu, lay, fx)
    act = float(constant("activation_bytes"))
    msg = np.asarray(tokens, float) * model.d_model * act
    bw = inter if (lay.kind == "tp" and lay.nodes > 1) else intra
    layers = model.layers / lay.pp
    t = 2.0 * layers * allreduce_time_s(msg, lay.tp, bw, lat)
    if lay.pp > 1:
        t = t + lat + msg / inter
    return t


def _ep_comm_s(
    model: ModelSpec,
    gpu: GPU,
    lay: Layout,
    tokens_per_gpu: Any,
    fx: Mapping[str, np.ndarray],
    per_node_dedup: bool = False,
) -> np.ndarray:
    """Per-GPU expert all-to-alls for ``tokens_per_gpu`` tokens: per MoE layer a dispatch (fp8)
    and a combine (bf16) of each token to its k experts, the busiest GPU carrying
    ``expert_load_imbalance`` times the mean.

    Decode (DeepEP's low-latency kernels) sends one copy per expert. Prefill (its normal kernels,
    ``per_node_dedup``) sends a token once to each other NODE that holds one of its experts and
    forwards it over NVLink there (DeepSeek-V3, arXiv:2412.19437, section 3.2.2), so the network
    carries (nodes − 1) · (1 − (1 − 1/nodes)^k) copies per token instead of k · (n − per_node)/n.
    """
    intra, inter, lat = _links(gpu, lay, fx)
    assert model.moe_layers is not None  # ep needs MoE: as_layout checked
    per_elem = float(constant("ep_dispatch_bytes")) + float(constant("ep_combine_bytes"))
    k = model.experts_per_token
    one_copy = (
        np.asarray(tokens_per_gpu, float) * model.d_model * per_elem * fx["expert_load_imbalance"]
    )
    # two all-to-alls per layer: the latency twice, the bytes once (their sum is in one_copy)
    if per_node_dedup and lay.nodes > 1:
        nodes = float(lay.nodes)
        remote_nodes = (nodes - 1.0) * (1.0 - (1.0 - 1.0 / nodes) ** k)
        local = min(lay.gpus_per_node, lay.gpus)
        t = np.maximum(
            one_copy * remote_nodes / inter,
            one_copy * k * (local - 1) / local / intra,  # forwarded within each node
        )
        return model.moe_layers * (t + 2.0 * lat)
    one = alltoall_time_s(one_copy * k, lay.gpus, lay.gpus_per_node, intra, inter, lat)
    return model.moe_layers * (one + lat)


def prefill_time_s(
    model: ModelSpec,
    gpu: GPU,
    input_tokens: float,
    n_requests: Any = 1,
    n_gpus: int = 1,
    precision: str = "bf16",
    layout: Layout | None = None,
    cached_share: Any = 0.0,
    **factors_kw: Any,
) -> np.ndarray:
    """Seconds for a replica to process the prompts of ``n_requests`` requests (throughput view:
    every GPU busy; for one request's latency see :func:`ttft_prefill_s`).

    Compute-bound: FLOPs / GPUs / (peak · prefill_mfu), floored by one read of each GPU's weights,
    plus communication (serial under tp/pp, overlapped under ep).
    """
    lay = as_layout(model, n_gpus, layout)
    fx = _factors_or_medians(factors_kw)
    peak = gpu.peak_flops(precision) * fx["prefill_mfu"]
    floor = weights_per_gpu_bytes(model, lay, precision) / (
        gpu.memory_bandwidth_bytes_s * fx["hbm_bandwidth_utilisation"]
    )
    h = np.asarray(cached_share, float)
    new_tokens = np.asarray(n_requests, float) * float(input_tokens) * (1.0 - h)
    flops = prefill_flops(model, input_tokens, n_requests, h)
    if lay.kind == "ep":
        routed = 2.0 * routed_active_params(model) * new_tokens
        per_gpu = (flops - routed + routed * fx["expert_load_imbalance"]) / lay.gpus
        compute = np.maximum(per_gpu / peak, floor)
        comm = _ep_comm_s(model, gpu, lay, new_tokens / lay.gpus, fx, per_node_dedup=True)
        return overlapped_s(compute, comm, fx["comm_overlap"])
    compute = np.maximum(flops / lay.gpus / peak, floor)
    return compute + _tp_comm_s(model, gpu, lay, new_tokens, fx)


def ttft_prefill_s(
    model: ModelSpec,
    gpu: GPU,
    input_tokens: float,
    n_gpus: int = 1,
    precision: str = "bf16",
    layout: Layout | None = None,
    cached_share: Any = 0.0,
    **factors_kw: Any,
) -> np.ndarray:
    """Seconds to prefill ONE request: under pp its stages run one after another (× stages);
    under ep its attention and non-routed layers run on the one GPU that holds the sequence, and
    only the routed experts are spread over the replica."""
    lay = as_layout(model, n_gpus, layout)
    if lay.kind != "ep":
        one = prefill_time_s(
            model, gpu, input_tokens, 1.0, n_gpus, precision, lay, cached_share, **factors_kw
        )
        return one * lay.pp
    fx = _factors_or_medians(factors_kw)
    peak = gpu.peak_flops(precision) * fx["prefill_mfu"]
    h = np.asarray(cached_share, float)
    new_tokens = float(input_tokens) * (1.0 - h)
    flops = prefill_flops(model, input_tokens, 1.0, h)
    routed = 2.0 * routed_active_params(model) * new_tokens
    floor = weights_per_gpu_bytes(model, lay, precision) / (
        gpu.memory_bandwidth_bytes_s * fx["hbm_bandwidth_utilisation"]
    )
    compute = np.maximum((flops - routed) / peak + routed / lay.gpus / peak, floor)
    comm = _ep_comm_s(model, gpu, lay, new_tokens, fx, per_node_dedup=True)
    return overlapped_s(compute, comm, fx["comm_overlap"])


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


ATTENTION_KERNELS = ("grouped", "per_head")


def kv_read_amplification(model: ModelSpec, tp: int, attention_kernel: str = "grouped") -> float:
    """How many times a decode step reads each GPU's KV cache. 1 for a kernel that loads a KV
    head once for all the query heads sharing it (FlashDecoding, vLLM's paged attention,
    TensorRT-LLM's XQA from v0.8); for "per_head", one read per query head on the GPU: its
    query heads ÷ its KV heads (Llama-2-70B, 64 query heads over 8 KV heads: 8 on 1–8 GPUs).
    Before XQA, TensorRT-LLM's masked multi-head attention ran a thread block per query head;
    NVIDIA measured XQA at 2.4× the throughput of that kernel for Llama-70B on one H200 at
    128 in / 2,048 out (TensorRT-LLM docs/source/blogs/XQA-kernel.md, 2024-01-30, "will be
    included in the v0.8 releases"). An MLA latent is read once either way.

    >>> from breakeven.compute.models import get_model
    >>> kv_read_amplification(get_model("Llama-2-70B"), 4, "per_head")
    8.0
    """
    if attention_kernel not in ATTENTION_KERNELS:
        raise EstimateError(
            f"unknown attention kernel {attention_kernel!r}; choose one of "
            f"{', '.join(ATTENTION_KERNELS)}"
        )
    if attention_kernel == "grouped" or model.attention == "mla":
        return 1.0
    assert model.heads is not None and model.kv_heads is not None  # ModelSpec derives them
    kv_per_gpu = model.kv_heads / kv_shards(model, tp)
    return max(1.0, model.heads / max(1, tp) / kv_per_gpu)


def decode_step_time_s(
    model: ModelSpec,
    gpu: GPU,
    batch: Any,
    context_tokens: Any,
    n_gpus: int = 1,
    precision: str = "bf16",
    kv_precision: str | None = None,
    layout: Layout | None = None,
    query_tokens: int = 1,
    attention_kernel: str = "grouped",
    **factors_kw: Any,
) -> np.ndarray:
    """Seconds for the replica to advance all ``batch`` sequences (average context
    ``context_tokens``) by one step of ``query_tokens`` tokens each (1; d + 1 when verifying d
    speculative tokens).

    Sum of two rooflines (see the module docstring) per GPU plus communication. At batch 1 on a
    7B model on one GPU this is ≈ weights_bytes / (bandwidth · mbu), e.g. 13.5e9 / (3.35e12 ·
    0.7) ≈ 5.7 ms on an H100. Under pp, ``stages`` micro-batches are in flight and one step of
    the whole batch takes ``stages`` stage times. With ``attention_kernel`` "per_head" decode
    attention reads the KV cache once per query head (:func:`kv_read_amplification`).
    """
    lay = as_layout(model, n_gpus, layout)
    fx = _factors_or_medians(factors_kw)
    kvp = kv_precision or default_kv_precision(precision)
    bw = gpu.memory_bandwidth_bytes_s * fx["hbm_bandwidth_utilisation"]
    peak = gpu.peak_flops(precision) * fx["decode_mfu"]
    peak_attn = gpu.peak_flops("bf16") * fx["decode_mfu"]
    q = float(query_tokens)
    c = np.asarray(context_tokens, dtype=float)
    assert model.active_params is not None  # ModelSpec derives it
    dims = attention_dims(model, True)
    if lay.kind == "ep":
        g = lay.gpus
        b = np.asarray(batch, dtype=float) / g  # sequences per GPU
        touched = expected_experts_touched(
            model.experts, model.experts_per_token, np.asarray(batch, float) * q
        )
        assert model.moe_layers is not None and model.expert_params is not None  # MoE
        read = (
            model.nonrouted_params + model.moe_layers * model.expert_params * touched / g
        ) * bytes_per_param(precision)
        routed = routed_active_params(model)
        flops = 2.0 * b * q * (model.active_params - routed + routed * fx["expert_load_imbalance"])
        linear = np.maximum(read / bw, flops / peak)
        kv = b * c * kv_bytes_per_token(model, kvp)
        kv = kv * kv_read_amplification(model, 1, attention_kernel)
        attn = np.maximum(kv / bw, 2.0 * b * q * model.layers * dims * c / peak_attn)
        comm = _ep_comm_s(model, gpu, lay, b * q, fx)
        return overlapped_s(linear + attn, comm, fx["comm_overlap"])
    share = lay.tp * lay.pp  # each GPU holds 1 / (tp · pp) of the weights and FLOPs of a stage
    mb = np.asarray(batch, dtype=float) / lay.pp  # micro-batch in one stage
    linear = np.maximum(
        weights_read_bytes(model, mb * q, precision) / share / bw,
        2.0 * model.active_params * mb * q / share / peak,
    )
    kv = mb * c * kv_bytes_per_token_per_gpu(model, lay, kvp)
    kv = kv * kv_read_amplification(model, lay.tp, attention_kernel)
    attn = np.maximum(kv / bw, 2.0 * mb * q * model.layers * dims * c / share / peak_attn)
    stage = linear + attn + _tp_comm_s(model, gpu, lay, mb * q, fx)
    return stage * lay.pp


# ---------------------------------------------------------------- speculation


@dataclass(frozen=True)
class Speculation:
    """Speculative decoding or multi-token prediction: ``draft_tokens`` proposed per step, each
    accepted with probability ``acceptance``; a draft token costs ``draft_cost`` of a plain
    decode step (None: an MTP module of one transformer block, 1 / layers)."""

    draft_tokens: int = 0
    acceptance: float = 0.0
    draft_cost: float | None = None

    def __post_init__(self) -> None:
        if int(self.draft_tokens) != self.draft_tokens or not 0 <= self.draft_tokens <= 16:
            raise EstimateError(f"draft tokens must be 0 to 16 (got {self.draft_tokens})")
        if not 0.0 <= self.acceptance <= 1.0:
            raise EstimateError(f"acceptance must be in [0, 1] (got {self.acceptance})")
        if self.draft_cost is not None and not 0.0 <= self.draft_cost <= 2.0:
            raise EstimateError(f"draft cost must be in [0, 2] (got {self.draft_cost})")

    def tokens_per_step(self) -> float:
        """(1 − a^(d+1)) / (1 − a) (Leviathan et al. 2023, eq. 1); d + 1 when a = 1."""
        d, a = int(self.draft_tokens), float(self.acceptance)
        if a >= 1.0:
            return float(d + 1)
        return (1.0 - a ** (d + 1)) / (1.0 - a)


NO_SPECULATION = Speculation()


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
    layout: Layout | None = None,
    cached_share: Any = 0.0,
    speculation: Speculation = NO_SPECULATION,
    prefill_layout: Layout | None = None,
    disaggregated: bool = False,
    attention_kernel: str = "grouped",
    **factors_kw: Any,
) -> dict[str, np.ndarray]:
    """Times of one batch cycle of B requests of I in / O out on one replica.

    Returns step_s (one decode step of the batch, drafts included), tokens_per_step, decode_s (the
    O / tokens_per_step steps), prefill_s (colocated: B prompts on the same GPUs; disaggregated:
    0), ttft_s, tpot_s, and GPU-seconds per request by phase (prefill_gpu_s, decode_gpu_s) with
    the prefill instance's batch throughput (prefill_tokens_per_s, all prompt tokens counted).
    """
    lay = as_layout(model, n_gpus, layout)
    pl = as_layout(model, n_gpus, prefill_layout or lay)
    b = np.asarray(batch, dtype=float)
    i, o = int(input_tokens), int(output_tokens)
    common: dict[str, Any] = dict(precision=precision, **factors_kw)
    c = i + o / 2.0
    spec = speculation
    step = decode_step_time_s(
        model,
        gpu,
        b,
        c,
        kv_precision=kv_precision,
        layout=lay,
        query_tokens=1 + spec.draft_tokens,
        attention_kernel=attention_kernel,
        **common,
    )
    if spec.draft_tokens:
        plain = decode_step_time_s(
            model,
            gpu,
            b,
            c,
            kv_precision=kv_precision,
            layout=lay,
            attention_kernel=attention_kernel,
            **common,
        )
        cost = spec.draft_cost if spec.draft_cost is not None else 1.0 / model.layers
        step = step + spec.draft_tokens * cost * plain
    tps = spec.tokens_per_step()
    dec = o / tps * step
    one = ttft_prefill_s(model, gpu, i, layout=pl, cached_share=cached_share, **common)
    if disaggregated:
        computed = max(i * (1.0 - float(np.max(cached_share))), 1.0)
        n_pre = max(1.0, math.ceil(float(constant("prefill_tokens_per_gpu")) * pl.gpus / computed))
        t_pre = prefill_time_s(model, gpu, i, n_pre, layout=pl, cached_share=cached_share, **common)
        intra, inter, lat = _links(gpu, pl, _factors_or_medians(factors_kw))
        kvp = kv_precision or default_kv_precision(precision)
        handoff = lat + i * kv_bytes_per_token(model, kvp) / inter  # KV cache to the decode side
        pre = np.zeros_like(dec)
        prefill_gpu_s = pl.gpus * t_pre / n_pre
        prefill_rate = n_pre * i / t_pre
        ttft = one + handoff + step
        tpot = step / tps
    else:
        pre = prefill_time_s(model, gpu, i, b, layout=lay, cached_share=cached_share, **common)
        prefill_gpu_s = lay.gpus * pre / b
        prefill_rate = b * i / pre
        ttft = one + step
        tpot = (pre + dec) / o
    total = pre + dec
    return {
        "prefill_s": pre,
        "step_s": step,
        "tokens_per_step": np.full(np.shape(step), tps),
        "decode_s": dec,
        "total_s": total,
        "ttft_s": ttft,
        "tpot_s": tpot,
        "prefill_gpu_s": prefill_gpu_s,
        "decode_gpu_s": lay.gpus * dec / b,
        "prefill_tokens_per_s": prefill_rate,
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
    """Serving estimate for one deployment (model × GPU × layout × precision × workload).

    Array fields have one entry per efficiency sample (shape (n,)); scalars are exact. Rates are
    per second, costs in USD; costs are at full utilisation of the GPUs (use :func:`gpus_needed`
    for capacity). Under disaggregation the replica is the decode instance; each request also
    uses ``prefill_gpu_s_per_request`` of the prefill instance.
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
    layout: str = "TP1"
    nodes: int = 1
    gpus_per_node: int = 1
    prefill_nodes: int = 1
    disaggregated: bool = False
    cache_hit_share: float = 0.0
    attention_kernel: str = "grouped"
    tokens_per_step: float = 1.0
    weights_gb_per_gpu: float = 0.0
    prefill_input_tokens_per_s_per_node: np.ndarray | None = None
    decode_output_tokens_per_s_per_node: np.ndarray | None = None
    prefill_gpu_s_per_request: np.ndarray | None = None
    decode_gpu_s_per_request: np.ndarray | None = None
    gpu_hour_price: np.ndarray | None = None
    cost_per_request: np.ndarray | None = None
    cost_per_million_input_tokens: np.ndarray | None = None
    cost_per_million_output_tokens: np.ndarray | None = None
    cost_per_million_output_tokens_all_in: np.ndarray | None = None
    cost_per_node_day: np.ndarray | None = None
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
        "prefill_input_tokens_per_s_per_node",
        "decode_output_tokens_per_s_per_node",
        "prefill_gpu_s_per_request",
        "decode_gpu_s_per_request",
        "gpu_hour_price",
        "cost_per_request",
        "cost_per_million_input_tokens",
        "cost_per_million_output_tokens",
        "cost_per_million_output_tokens_all_in",
        "cost_per_node_day",
    )
    # The unit of every field of :meth:`summary` that has one (also printed in its ``units``).
    UNITS = {
        "weights_gb": "GB",
        "weights_gb_per_gpu": "GB",
        "kv_bytes_per_token": "bytes/token",
        "input_tokens": "tokens/request",
        "output_tokens": "tokens/request",
        "batch": "sequences/replica",
        "max_batch": "sequences/replica",
        "output_tokens_per_s_per_gpu": "tokens/s/GPU",
        "requests_per_s_per_gpu": "requests/s/GPU",
        "requests_per_s": "requests/s/replica",
        "ttft_ms": "ms",
        "tpot_ms": "ms",
        "prefill_share": "fraction of GPU time",
        "prefill_input_tokens_per_s_per_node": "input tokens/s/node (cache hits included)",
        "decode_output_tokens_per_s_per_node": "output tokens/s/node",
        "prefill_gpu_s_per_request": "GPU-s/request",
        "decode_gpu_s_per_request": "GPU-s/request",
        "gpu_hour_price": "USD/GPU-hour",
        "cost_per_request": "USD/request",
        "cost_per_million_input_tokens": "USD/1M input tokens",
        "cost_per_million_output_tokens": "USD/1M output tokens",
        "cost_per_million_output_tokens_all_in": "USD/1M output tokens",
        "cost_per_node_day": "USD/node/day",
        "cache_hit_share": "fraction of input tokens",
        "tokens_per_step": "tokens/sequence/step",
        "gpus": "GPUs/replica",
        "nodes": "nodes/replica",
        "gpus_per_node": "GPUs/node",
        "prefill_nodes": "nodes",
        "share_meeting_targets": "fraction of samples",
        "share_fitting": "fraction of samples",
    }

    def summary(self) -> dict[str, Any]:
        """JSON-ready dict: scalars as numbers, arrays as {p10, p50, p90}, plus ``units``."""
        out: dict[str, Any] = {
            "model": self.model,
            "gpu": self.gpu,
            "gpus": self.n_gpus,
            "layout": self.layout,
            "nodes": self.nodes,
            "gpus_per_node": self.gpus_per_node,
            "disaggregated": self.disaggregated,
            "precision": self.precision,
            "kv_precision": self.kv_precision,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cache_hit_share": self.cache_hit_share,
            "attention_kernel": self.attention_kernel,
            "tokens_per_step": self.tokens_per_step,
            "weights_gb": self.weights_gb,
            "weights_gb_per_gpu": self.weights_gb_per_gpu,
            "kv_bytes_per_token": self.kv_bytes_per_token,
        }
        if self.disaggregated:
            out["prefill_nodes"] = self.prefill_nodes
        fits = np.asarray(self.fits, dtype=bool)
        some = bool(fits.any()) and not bool(fits.all())  # figures over the samples that fit
        for k in self.ARRAYS:
            v = getattr(self, k)
            if v is not None:
                a = np.asarray(v)
                out[k] = percentiles(a[fits] if some and a.shape == fits.shape else a)
        out["share_meeting_targets"] = float(np.mean(self.meets_targets))
        out["share_fitting"] = float(np.mean(self.fits))
        out["units"] = {k: u for k, u in self.UNITS.items() if k in out}
        out["notes"] = list(self.notes)  # always there, empty or not: one JSON contract
        return out


def estimate_inference(
    model: str | dict | ModelSpec,
    gpu: str | GPU,
    *,
    n_gpus: int = 1,
    nodes: int = 1,
    gpus_per_node: int | None = None,
    layout: str | Layout | None = None,
    precision: str = "bf16",
    kv_precision: str | None = None,
    input_tokens: int = 1000,
    output_tokens: int = 300,
    cache_hit_share: float = 0.0,
    speculation: Speculation | None = None,
    disaggregated: bool = False,
    prefill_nodes: int | None = None,
    batch: Any = None,
    ttft_ms: float | None = None,
    tpot_ms: float | None = None,
    max_batch_cap: int = 1024,
    gpu_hour_price: Any = None,
    memory_reserve_fraction: Any = None,
    attention_kernel: str = "grouped",
    **factors_kw: Any,
) -> InferenceEstimate:
    """Throughput, latency and cost of serving ``model`` on one replica of ``gpu``.

    The replica is ``n_gpus`` GPUs under ``layout`` (tp, pp, ep; default tp) in one node, or in
    nodes of the catalog's ``gpus_per_node`` when there are more, or ``nodes`` ×
    ``gpus_per_node`` GPUs; a node larger than the catalog's is refused. ``batch``: a fixed batch (int or array);
    otherwise the largest batch that fits in memory (capped at ``max_batch_cap`` per engine: per
    replica under tp/pp, per GPU under ep, where each GPU runs its own attention batch) and meets
    ``ttft_ms`` / ``tpot_ms``. ``cache_hit_share`` of input tokens skip prefill; ``speculation``
    adds draft tokens; ``disaggregated`` runs prefill on its own instance of ``prefill_nodes``
    nodes (default: ``nodes``) in the same layout. ``gpu_hour_price`` (USD per GPU-hour, float or
    array) adds costs: per request, per node-day and per million input / output tokens, GPU time
    split by phase (prefill → input tokens, decode → output tokens).
    """
    m = get_model(model)
    g = get_gpu(gpu)
    precision = str(precision).lower()
    if precision not in PRECISIONS:
        raise EstimateError(
            f"unknown precision {precision!r}; choose one of {', '.join(PRECISIONS)}"
        )
    kvp = (kv_precision or default_kv_precision(precision)).lower()
    if kvp not in PRECISIONS:
        raise EstimateError(f"unknown KV precision {kvp!r}; choose one of {', '.join(PRECISIONS)}")
    i, o = int(input_tokens), int(output_tokens)
    if i < 1 or o < 1:
        raise EstimateError(
            f"input and output tokens must be >= 1 (got {input_tokens}, {output_tokens})"
        )
    if prefill_nodes is not None and not disaggregated:
        raise EstimateError("prefill_nodes are a separate prefill instance: needs disaggregated")
    h = float(cache_hit_share)
    if not 0.0 <= h < 1.0:
        raise EstimateError(f"cache hit share must be in [0, 1) (got {cache_hit_share})")
    notes: list[str] = []
    if isinstance(layout, Layout):
        lay = layout
    elif nodes == 1 and gpus_per_node is None:  # n_gpus alone: in nodes of the catalog's size
        per = g.gpus_per_node
        if n_gpus > per and n_gpus % per:
            raise EstimateError(
                f"{n_gpus} GPUs are not whole nodes: a {g.name} node holds {per} ({g.node}), "
                f"so a replica larger than one node takes whole nodes ({2 * per}, {3 * per} …)"
            )
        split = n_gpus > per
        lay = make_layout(layout or "tp", n_gpus // per if split else 1, per if split else n_gpus)
        if split:
            notes.append(
                f"{n_gpus} {g.name} GPUs are {lay.nodes} nodes of {per} ({g.node}): the "
                "replica's communication crosses the network"
            )
    else:
        lay = make_layout(layout or "tp", nodes, gpus_per_node or n_gpus)
    if lay.nodes > 1 and g.scale_out_gb_s is None:
        raise EstimateError(
            f"{g.name} has no scale-out (network) bandwidth in the catalog, so a replica over "
            f"{lay.nodes} nodes cannot be costed: use one node, at most {g.gpus_per_node} GPUs"
        )
    if lay.gpus_per_node > g.gpus_per_node:
        raise EstimateError(
            f"{lay.gpus_per_node} GPUs in one node: a {g.name} node holds {g.gpus_per_node} "
            f"({g.node}); lay the replica over more nodes of at most {g.gpus_per_node}, whose "
            "communication crosses the network"
        )
    lay = as_layout(m, layout=lay)
    pl = (
        as_layout(
            m,
            layout=make_layout(
                lay.kind if lay.kind != "pp" else "pp",
                prefill_nodes or lay.nodes,
                lay.gpus_per_node,
            ),
        )
        if disaggregated
        else lay
    )
    n = lay.gpus
    spec = speculation or NO_SPECULATION
    if m.max_context and i + o > m.max_context:
        notes.append(f"{i + o} tokens exceed {m.name}'s context of {m.max_context}")
    if precision in ("fp8", "fp4") and not g.tflops.get(precision):
        notes.append(
            f"{g.name} has no {precision} tensor cores: {precision} weights computed at bf16 speed"
        )
    reads = kv_read_amplification(m, lay.tp, attention_kernel)
    if reads > 1:
        notes.append(
            f"decode attention reads each GPU's KV cache {reads:g} times a step "
            "(attention kernel per_head: once per query head)"
        )
    fx = {k: np.atleast_1d(v) for k, v in _factors_or_medians(factors_kw).items()}
    reserve = np.atleast_1d(_f("memory_reserve_fraction", memory_reserve_fraction))

    wb = weights_bytes(m, precision)
    per_gpu = weights_per_gpu_bytes(m, lay, precision)
    median_reserve = factors("factors")["memory_reserve_fraction"].median

    def batch_limit(reserve_fraction: Any) -> np.ndarray:
        return max_batch(
            m, g, i + o, precision=precision, kv_precision=kvp,
            memory_reserve_fraction=reserve_fraction, layout=lay,
        )  # fmt: skip

    if int(np.min(batch_limit(median_reserve))) < 1:
        usable = g.memory_bytes * (1 - median_reserve) / 1e9
        need = per_gpu / 1e9 + kv_bytes_per_token_per_gpu(m, lay, kvp) * (i + o) / 1e9
        raise EstimateError(
            f"{m.name} at {precision} does not fit on {lay.describe()} {g.name}: each GPU needs "
            f"{need:,.1f} GB (weights {per_gpu / 1e9:,.1f} GB + KV for one {i + o}-token "
            f"request) and {usable:,.1f} GB is usable; add GPUs or nodes, or use a smaller "
            "precision"
        )
    mb = batch_limit(reserve)
    fits = mb >= 1
    if not np.all(fits):  # the reserve's upper range leaves no room for one request's cache
        notes.append(
            f"one {i + o}-token request's KV cache does not fit beside the weights in "
            f"{np.mean(~fits):.0%} of samples (at the high end of the memory reserve); the "
            "figures are over the other samples"
        )
    mb = np.maximum(mb, 1)

    shape = np.broadcast(mb, *fx.values()).shape
    mb = np.broadcast_to(mb, shape)
    kw: dict[str, Any] = dict(
        precision=precision,
        kv_precision=kvp,
        layout=lay,
        cached_share=h,
        speculation=spec,
        prefill_layout=pl,
        disaggregated=disaggregated,
        attention_kernel=attention_kernel,
        **fx,
    )
    if batch is not None:
        b = np.broadcast_to(np.asarray(batch, dtype=np.int64), shape).astype(np.int64)
        if np.any(b < 1):
            raise EstimateError(f"batch must be >= 1 (got {batch})")
        fits = fits & (b <= mb)  # a fixed batch fits only where its KV cache does
        if not np.all(fits):
            notes.append(
                f"batch {int(np.max(b))} exceeds the memory limit in {np.mean(~fits):.0%} of "
                f"samples (max batch p10-p90 {int(np.percentile(mb, 10))}-"
                f"{int(np.percentile(mb, 90))}): their KV cache would not fit"
            )
        t = batch_timings(m, g, b, i, o, **kw)
        meets = np.ones(shape, dtype=bool)
        if ttft_ms is not None:
            meets &= t["ttft_s"] * 1e3 <= ttft_ms
        if tpot_ms is not None:
            meets &= t["tpot_s"] * 1e3 <= tpot_ms
        if not np.all(meets[fits]):
            notes.append(
                f"latency targets missed at batch {int(np.max(b))} in "
                f"{pct_sig(float(np.mean(~meets[fits])), 2)} of the samples where it fits"
            )
        meets &= fits  # a batch that does not fit meets no target
    else:
        cap = int(max_batch_cap) * (lay.gpus if lay.kind == "ep" else 1)
        limit = np.minimum(mb, cap)
        b, meets = search_batch(m, g, i, o, limit, ttft_ms, tpot_ms, **kw)
        t = batch_timings(m, g, b, i, o, **kw)
        room = np.broadcast_to(fits, np.shape(meets))
        meets = meets & room  # no request fits: no target met
        if not np.all(meets[room]):  # said of the samples the figures are over
            notes.append(
                "latency targets missed even at batch 1 in "
                f"{pct_sig(float(np.mean(~meets[room])), 2)} of samples"
            )

    bf = np.asarray(b, dtype=float)
    gpu_s = t["prefill_gpu_s"] + t["decode_gpu_s"]  # GPU-seconds per request, both phases
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
        output_tokens_per_s_per_gpu=o / gpu_s,
        requests_per_s_per_gpu=1.0 / gpu_s,
        requests_per_s=bf / t["total_s"],
        ttft_ms=t["ttft_s"] * 1e3,
        tpot_ms=t["tpot_s"] * 1e3,
        prefill_share=t["prefill_gpu_s"] / gpu_s,
        meets_targets=np.asarray(meets),
        fits=fits,
        layout=lay.describe(),
        nodes=lay.nodes,
        gpus_per_node=lay.gpus_per_node,
        prefill_nodes=pl.nodes,
        disaggregated=bool(disaggregated),
        cache_hit_share=h,
        attention_kernel=attention_kernel,
        tokens_per_step=spec.tokens_per_step(),
        weights_gb_per_gpu=per_gpu / 1e9,
        prefill_input_tokens_per_s_per_node=t["prefill_tokens_per_s"] / pl.nodes,
        decode_output_tokens_per_s_per_node=bf * o / t["decode_s"] / lay.nodes,
        prefill_gpu_s_per_request=t["prefill_gpu_s"],
        decode_gpu_s_per_request=t["decode_gpu_s"],
        notes=notes,
    )
    if gpu_hour_price is not None:
        add_costs(est, gpu_hour_price)
    return est


def add_costs(est: InferenceEstimate, gpu_hour_price: Any) -> None:
    """Fill the cost fields of ``est`` from its GPU-seconds per request and a USD/GPU-hour price."""
    p = np.asarray(gpu_hour_price, dtype=float)
    if np.any(p < 0):
        raise EstimateError(f"gpu_hour_price must not be negative (got {gpu_hour_price})")
    assert est.prefill_gpu_s_per_request is not None and est.decode_gpu_s_per_request is not None
    per_gpu_s = p / 3600.0
    pre, dec = est.prefill_gpu_s_per_request, est.decode_gpu_s_per_request
    est.gpu_hour_price = np.broadcast_to(p, np.shape(pre)).astype(float)
    est.cost_per_request = per_gpu_s * (pre + dec)
    est.cost_per_million_input_tokens = per_gpu_s * pre / est.input_tokens * 1e6
    est.cost_per_million_output_tokens = per_gpu_s * dec / est.output_tokens * 1e6
    est.cost_per_million_output_tokens_all_in = per_gpu_s * (pre + dec) / est.output_tokens * 1e6
    est.cost_per_node_day = est.gpu_hour_price * est.gpus_per_node * 24.0


def fleet_per_day(
    est: InferenceEstimate,
    requests_per_s: Any,
    peak_to_average: Any = 1.0,
    target_utilisation: Any = 1.0,
) -> dict[str, np.ndarray]:
    """Nodes and USD per day to serve an average request rate at its peak, whole instances:
    decode (the replica) and — disaggregated — prefill instances sized apart, each to its own
    GPU-seconds per request. Needs costs (:func:`add_costs`)."""
    assert est.gpu_hour_price is not None, "fleet_per_day needs gpu_hour_price"
    assert est.prefill_gpu_s_per_request is not None and est.decode_gpu_s_per_request is not None
    if est.disaggregated:
        pre = gpus_needed(
            requests_per_s,
            1.0 / est.prefill_gpu_s_per_request,
            peak_to_average,
            target_utilisation,
            est.prefill_nodes * est.gpus_per_node,
        )
        dec = gpus_needed(
            requests_per_s,
            1.0 / est.decode_gpu_s_per_request,
            peak_to_average,
            target_utilisation,
            est.n_gpus,
        )
    else:
        pre = np.zeros(np.shape(est.requests_per_s_per_gpu))
        dec = gpus_needed(
            requests_per_s,
            est.requests_per_s_per_gpu,
            peak_to_average,
            target_utilisation,
            est.n_gpus,
        )
    gpus = pre + dec
    return {
        "prefill_nodes": pre / est.gpus_per_node,
        "decode_nodes": dec / est.gpus_per_node,
        "nodes": gpus / est.gpus_per_node,
        "gpus": gpus,
        "cost_usd_per_day": gpus * est.gpu_hour_price * 24.0,
    }


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
