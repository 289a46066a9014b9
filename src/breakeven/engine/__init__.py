"""The engine: the block contract, the vocabulary of sections, ordering, sampling, simulation.

Blocks (in :mod:`breakeven.blocks`) are written against what this package exports; the engine
never imports them: the scenario layer discovers them and hands them over.
"""

from ..format import month_label
from .block import KPI_DTYPE, Block, ContractViolation, Ctx, Lines, chance_draw, section_of
from .fields import (
    CalendarMonth,
    Currency,
    F,
    Fraction,
    FractionSchedule,
    Loc,
    NonNegative,
    NonNegativeSchedule,
    Number,
    Positive,
    PositiveSchedule,
    Rate,
    Real,
    Schedule,
    Section,
    Uncertain,
    iter_leaves,
    iter_schedules,
)
from .inputs import BLOCK, InputTable, build_inputs
from .order import BlockSet, discover, order_blocks
from .outputs import Output, OutputTable, kpi, line
from .results import Results, register_presenter
from .simulate import Plan, layout, simulate

__all__ = [
    "CalendarMonth",
    "Currency",
    "BLOCK",
    "KPI_DTYPE",
    "Block",
    "BlockSet",
    "ContractViolation",
    "Ctx",
    "F",
    "Fraction",
    "FractionSchedule",
    "InputTable",
    "Lines",
    "Loc",
    "NonNegative",
    "NonNegativeSchedule",
    "Number",
    "Output",
    "OutputTable",
    "Plan",
    "Positive",
    "PositiveSchedule",
    "Rate",
    "Real",
    "Results",
    "Schedule",
    "Section",
    "Uncertain",
    "build_inputs",
    "chance_draw",
    "discover",
    "iter_leaves",
    "iter_schedules",
    "kpi",
    "layout",
    "line",
    "month_label",
    "order_blocks",
    "register_presenter",
    "section_of",
    "simulate",
]
