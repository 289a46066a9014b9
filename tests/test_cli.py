"""End-to-end through the command line."""

import json
import re

import pytest

from .conftest import EXAMPLE, ROOT


def test_run_json_on_the_example(cli, tmp_path):
    code, out, err = cli(
        "run", EXAMPLE, "--samples", "2000", "--seed", "3", "--json", "--out", tmp_path
    )
    assert code == 0, err
    doc = json.loads(out)
    for key in (
        "scenario",
        "samples",
        "seed",
        "horizon_months",
        "currency",
        "metrics",
        "probabilities",
        "monthly",
        "headline",
    ):
        assert key in doc
    assert doc["samples"] == 2000 and doc["seed"] == 3 and doc["currency"] == "CNY"
    assert set(doc["probabilities"]) == {"p_breakeven", "p_cash_out"}
    for name in ("breakeven_month", "payback_month", "peak_funding_need", "npv", "runway_months"):
        m = doc["metrics"][name]
        assert set(m) >= {"mean", "p10", "p50", "p90", "undefined_share"}
    H = doc["horizon_months"]
    for line in (
        "revenue",
        "ebitda",
        "cash",
        "revenue.subscription",
        "cogs.inference",
        "opex.people",
        "active_users",
        "paying_users",
    ):
        assert len(doc["monthly"][line]["p50"]) == H, line
    p10, p90 = doc["monthly"]["revenue"]["p10"], doc["monthly"]["revenue"]["p90"]
    assert all(a <= b for a, b in zip(p10, p90, strict=True))
    assert json.loads((tmp_path / "chat-assistant-freemium.json").read_text()) == doc
    assert 0 <= doc["probabilities"]["p_breakeven"] <= 1


def test_run_prints_headline_first(cli):
    code, out, err = cli("run", EXAMPLE, "--samples", "1000")
    assert code == 0, err
    lines = out.splitlines()
    assert "samples" in lines[0]
    assert lines[1].startswith("Break-even by month") or lines[1].startswith("No break-even")
    assert "cash needed P50" in out


def test_seed_option_is_deterministic(cli):
    a = json.loads(cli("run", EXAMPLE, "-n", "500", "--seed", "9", "--json")[1])
    b = json.loads(cli("run", EXAMPLE, "-n", "500", "--seed", "9", "--json")[1])
    assert a == b


def test_templates_and_new(cli, tmp_path):
    code, out, _ = cli("templates", "--json")
    rows = json.loads(out)
    assert {"name": "chat-assistant-freemium"}.items() <= rows[0].items() or any(
        r["name"] == "chat-assistant-freemium" for r in rows
    )
    assert all(r["description"] for r in rows)
    target = tmp_path / "mine.yaml"
    code, out, _ = cli("new", "chat-assistant-freemium", target)
    assert code == 0 and target.exists()
    assert cli("validate", target)[0] == 0
    code, _, err = cli("new", "chat-assistant-freemium", target)
    assert code == 2 and "already exists" in err
    code, _, err = cli("new", "chat-asistant", tmp_path / "x.yaml")
    assert code == 2 and "did you mean chat-assistant-freemium" in err


def test_example_is_the_template():
    from breakeven.scenario import templates

    assert EXAMPLE.read_text() == templates.text("chat-assistant-freemium")


def test_schema_reference_in_docs_is_current(cli):
    code, out, _ = cli("schema", "--markdown")
    assert code == 0
    assert "`market.consumer`" in out and "innovation_per_year" in out
    assert "breakeven_month" in out
    doc = (ROOT / "docs" / "scenario-reference.md").read_text()
    assert doc.strip() == out.strip(), "run `make docs` to regenerate docs/scenario-reference.md"


def test_schema_json(cli):
    code, out, _ = cli("schema")
    js = json.loads(out)
    assert js["title"] == "Scenario" and "funding" in js["properties"]


