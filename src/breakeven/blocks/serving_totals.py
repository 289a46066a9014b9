"""In a plan with routes (compute.routes), the served volume and capacity over every route.

Each serving mode records its own figures as ``requests@<route>``…; this block adds them up
under the plain names (``requests``, ``input_tokens``, ``output_tokens``, and ``gpus_needed``,
``gpus_owned``, ``gpu_hours`` when some route has them) so that reports and the unit economics
of the whole plan read one figure.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.block import Block, Ctx
from ._serving import routes_of

VOLUME = ("requests", "input_tokens", "output_tokens")
# KPIs a mode records besides the volume, by the mode's name under compute.serving
MODE_KPIS = {"self_host": ("gpus_needed", "gpus_owned"), "gpu_seconds": ("gpu_hours",)}


class ServingTotalsBlock(Block):
    section = "compute.routes"
    records: tuple[str, ...] = (*VOLUME, "gpus_needed", "gpus_owned", "gpu_hours")

    def __init__(self, spec: Any, scenario: Any):
        super().__init__(spec, scenario)
        modes: dict[str, str] = {}  # route → its mode
        serving = getattr(scenario.compute, "serving", None)
        if serving is not None:
            modes["default"] = _mode(serving)
        for name, choice in routes_of(scenario).items():
            modes[name] = _mode(choice)
        self.sums: dict[str, list[str]] = {k: [f"{k}@{r}" for r in modes] for k in VOLUME}
        for route, mode in modes.items():
            for k in MODE_KPIS.get(mode, ()):
                self.sums.setdefault(k, []).append(f"{k}@{route}")
        self.records = tuple(self.sums)
        self.reads = tuple(key for keys in self.sums.values() for key in keys)

    def step(self, ctx: Ctx, t: int) -> None:
        for total, keys in self.sums.items():
            value = np.zeros(ctx.n)
            for key in keys:
                value = value + ctx.read(key)
            ctx.record(total, t, value)


def _mode(choice: Any) -> str:
    """The serving mode a compute.serving-shaped choice holds (exactly one is given)."""
    return str(next(k for k in type(choice).model_fields if getattr(choice, k) is not None))
