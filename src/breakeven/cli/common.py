"""What every command shares: JSON output, user text for Rich, the lazy progress bar, languages,
usage errors as one line, and the checks of the files a command writes or reads.

Commands import what they need inside their functions, so that ``breakeven --version`` or
``breakeven templates`` starts without the schema, the engine, scipy or the reports
(``tests/test_startup_imports.py``).
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from rich.console import Console

try:  # typer >= 0.16 vendors click as typer._click; older typer uses click itself
    from typer._click.exceptions import NoArgsIsHelpError, UsageError
except ImportError:  # pragma: no cover - depends on the installed typer
    from click.exceptions import NoArgsIsHelpError, UsageError  # type: ignore[assignment]

from ..errors import Problem, ScenarioError, UserError
from ..format import json_safe, printable


def console(stderr: bool = False) -> Console:
    """A Rich console that prints user text as written: without emoji shortcodes, which would
    turn an error on line 100 of a plan into ``plan.yaml💯`` (Rich reads ``:100:`` as one)."""
    from rich.console import Console

    return Console(stderr=stderr, emoji=False)


@cache
def error_console() -> Console:
    """The console for errors and warnings (stderr), made the first time something is printed on
    it: a command that prints nothing through Rich (``validate`` of a sound plan) does not import
    Rich (about 18 ms of its start on the 2-core EPYC, ``bench/startup.py``)."""
    return console(stderr=True)


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
    from rich.markup import escape

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
                console=error_console(),
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


# ------------------------------------------------------------------ usage errors


@contextmanager
def one_line_usage() -> Iterator[None]:
    """A usage error inside the block (a bad option value, an unknown option or command, a
    missing argument) printed as one line, ``breakeven: <message>``, exit status 2 — not Typer's
    boxed usage. A command line without arguments still shows its help."""
    try:
        yield
    except NoArgsIsHelpError:
        raise
    except UsageError as exc:
        typer.echo(f"breakeven: {printable(exc.format_message())}", err=True)
        raise typer.Exit(code=2) from None


class OneLineUsage(TyperGroup):
    """The app's group: its own usage errors and those of every command and subgroup under it
    (``runs list --limit 0``) as one line (:func:`one_line_usage`). The subcommands are parsed
    while this group invokes them, so one group at the top answers for all."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        with one_line_usage():
            return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        with one_line_usage():
            return super().invoke(ctx)


# ------------------------------------------------------------------ files written and read


def output_path(text: str) -> Path:
    """An output option's value as a path. An empty one is refused here, while it is still
    empty: as a Path it would be ``.``, the working folder."""
    if not text:
        raise typer.BadParameter("empty (give a path)")
    return Path(text)


def output_option(help: str, *names: str) -> Any:
    """An optional output file option (``--report``, ``--excel``, ``--out``), read by
    :func:`output_path`; its names come from the parameter, as for any Typer option, unless
    given (``"--out", "-o"``)."""
    return typer.Option(None, *names, parser=output_path, metavar="<path>", help=help)


def check_folder(path: Path, option: str) -> None:
    """The folder an output goes into can be made: the nearest part of it that exists must be a
    folder (not a file in the way). Missing folders are created when the output is written
    (:func:`breakeven.files.atomic_write`), after the work has succeeded, so a failed command
    leaves none behind."""
    parent = path.expanduser().parent
    while True:
        try:
            mode = os.stat(parent).st_mode
            break
        except FileNotFoundError:
            if parent == parent.parent:  # pragma: no cover - the root always exists
                return
            parent = parent.parent
        except OSError as e:  # no permission, a name too long
            raise UserError(
                f"{option} {path}: cannot write in {parent} ({e.strerror or e})"
            ) from None
    if not stat.S_ISDIR(mode):
        raise UserError(f"{option} {path}: {parent} is not a folder")


def check_outputs(
    targets: list[Path | None],
    options: tuple[str, ...],
    inputs: Iterable[tuple[Path | None, str]] = (),
) -> None:
    """The files a command will write, checked before any work: each goes into a folder that
    is or can be made (:func:`check_folder`); two outputs of one run may not be one file (the
    last would silently win); and no output may be a file the command reads (``inputs``: path
    and what it is), which it would replace."""
    read = {p.expanduser().resolve(): what for p, what in inputs if p is not None}
    seen: dict[Path, str] = {}
    for path, option in zip(targets, options, strict=True):
        if path is None:
            continue
        check_folder(path, option)
        key = path.expanduser().resolve()
        if key in read:
            raise UserError(
                f"{option} {path}: that is {read[key]}, which this command reads; writing there "
                "would replace it (choose another file)"
            )
        if key in seen:
            raise UserError(f"{option} and {seen[key]} name the same file ({path})")
        seen[key] = option


def check_regular(path: Path, what: str) -> None:
    """A file the command reads that exists but is not a regular file (a device such as
    /dev/null, a FIFO) is refused, located as a plan's problems are; a missing file or a folder
    is left to the reader, which says so."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        why = f"not a regular file ({what} are read from a file, not a device or FIFO)"
        raise ScenarioError([Problem(str(path), None, "", why)])
