"""Excel workbook of a run: a model an analyst can keep, not a printout.

Sheets: Summary; Inputs (every input's distribution, unit and p10/p50/p90, and its base-case value
as a named cell); Base case (the plan with every input at its median, month by month, with
formulas over the named inputs where the arithmetic is closed-form: :mod:`.excel_model`); Charts
(native Excel charts of cash and of revenue against costs); Statement P50 / P10 / P90 (the whole
ledger of the kept sample whose NPV sits at that quantile, named on the sheet) and Statement
mean (means add up too); Sensitivity (the tornado of NPV); Samples (metrics and inputs, one row
per sample).

A statement must add up, so it is never a column of per-line medians. Detail lines of a sample
are values; totals, profit lines and cash are formulas over the rows above (with their values
cached, so readers that do not calculate see the numbers too). Months are dates; money shows in
thousands or millions (万 or 亿 in Chinese, :mod:`.xlformat`) at widths that fit.

The layout is the ledger's declared statement (:func:`breakeven.report.view.statement_layout`),
shared with the HTML report.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from ..engine import Results
from ..files import atomic_write
from ..format import money
from .excel_model import (
    base_case_sheet,
    charts_sheet,
    inputs_sheet,
    month_dates,
    sensitivity_sheet,
)
from .i18n import resolve, t
from .text import headline, metric_kind, milestone_condition
from .view import StatementRow, View, as_view, statement_values
from .xlformat import date_format, money_format, value_format
from .xlsheet import statement_row

MONTH_WIDTH = 12  # a month's column: "-¥1,234.5M", "¥57582.9万" fit
YEAR_WIDTH = 13


def _num(x: Any) -> float | None:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _sheet_name(s: str) -> str:
    for ch in "[]:*?/\\":
        s = s.replace(ch, " ")
    return s[:31]


def write_excel(
    results: View | Results,
    path: str | Path,
    lang: str | None = None,
    max_sample_rows: int = 100_000,
    active: str | None = None,
) -> Path:
    """Write the workbook to ``path`` (.xlsx, atomically); returns the path.

    The tornado is computed if the view has none. ``active``: the key of the sheet it opens on
    (``"base"``, ``"charts"``…; default the summary)."""
    v = as_view(results)
    lang = resolve(lang)
    return atomic_write(path, lambda tmp: _workbook(v, tmp, lang, max_sample_rows, active))


def _largest(arrays: list[np.ndarray]) -> float:
    fin = [np.abs(a[np.isfinite(a)]) for a in arrays]
    return float(max((float(a.max()) for a in fin if a.size), default=0.0))


def _whole(xs: np.ndarray) -> bool:
    """Whether every finite value is a whole number (a count, a flag)."""
    fin = xs[np.isfinite(xs)]
    return bool(np.all(fin == np.round(fin)))


def _formats(wb: Any, v: View, monthly: float, yearly_: float, lang: str) -> dict[str, Any]:
    cur = v.currency
    mfmt, yfmt = money_format(cur, lang, monthly), money_format(cur, lang, yearly_)
    fmt = wb.add_format
    return {
        "title": fmt({"bold": True, "font_size": 14}),
        "bold": fmt({"bold": True}),
        "wrap": fmt({"text_wrap": True, "valign": "top"}),
        "head": fmt({"bold": True, "bottom": 1, "bg_color": "#EEF2F7", "align": "center"}),
        "head_wrap": fmt(
            {"bold": True, "bottom": 1, "bg_color": "#EEF2F7", "align": "center", "text_wrap": True}
        ),
        "headl": fmt({"bold": True, "bottom": 1, "bg_color": "#EEF2F7"}),
        "date_head": fmt(
            {
                "bold": True,
                "bottom": 1,
                "bg_color": "#EEF2F7",
                "align": "center",
                "num_format": date_format(lang),
            }
        ),
        "note": fmt({"italic": True, "font_color": "#555555"}),
        "money": fmt({"num_format": mfmt}),
        "money_sim": fmt({"num_format": mfmt, "font_color": "#1F4E79"}),
        "money_b": fmt({"num_format": mfmt, "bold": True, "top": 1}),
        "money_y": fmt({"num_format": yfmt, "bg_color": "#F7F7F7"}),
        "money_yb": fmt({"num_format": yfmt, "bold": True, "top": 1, "bg_color": "#F7F7F7"}),
        "count": fmt({"num_format": "#,##0"}),
        "pct": fmt({"num_format": "0.0%"}),
        "month": fmt({"num_format": "0.0"}),
        "label": fmt({"indent": 1}),
        "label_b": fmt({"bold": True}),
    }


def _workbook(v: View, path: Path, lang: str, max_sample_rows: int, active: str | None) -> None:
    import xlsxwriter

    from ..analysis.base_case import base_case

    r = v.results
    base = base_case(r.scenario, r.seed)
    rows = v.statement
    means = statement_values(r, rows, sample=None)
    base_vals = statement_values(base, rows, sample=0)
    monthly = _largest([*means.values(), *base_vals.values()])
    yearly_ = 12 * monthly
    wb = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    F = _formats(wb, v, monthly, yearly_, lang)
    cache: dict[tuple[str, str], Any] = {}

    def fmt_for(
        x: float, domain: str, unit: str, base_cell: bool = False, whole: bool = False
    ) -> Any:
        """The format of values up to ``x``: compact, with the currency when it is money."""
        cur = v.currency if unit.startswith(v.currency) else None
        key = (value_format(x, domain, lang, cur, whole), "b" if base_cell else "")
        if key not in cache:
            spec: dict[str, Any] = {"num_format": key[0]}
            if base_cell:  # a modeller's input cell: change it and the formulas follow
                spec |= {"bg_color": "#FFF2CC", "font_color": "#1F4E79", "border": 1}
            cache[key] = wb.add_format(spec)
        return cache[key]

    F["for_value"] = fmt_for

    sheets: dict[str, Any] = {}
    sheets["summary"] = _summary_sheet(wb, F, v, lang)
    names = inputs_sheet(wb, F, v, base, _sheet_name(t("xl.inputs", lang)), lang, fmt_for)
    bs = base_case_sheet(wb, F, v, base, names, _sheet_name(t("xl.base_case", lang)), lang)
    charts_sheet(
        wb,
        bs,
        v,
        _sheet_name(t("xl.charts", lang)),
        lang,
        money_format(v.currency, lang, _largest([base_vals["cash"]])),
    )
    sheets["base"] = wb.get_worksheet_by_name(bs.name)
    sheets["charts"] = wb.get_worksheet_by_name(_sheet_name(t("xl.charts", lang)))

    reps = r.representative_samples() if r.kept else {}
    for stat in reps:
        i = reps[stat]
        label = t(
            "xl.sample_label",
            lang,
            i=i,
            stat=stat.upper(),
            npv=money(float(r.metrics["npv"][i]), v.currency, lang),
        )
        _statement_sheet(
            wb,
            F,
            v,
            rows,
            statement_values(r, rows, sample=i),
            _sheet_name(t("xl.statement", lang, stat=stat.upper())),
            label,
            lang,
            kpis={k: r.kpi(k)[i] for k in r.kpi_names},
        )
    _statement_sheet(
        wb,
        F,
        v,
        rows,
        means,
        _sheet_name(t("xl.mean_statement", lang)),
        t("xl.mean_label", lang, n=f"{r.samples:,}"),
        lang,
        kpis={k: r.monthly_mean(k) for k in r.kpi_names},
    )
    sensitivity_sheet(wb, F, v, _sheet_name(t("xl.sensitivity", lang)), lang, fmt_for)
    _samples_sheet(wb, F, v, lang, max_sample_rows)
    if active in sheets:
        sheets[active].activate()
    wb.close()


def _summary_sheet(wb: Any, F: dict[str, Any], v: View, lang: str) -> Any:
    r = v.results
    ws = wb.add_worksheet(_sheet_name(t("xl.summary", lang)))
    ws.set_column(0, 0, 34)
    ws.set_column(1, 6, 14)
    ws.set_column(7, 7, 90)
    row = 0
    ws.write(row, 0, v.name, F["title"])
    row += 2
    for key, val in (
        ("xl.description", v.description),
        ("xl.samples_n", r.samples),
        ("xl.seed", r.seed),
        ("xl.horizon", r.months),
        ("xl.start", r.start),
        ("xl.currency", v.currency),
        ("xl.headline", headline(v, lang)),
    ):
        ws.write(row, 0, t(key, lang), F["bold"])
        if isinstance(val, str):
            ws.write_string(row, 1, val)
        else:
            ws.write_number(row, 1, val, F["count"])
        row += 1
    pr = v.probabilities
    for key in ("p_breakeven", "p_cash_out"):
        ws.write(row, 0, t(key, lang), F["bold"])
        ws.write_number(row, 1, pr[key], F["pct"])
        row += 1
    row += 1
    for c, h in enumerate(
        [
            t("metric", lang),
            "p10",
            "p50",
            "p90",
            t("mean", lang),
            t("undefined", lang),
            "",
            t("definition", lang),
        ]
    ):
        ws.write(row, c, h, F["headl"] if c in (0, 7) else F["head"])
    row += 1
    kind_fmt = {"month": F["month"], "ratio": F["pct"], "count": F["count"], "money": F["money"]}
    for name, s in v.metrics.items():
        fmt = kind_fmt[metric_kind(name)]
        ws.write_string(row, 0, v.label(name, lang))
        for c, k in enumerate(("p10", "p50", "p90", "mean"), start=1):
            x = _num(s[k])
            if x is None:
                ws.write_string(row, c, t("beyond", lang, H=r.months) if k != "mean" else "—")
            else:
                ws.write_number(row, c, x, fmt)
        ws.write_number(row, 5, s["undefined_share"], F["pct"])
        ws.write_string(row, 7, v.doc(name, lang))
        row += 1
    ms = v.milestones
    if ms:
        row += 1
        ws.write(row, 0, t("sec.milestones", lang), F["bold"])
        row += 1
        for c, h in enumerate(
            (
                t("milestone", lang),
                t("by_month", lang),
                t("probability", lang),
                t("condition", lang),
            )
        ):
            ws.write(row, c, h, F["head"])
        row += 1
        for m in ms:
            ws.write_string(row, 0, str(m["name"]))
            ws.write_number(row, 1, m["month"], F["count"])
            if m["probability"] is not None:
                ws.write_number(row, 2, m["probability"], F["pct"])
            ws.write_string(row, 3, milestone_condition(m, v, lang))
            row += 1
    return ws


def _samples_sheet(wb: Any, F: dict[str, Any], v: View, lang: str, max_rows: int) -> None:
    r = v.results
    ws = wb.add_worksheet(_sheet_name(t("xl.samples", lang)))
    n = min(r.samples, max_rows)
    ws.write_string(0, 0, t("xl.samples_note", lang, n=f"{n:,}", total=f"{r.samples:,}"), F["note"])
    cols = [("metric", k, x) for k, x in r.metrics.items()] + [
        ("input", k, x) for k, x in r.inputs.items()
    ]
    ws.write(1, 0, "sample", F["head"])
    ws.set_column(0, 0, 8)
    ws.set_column(1, len(cols), 16)
    labels = {a["input"]: a["label"] for a in v.assumptions}
    for c, (_kind, k, _) in enumerate(cols, start=1):
        ws.write_string(1, c, labels.get(k, k), F["head"])
    ws.freeze_panes(2, 1)
    kind_fmt = {"month": F["month"], "ratio": F["pct"], "count": F["count"], "money": F["money"]}
    col_fmt = []
    for kind, k, x in cols:
        if kind == "metric":
            col_fmt.append(kind_fmt[metric_kind(k)])
        else:
            dom = r.input_table[k].domain
            med = float(np.nanmedian(np.asarray(x, dtype=float))) if len(x) else 0.0
            col_fmt.append(wb.add_format({"num_format": value_format(med, dom, lang)}))
    arrays = [x for _, _, x in cols]
    block = 4096
    for s0 in range(0, n, block):
        chunk = [np.asarray(a[s0 : s0 + block], dtype=float).tolist() for a in arrays]
        for j in range(min(block, n - s0)):
            rr = 2 + s0 + j
            ws.write_number(rr, 0, s0 + j)
            for c, vals in enumerate(chunk, start=1):
                x = vals[j]
                if math.isfinite(x):
                    ws.write_number(rr, c, x, col_fmt[c - 1])


def _statement_sheet(
    wb: Any,
    F: dict[str, Any],
    v: View,
    rows: list[StatementRow],
    vals: dict[str, np.ndarray],
    name: str,
    label: str,
    lang: str,
    kpis: dict[str, np.ndarray],
) -> None:
    """One statement: rows × (months, then years); totals and cash as formulas."""
    ws = wb.add_worksheet(name)
    H = v.months
    years = (H + 11) // 12
    first_col = 2  # A: label, B: line code, then months
    ycol0 = first_col + H  # year columns after the months
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 30)
    ws.set_column(first_col, first_col + H - 1, MONTH_WIDTH)
    ws.set_column(ycol0, ycol0 + years - 1, YEAR_WIDTH)
    ws.write_string(0, 0, v.name, F["title"])
    ws.write_string(1, 0, label, F["note"])
    hr = 3  # header row
    ws.write(hr, 0, t("line", lang), F["headl"])
    ws.write(hr, 1, "", F["head"])
    for m, day in enumerate(month_dates(v)):
        ws.write_datetime(hr, first_col + m, day, F["date_head"])
    for y in range(years):
        ws.write_string(hr, ycol0 + y, v.year_name(y, lang), F["head"])
    ws.freeze_panes(hr + 1, first_col)
    where = {rw.name: hr + 1 + k for k, rw in enumerate(rows)}
    for rw in rows:
        statement_row(ws, F, v, rw, where[rw.name], vals, where, first_col, lang)
    row = hr + 1 + len(rows)
    if kpis:  # operating figures below the statement
        row += 1
        ws.write_string(row, 0, t("xl.kpis", lang), F["bold"])
        row += 1
        for k, arr in kpis.items():
            xs = np.asarray(arr, dtype=float)
            kf = F["for_value"](_largest([xs]), "", "", whole=_whole(xs))
            ws.write_string(row, 0, v.label(k, lang), F["label"])
            ws.write_string(row, 1, k)
            for m in range(H):
                x = float(xs[m])
                if math.isfinite(x):
                    ws.write_number(row, first_col + m, x, kf)
            row += 1
