"""Scenarios: the schema assembled from the blocks' sections, loading YAML with located errors,
the checks of a plan, the reference docs and the shipped templates.

The names below load on first use (PEP 562): assembling the schema imports every block, and
listing or copying a template (:mod:`.templates`) needs none of it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .loader import load, load_text
    from .schema import BLOCKS, Scenario, ScenarioBase

__all__ = ["BLOCKS", "Scenario", "ScenarioBase", "load", "load_text"]

# name → the module that defines it (imported on first access)
_LAZY = {
    "load": ".loader",
    "load_text": ".loader",
    "BLOCKS": ".schema",
    "Scenario": ".schema",
    "ScenarioBase": ".schema",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # the next access is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
