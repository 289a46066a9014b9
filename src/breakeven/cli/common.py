"""What every command shares: JSON output, user text for Rich, the lazy progress bar, languages.

Commands import what they need inside their functions, so that ``breakeven --version`` or
``breakeven templates`` starts without the schema, the engine, scipy or the reports
(``tests/test_startup_imports.py``).
"""

from __future__ import annotations

import json
import re
import sys
import time
from typing import Any

from rich.console import Console
from rich.markup import escape

from ..errors import UserError
from ..format import json_safe, printable


def console(stderr: bool = False) -> Console:
    """A Rich console that prints user text as written: without emoji shortcodes, which would
    turn an error on line 100 of a plan into ``plan.yaml💯`` (Rich reads ``:100:`` as one)."""
    return Console(stderr=stderr, emoji=False)


err = console(stderr=True)

# Names the commands' help lists, written out so that the command line starts without numpy and
# the estimators (tests/test_startup_imports.py checks each against its source).
METRICS = (  # breakeven.models.metrics.METRIC_DOCS, in its order
    "breakeven_month",
    "sustained_breakeven_month",
    "payback_month",
    "peak_funding_need",
    "npv",
    "runway_months",
    "ending_cash",
    "revenue_last_month",
    "ebitda_total",
    "roi",
)
PRECISIONS = ("bf16", "fp16", "fp8", "int8", "int4", "fp4")  # breakeven.compute.hardware
TRAINING_MODES = ("pretrain", "full", "lora")  # breakeven.compute.training.MODES


def clean(x: Any) -> Any:
    """JSON-safe: NaN/inf → null, numpy scalars → Python (:func:`report.document.json_safe`)."""
    return json_safe(x)


def safe(text: object) -> str:
    """User text for Rich: markup escaped, control characters shown as escapes (as
    :func:`breakeven.report.terminal.safe`, without importing the reports)."""
    return escape(printable(text))


def wrap_name(name: str, width: int) -> str:
    r"""A dotted input name broken into lines of at most ``width`` columns after its dots,
    underscores or spaces (``market.consumer.`` / ``churn_per_month``), so a narrow table wraps
    it at its parts rather than inside a word; a part longer than a line is cut at the width.

    >>> wrap_name("market.consumer.churn_per_month", 16)
    'market.consumer.\nchurn_per_month'
    """
    from rich.cells import cell_len

    width = max(width, 4)
    parts = re.findall(r"[^._ ]*[._ ]|[^._ ]+$", name)
    lines: list[str] = []
    line = ""
    for part in parts:
        while cell_len(part) > width:  # a part alone wider than a line
            if line:
                lines.append(line)
                line = ""
            lines.append(part[:width])
            part = part[width:]
        if cell_len(line + part) > width:
            lines.append(line)
            line = part
        else:
            line += part
    if line:
        lines.append(line)
    return "\n".join(x.rstrip() for x in lines)


def dump_json(obj: Any, indent: int | None = 1) -> str:
    return json.dumps(clean(obj), ensure_ascii=False, indent=indent)


def check_lang(lang: str | None) -> str | None:
    if lang is not None and lang not in ("en", "zh"):
        raise UserError(f"--lang: choose en or zh (got {lang!r})")
    return lang


class LazyProgress:
    """A progress bar that appears only when a run takes longer than a second."""

    def __init__(self, label: str, enabled: bool = True, unit: str = "samples"):
        self.t0 = time.perf_counter()
        self.bar: Any = None
        self.task: Any = None
        self.label = label
        self.enabled = enabled
        self.unit = unit

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None and time.perf_counter() - self.t0 > 1.0 and done < total:
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn(self.label),
                BarColumn(),
                TextColumn("{task.completed:,}/{task.total:,} " + self.unit),
                TimeRemainingColumn(),
                console=err,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        if self.bar is not None:
            self.bar.update(self.task, completed=done)
            if done >= total:
                self.bar.stop()

    def close(self) -> None:
        """Take the bar down, if it is up (the run ended, or stopped with an error)."""
        if self.bar is not None:
            self.bar.stop()


def progress(label: str, unit: str = "samples") -> LazyProgress:
    return LazyProgress(label, sys.stderr.isatty(), unit)
