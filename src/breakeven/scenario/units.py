"""The unit of an input, read from the documented field that holds it (:func:`engine.F`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def field_unit(scenario: Any, path: str) -> str:
    """Unit of the field at dotted ``path`` (list items by index, schedule keys after the field),
    with ``currency`` spelled as the plan's currency: "CNY/year", "fraction", "" if undocumented.
    A growth schedule's change_per_year is "/year"."""
    obj: Any = scenario
    unit = ""
    for part in path.split("."):
        if isinstance(obj, BaseModel):
            info = type(obj).model_fields.get(part)
            if info is None:
                break
            extra = info.json_schema_extra
            unit = str(extra.get("unit", "")) if isinstance(extra, dict) else ""
            obj = getattr(obj, part, None)
        elif isinstance(obj, list | tuple) and part.isdigit() and int(part) < len(obj):
            obj = obj[int(part)]
        else:  # a schedule's step or growth key: the schedule's own unit
            if part == "change_per_year":
                return "/year"
            break
    return unit.replace("currency", str(getattr(scenario, "currency", "") or "currency"))
