"""The Monte Carlo engine: sample inputs once per sample, step blocks month by month, in chunks.

Samples are processed in chunks of ``chunk_size`` (a multiple of the RNG block), so memory is
bounded. Every operation is elementwise across samples and every cross-sample sum is taken per RNG
block in a fixed order, so results are bit-identical whatever the chunk size or worker count.

The engine knows a plan only through :class:`Plan`: its horizon, seed and samples, its blocks and
their declared outputs. A :class:`~breakeven.scenario.Scenario` is one.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import numpy as np
from numpy.typing import NDArray

from ..errors import SimulationError
from ..models.correlation import copula_transform
from ..models.ledger import all_lines, close_books, order_lines
from ..models.metrics import compute_metrics
from ..models.milestones import milestone_hits
from .block import KPI_DTYPE, Block, Ctx
from .fields import Uncertain
from .inputs import (
    BLOCK,
    DrawnAgain,
    InputTable,
    Transform,
    UniformSource,
    build_inputs,
    independent_uniforms,
    sample_params,
)
from .memory import available_bytes, estimate_bytes, gib
from .order import BlockSet, Graph, order_blocks
from .results import Results

DEFAULT_CHUNK = 4 * BLOCK
DEFAULT_KEEP = 5_000  # samples whose full ledger is kept (see Results)
# beyond this, a run's sampled inputs are drawn again when read rather than kept (DrawnAgain)
INPUTS_KEPT_BYTES = 256 * 2**20

Progress = Callable[[int, int], None]


class Plan(Protocol):
    """What the engine needs of a scenario."""

    blockset: ClassVar[BlockSet]
    name: str
    horizon_months: int
    samples: int
    seed: int
    currency: str
    fx: dict[str, Uncertain]
    discount_rate_per_year: Uncertain
    milestones: list[Any]

    def build_blocks(self) -> list[Block]: ...

    def correlation_pairs(self) -> list[tuple[str, str, float]]: ...


def default_workers() -> int:
    """Threads for chunks: numpy releases the GIL in array work, so two cores help (~1.4×)."""
    return max(1, min(4, os.cpu_count() or 1))


@dataclass
class Layout:
    """A plan made ready to run: its blocks' order, inputs, and the shape of its results."""

    scenario: Any
    order: list[int]  # positions, in the list ``build_blocks`` returns, in run order
    graph: Graph
    table: InputTable
    detail: list[str]
    kpi_names: list[str]
    lines: list[str]
    adds: tuple[str, ...]


def layout(plan: Plan, fixed: Mapping[str, float] | None = None) -> Layout:
    """Order the plan's blocks and name its inputs (``fixed``: inputs held at a value)."""
    blocks = plan.build_blocks()
    graph = order_blocks(blocks, plan.blockset.outputs, plan.blockset)
    position = {id(b): i for i, b in enumerate(blocks)}
    table = build_inputs(plan)
    for b in graph.order:  # inputs a block adds: catalog efficiency factors, chance draws
        table = table.with_draws(b.draws())
    table = table.with_fixed(fixed)
    detail = order_lines({ln for b in blocks for ln in b.books})
    kpi_names = list(dict.fromkeys(k for b in graph.order for k in b.records))
    adds = tuple(dict.fromkeys(k for b in blocks for k in b.adds))
    return Layout(
        plan,
        [position[id(b)] for b in graph.order],
        graph,
        table,
        detail,
        kpi_names,
        all_lines(detail),
        adds,
    )


@dataclass
class _Run:
    """What every chunk needs besides its sample range."""

    lay: Layout
    source: UniformSource
    transform: Transform | None
    keep_inputs: bool = True  # False: the chunks' inputs are not returned (drawn again if read)
    correlated: tuple[str, ...] = ()  # the inputs the copula transform ties together


@dataclass
class _ChunkOut:
    c0: int
    c1: int
    metrics: dict[str, np.ndarray]
    inputs: dict[str, np.ndarray]
    block_sums: list[np.ndarray]  # per RNG block: (lines + kpis, months)
    series: list[np.ndarray] | None  # the chunk's ledger lines then KPIs, if any are kept


def _run_chunk(run: _Run, c0: int, c1: int, keep_upto: int) -> _ChunkOut:
    """Simulate samples [c0, c1): fresh blocks (they hold per-chunk state), all months.
    Overflow is not warned about sample by sample: a non-finite cash balance is an error."""
    with np.errstate(over="ignore", invalid="ignore"):
        return _run_chunk_months(run, c0, c1, keep_upto)


