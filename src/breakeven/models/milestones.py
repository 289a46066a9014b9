"""Milestones and round conditions: does a measure reach a level in a given month?"""

from __future__ import annotations

import numpy as np


def milestone_hits(
    milestones, lines: dict[str, np.ndarray], kpis: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Per-sample 1.0 / 0.0 for each milestone, keyed 'milestone:<name>': reached in any month
    up to and including the milestone's month."""
    out = {}
    for m in milestones:
        series = kpis[m.measure] if m.measure in kpis else lines[m.measure]
        upto = series[: min(m.month, series.shape[0])]
        out[f"milestone:{m.name}"] = (upto >= m.at_least).any(axis=0).astype(float)
    return out
