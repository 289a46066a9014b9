"""A plan as the page edits it: its inputs grouped as the scenario reference groups them (with
names and units, not paths), and edits applied at field paths.

:func:`plan_inputs` walks a validated scenario in the order of
:func:`breakeven.engine.fields.iter_leaves` — so every path it gives is one ``breakeven`` names
(``--vary``, ``fixed=``, correlations) — and groups the inputs by the section that holds them
(``market.consumer`` → "Market — consumer"; a list item is a group of its own, named by its
``name`` or ``role``). Edits are applied by :func:`breakeven.scenario.edits.apply_edits`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..engine import build_inputs
from ..engine.fields import Schedule, Uncertain
from ..models.distributions import Choice, Dist
from ..scenario.checks import references
from ..scenario.edits import apply_edits, edit_value, set_path
from ..scenario.reference import sections

Loc = tuple[str, ...]

ACRONYMS = {
    "api": "API",
    "arr": "ARR",
    "cpm": "CPM",
    "dau": "DAU",
    "gmv": "GMV",
    "gpu": "GPU",
    "gpus": "GPUs",
    "kv": "KV",
    "mau": "MAU",
    "mfu": "MFU",
    "mrr": "MRR",
    "tpot": "TPOT",
    "ttft": "TTFT",
    "vat": "VAT",
    "wau": "WAU",
}
NAMES = {"fx": "Exchange rate", "g_and_a_per_month": "G&A per month"}


def humanize(field: str, first: bool = True) -> str:
    """A field name for people: ``churn_per_month`` → "Churn per month", ``cpm`` → "CPM" (not
    capitalised unless ``first``: "Market — consumer")."""
    if field in NAMES:
        text = NAMES[field]
    else:
        text = " ".join(ACRONYMS.get(w, w) for w in field.split("_"))
    return text[:1].upper() + text[1:] if first else text


def _round(x: float | None) -> float | None:
    """A quantile without floating-point noise (10 significant digits)."""
    if x is None:
        return None
    return float(f"{x:.10g}")


def _text(raw: Any) -> str:
    """A value as it would be typed: text as is, numbers plainly, mappings in YAML flow style."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, (int, float)):
        return f"{raw:g}" if isinstance(raw, float) else str(raw)
    dumped: str = yaml.safe_dump(raw, default_flow_style=True, allow_unicode=True, width=10_000)
    return dumped.strip().removesuffix("...").strip()


def _item_name(item: Any, index: int) -> str:
    name = getattr(item, "name", None) or getattr(item, "role", None)
    return name if isinstance(name, str) and name else f"#{index + 1}"


# ---------------------------------------------------------------------------- walking a plan


@dataclass
class _Leaf:
    """A place in the plan that holds an input: one uncertain leaf, or a step schedule."""

    loc: Loc
    value: Uncertain | Schedule | None  # None: where a group starts
    field: FieldInfo | None
    group: tuple[str, ...]  # group title parts, e.g. ("Market", "consumer")
    model: type[BaseModel]  # the section model that declares the field
    qualifier: tuple[str, ...]  # what names the leaf within its field: "start", "USD"


def _walk_model(obj: BaseModel, loc: Loc, group: tuple[str, ...]) -> Iterator[_Leaf]:
    yield _Leaf(loc, None, None, group, type(obj), ())  # the group starts here
    for name, info in type(obj).model_fields.items():
        if name == "variables" and not loc:
            continue
        yield from _walk_value(getattr(obj, name), loc + (name,), info, group, type(obj), ())


