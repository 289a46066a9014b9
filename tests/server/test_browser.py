"""The web app in a real browser: Debian's Chromium driven by Playwright against `create_app`
served by uvicorn on a loopback port, with a run store in a temporary folder.

The whole flow of the issue: open the example from the start page, change an input and see the
headline and a chart change, save a run, edit again and save a second run, open the history, diff
the two runs and see the assumption that changed — with no JavaScript error and no request that
leaves the server's origin (the page is offline: plotly.js comes from the server).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chat-assistant-freemium.yaml"
ACTUALS = ROOT / "examples" / "actuals" / "actuals.csv"

from .conftest import chromium_page  # noqa: E402

CHURN = '.field[data-path="market.consumer.churn_per_month"] input'
CONVERSION = '.field[data-path="streams.subscription.conversion"] input'


def _wait_run(page, n: int) -> None:
    """Wait until the page has drawn its n-th answer and nothing is pending."""
    page.wait_for_function(
        f"window.breakevenPage && window.breakevenPage.runs >= {n} && !window.breakevenPage.busy"
        " && !document.body.classList.contains('pending')",
        timeout=30000,
    )


def _cash_median(page) -> list[float]:
    return page.evaluate("document.getElementById('chart-cash').data[2].y")


def _save(page, note: str) -> str:
    """Save the run with a note; the id the page reports."""
    if page.is_hidden("#panel-save"):
        page.click("#btn-save")
    page.fill("#note", note)
    page.click("#form-save button[type=submit]")
    page.wait_for_function(
        "(() => { const b = document.querySelector('#out-save .banner.ok code');"
        " return b && b.textContent !== window.__lastSaved; })()",
        timeout=30000,
    )
    run_id = page.inner_text("#out-save .banner.ok code")
    page.evaluate("id => { window.__lastSaved = id; }", run_id)
    return run_id


def test_edit_save_and_diff_in_chromium(server):
    with chromium_page(800) as (page, errors, requests):
        # the start page lists the plan given to the server and the templates
        page.goto(server + "/", wait_until="load")
        page.wait_for_selector("#files a.plan")
        assert page.locator("#templates a.plan").count() >= 5
        page.click("#files a.plan")
        page.wait_for_url(re.compile(r".*/plan/.+"))

        # the plan page: inputs with names (not paths), the answer and its charts
        _wait_run(page, 1)
        assert "Churn per month" in page.inner_text("#groups")
        assert page.locator(CHURN).count() == 2  # a 90% range: low and high
        first = page.inner_text("#headline")
        assert "%" in page.inner_text("#cards")
        for chart in ("chart-cash", "chart-revcost", "chart-cdf", "chart-tornado"):
            assert page.locator(f"#{chart} .main-svg").count() >= 1, chart
        cash = _cash_median(page)
        ticks = page.locator("#chart-cash .xtick text").all_text_contents()
        assert any(re.match(r"20\d\d", t) for t in ticks), ticks  # dates: it starts 2025-01

        # lower churn: the answer and the cash chart move
        page.locator(CHURN).nth(0).fill("2%")
        page.locator(CHURN).nth(1).fill("4%")
        _wait_run(page, 2)
        second = page.inner_text("#headline")
        assert second != first
        assert _cash_median(page) != cash
        assert "vs original" in page.inner_text("#cards")

        # a range the wrong way round is refused next to the input, and nothing is sent
        page.locator(CHURN).nth(0).fill("9%")
        err = page.locator('.field[data-path="market.consumer.churn_per_month"] .err')
        assert "low end" in err.inner_text()
        page.locator(CHURN).nth(0).fill("2%")
        _wait_run(page, 2)
        assert err.inner_text() == ""

        run_a = _save(page, "churn 2% to 4%")

        # a second edit, a second run
        runs = page.evaluate("window.breakevenPage.runs")
        page.locator(CONVERSION).nth(1).fill("8%")
        _wait_run(page, runs + 1)
        assert page.inner_text("#headline") != second
        run_b = _save(page, "conversion up to 8%")
        assert run_b != run_a

        # the history: both runs; diff them
        page.goto(server + "/runs", wait_until="load")
        page.wait_for_function("window.breakevenRuns && window.breakevenRuns.ready")
        for run_id in (run_a, run_b):
            page.check(f'#list input[type=checkbox][value="{run_id}"]')
        page.click("#btn-diff")
        page.wait_for_function("window.breakevenRuns.diffs >= 1", timeout=15000)
        diff = page.inner_text("#diff-out")
        changed = page.locator("#diff-out table").first.locator("tbody tr")
        assert changed.count() == 1, diff  # only the conversion differs
        row = changed.first.inner_text()
        assert "onversion" in row and "2% to 6%" in row and "2% to 8%" in row, row
        assert "churn 2% to 4%" in diff and "conversion up to 8%" in diff
        assert re.search(r"P\(break-even", diff) and "NPV" in diff

        assert not errors, errors
        origin = server + "/"
        outside = [u for u in requests if not u.startswith(origin)]
        assert not outside, outside  # offline: nothing but the server
        assert any(u.endswith("/static/plotly.min.js") for u in requests)


def test_update_on_actuals_in_chromium(server):
    """The Actuals panel: upload the example's actuals for its plan, update, and see the
    narrative, the before → after table, the fan charts with the actuals, the variance table and
    what moved; then use the updated plan on the page."""
    with chromium_page(900) as (page, errors, requests):
        page.goto(server + "/plan/plan", wait_until="load")  # examples/actuals/plan.yaml
        _wait_run(page, 1)
        page.select_option("#samples", "2000")  # small runs: the flow, not the numbers
        _wait_run(page, 2)

        page.click("#btn-actuals")
        assert page.is_visible("#panel-actuals")
        assert page.input_value("#actuals-error") == "10%"
        page.set_input_files("#actuals-file", str(ACTUALS))
        page.select_option("#actuals-samples", "2000")
        page.click("#btn-update")
        page.wait_for_function(
            "window.breakevenPage.updates >= 1 || !!window.breakevenPage.updateError",
            timeout=60000,
        )
        assert page.evaluate("window.breakevenPage.updateError") is None
        assert page.is_hidden("#error")

        narrative = page.inner_text("#upd-narrative")
        assert "P(break-even)" in narrative and "2025-01 to 2025-06" in narrative
        assert "streams.subscription" not in narrative  # the inputs' names, not paths
        out = page.locator("#out-actuals")
        assert "Before → after" in out.inner_text()
        # one fan chart per observed series (cash among them), the actuals as markers
        charts = page.locator("#out-actuals .upd-chart .chart")
        assert charts.count() == 6
        assert page.locator("#chart-upd-0 .main-svg").count() >= 1
        actual = page.evaluate(
            "document.getElementById('chart-upd-0').data.filter(t => t.name === 'Actual')[0].y"
        )
        assert actual[0] == 529724  # active_users, 2025-01
        # the variance table: 6 series x 6 months, the count of those outside the band
        rows = page.locator("#upd-variance tbody tr")
        assert rows.count() == 36
        outside = page.locator("#upd-variance tbody tr.outside").count()
        assert page.inner_text("#upd-outside").startswith(f"{outside} of 36 observations")
        assert page.locator("#upd-inputs tbody tr").count() >= 1
        assert page.is_enabled("#btn-upd-download")

        # use the updated plan: the page holds it, and its answer is drawn
        runs = page.evaluate("window.breakevenPage.runs")
        headline = page.inner_text("#headline")
        page.click("#btn-upd-use")
        _wait_run(page, runs + 1)
        assert "updated on actuals" in page.inner_text("#plan-name")
        assert page.inner_text("#headline") != headline

        assert not errors, errors
        outside_origin = [u for u in requests if not u.startswith(server + "/")]
        assert not outside_origin, outside_origin
