"""A plan's calendar start month: read in every spelling, and shown in every output."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest

import breakeven
from breakeven.errors import ScenarioError
from breakeven.format import month, month_label

from ..conftest import TINY


def _plan(start_line: str) -> str:
    return TINY.replace("horizon_months: 3\n", f"horizon_months: 14\n{start_line}\n")


@pytest.mark.parametrize(
    "line",
    ["start: 2025-03", "start: '2025-03'", "start: 2025-03-01", "start_date: 2025-03-01"],
)
def test_start_month_spellings(line):
    assert breakeven.load_text(_plan(line)).start == date(2025, 3, 1)


@pytest.mark.parametrize("value", ["2025-13", "march", "2025", "25-03", "2025-00"])
def test_a_bad_start_month_is_a_located_error(value):
    with pytest.raises(ScenarioError) as e:
        breakeven.load_text(_plan(f"start: {value}"), "plan.yaml")
    assert "plan.yaml:4: start: expected a calendar month such as 2025-03" in str(e.value)


def test_month_label_crosses_years():
    assert month_label(date(2025, 11, 1), 1) == "2025-11"
    assert month_label(date(2025, 11, 1), 3) == "2026-01"
    assert month_label(date(2025, 11, 1), 26) == "2027-12"
    assert month(22, 60, date(2025, 1, 1)) == "22 (2026-10)"
    assert month(None, 60, date(2025, 1, 1)) == "> 60"


def test_results_name_real_months(tmp_path):
    r = breakeven.simulate(breakeven.load_text(_plan("start: 2025-11")), samples=5, seed=1)
    assert r.start == "2025-11"
    assert r.calendar[:3] == ["2025-11", "2025-12", "2026-01"] and len(r.calendar) == 14
    dates = r.ds["date"].values
    assert dates[0] == np.datetime64("2025-11-01") and dates[13] == np.datetime64("2026-12-01")
    doc = r.to_dict()
    assert doc["start"] == "2025-11" and doc["calendar"] == r.calendar
    json.dumps(doc)  # plain data


def test_workbook_and_charts_show_calendar_months(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from breakeven.report.charts import cash
    from breakeven.report.excel import write_excel
    from breakeven.report.view import View

    r = breakeven.simulate(breakeven.load_text(_plan("start: 2025-11")), samples=5, seed=1)
    v = View.of(r, False)
    axis = cash(v).layout.xaxis
    # ticks at calendar quarters (14 months → every 3), labelled with their month
    assert list(axis.ticktext) == ["2026-01", "2026-04", "2026-07", "2026-10"]
    assert list(axis.tickvals) == [3, 6, 9, 12]
    path = tmp_path / "plan.xlsx"
    write_excel(v, path)
    ws = openpyxl.load_workbook(path, read_only=True)["Statement P50"]
    header = next(ws.iter_rows(min_row=4, max_row=4, values_only=True))
    assert [d.strftime("%Y-%m") for d in header[2:5]] == ["2025-11", "2025-12", "2026-01"]
    # the yearly totals name their months: 14 months from 2025-11 are a year and two months
    assert list(header[2 + 14 : 2 + 16]) == ["year 1 (2025-11–2026-10)", "year 2 (2026-11–2026-12)"]
    assert v.year_name(1, "zh") == "第 2 年 (2026-11–2026-12)"
    assert v.year_name(0, "en", narrow=True) == "year 1\n2025-11"
    one = breakeven.simulate(
        breakeven.load_text(
            _plan("start: 2025-11").replace("horizon_months: 14", "horizon_months: 13")
        ),
        samples=5,
        seed=1,
    )
    assert View.of(one, False).year_name(1, "en") == "year 2 (2026-11)"  # a one-month year


def test_terminal_headline_names_the_calendar_month(cli, write):
    code, out, err = cli("run", write(_plan("start: 2025-11")), "-n", "20")
    assert code == 0, err
    assert "months from 2025-11" in out
    assert "2026-11" in out  # year 2's first month, under its column
