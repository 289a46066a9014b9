"""The workbook's model sheets: Inputs (named base-case cells), Base case (live formulas), Charts,
Sensitivity.

The base case is the plan with every input at its median (:mod:`breakeven.analysis.base_case`).
On the Base case sheet a ledger line is an Excel formula over the Inputs sheet's named cells when
every block booking it gives its arithmetic (:meth:`breakeven.engine.block.Block.formulas`:
people, brand marketing and G&A; funding rounds; one-tier subscriptions without promotions, and
their payment fees; serving priced per token); a line that depends on the simulation's state
(users adopting and churning, markets filling, cohorts) is the engine's value, in blue, like a
modeller's hard-coded input. Operating figures (users, tokens…) are values the formulas read.
Totals, profit lines and cash are formulas over the lines. Change a named input and the formula
lines, totals and cash follow; the simulated lines do not (rerun the plan for those).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..engine import Results, Uncertain, layout
from ..scenario.units import field_unit
from .i18n import t
from .view import StatementRow, View, statement_values
from .xlformat import money_format
from .xlsheet import col, quoted, statement_row

INPUTS_BASE_COL = 7  # H: the base-case value, the named cell
MONTH_COL = 3  # D: the first month on the Base case sheet (A label, B line, C how)


def defined_name(input_name: str, taken: set[str]) -> str:
    """An Excel name for an input: ``in_`` + its path with every other character as ``_``,
    unique in the workbook (names are case-insensitive) and at most 255 characters."""
    base = "in_" + re.sub(r"[^A-Za-z0-9_]", "_", input_name)[:240]
    name, k = base, 2
    while name.lower() in taken:
        name, k = f"{base}_{k}", k + 1
    taken.add(name.lower())
    return name


def base_value(base: Results, name: str) -> float:
    """An input's value in the base case: the median the engine used."""
    x = base.inputs.get(name)
    if x is not None and len(x):
        return float(x[0])
    return float(base.input_table[name].dist.ppf(np.array([0.5]))[0])


# ------------------------------------------------------------------------------- Inputs sheet
def inputs_sheet(
    wb: Any,
    F: dict[str, Any],
    v: View,
    base: Results,
    sheet: str,
    lang: str,
    fmt_for: Callable[..., Any],
) -> dict[str, str]:
    """Every input: label, name, distribution, unit, p10/p50/p90, base case (a named cell),
    where it is used. Returns input name → its defined name."""
    from .sentences import basis_text, describe_dist, domain_label

    ws = wb.add_worksheet(sheet)
    heads = [
        (t("input", lang), 44),
        (t("xl.name", lang), 44),
        (t("distribution", lang), 46),
        (t("xl.unit", lang), 14),
        ("p10", 12),
        ("p50", 12),
        ("p90", 12),
        (t("xl.base_case", lang), 13),
        (t("used_at", lang), 60),
    ]
    for c, (h, w) in enumerate(heads):
        ws.set_column(c, c, w)
        ws.write(0, c, h, F["headl"])
    ws.freeze_panes(1, 1)
    sc = v.results.scenario
    names: dict[str, str] = {}
    taken: set[str] = set()
    for row, a in enumerate(v.assumptions, start=1):
        inp = v.results.input_table[a["input"]]
        unit = field_unit(sc, inp.paths[0]) if inp.paths else ""
        name = defined_name(a["input"], taken)
        ws.write_string(row, 0, a["label"])
        ws.write_string(row, 1, name, F["note"])
        dist = describe_dist(inp.dist, lang) if lang == "zh" else a["distribution"]
        if a.get("basis"):
            dist += f" — {basis_text(a['basis'], lang)}"
        ws.write_string(row, 2, dist)
        ws.write_string(row, 3, unit or domain_label(a["domain"], lang))
        x = base_value(base, a["input"])
        if a["quantiles"]:
            for c, q in enumerate(a["quantiles"], start=4):
                if math.isfinite(q):
                    ws.write_number(row, c, float(q), fmt_for(float(q), a["domain"], unit))
        else:
            ws.write_string(row, 4, t("fixed", lang), F["note"])
        ws.write_number(row, INPUTS_BASE_COL, x, fmt_for(x, a["domain"], unit, True))
        wb.define_name(name, f"={quoted(sheet)}!${col(INPUTS_BASE_COL)}${row + 1}")
        names[a["input"]] = name
        ws.write_string(row, 8, "; ".join(a["paths"]))
    return names


