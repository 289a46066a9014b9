"""What every command shares: JSON output, loading a plan, the lazy progress bar, languages."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from rich.console import Console

from ..errors import UserError
from ..format import json_safe

err = Console(stderr=True)


def clean(x: Any) -> Any:
    """JSON-safe: NaN/inf → null, numpy scalars → Python (:func:`report.document.json_safe`)."""
    return json_safe(x)


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


def progress(label: str, unit: str = "samples") -> LazyProgress:
    return LazyProgress(label, sys.stderr.isatty(), unit)
