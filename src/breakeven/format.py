"""Numbers and money for people — the one formatting module every output uses.

English amounts are compact with k/M/B/T (¥410M, $1.2B); Chinese amounts use 万, 亿 and 万亿
(¥4.1亿, ¥3,500万, ¥1.2万亿), the way amounts are written in Chinese. Both keep three significant
digits and never print an exponent. Currency symbols come from CLDR through Babel (any ISO 4217
code, per language: US$ and JP¥ in Chinese, where a bare ¥ means yuan), except that English text
writes the yuan as ¥ — the home currency of most plans here — where CLDR writes CN¥.

Babel's own compact patterns are not used for the amounts: they round to a number of decimals,
not of significant digits, and drop the grouping of 3,500万.
"""

from __future__ import annotations

import math
import os
import re
from datetime import date
from functools import cache
from typing import Any

# English text writes the yuan as ¥ (CLDR: CN¥); the rest is CLDR's.
_EN_OVERRIDES = {"CNY": "¥", "RMB": "¥", "SGD": "S$"}
_EN_STEPS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))
_ZH_STEPS = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))


LANGS = ("en", "zh")


def default_lang() -> str:
    """The locale's language: the first of LC_ALL, LC_MESSAGES, LANG that is set."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        v = os.environ.get(var)
        if v:
            return "zh" if v.lower().startswith("zh") else "en"
    return "en"


def resolve(lang: str | None) -> str:
    """Normalise a language tag: None → locale; 'zh_CN.UTF-8', 'zh-Hans' → 'zh'; else 'en'."""
    if lang is None or lang == "":
        return default_lang()
    lang = str(lang).lower()
    if lang.startswith("zh"):
        return "zh"
    if lang.startswith("en"):
        return "en"
    raise ValueError(f"lang: must be one of {', '.join(LANGS)} (got {lang!r})")


def undefined(x: Any) -> bool:
    """None or NaN: a value that does not exist (shown as —)."""
    return x is None or (isinstance(x, float) and math.isnan(x))


@cache
def symbol(currency: str, lang: str = "en") -> str:
    """Currency symbol in ``lang``: $, ¥, €; in Chinese US$, ¥ (yuan) and JP¥ (yen).

    >>> symbol("USD"), symbol("CNY"), symbol("USD", "zh"), symbol("JPY", "zh")
    ('$', '¥', 'US$', 'JP¥')
    """
    code = currency.upper()
    if lang != "zh" and code in _EN_OVERRIDES:
        return _EN_OVERRIDES[code]
    try:
        from babel.numbers import get_currency_symbol

        sym = get_currency_symbol(
            "CNY" if code == "RMB" else code, "zh_CN" if lang == "zh" else "en"
        )
    except (ImportError, ValueError):  # pragma: no cover - babel is a dependency
        sym = code
    return sym if sym != code else code + " "


@cache
def currency_codes() -> frozenset[str]:
    """Every ISO 4217 currency code CLDR knows (CNY, USD, EUR, …), current and historical."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def sig(x: float, digits: int = 3) -> str:
    """``x`` to ``digits`` significant digits, grouped, never in exponent form.

    >>> sig(4.1), sig(12.34), sig(3500), sig(0.012345)
    ('4.1', '12.3', '3,500', '0.0123')
    """
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(x))))
    s = f"{x:,.{decimals}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def _scaled(x: float, steps: tuple[tuple[float, str], ...], digits: int = 3) -> str:
    """The largest unit ≤ x; one unit up when rounding reaches it (999.96k is 1M)."""
    for i, (div, suf) in enumerate(steps):
        if x >= div * (1 - 0.5 * 10 ** (-digits)):
            v = x / div
            if i > 0:
                up_div = steps[i - 1][0]
                if float(sig(v, digits).replace(",", "")) * div >= up_div:
                    return sig(x / up_div, digits) + steps[i - 1][1]
            return sig(v, digits) + suf
    return sig(x, digits)


def compact(x: float | None, lang: str = "en") -> str:
    """A compact count: 1.2M / 120万, 3.5k / 3,500.

    >>> compact(2.5e7), compact(2.5e7, "zh"), compact(999_999)
    ('25M', '2,500万', '1M')
    """
    if undefined(x):
        return "—"
    assert x is not None
    sign = "-" if x < 0 else ""
    x = abs(float(x))
    if lang == "zh":
        # below 1万 Chinese writes the number out; 3,500万 keeps four digits before 万
        if x < 1e4 * (1 - 5e-4):
            return sign + sig(x, 3 if x < 1000 else 4)
        for div, suf in _ZH_STEPS:
            if x >= div * (1 - 5e-5):
                v = x / div
                if suf != "万亿" and v >= 9999.5:  # 9,999.6万 → 1亿
                    continue
                return sign + (f"{round(v):,}" if v >= 1000 else sig(v, 3)) + suf
        return sign + sig(x, 3)
    return sign + _scaled(x, _EN_STEPS)


