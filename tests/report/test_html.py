"""The HTML report: every section and chart, plotly.js embedded once (no CDN), user text
escaped, both languages, the comparison report — and the charts load in headless Chromium
without JavaScript errors."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from breakeven.report.html import render_compare_html, write_compare_html, write_html
from breakeven.report.view import assumptions

from . import (
    CHROMIUM,
    CHROMIUM_ARGS,
    fake_tornado,
    renamed,
    results,
    results_with_milestones,
)

SECTIONS = [
    "summary",
    "revenue_cost",
    "cash",
    "users",
    "breakeven",
    "funding_need",
    "unit_economics",
    "user_margins",
    "cost_breakdown",
    "tornado",
    "milestones",
    "metrics",
    "statement",
    "assumptions",
    "method",
]
CHARTS = [
    "revenue_cost",
    "cash",
    "users",
    "breakeven_cdf",
    "funding_need",
    "unit_economics",
    "user_margins",
    "cost_breakdown",
    "tornado",
]
EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    r = results_with_milestones()
    return write_html(
        r, tmp_path_factory.mktemp("html") / "report.html", lang="en", tornado_rows=fake_tornado(r)
    )


@pytest.fixture(scope="module")
def compare(tmp_path_factory) -> Path:
    a = results()
    b = renamed(results(seed=8), "Plan B")
    return write_compare_html([a, b], tmp_path_factory.mktemp("cmp") / "compare.html", lang="en")


def test_every_section_and_chart(report):
    text = report.read_text(encoding="utf-8")
    for s in SECTIONS:
        assert f'id="sec-{s}"' in text, s
    for c in CHARTS:
        assert f'id="chart-{c}"' in text, c
    r = results_with_milestones()
    assert r.headline().replace("'", "&#x27;") in text
    # milestones, with their test and probability; names escaped
    assert "1M paying users" in text and "Paying users ≥ 1M" in text
    assert "Revenue &lt;¥30M&gt; &amp; up" in text and "Revenue ≥ ¥30M" in text
    for a in assumptions(r):  # the assumptions table lists every input, by its label
        assert f"<code>{html.escape(a['label'], quote=False)}</code>" in text, a["label"]
    # the role names of the team show where each cost input is used
    assert "research &amp; engineering" in text


def test_plotly_embedded_once_and_offline(report):
    text = report.read_text(encoding="utf-8")
    assert text.count("plotly.js v") == 1  # the bundle's banner
    assert not re.search(r"<script[^>]+src=", text)
    from plotly.offline import get_plotlyjs

    ours = text.replace(get_plotlyjs(), "")  # the bundle itself names a CDN for unused maps
    assert len(ours) < len(text) - 1_000_000
    assert "cdn.plot.ly" not in ours and "cdn.jsdelivr" not in ours and "https://" not in ours


def test_user_text_is_escaped(tmp_path):
    r = renamed(results(), EVIL, description=f"desc {EVIL} & more")
    path = write_html(r, tmp_path / "evil.html", lang="en", tornado_rows=False)
    text = path.read_text(encoding="utf-8")
    assert EVIL not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "desc &lt;script&gt;" in text and "&amp; more" in text
    cmp_text = render_compare_html([r, results()], lang="en")
    assert EVIL not in cmp_text


def test_margins_by_user_type(tmp_path):
    text = write_html(results(), tmp_path / "m.html", lang="en", tornado_rows=False).read_text(
        "utf-8"
    )
    assert 'id="chart-user_margins"' in text and "Very heavy user (p99)" in text


def test_report_tornado_is_the_sensitivity_commands(tmp_path):
    """The report shows the tornado `breakeven sensitivity` prints for the same seed and samples."""
    from breakeven.analysis.sensitivity import tornado
    from breakeven.report.view import View

    r = results()
    view = View.of(r)
    alone = tornado(r.scenario, metric="npv", seed=r.seed, samples_for_conditional=r.samples)
    assert view.tornado is not None and view.tornado.to_dict() == alone.to_dict()
    text = write_html(view, tmp_path / "t.html", lang="en").read_text("utf-8")
    top = alone[0]
    assert f"<code>{top['input']}</code>" in text and "breakeven sensitivity" in text


def test_tornado_skipped_with_a_note(tmp_path):
    path = write_html(results(), tmp_path / "no-tornado.html", lang="en", tornado_rows=False)
    text = path.read_text(encoding="utf-8")
    assert 'id="sec-tornado"' in text and "Sensitivity analysis is not available" in text
    assert 'id="chart-tornado"' not in text


def test_chinese_report(tmp_path):
    path = write_html(results(), tmp_path / "zh.html", lang="zh", tornado_rows=False)
    text = path.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in text
    assert "现金余额" in text and "假设" in text and "亿" in text
    assert "60 个月内" in text


def test_compare_report_has_both_plans(compare):
    text = compare.read_text(encoding="utf-8")
    assert "Chat assistant, freemium" in text and "Plan B" in text
    for c in ("cmp_revenue", "cmp_cost", "cmp_cash", "cmp_breakeven_cdf", "cmp_funding_need"):
        assert f'id="chart-{c}"' in text, c
    assert 'id="sec-metrics"' in text and 'id="sec-beats"' in text
    assert text.count("plotly.js v") == 1


def _browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is not installed"
    )
    return sync_api.sync_playwright


def test_charts_render_in_chromium_without_errors(report, compare):
    sync_playwright = _browser()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for path, n_charts in ((report, len(CHARTS)), (compare, 7)):
                page = browser.new_page(viewport={"width": 1200, "height": 900})
                errors: list[str] = []
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                page.on(
                    "console",
                    lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None,
                )
                requests: list[str] = []
                page.on("request", lambda req, requests=requests: requests.append(req.url))
                page.goto(path.resolve().as_uri(), wait_until="load")
                page.wait_for_function("window.breakevenReportReady === true", timeout=20000)
                rendered = page.evaluate(
                    "Array.from(document.querySelectorAll('div[id^=chart-]'))"
                    ".map(d => [d.id, d.classList.contains('js-plotly-plot')"
                    " && !!d.querySelector('.main-svg')])"
                )
                assert len(rendered) == n_charts, rendered
                assert all(ok for _, ok in rendered), rendered
                assert not errors, errors
                assert all(u.startswith("file:") for u in requests), requests  # offline
                page.close()
        finally:
            browser.close()


def test_tornado_computed_when_not_given(tmp_path):
    text = write_html(results(), tmp_path / "t.html", lang="en").read_text(encoding="utf-8")
    # computed by breakeven.analysis.sensitivity, or left out with a note saying why
    assert 'id="chart-tornado"' in text or "Sensitivity analysis is not available" in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_captions_fit_a_to_business_plan(tmp_path, lang):
    """A to-business plan's report names its own units and says nothing of free users or of
    fees it does not have; a plan without funding rounds mentions no round markers."""
    import breakeven
    from breakeven.scenario import templates

    res = breakeven.simulate(breakeven.load(templates.path("private-deployment")), 300, seed=1)
    html = write_html(res, tmp_path / "b2b.html", lang=lang, tornado_rows=False).read_text(
        encoding="utf-8"
    )
    free = {"en": "free users", "zh": "免费用户"}[lang]
    assert free not in html
    seat = {"en": "per deployed account, paid seat and seat", "zh": "已部署客户、付费席位和席位"}
    assert seat[lang] in html
    ue = html[html.index('id="sec-unit_economics"') : html.index('id="sec-cost_breakdown"')]
    assert {"en": ">Fees<", "zh": ">渠道与支付费用<"}[lang] not in ue
    rounds = {"en": "Dotted lines mark funding rounds", "zh": "虚线标出融资轮次"}[lang]
    assert (rounds in html) == bool(res.scenario.funding.rounds)
    consumer = write_html(results(), tmp_path / "c.html", lang=lang, tornado_rows=False)
    assert free in consumer.read_text(encoding="utf-8")


def test_assumptions_name_list_items_not_indexes(report):
    """The assumptions table shows each input as people know it: a team role, a funding round by
    its name, never by its index in the list."""
    page = report.read_text()
    section = page[page.index('id="sec-assumptions"') :]
    section = section[: section.index("</table>")]
    assert "company.team[research &amp; engineering].cost_per_person_per_year" in section
    assert "funding.rounds[Series B].amount" in section
    assert not re.search(r"\.(team|rounds|segments)\.\d+\.", section)
