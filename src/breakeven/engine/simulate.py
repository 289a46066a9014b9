"""The Monte Carlo engine: sample inputs once per sample, step blocks month by month, in chunks.

Samples are processed in chunks of ``chunk_size`` (a multiple of the RNG block), so memory is
bounded. Every operation is elementwise across samples and every cross-sample sum is taken per RNG
block in a fixed order, so results are bit-identical whatever the chunk size or worker count.
"""

from __future__ import annotations

import time
from typing import Callable

import numpy as np

from ..finance.ledger import all_lines, close_books, order_lines
from ..finance.metrics import compute_metrics
from ..scenario.schema import Scenario
from .blocks import Ctx, build_blocks
from ..finance.milestones import milestone_hits
from .inputs import BLOCK, Input, independent_uniforms, input_table, sample_params
from .results import Results

DEFAULT_CHUNK = 4 * BLOCK
DEFAULT_KEEP = 10_000  # samples whose full ledger is kept (see Results)

Progress = Callable[[int, int], None]


def simulate(scenario: Scenario, samples: int | None = None, seed: int | None = None, *,
             chunk_size: int = DEFAULT_CHUNK, keep_ledger: int = DEFAULT_KEEP,
             uniforms=None, transform=None, progress: Progress | None = None,
             sample_range: tuple[int, int] | None = None) -> Results:
    """Simulate a scenario; returns :class:`Results`.

    ``uniforms`` replaces the independent random source (quasi-random designs, common random
    numbers); ``transform`` maps uniforms before the quantile functions (correlations).
    """
    n_total = int(samples if samples is not None else scenario.samples)
    seed = int(seed if seed is not None else scenario.seed)
    if n_total < 1:
        raise ValueError("samples must be at least 1")
    if chunk_size <= 0 or chunk_size % BLOCK:
        raise ValueError(f"chunk_size must be a positive multiple of {BLOCK}")
    start0, stop0 = sample_range or (0, n_total)
    H = scenario.horizon_months
    blocks = build_blocks(scenario)
    table = input_table(scenario)
    for b in blocks:  # inputs a block adds: catalog efficiency factors, chance-event draws
        for name, (dist, domain) in b.draws.items():
            table[name] = Input(name, dist, domain, (name,))
    source = uniforms or independent_uniforms(seed)
    if transform is None and scenario.correlation_pairs():
        from ..scenario.correlation import copula_transform
        transform = copula_transform(scenario.correlation_pairs())
    detail = order_lines({ln for b in blocks for ln in b.lines})
    kpi_names = list(dict.fromkeys(k for b in blocks for k in b.kpis))
    lines = all_lines(detail)
    n = stop0 - start0
    keep = max(0, min(keep_ledger, n))
    # stored line-major, (lines, months, samples): each line is one contiguous copy
    kept_ledger = np.empty((len(lines), H, keep))
    kept_kpis = np.empty((len(kpi_names), H, keep))
    metrics: dict[str, np.ndarray] = {}
    sums = np.zeros((len(lines), H))
    ksums = np.zeros((len(kpi_names), H))
    random_inputs = [k for k, v in table.items() if not v.dist.is_point]
    inputs_kept: dict[str, np.ndarray] = {k: np.empty(n) for k in random_inputs}
    fx_leaves = scenario.fx
    t0 = time.perf_counter()
    for c0 in range(start0, stop0, chunk_size):
        c1 = min(stop0, c0 + chunk_size)
        m = c1 - c0
        p = sample_params(table, source, c0, c1, transform)
        ctx = Ctx(n=m, months=H, p=p, fx={k: p[v] for k, v in fx_leaves.items()},
                  currency=scenario.currency)
        for ln in detail:
            ctx.lines[ln] = np.zeros((H, m))
        for b in blocks:
            b.prepare(ctx)
        for t in range(H):
            ctx.state = {}
            for b in blocks:
                b.step(ctx, t)
        funding = next(b for b in blocks if hasattr(b, "starting_cash"))
        totals = close_books(ctx.lines, funding.starting_cash(ctx))
        full = {**{ln: ctx.lines[ln] for ln in detail}, **totals}
        met = compute_metrics(totals, p[scenario.discount_rate_per_year])
        met.update(milestone_hits(scenario.milestones, full, ctx.kpis))
        for k, v in met.items():
            metrics.setdefault(k, np.empty(n))[c0 - start0:c1 - start0] = v
        for k in random_inputs:
            inputs_kept[k][c0 - start0:c1 - start0] = p.get(k)
        lo, hi = c0 - start0, min(c1 - start0, keep)
        series = [(full[ln], sums[i], kept_ledger[i]) for i, ln in enumerate(lines)]
        series += [(ctx.kpis.get(k, np.zeros((H, m))), ksums[i], kept_kpis[i])
                   for i, k in enumerate(kpi_names)]
        whole = (m // BLOCK) * BLOCK
        for arr, acc, kept in series:
            # sums over samples per RNG block, added in block order: chunking-independent
            if whole:
                per_block = arr[:, :whole].reshape(H, -1, BLOCK).sum(axis=2)
                for j in range(per_block.shape[1]):
                    acc += per_block[:, j]
            if whole < m:
                acc += arr[:, whole:].sum(axis=1)
            if hi > lo:
                kept[:, lo:hi] = arr[:, :hi - lo]
        if progress is not None:
            progress(c1 - start0, n)
    return Results(
        scenario=scenario, samples=n, seed=seed, lines=lines, detail_lines=detail,
        kpi_names=kpi_names, ledger_lms=kept_ledger, kpis_lms=kept_kpis, ledger_sum_lm=sums,
        kpi_sum_lm=ksums, metrics=metrics, inputs=inputs_kept, input_table=table,
        elapsed_s=time.perf_counter() - t0,
    )
