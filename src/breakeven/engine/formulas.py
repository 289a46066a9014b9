"""Spreadsheet formulas for a block's ledger lines, where its arithmetic is closed-form.

A block may say how a line it books is computed in month t as an Excel expression over cells
(:meth:`breakeven.engine.block.Block.formulas`): its inputs' named cells, its schedules' values in
that month, and the same month's cells of KPIs or other lines. The workbook's base-case sheet
writes these expressions, so the base case is live arithmetic a reader can follow and change; a
line whose arithmetic depends on the month-by-month state of a simulation (users adopting,
cohorts churning, markets filling) stays a value. The LibreOffice test recalculates every
formula and checks it against the engine's own base case.
"""

from __future__ import annotations

from typing import Protocol

from .fields import Schedule, Uncertain


class Cells(Protocol):
    """What a block's formulas may refer to, as Excel references."""

    def input(self, leaf: Uncertain) -> str:
        """The named cell holding this input's base-case value."""
        ...

    def row(self, name: str, t: int) -> str | None:
        """The cell of KPI or ledger line ``name`` in month index t (None: not on the sheet)."""
        ...

    def fx(self, currency: str | None) -> str | None:
        """Units of the plan currency per unit of ``currency``: a named cell, "1" for the plan's
        own currency, None when the rate is not on the sheet."""
        ...


def schedule_formula(s: Schedule, t: int, cells: Cells) -> str:
    """Excel expression for schedule ``s`` in month index t (0-based), as
    :meth:`Schedule.monthly` computes it: a constant, the step in effect, or
    start × (1 + change per year)^(t / 12)."""
    if s.constant is not None:
        return cells.input(s.constant)
    if s.steps:
        keys = [max(k, 1) for k, _ in s.steps]
        now = [leaf for k, (_, leaf) in zip(keys, s.steps, strict=True) if k <= t + 1]
        # before the first step the engine leaves the month empty; plans start at month 0 or 1
        return cells.input(now[-1] if now else s.steps[0][1])
    assert s.start is not None and s.change_per_year is not None
    return f"{cells.input(s.start)}*(1+{cells.input(s.change_per_year)})^({t}/12)"


def scaled(expr: str, factor: str | None) -> str:
    """``expr`` times ``factor`` (a currency rate): unchanged when the factor is one."""
    return expr if factor in (None, "1") else f"({expr})*{factor}"
