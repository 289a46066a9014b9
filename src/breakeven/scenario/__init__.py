"""Scenarios: the schema assembled from the blocks' sections, loading YAML with located errors,
the checks of a plan, the reference docs and the shipped templates.

The names below load on first use (PEP 562): assembling the schema imports every block, and
listing or copying a template (:mod:`.templates`) needs none of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

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


__getattr__, __dir__ = lazy_names(__name__, _LAZY, globals())
