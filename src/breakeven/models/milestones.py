"""Milestones and round conditions: does a measure reach a level in a given month?"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


class MilestoneLike(Protocol):
    """What a milestone says: reach ``at_least`` of ``measure`` by ``month``."""

    @property
    def name(self) -> str: ...

    @property
    def month(self) -> int: ...

    @property
    def measure(self) -> str: ...

    @property
    def at_least(self) -> float: ...


def milestone_hits(
    milestones: Iterable[MilestoneLike],
    lines: dict[str, Array],
    kpis: dict[str, NDArray[np.float32]],
) -> dict[str, Array]:
    """Per-sample 1.0 / 0.0 for each milestone, keyed 'milestone:<name>': reached in any month
    up to and including the milestone's month."""
    out: dict[str, Array] = {}
    for m in milestones:
        series = kpis[m.measure] if m.measure in kpis else lines[m.measure]
        upto = series[: min(m.month, series.shape[0])]
        out[f"milestone:{m.name}"] = (upto >= m.at_least).any(axis=0).astype(float)
    return out
