"""The JSON document of a run (``breakeven run --json``; format in the README)."""

from __future__ import annotations

from typing import Any

from ..engine.results import Results
from .text import headline


def document(r: Results) -> dict[str, Any]:
    """Everything a run answers, as plain data: probabilities, metric summaries with their
    definitions, milestones, margins by user type, and monthly bands of every line and KPI."""
    sc = r.scenario
    return {
        "scenario": sc.name,
        "file": sc.source,
        "samples": r.samples,
        "seed": r.seed,
        "horizon_months": r.months,
        "start": r.start,
        "currency": r.currency,
        "headline": headline(r),
        "probabilities": r.probabilities,
        "metrics": r.summary(),
        "metric_definitions": {k: r.outputs.doc(k) for k in r.metrics if ":" not in k},
        "milestones": r.milestones,
        "user_margins": r.user_margins,
        "monthly_from_samples": r.kept,
        "calendar": r.calendar,
        "monthly": r.monthly(),
    }


def run_document(r: Results, warnings: list[Any]) -> dict[str, Any]:
    """The document ``breakeven run --json`` prints (and the run store keeps): :func:`document`
    plus the plan's warnings (:class:`~breakeven.analysis.lint.PlanWarning`, as dicts)."""
    doc = document(r)
    doc["warnings"] = [w.to_dict() for w in warnings]
    return doc
