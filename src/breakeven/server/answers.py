"""What the API answers, computed as the command line computes it (so the numbers are the CLI's
for the same seed and samples): the plan page's simulation (headline, fan charts, break-even
CDF, tornado), and the run document ``breakeven run --json`` prints.

A request may ask for its sentences in Chinese (``lang="zh"``): the headline, notes, warnings,
messages and narratives are then told by the report layer's own functions, as ``--lang zh``
tells them on the command line (:mod:`breakeven.report.sentences`, :mod:`breakeven.report.text`,
:mod:`breakeven.report.update`); the facts and numbers beside them are unchanged. In English the
answers are the command line's ``--json`` documents, unchanged."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..analysis.lint import lint
from ..analysis.sensitivity import tornado
from ..engine import Results
from ..engine.labels import input_label
from ..errors import AnalysisError
from ..report import sentences as say
from ..report.document import run_document
from ..report.i18n import STRINGS, t
from ..report.text import headline as headline_text
from ..report.view import cdf_by_month

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


def headline(r: Results, lang: str = "en") -> dict[str, Any]:
    """The numbers of the page's headline, from the run's probabilities and metric summaries
    (``breakeven run --json``: ``probabilities``, ``metrics.<name>.p50/p90``), and its sentence
    in ``lang``."""
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
        "text": r.headline() if lang != "zh" else headline_text(r, lang),
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


def why(reason: str, lang: str = "en") -> str:
    """Why there is no tornado, in ``lang`` (as the HTML report says it; a reason of unknown
    form as given)."""
    key = f"why.{reason}"
    return t(key, lang) if lang == "zh" and key in STRINGS else reason


def tornado_rows(
    r: Results, names: Mapping[str, str] | None = None, lang: str = "en"
) -> dict[str, Any]:
    """The report's tornado of NPV (``breakeven sensitivity --json`` for the run's seed and
    samples, reusing the run's samples): each row's ``name`` (the input's name on the page),
    ``low``/``high`` (NPV with the input at its p10 / p90, others at their medians) and
    ``base`` (NPV with every input at its median); its note in ``lang``."""
    try:
        tr = tornado(
            r.scenario, metric="npv", seed=r.seed, samples_for_conditional=r.samples, results=r
        )
    except AnalysisError as e:
        return {"rows": [], "note": why(str(e), lang)}
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
    return {"rows": rows, "note": say.tornado_note(tr, lang)}


def simulation(
    r: Results,
    lines: Mapping[Loc, int],
    *,
    with_tornado: bool = True,
    names: Mapping[str, str] | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """The plan page's answer to one simulation (see the API in the README), its sentences in
    ``lang``."""
    if with_tornado:
        tr = tornado_rows(r, names, lang)
    else:
        tr = {"rows": [], "note": why("not requested", lang)}
    cdf = cdf_by_month(r.metrics["breakeven_month"], r.months)
    warnings = lint(r.scenario, r, dict(lines))
    return {
        "headline": headline(r, lang),
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
        "warnings": lint_dicts(warnings, lang),
        "samples": r.samples,
        "seed": r.seed,
        "horizon_months": r.months,
    }


def lint_dicts(warnings: list[Any], lang: str = "en") -> list[dict[str, Any]]:
    """Plan warnings as the API lists them (``breakeven validate --json``); in Chinese each
    ``message`` told from the warning's facts (:func:`~breakeven.report.sentences.lint_text`)
    and its located line beside it (``text``, as ``breakeven validate --lang zh`` prints it)."""
    out = [w.to_dict() for w in warnings]
    if lang == "zh":
        for d, w in zip(out, warnings, strict=True):
            d.update(message=say.lint_text(w, lang), text=say.lint_line(w, lang))
    return out


# ---------------------------------------------------------------------------- in Chinese
# Each takes the English document an analysis answers (its ``--json``) and returns it with its
# sentences told in ``lang``; English documents are returned as they are.


def input_groups(doc: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    """:func:`~breakeven.server.plans.plan_inputs` with the inputs' names and the groups'
    titles in ``lang``: each field's name and each section's from the ``web.field.*`` strings;
    what the plan's author named (team roles, rounds, tiers) and ``$variables`` as written."""
    if lang != "zh":
        return doc
    first, rest = _field_names(lang)
    quals = {k.removeprefix("web.qual."): t(k, lang) for k in STRINGS if k.startswith("web.qual.")}

    def name(text: str) -> str:
        head, sep, tail = text.partition(" — ")
        out = first.get(head, head)
        if sep:
            out += " — " + ", ".join(quals.get(q, q) for q in tail.split(", "))
        return out

    def title(text: str) -> str:
        if f"web.group.{text}" in STRINGS:
            return t(f"web.group.{text}", lang)
        parts = text.split(" — ")
        return " — ".join((first if i == 0 else rest).get(p, p) for i, p in enumerate(parts))

    groups = []
    for g in doc["groups"]:
        inputs = [
            {**row, "name": row["name"] if row["name"].startswith("$") else name(row["name"])}
            for row in g["inputs"]
        ]
        groups.append({**g, "group": title(g["group"]), "inputs": inputs})
    return {**doc, "groups": groups}


def _field_names(lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """A field's name as :func:`~breakeven.server.plans.humanize` writes it (first in a title,
    and after it) → its name in ``lang``."""
    from .plans import humanize

    first: dict[str, str] = {}
    rest: dict[str, str] = {}
    for key in STRINGS:
        if key.startswith("web.field."):
            field = key.removeprefix("web.field.")
            first[humanize(field)] = rest[humanize(field, False)] = t(key, lang)
    return first, rest


def sensitivity_doc(doc: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    """``breakeven sensitivity --json`` with its note (a tornado's, a Sobol result's) and
    warnings in ``lang``."""
    if lang != "zh":
        return doc
    if doc.get("method") == "tornado":
        return {**doc, "note": say.tornado_note(doc, lang)}
    return {**doc, "note": say.sobol_note(doc, lang), "warnings": say.sobol_warnings(doc, lang)}


def goalseek_doc(out: dict[str, Any], sc: Any, lang: str = "en") -> dict[str, Any]:
    """``breakeven goalseek --json`` with its message, warnings and the input's current
    distribution in ``lang`` (as ``breakeven goalseek --lang zh`` prints them), and the target
    in words (``target_text``)."""
    if lang != "zh":
        return out
    from ..engine import build_inputs

    cur = str(sc.currency)
    doc = {
        **out,
        "message": say.goalseek_message(out, cur, lang),
        "warnings": say.goalseek_warnings(out, lang),
        "target_text": say.target_text(out, cur, lang),
    }
    try:
        doc["current"] = say.describe_dist(build_inputs(sc)[out["input"]].dist, lang)
    except (KeyError, TypeError, AnalysisError):
        pass  # an input the table does not know by that name: as the analysis wrote it
    return doc


def compare_doc(cmp: Any, lang: str = "en") -> dict[str, Any]:
    """``breakeven compare --json`` with each plan's headline in ``lang``."""
    doc: dict[str, Any] = cmp.to_dict()
    if lang == "zh":
        for plan, res in zip(doc["plans"], cmp.results, strict=True):
            plan["headline"] = headline_text(res, lang)
    return doc


def sweep_doc(res: Any, doc: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    """``breakeven sweep --json`` with its warnings told from their facts in ``lang``."""
    if lang != "zh":
        return doc
    from ..report.sweep import warning_lines

    return {**doc, "warnings": warning_lines(res, lang)}


def update_doc(upd: Any, doc: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    """``breakeven update --json`` with what ``breakeven update --lang zh`` tells in Chinese:
    the narrative, each input's phrase, the observed period, the sampler's method
    (``method_text``), the header of the updated plan, and the declared Chinese label of each
    observed series and cash (``labels``)."""
    if lang != "zh":
        return doc
    from ..report.update import narrative, period, phrase, plan_text

    method = doc["sampler"]["method"]
    key = f"upd.m.{method}"
    by_name = {c.name: c for c in upd.changes}
    return {
        **doc,
        "narrative": narrative(upd, lang),
        "actuals": {**doc["actuals"], "period": period(upd.actuals, lang)},
        "sampler": {**doc["sampler"], "method_text": t(key, lang) if key in STRINGS else method},
        "inputs": [
            {**row, "phrase": phrase(by_name[row["input"]], lang)}
            if row["input"] in by_name
            else row
            for row in doc["inputs"]
        ],
        "updated_plan": plan_text(upd, lang),
        "labels": {
            name: upd.posterior.outputs.label(name, lang) for name in [*upd.actuals.series, "cash"]
        },
    }


def document(r: Results, lines: Mapping[Loc, int]) -> dict[str, Any]:
    """The document ``breakeven run --json`` prints for this run (what the run store keeps)."""
    return run_document(r, lint(r.scenario, r, dict(lines)))


__all__ = [
    "compare_doc",
    "document",
    "goalseek_doc",
    "headline",
    "input_groups",
    "lint_dicts",
    "sensitivity_doc",
    "simulation",
    "sweep_doc",
    "tornado_rows",
    "update_doc",
    "why",
]
