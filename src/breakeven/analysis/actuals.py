"""Actuals: what a plan's company really did, month by month, read from a CSV file or a sheet.

One row per calendar month (``month``: ``2025-03``, or the plan's month number ``1…H``), one
column per observed output, named as ``breakeven outputs`` names them (``active_users``,
``paying_users``, ``revenue.subscription``, ``cogs.inference``, ``opex.people``, ``cash``…); any
subset, empty cells for months not known. A column ``NAME.error`` gives that series' measurement
uncertainty per month (a relative standard deviation: ``5%`` or ``0.05``); otherwise the default
applies. Numbers read like a plan's (``1.5M``, ``2亿``, ``1,200``). Every problem is reported at
once as ``file:line: column: what is wrong (got …)``.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import Problem, ScenarioError, UncertainError
from ..format import month_label
from ..models.distributions import check_magnitude, parse_number

Array = NDArray[np.float64]

ERROR_SUFFIX = ".error"
MONTH_COLUMN = "month"
_MONTH_RE = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?\s*$")
MAX_ERROR = 2.0  # a relative error above 200% says nothing; most likely a typo


@dataclass(frozen=True)
class Series:
    """One observed output: its values and relative errors by plan month (index 0 = month 1;
    NaN where not observed), and the file line of each observed month (for messages)."""

    name: str
    values: Array
    errors: Array
    lines: dict[int, int] = field(default_factory=dict)

    @property
    def observed(self) -> NDArray[np.bool_]:
        return np.isfinite(self.values)

    @property
    def count(self) -> int:
        return int(self.observed.sum())


@dataclass(frozen=True)
class Actuals:
    """Observed series of one plan, aligned to its months (1 = the plan's start)."""

    file: str
    start: date
    months: int  # the last observed month: series arrays have this length
    series: dict[str, Series]

    @property
    def first_month(self) -> int:
        """The first month (1-based) with any observation."""
        obs = np.zeros(self.months, dtype=bool)
        for s in self.series.values():
            obs |= s.observed
        return int(np.argmax(obs)) + 1

    @property
    def period(self) -> str:
        """The calendar months observed, as 2025-01 to 2025-06."""
        a = month_label(self.start, self.first_month)
        b = month_label(self.start, self.months)
        return a if a == b else f"{a} to {b}"

    @property
    def months_observed(self) -> int:
        """How many months have any observation."""
        return len({int(t) for s in self.series.values() for t in np.flatnonzero(s.observed)})

    @property
    def observations(self) -> int:
        return sum(s.count for s in self.series.values())

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per month with any observation: month label and each series' value."""
        rows = []
        for t in range(self.months):
            vals = {k: float(s.values[t]) for k, s in self.series.items() if s.observed[t]}
            if vals:
                rows.append({MONTH_COLUMN: month_label(self.start, t + 1), **vals})
        return rows


def _month_index(raw: Any, start: date, horizon: int) -> int | str:
    """The plan month (1-based) of a ``month`` cell, or a message saying what is wrong."""
    if isinstance(raw, date):  # an Excel date cell (datetime is a date)
        raw = f"{raw.year:04d}-{raw.month:02d}"
    text = str(raw).strip()
    m = _MONTH_RE.match(text)
    if m:
        year, mon = int(m.group(1)), int(m.group(2))
        if not 1 <= mon <= 12:
            return "expected a calendar month such as 2025-03"
        k = (year * 12 + mon) - (start.year * 12 + start.month) + 1
        if k < 1:
            return f"is before the plan starts ({month_label(start, 1)})"
        if k > horizon:
            return f"is after the plan ends ({month_label(start, horizon)}, month {horizon})"
        return k
    if text.isdigit():
        k = int(text)
        if not 1 <= k <= horizon:
            return f"a month number must be 1 to {horizon}, the plan's horizon"
        return k
    return "expected a calendar month such as 2025-03, or a month number 1 to the horizon"


def _cell_number(raw: Any) -> float:
    """A cell's number, as plan numbers are read (``1.5M``, ``5%``), within their magnitude."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        try:
            x = float(raw)
        except OverflowError:  # an integer of hundreds of digits from a workbook
            raise UncertainError("expected a finite number", raw) from None
        if not math.isfinite(x):
            raise UncertainError("expected a finite number", raw)
    else:
        x = parse_number(str(raw).strip())
    check_magnitude(x, raw)
    return x


def relative_error(value: Any) -> float:
    """A relative measurement error as written (``0.05``, ``5%``): above 0 and at most 200%;
    otherwise :class:`UncertainError` saying what is wrong."""
    x = _cell_number(value)
    if not 0 < x <= MAX_ERROR:
        raise UncertainError("a relative error must be above 0 and at most 200%", value)
    return x


def _excel_rows(data: bytes, file: str, sheet: str | None) -> list[tuple[int, list[Any]]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # a corrupt or non-Excel file: say so, located at the file
        raise ScenarioError(
            [Problem(file, None, "", f"cannot read as an Excel workbook: {e}")]
        ) from None
    if sheet is not None and sheet not in wb.sheetnames:
        raise ScenarioError(
            [Problem(file, None, "", f"no sheet {sheet!r}; its sheets: {', '.join(wb.sheetnames)}")]
        )
    try:
        if sheet is not None:
            ws = wb[sheet]
        else:  # the first sheet whose first cell is "month" (a workbook may open on notes)
            ws = next(
                (
                    w
                    for w in wb.worksheets
                    if str(w.cell(1, 1).value or "").strip().lower() == "month"
                ),
                wb.worksheets[0],
            )
        rows = [
            (i, ["" if v is None else v for v in row])
            for i, row in enumerate(ws.iter_rows(values_only=True), start=1)
        ]
    except Exception as e:  # a damaged sheet inside a valid zip: say so, located at the file
        raise ScenarioError([Problem(file, None, "", f"cannot read its sheets: {e}")]) from None
    finally:
        wb.close()
    return rows


def _csv_rows(text: str, file: str) -> list[tuple[int, list[Any]]]:
    dialect: Any = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        pass
    reader = csv.reader(io.StringIO(text), dialect)
    rows: list[tuple[int, list[Any]]] = []
    try:
        for row in reader:
            rows.append((reader.line_num, list(row)))
    except csv.Error as e:  # a field beyond the csv module's limit, a NUL byte, …
        raise ScenarioError(
            [Problem(file, reader.line_num, "", f"cannot read as CSV: {e}")]
        ) from None
    return rows


def _looks_binary(text: str) -> bool:
    """Whether text holds a NUL, or control characters (other than tab, line feed, carriage
    return and form feed) in more than 1% of its first 4,096 characters: a binary file that
    happens to decode, not CSV."""
    head = text[:4096]
    if "\x00" in head:
        return True
    controls = sum(1 for c in head if ord(c) < 32 and c not in "\t\n\r\f")
    return controls > max(1, len(head) // 100)


def is_excel(data: bytes) -> bool:
    """Whether ``data`` is an Excel workbook (a zip file) rather than CSV text."""
    return data[:4] == b"PK\x03\x04"


def _read_table(
    data: bytes, file: str, sheet: str | None
) -> tuple[int, list[str], list[tuple[int, list[Any]]]]:
    """The header's line, the header, and (line, cells) of each row after it, of CSV text or
    an Excel workbook; blank and # rows skipped."""
    if is_excel(data):
        rows = _excel_rows(data, file, sheet)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ScenarioError(
                [Problem(file, None, "", "not a UTF-8 CSV file or an Excel workbook")]
            ) from None
        if _looks_binary(text):
            raise ScenarioError(
                [
                    Problem(
                        file,
                        None,
                        "",
                        "not a CSV text file or an Excel workbook (it holds "
                        "control characters, as a binary file does)",
                    )
                ]
            )
        rows = _csv_rows(text, file)
    rows = [
        (i, r) for i, r in rows if any(str(c).strip() for c in r) and not str(r[0]).startswith("#")
    ]
    if not rows:
        raise ScenarioError([Problem(file, None, "", "no rows: expected a header row")])
    (line, header), body = rows[0], rows[1:]
    return line, [str(h).strip() for h in header], body


def read_actuals(
    path: str | Path,
    start: date,
    horizon: int,
    observable: Sequence[str],
    *,
    error: float = 0.1,
    sheet: str | None = None,
) -> Actuals:
    """Read an actuals file (CSV, or .xlsx) for a plan; see :func:`parse_actuals`."""
    p = Path(path)
    if not p.is_file():
        why = "a folder, not an actuals file" if p.is_dir() else "no such file"
        raise ScenarioError([Problem(str(path), None, "", why)])
    return parse_actuals(
        p.read_bytes(), str(path), start, horizon, observable, error=error, sheet=sheet
    )


def parse_actuals(
    data: bytes | str,
    file: str,
    start: date,
    horizon: int,
    observable: Sequence[str],
    *,
    error: float = 0.1,
    sheet: str | None = None,
) -> Actuals:
    """Read actuals for a plan starting in ``start`` with ``horizon`` months whose outputs are
    ``observable``; ``error`` is the default relative measurement error. Every problem (unknown
    column, month outside the plan, repeated month, bad number) raises one
    :class:`ScenarioError` listing them all, each at its line."""
    content = data.encode("utf-8") if isinstance(data, str) else data
    if sheet is not None and not is_excel(content):
        raise ScenarioError(
            [
                Problem(
                    file, None, "sheet", "a sheet is chosen only in an Excel workbook", sheet, True
                )
            ]
        )
    hline, header, body = _read_table(content, file, sheet)
    problems: list[Problem] = []

    def bad(line: int | None, col: str, msg: str, got: Any = None, has_got: bool = False) -> None:
        problems.append(Problem(file, line, col, msg, got, has_got))

    if not header or header[0].lower() != MONTH_COLUMN:
        first = header[0] if header else ""
        if len(first) > 40:  # a line with no commas, or not a header at all: say where, not all
            first = first[:37] + "…"
        bad(hline, first, f"the first column must be {MONTH_COLUMN!r}")
        raise ScenarioError(problems)
    names = list(observable)
    cols: dict[int, tuple[str, bool]] = {}  # column index → (series, is its error column)
    seen: set[str] = set()
    for j, h in enumerate(header[1:], start=1):
        if not h or h.startswith("#"):
            continue  # unnamed or commented column: notes
        is_err = h.endswith(ERROR_SUFFIX)
        name = h[: -len(ERROR_SUFFIX)] if is_err else h
        if h in seen:
            bad(hline, h, "this column appears twice")
            continue
        seen.add(h)
        if name not in names:
            close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
            hint = (
                f"; did you mean {', '.join(close)}?"
                if close
                else "; `breakeven outputs` lists names"
            )
            bad(hline, h, f"this plan has no output {name!r}{hint}", h, True)
            continue
        cols[j] = (name, is_err)
    for j, (name, is_err) in list(cols.items()):
        if is_err and (name, False) not in cols.values():
            bad(hline, header[j], f"an error column needs the column {name!r} too")
            del cols[j]
    if not 0 < error <= MAX_ERROR:
        bad(None, "error", f"the default error must be above 0 and at most {MAX_ERROR:.0%}", error)

    values: dict[str, dict[int, float]] = {n: {} for n, e in cols.values() if not e}
    errors: dict[str, dict[int, float]] = {n: {} for n in values}
    lines: dict[str, dict[int, int]] = {n: {} for n in values}
    month_line: dict[int, int] = {}
    for line, row in body:
        k = _month_index(row[0] if row else "", start, horizon)
        if isinstance(k, str):
            bad(line, MONTH_COLUMN, k, row[0] if row else "", True)
            continue
        if k in month_line:
            bad(line, MONTH_COLUMN, f"month repeated (first on line {month_line[k]})", row[0], True)
            continue
        month_line[k] = line
        if any(str(c).strip() for c in row[len(header) :]):
            bad(
                line,
                "(row)",
                f"{len(row)} cells but the header has {len(header)} columns (an unquoted comma "
                "in a number?)",
            )
            continue
        for j, (name, is_err) in cols.items():
            raw = row[j] if j < len(row) else ""
            if str(raw).strip() == "":
                continue
            try:
                x = relative_error(raw) if is_err else _cell_number(raw)
            except UncertainError as e:
                bad(line, header[j], e.message, raw, True)
                continue
            if is_err:
                errors[name][k] = x
            else:
                values[name][k] = x
                lines[name][k] = line
    for name, by_month in errors.items():
        for k in by_month:
            if k not in values[name] and k in month_line:
                bad(month_line[k], f"{name}{ERROR_SUFFIX}", "an error without a value")
    if not problems and not any(values.values()):
        bad(None, "", "no observations: every value cell is empty")
    if problems:
        raise ScenarioError(problems)
    last = max(k for by_month in values.values() for k in by_month)
    series = {}
    for name, by_month in values.items():
        if not by_month:
            continue
        vals = np.full(last, np.nan)
        errs = np.full(last, float(error))
        for k, x in by_month.items():
            vals[k - 1] = x
        for k, x in errors[name].items():
            errs[k - 1] = x
        series[name] = Series(name, vals, errs, lines[name])
    return Actuals(file, start, last, series)


__all__ = [
    "Actuals",
    "Series",
    "parse_actuals",
    "read_actuals",
    "relative_error",
    "ERROR_SUFFIX",
    "MONTH_COLUMN",
]
