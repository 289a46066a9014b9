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
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import numpy as np

from ..errors import SimulationError, UserError
from ..models.compiled import running
from ..models.compiled import wanted as compiled_wanted
from ..models.correlation import copula_transform
from ..models.ledger import CASH, all_lines, close_month, order_lines, total_aliases
from ..models.metrics import METRIC_DOCS, MetricsStream
from ..models.milestones import MilestoneWatch
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
from .parallel import forked_map, shared_zeros, use_processes
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
    """Workers for chunks, one per core up to 4: forked processes where that is safe, else
    threads (see :mod:`breakeven.engine.parallel`)."""
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
    # the ledger rows a month computes and keeps: the detail lines, the totals flow_totals
    # computes and cash; every line of ``lines`` is one of them (``source``: its index), or zero
    # (-1) for a total that is an empty kind; the others are the same array as a line or total
    rows: list[str]
    source: list[int]


def block_problems(blocks: list[Block], table: InputTable) -> list[str]:
    """What the blocks' own checks (:meth:`Block.problems`) find with these inputs, as
    ``path: message`` lines: the checks a plan passed at load, asked again of inputs held at
    other values (goal-seek's and a sweep's trials), where a value a formula cannot take (a
    share of 100% it divides by) would otherwise run into an overflow."""
    out = []
    for b in blocks:
        base = tuple(b.path.split(".")) if b.path else ()
        out += [f"{'.'.join(base + tuple(loc))}: {msg}" for loc, msg, _ in b.problems(table)]
    return out


def layout(plan: Plan, fixed: Mapping[str, float] | None = None) -> Layout:
    """Order the plan's blocks and name its inputs (``fixed``: inputs held at a value)."""
    blocks = plan.build_blocks()
    graph = order_blocks(blocks, plan.blockset.outputs, plan.blockset)
    position = {id(b): i for i, b in enumerate(blocks)}
    table = build_inputs(plan)
    for b in graph.order:  # inputs a block adds: catalog efficiency factors, chance draws
        table = table.with_draws(b.draws())
    if fixed:
        held = table.with_fixed(fixed)
        new = block_problems(blocks, held)
        if new:  # what the plan's own values raise (a plan built without load) is not theirs
            new = sorted(set(new) - set(block_problems(blocks, table)))
        if new:
            path = new[0].split(": ", 1)[0]
            values = ", ".join(f"{k} = {v:g}" if k != path else f"{v:g}" for k, v in fixed.items())
            more = f"; and {len(new) - 1} more" if len(new) > 1 else ""
            raise UserError(f"{new[0]} (held at {values}{more})")
        table = held
    detail = order_lines({ln for b in blocks for ln in b.books})
    kpi_names = list(dict.fromkeys(k for b in graph.order for k in b.records))
    adds = tuple(dict.fromkeys(k for b in blocks for k in b.adds))
    alias = total_aliases(detail)
    rows = detail + [k for k, v in alias.items() if v is None] + [CASH]
    where = {k: i for i, k in enumerate(rows)}
    for k, v in alias.items():
        while v:  # a total that is another total: follow it to a row
            where[k] = where.get(v, -1)
            v = alias.get(v)
        if v == "":
            where[k] = -1
    lines = all_lines(detail)
    return Layout(
        plan,
        [position[id(b)] for b in graph.order],
        graph,
        table,
        detail,
        kpi_names,
        lines,
        adds,
        rows,
        [where[k] for k in lines],
    )


@dataclass
class _Run:
    """What every chunk needs besides its sample range."""

    lay: Layout
    source: UniformSource
    transform: Transform | None
    keep_inputs: bool = True  # False: the chunks' inputs are not returned (drawn again if read)
    correlated: tuple[str, ...] = ()  # the inputs the copula transform ties together
    compiled: bool = False  # blocks' compiled loops (models.compiled) or their numpy twins


