"""Screenshots of the HTML report for the docs: renders the example plan's report (English and
Chinese) and a two-plan comparison in headless Chromium and saves PNGs to docs/images/; then the
web app's plan page (`breakeven serve`, on a loopback port with a temporary run store) with one
edit made.

    .venv/bin/python scripts/screenshots.py [--samples 4000] [--out docs/images]

Needs Debian's Chromium (`apt-get install -y chromium fonts-noto-cjk`) and the `playwright`
Python package; the browser is Debian's (/usr/bin/chromium), never one Playwright downloads.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# (report, section, file name): the sections worth a picture
SHOTS = [
    ("en", "summary", "report-summary.png"),
    ("en", "revenue_cost", "report-revenue-cost.png"),
    ("en", "cash", "report-cash.png"),
    ("en", "users", "report-users.png"),
    ("en", "breakeven", "report-breakeven.png"),
    ("en", "funding_need", "report-funding-need.png"),
    ("en", "unit_economics", "report-unit-economics.png"),
    ("en", "user_margins", "report-user-margins.png"),
    ("en", "cost_breakdown", "report-cost-breakdown.png"),
    ("en", "tornado", "report-tornado.png"),
    ("en", "assumptions", "report-assumptions.png"),
    ("zh", "summary", "report-zh-summary.png"),
    ("zh", "cash", "report-zh-cash.png"),
    ("compare", "cash", "compare-cash.png"),
    ("compare", "breakeven", "compare-breakeven.png"),
    ("compare", "metrics", "compare-metrics.png"),
]


def build_reports(folder: Path, samples: int, seed: int) -> dict[str, Path]:
    sys.path.insert(0, str(ROOT / "src"))
    import breakeven
    from breakeven.report.html import write_compare_html, write_html
    from breakeven.report.view import View

    sc = breakeven.load("examples/chat-assistant-freemium.yaml")  # relative: shown in the header
    res = breakeven.simulate(sc, samples=samples, seed=seed)
    view = View.of(res)  # one view, the same tornado as `breakeven sensitivity`, both languages
    if view.tornado is None:
        print(f"tornado skipped: {view.tornado_missing}", file=sys.stderr)
    out = {
        "en": write_html(view, folder / "report-en.html", lang="en"),
        "zh": write_html(view, folder / "report-zh.html", lang="zh"),
    }
    # a second plan to compare against: a cheaper membership that converts more users
    alt = load_variant(sc)
    res2 = breakeven.simulate(alt, samples=samples, seed=seed)
    out["compare"] = write_compare_html([res, res2], folder / "compare.html", lang="en")
    return out


def load_variant(sc):
    """The example with a ¥29 membership converting 4%–9% of active users."""
    import yaml

    import breakeven

    doc = yaml.safe_load((ROOT / "examples" / "chat-assistant-freemium.yaml").read_text())
    doc["name"] = "Chat assistant, ¥29 membership"
    doc["streams"]["subscription"]["price_per_month"] = 29
    doc["streams"]["subscription"]["conversion"] = "4% to 9%"
    return breakeven.load_text(yaml.safe_dump(doc, allow_unicode=True), "variant.yaml")


def open_page(browser, path: Path, width: int = 1200):
    page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_function("window.breakevenReportReady === true")
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.chart > div > div[id^=chart-]'))"
        ".every(d => d.classList.contains('js-plotly-plot') && d.querySelector('.main-svg'))"
    )
    page.wait_for_timeout(300)  # let transitions settle
    return page, errors


@contextlib.contextmanager
def serving(plans: list[Path], store: Path):
    """The web app on a free loopback port (uvicorn in a thread); yields its origin."""
    sys.path.insert(0, str(ROOT / "src"))

    from breakeven.server.app import create_app
    from breakeven.server.background import in_thread

    app = create_app(plans, store, None)
    with in_thread(app) as origin:
        yield origin


def shoot_plan_page(browser, out: Path, folder: Path) -> list[str]:
    """The plan page of the example with the membership's conversion raised to 3%–8%: inputs,
    headline with its change, and the four charts. Returns the JavaScript errors."""
    with serving(
        [ROOT / "examples" / "chat-assistant-freemium.yaml"], folder / "runs.duckdb"
    ) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 1180}, device_scale_factor=1)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url + "/", wait_until="load")
        page.click("#files a.plan")
        ready = (
            "window.breakevenPage && window.breakevenPage.runs >= {} && !window.breakevenPage.busy"
        )
        page.wait_for_function(ready.format(1), timeout=60000)
        boxes = page.locator('.field[data-path="streams.subscription.conversion"] input')
        boxes.nth(0).fill("3%")
        boxes.nth(1).fill("8%")
        page.wait_for_function(ready.format(2), timeout=60000)
        page.evaluate(  # the edited input in view in the assumptions panel, the page at its top
            """() => {
                const f = document.querySelector(
                    '.field[data-path="streams.subscription.conversion"]');
                const panel = document.querySelector('.inputs-panel');
                panel.scrollTop = f.offsetTop - 300;
                window.scrollTo(0, 0);
            }"""
        )
        page.mouse.move(0, 0)
        page.wait_for_timeout(1500)  # let the highlight of the changed cards fade
        page.screenshot(path=str(out / "serve-plan.png"))
        print(f"wrote {out / 'serve-plan.png'}")
        page.close()
    return errors


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = ap.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: apt-get install -y chromium fonts-noto-cjk", file=sys.stderr)
        return 2
    import os

    from playwright.sync_api import sync_playwright

    os.chdir(ROOT)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        reports = build_reports(Path(tmp), args.samples, args.seed)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            pages = {}
            try:
                for key, path in reports.items():
                    pages[key] = open_page(browser, path)
                for key, section, name in SHOTS:
                    page, errors = pages[key]
                    el = page.query_selector(f"#sec-{section}")
                    if el is None:
                        print(f"skip {name}: no section {section} in the {key} report")
                        continue
                    if section == "summary":  # the header and the answer together
                        box = el.bounding_box()
                        page.screenshot(
                            path=str(args.out / name),
                            full_page=True,
                            clip={
                                "x": 0,
                                "y": 0,
                                "width": 1200,
                                "height": box["y"] + box["height"] + 10,
                            },
                        )
                    else:
                        el.screenshot(path=str(args.out / name))
                    print(f"wrote {args.out / name}")
                for key, (_page, errors) in pages.items():
                    if errors:
                        print(f"JavaScript errors in the {key} report: {errors}", file=sys.stderr)
                        return 1
                errors = shoot_plan_page(browser, args.out, Path(tmp))
                if errors:
                    print(f"JavaScript errors on the plan page: {errors}", file=sys.stderr)
                    return 1
            finally:
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
