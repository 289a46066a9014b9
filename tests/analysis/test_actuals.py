"""Reading actuals: months aligned to the plan, numbers as plans write them, every problem located."""

from datetime import date, datetime

import numpy as np
import pytest

from breakeven.analysis.actuals import parse_actuals, read_actuals
from breakeven.errors import ScenarioError

START = date(2025, 3, 1)
NAMES = ["active_users", "paying_users", "revenue.subscription", "cash"]


def parse(text: str, **kw):
    return parse_actuals(text, "a.csv", START, 24, NAMES, **kw)


def problems(text: str, **kw) -> list[str]:
    with pytest.raises(ScenarioError) as e:
        parse(text, **kw)
    return [str(p) for p in e.value.problems]


def test_months_are_aligned_to_the_plan_with_gaps_and_error_columns():
    a = parse(
        "# a comment line\n"
        "month,active_users,cash,cash.error\n"
        "2025-03,1.5M,600M,1%\n"
        "2025-05,,550M,\n"  # April missing, users missing in May
        "2025-06,2M,-5亿,2%\n",
        error=0.1,
    )
    assert a.months == 4 and a.period == "2025-03 to 2025-06"
    users, cash = a.series["active_users"], a.series["cash"]
    assert users.values[0] == 1.5e6 and np.isnan(users.values[1]) and np.isnan(users.values[2])
    assert users.values[3] == 2e6 and users.count == 2
    assert cash.values.tolist()[0] == 6e8 and cash.values[3] == -5e8
    assert cash.errors.tolist() == [0.01, 0.1, 0.1, 0.02]  # default where the cell is empty
    assert users.errors.tolist() == [0.1] * 4
    assert users.lines == {1: 3, 4: 5}  # plan month → file line, for messages
    assert a.observations == 5
    assert [r["month"] for r in a.to_rows()] == ["2025-03", "2025-05", "2025-06"]


def test_month_numbers_semicolons_and_thousands_separators():
    a = parse('month;paying_users\n1;"12,500"\n3;14000\n')
    assert a.months == 3
    assert a.series["paying_users"].values[0] == 12500.0


def test_every_problem_is_reported_at_its_line():
    msgs = problems(
        "month,active_users,activeusers,paying_users.error\n"
        "2025-01,10,1,5%\n"  # before the start
        "2027-04,10,1,\n"  # after the horizon (24 months from 2025-03 ends 2027-02)
        "2025-03,ten,1,\n"
        "2025-03,10,1,\n"  # repeated
        "2025-13,10,1,\n"
    )
    text = "\n".join(msgs)
    assert (
        "a.csv:1: activeusers: this plan has no output 'activeusers'; did you mean active_users"
        in text
    )
    assert (
        "a.csv:1: paying_users.error: an error column needs the column 'paying_users' too" in text
    )
    assert "a.csv:2: month: is before the plan starts (2025-03) (got '2025-01')" in text
    assert "a.csv:3: month: is after the plan ends (2027-02, month 24) (got '2027-04')" in text
    assert "a.csv:4: active_users: expected a number such as 49, 1.5M or 12% (got 'ten')" in text
    assert "a.csv:5: month: month repeated (first on line 4) (got '2025-03')" in text
    assert "a.csv:6: month: expected a calendar month such as 2025-03" in text


def test_bad_errors_and_empty_files():
    assert any("at most 200%" in m for m in problems("month,cash,cash.error\n2025-03,1,500%\n"))
    assert any(
        "an error without a value" in m for m in problems("month,cash,cash.error\n2025-03,,5%\n")
    )
    assert any("no observations" in m for m in problems("month,cash\n2025-03,\n"))
    assert any("first column must be 'month'" in m for m in problems("cash,month\n1,2025-03\n"))
    assert any("no rows" in m for m in problems("\n\n"))


