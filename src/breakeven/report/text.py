"""Words for people: the headline sentence, metric values, milestone tests.

Numbers are formatted by :mod:`breakeven.format` (k/M/B in English, 万/亿 in Chinese); labels
come from the declared outputs.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from ..format import compact, money, month, month_label, pct, undefined
from .i18n import outputs, t

if TYPE_CHECKING:  # the view loads the analyses (tornado, variance): imported when used
    from ..engine import Results
    from .view import View


def metric_kind(name: str) -> str:
    """How a metric is shown, from its declared unit: 'month', 'ratio', 'count' or 'money'."""
    declared = outputs()
    unit = declared[name].unit if name in declared else "currency"
    if unit in ("month", "months"):
        return "month"
    if unit in ("ratio", "probability"):
        return "ratio"
    if unit.startswith("currency"):
        return "money"
    return "count"


def metric_value(
    v: float | None,
    name: str,
    horizon: int,
    currency: str,
    lang: str = "en",
    start: date | None = None,
) -> str:
    """One value of metric ``name`` for people (None = undefined / beyond the horizon); a
    month number with its calendar month when the plan's ``start`` is given."""
    kind = metric_kind(name)
    if kind == "month":
        return month(v, horizon, start if outputs()[name].unit == "month" else None)
    if undefined(v):
        return "—"
    assert v is not None
    if kind == "ratio":
        return pct(v, 1 if abs(v) < 10 else 0)
    if kind == "count":
        return compact(v, lang)
    return money(v, currency, lang)


def milestone_condition(m: dict[str, Any], v: View, lang: str = "en") -> str:
    """A milestone's test for people: '<measure> ≥ <level>' (money for ledger lines)."""
    measure, level = m["measure"], m["at_least"]
    if level is None:
        return v.label(measure, lang) if measure != "conditions" else t("conditions", lang)
    value = money(level, v.currency, lang) if v.kind(measure) == "line" else compact(level, lang)
    return f"{v.label(measure, lang)} ≥ {value}"


def headline(r: View | Results, lang: str = "en") -> str:
    """'Break-even by month 31 in 68% of outcomes; median month 22; cash needed P50 … / P90 …'."""
    from .view import View

    res = r.results if isinstance(r, View) else r
    H, cur = res.months, res.currency
    pb = res.probabilities["p_breakeven"]
    be = res.metric_summary("breakeven_month")
    need = res.metric_summary("peak_funding_need")
    if pb == 0:
        first = t("headline.none", lang, H=H)
    else:
        first = t("headline.some", lang, H=H, p=f"{pb:.0%}")
        first += (
            t("headline.median", lang, m=_median_month(be["p50"], H, res.scenario.start, lang))
            if be["p50"] is not None
            else t("headline.median_none", lang)
        )
    return first + t(
        "headline.cash", lang, p50=money(need["p50"], cur, lang), p90=money(need["p90"], cur, lang)
    )


def _median_month(x: float | None, horizon: int, start: date, lang: str) -> str:
    """The median break-even month of the headline: '22 (2026-10)'; '22 个月（2026-10）'."""
    if lang != "zh" or x is None:
        return month(x, horizon, start) + (" 个月" if lang == "zh" else "")
    return f"{x:.0f} 个月（{month_label(start, int(round(x)))}）"


def run_info(v: View, lang: str = "en") -> str:
    """'10,000 samples, seed 2024, 60 months, CNY': how the run was made."""
    return t(
        "samples_seed",
        lang,
        samples=f"{v.samples:,}",
        seed=v.seed,
        months=v.months,
        start=v.calendar[0],
        currency=v.currency,
    )
