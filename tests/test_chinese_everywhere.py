"""Chinese in every command and every sentence: with ``--lang zh`` nothing we print or write is
left in English.

Each command runs in-process in Chinese; its terminal output (stdout and stderr) and, for ``run``
and ``update``, the visible text of its HTML report are searched for English sentences: a run of
three or more English words (ASCII letters) with only numbers, identifiers and punctuation
between them. What is not ours to translate is taken out first: the text the plan's author wrote
(names, descriptions, team roles, values as written) and the updated plan's YAML. Identifiers
(``streams.subscription.conversion``, ``npv``, ``Qwen2.5-72B``, ``H800``, ``--low/--high``) are
not words; a few terms that Chinese finance and AI writing keeps in Latin letters are allowed.
"""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import EXAMPLE, ROOT, tiny

ACTUALS = ROOT / "examples" / "actuals"

# Terms Chinese text keeps in Latin letters. Small and explicit: each one appears in our Chinese.
ALLOWED = frozenset(
    {
        "breakeven",  # the program's own name, and its commands in backquotes
        "ebitda",
        "gpu",
        "kv",
        "token",
        "flops",
        "saas",  # the revenue-per-employee benchmarks
        "arr",
        "sobol",
        "bootstrap",
        "logit",  # Logit 正态分布
        "pert",
        "beta",
        "lora",
    }
)

_BREAK = re.compile(r"[^\x20-\x7e\n\t]")  # anything but printable ASCII ends a run
_TOKEN = re.compile(r"[A-Za-z0-9_.%$+\-/'@#¥]+")
_WORD = re.compile(r"[A-Za-z]{2,}(?:['-][A-Za-z]+)*")


def english_runs(text: str, n: int = 3) -> list[str]:
    """Runs of ``n`` or more English words within one stretch of ASCII text. Numbers,
    identifiers (with digits, ``_``, ``.`` or ``/`` inside), flags and single letters sit
    between words without breaking a run; any non-ASCII character (Chinese, a table border, an
    arrow) ends it."""
    hits = []
    for chunk in _BREAK.split(text):
        words: list[str] = []
        for tok in _TOKEN.findall(chunk):
            if tok.startswith("--"):
                continue  # a command-line option
            tok = tok.strip(".-/'")
            if _WORD.fullmatch(tok) and tok.lower() not in ALLOWED:
                words.append(tok)
        if len(words) >= n:
            hits.append(f"{' '.join(words)!r} in {chunk.strip()[:160]!r}")
    return hits


def visible(page: str) -> str:
    """The text a reader sees: no scripts, styles or tags; each block on its own (cells and
    paragraphs do not run into each other)."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(
        r"(?i)</?(title|td|th|tr|p|div|h\d|li|section|header|footer|nav|br|summary)\b[^>]*>",
        "\n\x00",
        page,
    )
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return html.unescape(page)


def authored(*plans: Path) -> list[str]:
    """Every string the plans' authors wrote (names, descriptions, roles, values as written)."""
    out: list[str] = []

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, str) and re.search("[A-Za-z]", x):
            out.append(x.strip())

    for p in plans:
        walk(yaml.safe_load(p.read_text(encoding="utf-8")))
    return sorted(set(out), key=len, reverse=True)


def without(text: str, strings: list[str]) -> str:
    for s in strings:
        pattern = r"\s+".join(re.escape(w) for w in s.split())
        text = re.sub(rf"(?<![A-Za-z0-9_]){pattern}(?![A-Za-z0-9_])", " ", text)
    return text


def assert_chinese(text: str, *plans: Path) -> None:
    assert re.search(r"[\u4e00-\u9fff]", text), "no Chinese at all"
    hits = english_runs(without(text, authored(*plans)))
    assert not hits, "English left in the Chinese output:\n" + "\n".join(hits)


@pytest.fixture
def zh(cli, monkeypatch):
    """Run a command in Chinese; returns stdout + stderr (exit status 0 checked). A wide
    terminal, so that rich does not break the authors' names across lines of a table."""
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: object) -> str:
        code, out, err = cli(*args, "--lang", "zh")
        assert code == 0, err
        return out + "\n" + err

    return run


# ------------------------------------------------------------------ the check itself


