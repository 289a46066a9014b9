"""Scenarios: the schema assembled from the blocks' sections, loading YAML with located errors,
the checks of a plan, the reference docs and the shipped templates."""

from .loader import load, load_text
from .schema import BLOCKS, Scenario, ScenarioBase

__all__ = ["BLOCKS", "Scenario", "ScenarioBase", "load", "load_text"]
