"""The web app in Chinese: what the server says and what the pages show.

The API: every answer with sentences (``/api/simulate``, ``/api/sensitivity``, ``/api/goalseek``,
``/api/compare``, ``/api/sweep``, ``/api/update``, and ``/api/inputs``, ``/api/validate``,
``/api/plans``) takes ``lang: "zh"`` and then tells them in Chinese with the command line's own
functions (``--lang zh``), its numbers unchanged; English stays the ``--json`` documents.

The pages: every word of ``static/i18n.js`` has English and Chinese, and every key a page uses is
there; in Debian's Chromium the start page, the plan page (a simulation, sensitivity, goal-seek,
compare, actuals) and the history page opened in Chinese show no English sentence — a run of three
or more English words (:func:`tests.test_chinese_everywhere.english_runs`), what the plans'
authors wrote taken out — and no JavaScript error; the switch in the top bar brings English back,
on the same page, with the edits kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from breakeven.report import sentences as say
from breakeven.report.text import headline
from tests.test_chinese_everywhere import (
    _implausible_plan,
    assert_chinese,
    authored,
    english_runs,
    visible,
    without,
)

from .conftest import ACTUALS_PLAN, EXAMPLE, ROOT, chromium_page

STATIC = ROOT / "src" / "breakeven" / "server" / "static"
ACTUALS = ROOT / "examples" / "actuals" / "actuals.csv"
TEMPLATES = sorted((ROOT / "src" / "breakeven" / "scenario" / "templates").glob("*.yaml"))
CORRELATED = (
    "correlations:\n"
    "  - between: [streams.subscription.conversion, market.consumer.churn_per_month]\n"
    "    rank: -0.6\n"
)
CHINESE = re.compile(r"[\u4e00-\u9fff]")
N = 400  # small runs: the same code paths as any number of samples


def post(client, route: str, **body):
    return client.post(route, json=body)


def zh_ok(client, route: str, **body) -> dict:
    r = post(client, route, lang="zh", **body)
    assert r.status_code == 200, r.text
    return r.json()


# ---------------------------------------------------------------------------- the API


def test_simulate_in_chinese_has_the_same_numbers(client, example_text):
    en = post(client, "/api/simulate", yaml=example_text, samples=N, seed=7).json()
    zh = zh_ok(client, "/api/simulate", yaml=example_text, samples=N, seed=7)
    import breakeven

    res = breakeven.simulate(breakeven.load_text(example_text), samples=N, seed=7)
    assert zh["headline"]["text"] == headline(res, "zh")
    assert zh["headline"]["text"].startswith("60 个月内实现盈亏平衡的概率为")
    assert "亿" in zh["headline"]["text"]
    numbers = {k: v for k, v in zh["headline"].items() if k != "text"}
    assert numbers == {k: v for k, v in en["headline"].items() if k != "text"}
    assert zh["charts"]["cash"] == en["charts"]["cash"]
    assert "条件法" in zh["charts"]["tornado_note"]
    assert_chinese(zh["charts"]["tornado_note"])
    assert not english_runs(zh["charts"]["tornado_note"], n=2)
    # the tornado's inputs by their names on the page, in Chinese
    names = [row["name"] for row in zh["charts"]["tornado"]]
    assert "付费转化率（收入来源 — 订阅）" in names
    assert_chinese("\n".join(names), EXAMPLE)
    assert [r["input"] for r in zh["charts"]["tornado"]] == [
        r["input"] for r in en["charts"]["tornado"]
    ]


def test_without_a_tornado_says_why_in_chinese(client, example_text):
    zh = zh_ok(client, "/api/simulate", yaml=example_text, samples=N, tornado=False)
    assert zh["charts"]["tornado_note"] == "未要求计算"


def test_plan_warnings_in_chinese(client):
    text = _implausible_plan()
    en = post(client, "/api/simulate", yaml=text, samples=N, tornado=False).json()
    zh = zh_ok(client, "/api/simulate", yaml=text, samples=N, tornado=False)
    assert len(zh["warnings"]) == len(en["warnings"]) >= 3
    for w, e in zip(zh["warnings"], en["warnings"], strict=True):
        assert (w["code"], w["field"], w["line"]) == (e["code"], e["field"], e["line"])
        assert CHINESE.search(w["message"]) and w["text"].startswith("plan.yaml:")
        assert not english_runs(w["message"]), w["message"]
    checked = zh_ok(client, "/api/validate", yaml=text)
    assert [w["message"] for w in checked["warnings"]] == [w["message"] for w in zh["warnings"]]


def test_inputs_are_named_in_chinese(client, example_text):
    en = post(client, "/api/inputs", yaml=example_text).json()
    zh = zh_ok(client, "/api/inputs", yaml=example_text)
    assert [r["path"] for g in zh["groups"] for r in g["inputs"]] == [
        r["path"] for g in en["groups"] for r in g["inputs"]
    ]
    rows = {r["path"]: r for g in zh["groups"] for r in g["inputs"]}
    assert rows["market.consumer.churn_per_month"]["name"] == "月流失率"
    assert rows["market.consumer.churn_per_month"]["unit"] == "1/month"  # the page words units
    start = rows["compute.serving.per_token.input_price_per_million.start"]
    assert start["name"] == "每百万输入 token 价格 — 起始值"
    groups = [g["group"] for g in zh["groups"]]
    assert "市场 — 个人用户" in groups and "方案" in groups
    assert "公司 — 团队 — research & engineering" in groups  # a role as its author wrote it
    assert_chinese("\n".join(groups + [r["name"] for r in rows.values()]), EXAMPLE)


def test_every_template_input_has_a_chinese_name(client):
    """No input of any template keeps its English name in Chinese."""
    for path in TEMPLATES:
        zh = zh_ok(client, "/api/inputs", yaml=path.read_text(encoding="utf-8"))
        words = [g["group"] for g in zh["groups"]]
        words += [r["name"] for g in zh["groups"] for r in g["inputs"]]
        text = without("\n".join(words), authored(path))
        # identifiers and acronyms (USD, AI, GPU, MFU) are kept; no English word is
        left = [w for w in re.findall(r"[A-Za-z]{2,}", text) if not w.isupper() and w != "token"]
        assert not left, (path.name, left)


def test_the_plan_list_gives_the_templates_summaries_in_chinese(client):
    from breakeven.scenario import templates as tp

    rows = client.get("/api/plans?lang=zh").json()
    temps = {r["id"]: r for r in rows if r["kind"] == "template"}
    assert temps
    for plan_id, row in temps.items():  # template-<name> beside a plan file of that name
        assert row["description"] == tp.summary(plan_id.removeprefix("template-"), "zh")
    assert all(CHINESE.search(r["description"]) for r in temps.values())
    assert client.get("/api/plans?lang=fr").status_code == 422


def test_sensitivity_in_chinese(client, example_text):
    tornado = zh_ok(client, "/api/sensitivity", yaml=example_text, samples=N, seed=3)
    assert tornado["note"] == say.tornado_note(tornado, "zh") and "条件法" in tornado["note"]
    en = post(client, "/api/sensitivity", yaml=example_text, samples=N, seed=3).json()
    assert tornado["rows"] == en["rows"] and tornado["base"] == en["base"]
    sobol = zh_ok(client, "/api/sensitivity", yaml=example_text, samples=48, seed=3, method="sobol")
    assert sobol["warnings"] and all(CHINESE.search(w) for w in sobol["warnings"])
    assert "向上取整为 64" in " ".join(sobol["warnings"])
    assert_chinese("\n".join([*sobol["warnings"], sobol["note"] or "净现值"]), EXAMPLE)


@pytest.mark.parametrize(
    "target, extra, words",
    [("p_breakeven>=0.8", {}, "成立"), ("npv.p50>=0", {"high": 0.04}, "目标可能在范围之外")],
)
def test_goalseek_in_chinese(client, example_text, target, extra, words):
    out = zh_ok(
        client,
        "/api/goalseek",
        yaml=example_text + CORRELATED,
        input="streams.subscription.conversion",
        target=target,
        samples=200,
        seed=1,
        **extra,
    )
    assert words in out["message"]
    assert out["current"].startswith("Logit 正态分布（中位数")
    assert out["target_text"].startswith(("期内盈亏平衡概率 ≥", "净现值 P50 ≥"))
    assert out["warnings"] and "相关" in out["warnings"][0]  # told from its facts
    sentences = [out["message"], out["current"], out["target_text"], *out["warnings"]]
    assert_chinese("\n".join(sentences), EXAMPLE)


def test_compare_in_chinese(client, example_text):
    other = example_text.replace("conversion: 2% to 6%", "conversion: 3% to 7%")
    zh = zh_ok(client, "/api/compare", a=example_text, b=other, samples=N, seed=2)
    en = post(client, "/api/compare", a=example_text, b=other, samples=N, seed=2).json()
    assert [p["headline"][:2] for p in zh["plans"]] == ["60", "60"]
    assert all("盈亏平衡的概率" in p["headline"] for p in zh["plans"])
    assert zh["p_beats"] == en["p_beats"] and zh["assumptions"] == en["assumptions"]
    assert_chinese("\n".join(p["headline"] for p in zh["plans"]))


def test_sweep_in_chinese(client, example_text):
    body = dict(
        yaml=example_text + CORRELATED,
        samples=200,
        seed=1,
        vary=["streams.subscription.conversion=3%,5%"],
    )
    out = zh_ok(client, "/api/sweep", **body)
    (warning,) = out["warnings"]
    assert "streams.subscription.conversion" in warning and CHINESE.search(warning)
    assert not english_runs(warning)
    en = post(client, "/api/sweep", **body).json()
    assert out["rows"] == en["rows"] and "correlated" in en["warnings"][0]


@pytest.fixture(scope="module")
def updated_zh(actuals_client) -> dict:
    client = actuals_client
    return zh_ok(
        client,
        "/api/update",
        yaml=ACTUALS_PLAN.read_text(encoding="utf-8"),
        actuals=ACTUALS.read_text(encoding="utf-8"),
        actuals_name="actuals.csv",
        samples=1024,
        seed=3,
    )


@pytest.fixture(scope="module")
def actuals_client(tmp_path_factory) -> Iterator:
    from fastapi.testclient import TestClient

    from breakeven.server import create_app

    from .conftest import BASE

    home = tmp_path_factory.mktemp("server-zh")
    app = create_app([ACTUALS_PLAN], home / "runs.duckdb", None, time_limit_s=300)
    with TestClient(app, base_url=BASE) as c:
        yield c


def test_update_in_chinese(updated_zh):
    out = updated_zh
    assert out["narrative"].startswith("6 个月的实际数据（2025-01 至 2025-06）")
    assert out["actuals"]["period"] == "2025-01 至 2025-06"
    assert out["sampler"]["method_text"] and CHINESE.search(out["sampler"]["method_text"])
    moved = [c for c in out["inputs"] if c["moved"]]
    assert moved and all(CHINESE.search(c["phrase"]) for c in moved)
    header = out["updated_plan"].splitlines()[:3]
    assert header[0].startswith("# 由 `breakeven update` 根据") and not english_runs(
        "\n".join(header)
    )
    assert out["labels"]["active_users"] == "活跃用户"
    sentences = [out["narrative"], *[c["phrase"] for c in out["inputs"]], *out["labels"].values()]
    assert_chinese("\n".join(sentences), ACTUALS_PLAN)


def test_a_language_the_server_does_not_speak_is_a_located_422(client, example_text):
    r = post(client, "/api/simulate", yaml=example_text, samples=N, lang="fr")
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == "lang"
    # a mistake in the plan stays located, in Chinese as in English
    bad = post(
        client,
        "/api/simulate",
        yaml=example_text.replace("6% to 15%", "16% to 15%"),
        samples=N,
        lang="zh",
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == "market.consumer.churn_per_month"


# ---------------------------------------------------------------------------- the words of the pages

_JS_STRING = r'"(?:[^"\\]|\\.)*"'
_ENTRY = re.compile(
    rf"({_JS_STRING})\s*:\s*\[\s*((?:{_JS_STRING}\s*\+?\s*)+),\s*((?:{_JS_STRING}\s*\+?\s*)+)\]"
)


def page_words() -> dict[str, tuple[str, str]]:
    """The table of static/i18n.js: key → (English, Chinese)."""
    text = (STATIC / "i18n.js").read_text(encoding="utf-8")
    start = text.index("var W = {")
    table = text[start : text.index("\n  };\n", start)]

    def joined(parts: str) -> str:
        return "".join(json.loads(s) for s in re.findall(_JS_STRING, parts))

    out = {}
    for key, en, zh in _ENTRY.findall(table):
        out[json.loads(key)] = (joined(en), joined(zh))
    assert len(out) == len(re.findall(r'^\s*"[^"]+":\s*\[', table, re.M)), "an entry not read"
    return out


def used_keys() -> set[str]:
    """Every key the pages ask for by name (keys made from data — plan.metric.<metric> — are
    checked by their own test)."""
    keys: set[str] = set()
    for name in ("common.js", "index.js", "runs.js", "plan.js"):
        keys |= set(re.findall(r'\bt\("([A-Za-z0-9_. -]+)"', (STATIC / name).read_text("utf-8")))
    sweep = (STATIC / "sweep.js").read_text("utf-8")
    keys |= {"sweep." + k for k in re.findall(r'(?<!BE\.)\bt\("([A-Za-z0-9_.]+)"', sweep)}
    keys |= set(re.findall(r'BE\.t\("([A-Za-z0-9_.]+)"', sweep))
    for name in ("index.html", "plan.html", "runs.html"):
        html = (STATIC / name).read_text("utf-8")
        keys |= set(re.findall(r'data-i18n(?:-html)?="([^"]+)"', html))
        for attrs in re.findall(r'data-i18n-attr="([^"]+)"', html):
            keys |= {pair.split(":", 1)[1].strip() for pair in attrs.split(";")}
    return {k for k in keys if not k.endswith(".")}


def test_every_word_of_the_pages_has_english_and_chinese():
    words = page_words()
    assert len(words) > 300
    missing = sorted(used_keys() - set(words))
    assert not missing, missing
    # written without Chinese characters on purpose: a unit in symbols, a term Chinese keeps in
    # Latin letters, a language code
    latin = {"plan.unit.pct_per", "plan.unit.w.tokens", "sweep.otherLang"}
    for key, (en, zh) in words.items():
        assert en, key
        plain = re.sub(r"\{\w+\}", " ", re.sub(r"<[^>]+>", " ", zh))  # no markup, no {names}
        # Chinese, or nothing to translate (a number, a symbol, the other language's name)
        if key not in latin and english_runs(re.sub(r"\{\w+\}", " ", en), n=1):
            assert CHINESE.search(plain) or key == "sweep.other", key
        assert not english_runs(plain), (key, zh)
        assert set(re.findall(r"\{\w+\}", en)) >= set(re.findall(r"\{\w+\}", zh)), key


def test_the_words_made_from_data_are_there():
    """Keys the pages build from the answers' own keys: metrics, probabilities, goal-seek's
    figures and directions, the history's headline metrics, the units' parts."""
    from breakeven.store.schema import HEADLINE

    words = page_words()
    plan = (STATIC / "plan.js").read_text("utf-8")
    metrics = re.search(r"var METRICS = \{(.*?)\};", plan, re.S).group(1)  # type: ignore[union-attr]
    for m in re.findall(r"^\s*(\w+):", metrics, re.M):
        assert f"plan.metric.{m}" in words, m
    for m in ("npv", "breakeven_month", "breakeven_tie", "npv_tie", "peak_funding_need"):
        assert f"plan.metric.{m}" in words, m  # compare's p_beats
    for figure in re.findall(r'\["([\w.]+)", "[^"]*"\]', plan.split("var GOALS")[1][:600]):
        assert f"plan.goal.{figure}" in words, figure
    for d in ("at or above", "at or below"):
        assert f"plan.goal.dir.{d}" in words
    for col, _, _ in HEADLINE:
        assert f"runs.m.{col}" in words, col
    for field in ("seed", "samples", "version"):
        assert f"runs.setting.{field}" in words


def test_every_unit_of_every_template_reads_in_chinese(client):
    words = page_words()
    units = set()
    for path in TEMPLATES:
        doc = post(client, "/api/inputs", yaml=path.read_text(encoding="utf-8")).json()
        units |= {r["unit"] for g in doc["groups"] for r in g["inputs"]}
    for unit in units:
        per = re.fullmatch(r"1/(\w+)", unit)
        parts = [per.group(1)] if per else unit.split("/")
        for part in parts:
            if re.fullmatch(r"[A-Z]{3}|", part) or part in (
                "number", "count", "real", "positive", "nonnegative", "fraction", "probability", "×"
            ):  # fmt: skip
                continue
            assert f"plan.unit.w.{part}" in words, (unit, part)


# ---------------------------------------------------------------------------- in a real browser


def template_names() -> list[str]:
    """What the start page shows of the templates that their authors wrote: their names."""
    import yaml

    return [str(yaml.safe_load(p.read_text(encoding="utf-8"))["name"]) for p in TEMPLATES]


# what the plans' authors wrote, on each page: the plans served (their names and descriptions on
# the start page, with the templates' names), the plan opened, the runs saved from it
AUTHORED_LIST = sorted(
    set(authored(EXAMPLE, ACTUALS_PLAN) + template_names()), key=len, reverse=True
)
AUTHORED_PLAN = authored(EXAMPLE)
AUTHORED_ACTUALS = authored(ACTUALS_PLAN)

# the text of the whole page (hidden parts, options, the charts' SVG text included), and the
# accessible names and hints of its elements
PAGE_TEXT = "document.documentElement.outerHTML"
ATTRIBUTES = """() => Array.from(document.querySelectorAll('[aria-label],[placeholder],[title]'))
  .flatMap(n => ['aria-label', 'placeholder', 'title'].map(a => n.getAttribute(a)))
  .filter(Boolean).join('\\n')"""


def assert_page_chinese(page, where: str, written: list[str]) -> None:
    """No English sentence in the page's text nor in its elements' labels, but for what the
    plans' authors wrote (``written``)."""
    text = visible(page.evaluate(PAGE_TEXT))
    assert CHINESE.search(text), where
    hits = english_runs(without(text, written))
    assert not hits, f"{where}: English left:\n" + "\n".join(hits)
    hits = english_runs(without(page.evaluate(ATTRIBUTES), written))
    assert not hits, f"{where}: English left in labels:\n" + "\n".join(hits)
    assert page.evaluate("document.documentElement.lang") == "zh-CN", where


