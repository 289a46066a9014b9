"""sensitivity and goalseek commands on a local Typer app: JSON shapes and user errors."""

import json

import pytest
import typer
from typer.testing import CliRunner

from breakeven.cli.analysis import register
from breakeven.cli.common import OneLineUsage

from ..conftest import tiny


@pytest.fixture(scope="module")
def app():
    a = typer.Typer(cls=OneLineUsage)
    register(a)
    return a


@pytest.fixture
def plan(tmp_path):
    p = tmp_path / "plan.yaml"
    p.write_text(tiny(price="5 to 500", conversion="40% to 60%"), encoding="utf-8")
    return p


def run(app, *args):
    return CliRunner(env={"COLUMNS": "200"}).invoke(app, [str(a) for a in args])


def test_tornado_json(app, plan):
    r = run(app, "sensitivity", plan, "--samples", 200, "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["metric"] == "npv" and doc["method"] == "tornado"
    assert set(doc) >= {"rows", "note", "base"}
    row = doc["rows"][0]
    assert set(row) >= {
        "input",
        "description",
        "low",
        "high",
        "metric_low",
        "metric_high",
        "swing",
        "conditional_low",
        "conditional_high",
        "conditional_swing",
        "rank",
    }
    assert row["input"] == "streams.subscription.price_per_month" and row["rank"] == 1


def test_sobol_json(app, plan):
    r = run(
        app,
        "sensitivity",
        plan,
        "--method",
        "sobol",
        "--samples",
        64,
        "--metric",
        "breakeven_month",
        "--json",
    )
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["method"] == "sobol" and doc["metric"] == "breakeven_month"
    assert set(doc) >= {"S1", "ST", "trustworthy", "warnings", "n", "note"}
    s1 = doc["S1"]["streams.subscription.price_per_month"]
    assert set(s1) == {"value", "conf"}
    assert doc["n"] == 64 * 4 and isinstance(doc["trustworthy"], bool)


def test_sensitivity_tables(app, plan):
    r = run(app, "sensitivity", plan, "--samples", 100)
    assert r.exit_code == 0, r.output
    assert "price_per_month" in r.output and "swing" in r.output
    r = run(app, "sensitivity", plan, "--method", "sobol", "--samples", 32)
    assert r.exit_code == 0, r.output
    assert "S1" in r.output


def test_goalseek_json_and_text(app, plan):
    r = run(
        app,
        "goalseek",
        plan,
        "--vary",
        "streams.subscription.conversion",
        "--target",
        "p_breakeven>=0.5",
        "--samples",
        200,
        "--json",
    )
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert set(doc) >= {
        "found",
        "value",
        "achieved",
        "iterations",
        "input",
        "target",
        "best",
        "message",
        "warnings",
    }
    r = run(
        app,
        "goalseek",
        plan,
        "--vary",
        "company.g_and_a_per_month",
        "--target",
        "npv.p50>=1e12",
        "--samples",
        50,
    )
    assert r.exit_code == 0, r.output
    assert "not reachable" in r.output


@pytest.mark.parametrize(
    "args, match",
    [
        (["sensitivity", "{plan}", "--metric", "nvp"], "did you mean npv"),
        (["sensitivity", "{plan}", "--method", "morris"], "tornado or sobol"),
        (
            [
                "goalseek",
                "{plan}",
                "--vary",
                "streams.subscription.convrsion",
                "--target",
                "p_breakeven>=0.5",
            ],
            "closest inputs",
        ),
        (
            [
                "goalseek",
                "{plan}",
                "--vary",
                "streams.subscription.conversion",
                "--target",
                "p_breakeven=0.5",
            ],
            "cannot read target",
        ),
        (["sensitivity", "{plan}", "--scheduler", "processes"], "only with --method sobol"),
        (
            ["sensitivity", "{plan}", "--method", "sobol", "--scheduler", "threads"],
            "choose processes (a local cluster), sync (this process)",
        ),
        (
            [
                "goalseek",
                "{plan}",
                "--vary",
                "streams.subscription.conversion",
                "--target",
                "p_breakeven>=0.5",
                "--scheduler",
                "threads",
            ],
            "choose processes (a local cluster), sync (this process)",
        ),
    ],
)
def test_user_errors(app, plan, args, match):
    from breakeven.cli import UserError

    r = run(app, *[a.format(plan=plan) for a in args])
    assert isinstance(r.exception, UserError), r.output
    assert match in str(r.exception)


def test_sobol_and_goalseek_say_where_they_ran(app, plan):
    """In this process by default; ``--scheduler sync`` says so (a cluster: test_distributed)."""
    sobol = ["sensitivity", plan, "--method", "sobol", "--samples", 16, "--json"]
    seek = ["goalseek", plan, "--vary", "streams.subscription.conversion"]
    seek += ["--target", "p_breakeven>=0.5", "--samples", 20, "--json"]
    for args in (sobol, seek):
        default = json.loads(run(app, *args).output)
        sync = json.loads(run(app, *args, "--scheduler", "sync").output)
        assert default == sync
        assert (sync["scheduler"], sync["workers"]) == ("sync (this process)", 1)


def test_goalseek_range_has_no_thousands_commas(app, plan):
    """The range searched is written as the answer writes values ([552k, 979k]): a thousands
    comma would read as the interval's separator ([551,661, 978,862])."""
    r = run(
        app,
        "goalseek",
        plan,
        "--vary",
        "company.g_and_a_per_month",
        "--target",
        "npv.p50>=1e12",
        "--low",
        551661,
        "--high",
        978862,
        "--samples",
        50,
    )
    assert r.exit_code == 0, r.output
    head, message = r.output.splitlines()[:2]
    assert head.endswith("in [552k, 979k]: not reachable"), head
    assert "in [552k, 979k]" in message
    r = run(
        app, "goalseek", plan, "--vary", "streams.subscription.conversion",
        "--target", "p_breakeven>=0.5", "--samples", 50,
    )  # fmt: skip
    assert "in [0.00%, 100.0%]" in r.output.splitlines()[0], r.output