def test_the_check_finds_english_and_passes_identifiers():
    assert english_runs("Conditional: mean npv over the 50 samples (of 500) with the input")
    assert english_runs("logit-normal(median 3.48%, 90% in 2% to 6%)")
    assert english_runs("│ Side by side (p50 unless noted) │")
    assert english_runs("warning: not linted")
    assert not english_runs("当 streams.subscription.conversion 不低于 4.87% 时")
    assert not english_runs("Qwen2.5-72B，TP4 H800（bf16，KV bf16），可用 --low/--high 扩大")
    assert not english_runs("company.team[research & engineering].cost_per_person_per_year")
    name = ["Chat assistant, freemium"]  # what the author wrote is taken out, nothing else
    assert not english_runs(without("Chat assistant, freemium：好", name))
    assert english_runs(without("Chat assistant, freemium: left in English", name))


# ------------------------------------------------------------------ plans and runs


def test_run_summary_and_report(zh, tmp_path):
    report = tmp_path / "report.html"
    out = zh("run", EXAMPLE, "-n", "500", "--report", report)
    assert "已写入" in out and "盈亏平衡" in out
    assert_chinese(out, EXAMPLE)
    text = visible(report.read_text(encoding="utf-8"))
    assert "条件法" in text  # the tornado's note, told from its facts
    assert "对数正态分布（中位数" in text and "Logit 正态分布（中位数" in text
    assert "比例（0–1）" in text  # the inputs' domains
    assert_chinese(text, EXAMPLE)


def test_run_of_a_plan_with_milestones(zh, tmp_path):
    plan = ROOT / "src" / "breakeven" / "scenario" / "templates" / "free-assistant-ads.yaml"
    report = tmp_path / "report.html"
    out = zh("run", plan, "-n", "300", "--report", report)
    assert "里程碑" in out and "活跃用户 ≥" in out
    assert_chinese(out, plan)
    assert_chinese(visible(report.read_text(encoding="utf-8")), plan)


@pytest.mark.parametrize("samples", ["3", "1"])  # no uncertain input; too few samples
def test_run_report_without_a_tornado_says_why_in_chinese(zh, write, tmp_path, samples):
    plan = write(tiny())
    report = tmp_path / "report.html"
    zh("run", plan, "-n", samples, "--report", report)
    text = visible(report.read_text(encoding="utf-8"))
    assert "敏感性分析不可用：" in text
    assert_chinese(text, plan)


def test_every_distribution_is_described_in_chinese():
    from breakeven.models import distributions as D
    from breakeven.report.sentences import describe_dist

    dists = [
        D.Point(3.0),
        D.Normal(1e6, 2e5),
        D.LogNormal(math.log(1.1e8), 0.36),
        D.ShiftedLogNormal(-0.43, 0.2),
        D.LogitNormal(-3.32, 0.3),
        D.Uniform(1.0, 5e4),
        D.Triangular(1.0, 2.0, 5.0),
        D.Beta(2.0, 5.0),
        D.Pert(1.0, 2.0, 5.0),
        D.Choice((1.0, 2.0), (1.0, 3.0)),
    ]
    for d in dists:
        assert describe_dist(d, "en") == d.describe()  # English stays the model's own words
        zh = describe_dist(d, "zh")
        assert isinstance(d, D.Point) or re.search(r"[\u4e00-\u9fff]", zh), zh
        assert not english_runs(zh, n=1), zh
    market = D.parse_uncertain("60M to 200M", D.Domain.POSITIVE)
    assert describe_dist(market, "zh") == "对数正态分布（中位数 1.1亿，90% 区间 6,000万 至 2亿）"
    conversion = D.parse_uncertain("2% to 6%", D.Domain.FRACTION)
    assert describe_dist(conversion, "zh") == "Logit 正态分布（中位数 3.48%，90% 区间 2% 至 6%）"


def test_compare(zh, tmp_path):
    other = tmp_path / "higher-conversion.yaml"
    plan = EXAMPLE.read_text(encoding="utf-8")
    plan = re.sub(r"(?m)^name: .*$", "name: 更高转化率", plan)
    other.write_text(plan.replace("conversion: 2% to 6%", "conversion: 3% to 7%"), "utf-8")
    report = tmp_path / "compare.html"
    out = zh("compare", EXAMPLE, other, "-n", "500", "--report", report)
    for words in (
        "方案并列对比",
        "方案两两对比",
        "与 Chat assistant, freemium 不同的假设",
        "对比 更高转化率",
    ):
        assert words in out
    assert_chinese(out, EXAMPLE, other)
    assert_chinese(visible(report.read_text(encoding="utf-8")), EXAMPLE, other)


