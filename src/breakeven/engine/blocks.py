"""Blocks: the pluggable pieces of a business model.

A block reads the sampled inputs and the state other blocks left for the month, writes its flows to
named ledger lines and its operating figures (users, tokens, …) to KPIs. New business models and
cost models plug in as new blocks registered in :data:`BLOCK_TYPES`; the engine does not change.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import numpy as np

from .inputs import Params


KPI_DTYPE = np.float32


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
    state_static: dict = field(default_factory=dict)  # per-chunk shared objects (usage profiles)

    def book(self, line: str, t: int, value: np.ndarray) -> None:
        """Add a flow to ledger line ``line`` in month index t (0-based)."""
        arr = self.lines.get(line)
        if arr is None:
            arr = self.lines[line] = np.zeros((self.months, self.n))
        arr[t] += value

    def add(self, key: str, value: np.ndarray) -> None:
        """Add to a shared per-month quantity (e.g. tokens several blocks ask for)."""
        self.state[key] = self.state[key] + value if key in self.state else value

    def line_at(self, prefix: str, t: int) -> np.ndarray:
        """Sum of detail lines starting with ``prefix`` (e.g. 'revenue.') in month index t."""
        total = np.zeros(self.n)
        for name in sorted(self.lines):
            if name.startswith(prefix):
                total = total + self.lines[name][t]
        return total

    def record(self, kpi: str, t: int, value: np.ndarray) -> None:
        """Record an operating figure (users, tokens, GPUs…) for month index t. KPIs are kept in
        float32 (7 significant digits) to halve their memory; money stays float64."""
        arr = self.kpis.get(kpi)
        if arr is None:
            arr = self.kpis[kpi] = np.zeros((self.months, self.n), dtype=KPI_DTYPE)
        arr[t] = value

    def rate_to_currency(self, currency: str | None) -> np.ndarray | float:
        """Units of the scenario currency per unit of ``currency``."""
        if currency is None or currency.upper() == self.currency:
            return 1.0
        return self.fx[currency.upper()]


class Block(ABC):
    """Base block. Subclasses declare their lines and KPIs and implement prepare/step."""

    lines: tuple[str, ...] = ()
    kpis: tuple[str, ...] = ()
    # inputs the block adds beyond the scenario's fields: name -> (Dist, domain). Catalog
    # efficiency factors with their published ranges, and uniform draws for chance events.
    draws: dict = {}

    def prepare(self, ctx: Ctx) -> None:
        """Once per chunk: evaluate schedules into (months, n) arrays, set initial state."""

    @abstractmethod
    def step(self, ctx: Ctx, t: int) -> None:
        """Month index t (0-based): read ctx.state, write flows and KPIs."""


BLOCK_TYPES: list = []  # block classes with a classmethod from_scenario(sc) -> list[Block]

# Data-flow order of the kinds of block: each reads what earlier ones left in ctx.state.
ORDER = {"demand": 10, "devices": 20, "revenue": 30, "usage": 40, "serving": 50,
         "unit_economics": 60, "company": 70, "buyer": 80, "funding": 90}


def register(stage: str):
    """Class decorator: register a block class at a stage of the data flow (see ORDER)."""
    def deco(cls):
        cls.stage = stage
        BLOCK_TYPES.append(cls)
        return cls
    return deco


def build_blocks(sc) -> list[Block]:
    """The blocks a scenario needs, in the registered (data-flow) order."""
    _import_block_modules()
    blocks: list[Block] = []
    for cls in sorted(BLOCK_TYPES, key=lambda c: ORDER[c.stage]):  # stable within a stage
        blocks.extend(cls.from_scenario(sc))
    return blocks


def _import_block_modules() -> None:
    # Importing registers the blocks; each declares its stage in the data flow.
    from ..market import business, consumer  # noqa: F401
    from ..streams import hardware  # noqa: F401
    from ..streams import subscription  # noqa: F401  (first: ads and margins read payers)
    from ..streams import ads, api, commission, enterprise, topups  # noqa: F401
    from ..market import usage  # noqa: F401
    from ..compute import api_serving, gpu_seconds, selfhost, serving  # noqa: F401
    from ..market import unit_economics  # noqa: F401
    from ..finance import company  # noqa: F401
    from ..market import buyer  # noqa: F401
    from ..finance import funding  # noqa: F401
