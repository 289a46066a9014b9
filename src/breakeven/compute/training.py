"""Training and fine-tuning compute: FLOPs, GPU-hours, wall-clock days and cost.

    FLOPs      = tokens · (c · active_params + c · layers · (d_qk + d_v) · seq_len)
    GPU-hours  = FLOPs / (peak_bf16 · speedup(precision) · MFU) / goodput / 3600
    days       = GPU-hours / K / 24
    cost       = GPU-hours · USD per GPU-hour

* c = 6 for pre-training and full fine-tuning (forward 2N, backward 4N: Kaplan et al. 2020,
  arXiv:2001.08361, section 2.1); c = 4 for LoRA (no weight gradients for the frozen weights:
  forward 2N + activation gradients 2N; Hu et al. 2021, arXiv:2106.09685).
* The attention term is PaLM's 12 · L · H · Q · T per token with (d_qk + d_v) = 2 · H · Q
  (Chowdhery et al. 2022, arXiv:2204.02311, appendix B), the same count published MFUs use.
  A model given only by its parameter count gets its shape from :func:`shape_from_params`.
* MFU is measured against the dense bf16 peak. fp8 training multiplies it by an end-to-end
  ``fp8_training_speedup`` (≈1.3x, far from the datasheet 2x), because many operators stay bf16.
* MFU is *fitted* to the GPU-hours of published runs: ``training_mfu`` for dense models,
  ``training_mfu_moe`` for mixture-of-experts ones (active < total parameters); data in
  ``data/training_runs.yaml``, fit in ``bench/fit_training.py``. goodput (share of reserved time
  doing useful work) keeps its published range; the MFU fit integrates over it, so that
  MFU × goodput reproduces the runs' implied utilisation (median ≈ 33% dense, 23% MoE).

All uncertain inputs accept arrays (one entry per sample); ``None`` means the catalog median.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .catalog import (
    CatalogError,
    check_keys,
    constant,
    factor_value,
    load_yaml,
    percentiles,
    require_source,
    sample_factors,
)
from .hardware import GPU, get_gpu
from .inference import EstimateError, attention_dims
from .models import ModelSpec, get_model

TRAINING_FACTORS = ("training_mfu", "training_goodput", "fp8_training_speedup")
MODES = ("pretrain", "full", "lora")
MIN_PARAMS, MAX_PARAMS = 1e6, 1e14  # a toy model to 100 T parameters (the largest built ~2 T)
MOE_MFU = "training_mfu_moe"  # efficiency.yaml factor used instead of training_mfu for MoE models

# Shape of a model known only by its parameter count: N ≈ 12 · L · d² (Kaplan et al. 2020,
# arXiv:2001.08361, eq. 2.1, non-embedding parameters) with d_model = 128 · layers, the aspect
# ratio of GPT-3 175B (12288 / 96), Llama-2 7B (4096 / 32) and Llama-2 13B (5120 / 40).
SHAPE_ASPECT = 128
SHAPE_RULE = (
    "N = 12 * layers * d_model^2 (Kaplan et al. 2020) with d_model = 128 * layers "
    "(GPT-3 175B, Llama-2 7B/13B)"
)


def mfu_factor(moe: bool) -> str:
    """The efficiency.yaml factor holding the MFU of dense (``training_mfu``) or MoE runs."""
    return MOE_MFU if moe else "training_mfu"


def sample_training_factors(
    n: int | None = None,
    rng: np.random.Generator | None = None,
    uniforms: Mapping[str, np.ndarray] | np.ndarray | None = None,
    overrides: Mapping[str, Any] | None = None,
    moe: bool = False,
) -> dict[str, np.ndarray]:
    """Training factors (MFU, goodput, fp8 speed-up) as arrays (n,); medians without rng/uniforms.

    ``moe=True`` draws the MoE MFU (``training_mfu_moe``) under the key ``training_mfu``, so the
    result always feeds :func:`estimate_training` the same way; an override of ``training_mfu``
    replaces whichever MFU is drawn.
    """
    if not moe:
        return sample_factors(n, rng, uniforms, "factors", TRAINING_FACTORS, overrides)
    names = (MOE_MFU, *TRAINING_FACTORS[1:])
    over = {(MOE_MFU if k == "training_mfu" else k): v for k, v in (overrides or {}).items()}
    if isinstance(uniforms, Mapping):
        uniforms = {(MOE_MFU if k == "training_mfu" else k): v for k, v in uniforms.items()}
    out = sample_factors(n, rng, uniforms, "factors", names, over)
    out["training_mfu"] = out.pop(MOE_MFU)
    return out


def _f(name: str, value: Any) -> np.ndarray:
    return factor_value(
        name,
        value,
        EstimateError,
        fraction=name in ("training_mfu", MOE_MFU, "training_goodput"),
    )


def compute_optimal_tokens(params: float) -> float:
    """Chinchilla compute-optimal token count: ≈ 20 tokens per parameter (Hoffmann et al. 2022)."""
    return float(constant("tokens_per_param_compute_optimal")) * float(params)


def flops_per_param_token(mode: str = "pretrain") -> float:
    """6 for pre-training / full fine-tuning, 4 for LoRA (see module docstring)."""
    if mode not in MODES:
        raise EstimateError(f"unknown training mode {mode!r}; choose one of {', '.join(MODES)}")
    return float(constant("lora_flops_per_param_token")) if mode == "lora" else 6.0


def shape_from_params(
    params: float, layers: float | None = None, d_model: float | None = None
) -> tuple[int, int]:
    """(layers, d_model) of a transformer with ``params`` parameters, by :data:`SHAPE_RULE`.

    Give one of ``layers`` / ``d_model`` to derive only the other from N = 12 · L · d²; with
    neither, d_model = 128 · L as well. Layers are rounded to a whole number first.
    """
    n = float(params)
    if layers is not None and d_model is not None:
        return int(layers), int(d_model)
    if layers is None and d_model is None:
        layers = (n / (12.0 * SHAPE_ASPECT**2)) ** (1.0 / 3.0)
    if layers is not None:
        lay = max(1, round(float(layers)))
        return lay, max(1, round(math.sqrt(n / (12.0 * lay))))
    assert d_model is not None
    d = float(d_model)
    return max(1, round(n / (12.0 * d * d))), int(d)


def training_flops(
    active_params: float,
    tokens: Any,
    *,
    model: ModelSpec | None = None,
    seq_len: int | None = None,
    mode: str = "pretrain",
    layers: float | None = None,
    attention_width: float | None = None,
) -> np.ndarray:
    """Model FLOPs of a training run: tokens · (c · N + c · L · (d_qk + d_v) · seq_len).

    The attention term needs ``seq_len`` and a shape: ``model`` (its layers and attention
    layout), or ``layers`` and ``attention_width`` (heads · head_dim, = d_model in standard
    attention; d_qk + d_v = 2 · attention_width). Without them only c · N · D is counted.
    LoRA keeps the attention term scaled by 4/6 (no weight gradients, same activations).
    """
    c = flops_per_param_token(mode)
    per_token = c * float(active_params)
    if seq_len:
        if model is not None:
            per_token += c * model.layers * attention_dims(model, False) * float(seq_len)
        elif layers and attention_width:
            per_token += c * float(layers) * 2.0 * float(attention_width) * float(seq_len)
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
    params: float | None = None
    seq_len: int | None = None
    layers: int | None = None
    d_model: int | None = None
    mfu_factor: str = "training_mfu"
    notes: list[str] = field(default_factory=list)

    # The unit of every numeric field of :meth:`summary` (printed in its ``units`` too).
    UNITS = {
        "gpus": "GPUs",
        "params": "parameters",
        "active_params": "parameters",
        "tokens": "tokens",
        "seq_len": "tokens",
        "flops": "FLOP",
        "gpu_hours": "GPU-hours",
        "days": "days (wall clock on gpus)",
        "gpu_hour_price": "USD/GPU-hour",
        "cost": "USD",
    }

    def summary(self) -> dict[str, Any]:
        """JSON-ready dict: scalars as numbers, arrays as {p10, p50, p90}, plus ``units``."""
        out: dict[str, Any] = {
            "model": self.name,
            "gpu": self.gpu,
            "gpus": self.gpus,
            "precision": self.precision,
            "mode": self.mode,
            "params": self.params,
            "active_params": self.active_params,
            "tokens": self.tokens,
            "seq_len": self.seq_len,
            "layers": self.layers,
            "d_model": self.d_model,
            "mfu_factor": self.mfu_factor,
            "flops": float(np.median(self.flops)),
        }
        for k in ("gpu_hours", "days", "gpu_hour_price", "cost"):
            v = getattr(self, k)
            if v is not None:
                out[k] = percentiles(v)
        if self.notes:
            out["notes"] = list(self.notes)
        out["units"] = {k: u for k, u in self.UNITS.items() if k in out}
        return out


def estimate_training(
    gpu: str | GPU,
    tokens: float | None = None,
    *,
    model: str | dict | ModelSpec | None = None,
    params: float | None = None,
    active_params: float | None = None,
    layers: int | None = None,
    d_model: int | None = None,
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

    Give ``model`` (catalog name / dict / ModelSpec) or ``params`` (+ ``active_params`` for MoE,
    + optionally ``layers`` / ``d_model``; missing ones follow :data:`SHAPE_RULE`). ``seq_len``
    adds the attention FLOPs (``None``: parameter FLOPs only). ``tokens`` defaults to the
    Chinchilla-optimal 20 · params for pre-training. ``precision`` is bf16/fp16 or fp8.
    ``training_mfu`` defaults to the dense or the MoE fit (``training_mfu_moe``) by the model.
    """
    g = get_gpu(gpu)
    notes: list[str] = []
    spec: ModelSpec | None = None
    shape: tuple[int, int] | None = None
    if model is not None:
        given = [
            key
            for key, v in (
                ("params", params),
                ("active_params", active_params),
                ("layers", layers),
                ("d_model", d_model),
            )
            if v is not None
        ]
        if given:
            raise EstimateError(
                f"{', '.join(given)}: taken from the model; give them only with params, not a model"
            )
        spec = get_model(model)
        name, p, a = spec.name, spec.params, spec.active_params
        assert a is not None  # ModelSpec derives it from params
    elif params is not None:
        name, p = "custom", float(params)
        a = float(active_params) if active_params is not None else p
        if not MIN_PARAMS <= p <= MAX_PARAMS or not MIN_PARAMS <= a <= p:
            raise EstimateError(
                f"params must be 1e6 to 1e14 and active_params 1e6 to params "
                f"(got {params:g}, {a:g})"
            )
        for key, v in (("layers", layers), ("d_model", d_model)):
            if v is not None and (int(v) != v or not 1 <= v <= 100_000):
                raise EstimateError(f"{key} must be a whole number from 1 to 100000 (got {v})")
        if seq_len:
            shape = shape_from_params(a, layers, d_model)
            derived = [key for key, v in (("layers", layers), ("d_model", d_model)) if v is None]
            if derived:
                notes.append(
                    f"attention shape: {' and '.join(derived)} derived from "
                    f"{'active ' if a < p else ''}params by {SHAPE_RULE}"
                )
        elif layers is not None or d_model is not None:
            raise EstimateError(
                "layers and d_model only enter the attention FLOPs: give a seq_len with them"
            )
        else:
            notes.append("attention FLOPs not counted (no seq_len): parameter FLOPs only")
    else:
        raise EstimateError("give a model name or a parameter count (params)")
    if seq_len is not None and (int(seq_len) != seq_len or seq_len < 1):
        raise EstimateError(f"seq_len must be a whole number >= 1 (got {seq_len})")
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
    moe = a < p * 0.9999 or (spec is not None and spec.is_moe)
    factor = mfu_factor(moe)
    mfu = np.atleast_1d(_f(factor, training_mfu))
    goodput = np.atleast_1d(_f("training_goodput", training_goodput))
    peak: float | np.ndarray = g.peak_flops("bf16")
    if precision == "fp8":
        if not g.tflops.get("fp8"):
            raise EstimateError(f"{g.name} has no fp8 tensor cores; train in bf16")
        peak = peak * _f("fp8_training_speedup", fp8_training_speedup)
    flops = training_flops(
        a,
        tokens,
        model=spec,
        seq_len=seq_len,
        mode=mode,
        layers=shape[0] if shape else None,
        attention_width=shape[1] if shape else None,
    )
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
        params=p,
        seq_len=int(seq_len) if seq_len else None,
        layers=spec.layers if spec is not None else (shape[0] if shape else None),
        d_model=spec.d_model if spec is not None else (shape[1] if shape else None),
        mfu_factor=factor,
        notes=notes,
    )
    if gpu_hour_price is not None:
        price = np.asarray(gpu_hour_price, dtype=float)
        if np.any(price < 0):
            raise EstimateError(f"gpu_hour_price must not be negative (got {gpu_hour_price})")
        est.gpu_hour_price = np.broadcast_to(price, np.shape(hours)).astype(float)
        est.cost = hours * price
    return est