def _run_chunk_months(run: _Run, c0: int, c1: int, keep_upto: int) -> _ChunkOut:
    lay = run.lay
    sc, H, m = lay.scenario, lay.scenario.horizon_months, c1 - c0
    fresh = sc.build_blocks()
    blocks = [fresh[i] for i in lay.order]
    p = sample_params(lay.table, run.source, c0, c1, run.transform)
    ctx = Ctx(
        n=m,
        months=H,
        p=p,
        fx={k: p[v] for k, v in sc.fx.items()},
        currency=sc.currency,
        inputs=lay.table,
        selections=lay.graph.selections,
    )
    # one allocation for all the lines and one for all the KPIs: numpy asks for huge pages for
    # large arrays, so writing them takes far fewer page faults than many (months, n) arrays
    lines = np.zeros((len(lay.detail), H, m))
    for i, ln in enumerate(lay.detail):
        ctx.lines[ln] = lines[i]
    kpis = np.zeros((len(lay.kpi_names), H, m), dtype=KPI_DTYPE)
    ctx.kpi_rows = {k: kpis[i] for i, k in enumerate(lay.kpi_names)}
    for b in blocks:
        ctx.enter(b, None)
        b.prepare(ctx)
    for t in range(H):
        ctx.new_month(lay.adds)
        for b in blocks:
            ctx.enter(b, t)
            b.step(ctx, t)
    cash0 = np.zeros(m)
    for b in blocks:
        c = b.opening_cash(ctx)
        if c is not None:
            cash0 = cash0 + c
    totals = close_books(ctx.lines, cash0)
    bad = ~np.isfinite(totals["cash"][-1])
    if bad.any():
        i = int(np.argmax(bad))
        worst = {
            k: float(v[i]) for k, v in p.values.items() if not np.isfinite(v[i]) or abs(v[i]) > 1e12
        }
        raise SimulationError(
            f"the plan's numbers overflow (cash is not finite in sample {c0 + i}); check the "
            f"magnitudes and units of its inputs" + (f", e.g. {worst}" if worst else "")
        )
    full = {**{ln: ctx.lines[ln] for ln in lay.detail}, **totals}
    met = compute_metrics(totals, p[sc.discount_rate_per_year])
    met.update(milestone_hits(sc.milestones, full, ctx.kpis))
    series: list[NDArray[Any]] = [full[ln] for ln in lay.lines]  # float64 lines, float32 KPIs
    series += [ctx.kpis.get(k, kpis[i]) for i, k in enumerate(lay.kpi_names)]  # unrecorded: 0
    # sums over the samples of each RNG block (c0 is a multiple of BLOCK): chunking-independent
    block_sums = _block_sums(series, m)
    return _ChunkOut(
        c0,
        c1,
        met,
        {k: p.get(k) for k in lay.table.random()} if run.keep_inputs else {},
        block_sums,
        series if c0 < keep_upto else None,
    )


