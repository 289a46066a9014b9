"""The plan page's Sweep panel in a real browser (Debian's Chromium through Playwright, as
test_browser.py): pick two inputs and two values each, run the 2 × 2 sweep at a small sample and
see the heatmap and the table of every cell; a value outside its field's domain is shown under its
box; the panel speaks Chinese when asked — no JavaScript error, no request outside the server."""

from __future__ import annotations

from .conftest import chromium_page
from .test_browser import _wait_run

PRICE = "streams.subscription.price_per_month"
CONVERSION = "streams.subscription.conversion"
REFUSED = "status of 422"  # the browser logs the 422 the bad value gets back: expected


def _wait_sweep(page, n: int) -> None:
    page.wait_for_function(
        f"window.breakevenPage.sweeps >= {n} && !window.breakevenPage.sweeping", timeout=60000
    )


def test_a_two_by_two_sweep_in_chromium(server):
    with chromium_page(800) as (page, errors, requests):
        page.goto(server + "/plan/chat-assistant-freemium", wait_until="load")
        _wait_run(page, 1)
        page.click("#btn-sweep")
        assert page.is_visible("#panel-sweep")

        # the inputs are listed by name; picking one suggests values around the plan's
        assert "Conversion" in page.inner_text("#sweep-input-0")
        page.select_option("#sweep-input-0", PRICE)
        assert page.input_value("#sweep-values-0") != ""
        page.select_option("#sweep-input-1", CONVERSION)
        assert "%" in page.input_value("#sweep-values-1")

        page.fill("#sweep-values-0", "39, 59")
        page.fill("#sweep-values-1", "2%, 5")  # a bare number in a percentage is percent
        page.select_option("#sweep-samples", "500")
        assert "4 cells" in page.inner_text("#sweep-cells")
        page.click("#btn-run-sweep")
        _wait_sweep(page, 1)

        # the heatmap: 2 rows (price) × 2 columns (conversion) of P(break-even)
        assert page.locator("#chart-sweep .main-svg").count() >= 1
        trace = page.evaluate(
            "(() => { const d = document.getElementById('chart-sweep').data[0];"
            " return {type: d.type, z: d.z}; })()"
        )
        assert trace["type"] == "heatmap"
        assert len(trace["z"]) == 2 and all(len(r) == 2 for r in trace["z"])
        assert all(0 <= v <= 1 for r in trace["z"] for v in r)
        ticks = page.locator("#chart-sweep .xtick text").all_text_contents()
        assert ticks == ["2%", "5%"], ticks
        # the table: every cell with every figure; the best by the figure shown is marked
        table = page.locator("#sweep-table tbody tr")
        assert table.count() == 4
        assert page.locator("#sweep-table tbody tr.best").count() == 1
        head = page.inner_text("#sweep-table thead")
        for word in ("Price per month", "Conversion", "P(break-even)", "NPV", "P90"):
            assert word in head, head
        assert "Best cell by P(break-even)" in page.inner_text("#sweep-best")

        # another figure: drawn from the same answer, no new run
        page.select_option("#sweep-figure", "npv")
        assert "NPV" in page.inner_text("#sweep-best")
        assert page.evaluate("window.breakevenPage.sweeps") == 1

        # a value outside its field's domain: the server's message under its box
        page.fill("#sweep-values-1", "2%, 150%")
        page.click("#btn-run-sweep")
        page.wait_for_function("window.breakevenPage.sweepError", timeout=60000)
        assert "150%" in page.inner_text("#sweep-err-1")
        assert page.get_attribute("#sweep-values-1", "aria-invalid") == "true"

        # values that would not mean what they seem: refused under their box, nothing sent
        page.fill("#sweep-values-0", "1,500")  # not the values 1 and 500
        page.click("#btn-run-sweep")
        assert "1500" in page.inner_text("#sweep-err-0")
        page.fill("#sweep-values-0", "39, 59")
        page.fill("#sweep-values-1", "0.02, 0.05")  # in a percentage: 0.02%, not 2%
        page.click("#btn-run-sweep")
        assert "2%" in page.inner_text("#sweep-err-1")
        assert "150%" not in page.inner_text("#out-sweep")  # the earlier error is gone
        assert page.evaluate("window.breakevenPage.sweeps") == 1

        # the panel in Chinese
        page.click("#sweep-lang")
        assert "参数扫描" in page.inner_text("#h-sweep")
        assert page.get_attribute("#panel-sweep", "lang") == "zh-CN"
        page.fill("#sweep-values-1", "2%, 5%")
        page.click("#btn-run-sweep")
        _wait_sweep(page, 2)
        assert "盈亏平衡概率" in page.inner_text("#sweep-table thead")
        assert "亿" in page.inner_text("#sweep-table tbody")  # amounts in 亿 and 万

        assert [e for e in errors if REFUSED not in e] == []
        outside = [u for u in requests if not u.startswith(server) and not u.startswith("data:")]
        assert outside == []
