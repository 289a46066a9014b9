"""A plan as the page edits it: its inputs grouped as the scenario reference groups them (with
names and units, not paths), and edits applied at field paths.

:func:`plan_inputs` walks a validated scenario in the order of
:func:`breakeven.engine.fields.iter_leaves` — so every path it gives is one ``breakeven`` names
(``--vary``, ``fixed=``, correlations) — and groups the inputs by the section that holds them
(``market.consumer`` → "Market — consumer"; a list item is a group of its own, named by its
``name`` or ``role``). :func:`apply_edits` reads the plan with the loader, sets each edited field
in the YAML's data, validates the result with the loader and writes it back as YAML, so load →
apply → load is the same scenario.
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
from ..errors import Problem, ScenarioError
from ..models.distributions import Choice, Dist
from ..scenario.loader import load_text, parse_yaml
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
        for key, raw in sc.variables.items():
            name = f"variables.{key}"
            inp = table.get(name)
            row: dict[str, Any] = {
                "path": name,
                "name": f"${key}",
                "unit": "",
                "domain": inp.domain if inp is not None else None,
                "text": _text(raw),
                "months": None,
                "description": "A variable: drawn once per sample and shared by "
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
            "description": (leaf.field.description or "") if leaf.field is not None else "",
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


# ---------------------------------------------------------------------------- editing a plan


def _fail(file: str, path: str, message: str, got: Any = None, has_got: bool = False) -> None:
    raise ScenarioError([Problem(file, None, path, message, got, has_got)])


def edit_value(value: Any, path: str, file: str) -> Any:
    """An edit as the user typed it → the YAML value to write: text is read as one YAML value
    (``3% to 5%`` stays text, ``12`` is a number, ``{1: 10, 13: 20}`` a month table) within
    the loader's bounds; numbers are kept; ``None`` or empty text removes the field."""
    if value is None:
        return None
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            data, _ = parse_yaml(value, file)
        except ScenarioError as e:
            p = e.problems[0]
            _fail(file, path, f"cannot read the edit: {p.message}", value, True)
        return data
    return value


def _match_key(mapping: dict[Any, Any], part: str) -> Any:
    """The key of ``mapping`` that ``part`` names: equal as text, or the same month of a
    schedule (0 and 1 both mean the first month)."""
    for k in mapping:
        if str(k) == part:
            return k
    if part.isdigit() and int(part) <= 1:
        for k in mapping:
            if isinstance(k, int) and not isinstance(k, bool) and k in (0, 1):
                return k
    return None


def set_path(data: dict[str, Any], path: str, value: Any, file: str) -> None:
    """Set (or, for ``None``, remove) the field at ``path`` in the YAML data of a plan,
    creating mappings on the way."""
    parts = path.split(".")
    if not path or any(not p for p in parts):
        _fail(file, path, "not a field path (parts separated by dots)", path, True)
    obj: Any = data
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(obj, list):
            if not part.isdigit() or int(part) >= len(obj):
                _fail(
                    file,
                    ".".join(parts[: i + 1]),
                    f"no item {part} in this list of {len(obj)}",
                    part,
                    True,
                )
            if last:
                if value is None:
                    _fail(file, path, "a list item cannot be removed by an edit")
                obj[int(part)] = value
                return
            obj = obj[int(part)]
        elif isinstance(obj, dict):
            key = _match_key(obj, part)
            if key is None:
                numeric = any(isinstance(k, int) and not isinstance(k, bool) for k in obj)
                key = int(part) if numeric and part.isdigit() else part
            if last:
                if value is None:
                    obj.pop(key, None)
                else:
                    obj[key] = value
                return
            if key not in obj or obj[key] is None:
                if value is None:
                    return  # nothing to remove
                obj[key] = {}
            obj = obj[key]
        else:
            _fail(
                file,
                ".".join(parts[:i]),
                "is a single value, not a section or a month table; edit it as a whole",
                obj,
                True,
            )


def header_comments(text: str) -> str:
    """The comment lines at the top of a plan (what it models), kept when it is rewritten."""
    out = []
    for line in text.splitlines():
        if line.startswith("#"):
            out.append(line)
        elif line.strip():
            break
    return "\n".join(out) + "\n" if out else ""


def apply_edits(text: str, edits: Mapping[str, Any], file: str) -> str:
    """The plan ``text`` with ``edits`` (field path → value as typed) applied, validated, as
    YAML. Raises :class:`ScenarioError`: the plan's own problems (located by line), or an
    edit's (located by its path)."""
    load_text(text, file)  # the plan itself must be valid: its problems have lines
    data, _ = parse_yaml(text, file)
    for path, raw in edits.items():
        set_path(data, path, edit_value(raw, path, file), file)
    out = header_comments(text) + yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=100
    )
    try:
        load_text(out, file)
    except ScenarioError as e:  # lines of the rewritten text mean nothing to the user
        raise ScenarioError(
            [Problem(p.file, None, p.path, p.message, p.got, p.has_got) for p in e.problems]
        ) from None
    return out


__all__ = ["apply_edits", "plan_inputs", "humanize", "set_path", "edit_value"]