def _block_sums(series: list[np.ndarray], m: int) -> list[np.ndarray]:
    """Per RNG block of samples, the sum over its samples of every series: (series, months).
    Each block's sum is one pairwise reduction over its contiguous samples, the same whatever
    chunk the block sits in (float32 KPIs accumulate in float64)."""
    whole, nb = (m // BLOCK) * BLOCK, m // BLOCK
    sums = np.empty((nb + (whole < m), len(series), series[0].shape[0]))
    for i, arr in enumerate(series):
        dt = np.float64 if arr.dtype != np.float64 else None
        if nb:
            sums[:nb, i] = arr[:, :whole].reshape(arr.shape[0], nb, BLOCK).sum(axis=2, dtype=dt).T
        if whole < m:
            sums[nb, i] = arr[:, whole:].sum(axis=1, dtype=dt)
    return list(sums)


def simulate(
    scenario: Plan,
    samples: int | None = None,
    seed: int | None = None,
    *,
    fixed: Mapping[str, float] | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    keep_ledger: int = DEFAULT_KEEP,
    uniforms: UniformSource | None = None,
    transform: Transform | None = None,
    progress: Progress | None = None,
    sample_range: tuple[int, int] | None = None,
    workers: int | None = None,
    max_memory: int | None = None,
) -> Results:
    """Simulate a scenario; returns :class:`Results`.

    ``fixed`` holds inputs at a value, by path or name (``{"streams.subscription.conversion":
    0.05}``) without changing the scenario. ``uniforms`` replaces the independent random source
    (quasi-random designs, common random numbers); ``transform`` maps uniforms before the
    quantile functions (correlations). ``workers`` threads run chunks side by side (default: up
    to 4, one per core); results are bit-identical whatever the number of workers or the chunk
    size. A run whose estimated peak memory exceeds ``max_memory`` (bytes; default: the memory
    available) is refused with a :class:`SimulationError` before it starts.
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
    lay = layout(scenario, fixed)
    own_transform = transform is None
    correlated: tuple[str, ...] = ()
    if transform is None:
        pairs = [
            (a, b, r)
            for a, b, r in scenario.correlation_pairs()
            if not lay.table[a].dist.is_point and not lay.table[b].dist.is_point
        ]
        if pairs:
            transform = copula_transform(pairs)
            correlated = tuple(dict.fromkeys(x for a, b, _ in pairs for x in (a, b)))
    n = stop0 - start0
    # the default source draws each input from its own streams: a large run's inputs can be
    # drawn again when read (the same values) instead of kept
    redraw = (
        uniforms is None and own_transform and n * len(lay.table.random()) * 8 > INPUTS_KEPT_BYTES
    )
    run = _Run(
        lay,
        uniforms or independent_uniforms(seed),
        transform,
        keep_inputs=not redraw,
        correlated=correlated,
    )
    keep = max(0, min(keep_ledger, n))
    L, K = len(lay.lines), len(lay.kpi_names)
    nw = workers if workers is not None else default_workers()
    kept_inputs = 0 if redraw else len(lay.table.random())
    per_sample = kept_inputs + 10 + len(scenario.milestones)  # inputs and metrics
    need = estimate_bytes(n, H, L, K, per_sample, keep, chunk_size, nw)
    limit = max_memory if max_memory is not None else available_bytes()
    if limit is not None and need > limit:
        raise SimulationError(
            f"{n:,} samples × {H} months need about {gib(need)} of memory, more than the "
            f"{gib(limit)} available; use fewer samples (or a larger --max-memory)"
        )
    try:
        return _simulate(
            scenario, run, seed, n, start0, stop0, keep, chunk_size, nw, progress, fixed
        )
    except MemoryError:
        raise SimulationError(
            f"ran out of memory with {n:,} samples × {H} months (estimated {gib(need)}); use "
            "fewer samples"
        ) from None


def _simulate(
    scenario: Plan,
    run: _Run,
    seed: int,
    n: int,
    start0: int,
    stop0: int,
    keep: int,
    chunk_size: int,
    nw: int,
    progress: Progress | None,
    fixed: Mapping[str, float] | None,
) -> Results:
    lay = run.lay
    H = scenario.horizon_months
    L, K = len(lay.lines), len(lay.kpi_names)
    # stored line-major, (lines, months, samples): each line is one contiguous copy
    kept_ledger = np.empty((L, H, keep))
    kept_kpis = np.empty((K, H, keep), dtype=KPI_DTYPE)
    metrics: dict[str, np.ndarray] = {}
    inputs_kept: Mapping[str, np.ndarray] = (
        {k: np.empty(n) for k in lay.table.random()}
        if run.keep_inputs
        else DrawnAgain(lay.table, run.source, run.transform, run.correlated, start0, stop0)
    )
    partials: dict[int, list[np.ndarray]] = {}
    done = [0]
    t0 = time.perf_counter()

    def collect(out: _ChunkOut) -> None:
        lo, hi = out.c0 - start0, out.c1 - start0
        for k, v in out.metrics.items():
            metrics.setdefault(k, np.empty(n))[lo:hi] = v
        for k, v in out.inputs.items():
            inputs_kept[k][lo:hi] = v  # only a kept dict of arrays gets chunk inputs
        partials[out.c0] = out.block_sums
        if out.series is not None and lo < keep:
            top = min(hi, keep) - lo
            for i, arr in enumerate(out.series):
                dest = kept_ledger[i] if i < L else kept_kpis[i - L]
                dest[:, lo : lo + top] = arr[:, :top]
        # copied: free the chunk's arrays now (its future keeps the chunk until the run ends)
        out.series, out.metrics, out.inputs = None, {}, {}
        done[0] += out.c1 - out.c0
        if progress is not None:
            progress(done[0], n)

    starts = list(range(start0, stop0, chunk_size))
    if nw <= 1 or len(starts) == 1:
        for c0 in starts:
            collect(_run_chunk(run, c0, min(stop0, c0 + chunk_size), start0 + keep))
    else:
        with ThreadPoolExecutor(max_workers=nw) as pool:
            futures = [
                pool.submit(_run_chunk, run, c0, min(stop0, c0 + chunk_size), start0 + keep)
                for c0 in starts
            ]
            try:
                for fut in as_completed(futures):
                    collect(fut.result())
            except BaseException:  # a failed chunk, or a progress callback that stops the run
                for fut in futures:
                    fut.cancel()  # chunks not started yet are dropped, not waited for
                raise
    # add the per-block sums in block order: the same floating-point sum for any chunking
    total = np.zeros((L + K, H))
    for c0 in sorted(partials):
        for part in partials[c0]:
            total += part
    return Results(
        scenario=scenario,
        samples=n,
        seed=seed,
        lines=lay.lines,
        detail_lines=lay.detail,
        kpi_names=lay.kpi_names,
        ledger_lms=kept_ledger,
        kpis_lms=kept_kpis,
        ledger_sum_lm=total[:L],
        kpi_sum_lm=total[L:],
        metrics=metrics,
        inputs=inputs_kept,
        input_table=lay.table,
        outputs=scenario.blockset.outputs,
        fixed=dict(fixed or {}),
        first_sample=start0,
        elapsed_s=time.perf_counter() - t0,
    )
