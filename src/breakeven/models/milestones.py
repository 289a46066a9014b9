"""Milestones and round conditions: does a measure reach a level in a given month?"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

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


class MilestoneWatch:
    """Per-sample 1.0 / 0.0 for each milestone, keyed 'milestone:<name>': reached in any month
    up to and including the milestone's month. Fed one month at a time (rows (n,)), so the
    engine needs no sample's whole history."""

    def __init__(self, milestones: Iterable[MilestoneLike], n: int) -> None:
        self.milestones = list(milestones)
        self.hit = {m.name: np.zeros(n, dtype=bool) for m in self.milestones}

    def update(self, t: int, rows: Mapping[str, NDArray[Any]]) -> None:
        """Month index ``t``: ``rows`` holds this month's value of every measure it counts for."""
        for m in self.milestones:
            if t < m.month:
                self.hit[m.name] |= rows[m.measure] >= m.at_least

    def result(self) -> dict[str, Array]:
        return {f"milestone:{k}": v.astype(float) for k, v in self.hit.items()}