def test_sensitivity_tornado(zh):
    out = zh("sensitivity", EXAMPLE, "-n", "500")
    assert "影响净现值的因素" in out and "条件法" in out
    assert_chinese(out, EXAMPLE)


def test_sensitivity_sobol_with_its_warnings(zh):
    out = zh("sensitivity", EXAMPLE, "--method", "sobol", "-n", "48")  # rounded up to 64
    assert "各输入对净现值方差的贡献" in out
    assert "向上取整为 64" in out and "警告" in out
    assert_chinese(out, EXAMPLE)


@pytest.mark.parametrize(
    "target, extra, words",
    [
        ("p_breakeven>=0.8", (), "已找到"),
        ("npv.p50>=0", ("--high", "0.04"), "目标可能在范围之外"),
    ],
)
def test_goalseek(zh, target, extra, words):
    out = zh(
        "goalseek",
        EXAMPLE,
        "--vary",
        "streams.subscription.conversion",
        "--target",
        target,
        "-n",
        "200",
        *extra,
    )
    assert words in out and "方案当前设定：Logit 正态分布" in out
    assert_chinese(out, EXAMPLE)


@pytest.mark.parametrize("second", [False, True])
def test_sweep(zh, tmp_path, second):
    """The matrix (two varied inputs) or the list of every cell, and the page of heatmaps."""
    vary = ["--vary", "streams.subscription.conversion=3%,5%"]
    if second:
        vary += ["--vary", "market.consumer.paid_acquisition.cost_per_user=20,30"]
    report = tmp_path / "sweep.html"
    out = zh("sweep", EXAMPLE, *vary, "-n", "200", "--scheduler", "sync", "--report", report)
    assert "参数扫描" in out and "最优的格" in out
    assert_chinese(out, EXAMPLE)
    assert_chinese(visible(report.read_text(encoding="utf-8")), EXAMPLE)


@pytest.mark.parametrize("command", ["templates", "gpus", "models", "prices"])
def test_catalogs(zh, command):
    out = zh(command)
    assert_chinese(out)


# ------------------------------------------------------------------ cost physics


def test_infer(zh):
    out = zh(
        "infer",
        "--model",
        "Qwen2.5-72B",
        "--gpu",
        "H800",
        "--gpus",
        "4",
        "--samples",
        "100",
        "--requests-per-s",
        "10",
    )
    assert "每百万输出 token 成本" in out and "集群：" in out
    assert "说明：未给出延迟目标" in out
    assert_chinese(out)


@pytest.mark.parametrize(
    "args, note",
    [
        (("--params", "7B", "--seq-len", "4096"), "注意力形状"),
        (("--params", "7B"), "未计入注意力 FLOPs"),
        (("--model", "Qwen2.5-72B", "--mode", "lora", "--tokens", "1B"), None),
    ],
)
def test_train(zh, args, note):
    out = zh("train", *args, "--gpu", "H800", "--samples", "50")
    assert "GPU 小时数" in out
    assert note is None or f"说明：{note}" in out
    assert_chinese(out)


def test_every_quantity_and_unit_of_infer_and_train_has_chinese(cli):
    from breakeven.report.i18n import COMPUTE_LABELS_ZH, UNITS_ZH

    code, out, err = cli(
        "infer", "--model", "Qwen2.5-72B", "--gpu", "H800", "--gpus", "8", "--samples", "20",
        "--requests-per-s", "10", "--disaggregated", "--json",
    )  # fmt: skip
    assert code == 0, err
    inf = json.loads(out)
    code, out, err = cli("train", "--params", "70B", "--active-params", "10B", "--gpu", "H800",
                         "--samples", "20", "--json")  # fmt: skip
    assert code == 0, err
    tr = json.loads(out)
    for doc in (inf, tr):
        keys = [k for k in doc if k != "units"] + list(doc.get("fleet", {}))
        assert not [k for k in keys if k not in COMPUTE_LABELS_ZH]
        units = [u for u in doc["units"].values() if isinstance(u, str)]
        units += list(doc["units"].get("fleet", {}).values())
        assert not [u for u in units if u not in UNITS_ZH]