@dataclass
class _ChunkOut:
    c0: int
    c1: int
    metrics: dict[str, np.ndarray]
    inputs: dict[str, np.ndarray]
    block_sums: list[np.ndarray]  # per RNG block: (lines + kpis, months)


@dataclass
class _Kept:
    """Where a chunk writes its kept samples' months: the run's ledger (lines, months, keep) and
    KPIs (kpis, months, keep), from sample ``at`` of the run on."""

    ledger: np.ndarray
    kpis: np.ndarray
    at: int


def _run_chunk(run: _Run, c0: int, c1: int, keep: _Kept | None = None) -> _ChunkOut:
    """Simulate samples [c0, c1): fresh blocks (they hold per-chunk state), all months.
    Overflow is not warned about sample by sample: a non-finite cash balance is an error."""
    with np.errstate(over="ignore", invalid="ignore"), running(run.compiled):
        return _run_chunk_months(run, c0, c1, keep)


def _run_chunk_months(run: _Run, c0: int, c1: int, keep: _Kept | None) -> _ChunkOut:
    """Step the blocks month by month over one chunk, closing each month's books as it ends:
    its totals and cash, the metrics, milestones and per-block sums take that month's rows
    while they are in the cache, and only the kept samples' months are stored."""
    lay = run.lay
    sc, H, m = lay.scenario, lay.scenario.horizon_months, c1 - c0
    D, R, K = len(lay.detail), len(lay.rows), len(lay.kpi_names)
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
    # this month's ledger rows (detail lines, computed totals, cash) and KPIs: reused every month
    rows = np.zeros((R, m))
    kpi_rows = np.zeros((K, m), dtype=KPI_DTYPE)
    detail = {ln: rows[i] for i, ln in enumerate(lay.detail)}
    totals_out = {ln: rows[D + i] for i, ln in enumerate(lay.rows[D:])}
    ctx.line_rows = dict(detail)
    ctx.kpi_rows = {k: kpi_rows[i] for i, k in enumerate(lay.kpi_names)}
    zero = np.zeros(m)
    zero.flags.writeable = False
    # what milestones measure: every line and KPI
    by_name = {ln: rows[i] if i >= 0 else zero for ln, i in zip(lay.lines, lay.source, strict=True)}
    by_name.update(ctx.kpi_rows)
    for b in blocks:
        ctx.enter(b, None)
        b.prepare(ctx)
    cash = np.zeros(m)
    for b in blocks:
        c = b.opening_cash(ctx)
        if c is not None:
            cash = cash + c
    stream = MetricsStream(H, p[sc.discount_rate_per_year], m)
    watch = MilestoneWatch(sc.milestones, m)
    sums = _MonthSums(m, R, K, H)
    # this chunk's samples whose months are kept, and the ledger lines they are rows of
    kept = 0 if keep is None else min(m, keep.ledger.shape[2] - keep.at)
    runs = _kept_runs(lay.source)
    overflow: tuple[int, int, list[str]] | None = None  # (month, sample, lines not finite)
    for t in range(H):
        ctx.new_month(lay.adds)
        for b in blocks:
            ctx.enter(b, t)
            b.step(ctx, t)
        ctx.end_month()
        totals = close_month(detail, cash, zero, totals_out)
        cash = totals[CASH]
        if overflow is None and not np.isfinite(cash).all():  # the month it began, to say where
            i = int(np.argmax(~np.isfinite(cash)))
            overflow = (
                t,
                i,
                [k for k, r in zip(lay.rows, rows, strict=True) if not np.isfinite(r[i])],
            )
        stream.update(t, totals)
        watch.update(t, by_name)
        sums.add(t, rows, kpi_rows)
        if kept and keep is not None:  # straight into the run's arrays
            at = slice(keep.at, keep.at + kept)
            for lines, from_rows in runs:
                keep.ledger[lines, t, at] = rows[from_rows, :kept]
            keep.kpis[:, t, at] = kpi_rows[:, :kept]
    if overflow is not None:
        t, i, where = overflow
        worst = {
            k: float(v[i]) for k, v in p.values.items() if not np.isfinite(v[i]) or abs(v[i]) > 1e12
        }
        first = [k for k in where if k in lay.detail][:3] or where[:3]
        raise SimulationError(
            f"the plan's numbers overflow ({', '.join(first)} not finite in month {t + 1} of "
            f"sample {c0 + i}); check the magnitudes and units of its inputs"
            + (f", e.g. {worst}" if worst else "")
        )
    met = stream.result()
    met.update(watch.result())
    return _ChunkOut(
        c0,
        c1,
        met,
        {k: p.get(k) for k in lay.table.random()} if run.keep_inputs else {},
        sums.by_block(lay.source),
    )


