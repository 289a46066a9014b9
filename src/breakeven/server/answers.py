"""What the API answers, computed as the command line computes it (so the numbers are the CLI's
for the same seed and samples): the plan page's simulation (headline, fan charts, break-even
CDF, tornado), and the run document ``breakeven run --json`` prints."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..analysis.lint import lint
from ..analysis.sensitivity import tornado
from ..engine import Results
from ..errors import AnalysisError
from ..report.document import run_document
from ..report.view import cdf_by_month
from ..scenario.labels import input_label

Loc = tuple[str, ...]
BAND = (0.10, 0.50, 0.90)  # as the run document's monthly p10/p50/p90 (np.quantile, kept samples)


def _bands(arr: np.ndarray) -> dict[str, list[float]]:
    """p10/p50/p90 per month of kept samples, arr (months, kept), as the run document has them."""
    if arr.shape[-1] == 0:
        return {"p10": [], "p50": [], "p90": []}
    qs = np.quantile(arr, BAND, axis=1)
    return {"p10": qs[0].tolist(), "p50": qs[1].tolist(), "p90": qs[2].tolist()}


def _total_cost(r: Results) -> np.ndarray:
    """:func:`breakeven.report.view.total_cost` (the same sums), as (months, kept) in one
    contiguous block: its bands are the report's, without a transposed copy."""
    lines = r.lines
    cogs = r.ledger_lms[lines.index("cost_of_revenue")]
    opex = r.ledger_lms[lines.index("operating_expenses")]
    out: np.ndarray = cogs + opex
    return out


def headline(r: Results) -> dict[str, Any]:
    """The numbers of the page's headline, from the run's probabilities and metric summaries
    (``breakeven run --json``: ``probabilities``, ``metrics.<name>.p50/p90``)."""
    summary = {k: r.metric_summary(k) for k in ("breakeven_month", "peak_funding_need", "npv")}
    month = summary["breakeven_month"]["p50"]
    probabilities = r.probabilities
    return {
        "p_breakeven": probabilities["p_breakeven"],
        "p_cash_out": probabilities["p_cash_out"],
        "breakeven_month_p50": month,
        "breakeven_date_p50": r.month_name(month),
        "peak_funding_need_p50": summary["peak_funding_need"]["p50"],
        "peak_funding_need_p90": summary["peak_funding_need"]["p90"],
        "npv_p50": summary["npv"]["p50"],
        "currency": r.currency,
        "text": r.headline(),
    }


def _page_name(names: Mapping[str, str], name: str, path: str) -> str | None:
    """An input's name on the page: its own, its variable's, or its schedule's and the month."""
    for key in (name, path):
        if key in names:
            return names[key]
    parent, _, month = path.rpartition(".")
    if month.isdigit() and parent in names:
        return f"{names[parent]}, from month {max(int(month), 1)}"
    return None


def tornado_rows(r: Results, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The report's tornado of NPV (``breakeven sensitivity --json`` for the run's seed and
    samples, reusing the run's samples): each row's ``name`` (the input's name on the page),
    ``low``/``high`` (NPV with the input at its p10 / p90, others at their medians) and
    ``base`` (NPV with every input at its median)."""
    try:
        tr = tornado(
            r.scenario, metric="npv", seed=r.seed, samples_for_conditional=r.samples, results=r
        )
    except AnalysisError as e:
        return {"rows": [], "note": str(e)}
    rows = []
    for row in tr:
        path = row["paths"][0] if row["paths"] else row["input"]
        rows.append(
            {
                "name": _page_name(names or {}, row["input"], path) or row["label"],
                "path": path,
                "input": row["input"],
                "label": input_label(r.scenario, path),
                "low": row["metric_low"],
                "high": row["metric_high"],
                "base": tr.base,
                "input_low": row["low"],
                "input_high": row["high"],
                "domain": row["domain"],
            }
        )
    return {"rows": rows, "note": tr.note}


def simulation(
    r: Results,
    lines: Mapping[Loc, int],
    *,
    with_tornado: bool = True,
    names: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The plan page's answer to one simulation (see the API in the README)."""
    tr = tornado_rows(r, names) if with_tornado else {"rows": [], "note": "not requested"}
    cdf = cdf_by_month(r.metrics["breakeven_month"], r.months)
    warnings = lint(r.scenario, r, dict(lines))
    return {
        "headline": headline(r),
        "charts": {
            "months": list(range(1, r.months + 1)),
            "dates": r.calendar,
            "cash": _bands(r.ledger_lms[r.lines.index("cash")]),
            "revenue": _bands(r.ledger_lms[r.lines.index("revenue")]),
            "costs": _bands(_total_cost(r)),
            "breakeven_cdf": {"months": list(range(1, r.months + 1)), "share": cdf.tolist()},
            "tornado": tr["rows"],
            "tornado_note": tr["note"],
        },
        "warnings": [w.to_dict() for w in warnings],
        "samples": r.samples,
        "seed": r.seed,
        "horizon_months": r.months,
    }


def document(r: Results, lines: Mapping[Loc, int]) -> dict[str, Any]:
    """The document ``breakeven run --json`` prints for this run (what the run store keeps)."""
    return run_document(r, lint(r.scenario, r, dict(lines)))


__all__ = ["document", "headline", "simulation", "tornado_rows"]
