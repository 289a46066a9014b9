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

import functools
from collections.abc import Iterable
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


@functools.lru_cache(maxsize=256)
def _kinds_in_order(lines: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(line, kind) in statement order: the same every month of a run, so computed once."""
    return tuple((line, kind_of(line)) for line in order_lines(list(lines)))


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


def _sum(arrays: list[Array], zero: Array, out: Array | None = None) -> Array:
    """Sum in a fixed order (bit-identical whatever the chunking), into ``out`` if given. A
    single line is returned as is, and an empty kind is the shared read-only zero array (totals
    are not written to)."""
    if not arrays:
        return zero
    if len(arrays) == 1:
        return arrays[0]
    acc = np.add(arrays[0], arrays[1], out=out)
    for a in arrays[2:]:
        acc += a
    return acc


def flow_totals(
    detail: dict[str, Array], zero: Array, out: dict[str, Array] | None = None
) -> dict[str, Array]:
    """Every total but cash from detail lines of any shape ((months, n) or one month's (n,)).

    Terms that are an empty kind (the shared ``zero``) are skipped, so a total of one term is that
    term's array itself; the arithmetic is otherwise exactly the declared terms, left to right.
    ``out`` holds arrays (shaped like the lines) for totals to be written there when they are
    computed (not a line, another total or zero; see :func:`total_aliases`); the arithmetic is
    the same."""
    by_kind: dict[str, list[Array]] = {k: [] for k in KIND_NAMES}
    for line, kind in _kinds_in_order(tuple(detail)):
        by_kind[kind].append(detail[line])
    out = out or {}
    t = {}
    for k, v in by_kind.items():
        name = KIND[k].total
        t[name] = _sum(v, zero, out.get(name))
    for name, terms in DERIVED:
        dest = out.get(name)
        acc: Array | None = None
        for sign, term in terms:
            x = t[term]
            if x is zero:
                continue
            if acc is None:
                acc = x if sign > 0 else np.subtract(zero, x, out=dest)
            else:
                acc = np.add(acc, x, out=dest) if sign > 0 else np.subtract(acc, x, out=dest)
        t[name] = zero if acc is None else acc
    return t


def total_aliases(detail: Iterable[str]) -> dict[str, str | None]:
    """Which totals (cash aside) :func:`flow_totals` returns as an array it was given, for a
    ledger of these detail lines: the detail line or earlier total it is, "" for the zero of
    an empty kind, None for a total it computes. It depends only on which lines there are."""
    given = {line: np.zeros(1) for line in detail}
    zero = np.zeros(1)
    t = flow_totals(given, zero)
    seen = dict(given)
    out: dict[str, str | None] = {}
    for name, arr in t.items():  # in the order flow_totals computes them
        same = [k for k, v in seen.items() if v is arr]
        out[name] = "" if arr is zero else (same[0] if same else None)
        seen[name] = arr
    return out


def close_month(
    detail: dict[str, Array],
    cash_before: Array,
    zero: Array,
    out: dict[str, Array] | None = None,
) -> dict[str, Array]:
    """One month's totals and end-of-month cash from its detail lines, each (n,): cash is the
    previous month's (or the starting cash) plus this month's net cash flow. ``zero`` is a
    read-only (n,) zero array standing for an empty kind; ``out`` holds (n,) arrays for the
    totals to be written there (see :func:`flow_totals`; cash's may be ``cash_before``).
    Returns every total by name.

    >>> import numpy as np
    >>> z = np.zeros(1)
    >>> t = close_month({"revenue.x": np.array([3.0]), "opex.y": np.array([4.0])}, np.array([10.0]), z)
    >>> t["ebitda"].tolist(), t["cash"].tolist()
    ([-1.0], [9.0])
    """
    t = flow_totals(detail, zero, out)
    t[CASH] = np.add(t["net_cash_flow"], cash_before, out=(out or {}).get(CASH))
    return {k: t[k] for k in TOTALS}
