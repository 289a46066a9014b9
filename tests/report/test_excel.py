"""The workbook reads back with the right sheets, and every statement adds up in every column."""

from __future__ import annotations

import numpy as np
import pytest

from breakeven.engine.labels import input_label
from breakeven.report.excel import write_excel
from breakeven.report.view import statement_layout

from . import results

openpyxl = pytest.importorskip("openpyxl")

STATEMENTS_EN = ["Statement P50", "Statement P10", "Statement P90", "Statement mean"]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("xl") / "plan.xlsx"
    write_excel(results(), path, lang="en")
    return path


def _rows(ws):
    """line code (column B) → list of monthly values (cached values of formulas)."""
    out = {}
    header = None
    for row in ws.iter_rows(values_only=True):
        if row[0] == "line":
            header = row
            continue
        if header and row[1]:
            out[row[1]] = row[2:]
    return header, out


def test_sheets(workbook):
    wb = openpyxl.load_workbook(workbook, read_only=True)
    assert wb.sheetnames == [
        "Summary",
        "Inputs",
        "Base case",
        "Charts",
        *STATEMENTS_EN,
        "Sensitivity",
        "Samples",
    ]


@pytest.mark.parametrize("sheet", STATEMENTS_EN)
def test_statement_adds_up_in_every_column(workbook, sheet):
    r = results()
    wb = openpyxl.load_workbook(workbook, data_only=True)
    header, rows = _rows(wb[sheet])
    H = r.months
    years = (H + 11) // 12
    dates = [d.strftime("%Y-%m") for d in header[2 : 2 + H]]
    assert dates == r.calendar  # months are dates, then the years
    assert list(header[2 + H :]) == [
        f"year {y + 1} ({r.calendar[12 * y]}–{r.calendar[min(12 * y + 11, H - 1)]})"
        if min(12 * y + 11, H - 1) > 12 * y
        else f"year {y + 1} ({r.calendar[12 * y]})"
        for y in range(years)
    ]
    for c in range(H + years):
        rev, cor, opex, ebitda = (
            float(rows[k][c])
            for k in ("revenue", "cost_of_revenue", "operating_expenses", "ebitda")
        )
        tol = 1e-6 * max(1.0, abs(rev), abs(opex))
        assert rev - cor - opex == pytest.approx(ebitda, abs=tol), (sheet, c)
        details = [k for k in rows if k.startswith("revenue.")]
        assert sum(float(rows[k][c]) for k in details) == pytest.approx(rev, abs=tol)
        assert float(rows["gross_profit"][c]) == pytest.approx(rev - cor, abs=tol)
        assert float(rows["net_cash_flow"][c]) == pytest.approx(
            float(rows["free_cash_flow"][c]) + float(rows["funding"][c]), abs=tol
        )
    for m in range(H):  # cash rolls forward month by month
        assert float(rows["cash"][m]) == pytest.approx(
            float(rows["cash_start"][m]) + float(rows["net_cash_flow"][m]), rel=1e-9, abs=1e-3
        )


def test_statement_totals_are_formulas_and_details_values(workbook):
    wb = openpyxl.load_workbook(workbook)  # formulas, not cached values
    _, rows = _rows(wb["Statement P50"])
    assert str(rows["revenue"][0]).startswith("=SUM(")
    assert str(rows["ebitda"][0]).startswith("=")
    assert isinstance(rows["revenue.subscription"][0], (int, float))


def test_p50_statement_is_the_median_npv_sample(workbook):
    r = results()
    reps = r.representative_samples()
    kept_npv = r.metrics["npv"][: r.kept]
    i = reps["p50"]
    assert np.mean(kept_npv < kept_npv[i]) == pytest.approx(0.5, abs=0.01)
    assert kept_npv[reps["p10"]] < kept_npv[i] < kept_npv[reps["p90"]]
    wb = openpyxl.load_workbook(workbook, data_only=True)
    ws = wb["Statement P50"]
    assert f"#{i}" in ws["A2"].value  # the sheet names its sample
    _, rows = _rows(ws)
    assert np.allclose([float(v) for v in rows["ebitda"][: r.months]], r.line("ebitda")[i])


