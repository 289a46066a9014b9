"""Excel workbook of a run: summary, assumptions, monthly statements, per-sample metrics.

The statements are laid out like an accountant's: lines as rows, months as columns, then one
column per year. A statement must add up, so it is never a column of per-line medians: the P10 /
P50 / P90 statements are the whole ledger of one kept sample — the one whose NPV sits at that
quantile among kept samples, named on the sheet — and a further sheet holds the mean over all
samples (means add up too). Detail lines are values; totals, profit lines and cash are Excel
formulas over the rows above (with their values cached, so readers that do not calculate see
the numbers too).

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
from ..format import money, symbol
from .i18n import resolve, t
from .sentences import describe_dist, domain_label
from .text import headline, metric_kind, milestone_condition
from .view import StatementRow, View, as_view, statement_values, yearly


# ---------------------------------------------------------------------------- workbook
def _col(c: int) -> str:
    """0-based column index → Excel letters."""
    s = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


def _money_format(currency: str, lang: str) -> str:
    sym = symbol(currency, lang).replace('"', "")
    return f'"{sym}"#,##0;[Red]-"{sym}"#,##0;"{sym}"0'


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
) -> Path:
    """Write the workbook to ``path`` (.xlsx, atomically); returns the path.

    Sheets: summary, assumptions, statement P50 / P10 / P90 (samples at those NPV quantiles),
    statement mean, and one row per sample (metrics and sampled inputs, up to
    ``max_sample_rows``)."""
    v = as_view(results, False)
    return atomic_write(path, lambda tmp: _workbook(v, tmp, resolve(lang), max_sample_rows))


def _workbook(v: View, path: Path, lang: str, max_sample_rows: int) -> None:
    import xlsxwriter

    r = v.results
    cur = r.currency
    wb = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    F = {
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "bold": wb.add_format({"bold": True}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
        "head": wb.add_format(
            {"bold": True, "bottom": 1, "bg_color": "#EEF2F7", "align": "center"}
        ),
        "headl": wb.add_format({"bold": True, "bottom": 1, "bg_color": "#EEF2F7"}),
        "note": wb.add_format({"italic": True, "font_color": "#555555"}),
        "money": wb.add_format({"num_format": _money_format(cur, lang)}),
        "money_b": wb.add_format({"num_format": _money_format(cur, lang), "bold": True, "top": 1}),
        "money_y": wb.add_format({"num_format": _money_format(cur, lang), "bg_color": "#F7F7F7"}),
        "money_yb": wb.add_format(
            {"num_format": _money_format(cur, lang), "bold": True, "top": 1, "bg_color": "#F7F7F7"}
        ),
        "count": wb.add_format({"num_format": "#,##0"}),
        "pct": wb.add_format({"num_format": "0.0%"}),
        "num": wb.add_format({"num_format": "#,##0.####"}),
        "num2": wb.add_format({"num_format": "#,##0.00"}),
        "label": wb.add_format({"indent": 1}),
        "label_b": wb.add_format({"bold": True}),
    }

    # ------------------------------------------------------------------ summary
    ws = wb.add_worksheet(_sheet_name(t("xl.summary", lang)))
    ws.set_column(0, 0, 34)
    ws.set_column(1, 6, 16)
    ws.set_column(7, 7, 90)
    row = 0
    ws.write(row, 0, v.name, F["title"])
    row += 2
    desc = v.description
    for key, val in (
        ("xl.description", desc),
        ("xl.samples_n", r.samples),
        ("xl.seed", r.seed),
        ("xl.horizon", r.months),
        ("xl.currency", cur),
        ("xl.headline", headline(v, lang)),
    ):
        ws.write(row, 0, t(key, lang), F["bold"])
        if isinstance(val, str):
            ws.write_string(row, 1, val)
        else:
            ws.write_number(row, 1, val)
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
    kind_fmt = {"month": F["num"], "ratio": F["pct"], "count": F["count"], "money": F["money"]}
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
            ws.write_number(row, 1, m["month"])
            if m["probability"] is not None:
                ws.write_number(row, 2, m["probability"], F["pct"])
            ws.write_string(row, 3, milestone_condition(m, v, lang))
            row += 1

    # ------------------------------------------------------------------ assumptions
    ws = wb.add_worksheet(_sheet_name(t("xl.assumptions", lang)))
    heads = [
        t("input", lang),
        t("distribution", lang),
        t("domain", lang),
        "p10",
        "p50",
        "p90",
        t("used_at", lang),
    ]
    widths = [52, 60, 12, 14, 14, 14, 70]
    for c, (h, w) in enumerate(zip(heads, widths, strict=True)):
        ws.set_column(c, c, w)
        ws.write(0, c, h, F["headl"])
    ws.freeze_panes(1, 1)
    row = 1
    for a in v.assumptions:
        ws.write_string(row, 0, a["label"])
        inp = v.results.input_table.get(a["input"]) if lang == "zh" else None
        ws.write_string(row, 1, describe_dist(inp.dist, lang) if inp else a["distribution"])
        ws.write_string(row, 2, domain_label(a["domain"], lang))
        if a["quantiles"]:
            fmt = F["pct"] if a["domain"] == "fraction" else F["num"]
            for c, q in enumerate(a["quantiles"], start=3):
                if math.isfinite(q):
                    ws.write_number(row, c, float(q), fmt)
        else:
            ws.write_string(row, 3, t("fixed", lang))
        ws.write_string(
            row,
            6,
            "; ".join(
                ".".join(f"{p} ({name})" if name else p for p, name in parts)
                for parts in a["paths"]
            ),
        )
        row += 1

    # ------------------------------------------------------------------ statements
    rows = v.statement
    reps = r.representative_samples() if r.kept else {}
    for stat in reps:
        i = reps[stat]
        label = t(
            "xl.sample_label",
            lang,
            i=i,
            stat=stat.upper(),
            npv=money(float(r.metrics["npv"][i]), cur, lang),
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
        statement_values(r, rows, sample=None),
        _sheet_name(t("xl.mean_statement", lang)),
        t("xl.mean_label", lang, n=f"{r.samples:,}"),
        lang,
        kpis={k: r.monthly_mean(k) for k in r.kpi_names},
    )

    # ------------------------------------------------------------------ per-sample rows
    ws = wb.add_worksheet(_sheet_name(t("xl.samples", lang)))
    n = min(r.samples, max_sample_rows)
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
    col_fmt = []
    for kind, k, _ in cols:
        if kind == "metric":
            col_fmt.append(kind_fmt[metric_kind(k)])
        else:
            dom = r.input_table[k].domain
            col_fmt.append(F["pct"] if dom == "fraction" else F["num"])
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
    wb.close()


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
    r = v.results
    ws = wb.add_worksheet(name)
    H = r.months
    years = (H + 11) // 12
    first_col = 2  # A: label, B: line code, then months
    ycol0 = first_col + H  # year columns after the months
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 22, None, {"hidden": False})
    ws.set_column(first_col, first_col + H - 1, 13)
    ws.set_column(ycol0, ycol0 + years - 1, 15)
    ws.write_string(0, 0, v.name, F["title"])
    ws.write_string(1, 0, label, F["note"])
    hr = 3  # header row
    cal = r.calendar  # the calendar month of each column, above its plan month
    # rows in order: the workbook streams (constant memory), a row once left is final
    for m in range(H):
        ws.write_string(hr - 1, first_col + m, cal[m], F["note"])
    for y in range(years):
        span = f"{cal[12 * y]}…{cal[min(H, 12 * y + 12) - 1]}"
        ws.write_string(hr - 1, ycol0 + y, span, F["note"])
    ws.write(hr, 0, t("line", lang), F["headl"])
    ws.write(hr, 1, "", F["head"])
    for m in range(H):
        ws.write_string(hr, first_col + m, t("month_n", lang, n=m + 1), F["head"])
    for y in range(years):
        ws.write_string(hr, ycol0 + y, t("year_n", lang, n=y + 1), F["head"])
    ws.freeze_panes(hr + 1, first_col)
    where = {rw.name: hr + 1 + k for k, rw in enumerate(rows)}
    yvals = yearly(vals, H)
    row = hr + 1
    for rw in rows:
        text = t("xl.cash_start", lang) if rw.name == "cash_start" else v.label(rw.name, lang)
        bold = rw.role in ("total", "derived")
        ws.write_string(row, 0, text, F["label_b"] if bold else F["label"])
        ws.write_string(row, 1, rw.name)
        mf = F["money_b"] if bold else F["money"]
        series = vals[rw.name]
        for m in range(H):
            c = first_col + m
            cell_val = float(series[m])
            if rw.role == "detail" or (rw.role == "cash_start" and m == 0):
                ws.write_number(row, c, cell_val, mf)
            elif rw.role == "cash_start":
                ws.write_formula(row, c, f"={_col(c - 1)}{where['cash'] + 1}", mf, cell_val)
            elif rw.role == "total":
                if rw.terms:
                    first, last = where[rw.terms[0][1]], where[rw.terms[-1][1]]
                    f = f"=SUM({_col(c)}{first + 1}:{_col(c)}{last + 1})"
                else:
                    f = "=0"
                ws.write_formula(row, c, f, mf, cell_val)
            else:
                f = "=" + "".join(
                    ("+" if s > 0 else "-") + f"{_col(c)}{where[n] + 1}" for s, n in rw.terms
                ).lstrip("+")
                ws.write_formula(row, c, f, mf, cell_val)
        yf = F["money_yb"] if bold else F["money_y"]
        for y in range(years):
            c = ycol0 + y
            a, b = first_col + 12 * y, first_col + min(12 * y + 11, H - 1)
            if rw.name == "cash":
                f = f"={_col(b)}{row + 1}"
            elif rw.name == "cash_start":
                f = f"={_col(a)}{row + 1}"
            else:
                f = f"=SUM({_col(a)}{row + 1}:{_col(b)}{row + 1})"
            ws.write_formula(row, c, f, yf, yvals[rw.name][y])
        row += 1
    if kpis:  # operating figures below the statement
        row += 1
        ws.write_string(row, 0, t("xl.kpis", lang), F["bold"])
        row += 1
        for k, arr in kpis.items():
            xs = np.asarray(arr, dtype=float)
            fin = xs[np.isfinite(xs)]
            whole = fin.size == 0 or np.nanmax(np.abs(fin)) >= 1000 or np.allclose(fin, fin.round())
            kf = F["count"] if whole else F["num2"]
            ws.write_string(row, 0, v.label(k, lang), F["label"])
            ws.write_string(row, 1, k)
            for m in range(H):
                x = float(arr[m])
                if math.isfinite(x):
                    ws.write_number(row, first_col + m, x, kf)
            row += 1