def is_moe(
    model: str | dict | ModelSpec | None = None,
    params: float | None = None,
    active_params: float | None = None,
) -> bool:
    """Whether a run takes the MoE MFU: a catalog MoE model, or active_params below params."""
    if model is not None:
        spec = get_model(model)
        return spec.is_moe or (spec.active_params or spec.params) < spec.params * 0.9999
    if params is None or active_params is None:
        return False
    return float(active_params) < float(params) * 0.9999


RUN_KEYS = (
    "id", "publication", "gpu", "precision", "tokens", "seq_len", "params", "active_params",
    "layers", "attention_width", "gpu_hours", "gpus", "days", "source", "as_of", "note",
)  # fmt: skip


def training_runs() -> list[dict[str, Any]]:
    """The published runs the MFU fit uses (``data/training_runs.yaml``), validated.

    Each row gets ``active_params`` (= params for dense runs), ``moe`` and ``gpu_hours`` (the
    published figure, or the published GPU count x days x 24).
    """
    out = []
    for i, row in enumerate(load_yaml("training_runs.yaml")["runs"]):
        where = f"training_runs.yaml runs[{i}] {row.get('id', '?')}"
        check_keys(row, RUN_KEYS, where)
        require_source(row, where)
        r = dict(row)
        try:  # YAML reads 1.0e12 (no exponent sign) as a string
            for k in ("tokens", "params", "active_params", "gpu_hours", "gpus", "days"):
                if k in r:
                    r[k] = float(r[k])
            for k in ("seq_len", "layers", "attention_width"):
                r[k] = int(r[k])
        except (KeyError, TypeError, ValueError) as exc:
            raise CatalogError(f"{where}: {exc}") from exc
        r.setdefault("active_params", r["params"])
        if ("gpu_hours" in r) == ("gpus" in r and "days" in r):
            raise CatalogError(f"{where}: give either gpu_hours or gpus and days")
        if "gpu_hours" not in r:
            r["gpu_hours"] = float(r["gpus"]) * float(r["days"]) * 24.0
        r["moe"] = is_moe(params=r["params"], active_params=r["active_params"])
        out.append(r)
    return out


def implied_utilisation(run: Mapping[str, Any], fp8_training_speedup: Any = None) -> float:
    """MFU x goodput a published run achieved: its model FLOPs (:func:`training_flops`, with the
    attention term) / (GPU-hours · 3600 · dense bf16 peak [· fp8 speed-up for fp8 runs])."""
    g = get_gpu(run["gpu"])
    peak = g.peak_flops("bf16")
    if str(run.get("precision", "bf16")).lower() == "fp8":
        peak *= float(_f("fp8_training_speedup", fp8_training_speedup))
    flops = training_flops(
        run.get("active_params", run["params"]),
        run["tokens"],
        seq_len=run.get("seq_len"),
        layers=run["layers"],
        attention_width=run["attention_width"],
    )
    return float(flops) / (float(run["gpu_hours"]) * 3600.0 * peak)
