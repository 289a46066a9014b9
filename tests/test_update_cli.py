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
    # the plan's own comments are kept: every comment line of the plan is still there
    comments = [ln for ln in PLAN.read_text().splitlines() if ln.lstrip().startswith("#")]
    inline = [ln.split("#", 1)[1] for ln in PLAN.read_text().splitlines() if " # " in ln]
    assert comments and all(c in text.splitlines() for c in comments)
    assert inline and all(c in text for c in inline)
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


# Found by fuzzing `update` (an internal error, or a user file replaced, before)


def test_exactly_two_moved_inputs_get_their_correlation(cli, tmp_path):
    """scipy gives one coefficient, not a matrix, for two variables."""
    from breakeven.server.schemas import EXAMPLE_PLAN

    plan, actuals, out = tmp_path / "plan.yaml", tmp_path / "a.csv", tmp_path / "new.yaml"
    plan.write_text(EXAMPLE_PLAN, encoding="utf-8")
    actuals.write_text("month,active_users\n1,240\n2,470\n3,700\n", encoding="utf-8")
    code, stdout, err = cli("update", plan, actuals, "--samples", "300", "--out", out)
    assert code == 0, err
    header = out.read_text(encoding="utf-8").splitlines()[1]
    assert header.startswith("# 2 ranges narrowed"), header


def test_outputs_may_not_replace_the_files_the_update_reads(cli, tmp_path):
    plan, actuals = tmp_path / "plan.yaml", tmp_path / "actuals.csv"
    plan.write_bytes(PLAN.read_bytes())
    actuals.write_bytes(ACTUALS.read_bytes())
    for option, target, what in (
        ("--report", plan, "the plan"),
        ("--out", plan, "the plan"),
        ("--report", actuals, "the actuals"),
    ):
        code, _, err = cli("update", plan, actuals, "-n", "200", option, target)
        assert code == 2
        assert f"{option} {target}: that is {what}, which this command reads" in err
    assert plan.read_bytes() == PLAN.read_bytes()
    assert actuals.read_bytes() == ACTUALS.read_bytes()


def test_a_failed_report_leaves_the_out_file_as_it_was(cli, tmp_path):
    out, folder = tmp_path / "narrowed.yaml", tmp_path / "a_folder"
    out.write_text("my earlier narrowed plan\n", encoding="utf-8")
    folder.mkdir()
    code, _, err = cli("update", PLAN, ACTUALS, "-n", "200", "--out", out, "--report", folder)
    assert code == 2 and "exists and is not a regular file" in err
    assert out.read_text(encoding="utf-8") == "my earlier narrowed plan\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_folder", "narrowed.yaml"]


def test_run_outputs_may_not_replace_the_plan(cli, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(PLAN.read_bytes())
    code, _, err = cli("run", plan, "-n", "100", "--report", plan)
    assert code == 2 and "--report" in err and "that is the plan" in err
    assert plan.read_bytes() == PLAN.read_bytes()
