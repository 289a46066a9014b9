"""The Monte Carlo engine: sample inputs once per sample, step blocks month by month, in chunks.

Samples are processed in chunks of ``chunk_size`` (a multiple of the RNG block), so memory is
bounded. Every operation is elementwise across samples and every cross-sample sum is taken per RNG
block in a fixed order, so results are bit-identical whatever the chunk size or worker count.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..finance.ledger import all_lines, close_books, order_lines
from ..finance.metrics import compute_metrics
from ..finance.milestones import milestone_hits
from ..scenario.schema import Scenario
from .blocks import KPI_DTYPE, Ctx, build_blocks
from .inputs import BLOCK, Input, independent_uniforms, input_table, sample_params
from .results import Results

class SimulationError(ValueError):
    """A plan that validates but whose arithmetic breaks down (overflow): a user error."""


DEFAULT_CHUNK = 4 * BLOCK
DEFAULT_KEEP = 5_000  # samples whose full ledger is kept (see Results)

Progress = Callable[[int, int], None]


def default_workers() -> int:
    """Threads for chunks: numpy releases the GIL in array work, so two cores help (~1.4×)."""
    return max(1, min(4, os.cpu_count() or 1))


@dataclass
class _Plan:
    """What every chunk needs: the scenario, its inputs and the layout of the results."""

    scenario: Scenario
    table: dict
    source: object
    transform: object
    H: int
    detail: list[str]
    kpi_names: list[str]
    lines: list[str]
    random_inputs: list[str]


@dataclass
class _ChunkOut:
    c0: int
    c1: int
    metrics: dict[str, np.ndarray]
    inputs: dict[str, np.ndarray]
    block_sums: list[np.ndarray]  # per RNG block: (lines + kpis, months)
    series: list[np.ndarray] | None  # the chunk's ledger lines then KPIs, if any are kept


def _run_chunk(plan: _Plan, c0: int, c1: int, keep_upto: int) -> _ChunkOut:
    """Simulate samples [c0, c1): fresh blocks (they hold per-chunk state), all months.
    Overflow is not warned about sample by sample: a non-finite cash balance is an error."""
    with np.errstate(over="ignore", invalid="ignore"):
        return _run_chunk_months(plan, c0, c1, keep_upto)


def _run_chunk_months(plan: _Plan, c0: int, c1: int, keep_upto: int) -> _ChunkOut:
    sc, H, m = plan.scenario, plan.H, c1 - c0
    blocks = build_blocks(sc)
    p = sample_params(plan.table, plan.source, c0, c1, plan.transform)
    ctx = Ctx(n=m, months=H, p=p, fx={k: p[v] for k, v in sc.fx.items()}, currency=sc.currency)
    for ln in plan.detail:
        ctx.lines[ln] = np.zeros((H, m))
    for b in blocks:
        b.prepare(ctx)
    for t in range(H):
        ctx.state = {}
        for b in blocks:
            b.step(ctx, t)
    funding = next(b for b in blocks if hasattr(b, "starting_cash"))
    totals = close_books(ctx.lines, funding.starting_cash(ctx))
    bad = ~np.isfinite(totals["cash"][-1])
    if bad.any():
        i = int(np.argmax(bad))
        worst = {k: float(v[i]) for k, v in p.values.items() if not np.isfinite(v[i])
                 or abs(v[i]) > 1e12}
        raise SimulationError(
            f"the plan's numbers overflow (cash is not finite in sample {c0 + i}); check the "
            f"magnitudes and units of its inputs" + (f", e.g. {worst}" if worst else ""))
    full = {**{ln: ctx.lines[ln] for ln in plan.detail}, **totals}
    met = compute_metrics(totals, p[sc.discount_rate_per_year])
    met.update(milestone_hits(sc.milestones, full, ctx.kpis))
    series = [full[ln] for ln in plan.lines]
    series += [ctx.kpis.get(k, np.zeros((H, m), dtype=KPI_DTYPE)) for k in plan.kpi_names]
    # sums over the samples of each RNG block (c0 is a multiple of BLOCK): chunking-independent
    block_sums = _block_sums(series, m)
    return _ChunkOut(c0, c1, met, {k: p.get(k) for k in plan.random_inputs}, block_sums,
                     series if c0 < keep_upto else None)


def _block_sums(series: list[np.ndarray], m: int) -> list[np.ndarray]:
    """Per RNG block of samples, the sum over its samples of every series: (series, months).
    Each block's sum is one pairwise reduction over its contiguous samples, the same whatever
    chunk the block sits in (float32 KPIs accumulate in float64)."""
    whole, nb = (m // BLOCK) * BLOCK, m // BLOCK
    sums = np.empty((nb + (whole < m), len(series), series[0].shape[0]))
    for i, arr in enumerate(series):
        dt = np.float64 if arr.dtype != np.float64 else None
        if nb:
            sums[:nb, i] = arr[:, :whole].reshape(arr.shape[0], nb, BLOCK).sum(axis=2,
                                                                              dtype=dt).T
        if whole < m:
            sums[nb, i] = arr[:, whole:].sum(axis=1, dtype=dt)
    return list(sums)


def simulate(scenario: Scenario, samples: int | None = None, seed: int | None = None, *,
             chunk_size: int = DEFAULT_CHUNK, keep_ledger: int = DEFAULT_KEEP,
             uniforms=None, transform=None, progress: Progress | None = None,
             sample_range: tuple[int, int] | None = None, workers: int | None = None
             ) -> Results:
    """Simulate a scenario; returns :class:`Results`.

    ``uniforms`` replaces the independent random source (quasi-random designs, common random
    numbers); ``transform`` maps uniforms before the quantile functions (correlations).
    ``workers`` threads run chunks side by side (default: up to 4, one per core); results are
    bit-identical whatever the number of workers or the chunk size.
    """
    n_total = int(samples if samples is not None else scenario.samples)
    seed = int(seed if seed is not None else scenario.seed)
    if n_total < 1:
        raise ValueError("samples must be at least 1")
    if chunk_size <= 0 or chunk_size % BLOCK:
        raise ValueError(f"chunk_size must be a positive multiple of {BLOCK}")
    start0, stop0 = sample_range or (0, n_total)
    if start0 % BLOCK or not stop0 > start0:
        raise ValueError(f"sample_range must start at a multiple of {BLOCK} and not be empty")
    H = scenario.horizon_months
    blocks = build_blocks(scenario)
    table = input_table(scenario)
    for b in blocks:  # inputs a block adds: catalog efficiency factors, chance-event draws
        for name, (dist, domain) in b.draws.items():
            table[name] = Input(name, dist, domain, (name,))
    if transform is None and scenario.correlation_pairs():
        from ..scenario.correlation import copula_transform
        transform = copula_transform(scenario.correlation_pairs())
    detail = order_lines({ln for b in blocks for ln in b.lines})
    kpi_names = list(dict.fromkeys(k for b in blocks for k in b.kpis))
    lines = all_lines(detail)
    plan = _Plan(scenario, table, uniforms or independent_uniforms(seed), transform, H, detail,
                 kpi_names, lines, [k for k, v in table.items() if not v.dist.is_point])
    n = stop0 - start0
    keep = max(0, min(keep_ledger, n))
    L = len(lines)
    # stored line-major, (lines, months, samples): each line is one contiguous copy
    kept_ledger = np.empty((L, H, keep))
    kept_kpis = np.empty((len(kpi_names), H, keep), dtype=KPI_DTYPE)
    metrics: dict[str, np.ndarray] = {}
    inputs_kept = {k: np.empty(n) for k in plan.random_inputs}
    partials: dict[int, list[np.ndarray]] = {}
    done = [0]
    t0 = time.perf_counter()

    def collect(out: _ChunkOut) -> None:
        lo, hi = out.c0 - start0, out.c1 - start0
        for k, v in out.metrics.items():
            metrics.setdefault(k, np.empty(n))[lo:hi] = v
        for k, v in out.inputs.items():
            inputs_kept[k][lo:hi] = v
        partials[out.c0] = out.block_sums
        if out.series is not None and lo < keep:
            top = min(hi, keep) - lo
            for i, arr in enumerate(out.series):
                dest = kept_ledger[i] if i < L else kept_kpis[i - L]
                dest[:, lo:lo + top] = arr[:, :top]
        out.series = None  # the kept samples are copied: free the chunk's arrays now
        done[0] += out.c1 - out.c0
        if progress is not None:
            progress(done[0], n)

    starts = list(range(start0, stop0, chunk_size))
    nw = workers if workers is not None else default_workers()
    if nw <= 1 or len(starts) == 1:
        for c0 in starts:
            collect(_run_chunk(plan, c0, min(stop0, c0 + chunk_size), start0 + keep))
    else:
        with ThreadPoolExecutor(max_workers=nw) as pool:
            futures = [pool.submit(_run_chunk, plan, c0, min(stop0, c0 + chunk_size),
                                   start0 + keep) for c0 in starts]
            for fut in as_completed(futures):
                collect(fut.result())
    # add the per-block sums in block order: the same floating-point sum for any chunking
    total = np.zeros((L + len(kpi_names), H))
    for c0 in sorted(partials):
        for part in partials[c0]:
            total += part
    return Results(
        scenario=scenario, samples=n, seed=seed, lines=lines, detail_lines=detail,
        kpi_names=kpi_names, ledger_lms=kept_ledger, kpis_lms=kept_kpis,
        ledger_sum_lm=total[:L], kpi_sum_lm=total[L:], metrics=metrics, inputs=inputs_kept,
        input_table=table, elapsed_s=time.perf_counter() - t0,
    )