# ------------------------------------------------------------------------------- Base case
@dataclass
class SheetCells:
    """:class:`breakeven.engine.formulas.Cells` for the Base case sheet."""

    table: Any  # the base case's InputTable
    names: dict[str, str]  # input name → defined name
    rows: dict[str, int] = field(default_factory=dict)  # KPI or line → 0-based sheet row
    currency: str = ""

    def input(self, leaf: Uncertain) -> str:
        return self.names[self.table.name(leaf)]

    def row(self, name: str, t: int) -> str | None:
        r = self.rows.get(name)
        return None if r is None or t < 0 else f"{col(MONTH_COL + t)}{r + 1}"

    def fx(self, currency: str | None) -> str | None:
        if currency is None or currency.upper() == self.currency.upper():
            return "1"
        return self.names.get(f"fx.{currency.upper()}")


def line_formulas(base: Results, cells: SheetCells) -> dict[str, list[str]]:
    """Ledger line → its formula in every month, for the lines every booking block gives."""
    lay = layout(base.scenario)
    H = base.months
    per_block = [(b, [b.formulas(cells, m) for m in range(H)]) for b in lay.graph.order]
    out: dict[str, list[str]] = {}
    for ln in lay.detail:
        bookers = [fs for b, fs in per_block if ln in b.books]
        months = []
        for m in range(H):
            parts = [fs[m].get(ln) for fs in bookers]
            if not parts or any(p is None for p in parts):
                break
            months.append("+".join(f"({p})" if len(parts) > 1 else str(p) for p in parts))
        if len(months) == H:
            out[ln] = months
    return out


def month_dates(v: View) -> list[dt.datetime]:
    """The first day of each simulated month."""
    s = v.start
    return [
        dt.datetime(s.year + (s.month - 1 + m) // 12, (s.month - 1 + m) % 12 + 1, 1)
        for m in range(v.months)
    ]


@dataclass(frozen=True)
class BaseSheet:
    """Where the Base case sheet put things, for the charts."""

    name: str
    header_row: int
    rows: dict[str, int]
    months: int


def base_case_sheet(
    wb: Any,
    F: dict[str, Any],
    v: View,
    base: Results,
    names: dict[str, str],
    sheet: str,
    lang: str,
) -> BaseSheet:
    """The base case's statement, month by month: formulas where the arithmetic is closed-form,
    the engine's values elsewhere, then the operating figures the formulas read."""
    ws = wb.add_worksheet(sheet)
    H = v.months
    years = (H + 11) // 12
    ycol0 = MONTH_COL + H
    rows: list[StatementRow] = v.statement
    vals = statement_values(base, rows, sample=0)
    kpis = {k: np.asarray(base.kpi(k)[0], dtype=float) for k in base.kpi_names}
    hr = 3
    where: dict[str, int] = {rw.name: hr + 1 + k for k, rw in enumerate(rows)}
    k0 = hr + 1 + len(rows) + 2
    for j, k in enumerate(kpis):
        where.setdefault(k, k0 + j)
    cells = SheetCells(base.input_table, names, where, base.currency)
    formulas = line_formulas(base, cells)

    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 30)
    ws.set_column(2, 2, 10)
    ws.set_column(MONTH_COL, MONTH_COL + H - 1, 12)
    ws.set_column(ycol0, ycol0 + years - 1, 13)
    ws.write_string(0, 0, t("xl.base_title", lang), F["title"])
    ws.write_string(1, 0, t("xl.base_note", lang), F["note"])
    ws.write(hr, 0, t("line", lang), F["headl"])
    ws.write(hr, 1, "", F["head"])
    ws.write(hr, 2, t("xl.how", lang), F["head"])
    for m, day in enumerate(month_dates(v)):
        ws.write_datetime(hr, MONTH_COL + m, day, F["date_head"])
    for y in range(years):
        ws.write_string(hr, ycol0 + y, v.year_name(y, lang), F["head"])
    ws.freeze_panes(hr + 1, MONTH_COL)

    for rw in rows:
        r = where[rw.name]
        how = "xl.how_formula" if rw.role != "detail" or rw.name in formulas else "xl.how_simulated"
        ws.write_string(r, 2, t(how, lang), F["note"])
        statement_row(
            ws, F, v, rw, r, vals, where, MONTH_COL, lang, formulas.get(rw.name), simulated=True
        )
    ws.write_string(k0 - 1, 0, t("xl.kpis", lang), F["bold"])
    for k, arr in kpis.items():
        r = where[k]
        ws.write_string(r, 0, v.label(k, lang), F["label"])
        ws.write_string(r, 1, k)
        ws.write_string(r, 2, t("xl.how_simulated", lang), F["note"])
        fin = arr[np.isfinite(arr)]
        whole = bool(np.all(fin == np.round(fin)))
        kf = F["for_value"](float(np.abs(fin).max()) if fin.size else 0.0, "", "", whole=whole)
        for m in range(H):
            x = float(arr[m])
            if math.isfinite(x):
                ws.write_number(r, MONTH_COL + m, x, kf)
    return BaseSheet(sheet, hr, where, H)


