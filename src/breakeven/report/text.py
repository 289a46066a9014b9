"""Words and numbers for people: the headline sentence and number formatting."""

from __future__ import annotations

import math

SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$",
           "KRW": "₩", "INR": "₹", "SGD": "S$"}


def money(x: float | None, currency: str) -> str:
    """Compact money: ¥410M, $1.2B, -¥3.4k."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    sym = SYMBOLS.get(currency, currency + " ")
    sign = "-" if x < 0 else ""
    return f"{sign}{sym}{compact(abs(x))}"


def compact(x: float) -> str:
    for div, suf in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= div:
            return f"{x / div:.3g}{suf}"
    return f"{x:.3g}"


def month(x: float | None, horizon: int) -> str:
    return f"> {horizon}" if x is None else f"{x:.0f}"


def headline(r) -> str:
    """'Break-even by month 31 in 68% of outcomes; median month 22; cash needed P50 … / P90 …'."""
    H, cur = r.months, r.currency
    pb = r.probabilities["p_breakeven"]
    be = r.metric_summary("breakeven_month")
    need = r.metric_summary("peak_funding_need")
    if pb == 0:
        first = f"No break-even within {H} months in any outcome"
    else:
        first = f"Break-even by month {H} in {pb:.0%} of outcomes"
        first += (f"; median month {be['p50']:.0f}" if be["p50"] is not None
                  else "; the median outcome does not break even")
    return (f"{first}; cash needed P50 {money(need['p50'], cur)} / "
            f"P90 {money(need['p90'], cur)}")
