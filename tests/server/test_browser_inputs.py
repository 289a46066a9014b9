"""What the plan page does with inputs it cannot use, in Debian's Chromium (found by driving the
page with odd values): a box it cannot read keeps its message and holds back saving, downloading
and the tools; a month's value is one value (thousands separators, no extra months); the seed
box says what is wrong with it; leaving with unsaved edits asks first."""

from __future__ import annotations

import re

from .conftest import chromium_page
from .test_browser import _wait_run

CHURN = '.field[data-path="market.consumer.churn_per_month"]'
CONVERSION = '.field[data-path="streams.subscription.conversion"]'
BRAND = '.field[data-path="company.brand_marketing_per_month"]'


def _open(page, server: str) -> None:
    page.goto(server + "/plan/chat-assistant-freemium", wait_until="load")
    _wait_run(page, 1)


def _settle(page) -> None:
    """Wait until no run is waiting or in flight."""
    page.wait_for_function(
        "!document.body.classList.contains('pending') && !window.breakevenPage.busy",
        timeout=30000,
    )


def test_a_box_the_page_cannot_read_holds_everything_back(server):
    with chromium_page() as (page, errors, _):
        _open(page, server)
        page.locator(f"{CONVERSION} input").nth(1).fill("7%")
        _wait_run(page, 2)
        page.locator(f"{CONVERSION} input").nth(0).fill("abc")
        err = page.locator(f"{CONVERSION} .err")
        assert "abc" in err.inner_text()
        assert "Not up to date" in page.inner_text("#status")

        # another edit runs (without the unreadable box) and leaves its message in place
        page.locator(f"{CHURN} input").nth(1).fill("12%")
        _wait_run(page, 3)
        _settle(page)
        assert "abc" in err.inner_text(), "the message went away although the box still shows abc"
        assert "Not up to date" in page.inner_text("#status")

        # Save and Download refuse, naming the input
        page.click("#btn-save")
        page.click("#form-save button[type=submit]")
        page.wait_for_selector("#out-save .banner.error")
        assert "Conversion" in page.inner_text("#out-save") and "first" in page.inner_text(
            "#out-save"
        )
        page.click("#btn-download")
        page.wait_for_function(
            "document.querySelector('#out-save').textContent.includes('first')", timeout=10000
        )

        # fixed: the message goes, the answer is up to date again
        page.locator(f"{CONVERSION} input").nth(0).fill("3%")
        _wait_run(page, 4)
        _settle(page)
        assert err.inner_text() == ""
        assert "Up to date" in page.inner_text("#status")
        assert not [e for e in errors if "Failed to load resource" not in e], errors


def test_a_month_value_is_one_value(server):
    with chromium_page() as (page, errors, _):
        _open(page, server)
        value = page.locator(f"{BRAND} table.sched tbody tr").first.locator("input").nth(1)

        value.fill("1,500,000")  # a thousands separator: one number, as in every other box
        _wait_run(page, 2)
        _settle(page)
        assert page.locator(f"{BRAND} .err").inner_text() == ""
        plan = page.evaluate("window.BEPlan.plan()")
        assert "1,500,000" in plan

        # a value cannot add months the table does not show
        value.fill("{dist: uniform, low: 1M, high: 2M}, 50: 1T")
        assert "{dist" in page.locator(f"{BRAND} .err").inner_text()
        page.click("#btn-save")
        page.click("#form-save button[type=submit]")
        page.wait_for_selector("#out-save .banner.error")

        value.fill("{dist: uniform, low: 1M, high: 2M}")  # one distribution written out: fine
        _wait_run(page, 3)
        _settle(page)
        assert page.locator(f"{BRAND} .err").inner_text() == ""
        plan = page.evaluate("window.BEPlan.plan()")
        assert "50:" not in plan and "1T" not in plan
        assert not [e for e in errors if "Failed to load resource" not in e], errors


def test_the_seed_box_says_what_is_wrong(server):
    with chromium_page() as (page, _, _requests):
        _open(page, server)
        runs = page.evaluate("window.breakevenPage.runs")
        page.fill("#seed", "-5")
        assert page.is_visible("#seed-err")
        assert "-5" in page.inner_text("#seed-err")
        page.wait_for_timeout(600)  # past the debounce: nothing ran on a seed it cannot read
        assert page.evaluate("window.breakevenPage.runs") == runs
        page.fill("#seed", "7")
        _wait_run(page, runs + 1)
        assert page.is_hidden("#seed-err")


def test_leaving_with_unsaved_edits_asks_first(server):
    with chromium_page() as (page, _, _requests):
        _open(page, server)
        page.locator(f"{CHURN} input").nth(1).fill("12%")
        _wait_run(page, 2)
        asked: list[str] = []

        def answer(dialog) -> None:
            asked.append(dialog.type)
            dialog.accept()

        page.on("dialog", answer)
        page.goto(server + "/runs", wait_until="load")
        assert asked == ["beforeunload"]


def test_goal_seek_searches_the_range_given_and_reads_its_figures(server):
    with chromium_page() as (page, errors, _):
        _open(page, server)
        page.click("#btn-goal")
        # the first input offered moves the answer by itself (not an exchange rate)
        assert not page.input_value("#goal-input").startswith("fx.")
        page.select_option("#goal-input", "streams.subscription.conversion")
        page.fill("#goal-value", "50%")
        page.fill("#goal-low", "3")  # a bare number in a percentage is percent
        page.fill("#goal-high", "4%")
        page.click("#form-goal button[type=submit]")
        page.wait_for_function("document.querySelector('#out-goal table')", timeout=60000)
        out = page.inner_text("#out-goal")
        assert "3% to 4%" in out or "3.00% to 4.00%" in out, out
        assert "--low" not in out
        # the figure reached reads as a probability, not a bare fraction
        assert re.search(r"(Achieved|Closest)\s[^\n]*\d%", out), out
        assert not [e for e in errors if "Failed to load resource" not in e], errors
