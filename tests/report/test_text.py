"""Money and number formatting in English and Chinese, the headline, the locale default, and
the terminal summary in both languages."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from breakeven.format import compact, input_value, money
from breakeven.report.i18n import default_lang, label, resolve
from breakeven.report.terminal import render
from breakeven.report.text import headline, metric_value

from . import renamed, results


@pytest.mark.parametrize(
    "x, expected",
    [
        (410_000_000, "¥4.1亿"),
        (35_000_000, "¥3,500万"),
        (3_500_000, "¥350万"),
        (123_400, "¥12.3万"),
        (9_800, "¥9,800"),
        (1_234_000_000, "¥12.3亿"),
        (99_999_999, "¥1亿"),
        (1.5e12, "¥1.5万亿"),
        (-35_000_000, "-¥3,500万"),
        (0, "¥0"),
    ],
)
def test_zh_money_uses_wan_and_yi(x, expected):
    assert money(x, "CNY", "zh") == expected


@pytest.mark.parametrize(
    "x, expected",
    [
        (410_000_000, "¥410M"),
        (1_234_000_000, "¥1.23B"),
        (3_400, "¥3.4k"),
        (999_999, "¥1M"),  # rounding never gives "1e+03k" or "1000k"
        (999.6, "¥1k"),
        (-2.5e6, "-¥2.5M"),
        (12, "¥12"),
    ],
)
def test_en_money_uses_k_m_b(x, expected):
    assert money(x, "CNY", "en") == expected


def test_other_currencies_and_missing_values():
    assert money(1.2e9, "USD") == "$1.2B"
    assert money(2e7, "USD", "zh") == "US$2,000万"
    assert money(5e6, "JPY", "zh").startswith("JP¥")  # ¥ alone means yuan in Chinese
    assert money(None, "CNY") == "—" and money(float("nan"), "CNY", "zh") == "—"
    assert compact(2.5e7, "zh") == "2,500万" and compact(2.5e7) == "25M"


def test_input_and_metric_values():
    assert input_value(0.0348, "fraction") == "3.48%"
    assert input_value(-0.35, "rate") == "-35.0%"
    assert input_value(68_532_390, "positive") == "68.5M"
    assert input_value(68_532_390, "positive", "zh") == "6,853万"
    assert metric_value(None, "breakeven_month", 60, "CNY") == "> 60"
    assert metric_value(-0.39, "roi", 60, "CNY") == "-39.0%"
    assert metric_value(3.1e7, "revenue_last_month", 60, "CNY", "zh") == "¥3,100万"


def test_locale_default(monkeypatch):
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert default_lang() == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert default_lang() == "zh" and resolve(None) == "zh"
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")  # LC_ALL wins over LANG
    assert default_lang() == "en"
    assert resolve("zh-Hans") == "zh" and resolve("en_GB") == "en"
    with pytest.raises(ValueError):
        resolve("fr")


def test_line_labels():
    assert label("revenue.subscription", "en") == "Subscriptions"
    assert label("revenue.subscription", "zh") == "订阅"
    assert label("ebitda", "zh").startswith("EBITDA")
    assert label("opex.something_new", "en") == "Something new"


def test_headline_in_both_languages():
    r = results()
    en, zh = headline(r, "en"), headline(r, "zh")
    assert en == r.headline()  # Results.headline stays English (JSON output)
    assert en.startswith(("Break-even by month 60", "No break-even"))
    assert "cash needed P50 ¥" in en
    assert zh.startswith(("60 个月内实现盈亏平衡的概率为", "60 个月内所有情形均未盈亏平衡"))
    assert "所需资金 P50 ¥" in zh and "亿" in zh


def _render(r, lang):
    buf = io.StringIO()
    render(r, Console(file=buf, width=140, color_system=None), lang=lang)
    return buf.getvalue()


def test_terminal_summary_in_both_languages(monkeypatch):
    r = results()
    en = _render(r, "en")
    assert en.splitlines()[1] == headline(r, "en")
    assert "Yearly totals" in en and "Break-even month" in en
    zh = _render(r, "zh")
    assert headline(r, "zh") in zh and "年度合计" in zh and "盈亏平衡月份" in zh
    assert "亿" in zh
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    assert "年度合计" in _render(r, None)  # default from the locale


def test_terminal_does_not_interpret_markup_in_names():
    r = renamed(results(), "[bold red]plan[/bold red] & co")
    out = _render(r, "en")
    assert "[bold red]plan[/bold red] & co" in out
