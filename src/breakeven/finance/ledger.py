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


def _sum(arrays: list[np.ndarray], zero: np.ndarray) -> np.ndarray:
    """Sum in a fixed order (bit-identical whatever the chunking). A single line is returned
    as is, and an empty kind is the shared read-only zero array (totals are not written to)."""
    if not arrays:
        return zero
    if len(arrays) == 1:
        return arrays[0]
    out = arrays[0] + arrays[1]
    for a in arrays[2:]:
        out += a
    return out


def cumsum_months(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Running total over months (axis 0), row by row: out[t] = out[t-1] + x[t] exactly.
    (numpy's cumsum over a non-contiguous axis is ~20x slower on (months, samples) arrays.)"""
    out = x.copy() if out is None else out
    if out is not x:
        out[...] = x
    for t in range(1, out.shape[0]):
        out[t] += out[t - 1]
    return out


def close_books(detail: dict[str, np.ndarray], starting_cash: np.ndarray) -> dict[str, np.ndarray]:
    """Derive totals and cash from detail lines, each (months, n). Returns totals by name."""
    like = next(iter(detail.values())) if detail else np.zeros((1, starting_cash.shape[0]))
    zero = np.zeros_like(like)
    zero.flags.writeable = False
    by_kind: dict[str, list[np.ndarray]] = {k: [] for k in KINDS}
    for line in order_lines(list(detail)):
        by_kind[kind_of(line)].append(detail[line])
    t = {_TOTAL_OF_KIND[k]: _sum(v, zero) for k, v in by_kind.items()}
    t["gross_profit"] = t["revenue"] - t["cost_of_revenue"]
    t["ebitda"] = t["gross_profit"] - t["operating_expenses"]
    t["ebit"] = t["ebitda"] - t["depreciation"] if by_kind["depreciation"] else t["ebitda"]
    if by_kind["wc"] or by_kind["capex"]:
        t["free_cash_flow"] = t["ebitda"] + t["working_capital"] - t["capex"]
    else:
        t["free_cash_flow"] = t["ebitda"]
    t["net_cash_flow"] = t["free_cash_flow"] + t["funding"]
    # cash[t] = cash[t-1] + net_cash_flow[t], accumulated sequentially from the starting cash
    cash = t["net_cash_flow"].copy()
    cash[0] += starting_cash
    t["cash"] = cumsum_months(cash, out=cash)
    return {k: t[k] for k in TOTALS}