# ------------------------------------------------------------------------------- Charts
def charts_sheet(wb: Any, bs: BaseSheet, v: View, sheet: str, lang: str, money: str) -> None:
    """Native line charts over the Base case rows: cash, and revenue against costs."""
    ws = wb.add_worksheet(sheet)
    last = MONTH_COL + bs.months - 1
    cats = [bs.name, bs.header_row, MONTH_COL, bs.header_row, last]

    def series(chart: Any, key: str, colour: str) -> None:
        r = bs.rows[key]
        chart.add_series(
            {
                "name": v.label(key, lang),
                "categories": cats,
                "values": [bs.name, r, MONTH_COL, r, last],
                "line": {"color": colour, "width": 2},
            }
        )

    specs = (
        ("xl.chart_cash", (("cash", "#1F4E79"),)),
        (
            "xl.chart_revenue_costs",
            (
                ("revenue", "#2E7D32"),
                ("cost_of_revenue", "#C62828"),
                ("operating_expenses", "#EF6C00"),
            ),
        ),
    )
    for i, (title, keys) in enumerate(specs):
        chart = wb.add_chart({"type": "line"})
        for key, colour in keys:
            if key in bs.rows:
                series(chart, key, colour)
        chart.set_title({"name": t(title, lang)})
        chart.set_x_axis({"date_axis": True, "num_format": "mmm yy" if lang != "zh" else "yy/m"})
        chart.set_y_axis({"num_format": money.split(";")[0]})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 900, "height": 380})
        ws.insert_chart(1 + 21 * i, 1, chart)


# ------------------------------------------------------------------------------- Sensitivity
def sensitivity_sheet(
    wb: Any,
    F: dict[str, Any],
    v: View,
    sheet: str,
    lang: str,
    fmt_for: Callable[..., Any],
) -> None:
    """The tornado of NPV: each input at its p10 and p90 with the others at their medians, and
    the conditional means; a bar chart of the swings."""
    ws = wb.add_worksheet(sheet)
    tor = v.tornado
    ws.set_column(0, 0, 44)
    ws.set_column(1, 8, 14)
    ws.write_string(0, 0, t("xl.sensitivity_title", lang), F["title"])
    if tor is None:
        ws.write_string(2, 0, v.tornado_missing or "", F["note"])
        return
    ws.write_string(1, 0, t("xl.sensitivity_note", lang), F["note"])
    heads = [
        t("input", lang),
        "p10",
        "p90",
        t("xl.npv_at_low", lang),
        t("xl.npv_at_high", lang),
        t("xl.swing", lang),
        t("xl.cond_low", lang),
        t("xl.cond_high", lang),
        t("xl.rank", lang),
    ]
    hr = 3
    for c, h in enumerate(heads):
        ws.write(hr, c, h, F["headl"] if c == 0 else F["head_wrap"])
    ws.set_row(hr, 45)
    ws.freeze_panes(hr + 1, 1)
    sc = v.results.scenario
    labels = {a["input"]: a["label"] for a in v.assumptions}
    rows = list(tor)[:30]
    for i, rw in enumerate(rows):
        r = hr + 1 + i
        unit = field_unit(sc, rw["paths"][0]) if rw["paths"] else ""
        ws.write_string(r, 0, labels.get(rw["input"], rw["input"]))
        for c, key in ((1, "low"), (2, "high")):
            ws.write_number(r, c, float(rw[key]), fmt_for(float(rw[key]), rw["domain"], unit))
        for c, key in (
            (3, "metric_low"),
            (4, "metric_high"),
            (5, "swing"),
            (6, "conditional_low"),
            (7, "conditional_high"),
        ):
            ws.write_number(r, c, float(rw[key]), F["money"])
        ws.write_number(r, 8, rw["rank"])
    if rows:
        chart = wb.add_chart({"type": "bar"})
        for c, colour in ((3, "#C62828"), (4, "#2E7D32")):
            chart.add_series(
                {
                    "name": [sheet, hr, c],
                    "categories": [sheet, hr + 1, 0, hr + len(rows), 0],
                    "values": [sheet, hr + 1, c, hr + len(rows), c],
                    "fill": {"color": colour},
                }
            )
        chart.set_title({"name": t("xl.sensitivity_chart", lang)})
        largest = max(abs(float(rw[k])) for rw in rows for k in ("metric_low", "metric_high"))
        chart.set_x_axis({"num_format": money_format(v.currency, lang, largest).split(";")[0]})
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 900, "height": 60 + 24 * len(rows)})
        ws.insert_chart(hr + len(rows) + 3, 0, chart)