def test_excel_workbooks_are_read_by_sheet(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "notes"
    ws2 = wb.create_sheet("actuals")
    for row in (["month", "paying_users"], ["2025-03", 1000], [datetime(2025, 4, 1), "1.2k"]):
        ws2.append(row)
    path = tmp_path / "a.xlsx"
    wb.save(path)
    a = read_actuals(path, START, 24, NAMES, sheet="actuals")
    assert a.series["paying_users"].values.tolist() == [1000.0, 1200.0]
    with pytest.raises(ScenarioError, match="no sheet 'other'; its sheets: notes, actuals"):
        read_actuals(path, START, 24, NAMES, sheet="other")
    # without --sheet: the first sheet that starts with a month column, not the notes
    assert read_actuals(path, START, 24, NAMES).series["paying_users"].count == 2
    with pytest.raises(ScenarioError, match="no rows: expected a header row"):
        read_actuals(path, START, 24, NAMES, sheet="notes")


def test_missing_and_binary_files(tmp_path):
    with pytest.raises(ScenarioError, match="no such file"):
        read_actuals(tmp_path / "none.csv", START, 24, NAMES)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ScenarioError, match="not a UTF-8 CSV file or an Excel workbook"):
        read_actuals(bad, START, 24, NAMES)


def test_header_problems_are_located_at_the_header_line_after_comments():
    msgs = problems("# exported 2025-07-01\n# by finance\nmonth,userz,active_users.error\n1,5,5%\n")
    assert "a.csv:3: userz: this plan has no output 'userz'" in "\n".join(msgs)
    assert "a.csv:3: active_users.error: an error column needs the column 'active_users' too" in (
        "\n".join(msgs)
    )


def test_unreadable_cells_and_damaged_workbooks_are_located(tmp_path):
    assert any("cannot read as CSV" in m for m in problems("month,cash\n1," + "9" * 200_000 + "\n"))
    openpyxl = pytest.importorskip("openpyxl")
    import zipfile

    wb = openpyxl.Workbook()
    wb.active.append(["month", "cash"])
    wb.active.append([1, 5])
    good = tmp_path / "good.xlsx"
    wb.save(good)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(broken, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                data = data[: len(data) // 2]
            zout.writestr(item, data)
    with pytest.raises(ScenarioError, match="broken.xlsx: \\(document\\): cannot read"):
        read_actuals(broken, START, 24, NAMES)


# Found by fuzzing `update` (each misread silently, or said the wrong thing, before)


def test_a_row_longer_than_the_header_is_located_not_cut():
    # 5% written with a decimal comma: four cells under three columns; read as error 1 (100%)
    assert problems("month,cash,cash.error\n2025-03,600M,1,5%\n") == [
        "a.csv:2: (row): 4 cells but the header has 3 columns (an unquoted comma in a number?)"
    ]
    # trailing empty cells (a spreadsheet's export) are not a problem
    assert parse("month,cash\n2025-03,600M,,\n").series["cash"].values[0] == 600e6


def test_an_implausibly_large_actual_says_so_at_its_line():
    assert problems("month,cash\n2025-03,1e308\n") == [
        "a.csv:2: cash: is implausibly large (beyond ±1e+18); check the units (got '1e308')"
    ]


def test_a_control_character_in_a_column_name_is_shown_escaped():
    (msg,) = problems("month,ca\x01sh\n2025-03,1\n")
    assert msg.startswith("a.csv:1: ca\\x01sh: this plan has no output") and "\x01" not in msg


def test_a_binary_file_that_decodes_is_not_read_as_csv():
    # a NUL, or control characters all over: a binary file, not a table (UTF-16 text, an image)
    assert problems("month,ca\x00sh\n2025-03,1\n") == [
        "a.csv: (document): not a CSV text file or an Excel workbook (it holds control "
        "characters, as a binary file does)"
    ]
    noise = "".join(chr(c % 32) if c % 3 else "D" for c in range(5000))
    assert "binary file" in problems(noise)[0]
    # a long first line with no month column is quoted short, not whole
    (msg,) = problems("D" * 5000 + "\n1,2\n")
    assert msg == "a.csv:1: " + "D" * 37 + "…: the first column must be 'month'"


def test_a_sheet_is_only_for_workbooks_and_a_folder_is_not_missing(tmp_path):
    assert problems("month,cash\n2025-03,1\n", sheet="Data") == [
        "a.csv: sheet: a sheet is chosen only in an Excel workbook (got 'Data')"
    ]
    with pytest.raises(ScenarioError) as e:
        read_actuals(tmp_path, START, 24, NAMES)
    assert str(e.value) == f"{tmp_path}: (document): a folder, not an actuals file"
