"""Training and fine-tuning compute: FLOPs, GPU-hours, wall-clock days and cost.

    FLOPs      = tokens · (c · active_params + 6 · layers · (d_qk + d_v) · seq_len)
    GPU-hours  = FLOPs / (peak_bf16 · speedup(precision) · MFU) / goodput / 3600
    days       = GPU-hours / K / 24
    cost       = GPU-hours · USD per GPU-hour

* c = 6 for pre-training and full fine-tuning (forward 2N, backward 4N: Kaplan et al. 2020,
  arXiv:2001.08361, section 2.1); c = 4 for LoRA (no weight gradients for the frozen weights:
  forward 2N + activation gradients 2N; Hu et al. 2021, arXiv:2106.09685).
* The attention term is PaLM's 12 · L · H · Q · T per token with (d_qk + d_v) = 2 · H · Q
  (Chowdhery et al. 2022, arXiv:2204.02311, appendix B), the same count published MFUs use.
* MFU is measured against the dense bf16 peak. fp8 training multiplies it by an end-to-end
  ``fp8_training_speedup`` (≈1.3x, far from the datasheet 2x), because many operators stay bf16.
* goodput: share of reserved time doing useful work (Llama 3: >90%).

All uncertain inputs accept arrays (one entry per sample); ``None`` means the catalog median.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .catalog import constant, factor_value, percentiles, sample_factors
from .hardware import GPU, get_gpu
from .inference import EstimateError, attention_dims
from .models import ModelSpec, get_model

TRAINING_FACTORS = ("training_mfu", "training_goodput", "fp8_training_speedup")
MODES = ("pretrain", "full", "lora")


def sample_training_factors(
    n: int | None = None,
    rng: np.random.Generator | None = None,
    uniforms: Mapping[str, np.ndarray] | np.ndarray | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, np.ndarray]:
    """Training factors (MFU, goodput, fp8 speed-up) as arrays (n,); medians without rng/uniforms."""
    return sample_factors(n, rng, uniforms, "factors", TRAINING_FACTORS, overrides)


def _f(name: str, value: Any) -> np.ndarray:
    return factor_value(
        name, value, EstimateError, fraction=name in ("training_mfu", "training_goodput")
    )


def compute_optimal_tokens(params: float) -> float:
    """Chinchilla compute-optimal token count: ≈ 20 tokens per parameter (Hoffmann et al. 2022)."""
    return float(constant("tokens_per_param_compute_optimal")) * float(params)


def flops_per_param_token(mode: str = "pretrain") -> float:
    """6 for pre-training / full fine-tuning, 4 for LoRA (see module docstring)."""
    if mode not in MODES:
        raise EstimateError(f"unknown training mode {mode!r}; choose one of {', '.join(MODES)}")
    return float(constant("lora_flops_per_param_token")) if mode == "lora" else 6.0


def training_flops(
    active_params: float,
    tokens: Any,
    *,
    model: ModelSpec | None = None,
    seq_len: int | None = None,
    mode: str = "pretrain",
) -> np.ndarray:
    """Model FLOPs of a training run: tokens · (c · N + 6 · L · (d_qk + d_v) · seq_len).

    The attention term needs ``model`` and ``seq_len``; without them only c · N · D is counted.
    LoRA keeps the full attention term scaled by 4/6 (no weight gradients, same activations).
    """
    c = flops_per_param_token(mode)
    per_token = c * float(active_params)
    if model is not None and seq_len:
        per_token += c * model.layers * attention_dims(model, False) * float(seq_len)
    return np.asarray(tokens, dtype=float) * per_token


@dataclass
class TrainingEstimate:
    """A training run's compute and cost; arrays have one entry per sample."""

    name: str
    gpu: str
    gpus: int
    precision: str
    mode: str
    active_params: float
    tokens: float
    flops: np.ndarray
    gpu_hours: np.ndarray
    days: np.ndarray
    gpu_hour_price: np.ndarray | None = None
    cost: np.ndarray | None = None

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "model": self.name,
            "gpu": self.gpu,
            "gpus": self.gpus,
            "precision": self.precision,
            "mode": self.mode,
            "active_params": self.active_params,
            "tokens": self.tokens,
            "flops": float(np.median(self.flops)),
        }
        for k in ("gpu_hours", "days", "gpu_hour_price", "cost"):
            v = getattr(self, k)
            if v is not None:
                out[k] = percentiles(v)
        return out