def test_blocks_and_outputs_in_docs_are_current(cli):
    code, out, _ = cli("outputs", "--markdown")
    assert code == 0 and "`SubscriptionBlock`" in out and "`revenue.subscription`" in out
    doc = (ROOT / "docs" / "blocks.md").read_text()
    assert doc.strip() == out.strip(), "run `make docs` to regenerate docs/blocks.md"
    code, out, _ = cli("outputs", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows["cogs.inference"]["sign"] == -1 and rows["cogs.inference"]["category"] == "serving"


def test_every_field_is_documented():
    from breakeven.scenario.reference import _models
    from breakeven.scenario.schema import Scenario

    for _path, model in _models(Scenario):
        for name, f in model.model_fields.items():
            assert f.description, f"{model.__name__}.{name} has no description"


@pytest.mark.parametrize("args", [["run"], ["bogus"], ["run", EXAMPLE, "--samples", "zero"]])
def test_usage_errors_exit_2(cli, args):
    code, out, err = cli(*args)
    assert code == 2 and "Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [
        ["run", EXAMPLE, "--seed", "-1"],
        ["run", EXAMPLE, "-n", "0"],
        ["compare", EXAMPLE, EXAMPLE, "--seed", "-2"],
        ["sensitivity", EXAMPLE, "--seed", "-1"],
        ["run", EXAMPLE, "--lang", "fr"],
    ],
)
def test_out_of_range_options_exit_2(cli, args):
    code, out, err = cli(*args)
    assert code == 2 and "Traceback" not in err


def test_an_error_on_line_100_prints_its_line_number_not_an_emoji(cli, tmp_path):
    # Rich reads ":100:" as an emoji shortcode; user text goes through consoles without them
    plan = tmp_path / "p.yaml"
    text = EXAMPLE.read_text().rstrip("\n").split("\n")
    text += ["# padding"] * (99 - len(text)) + ["bogus_top_level_field: 1"]
    plan.write_text("\n".join(text) + "\n")
    code, out, err = cli("validate", plan)
    assert code == 2 and f"{plan}:100: bogus_top_level_field" in err.replace("\n", "")
    assert "💯" not in err


def test_progress_bar_appears_only_after_a_second():
    from breakeven.cli.common import LazyProgress as _LazyProgress

    quick = _LazyProgress("simulating")
    quick(1, 10)
    assert quick.bar is None  # under a second: no bar
    slow = _LazyProgress("simulating")
    slow.t0 -= 2.0
    slow(3, 10)
    assert slow.bar is not None and slow.bar.tasks[0].completed == 3
    slow(10, 10)
    assert slow.bar.finished
    off = _LazyProgress("simulating", enabled=False)
    off.t0 -= 2.0
    off(3, 10)
    assert off.bar is None  # not a terminal: no bar


def test_overflowing_plan_is_a_clear_error(cli, write):
    from .conftest import TINY

    text = TINY.replace(
        "price_per_month: 10", "price_per_month: {dist: lognormal, median: 10, sigma: 500}"
    )
    code, out, err = cli("run", write(text), "-n", "200")
    assert code == 2 and "overflow" in err and "Traceback" not in err
    # where it began: the first lines not finite, the month and the sample, and the input
    assert "(revenue.subscription, cogs.payment_fees not finite in month 1 of sample " in err
    assert "'streams.subscription.price_per_month': inf" in err


def test_unwritable_output_is_a_clear_error_and_keeps_the_old_file(cli, tmp_path):
    # a folder that exists and takes no new file (a missing folder: tests/cli/test_outputs.py)
    code, _, err = cli("run", EXAMPLE, "-n", "100", "--report", "/proc/report.html")
    assert code == 2 and "cannot write" in err and "Traceback" not in err
    old = tmp_path / "report.html"
    old.write_text("previous report")
    blocker = tmp_path / "report.xlsx"
    blocker.mkdir()  # a folder where the workbook should go: writing it fails
    code, _, err = cli("run", EXAMPLE, "-n", "100", "--report", old, "--excel", blocker)
    assert code == 2
    assert old.read_text() == "previous report"  # all or none: the report is not replaced
    assert blocker.is_dir() and not list(tmp_path.glob(".*tmp*"))  # no temporary left behind


@pytest.mark.parametrize("given", ["1", "1B", "1K", "100M"])
def test_a_max_memory_too_small_says_so_and_what_the_run_needs(cli, given):
    """Not "more than the 0 MB available": the limit is the option's, and the message says the
    least that lets this run go — which it does."""
    code, _, err = cli("run", EXAMPLE, "-n", "100", "--max-memory", given)
    assert code == 2 and len(err.splitlines()) == 1, err
    assert err.startswith("breakeven: --max-memory is too small for this run: 100 samples")
    assert " 0 MB" not in err
    least = re.search(r"give at least --max-memory (\d+M) ", err)
    assert least, err
    code, _, err = cli("run", EXAMPLE, "-n", "100", "--max-memory", least.group(1))
    assert code == 0, err