def _wait_run(page, n: int) -> None:
    page.wait_for_function(
        f"window.breakevenPage && window.breakevenPage.runs >= {n} && !window.breakevenPage.busy"
        " && !document.body.classList.contains('pending')",
        timeout=60000,
    )


def _wait_out(page, selector: str, text: str) -> None:
    page.wait_for_function(
        "([s, t]) => { const n = document.querySelector(s); return n && n.innerText.includes(t); }",
        arg=[selector, text],
        timeout=60000,
    )


def test_the_pages_in_chinese_in_chromium(server):
    with chromium_page(800) as (page, errors, requests):
        # the start page in Chinese: the templates' own Chinese summaries
        page.goto(server + "/?lang=zh", wait_until="load")
        page.wait_for_function("window.breakevenIndex && window.breakevenIndex.ready")
        assert page.inner_text("h1") == "收入能覆盖成本吗？"
        assert_page_chinese(page, "the plan list", AUTHORED_LIST)

        # the plan page: the link keeps the language
        page.click("#files a.plan")
        page.wait_for_url(re.compile(r".*/plan/chat-assistant-freemium\?lang=zh$"))
        _wait_run(page, 1)
        assert "月流失率" in page.inner_text("#groups")
        head = page.inner_text("#headline")
        assert head.startswith("60 个月内实现盈亏平衡的概率为") and "亿" in head
        assert "亿" in page.inner_text("#cards")
        ticks = page.locator("#chart-cash .ytick text").all_text_contents()
        assert any("亿" in t for t in ticks), ticks

        # an edit re-runs in Chinese; a range the wrong way round is refused in Chinese
        churn = '.field[data-path="market.consumer.churn_per_month"] input'
        page.locator(churn).nth(0).fill("3%")
        _wait_run(page, 2)
        assert "较原方案" in page.inner_text("#cards")
        page.locator(churn).nth(0).fill("19%")
        err = '.field[data-path="market.consumer.churn_per_month"] .err'
        assert page.inner_text(err) == "低值高于高值"
        page.locator(churn).nth(0).fill("3%")
        _wait_run(page, 2)

        # the tools, each answer in Chinese
        page.click("#btn-sens")
        page.select_option("#sens-samples", "2000")
        page.click("#form-sens button[type=submit]")
        _wait_out(page, "#out-sens", "所有输入取中位数时的净现值")
        page.click("#btn-goal")
        page.select_option("#goal-input", "streams.subscription.conversion")
        page.click("#form-goal button[type=submit]")
        _wait_out(page, "#out-goal", "求得的取值")
        assert "当 付费转化率 不低于" in page.inner_text("#out-goal")  # named, not a path
        page.click("#btn-compare")
        _wait_out(page, "#out-compare", "修改后方案更好的概率")
        page.click("#btn-sweep")
        page.select_option("#sweep-input-0", "streams.subscription.conversion")
        page.select_option("#sweep-samples", "500")
        page.click("#btn-run-sweep")
        page.wait_for_function("window.breakevenPage.sweeps >= 1", timeout=60000)
        assert page.inner_text("#sweep-best").startswith("按盈亏平衡概率最优的单元格：付费转化率")
        page.click("#btn-save")
        page.fill("#note", "流失率更低")
        page.click("#form-save button[type=submit]")
        _wait_out(page, "#out-save", "已保存为运行")
        assert_page_chinese(page, "the plan page", AUTHORED_PLAN)

        # back to English on the same page: the edit stays, every answer comes again
        runs = page.evaluate("window.breakevenPage.runs")
        page.click(".lang-toggle [data-lang=en]")
        _wait_run(page, runs + 1)
        assert page.inner_text("#headline").startswith("Break-even by month 60")
        assert "Churn per month" in page.inner_text("#groups")
        assert page.locator(churn).nth(0).input_value() == "3%"
        assert "vs original" in page.inner_text("#cards")
        _wait_out(page, "#out-sens", "with every input at its median")
        _wait_out(page, "#out-goal", "Value found")
        _wait_out(page, "#out-compare", "Chance the edited plan does better")
        assert page.inner_text("#sweep-best").startswith("Best cell by P(break-even)")
        assert "lang=" not in page.url
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.inner_text("#h-sweep").startswith("Sweep")

        # and Chinese again: the history page, through the top bar's link
        page.click(".lang-toggle [data-lang=zh]")
        _wait_run(page, runs + 2)
        page.click("header nav a[href^='/runs']")
        page.wait_for_url(re.compile(r".*/runs\?lang=zh$"))
        page.wait_for_function("window.breakevenRuns && window.breakevenRuns.ready")
        assert "流失率更低" in page.inner_text("#list")
        assert_page_chinese(page, "the history page", AUTHORED_PLAN)
        page.click(".lang-toggle [data-lang=en]")
        assert page.inner_text("h1") == "Saved runs"
        assert "Break-even month" in page.inner_text("#list thead")

        assert not errors, errors
        outside = [u for u in requests if not u.startswith(server)]
        assert not outside, outside


def test_actuals_in_chinese_in_chromium(server):
    with chromium_page(800) as (page, errors, requests):
        page.goto(server + "/plan/plan?lang=zh", wait_until="load")
        _wait_run(page, 1)
        page.click("#btn-actuals")
        page.set_input_files("#actuals-file", str(ACTUALS))
        page.select_option("#actuals-samples", "2000")
        page.click("#btn-update")
        page.wait_for_function(
            "window.breakevenPage.updates >= 1 && !window.breakevenPage.updating",
            timeout=90000,
        )
        narrative = page.inner_text("#upd-narrative")
        assert narrative.startswith("6 个月的实际数据（2025-01 至 2025-06）"), narrative
        assert "streams.subscription" not in narrative  # the inputs' names, in Chinese
        assert "更新前 → 更新后" in page.inner_text("#out-actuals")
        assert_page_chinese(page, "the actuals panel", AUTHORED_ACTUALS)
        assert not errors, errors
