"""The monthly ledger: every flow lands on a named line; totals and cash are derived, never set.

Detail lines are ``kind.item``. The kinds, their totals and the derived lines are declared once,
here, as data (:data:`KINDS`, :data:`DERIVED`, :data:`STATEMENT`); closing the books, the totals
a funding condition checks in a month, and the statement layout of every report are all computed
from these declarations.

  revenue.*       revenue recognised in the month              → revenue (+)
  cogs.*          cost of revenue (serving, payment fees, …)   → cost_of_revenue (−)
  opex.*          operating expenses (people, marketing, …)    → operating_expenses (−)
  depreciation.*  non-cash charges below EBITDA                → depreciation (−, not cash)
  capex.*         cash spent on assets (not in EBITDA)         → capex (−)
  wc.*            working-capital timing (− when receivables grow) → working_capital (+)
  funding.*       cash raised                                  → funding (+)

Derived, in order: gross_profit, ebitda, ebit, free_cash_flow (= ebitda + working_capital −
capex: cash flow before funding), net_cash_flow (= free_cash_flow + funding), and the stock
cash[t] = cash[t−1] + net_cash_flow[t]. Income tax is not modelled: EBITDA and free cash flow are
pre-tax.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Kind:
    """A kind of detail line: the total its lines add up to, and the total's sign in cash."""

    name: str
    total: str
    sign: int  # +1 adds to cash flow, -1 takes from it
    always_shown: bool  # in a statement even when no line of the kind is booked


KINDS: tuple[Kind, ...] = (
    Kind("revenue", "revenue", +1, True),
    Kind("cogs", "cost_of_revenue", -1, True),
    Kind("opex", "operating_expenses", -1, True),
    Kind("depreciation", "depreciation", -1, False),
    Kind("capex", "capex", -1, False),
    Kind("wc", "working_capital", +1, False),
    Kind("funding", "funding", +1, True),
)
KIND_NAMES = tuple(k.name for k in KINDS)
KIND = {k.name: k for k in KINDS}

# Derived lines in order of evaluation: name → signed terms (earlier totals).
DERIVED: tuple[tuple[str, tuple[tuple[int, str], ...]], ...] = (
    ("gross_profit", ((+1, "revenue"), (-1, "cost_of_revenue"))),
    ("ebitda", ((+1, "gross_profit"), (-1, "operating_expenses"))),
    ("ebit", ((+1, "ebitda"), (-1, "depreciation"))),
    ("free_cash_flow", ((+1, "ebitda"), (+1, "working_capital"), (-1, "capex"))),
    ("net_cash_flow", ((+1, "free_cash_flow"), (+1, "funding"))),
)
TERMS = dict(DERIVED)
CASH = "cash"  # the stock: cash[t] = cash[t-1] + net_cash_flow[t], from the starting cash

# The statement, top to bottom: a kind's detail lines then its total, or a derived line. A
# derived line shown "with" a kind appears only when that kind has lines (EBIT with depreciation).
STATEMENT: tuple[tuple[str, str, str | None], ...] = (
    ("kind", "revenue", None),
    ("kind", "cogs", None),
    ("derived", "gross_profit", None),
    ("kind", "opex", None),
    ("derived", "ebitda", None),
    ("kind", "depreciation", None),
    ("derived", "ebit", "depreciation"),
    ("kind", "capex", None),
    ("kind", "wc", None),
    ("derived", "free_cash_flow", None),
    ("kind", "funding", None),
    ("derived", "net_cash_flow", None),
    ("stock", CASH, None),
)

TOTALS: tuple[str, ...] = tuple(
    name if role != "kind" else KIND[name].total for role, name, _ in STATEMENT
)
FLOW_TOTALS = TOTALS[:-1]  # every total but the cash balance


def kind_of(line: str) -> str:
    """The kind of a detail line ``kind.item``; ValueError if it is not one."""
    kind = line.split(".", 1)[0]
    if kind not in KIND or "." not in line:
        raise ValueError(f"ledger line {line!r} must be <kind>.<item> with kind in {KIND_NAMES}")
    return kind


def order_lines(lines: set[str] | list[str]) -> list[str]:
    """Detail lines in statement order (by kind, then name)."""
    return sorted(set(lines), key=lambda s: (KIND_NAMES.index(kind_of(s)), s))


def all_lines(detail: list[str]) -> list[str]:
    """Detail lines followed by the derived totals: the ledger's line coordinate."""
    return list(detail) + list(TOTALS)


def total_components(total: str) -> tuple[str, ...]:
    """The kinds whose detail lines a total is made of (``ebitda`` → revenue, cogs, opex)."""
    for k in KINDS:
        if k.total == total:
            return (k.name,)
    if total == CASH:
        return KIND_NAMES
    if total not in TERMS:
        raise ValueError(f"{total!r} is not a ledger total")
    out: list[str] = []
    for _, name in TERMS[total]:
        out += [k for k in total_components(name) if k not in out]
    return tuple(out)


def _sum(arrays: list[Array], zero: Array) -> Array:
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


def flow_totals(detail: dict[str, Array], zero: Array) -> dict[str, Array]:
    """Every total but cash from detail lines of any shape ((months, n) or one month's (n,)).

    Terms that are an empty kind (the shared ``zero``) are skipped, so a total of one term is that
    term's array itself; the arithmetic is otherwise exactly the declared terms, left to right."""
    by_kind: dict[str, list[Array]] = {k: [] for k in KIND_NAMES}
    for line in order_lines(list(detail)):
        by_kind[kind_of(line)].append(detail[line])
    t = {KIND[k].total: _sum(v, zero) for k, v in by_kind.items()}
    for name, terms in DERIVED:
        acc: Array | None = None
        for sign, term in terms:
            x = t[term]
            if x is zero:
                continue
            if acc is None:
                acc = x if sign > 0 else zero - x
            else:
                acc = acc + x if sign > 0 else acc - x
        t[name] = zero if acc is None else acc
    return t


def cumsum_months(x: Array, out: Array | None = None) -> Array:
    """Running total over months (axis 0), row by row: out[t] = out[t-1] + x[t] exactly.
    (numpy's cumsum over a non-contiguous axis is ~20x slower on (months, samples) arrays.)"""
    out = x.copy() if out is None else out
    if out is not x:
        out[...] = x
    for t in range(1, out.shape[0]):
        out[t] += out[t - 1]
    return out


def close_books(detail: dict[str, Array], starting_cash: Array) -> dict[str, Array]:
    """Totals and cash from detail lines, each (months, n). Returns every total by name.

    >>> import numpy as np
    >>> t = close_books({"revenue.x": np.array([[3.0], [5.0]]), "opex.y": np.array([[4.0], [4.0]])},
    ...                 np.array([10.0]))
    >>> t["ebitda"].ravel().tolist(), t["cash"].ravel().tolist()
    ([-1.0, 1.0], [9.0, 10.0])
    """
    like = next(iter(detail.values())) if detail else np.zeros((1, starting_cash.shape[0]))
    zero = np.zeros_like(like)
    zero.flags.writeable = False
    t = flow_totals(detail, zero)
    # cash[t] = cash[t-1] + net_cash_flow[t], accumulated sequentially from the starting cash
    cash = t["net_cash_flow"].copy()
    cash[0] += starting_cash
    t[CASH] = cumsum_months(cash, out=cash)
    return {k: t[k] for k in TOTALS}
