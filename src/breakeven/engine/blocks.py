"""Blocks: the pluggable pieces of a business model.

A block reads the sampled inputs and the state other blocks left for the month, writes its flows to
named ledger lines and its operating figures (users, tokens, …) to KPIs. New business models and
cost models plug in as new blocks registered in :data:`BLOCK_TYPES`; the engine does not change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .inputs import Params


@dataclass
class Ctx:
    """What blocks share while one chunk of samples steps through the months."""

    n: int
    months: int
    p: Params
    fx: dict[str, np.ndarray]
    currency: str
    lines: dict[str, np.ndarray] = field(default_factory=dict)  # ledger detail, (months, n)
    kpis: dict[str, np.ndarray] = field(default_factory=dict)  # operating figures, (months, n)
    state: dict[str, np.ndarray] = field(default_factory=dict)  # this month's shared values

    def book(self, line: str, t: int, value: np.ndarray) -> None:
        """Add a flow to ledger line ``line`` in month index t (0-based)."""
        arr = self.lines.get(line)
        if arr is None:
            arr = self.lines[line] = np.zeros((self.months, self.n))
        arr[t] += value

    def record(self, kpi: str, t: int, value: np.ndarray) -> None:
        arr = self.kpis.get(kpi)
        if arr is None:
            arr = self.kpis[kpi] = np.zeros((self.months, self.n))
        arr[t] = value

    def rate_to_currency(self, currency: str | None) -> np.ndarray | float:
        """Units of the scenario currency per unit of ``currency``."""
        if currency is None or currency.upper() == self.currency:
            return 1.0
        return self.fx[currency.upper()]


class Block:
    """Base block. Subclasses declare their lines and KPIs and implement prepare/step."""

    lines: tuple[str, ...] = ()
    kpis: tuple[str, ...] = ()

    def prepare(self, ctx: Ctx) -> None:
        """Once per chunk: evaluate schedules into (months, n) arrays, set initial state."""

    def step(self, ctx: Ctx, t: int) -> None:
        """Month index t (0-based): read ctx.state, write flows and KPIs."""
        raise NotImplementedError(f"{type(self).__name__}.step")


BLOCK_TYPES: list = []  # block classes with a classmethod from_scenario(sc) -> list[Block]


def register(cls):
    BLOCK_TYPES.append(cls)
    return cls


def build_blocks(sc) -> list[Block]:
    """The blocks a scenario needs, in the registered (data-flow) order."""
    _import_block_modules()
    blocks: list[Block] = []
    for cls in BLOCK_TYPES:
        blocks.extend(cls.from_scenario(sc))
    return blocks


def _import_block_modules() -> None:
    # Importing registers the blocks; order of import is the order of data flow:
    # demand → revenue → cost of serving → company → funding.
    from ..market import consumer  # noqa: F401
    from ..streams import subscription  # noqa: F401
    from ..compute import serving  # noqa: F401
    from ..finance import company, funding  # noqa: F401