def test_summary_assumptions_and_samples(workbook):
    r = results()
    wb = openpyxl.load_workbook(workbook, read_only=True)
    summary = list(wb["Summary"].iter_rows(values_only=True))
    assert summary[0][0] == r.scenario.name
    flat = [c for row in summary for c in row if c is not None]
    assert r.headline() in flat and "Break-even month" in flat
    inputs = [row[0] for row in wb["Inputs"].iter_rows(min_row=2, values_only=True)]
    # inputs by name (list items by their names), never by index
    assert inputs == [input_label(r.scenario, k) for k in r.input_table]
    assert "company.team[research & engineering].cost_per_person_per_year" in inputs
    used_at = [row[8] for row in wb["Inputs"].iter_rows(min_row=2, values_only=True)]
    assert "company.team[research & engineering].cost_per_person_per_year" in used_at
    assert not any(".team.0." in (x or "") for x in used_at)
    samples = list(wb["Samples"].iter_rows(min_row=2, values_only=True))
    assert samples[0][0] == "sample" and "npv" in samples[0]
    assert len(samples) - 1 == r.samples
    col = samples[0].index("npv")
    assert samples[1][col] == pytest.approx(r.metrics["npv"][0])


def test_layout_covers_every_line():
    r = results()
    names = {row.name for row in statement_layout(r.lines)}
    assert set(r.detail_lines) <= names
    assert {"revenue", "cost_of_revenue", "ebitda", "free_cash_flow", "cash"} <= names


def test_chinese_workbook(tmp_path):
    path = write_excel(results(), tmp_path / "计划.xlsx", lang="zh")
    wb = openpyxl.load_workbook(path, data_only=True)
    assert wb.sheetnames[:5] == ["摘要", "输入", "基准情形", "图表", "报表 P50"]
    _, rows = _rows_zh(wb["报表 P50"])
    assert "revenue" in rows and "ebitda" in rows


def _rows_zh(ws):
    out, header = {}, None
    for row in ws.iter_rows(values_only=True):
        if row[0] == "科目":
            header = row
            continue
        if header and row[1]:
            out[row[1]] = row[2:]
    return header, out


def test_inputs_are_named_cells_at_their_medians(workbook):
    """Every input has a named base-case cell (column H) holding its median."""
    r = results()
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Inputs"]
    names = {dn.attr_text: key for key, dn in wb.defined_names.items()}
    order = list(r.input_table)
    got = 0
    for i, row in enumerate(ws.iter_rows(min_row=2)):
        defined, base = row[1].value, row[7]
        ref = f"'Inputs'!$H${base.row}"
        assert names.get(ref) == defined and defined.startswith("in_"), defined
        med = float(r.input_table[order[i]].dist.ppf(np.array([0.5]))[0])
        assert base.value == pytest.approx(med, rel=1e-12), defined
        got += 1
    assert got == len(r.input_table)


def test_base_case_lines_are_formulas_over_named_inputs(workbook):
    wb = openpyxl.load_workbook(workbook)
    rows = {row[1]: row for row in wb["Base case"].iter_rows(values_only=True) if row[1]}
    people = rows["opex.people"]
    assert people[2] == "formula" and "in_company_team_0_cost_per_person_per_year" in people[3]
    assert rows["revenue.subscription"][3].startswith("=D")  # paying users × price …
    assert rows["opex.marketing"][2] == "simulated"  # paid acquisition fills the market
    assert isinstance(rows["opex.marketing"][3], int | float)  # a value, not a formula


def test_charts_and_sensitivity(workbook):
    import zipfile

    with zipfile.ZipFile(workbook) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 3  # cash, revenue and costs, the tornado
    wb = openpyxl.load_workbook(workbook, read_only=True)
    rows = list(wb["Sensitivity"].iter_rows(min_row=5, values_only=True))
    assert rows[0][8] == 1 and rows[0][0]  # rank 1 first, by name
