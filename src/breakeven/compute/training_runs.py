"""Training and fine-tuning runs of a scenario as dated costs (opex.training).

A run is either priced directly (``cost``) or estimated from compute: GPU-hours from
:func:`breakeven.compute.training.estimate_training` (FLOPs ≈ 6·N·D, MFU and goodput from the
catalog's published ranges, sampled per outcome), times the GPU-hour price (the scenario's, or
the catalog's latest rental price in USD converted with ``fx``).
"""

from __future__ import annotations

import numpy as np

from ..finance.company import spread_cost


def training_cost_schedules(sc) -> list:
    """One function per run: ctx -> (months, n) cost array in the scenario's currency."""
    out = []
    for i, run in enumerate(sc.company.training_runs):
        out.append(_schedule(sc, i, run))
    return out


def _schedule(sc, i, run):
    def cost(ctx):
        if run.cost is not None:
            total = ctx.p[run.cost]
        else:
            total = compute_cost(ctx, run, f"company.training_runs.{i}")
        return spread_cost(np.broadcast_to(total, (ctx.n,)), run.month, run.duration_months,
                           ctx.months)
    return cost


def compute_cost(ctx, run, path: str) -> np.ndarray:
    """Cost of a run from its compute, per sample: GPU-hours = c·N·D / (peak·MFU) / goodput."""
    from ..compute.hardware import default_gpu_hour_price, get_gpu
    from ..compute.training import flops_per_param_token
    gpu = get_gpu(run.gpu)
    mfu = ctx.p[run.mfu] if run.mfu is not None else _factor_draw(ctx, path, "training_mfu")
    goodput = _factor_draw(ctx, path, "training_goodput")
    flops = flops_per_param_token(run.mode) * ctx.p[run.params] * ctx.p[run.tokens]
    hours = flops / (gpu.peak_flops("bf16") * mfu) / goodput / 3600.0
    if run.gpu_hour_price is not None:
        price = ctx.p[run.gpu_hour_price]
    else:
        price = default_gpu_hour_price(gpu) * ctx.rate_to_currency("USD")
    return hours * price


def _factor_draw(ctx, path, name):
    return ctx.p.get(f"{path}.{name}")


def training_draws(sc) -> dict:
    """Catalog efficiency factors (MFU, goodput) of compute-estimated runs, as inputs."""
    from ..engine.inputs import catalog_factor
    names = {}
    for i, run in enumerate(sc.company.training_runs):
        if run.cost is None:
            if run.mfu is None:
                names[f"company.training_runs.{i}.training_mfu"] = catalog_factor("training_mfu")
            names[f"company.training_runs.{i}.training_goodput"] = catalog_factor(
                "training_goodput")
    return names
