"""Headline of every shipped template (the table in the README): python bench/templates.py [-n N]"""

from __future__ import annotations

import argparse

import breakeven
from breakeven.format import money
from breakeven.scenario import templates


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", "--samples", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    print(
        "| template | P(break-even) | median break-even month | cash needed P50 / P90 "
        "| P(cash runs out) | NPV p50 |"
    )
    print("|---|---|---|---|---|---|")
    for name in templates.names():
        sc = breakeven.load(templates.path(name))
        r = breakeven.simulate(sc, samples=a.samples, seed=a.seed)
        be = r.metric_summary("breakeven_month")["p50"]
        need = r.metric_summary("peak_funding_need")
        npv = r.metric_summary("npv")["p50"]
        pr = r.probabilities
        print(
            f"| `{name}` | {pr['p_breakeven']:.0%} | "
            f"{'never' if be is None else f'{be:.0f}'} | {money(need['p50'], sc.currency)} / "
            f"{money(need['p90'], sc.currency)} | {pr['p_cash_out']:.0%} | "
            f"{money(npv, sc.currency)} |"
        )


if __name__ == "__main__":
    main()