# ------------------------------------------------------------------ validate, update


def _implausible_plan() -> str:
    """A plan every lint rule warns about: ¥1,000 a month from the first users (month-1
    break-even), a huge market served by 2 people for two years (revenue per employee), tokens
    served for next to nothing (gross margin), users bought at a tenth of a fen (CAC)."""
    text = tiny(price="1000").replace("horizon_months: 3", "horizon_months: 24")
    text = text.replace("market_size: 1000", "market_size: 100M")
    text = text.replace("payment_fee: 10%", "payment_fee: 0").replace(
        "input_price_per_million: 1000, output_price_per_million: 2000",
        "input_price_per_million: 0.01, output_price_per_million: 0.02",
    )
    return text.replace(
        "    usage:\n",
        "    paid_acquisition:\n      budget_per_month: 10\n      cost_per_user: 0.001\n"
        "    usage:\n",
    )


def test_validate_with_every_lint_warning(zh, write):
    rich = write(_implausible_plan(), "rich.yaml")
    crowded = write(
        tiny()
        .replace("horizon_months: 3", "horizon_months: 24")
        .replace("headcount: 2,", "headcount: 1000,"),
        "crowded.yaml",
    )  # 1,000 people and ¥ hundreds a month: revenue per employee far below the range
    out = zh("validate", rich, crowded)
    assert out.count("：通过") == 2
    assert out.count("警告：") == 5
    for words in (
        "第 1 个月就已有收入",
        "已公开最高值",
        "已公开最低值",
        "毛利率高于 95%",
        "不到一美分",
    ):
        assert words in out
    assert_chinese(out, rich, crowded)


def test_a_reference_growth_in_validate_and_its_command(zh, write):
    from .test_reference_growth import consumer_plan

    plan = write(consumer_plan("reference"))
    out = zh("validate", plan)
    assert "reference = 每月" in out and "个 AI 产品用户数的最近增长" in out
    assert_chinese(out, plan)
    out = zh("reference", "consumer", "--start", "2026-06")
    assert "参照组：每月" in out and "月增长" in out
    from breakeven.models.reference_growth import counts

    assert_chinese(without(out, sorted({c.product for c in counts()}, key=len, reverse=True)))


def test_update_summary_report_and_plan(zh, tmp_path):
    plan, actuals = ACTUALS / "plan.yaml", ACTUALS / "actuals.csv"
    report, narrowed = tmp_path / "update.html", tmp_path / "narrowed.yaml"
    out = zh("update", plan, actuals, "--samples", "1024", "--report", report, "--out", narrowed)
    assert "更新前 → 更新后" in out and "已写入" in out
    assert_chinese(out, plan)
    page = report.read_text(encoding="utf-8")
    (yaml_text,) = re.findall(r"(?s)<pre>(.*?)</pre>", page)
    # the updated plan is YAML as its author wrote it; its header is ours, in Chinese
    header = html.unescape(yaml_text).splitlines()[:3]
    assert header[0].startswith("# 由 `breakeven update` 根据") and "后验 90% 区间" in header[1]
    assert not english_runs("\n".join(header))
    assert narrowed.read_text(encoding="utf-8").splitlines()[:3] == header
    text = visible(re.sub(r"(?s)<pre>.*?</pre>", " ", page))
    assert_chinese(text, plan)


@pytest.mark.parametrize(
    "note",
    [
        "H100-SXM has no fp4 tensor cores: fp4 weights computed at bf16 speed",
        "A100-80GB has no fp8 tensor cores: fp8 weights computed at bf16 speed",
        "one 5600-token request's KV cache does not fit beside the weights in 20% of samples "
        "(at the high end of the memory reserve); the figures are over the other samples",
        "batch 300 exceeds the memory limit in 15% of samples (max batch p10-p90 200-400): "
        "their KV cache would not fit",
        "latency targets missed at batch 64 in 12% of the samples where it fits",
    ],
)
def test_every_note_of_infer_is_told_in_chinese(note):
    from breakeven.report.sentences import compute_note

    zh = compute_note(note, "zh")
    assert zh != note and not re.search(r"\b(samples|batch|weights|tensor)\b", zh), zh
