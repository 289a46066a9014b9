"""Words and numbers for people: the headline sentence and number formatting.

English amounts are compact with k/M/B/T (¥410M, $1.2B); Chinese amounts use 万 and 亿
(¥4.1亿, ¥3,500万, ¥1.2万亿), the way amounts are written in Chinese.
"""

from __future__ import annotations

import math

from .i18n import t

SYMBOLS = {
    "CNY": "¥",
    "RMB": "¥",
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "HKD": "HK$",
    "KRW": "₩",
    "INR": "₹",
    "SGD": "S$",
    "TWD": "NT$",
    "AUD": "A$",
    "CAD": "C$",
}
# In Chinese text a bare ¥ means yuan; the yen is written JP¥ to tell them apart.
SYMBOLS_ZH = {**SYMBOLS, "JPY": "JP¥", "USD": "US$"}


def symbol(currency: str, lang: str = "en") -> str:
    table = SYMBOLS_ZH if lang == "zh" else SYMBOLS
    return table.get(currency, currency + " ")


def _isnan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def sig(x: float, digits: int = 3) -> str:
    """``x`` (≥ 0) to ``digits`` significant digits, grouped, never in exponent form:
    4.1, 12.3, 3,500, 0.0123."""
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(x))))
    s = f"{x:,.{decimals}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def _scaled(x: float, steps, digits: int = 3) -> str:
    """Pick the largest unit ≤ x, format; move up a unit if rounding reaches the next one."""
    for i, (div, suf) in enumerate(steps):
        if x >= div * (1 - 0.5 * 10 ** (-digits)):  # 999.96k rounds to 1M
            v = x / div
            if i > 0:
                up_div = steps[i - 1][0]
                if float(sig(v, digits).replace(",", "")) * div >= up_div:
                    return sig(x / up_div, digits) + steps[i - 1][1]
            return sig(v, digits) + suf
    return sig(x, digits)


_EN = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))
_ZH = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))


def compact(x: float, lang: str = "en") -> str:
    """A compact count: 1.2M / 120万, 3.5k / 3,500."""
    if _isnan(x):
        return "—"
    sign = "-" if x < 0 else ""
    x = abs(float(x))
    if lang == "zh":
        # below 1万 Chinese writes the number out; 3,500万 keeps four digits before 万
        if x < 1e4 * (1 - 5e-4):
            return sign + sig(x, 3 if x < 1000 else 4)
        for div, suf in _ZH:
            if x >= div * (1 - 5e-5):
                v = x / div
                if suf != "万亿" and v >= 9999.5:  # 9,999.6万 → 1亿
                    continue
                return sign + (f"{round(v):,}" if v >= 1000 else sig(v, 3)) + suf
        return sign + sig(x, 3)
    return sign + _scaled(x, _EN)


def money(x: float | None, currency: str, lang: str = "en") -> str:
    """Compact money: ¥410M, $1.2B, -¥3.4k; in Chinese ¥4.1亿, ¥3,500万."""
    if _isnan(x):
        return "—"
    sym = symbol(currency, lang)
    sign = "-" if x < 0 else ""
    return f"{sign}{sym}{compact(abs(x), lang)}"


def money_exact(x: float | None, currency: str, lang: str = "en", decimals: int = 2) -> str:
    """Money with grouping and cents, for small per-user amounts: ¥12.34."""
    if _isnan(x):
        return "—"
    sym = symbol(currency, lang)
    sign = "-" if x < 0 else ""
    return f"{sign}{sym}{abs(x):,.{decimals}f}"


def pct(p: float | None, digits: int = 0) -> str:
    if _isnan(p):
        return "—"
    return f"{p:.{digits}%}"


def input_value(v, domain: str | None = None, lang: str = "en") -> str:
    """A sampled input for people: fractions and rates as percentages, large numbers compact
    (68.5M / 6,853万), others to 4 significant digits."""
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


def month(x: float | None, horizon: int) -> str:
    return f"> {horizon}" if _isnan(x) else f"{x:.0f}"


RATIO_WORDS = ("roi", "irr", "ratio", "share", "margin_pct", "probability")
COUNT_WORDS = ("users", "seats", "accounts", "customers", "devices", "headcount", "gpus")


def metric_kind(name: str) -> str:
    """How a metric is shown: 'month', 'ratio' (a percentage), 'count' or 'money'."""
    from ..models.metrics import MONTH_METRICS

    low = name.lower()
    if name in MONTH_METRICS or low.endswith("_months"):
        return "month"
    if any(w in low for w in RATIO_WORDS):
        return "ratio"
    if any(w in low for w in COUNT_WORDS):
        return "count"
    return "money"


def metric_value(v: float | None, name: str, horizon: int, currency: str, lang: str = "en") -> str:
    """One value of metric ``name`` for people (None = undefined / beyond the horizon)."""
    kind = metric_kind(name)
    if kind == "month":
        return month(v, horizon)
    if _isnan(v):
        return "—"
    if kind == "ratio":
        return pct(v, 1 if abs(v) < 10 else 0)
    if kind == "count":
        return compact(v, lang)
    return money(v, currency, lang)


def milestone_condition(m: dict, r, lang: str = "en") -> str:
    """A milestone's test for people: its ``condition`` text, or '<measure> ≥ <at_least>'."""
    from .i18n import kpi_label, line_label

    if m.get("condition"):
        return str(m["condition"])
    measure, level = m.get("measure"), m.get("at_least")
    if not measure:
        return ""
    if measure in getattr(r, "lines", ()):
        label, value = line_label(measure, lang), money(level, r.currency, lang)
    elif measure in getattr(r, "kpi_names", ()):
        label, value = kpi_label(measure, lang), compact(level, lang)
    else:
        label, value = str(measure), ("" if level is None else compact(level, lang))
    return f"{label} ≥ {value}" if level is not None else label


def headline(r, lang: str = "en") -> str:
    """'Break-even by month 31 in 68% of outcomes; median month 22; cash needed P50 … / P90 …'."""
    H, cur = r.months, r.currency
    pb = r.probabilities["p_breakeven"]
    be = r.metric_summary("breakeven_month")
    need = r.metric_summary("peak_funding_need")
    if pb == 0:
        first = t("headline.none", lang, H=H)
    else:
        first = t("headline.some", lang, H=H, p=f"{pb:.0%}")
        first += (
            t("headline.median", lang, m=f"{be['p50']:.0f}")
            if be["p50"] is not None
            else t("headline.median_none", lang)
        )
    return first + t(
        "headline.cash", lang, p50=money(need["p50"], cur, lang), p90=money(need["p90"], cur, lang)
    )
