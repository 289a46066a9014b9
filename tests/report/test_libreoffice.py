"""The workbook opens in LibreOffice, whose own recalculation of every formula adds up and
matches the engine; a changed input flows through; no figure overflows its column.

LibreOffice (Debian's libreoffice-calc-nogui, installed by .ci/run) is told, through its user
profile, to recalculate every formula on load (by default it shows the cached values, which
would check nothing), then converts every sheet to CSV: once as values, once as shown.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

import breakeven
from breakeven.analysis.base_case import base_case
from breakeven.report import libreoffice
from breakeven.report.excel import write_excel
from breakeven.report.xlformat import display_width
from breakeven.scenario import templates

from . import results

pytestmark = pytest.mark.skipif(
    libreoffice.soffice() is None, reason="LibreOffice (soffice) is not installed"
)
VALUES, SHOWN = libreoffice.CSV_VALUES, libreoffice.CSV_SHOWN
openpyxl = pytest.importorskip("openpyxl")

MONTH0 = 3  # first month column on the Base case sheet (A label, B line, C how)


def convert(books: list[Path], out: Path, filt: str) -> None:
    """Every sheet of every book to ``out/<book>-<sheet>.csv``, formulas recalculated."""
    libreoffice.convert(books, out, filt)


def sheet_rows(path: Path) -> dict[str, list[str]]:
    """Line code (column B) → the row's cells."""
    return {r[1]: r for r in csv.reader(path.open(encoding="utf-8")) if len(r) > 2 and r[1]}


def check_base_case(rows: dict[str, list[str]], base) -> list[str]:
    """Every line on the recalculated Base case sheet against the engine's base case; returns
    the lines that are formulas."""
    H = base.months
    scale = np.maximum.reduce(
        [np.abs(base.line(k)[0]) for k in ("revenue", "cost_of_revenue", "operating_expenses")]
    )
    scale = np.maximum(scale, 1.0)
    checked = []
    for k, r in rows.items():
        if k not in base.lines:
            continue
        got = np.array([float(x) for x in r[MONTH0 : MONTH0 + H]])
        want = np.asarray(base.line(k)[0], dtype=float)
        # within a millionth of the month's size: the KPIs the formulas read keep 7
        # significant digits (float32)
        assert np.all(np.abs(got - want) <= 1e-6 * scale), (k, got - want)
        if r[2] in ("formula", "公式"):
            checked.append(k)
    return checked


def test_libreoffice_recalculates_the_workbook_and_it_matches_the_engine(tmp_path):
    r = results()
    book = write_excel(r, tmp_path / "plan.xlsx")
    convert([book], tmp_path, VALUES)
    # the P50 statement adds up in LibreOffice's own arithmetic
    rows = {
        k: v[2:]
        for k, v in sheet_rows(tmp_path / "plan-Statement P50.csv").items()
        if k not in ("",)
    }
    H = r.months

    def num(key, i):
        return float(rows[key][i])

    for i in range(H):
        assert num("revenue", i) - num("cost_of_revenue", i) - num(
            "operating_expenses", i
        ) == pytest.approx(num("ebitda", i), rel=1e-9, abs=1e-3)
        assert num("cash_start", i) + num("net_cash_flow", i) == pytest.approx(
            num("cash", i), rel=1e-9, abs=1e-3
        )
    # the base case: formulas where the arithmetic is closed-form, matching the engine
    base = base_case(r.scenario, r.seed)
    lines = check_base_case(sheet_rows(tmp_path / "plan-Base case.csv"), base)
    assert {
        "opex.people",
        "opex.g_and_a",
        "revenue.subscription",
        "cogs.payment_fees",
        "cogs.inference",
        "funding.equity",
        "revenue",
        "ebitda",
        "cash",
    } <= set(lines)


