"""Milestones and round conditions: does a measure reach a level in a given month?"""

from __future__ import annotations

import numpy as np


def measure_at(name: str, t: int, lines: dict[str, np.ndarray], kpis: dict[str, np.ndarray]
               ) -> np.ndarray:
    """Value of a ledger line (detail or total) or KPI in month index t."""
    if name in kpis:
        return kpis[name][t]
    return lines[name][t]


def milestone_hits(milestones, lines: dict[str, np.ndarray], kpis: dict[str, np.ndarray]
                   ) -> dict[str, np.ndarray]:
    """Per-sample 1.0 / 0.0 for each milestone, keyed 'milestone:<name>'."""
    out = {}
    for m in milestones:
        H = next(iter(lines.values())).shape[0]
        t = min(m.month, H) - 1
        value = measure_at(m.measure, t, lines, kpis)
        out[f"milestone:{m.name}"] = (value >= m.at_least).astype(float)
    return out
