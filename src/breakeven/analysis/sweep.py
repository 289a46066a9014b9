"""Sweep: a decision map over a grid of input values, each cell a simulation, spread over Dask.

``sweep(plan, vary={"streams.subscription.price_per_month": [29, 39, 49], "$growth": ["1%",
"3%"]})`` holds the varied inputs at every combination of their values (the Cartesian product,
the first input varying slowest) and simulates each cell with ``simulate(plan, samples, seed,
fixed={...})``: the plan itself is untouched, and every cell uses the same seed, so the cells
share common random numbers and differ only by the values held. A field path designates an input
as ``simulate(fixed=...)`` reads it: a leaf, ``$variable`` (every field using it), or a schedule's
own path (held at the value in every month).

Each cell returns P(break-even), the break-even month p50 (None: beyond the horizon), NPV p50,
peak funding need p90 and P(cash runs out).

Cells run as tasks of :mod:`breakeven.analysis.distributed` (Dask is imported only there, when
a sweep runs on it): by default (``scheduler=None`` or ``"processes"``) on a local cluster of
worker processes, one per core; ``"sync"`` runs one cell after the other in this process, no
Dask at all; an address (``tcp://host:8786``) uses an existing cluster, whose workers need the
same breakeven installed (and, for plans that name catalog models, the same price catalog).

A task receives the plan's YAML text, not the scenario object, and loads it, so nothing depends
on pickling a scenario. A cell is a deterministic simulation: its figures are bit-identical
whatever the scheduler or the number of workers.
"""

from __future__ import annotations

import difflib
import itertools
import math
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..engine import Results, build_inputs, simulate
from ..engine.inputs import InputTable
from ..errors import AnalysisError, UncertainError, UserError, show
from ..models.distributions import Domain, interval_point, parse_number
from ..scenario import load_text
from ..scenario.schema import ScenarioBase as Scenario
from .distributed import ErrorOf, Progress, check_scheduler, plan_text, pool

MAX_CELLS = 400  # a decision map, not a design of experiments: more cells are a mistake
PROBE = 0.5  # a value inside every domain: finds which inputs a path designates

# figure → (the key of a row, which way is better, label); a row holds every figure
FIGURES: dict[str, tuple[str, str, str]] = {
    "p_breakeven": ("p_breakeven", "high", "P(break-even)"),
    "breakeven_month": ("breakeven_month_p50", "low", "break-even month p50"),
    "npv": ("npv_p50", "high", "NPV p50"),
    "peak_funding_need": ("peak_funding_need_p90", "low", "peak funding need p90"),
    "p_cash_out": ("p_cash_out", "low", "P(cash runs out)"),
}
FIGURE_KEYS = tuple(k for k, _, _ in FIGURES.values())


# ---------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class SweepInput:
    """One varied input: ``ref`` as given (a path or ``$variable``), the inputs it holds, its
    label and domain, and the values of the grid (in the order given)."""

    ref: str
    inputs: tuple[str, ...]
    label: str
    domain: str
    values: tuple[float, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "inputs": list(self.inputs),
            "label": self.label,
            "domain": self.domain,
            "values": list(self.values),
        }


@dataclass(frozen=True)
class SweepTable:
    """One figure over the grid: rows are the combinations of every varied input but the last
    (with two inputs: the first input's values), columns the last input's values."""

    figure: str
    key: str
    row_inputs: tuple[str, ...]
    column_input: str
    row_values: tuple[tuple[float, ...], ...]
    column_values: tuple[float, ...]
    values: tuple[tuple[float | None, ...], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "figure": self.figure,
            "key": self.key,
            "row_inputs": list(self.row_inputs),
            "column_input": self.column_input,
            "row_values": [list(r) for r in self.row_values],
            "column_values": list(self.column_values),
            "values": [list(r) for r in self.values],
        }


