"""The monthly ledger: every flow lands on a named line; totals and cash are derived, never set.

Line names are ``kind.item``. Kinds, in statement order:
  revenue.*       revenue recognised in the month
  cogs.*          cost of revenue (serving, payment and store fees, …)
  opex.*          operating expenses (people, marketing, training, G&A, …)
  depreciation.*  non-cash charges below EBITDA
  capex.*         cash spent on assets (not in EBITDA)
  wc.*            working-capital cash timing (negative when receivables grow)
  funding.*       cash raised
Derived lines (computed from the above, in this order):
  revenue, cost_of_revenue, gross_profit, operating_expenses, ebitda, depreciation, ebit,
  capex, working_capital, free_cash_flow (= ebitda + working_capital − capex: cash flow before
  funding), funding, net_cash_flow (= free_cash_flow + funding), cash (= cash[t−1] + net_cash_flow[t]).
Income tax is not modelled: EBITDA and free cash flow are pre-tax.
"""

from __future__ import annotations

import numpy as np

KINDS = ("revenue", "cogs", "opex", "depreciation", "capex", "wc", "funding")
TOTALS = ("revenue", "cost_of_revenue", "gross_profit", "operating_expenses", "ebitda",
          "depreciation", "ebit", "capex", "working_capital", "free_cash_flow", "funding",
          "net_cash_flow", "cash")
_TOTAL_OF_KIND = {"revenue": "revenue", "cogs": "cost_of_revenue", "opex": "operating_expenses",
                  "depreciation": "depreciation", "capex": "capex", "wc": "working_capital",
                  "funding": "funding"}


def kind_of(line: str) -> str:
    kind = line.split(".", 1)[0]
    if kind not in KINDS or "." not in line:
        raise ValueError(f"ledger line {line!r} must be <kind>.<item> with kind in {KINDS}")
    return kind


def order_lines(lines: set[str] | list[str]) -> list[str]:
    """Detail lines in statement order (by kind, then name)."""
    return sorted(set(lines), key=lambda s: (KINDS.index(kind_of(s)), s))


def all_lines(detail: list[str]) -> list[str]:
    """Detail lines followed by the derived totals: the ledger's line coordinate."""
    return list(detail) + list(TOTALS)


def _sum(arrays: list[np.ndarray], like: np.ndarray) -> np.ndarray:
    """Sum in a fixed order (bit-identical whatever the chunking)."""
    out = np.zeros_like(like)
    for a in arrays:
        out += a
    return out


def close_books(detail: dict[str, np.ndarray], starting_cash: np.ndarray) -> dict[str, np.ndarray]:
    """Derive totals and cash from detail lines, each (months, n). Returns totals by name."""
    like = next(iter(detail.values())) if detail else np.zeros((1, starting_cash.shape[0]))
    by_kind: dict[str, list[np.ndarray]] = {k: [] for k in KINDS}
    for line in order_lines(list(detail)):
        by_kind[kind_of(line)].append(detail[line])
    t = {_TOTAL_OF_KIND[k]: _sum(v, like) for k, v in by_kind.items()}
    t["gross_profit"] = t["revenue"] - t["cost_of_revenue"]
    t["ebitda"] = t["gross_profit"] - t["operating_expenses"]
    t["ebit"] = t["ebitda"] - t["depreciation"]
    t["free_cash_flow"] = t["ebitda"] + t["working_capital"] - t["capex"]
    t["net_cash_flow"] = t["free_cash_flow"] + t["funding"]
    # cash[t] = cash[t-1] + net_cash_flow[t], accumulated sequentially from the starting cash
    stacked = np.concatenate([starting_cash[None, :], t["net_cash_flow"]], axis=0)
    t["cash"] = np.cumsum(stacked, axis=0)[1:]
    return {k: t[k] for k in TOTALS}
