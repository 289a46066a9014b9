"""The statement layout shared by the workbook, the HTML report and ``Results.statement``.

Rows in an accountant's order (detail lines, then their total; gross profit, EBITDA, EBIT, free
cash flow, funding, net cash flow, opening and closing cash), with the formula of each derived
row. A statement must add up, so a quantile statement is the whole ledger of one representative
sample, never a column of per-line quantiles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# (kind prefix of detail lines, total line)
_GROUPS = (("revenue", "revenue"), ("cogs", "cost_of_revenue"))
_OPEX = ("opex", "operating_expenses")


@dataclass
class Row:
    name: str  # ledger line name, or "cash_start"
    role: str  # "detail", "total" (sum of details), "derived" (a formula), "cash_start"
    terms: list[tuple[int, str]] = field(default_factory=list)  # (+1/-1, row name) for derived
    indent: int = 0


def layout(lines: list[str]) -> list[Row]:
    """Statement rows for a ledger with these ``lines``."""
    detail = [n for n in lines if "." in n]
    rows: list[Row] = []

    def group(kind: str, total: str, always: bool = True) -> bool:
        items = [n for n in detail if n.split(".", 1)[0] == kind]
        if not items and not always:
            return False
        rows.extend(Row(n, "detail", indent=1) for n in items)
        rows.append(Row(total, "total", terms=[(1, n) for n in items]))
        return True

    group("revenue", "revenue")
    group("cogs", "cost_of_revenue")
    rows.append(Row("gross_profit", "derived", [(1, "revenue"), (-1, "cost_of_revenue")]))
    group("opex", "operating_expenses")
    rows.append(Row("ebitda", "derived", [(1, "gross_profit"), (-1, "operating_expenses")]))
    fcf = [(1, "ebitda")]
    if group("depreciation", "depreciation", always=False):
        rows.append(Row("ebit", "derived", [(1, "ebitda"), (-1, "depreciation")]))
    if group("capex", "capex", always=False):
        fcf.append((-1, "capex"))
    if group("wc", "working_capital", always=False):
        fcf.append((1, "working_capital"))
    rows.append(Row("free_cash_flow", "derived", fcf))
    group("funding", "funding")
    rows.append(Row("net_cash_flow", "derived", [(1, "free_cash_flow"), (1, "funding")]))
    rows.append(Row("cash_start", "cash_start"))
    rows.append(Row("cash", "derived", [(1, "cash_start"), (1, "net_cash_flow")]))
    return rows


def values(r, rows: list[Row], sample: int | None = None) -> dict[str, np.ndarray]:
    """Monthly values of each row: one kept sample's ledger, or the mean over all samples."""
    out: dict[str, np.ndarray] = {}
    for row in rows:
        if row.name == "cash_start":
            continue
        if sample is None:
            out[row.name] = np.asarray(r.monthly_mean(row.name), dtype=float)
        else:
            out[row.name] = np.asarray(r.line(row.name)[sample], dtype=float)
    cash, ncf = out["cash"], out["net_cash_flow"]
    start = np.empty_like(cash)
    start[0] = cash[0] - ncf[0]
    start[1:] = cash[:-1]
    out["cash_start"] = start
    return out


STOCKS = ("cash", "cash_start")  # balances, not flows: a year shows its end (or start)


def yearly(vals: dict[str, np.ndarray], months: int) -> dict[str, list[float]]:
    """Year totals of flows; end-of-year cash and start-of-year opening cash."""
    years = (months + 11) // 12
    out = {}
    for k, v in vals.items():
        if k == "cash":
            out[k] = [float(v[min(12 * y + 11, months - 1)]) for y in range(years)]
        elif k == "cash_start":
            out[k] = [float(v[12 * y]) for y in range(years)]
        else:
            out[k] = [float(v[12 * y : 12 * y + 12].sum()) for y in range(years)]
    return out


def representative_samples(
    r, metric: str = "npv", stats: dict[str, float] | None = None
) -> dict[str, int]:
    """Index (among kept samples) of the sample whose ``metric`` sits at each quantile:
    {'p10': i, 'p50': j, 'p90': k}. Its whole ledger is one coherent outcome."""
    stats = stats or {"p50": 0.50, "p10": 0.10, "p90": 0.90}
    if r.kept == 0:
        raise ValueError("no kept samples: simulate with keep_ledger > 0")
    x = np.asarray(r.metrics[metric], dtype=float)[: r.kept]
    x = np.where(np.isnan(x), -np.inf, x)
    order = np.argsort(x, kind="stable")
    n = len(order)
    return {k: int(order[min(n - 1, max(0, int(round(q * (n - 1)))))]) for k, q in stats.items()}
