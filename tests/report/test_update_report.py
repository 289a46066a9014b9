"""The report of an update on actuals: every section, the actuals as chart data, offline, both
languages (the Chinese page has no English heading and its own narrative), and the terminal
summary at 80 columns."""

from __future__ import annotations

import json
import re

import pytest
from rich.console import Console

from breakeven.report.i18n import STRINGS, t
from breakeven.report.update import narrative, print_update, update_html, write_update_html

from . import ROOT

PLAN = ROOT / "examples" / "actuals" / "plan.yaml"
ACTUALS = ROOT / "examples" / "actuals" / "actuals.csv"
SECTIONS = ["summary", "sampler", "headline", "plan_vs_actual", "variance", "changes", "method"]
HEADINGS = [k for k in STRINGS if k.startswith("upd.sec.")]


@pytest.fixture(scope="module")
def upd():
    import breakeven
    from breakeven.analysis.update import update

    sc = breakeven.load(PLAN)
    text = PLAN.read_text(encoding="utf-8")
    return update(sc, ACTUALS, samples=2048, plan_text=text, file=str(PLAN))


@pytest.fixture(scope="module")
def en(upd) -> str:
    return update_html(upd, "en")


@pytest.fixture(scope="module")
def zh(upd) -> str:
    return update_html(upd, "zh")


def without_plotly(text: str) -> str:
    from plotly.offline import get_plotlyjs

    ours = text.replace(get_plotlyjs(), "")
    assert len(ours) < len(text) - 1_000_000  # the bundle was there, once
    return ours


def chart_data(text: str, key: str) -> list[dict]:
    """The traces of the chart ``chart-<key>`` as plotly received them."""
    m = re.search(r'Plotly\.newPlot\(\s*"chart-' + re.escape(key) + r'",\s*', text)
    assert m, key
    traces, _ = json.JSONDecoder().raw_decode(text[m.end() :])
    return traces


def test_every_section_and_chart(upd, en):
    for s in [*SECTIONS, "plan_yaml"]:
        assert f'id="sec-{s}"' in en, s
    for name in upd.bands():
        assert f'id="chart-pva-{name.replace(".", "-")}"' in en, name
    assert 'id="chart-ranges"' in en
    assert upd.narrative().replace("'", "&#x27;") in en
    assert "updated on " + str(ACTUALS) in en and upd.actuals.period in en
    rows = upd.variance()
    k = sum(r["outside_plan"] for r in rows)
    assert f"{k} of {len(rows)} observations fell outside the plan&#x27;s 80% band" in en
    assert en.count('<tr class="out">') == k
    assert '<details class="yaml">' in en and "Updated by `breakeven update`" in en
    for c in upd.moved:  # the table of moved inputs names each of them
        assert c.label.replace("&", "&amp;") in en, c.name
    assert "Crank–Nicolson" in en and "3 standard errors" in en


def test_actual_values_are_chart_data(upd, en):
    for name, s in upd.actuals.series.items():
        traces = chart_data(en, "pva-" + name.replace(".", "-"))
        actual = [tr for tr in traces if tr.get("name") == "Actual"]
        assert len(actual) == 1, name
        idx = [i for i, ok in enumerate(s.observed) if ok]
        assert actual[0]["y"] == [float(s.values[i]) for i in idx]
        assert actual[0]["x"] == [upd.posterior.calendar[i] for i in idx]
        assert {tr.get("name") for tr in traces} >= {"Plan", "Updated forecast"}


def test_offline(en, zh):
    for text in (en, zh):
        assert text.count("plotly.js v") == 1
        assert not re.search(r"<script[^>]+src=", text)
        ours = without_plotly(text)
        assert "http://" not in ours and "https://" not in ours


def test_chinese_page_has_no_english_heading(upd, zh):
    assert '<html lang="zh-CN">' in zh
    ours = without_plotly(zh)
    for key in HEADINGS:
        assert t(key, "en") not in ours, key
    h2 = re.findall(r"<h2>(.*?)</h2>", ours)
    assert h2 and all(re.search(r"[\u4e00-\u9fff]", h) for h in h2), h2
    th = [h for h in re.findall(r"<th(?: [^>]*)?>(.*?)</th>", ours) if h]
    assert th and all(re.search(r"[\u4e00-\u9fff]", h) for h in th), th
    assert "How this was computed" not in ours and "Updated forecast" not in ours
    assert "observations fell outside" not in ours and "个观测值中有" in ours


def test_chinese_narrative_from_the_same_facts(upd, zh):
    s = narrative(upd, "zh")
    p0 = upd.prior.probabilities["p_breakeven"]
    p1 = upd.posterior.probabilities["p_breakeven"]
    assert f"{p0:.0%}" in s and f"{p1:.0%}" in s and "实际数据" in s
    best = max(upd.moved, key=lambda c: abs(c.effect))
    assert best.label in s
    assert s.replace("&", "&amp;") in zh
    assert narrative(upd, "en") == upd.narrative()


def test_write_is_atomic(upd, tmp_path):
    path = tmp_path / "update.html"
    assert write_update_html(upd, path, lang="en") is None
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["update.html"]  # no temporary file left


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_terminal(upd, lang):
    con = Console(record=True, width=80)
    print_update(upd, con, lang=lang)
    text = con.export_text()
    flat = " ".join(text.split())
    assert " ".join(narrative(upd, lang).split()) in flat
    rows = upd.variance()
    k = sum(r["outside_plan"] for r in rows)
    assert t("outside_count", lang, k=k, n=len(rows)) in flat
    assert t("upd.t.headline", lang) in text and t("upd.t.moved", lang) in text
    from rich.cells import cell_len

    assert max(cell_len(line) for line in text.splitlines()) <= 80


def test_report_of_an_update_file_name_is_escaped(upd):
    import dataclasses

    evil = dataclasses.replace(upd.actuals, file="<script>x</script>.csv")
    text = update_html(dataclasses.replace(upd, actuals=evil), "en")
    assert "<script>x</script>" not in text and "&lt;script&gt;x&lt;/script&gt;.csv" in text