@dataclass
class SweepResult:
    """The cells of a sweep: ``rows`` holds one dict per cell, in grid order (the first input
    varying slowest): the value of each varied input (keyed by its ``ref``) and the figures
    ``p_breakeven``, ``breakeven_month_p50`` (None: beyond the horizon), ``npv_p50``,
    ``peak_funding_need_p90`` and ``p_cash_out``."""

    name: str
    source: str
    currency: str
    horizon_months: int
    start: Any  # the plan's first calendar month (a date), for month labels
    samples: int
    seed: int
    inputs: list[SweepInput]
    rows: list[dict[str, Any]]
    scheduler: str
    workers: int
    elapsed_s: float
    warnings: list[str] = field(default_factory=list)
    # the facts behind the warnings, for reports in other languages
    correlated: list[str] = field(default_factory=list)  # held inputs that had correlations
    versions: tuple[str, str] | None = None  # (the workers' versions, this process's)

    @property
    def refs(self) -> list[str]:
        return [i.ref for i in self.inputs]

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(i.values) for i in self.inputs)

    def table(self, metric: str = "p_breakeven") -> SweepTable:
        """``metric`` (a figure name, or a row key such as ``npv_p50``) as a 2-D table: with two
        varied inputs, rows are the first's values and columns the second's (with one input, a
        single row; with more, one row per combination of all inputs but the last)."""
        figure, key = figure_key(metric)
        cols = self.inputs[-1]
        row_ins = self.inputs[:-1]
        ncol = len(cols.values)
        row_values = tuple(itertools.product(*(i.values for i in row_ins)))
        values = tuple(
            tuple(self.rows[r * ncol + c][key] for c in range(ncol)) for r in range(len(row_values))
        )
        return SweepTable(
            figure,
            key,
            tuple(i.ref for i in row_ins),
            cols.ref,
            row_values,
            cols.values,
            values,
        )

    def best(self, metric: str = "p_breakeven") -> dict[str, Any]:
        """The best cell by ``metric`` (highest probability of break-even or NPV; earliest
        break-even, lowest funding need or risk of running out of cash); ties go to the lower
        risk of running out of cash, then the higher NPV p50, then to the first cell in grid
        order (a plan with no starting cash is not best beside one that never runs out). An
        undefined figure is never best."""
        _, key = figure_key(metric)
        better = FIGURES[figure_key(metric)[0]][1]

        def score(row: dict[str, Any]) -> tuple[float, float, float]:
            v, out, npv = row[key], row["p_cash_out"], row["npv_p50"]
            s = -math.inf if v is None else (v if better == "high" else -v)
            return s, -math.inf if out is None else -out, -math.inf if npv is None else npv

        best = self.rows[0]
        for row in self.rows[1:]:
            if score(row) > score(best):
                best = row
        return best

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source": self.source,
            "currency": self.currency,
            "horizon_months": self.horizon_months,
            "samples": self.samples,
            "seed": self.seed,
            "vary": [i.to_dict() for i in self.inputs],
            "cells": len(self.rows),
            "figures": {k: {"key": key, "label": label} for k, (key, _, label) in FIGURES.items()},
            "rows": [dict(r) for r in self.rows],
            "scheduler": self.scheduler,
            "workers": self.workers,
            "elapsed_s": self.elapsed_s,
            "warnings": list(self.warnings),
        }