def _kept_runs(source: list[int]) -> list[tuple[slice, slice]]:
    """The ledger lines a month's rows are kept into (``source[line]``: its row, −1: a total
    that stays zero), as runs of consecutive lines from consecutive rows: each run is copied as
    one slice, without the temporary a list index makes (45 µs a month instead of 119 for the
    28 kept lines of office-and-security-suite in 9 runs, 5,000 samples kept)."""
    runs: list[tuple[slice, slice]] = []
    for line, row in enumerate(source):
        if row < 0:
            continue
        if runs and runs[-1][0].stop == line and runs[-1][1].stop == row:
            last = runs[-1]
            runs[-1] = (slice(last[0].start, line + 1), slice(last[1].start, row + 1))
        else:
            runs.append((slice(line, line + 1), slice(row, row + 1)))
    return runs


class _MonthSums:
    """Per RNG block of samples, the sum over its samples of every ledger row and KPI, month
    by month. Each block's sum is one pairwise reduction over its contiguous samples, the same
    whatever chunk the block sits in (float32 KPIs accumulate in float64)."""

    def __init__(self, m: int, lines: int, kpis: int, months: int) -> None:
        self.m, self.L = m, lines
        self.whole, self.nb = (m // BLOCK) * BLOCK, m // BLOCK
        # (months, rows + KPIs, blocks): a month's sums are written in place, in one piece
        self.sums = np.empty((months, lines + kpis, self.nb + (self.whole < m)))

    def add(self, t: int, rows: np.ndarray, kpi_rows: np.ndarray) -> None:
        """Month index ``t``'s rows: (lines, m) float64 and (kpis, m) float32."""
        whole, nb, L, month = self.whole, self.nb, self.L, self.sums[t]
        if nb:
            np.add.reduce(rows[:, :whole].reshape(L, nb, BLOCK), axis=2, out=month[:L, :nb])
            k = kpi_rows[:, :whole].reshape(kpi_rows.shape[0], nb, BLOCK)
            np.add.reduce(k, axis=2, dtype=np.float64, out=month[L:, :nb])
        if whole < self.m:
            month[:L, nb] = rows[:, whole:].sum(axis=1)
            month[L:, nb] = kpi_rows[:, whole:].sum(axis=1, dtype=np.float64)

    def by_block(self, source: list[int]) -> list[np.ndarray]:
        """Per block, (lines + KPIs, months): the ledger's lines from the rows they are
        (``source``, -1: zero), then the KPIs."""
        sums = self.sums.transpose(2, 1, 0)  # (blocks, rows + KPIs, months)
        L = self.L
        out = np.zeros((sums.shape[0], len(source) + sums.shape[1] - L, sums.shape[2]))
        for i, r in enumerate(source):
            if r >= 0:
                out[:, i] = sums[:, r]
        out[:, len(source) :] = sums[:, L:]
        return list(out)


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
    quantile functions (correlations). ``workers`` run chunks side by side (default: up to 4,
    one per core): forked processes where that is safe, else threads (:mod:`.parallel`); results
    are bit-identical whatever the number of workers or the chunk size. A run whose estimated
    peak memory exceeds ``max_memory`` (bytes; default: the memory available) is refused with a
    :class:`SimulationError` before it starts.
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
        compiled=compiled_wanted(n * H),
    )
    keep = max(0, min(keep_ledger, n))
    L, K = len(lay.lines), len(lay.kpi_names)
    nw = workers if workers is not None else default_workers()
    kept_inputs = 0 if redraw else len(lay.table.random())
    per_sample = kept_inputs + 10 + len(scenario.milestones)  # inputs and metrics
    need = estimate_bytes(n, H, L, K, per_sample, keep, chunk_size, nw)
    if max_memory is not None and need > max_memory:  # the caller's ceiling, not the machine's
        raise SimulationError(
            f"--max-memory is too small for this run: {n:,} samples × {H} months need about "
            f"{gib(need)} of memory, more than the {_amount(max_memory)} available under it; "
            f"give at least --max-memory {-(-need // 2**20)}M (or use fewer samples)"
        )
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


