"""``breakeven sweep`` end to end through the console entry point: the matrix, JSON, the HTML page,
user errors (exit 2, one line), and the default local Dask cluster."""

import json
import re

import pytest

from ..conftest import tiny

PRICE = "streams.subscription.price_per_month"
GA = "company.g_and_a_per_month"


@pytest.fixture
def plan(write):
    return write(tiny(conversion="30% to 70%", g_and_a="20 to 200"))


def test_matrix_of_two_inputs(cli, plan):
    code, out, err = cli(
        "sweep", plan, "--vary", f"{PRICE}=60,200,400", "--vary", f"{GA}=20,500",
        "-n", 512, "--scheduler", "sync",
    )  # fmt: skip
    assert code == 0, err
    assert "6 cells (3 × 2), 512 samples each, seed 1" in " ".join(out.split())
    assert "P(break-even) — rows:" in out
    lines = out.splitlines()
    head = next(i for i, ln in enumerate(lines) if "price_per_month \\" in ln)
    assert re.search(r"\b20\b.*\b500\b", "\n".join(lines[head : head + 3]))
    rows = [ln for ln in lines if re.match(r"^│ (60|200|400) ", ln)]
    assert len(rows) == 3 and all(ln.count("%") == 2 for ln in rows)
    assert f"best cell by P(break-even): {PRICE} = 400, {GA} = 20 →" in " ".join(out.split())


def test_one_input_lists_every_cell(cli, plan):
    code, out, err = cli(
        "sweep",
        plan,
        "--vary",
        f"{PRICE}=60,400",
        "-n",
        256,
        "--scheduler",
        "sync",
        "--metric",
        "npv",
    )
    assert code == 0, err
    assert "Every cell (2)" in out and "best cell by NPV p50" in out


def test_json(cli, plan):
    code, out, err = cli(
        "sweep", plan, "--vary", f"{PRICE}=60,400", "--vary", f"{GA}=20,500",
        "-n", 256, "--seed", 3, "--scheduler", "sync", "--json",
    )  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    assert doc["cells"] == 4 and doc["samples"] == 256 and doc["seed"] == 3
    assert [v["ref"] for v in doc["vary"]] == [PRICE, GA]
    assert [(r[PRICE], r[GA]) for r in doc["rows"]] == [(60, 20), (60, 500), (400, 20), (400, 500)]
    assert set(doc["rows"][0]) >= {"p_breakeven", "breakeven_month_p50", "npv_p50", "p_cash_out"}


def test_report(cli, plan, tmp_path):
    page = tmp_path / "sweep.html"
    code, out, err = cli(
        "sweep", plan, "--vary", f"{PRICE}=60,200", "--vary", f"{GA}=20,500",
        "-n", 256, "--scheduler", "sync", "--report", page, "--metric", "breakeven_month",
    )  # fmt: skip
    assert code == 0, err
    assert "wrote" in out and str(page) in "".join(out.split())
    text = page.read_text(encoding="utf-8")
    assert text.count("plotly.js v") == 1 and not re.search(r"<script[^>]+src=", text)
    charts = re.findall(r'data-chart="sweep-([a-z_]+)"', text)
    assert charts == ["breakeven_month", "p_breakeven", "npv", "peak_funding_need", "p_cash_out"]
    assert "Every cell" in text and "best cell by break-even month p50" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["--vary", "price"], "breakeven: --vary: write FIELD=v1,v2"),
        (["--vary", f"{PRICE}=1,,2"], "an empty value between commas"),
        (["--vary", "streams.subscription.prise=1,2"], "no input 'streams.subscription.prise'"),
        (["--vary", "streams.subscription.conversion=150%"], "must be a fraction between 0 and 1"),
        (["--vary", f"{PRICE}=1", "--vary", f"{PRICE}=2"], "given twice"),
        (["--vary", f"{PRICE}=1", "--metric", "profit"], "unknown figure 'profit'"),
        (["--vary", f"{PRICE}=1", "--scheduler", "threads"], "choose processes"),
        (["--vary", f"{PRICE}={','.join(map(str, range(1, 402)))}"], "more than the limit of 400"),
    ],
)
def test_user_errors_exit_2_with_one_line(cli, plan, args, message):
    code, out, err = cli("sweep", plan, "-n", 16, "--scheduler", "sync", *args)
    assert code == 2
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_vary_is_required(cli, plan):
    code, _, err = cli("sweep", plan)
    assert code == 2 and "--vary" in err


def test_default_scheduler_is_a_local_cluster_with_the_same_rows(cli, plan):
    args = (
        "sweep",
        plan,
        "--vary",
        f"{PRICE}=60,400",
        "--vary",
        f"{GA}=20,500",
        "-n",
        1024,
        "--json",
    )
    code, out, err = cli(*args)
    assert code == 0, err
    on_cluster = json.loads(out)
    assert on_cluster["scheduler"].startswith("local cluster of")
    code, out, err = cli(*args, "--scheduler", "sync")
    assert code == 0, err
    assert on_cluster["rows"] == json.loads(out)["rows"]
