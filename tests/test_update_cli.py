"""`breakeven update` end to end: the shipped example, its outputs, and the user's mistakes."""

import json

from .conftest import ROOT

PLAN = ROOT / "examples" / "actuals" / "plan.yaml"
ACTUALS = ROOT / "examples" / "actuals" / "actuals.csv"


def test_update_writes_the_narrowed_plan_and_the_report(cli, tmp_path):
    out, report = tmp_path / "updated.yaml", tmp_path / "update.html"
    code, stdout, err = cli(
        "update", PLAN, ACTUALS, "--samples", "2048", "--out", out, "--report", report
    )
    assert code == 0, err
    assert "moved P(break-even) from" in stdout
    assert f"wrote {out}" in stdout.replace("\n", "")
    text = out.read_text()
    assert text.startswith("# Updated by `breakeven update`")
    code, stdout, err = cli("validate", out)
    assert code == 0, err
    html = report.read_text()
    assert "moved P(break-even) from" in html


def test_update_json(cli):
    code, stdout, err = cli("update", PLAN, ACTUALS, "--samples", "1024", "--json")
    assert code == 0, err
    doc = json.loads(stdout)
    assert doc["sampler"]["method"] == "sequential Monte Carlo"
    assert doc["actuals"]["observations"] == 36
    assert doc["headline"]["p_breakeven"]["posterior"] < doc["headline"]["p_breakeven"]["prior"]
    assert any(
        r["input"] == "streams.subscription.conversion" and r["moved"] for r in doc["inputs"]
    )
    assert len(doc["variance"]) == 36


def test_update_located_errors_and_incompatible_actuals(cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("month,active_users,paying_user\n2025-01,1000,x\n")
    code, stdout, err = cli("update", PLAN, bad)
    assert code == 2
    assert f"{bad}:1: paying_user: this plan has no output 'paying_user'; did you mean" in err
    lines = ACTUALS.read_text().splitlines()
    head = [ln for ln in lines if ln.startswith("month")][0].split(",")
    j = head.index("active_users")
    rows = []
    for ln in lines:
        cells = ln.split(",")
        if ln.startswith("20"):
            cells[j] = str(float(cells[j]) * 1000)
        rows.append(",".join(cells))
    wild = tmp_path / "wild.csv"
    wild.write_text("\n".join(rows) + "\n")
    code, stdout, err = cli("update", PLAN, wild, "--samples", "1024")
    assert code == 2
    assert "incompatible with the plan" in err and "active_users" in err
    assert "Traceback" not in err
    code, stdout, err = cli("update", PLAN, ACTUALS, "--error", "-5%")
    assert code == 2 and "--error" in err