def money(x: float | None, currency: str, lang: str = "en") -> str:
    """Compact money: ¥410M, $1.2B, -¥3.4k; in Chinese ¥4.1亿, ¥3,500万.

    >>> money(1.2e9, "USD"), money(2e7, "USD", "zh")
    ('$1.2B', 'US$2,000万')
    """
    if undefined(x):
        return "—"
    assert x is not None
    sign = "-" if x < 0 else ""
    return f"{sign}{symbol(currency, lang)}{compact(abs(x), lang)}"


def money_exact(x: float | None, currency: str, lang: str = "en", decimals: int = 2) -> str:
    """Money with grouping and cents, for small per-user amounts: ¥12.34."""
    if undefined(x):
        return "—"
    assert x is not None
    sign = "-" if x < 0 else ""
    return f"{sign}{symbol(currency, lang)}{abs(x):,.{decimals}f}"


def pct(p: float | None, digits: int = 0) -> str:
    """A share with ``digits`` decimals: 52%, 3.5%."""
    return "—" if undefined(p) else f"{p:.{digits}%}"


def pct_sig(p: float | None, digits: int = 3) -> str:
    """A share to ``digits`` significant digits: 3.48%, 60%, 0.12%.

    >>> pct_sig(0.0348), pct_sig(0.6), pct_sig(-0.35)
    ('3.48%', '60%', '-35%')
    """
    if undefined(p):
        return "—"
    assert p is not None
    v = 100.0 * p
    return ("-" if v < 0 else "") + sig(abs(v), digits) + "%"


def number(x: float | None, digits: int = 4, lang: str = "en") -> str:
    """A plain number for messages and descriptions: compact from a million up (110M), else
    ``digits`` significant digits (0.0486, 1,234); never an exponent.

    >>> number(1.1e8), number(0.048584), number(1234.5678), number(-2.5e-6)
    ('110M', '0.04858', '1,235', '-0.0000025')
    """
    if undefined(x):
        return "—"
    assert x is not None
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    sign = "-" if x < 0 else ""
    ax = abs(float(x))
    if ax >= 1e6:
        return sign + compact(ax, lang)
    return sign + sig(ax, digits)


def input_value(v: Any, domain: str | None = None, lang: str = "en") -> str:
    """A sampled input for people: fractions and rates as percentages, large numbers compact
    (68.5M / 6,853万), others to 4 significant digits.

    >>> input_value(0.0348, "fraction"), input_value(-0.35, "rate"), input_value(68_532_390)
    ('3.48%', '-35.0%', '68.5M')
    """
    try:
        v = float(v)
    except (TypeError, ValueError):
        return str(v)
    if not math.isfinite(v):
        return "—"
    if domain in ("fraction", "rate"):
        return pct(v, 2 if abs(v) < 0.1 else 1)
    if abs(v) >= 1e4:
        return compact(v, lang)
    return ("-" if v < 0 else "") + sig(abs(v), 4)


def month_label(start: date, month: int) -> str:
    """The calendar month of plan month ``month`` (1 = ``start``), as 2025-03.

    >>> month_label(date(2025, 11, 1), 3)
    '2026-01'
    """
    k = start.year * 12 + start.month - 1 + month - 1
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def month(x: float | None, horizon: int, start: date | None = None) -> str:
    """A month number, or '> H' when it does not happen within the horizon; with the plan's
    start, the calendar month too: '22 (2026-10)'."""
    if undefined(x):
        return f"> {horizon}"
    assert x is not None
    if start is None or x < 1:
        return f"{x:.0f}"
    return f"{x:.0f} ({month_label(start, int(round(x)))})"


# C0 and C1 control characters, and the bidirectional overrides that can reorder what a terminal
# shows: never passed to a terminal from user text.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(s: Any) -> str:
    """User text for a terminal: control characters shown as escapes (a name with ESC [31m
    prints as \\x1b[31m, it does not turn the screen red).

    >>> printable("plan\\x1b[2J\\n2")
    'plan\\\\x1b[2J\\\\x0a2'
    """
    return _UNPRINTABLE.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}"
        ),
        str(s),
    )


def escape_html(s: Any, quote: bool = True) -> str:
    """User text for HTML (and plotly labels, which render a subset of HTML): the one escaper."""
    import html

    return html.escape("" if s is None else str(s), quote=quote)


def json_safe(x: Any) -> Any:
    """JSON-safe: NaN/inf → null, numpy scalars and arrays → Python, tuples → lists."""
    if isinstance(x, dict):
        return {str(k): json_safe(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [json_safe(v) for v in x]
    if hasattr(x, "tolist") and not isinstance(x, (str, bytes)):
        x = x.tolist()
        if isinstance(x, list):
            return json_safe(x)
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x
