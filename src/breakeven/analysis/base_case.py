"""The base case: the plan with every input at its median, as one deterministic sample.

Every independent uniform is 0.5, so each input (the plan's own, catalog factors and chance-event
draws alike) takes its distribution's median, and a Gaussian copula maps 0.5 to 0.5: correlations
cannot move it. It is what a spreadsheet model of the plan would show with point inputs, and
what the tornado's one-at-a-time swings start from.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..engine import Results, simulate
from ..scenario.schema import ScenarioBase as Scenario


def _medians(names: list[str], start: int, stop: int) -> NDArray[np.float64]:
    return np.full((len(names), stop - start), 0.5)


def _no_copula(names: list[str], u: NDArray[np.float64]) -> NDArray[np.float64]:
    return u


def base_case(scenario: Scenario, seed: int | None = None) -> Results:
    """Simulate the base case: one sample, its whole ledger and KPIs kept."""
    return simulate(
        scenario, samples=1, seed=seed, keep_ledger=1, uniforms=_medians, transform=_no_copula
    )
