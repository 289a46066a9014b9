"""``breakeven run PLAN --actuals FILE``: plan vs actual in the terminal, the report and the JSON
document; a bad actuals file is a located error (exit 2)."""

from __future__ import annotations

import json
import os
import re

import pytest

from ..conftest import ROOT

PLAN = ROOT / "examples" / "actuals" / "plan.yaml"
ACTUALS = ROOT / "examples" / "actuals" / "actuals.csv"


@pytest.fixture
def bad_actuals(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("month,active_users,bogus_col\n2025-01,500k,3\n", encoding="utf-8")
    return p


def test_run_with_actuals_writes_plan_vs_actual(cli, tmp_path):
    report = tmp_path / "report.html"
    code, out, err = cli(
        "run", PLAN, "--samples", "300", "--actuals", ACTUALS, "--error", "5%", "--report", report
    )
    assert code == 0, err
    m = re.search(r"(\d+) of 36 observations fell outside the plan's 80% band", out)
    assert m, out
    text = report.read_text(encoding="utf-8")
    assert 'id="sec-actuals"' in text and "Plan vs actual" in text
    assert text.count('<tr class="out">') == int(m.group(1))
    # the cash and users fan charts mark the actuals; other observed series get their own chart
    cash = text[text.index('id="sec-cash"') : text.index('id="sec-users"')]
    users = text[text.index('id="sec-users"') : text.index('id="sec-actuals"')]
    assert '"name":"Actual"' in cash and "579390071.0" in cash  # cash, 2025-01
    assert '"name":"Actual"' in users and "2775315.0" in users  # active users, 2025-06
    assert 'id="chart-actual-revenue-subscription"' in text


def test_run_json_carries_the_variance(cli):
    code, out, err = cli("run", PLAN, "--samples", "200", "--actuals", ACTUALS, "--json")
    assert code == 0, err
    doc = json.loads(out)
    a = doc["actuals"]
    assert a["period"] == "2025-01 to 2025-06" and len(a["variance"]) == 36
    assert set(a["variance"][0]) >= {"series", "month", "actual", "plan_p10", "outside_plan"}


def test_bad_actuals_file_is_a_located_error(cli, bad_actuals):
    code, out, err = cli("run", PLAN, "--samples", "200", "--actuals", bad_actuals)
    assert code == 2
    assert re.search(r"bad\.csv:1: bogus_col: this plan has no output 'bogus_col'", err), err


@pytest.mark.parametrize(
    "args, message",
    [
        (["--error", "5%"], "--error: only with --actuals"),
        (["--actuals", ACTUALS, "--error", "lots"], "--error: expected a number"),
        (["--actuals", ACTUALS, "--error", "300%"], "at most 200%"),
    ],
)
def test_error_option_mistakes_exit_2(cli, args, message):
    code, _, err = cli("run", PLAN, "--samples", "100", *args)
    assert code == 2 and message in err, err


@pytest.mark.parametrize("command", ["run", "update"])
@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_actuals_that_are_not_a_regular_file_are_said_so(cli, tmp_path, command, kind):
    """/dev/null exists: it is not a missing file but a device (and a FIFO would block a read)."""
    if kind == "device":
        path = "/dev/null"
    else:
        path = tmp_path / "actuals.csv"
        os.mkfifo(path)
    args = ["--actuals", path] if command == "run" else [path]
    code, _, err = cli(command, PLAN, "--samples", "100", *args)
    assert code == 2 and len(err.splitlines()) == 1, err
    assert err.startswith(f"{path}: (document): not a regular file"), err