def _amount(n: int) -> str:
    """An amount of memory as given, to 4 significant digits (1 KB, 1.5 MB, 300 bytes): a
    --max-memory too small for a run is far below the megabytes :func:`.memory.gib` shows.

    >>> _amount(1), _amount(300), _amount(1024), _amount(int(1.5 * 2**20))
    ('1 byte', '300 bytes', '1 KB', '1.5 MB')
    """
    for unit, size in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if n >= size:
            return f"{n / size:.4g} {unit}"
    return f"{n} byte" if n == 1 else f"{n} bytes"


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
    starts = list(range(start0, stop0, chunk_size))
    forked = use_processes(nw, len(starts))
    # forked workers write every chunk's share of these straight into memory shared with this
    # process (nothing to send back but the sums); threads write into ordinary arrays
    new = shared_zeros if forked else np.zeros
    # stored line-major, (lines, months, samples): each line is one contiguous copy
    kept_ledger = new((L, H, keep))
    kept_kpis = new((K, H, keep), dtype=KPI_DTYPE)
    names = [*METRIC_DOCS, *(f"milestone:{m.name}" for m in scenario.milestones)]
    metrics = {k: new((n,)) for k in names}
    inputs_kept: Mapping[str, np.ndarray] = (
        {k: new((n,)) for k in lay.table.random()}
        if run.keep_inputs
        else DrawnAgain(lay.table, run.source, run.transform, run.correlated, start0, stop0)
    )
    partials: dict[int, list[np.ndarray]] = {}
    done = [0]
    t0 = time.perf_counter()

    def store(out: _ChunkOut) -> _ChunkOut:
        """Copy a chunk's metrics and inputs into the run's arrays; returns the chunk without
        them (the arrays are freed now: a finished future keeps its value)."""
        lo, hi = out.c0 - start0, out.c1 - start0
        for k, v in out.metrics.items():
            metrics[k][lo:hi] = v
        for k, v in out.inputs.items():
            inputs_kept[k][lo:hi] = v  # only a kept dict of arrays gets chunk inputs
        out.metrics, out.inputs = {}, {}
        return out

    def account(out: _ChunkOut) -> None:
        partials[out.c0] = out.block_sums
        done[0] += out.c1 - out.c0
        if progress is not None:
            progress(done[0], n)

    def run_and_store(c0: int, c1: int) -> _ChunkOut:
        kept = _Kept(kept_ledger, kept_kpis, c0 - start0) if c0 - start0 < keep else None
        return store(_run_chunk(run, c0, c1, kept))

    tasks = [(c0, min(stop0, c0 + chunk_size)) for c0 in starts]
    if forked:
        for out in forked_map(run_and_store, (), tasks, min(nw, len(starts))):
            account(out)
    elif nw <= 1 or len(starts) == 1:
        for task in tasks:
            account(run_and_store(*task))
    else:
        # imported here: concurrent.futures (and its logging) is 2 ms of every `validate`
        from concurrent.futures import ThreadPoolExecutor, as_completed

        with ThreadPoolExecutor(max_workers=nw) as pool:
            futures = [pool.submit(run_and_store, *task) for task in tasks]
            try:
                for fut in as_completed(futures):
                    account(fut.result())
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