def test_a_changed_input_flows_through_the_formulas(tmp_path):
    """Double the membership price's named cell: subscription revenue and fees double, cash
    moves by the difference; simulated lines stay."""
    book = write_excel(results(), tmp_path / "plan.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["Inputs"]
    target = None
    for row in ws.iter_rows(min_row=2):
        if row[1].value == "in_streams_subscription_price_per_month_0":
            target = row[7]
    assert target is not None and target.value == 49
    name = wb.defined_names["in_streams_subscription_price_per_month_0"]
    assert name.attr_text.endswith(f"$H${target.row}")
    target.value *= 2
    wb.save(tmp_path / "changed.xlsx")
    convert([book, tmp_path / "changed.xlsx"], tmp_path, VALUES)
    before = sheet_rows(tmp_path / "plan-Base case.csv")
    after = sheet_rows(tmp_path / "changed-Base case.csv")
    m = 3  # month 4: before the price cut of month 25
    for k in ("revenue.subscription", "cogs.payment_fees"):
        assert float(after[k][MONTH0 + m]) == pytest.approx(2 * float(before[k][MONTH0 + m]))
    assert after["opex.marketing"][MONTH0 + m] == before["opex.marketing"][MONTH0 + m]
    gain = float(after["revenue.subscription"][MONTH0 + m]) - float(
        before["revenue.subscription"][MONTH0 + m]
    )
    fees = float(after["cogs.payment_fees"][MONTH0 + m]) - float(
        before["cogs.payment_fees"][MONTH0 + m]
    )
    assert float(after["ebitda"][MONTH0 + m]) - float(
        before["ebitda"][MONTH0 + m]
    ) == pytest.approx(gain - fees, rel=1e-9)


def test_every_template_base_case_matches_the_engine_in_libreoffice(tmp_path):
    """A wrong formula in any block fails here: each template's workbook, recalculated."""
    books, bases = [], {}
    for name in templates.names():
        sc = breakeven.load(templates.path(name))
        res = breakeven.simulate(sc, samples=256, seed=3)
        books.append(write_excel(res, tmp_path / f"{name}.xlsx", max_sample_rows=10))
        bases[name] = base_case(sc, 3)
    convert(books, tmp_path, VALUES)
    blocks_lines = set()
    for name, base in bases.items():
        lines = check_base_case(sheet_rows(tmp_path / f"{name}-Base case.csv"), base)
        assert {"revenue", "ebitda", "cash"} <= set(lines), name
        blocks_lines |= {k for k in lines if "." in k}
    # lines some block computes as formulas, somewhere among the templates
    assert {"opex.people", "funding.equity", "cogs.inference", "revenue.subscription"} <= (
        blocks_lines
    )


def _widths(ws) -> dict[int, float]:
    out = {}
    for dim in ws.column_dimensions.values():
        if dim.width:
            for c in range(dim.min, dim.max + 1):
                out[c] = dim.width
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_figure_overflows_its_column(tmp_path, lang):
    """As LibreOffice shows them, every number and date fits the width the workbook sets (a
    wide character counting two), so none turns into ###."""
    book = write_excel(results(), tmp_path / "plan.xlsx", lang=lang, max_sample_rows=50)
    convert([book], tmp_path, SHOWN)
    wb = openpyxl.load_workbook(book)
    problems, checked = [], 0
    for ws in wb.worksheets:
        shown = list(csv.reader((tmp_path / f"plan-{ws.title}.csv").open(encoding="utf-8")))
        widths = _widths(ws)
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type not in ("n", "d", "f") or cell.value is None:
                    continue
                text = shown[cell.row - 1][cell.column - 1]
                width = widths.get(cell.column, 8.43)
                checked += 1
                if display_width(text) > width:
                    problems.append(f"{ws.title}!{cell.coordinate} {text!r} > {width}")
    assert not problems, problems[:10]
    assert checked > 2000  # months × lines on every statement, inputs, summary
    if lang == "zh":
        flat = (tmp_path / "plan-基准情形.csv").read_text(encoding="utf-8")
        assert "万" in flat or "亿" in flat
        assert "2025年1月" in flat
    else:
        flat = (tmp_path / "plan-Base case.csv").read_text(encoding="utf-8")
        assert "Jan 2025" in flat and "M" in flat
