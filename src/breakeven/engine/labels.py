"""Names, not paths: how an input is shown to people.

``company.team.0.cost_per_person_per_year`` is shown as
``company.team[research & engineering].cost_per_person_per_year``: a list item is named by its
``name`` (or ``role``) when it has one; ``variables.growth`` is shown as ``$growth``.
"""

from __future__ import annotations

from typing import Any


def input_label(sc: Any, path: str) -> str:
    """The path of an input with the names of list items in place of their indexes."""
    if path.startswith("variables."):
        return "$" + path[len("variables.") :]
    obj: Any = sc
    out: list[str] = []
    for part in path.split("."):
        if isinstance(obj, list) and part.isdigit() and int(part) < len(obj):
            obj = obj[int(part)]
            name = getattr(obj, "name", None) or getattr(obj, "role", None)
            if isinstance(name, str) and name and out:
                out[-1] += f"[{name}]"
            else:
                out.append(part)
            continue
        obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part, None)
        out.append(part)
    return ".".join(out)
