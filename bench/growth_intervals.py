"""How often did a growth interval hold what came next? A check of two ways to turn a product's
last observed growth into a 90% interval, on the reference data itself, not on any validation
outcome.

Every two consecutive periods of one product's counts (``breakeven.models.reference_growth.
period_pairs``, the users, paying organisations and tokens families, all counts) give a last
growth (first period) and what came next (second period). For each, two intervals from the
last growth g:

* ``half to all``: g/2 to g, the rule the blind validation plans used (their headers say so);
* ``trend g``: what ``recent_growth_per_month: trend g`` gives a plan that starts the month after
  the middle count was published, from the other products only (leave-one-product-out: a
  period never predicts itself) — the family's class, or every family's together where the
  family has too few products (``growth_persistence``'s ``pooled``); skipped where even all
  together cannot answer yet. Also, for scale only, in sample: each family's class from every
  count, the pair itself included.

Pooling rests on the ratios not differing between the families: each family's products' mean
ratios, and a Kruskal-Wallis test across the three (scipy.stats.kruskal).

A 90% interval should hold about 90% of the next periods. Usage: python bench/growth_intervals.py
"""

from __future__ import annotations

import statistics
from datetime import date

from scipy import stats

from breakeven.models.reference_growth import (
    FAMILIES,
    MIN_TREND,
    ReferenceClassError,
    counts,
    growth_persistence,
    growth_text,
    period_pairs,
    ratio_by_product,
)

FAR = date(2100, 1, 1)  # every count known: all periods


def month_after(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def main() -> None:
    rows = counts()
    half = {"in": 0, "below": 0, "above": 0}
    trend = {"in": 0, "below": 0, "above": 0, "not yet": 0, "pooled": 0, "half in": 0}
    lines = []
    products: set[str] = set()
    for family in FAMILIES:
        for p in period_pairs(family, FAR, rows):
            g, nxt = p.before, p.after
            products.add(p.product)
            where = "in" if g / 2 <= nxt <= g else ("below" if nxt < g / 2 else "above")
            half[where] += 1
            start = month_after(p.middle.published)
            others = tuple(c for c in rows if c.product != p.product)
            try:
                t = growth_persistence(family, start, max(g, MIN_TREND), others)
            except ReferenceClassError:
                trend["not yet"] += 1
                t_text = "(too few products yet)"
            else:
                w = "in" if t.low <= nxt <= t.high else ("below" if nxt < t.low else "above")
                trend[w] += 1
                trend["pooled"] += t.pooled
                trend["half in"] += where == "in"
                t_text = f"{growth_text(t.low)} to {growth_text(t.high)}: {w}"
                t_text += " (all families)" if t.pooled else ""
            lines.append(
                f"{p.product[:28]:28s} {p.middle.as_of:%Y-%m}  last {growth_text(g):>6s}"
                f"  next {growth_text(nxt):>6s}  half-to-all {where:5s}  trend {t_text}"
            )
    print("\n".join(lines))
    n = sum(half.values())
    print(f"\n{n} pairs of periods of {len(products)} products")
    print(
        f"half to all:  next growth inside {half['in']}/{n} ({half['in'] / n:.0%}), below "
        f"{half['below']}, above {half['above']}"
    )
    inside = total = 0  # in sample: each family's class from every count, this pair included
    unanswered = []
    for family in FAMILIES:
        for p in period_pairs(family, FAR, rows):
            try:
                t = growth_persistence(family, FAR, max(p.before, MIN_TREND), rows)
            except ReferenceClassError:
                unanswered.append(family)
                break
            inside += t.low <= p.after <= t.high
            total += 1
    print(
        f"trend, in sample (each family's class, or all together, from all counts, the pair itself included): "
        f"inside {inside}/{total} ({inside / total:.0%})"
        + (f"; no class yet for {', '.join(unanswered)}" if unanswered else "")
    )
    m = n - trend["not yet"]
    if m:
        print(
            f"trend (leave-one-product-out, known at the time): inside {trend['in']}/{m} "
            f"({trend['in'] / m:.0%}), below {trend['below']}, above {trend['above']}; "
            f"{trend['pooled']} of them from every family together; "
            f"{trend['not yet']} too early to answer. Half to all on the same {m}: inside "
            f"{trend['half in']}/{m} ({trend['half in'] / m:.0%})"
        )
    groups = {f: list(ratio_by_product(period_pairs(f, FAR, rows)).values()) for f in FAMILIES}
    print(
        "ratio of next to last growth (in log terms), products' means by family: "
        + "; ".join(
            f"{f} {statistics.mean(v):.2f} (sd {statistics.stdev(v):.2f}, {len(v)} products)"
            for f, v in groups.items()
        )
        + f"; Kruskal-Wallis across families p = {stats.kruskal(*groups.values()).pvalue:.2f}"
    )


if __name__ == "__main__":
    main()