def _walk_value(
    value: Any,
    loc: Loc,
    info: FieldInfo | None,
    group: tuple[str, ...],
    model: type[BaseModel],
    qual: tuple[str, ...],
) -> Iterator[_Leaf]:
    field = loc[-1]
    if isinstance(value, Uncertain):
        yield _Leaf(loc, value, info, group, model, qual)
    elif isinstance(value, Schedule):
        if value.constant is not None:
            yield _Leaf(loc, value.constant, info, group, model, qual)
        elif value.steps:
            yield _Leaf(loc, value, info, group, model, qual)
        else:  # growth: its start and its change per year are two inputs
            start, change = value.start, value.change_per_year
            assert start is not None and change is not None
            yield _Leaf(loc + ("start",), start, info, group, model, qual + ("start",))
            yield _Leaf(
                loc + ("change_per_year",), change, info, group, model, qual + ("change per year",)
            )
    elif isinstance(value, BaseModel):
        yield from _walk_model(value, loc, group + (humanize(field, not group),))
    elif isinstance(value, list):
        for i, x in enumerate(value):
            at = loc + (str(i),)
            if isinstance(x, BaseModel):
                yield from _walk_model(
                    x, at, group + (humanize(field, not group), _item_name(x, i))
                )
            else:
                yield from _walk_value(x, at, info, group, model, qual + (f"#{i + 1}",))
    elif isinstance(value, dict):
        for k, x in value.items():
            at = loc + (str(k),)
            if isinstance(x, BaseModel):  # a named copy of a section (compute.routes.<name>)
                yield from _walk_model(x, at, group + (humanize(field, not group), str(k)))
            else:
                yield from _walk_value(x, at, info, group, model, qual + (str(k),))


def _unit(leaf: _Leaf, currency: str) -> str:
    """The reference's unit of a leaf's field, in the plan's currency (a growth schedule's
    change is per year; an exchange rate is per unit of its currency)."""
    if leaf.qualifier[-1:] == ("change per year",):
        return "1/year"
    if leaf.loc[:1] == ("fx",) and len(leaf.loc) == 2:
        return f"{currency}/{leaf.loc[1]}"
    extra = leaf.field.json_schema_extra if leaf.field is not None else None
    unit = extra.get("unit", "") if isinstance(extra, dict) else ""
    return str(unit or "").replace("currency", currency)


def _title(parts: tuple[str, ...]) -> str:
    return " — ".join(parts) if parts else "Plan"


def _describe_dist(dist: Dist | None, domain: str) -> dict[str, Any]:
    """kind, low/high (the 90% range) or value, for one distribution."""
    if dist is None:
        return {"kind": "uncertain", "low": None, "high": None, "value": None}
    if dist.is_point:
        return {"kind": "point", "low": None, "high": None, "value": _round(dist.median)}
    kind = "choice" if isinstance(dist, Choice) else "uncertain"
    out: dict[str, Any] = {
        "kind": kind,
        "low": _round(dist.quantile(0.05)),
        "high": _round(dist.quantile(0.95)),
        "value": None,
    }
    if isinstance(dist, Choice):
        out["choices"] = {"values": list(dist.values), "weights": list(dist.weights)}
    return out


def _month_value(leaf: Uncertain) -> Any:
    """A schedule step as shown: its number when fixed, else the text as written."""
    if leaf.is_point:
        return _round(leaf.median)
    return _text(leaf.raw)


