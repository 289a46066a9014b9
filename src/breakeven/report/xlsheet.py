"""Cells shared by the workbook's sheets: column letters, sheet references, statement rows."""

from __future__ import annotations

from typing import Any

import numpy as np

from .i18n import t
from .view import StatementRow, View


def col(c: int) -> str:
    """0-based column index → Excel letters."""
    s = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


def quoted(sheet: str) -> str:
    """A sheet name as formulas refer to it."""
    return "'" + sheet.replace("'", "''") + "'"


def statement_row(
    ws: Any,
    F: dict[str, Any],
    v: View,
    rw: StatementRow,
    row: int,
    vals: dict[str, np.ndarray],
    where: dict[str, int],
    first_col: int,
    lang: str,
    formulas: list[str] | None = None,
    simulated: bool = False,
) -> None:
    """One statement row: label, line code, the months, then the years. A detail line is its
    values, or ``formulas`` (one per month) when given; opening cash is the previous month's
    cash; totals and derived lines are formulas over the rows in ``where``. Every formula
    carries its value, for readers that do not calculate. ``simulated``: detail values are the
    engine's, marked as a modeller marks hard-coded inputs."""
    H = v.months
    years = (H + 11) // 12
    ycol0 = first_col + H
    text = t("xl.cash_start", lang) if rw.name == "cash_start" else v.label(rw.name, lang)
    bold = rw.role in ("total", "derived")
    ws.write_string(row, 0, text, F["label_b"] if bold else F["label"])
    ws.write_string(row, 1, rw.name)
    mf = F["money_b"] if bold else F["money"]
    series = vals[rw.name]
    for m in range(H):
        c = first_col + m
        cell_val = float(series[m])
        if rw.role == "detail" and formulas is not None:
            ws.write_formula(row, c, "=" + formulas[m], mf, cell_val)
        elif rw.role == "detail" or (rw.role == "cash_start" and m == 0):
            ws.write_number(row, c, cell_val, F["money_sim"] if simulated else mf)
        elif rw.role == "cash_start":
            ws.write_formula(row, c, f"={col(c - 1)}{where['cash'] + 1}", mf, cell_val)
        elif rw.role == "total":
            if rw.terms:
                first, last = where[rw.terms[0][1]], where[rw.terms[-1][1]]
                f = f"=SUM({col(c)}{first + 1}:{col(c)}{last + 1})"
            else:
                f = "=0"
            ws.write_formula(row, c, f, mf, cell_val)
        else:
            f = "=" + "".join(
                ("+" if s > 0 else "-") + f"{col(c)}{where[n] + 1}" for s, n in rw.terms
            ).lstrip("+")
            ws.write_formula(row, c, f, mf, cell_val)
    yf = F["money_yb"] if bold else F["money_y"]
    for y in range(years):
        c = ycol0 + y
        a, b = first_col + 12 * y, first_col + min(12 * y + 11, H - 1)
        if rw.name == "cash":
            f, yv = f"={col(b)}{row + 1}", float(series[min(12 * y + 11, H - 1)])
        elif rw.name == "cash_start":
            f, yv = f"={col(a)}{row + 1}", float(series[12 * y])
        else:
            f, yv = (
                f"=SUM({col(a)}{row + 1}:{col(b)}{row + 1})",
                float(series[12 * y : 12 * y + 12].sum()),
            )
        ws.write_formula(row, c, f, yf, yv)
