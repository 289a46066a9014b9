"""What changed between two plans, and how the headline moved between two runs.

:func:`changed_assumptions` walks two validated scenarios side by side, field by field, and
lists every assumption whose value differs: an uncertain input whose distribution differs (so
``2% to 6%`` and ``0.02 to 0.06`` are the same assumption), a schedule, a choice (a model, a
GPU, a mode), a section or a list item present in one plan only. List items with names (team
roles, funding rounds, tiers) are matched by name, so inserting one does not show every later item
as changed. Defaults count: a field left out in one plan and written as its default in the other
is not a change. The plan's name, description, samples and seed are not assumptions (a run's
seed and samples are its own, shown beside the diff).

Each change is ``{"path", "name", "a", "b"}``: ``path`` as the engine names inputs
(``company.team.0.cost_per_person_per_year``), ``name`` as people read it
(``company.team[research & engineering].cost_per_person_per_year``, ``$growth`` for a variable:
:func:`breakeven.scenario.labels.input_label`), ``a``/``b`` the values as written (text), None
where the plan has no such field or item.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from typing import Any

from pydantic import BaseModel

from ..engine import Schedule, Uncertain
from ..engine.labels import input_label

NOT_ASSUMPTIONS = frozenset({"name", "description", "samples", "seed"})

Loc = tuple[str, ...]
Change = tuple[Loc | None, Loc | None, Any, Any]  # (path in a, path in b, value a, value b)


def changed_assumptions(a: Any, b: Any) -> list[dict[str, Any]]:
    """Every assumption that differs between scenarios ``a`` and ``b``, in the plan's order."""
    out = []
    for pa, pb, va, vb in _walk(a, b, (), ()):
        path = ".".join(pb if pb is not None else pa or ())
        sc = b if pb is not None else a
        out.append({"path": path, "name": input_label(sc, path), "a": text(va), "b": text(vb)})
    return out


def _walk(x: Any, y: Any, px: Loc, py: Loc) -> Iterator[Change]:
    if x is None and y is None:
        return
    if x is None or y is None:
        yield (None if x is None else px), (None if y is None else py), x, y
    elif isinstance(x, Uncertain) and isinstance(y, Uncertain):
        if _key(x) != _key(y):
            yield px, py, x, y
    elif isinstance(x, Schedule) and isinstance(y, Schedule):
        if [(r, _key(u)) for r, u in x.leaves()] != [(r, _key(u)) for r, u in y.leaves()]:
            yield px, py, x, y
    elif isinstance(x, BaseModel) and type(x) is type(y):
        for name in type(x).model_fields:
            if not px and name in NOT_ASSUMPTIONS:
                continue
            yield from _walk(getattr(x, name), getattr(y, name), px + (name,), py + (name,))
    elif isinstance(x, list) and isinstance(y, list):
        yield from _walk_list(x, y, px, py)
    elif isinstance(x, dict) and isinstance(y, dict):
        for k in [*x, *(k for k in y if k not in x)]:
            yield from _walk(x.get(k), y.get(k), px + (str(k),), py + (str(k),))
    elif _plain(x) != _plain(y):
        yield px, py, x, y


def _walk_list(x: list[Any], y: list[Any], px: Loc, py: Loc) -> Iterator[Change]:
    """Items matched by name (or role) when every item of both lists has a distinct one, else
    by position; unmatched items are added or removed as a whole."""
    kx, ky = _names(x), _names(y)
    if kx is None or ky is None:
        for i in range(max(len(x), len(y))):
            xi = x[i] if i < len(x) else None
            yi = y[i] if i < len(y) else None
            yield from _walk(xi, yi, px + (str(i),), py + (str(i),))
        return
    where_x = {k: i for i, k in enumerate(kx)}
    for j, k in enumerate(ky):
        at = where_x.get(k)
        if at is None:
            yield None, py + (str(j),), None, y[j]
        else:
            yield from _walk(x[at], y[j], px + (str(at),), py + (str(j),))
    in_y = set(ky)
    for i, k in enumerate(kx):
        if k not in in_y:
            yield px + (str(i),), None, x[i], None


def _names(items: list[Any]) -> list[str] | None:
    names = []
    for item in items:
        name = getattr(item, "name", None) or getattr(item, "role", None)
        if not isinstance(item, BaseModel) or not isinstance(name, str) or not name:
            return None
        names.append(name)
    return names if len(set(names)) == len(names) else None


def _key(u: Uncertain) -> tuple[Any, ...]:
    """What an uncertain input means: its distribution (or the variable it refers to)."""
    if u.ref is not None:  # ``$name``: the variable is compared where it is defined
        return ("$", u.ref, u.domain)
    return (u.dist, u.domain)


def _plain(v: Any) -> Any:
    """A plain value as JSON would hold it (enums by value, dates as text)."""
    if isinstance(v, BaseModel):
        return v.model_dump(mode="json")
    if isinstance(v, date):  # a calendar month is held as its first day
        return f"{v.year:04d}-{v.month:02d}" if v.day == 1 else v.isoformat()
    value = getattr(v, "value", v)  # an Enum
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def text(v: Any) -> str | None:
    """A value as a person writes it in a plan: ``2% to 6%``, ``{0: 49, 25: 39}``, ``H800``;
    a section or list item as its fields that differ from the defaults. None stays None."""
    if v is None:
        return None
    if isinstance(v, (Uncertain, Schedule)):
        return _flow(v.raw)
    if isinstance(v, BaseModel):
        return _flow(v.model_dump(mode="json", exclude_defaults=True))
    if isinstance(v, list):
        return _flow([_jsonish(x) for x in v])
    return _flow(_jsonish(v))


def _jsonish(v: Any) -> Any:
    if isinstance(v, BaseModel):
        return v.model_dump(mode="json", exclude_defaults=True)
    if isinstance(v, (Uncertain, Schedule)):
        return v.raw
    return _plain(v)


def _flow(v: Any) -> str:
    """YAML-like flow text: {a: 1, b: 2 to 3}, [x, y], numbers without a trailing .0."""
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_flow(x) for x in v) + "]"
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and math.isfinite(v) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return str(v)


def metric_change(a: float | None, b: float | None) -> float | None:
    """b − a, or None when either is undefined (a month beyond the horizon)."""
    if a is None or b is None:
        return None
    return b - a


__all__ = ["changed_assumptions", "metric_change", "text"]
