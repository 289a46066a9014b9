"""The workbook opens in LibreOffice, whose own recalculation of the formulas adds up.

LibreOffice (Debian's libreoffice-calc-nogui, installed by .ci/run) converts every sheet to CSV
after recalculating the totals; the P&L must hold in its numbers too: revenue − cost of revenue −
operating expenses = EBITDA, and cash = cash at start + net cash flow, in every month.
"""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest

from . import results

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")

# CSV filter: comma-separated, UTF-8, every sheet (-1), formulas recalculated on load
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def test_libreoffice_opens_the_workbook_and_its_numbers_add_up(tmp_path):
    from breakeven.report.excel import write_excel

    book = write_excel(results(), tmp_path / "plan.xlsx")
    proc = subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            CSV_FILTER,
            "--outdir",
            str(tmp_path),
            str(book),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    sheet = tmp_path / "plan-Statement P50.csv"
    assert sheet.exists(), proc.stdout
    rows = {r[1]: r[2:] for r in csv.reader(sheet.open(encoding="utf-8")) if len(r) > 2 and r[1]}
    H = results().months
    assert len([c for c in rows["revenue"] if c != ""]) >= H  # months (then yearly totals)

    def num(key, i):
        return float(rows[key][i])

    for i in range(H):
        assert num("revenue", i) - num("cost_of_revenue", i) - num(
            "operating_expenses", i
        ) == pytest.approx(num("ebitda", i), rel=1e-9, abs=1e-3)
        assert num("cash_start", i) + num("net_cash_flow", i) == pytest.approx(
            num("cash", i), rel=1e-9, abs=1e-3
        )