def estimate_training(
    gpu: str | GPU,
    tokens: float | None = None,
    *,
    model: str | dict | ModelSpec | None = None,
    params: float | None = None,
    active_params: float | None = None,
    gpus: int = 8,
    precision: str = "bf16",
    mode: str = "pretrain",
    seq_len: int | None = 4096,
    gpu_hour_price: Any = None,
    training_mfu: Any = None,
    training_goodput: Any = None,
    fp8_training_speedup: Any = None,
) -> TrainingEstimate:
    """GPU-hours, days on ``gpus`` GPUs, and cost of training (or fine-tuning) a model.

    Give ``model`` (catalog name / dict / ModelSpec; adds the attention term at ``seq_len``) or
    ``params`` (+ ``active_params`` for MoE). ``tokens`` defaults to the Chinchilla-optimal
    20 · params for pre-training. ``precision`` is bf16/fp16 or fp8.
    """
    g = get_gpu(gpu)
    spec: ModelSpec | None = None
    if model is not None:
        spec = get_model(model)
        name, p, a = spec.name, spec.params, spec.active_params
        assert a is not None  # ModelSpec derives it from params
    elif params is not None:
        name, p = "custom", float(params)
        a = float(active_params) if active_params is not None else p
        if not 1e6 < p < 1e14 or not 0 < a <= p:
            raise EstimateError(
                f"params must be 1e6-1e14 and active_params <= params (got {params:g}, {a:g})"
            )
    else:
        raise EstimateError("give a model name or a parameter count (params)")
    if tokens is None:
        if mode != "pretrain":
            raise EstimateError("fine-tuning needs a token count")
        tokens = compute_optimal_tokens(p)
    tokens = float(tokens)
    if tokens <= 0:
        raise EstimateError(f"tokens must be positive (got {tokens:g})")
    k = int(gpus)
    if k < 1 or k != gpus:
        raise EstimateError(f"gpus must be a whole number >= 1 (got {gpus})")
    precision = str(precision).lower()
    if precision not in ("bf16", "fp16", "fp8"):
        raise EstimateError(f"training precision must be bf16, fp16 or fp8 (got {precision!r})")
    mfu = np.atleast_1d(_f("training_mfu", training_mfu))
    goodput = np.atleast_1d(_f("training_goodput", training_goodput))
    peak: float | np.ndarray = g.peak_flops("bf16")
    if precision == "fp8":
        if not g.tflops.get("fp8"):
            raise EstimateError(f"{g.name} has no fp8 tensor cores; train in bf16")
        peak = peak * _f("fp8_training_speedup", fp8_training_speedup)
    flops = training_flops(a, tokens, model=spec, seq_len=seq_len, mode=mode)
    hours = flops / (peak * mfu) / goodput / 3600.0
    est = TrainingEstimate(
        name=name,
        gpu=g.name,
        gpus=k,
        precision=precision,
        mode=mode,
        active_params=a,
        tokens=tokens,
        flops=np.atleast_1d(flops),
        gpu_hours=np.asarray(hours),
        days=np.asarray(hours) / k / 24.0,
    )
    if gpu_hour_price is not None:
        price = np.asarray(gpu_hour_price, dtype=float)
        if np.any(price < 0):
            raise EstimateError(f"gpu_hour_price must not be negative (got {gpu_hour_price})")
        est.gpu_hour_price = np.broadcast_to(price, np.shape(hours)).astype(float)
        est.cost = hours * price
    return est