def plan_inputs(sc: Any, lines: Mapping[Loc, int] | None = None) -> dict[str, Any]:
    """The inputs of a validated scenario, grouped as the reference groups them (see the module
    docstring): ``{"plan": {...}, "groups": [{"group", "section", "description", "inputs":
    [...]}]}``. Each input: ``path``, ``name``, ``unit``, ``domain``, ``kind`` (uncertain, point,
    schedule, choice), ``text`` (as written), ``low``/``high`` (90% range) or ``value``,
    ``months`` (a schedule's value from each month on), ``description``, ``written`` (False for
    a default the plan does not write), ``line``."""
    table = build_inputs(sc)
    currency = str(sc.currency)
    section_of = {model: path for path, model in sections()}
    groups: dict[tuple[str, ...], dict[str, Any]] = {}
    written = lines or {}

    # the plan's $variables first: each is one input, shared by the fields that use it
    if sc.variables:
        rows = []
        refs = {path: (ref, months) for path, ref, months in references(sc)}
        for key, raw in sc.variables.items():
            name = f"variables.{key}"
            inp = table.get(name)
            note = _class_note(raw, *refs[name]) if name in refs else ""
            row: dict[str, Any] = {
                "path": name,
                "name": f"${key}",
                "unit": "",
                "domain": inp.domain if inp is not None else None,
                "text": _text(raw),
                "months": None,
                "description": note
                + "A variable: drawn once per sample and shared by "
                + (", ".join(sorted(set(inp.paths))) if inp is not None else "no field yet"),
                "written": True,
                "line": written.get(("variables", str(key))),
            }
            row.update(_describe_dist(inp.dist if inp is not None else None, row["domain"] or ""))
            rows.append(row)
        groups[("Variables",)] = {
            "group": "Variables",
            "section": "variables",
            "description": "Named inputs referenced as $name from any field.",
            "inputs": rows,
        }

    for leaf in _walk_model(sc, (), ()):
        value = leaf.value
        group = groups.get(leaf.group)
        if group is None:
            section = section_of.get(leaf.model, "")
            doc = (leaf.model.__doc__ or "").strip().splitlines()
            group = groups[leaf.group] = {
                "group": _title(leaf.group),
                "section": section,
                "description": doc[0] if doc and not doc[0].startswith("!!!") else "",
                "inputs": [],
            }
        if value is None or (isinstance(value, Uncertain) and value.ref is not None):
            continue  # a group's start; or a $variable, shown once under Variables
        path = ".".join(leaf.loc)
        field_name = _field_name(leaf)
        name = humanize(field_name)
        if leaf.qualifier:
            name += " — " + ", ".join(leaf.qualifier)
        row = {
            "path": path,
            "name": name,
            "unit": _unit(leaf, currency),
            "text": _text(value.raw),
            "months": None,
            "description": _reference_note(value)
            + ((leaf.field.description or "") if leaf.field is not None else ""),
            "written": tuple(leaf.loc) in written,
            "line": written.get(tuple(leaf.loc)),
        }
        if isinstance(value, Schedule):
            row["domain"] = value.domain.value
            row.update({"kind": "schedule", "low": None, "high": None, "value": None})
            months: dict[str, Any] = {}
            for k, step in value.steps:
                months[str(max(k, 1))] = _month_value(step)
            row["months"] = months
        else:
            row["domain"] = value.domain.value
            row.update(_describe_dist(table.dist(value), value.domain.value))
        group["inputs"].append(row)
    return {
        "plan": {
            "name": str(sc.name),
            "currency": currency,
            "horizon_months": int(sc.horizon_months),
            "start": f"{sc.start.year:04d}-{sc.start.month:02d}",
            "samples": int(sc.samples),
            "seed": int(sc.seed),
        },
        "groups": [g for g in groups.values() if g["inputs"]],
    }


def _field_name(leaf: _Leaf) -> str:
    """The name of the field a leaf belongs to (before any qualifier parts of its path)."""
    n_qual = len(leaf.qualifier)
    return leaf.loc[-1 - n_qual] if n_qual else leaf.loc[-1]


__all__ = ["apply_edits", "plan_inputs", "humanize", "set_path", "edit_value"]


def _reference_note(value: Any) -> str:
    """For a ``reference`` growth, what it was resolved to (a line before the field's
    description, in the page's tooltip); else nothing."""
    if not (isinstance(value, Uncertain) and value.reference and value.basis is not None):
        return ""
    return _class_note(value.raw, value.basis, 1)


def _class_note(raw: Any, basis: Any, months: int) -> str:
    """What a ``reference`` or ``trend x`` (``raw``) was made of, as one line."""
    from ..report.sentences import reference_line

    word = "trend" if str(raw).strip().lower().startswith("trend") else "reference"
    return reference_line(word, basis, months=months).strip().removeprefix(f"{word}: ") + "\n"