def figure_key(metric: str) -> tuple[str, str]:
    """(figure, row key) of a figure name (``npv``) or a row key (``npv_p50``); unknown →
    AnalysisError naming the closest."""
    m = str(metric).strip()
    if m in FIGURES:
        return m, FIGURES[m][0]
    for fig, (key, _, _) in FIGURES.items():
        if m == key:
            return fig, key
    choices = list(FIGURES)
    close = difflib.get_close_matches(m, choices + list(FIGURE_KEYS), n=2, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise AnalysisError(f"unknown figure {metric!r}{hint} (choose from {', '.join(choices)})")


def figures(res: Results) -> dict[str, float | None]:
    """The figures of one cell, from its simulation."""
    pr = res.probabilities
    return {
        "p_breakeven": pr["p_breakeven"],
        "breakeven_month_p50": res.metric_summary("breakeven_month")["p50"],
        "npv_p50": res.metric_summary("npv")["p50"],
        "peak_funding_need_p90": res.metric_summary("peak_funding_need")["p90"],
        "p_cash_out": pr["p_cash_out"],
    }


# ---------------------------------------------------------------------------------- the grid


def parse_vary(text: str) -> tuple[str, list[str]]:
    """``FIELD=v1,v2,…`` → (FIELD, [v1, v2, …]) as text (values separated by commas, so write
    1500 or 1.5k, not 1,500). A malformed option is a UserError."""
    s = str(text)
    example = "e.g. streams.subscription.price_per_month=29,39,49"
    if "=" not in s:
        raise UserError(f"--vary: write FIELD=v1,v2,… ({example}); got {show(s)}")
    # the first '=' outside a list item's name in brackets (a role may be called "R=D")
    depth, cut = 0, -1
    for i, ch in enumerate(s):
        depth += (ch == "[") - (ch == "]")
        if ch == "=" and depth <= 0:
            cut = i
            break
    if cut < 0:
        raise UserError(f"--vary: write FIELD=v1,v2,… ({example}); got {show(s)}")
    ref, vals = s[:cut].strip(), s[cut + 1 :]
    if not ref:
        raise UserError(f"--vary: the field is missing before '=' ({example}); got {show(s)}")
    if not vals.strip():
        raise UserError(f"--vary {ref}: no values after '=' ({example})")
    values = [v.strip() for v in vals.split(",")]
    if any(not v for v in values):
        raise UserError(
            f"--vary {ref}: an empty value between commas (separate values by single commas, "
            f"and write 1500 or 1.5k rather than 1,500); got {show(s)}"
        )
    return ref, values


def _designated(table: InputTable, ref: str) -> dict[str, bool]:
    """The inputs that holding ``ref`` fixes (as ``simulate(fixed=…)`` reads it), each with
    whether it is held at the value (False: a schedule's change per year, held at 0)."""
    try:
        after = table.with_fixed({ref: PROBE})
    except UserError as e:
        raise AnalysisError(f"vary: {e}") from None
    out: dict[str, bool] = {}
    for name, inp in table.items():
        new = after[name]
        if new is not inp:
            out[name] = bool(getattr(new.dist, "value", PROBE) == PROBE)
    return out


def _value(ref: str, v: Any, domains: Sequence[str]) -> float:
    """A value of the grid: read like a plan number, inside the domain of the field it holds."""
    try:
        x = parse_number(v)
    except UncertainError as e:
        raise AnalysisError(f"vary {ref}: {e.message} (got {show(v)})") from None
    for d in domains:
        try:
            interval_point(x, Domain(d), v)
        except UncertainError as e:
            raise AnalysisError(f"vary {ref}: {e.message} (got {show(v)})") from None
    return x


def grid(scenario: Scenario, vary: Mapping[str, Sequence[Any]]) -> list[SweepInput]:
    """The varied inputs of a sweep, checked: each designates inputs of the plan (an unknown
    path names the closest), no two hold the same input, each value reads as a number in its
    field's domain and appears once, and the grid has 1 to :data:`MAX_CELLS` cells."""
    if not vary:
        raise AnalysisError("vary: nothing to vary; give at least one input and its values")
    items: list[tuple[str, list[Any]]] = []
    for ref, values in vary.items():
        ref = str(ref).strip()
        if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
            raise AnalysisError(f"vary {ref}: give a list of values (got {show(values)})")
        items.append((ref, list(values)))
        if not items[-1][1]:
            raise AnalysisError(f"vary {ref}: no values")
    sizes = [len(v) for _, v in items]
    cells = math.prod(sizes)
    if cells > MAX_CELLS:
        raise AnalysisError(
            f"the grid has {cells:,} cells ({' × '.join(map(str, sizes))}), more than the "
            f"limit of {MAX_CELLS}; use fewer values"
        )
    table = build_inputs(scenario)
    out: list[SweepInput] = []
    held: dict[str, str] = {}  # input → the ref that holds it
    for ref, values in items:
        names = _designated(table, ref)
        for name in names:
            if name in held:
                raise AnalysisError(
                    f"vary: {held[name]} and {ref} both hold the input {name}; vary it once"
                )
            held[name] = ref
        domains = sorted({table[k].domain for k, at_value in names.items() if at_value})
        xs: list[float] = []
        for v in values:
            x = _value(ref, v, domains)
            if x in xs:
                raise AnalysisError(f"vary {ref}: the value {show(v)} is given twice")
            xs.append(x)
        out.append(SweepInput(ref, tuple(names), table.held_label(ref), domains[0], tuple(xs)))
    return out


# ---------------------------------------------------------------------------------- cells


def run_cell(
    text: str, file: str, fixed: dict[str, float], samples: int, seed: int, threads: int | None
) -> dict[str, float | None]:
    """One cell, as a task: the plan from its text, simulated with ``fixed``: its figures."""
    sc = load_text(text, file)
    res = simulate(sc, samples=samples, seed=seed, fixed=fixed, keep_ledger=0, workers=threads)
    return figures(res)


def _cell_error(tasks: list[dict[str, float]]) -> ErrorOf:
    """The error of a cell that failed, naming its values (the first one stops the sweep)."""

    def error(i: int, text: str) -> Exception:
        cell = ", ".join(f"{k} = {v:g}" for k, v in tasks[i].items())
        return AnalysisError(f"the cell {cell}: {text}")

    return error


def sweep(
    plan: Scenario | str | os.PathLike[str],
    vary: Mapping[str, Sequence[Any]],
    samples: int | None = None,
    seed: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
    *,
    workers: int | None = None,
) -> SweepResult:
    """Simulate ``plan`` on every cell of the grid ``vary`` (input path or ``$variable`` → its
    values, read like plan numbers: ``39``, ``5%``, ``1.5M``); see the module docstring.

    ``plan``: a file path, YAML text, or a scenario loaded from a file. ``samples`` and ``seed``
    (default: the plan's) are the same for every cell. ``scheduler``: None or ``"processes"`` (a
    local cluster of ``workers`` processes, default one per core, at most one per cell),
    ``"sync"`` (this process) or a Dask scheduler's address. ``progress(cells_done, cells)`` is
    called as cells finish. Returns a :class:`SweepResult`.
    """
    t0 = time.perf_counter()
    check_scheduler(scheduler)  # a bad scheduler fails before any work
    text, file = plan_text(plan)
    scenario = load_text(text, file)
    inputs = grid(scenario, vary)
    n = int(samples if samples is not None else scenario.samples)
    if n < 1:
        raise AnalysisError(f"samples must be at least 1 (got {n})")
    seed = int(seed if seed is not None else scenario.seed)

    warnings: list[str] = []
    held = {name for i in inputs for name in i.inputs}
    correlated = sorted(
        {x for a, b, _ in scenario.correlation_pairs() for x in (a, b) if x in held}
    )
    if correlated:
        warnings.append(
            f"{', '.join(correlated)} {'was' if len(correlated) == 1 else 'were'} correlated "
            "with other inputs; those correlations do not apply while held fixed."
        )

    combos = list(itertools.product(*(i.values for i in inputs)))
    tasks = [{i.ref: x for i, x in zip(inputs, combo, strict=True)} for combo in combos]
    with pool(scheduler, workers, len(tasks)) as p:
        outputs = p.map(
            run_cell,
            [(text, file, fixed, n, seed, p.threads) for fixed in tasks],
            progress=progress,
            error=_cell_error(tasks),
        )
    rows = [{**fixed, **out} for fixed, out in zip(tasks, outputs, strict=True)]
    versions = p.version_warning()
    if versions:
        warnings.append(versions)
    return SweepResult(
        name=scenario.name,
        source=file,
        currency=scenario.currency,
        horizon_months=scenario.horizon_months,
        start=getattr(scenario, "start", None),
        samples=n,
        seed=seed,
        inputs=inputs,
        rows=rows,
        scheduler=p.where,
        workers=p.workers,
        elapsed_s=time.perf_counter() - t0,
        warnings=warnings,
        correlated=correlated,
        versions=p.versions(),
    )


__all__ = [
    "FIGURES",
    "MAX_CELLS",
    "SweepInput",
    "SweepResult",
    "SweepTable",
    "figure_key",
    "figures",
    "grid",
    "parse_vary",
    "plan_text",
    "run_cell",
    "sweep",
]
