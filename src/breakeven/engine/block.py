"""The block contract: one business or cost mechanism, declared in one file.

A block class declares, as class attributes (an instance may narrow them for its plan):

=================  ===============================================================================
``section``        where its section sits in the scenario (``"streams.subscription"``)
``schema``         the section's pydantic model (defined beside the block); ``None`` when the
                   block reads a section another block declares
``reads``          shared values it reads each month: another block's ``writes``/``adds``, a KPI,
                   a ledger line, a ledger total (``"ebitda"``) or a :class:`Lines` selection
``optional_reads`` the same, read only if some block of the plan provides them
``writes``         shared values it sets (one writer per value)
``adds``           shared values it adds to (many may add; every reader comes after all of them)
``consumed``       of its writes and adds, those some block must read (tokens must be costed)
``books``          ledger lines it books (declared in some block module's ``OUTPUTS``)
``records``        KPIs it records (likewise); a recorded KPI is readable by later blocks
=================  ===============================================================================

Beyond ``prepare`` and ``step``, a block may give ``formulas``: its lines as spreadsheet
arithmetic (:mod:`breakeven.engine.formulas`) where that arithmetic is closed-form.

The engine orders the blocks of a plan by a topological sort of these declarations
(:mod:`breakeven.engine.order`) and checks every access against them at run time (:class:`Ctx`).
A block books and records only the month being stepped: the engine closes each month's books
when the month ends, in one row per line and KPI that the next month reuses, so what a block
reads is this month's value, read-only (a copy keeps it).
The arithmetic calls pure functions in :mod:`breakeven.models`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from ..models import ledger
from ..models.distributions import Dist, Uniform
from .fields import Loc
from .formulas import Cells
from .inputs import InputTable, Params

KPI_DTYPE = np.float32  # KPIs keep 7 significant digits (half the memory); money stays float64
Array = NDArray[np.float64]


@dataclass(frozen=True)
class Lines:
    """A selection of the plan's ledger lines by declared fields, e.g. every consumer revenue
    line: ``Lines(kind="revenue", audience="consumer")``. Resolved against the lines the plan's
    blocks book; a block reading it runs after all of their bookers."""

    kind: str | tuple[str, ...] | None = None
    audience: str | tuple[str, ...] | None = None
    category: str | tuple[str, ...] | None = None

    def where(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in (
                ("kind", self.kind),
                ("audience", self.audience),
                ("category", self.category),
            )
            if v is not None
        }

    def __str__(self) -> str:
        return "lines(" + ", ".join(f"{k}={v}" for k, v in self.where().items()) + ")"


Read = str | Lines


class ContractViolation(RuntimeError):
    """A block touched something it did not declare: a bug in the block, not a user error."""


class Block:
    """Base of every block. See the module docstring for what a subclass declares."""

    section: ClassVar[str | None] = None
    schema: ClassVar[Any] = None
    always: ClassVar[bool] = False  # the section is there, with its defaults, even if not written
    abstract: ClassVar[bool] = False  # a base class for other blocks, never instantiated

    reads: tuple[Read, ...] = ()
    optional_reads: tuple[Read, ...] = ()
    writes: tuple[str, ...] = ()
    adds: tuple[str, ...] = ()
    consumed: tuple[str, ...] = ()
    books: tuple[str, ...] = ()
    records: tuple[str, ...] = ()

    def __init__(self, spec: Any, scenario: Any):
        self.spec = spec
        self.scenario = scenario
        # where this instance's section sits: the class's, or another place of the same model
        # (a serving mode under compute.routes.<name>)
        self.path: str | None = self.section

    # ------------------------------------------------------------------ plan time
    @classmethod
    def from_scenario(cls, sc: Any) -> list[Block]:
        """The blocks of this class a plan needs: one when its section is present."""
        spec = section_of(sc, cls.section) if cls.section else None
        return [] if spec is None else [cls(spec, sc)]

    @property
    def name(self) -> str:
        """How errors name the block: its section path, else its class."""
        return self.path or type(self).__name__

    def draws(self) -> dict[str, tuple[Dist, str]]:
        """Inputs the block adds beyond its section's fields: name → (distribution, domain) —
        catalog efficiency factors with their published ranges, uniform draws for chance events."""
        return {}

    def problems(self, inputs: InputTable) -> Iterable[tuple[Loc, str, Any]]:
        """Problems with the section that need more than its schema (catalog names exist, a
        model fits its GPUs): (location relative to ``section``, message, what was given)."""
        return ()

    def read_at(self, key: str) -> Loc:
        """Where in the section the plan names ``key``, a value this block reads (a partner's
        entry in ``of``), to say a read nothing provides there: () for the section itself."""
        return ()

    def currencies(self) -> Iterable[tuple[Loc, str]]:
        """Currencies the section's prices are quoted in, each needing an exchange rate:
        (location relative to ``section``, ISO code)."""
        return ()

    # ------------------------------------------------------------------ run time
    def prepare(self, ctx: Ctx) -> None:
        """Once per chunk of samples: evaluate schedules into (months, n) arrays, set state."""

    def step(self, ctx: Ctx, t: int) -> None:
        """Month index t (0-based): read shared values, book flows, record KPIs."""

    def opening_cash(self, ctx: Ctx) -> Array | None:
        """Cash in the bank before month 1, if this block provides it (funding does)."""
        return None

    def formulas(self, cells: Cells, t: int) -> dict[str, str]:
        """Month index t of the lines this block books whose arithmetic is closed-form, as Excel
        expressions over ``cells`` (its share of each line; a line several blocks book is a
        formula only if each gives its share). Lines left out stay values in the workbook."""
        return {}


def section_of(sc: Any, path: str) -> Any:
    """The value at dotted ``path`` in a scenario, or None where a part is missing."""
    obj = sc
    for part in path.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def chance_draw() -> tuple[Dist, str]:
    """A uniform draw in (0, 1) deciding a chance event (u < probability ⇒ it happens)."""
    return (Uniform(0.0, 1.0), "fraction")


def _frozen(row: NDArray[Any]) -> NDArray[Any]:
    """A read-only view of this month's row: a block reads the ledger and KPIs, never writes
    them through a read (and a row is reused next month: copy what must be kept)."""
    view = row.view()
    view.flags.writeable = False
    return view


@dataclass(frozen=True)
class _Declared:
    """A block's declarations as sets, for the checks of :class:`Ctx`."""

    reads: frozenset[str]
    selections: frozenset[Lines]
    writes: frozenset[str]
    adds: frozenset[str]
    books: frozenset[str]
    records: frozenset[str]

    @classmethod
    def of(cls, b: Block) -> _Declared:
        rs = (*b.reads, *b.optional_reads)
        names = frozenset(r for r in rs if isinstance(r, str))
        return cls(
            names | frozenset(b.writes) | frozenset(b.adds),
            frozenset(r for r in rs if isinstance(r, Lines)),
            frozenset(b.writes),
            frozenset(b.adds),
            frozenset(b.books),
            frozenset(b.records),
        )


@dataclass
class Ctx:
    """What blocks share while one chunk of samples steps through the months.

    Every access is checked against the current block's declarations: reading an undeclared
    value, writing one, or booking an undeclared line raises :class:`ContractViolation`."""

    n: int
    months: int
    p: Params
    fx: dict[str, Array]
    currency: str
    inputs: InputTable
    # one (n,) row per ledger detail line and per KPI, reused every month (the engine keeps
    # the months it needs); a row is written by the month's first book or record, not zeroed
    # beforehand: until then it reads as zero (see ``lines`` and ``recorded``)
    line_rows: dict[str, Array] = field(default_factory=dict)
    kpi_rows: dict[str, NDArray[np.float32]] = field(default_factory=dict)
    lines: dict[str, Array] = field(default_factory=dict)  # the lines booked this month
    kpis: dict[str, NDArray[np.float32]] = field(default_factory=dict)  # KPIs recorded so far
    recorded: set[str] = field(default_factory=set)  # the KPIs recorded this month
    selections: dict[Lines, tuple[str, ...]] = field(default_factory=dict)  # resolved selections
    t: int | None = None  # the month being stepped; None while preparing
    _state: dict[str, Any] = field(default_factory=dict)
    _block: Block | None = None
    _decl: _Declared | None = None
    _declared: dict[int, _Declared] = field(default_factory=dict)
    _written_lines: set[str] = field(default_factory=set)  # the rows last month wrote
    _written_kpis: set[str] = field(default_factory=set)
    _zeros: dict[bool, Array] = field(default_factory=dict)  # read-only zero rows

    # ------------------------------------------------------------------ engine side
    def enter(self, block: Block, t: int | None) -> None:
        """Make ``block`` the current one (its declarations are checked) in month ``t``."""
        decl = self._declared.get(id(block))
        if decl is None:
            decl = self._declared[id(block)] = _Declared.of(block)
        self._block, self._decl, self.t = block, decl, t

    def new_month(self, adds: Iterable[str]) -> None:
        """Accumulated values, ledger lines and KPIs start from nothing each month."""
        for k in adds:
            self._state.pop(k, None)
        self.lines = {}
        self.recorded = set()

    def end_month(self) -> None:
        """Zero the rows of last month's lines and KPIs that nobody wrote this month, so every
        row holds this month's value (the engine reads the rows once the month is stepped)."""
        for name, row in self.line_rows.items():
            if name not in self.lines and name in self._written_lines:
                row[...] = 0.0
        for name, kpi_row in self.kpi_rows.items():
            if name not in self.recorded and name in self._written_kpis:
                kpi_row[...] = 0.0
        self._written_lines, self._written_kpis = set(self.lines), set(self.recorded)

    def _zero(self, kpi: bool) -> Array:
        z = self._zeros.get(kpi)
        if z is None:
            z = self._zeros[kpi] = np.zeros(self.n, dtype=KPI_DTYPE if kpi else np.float64)
            z.flags.writeable = False
        return z

    def _violation(self, verb: str, name: object) -> ContractViolation:
        return ContractViolation(
            f"{type(self._block).__name__} {verb} {name!r} without declaring it"
        )

    # ------------------------------------------------------------------ block side
    def read(self, key: str) -> Any:
        """This month's shared value, KPI, ledger line or ledger total ``key``."""
        if self._decl is None or key not in self._decl.reads:
            raise self._violation("reads", key)
        if key in self._state:
            return self._state[key]
        if self.t is not None:
            if key in self.kpis:
                return self._month_kpi(key)
            if key in self.lines:
                return _frozen(self.lines[key])
            if key in self.line_rows:
                return self._zero(False)
            if key in ledger.FLOW_TOTALS:
                return _frozen(self.total(key))
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        """An optional read: the value, or ``default`` when no block of the plan provides it."""
        try:
            return self.read(key)
        except KeyError:
            return default

    def write(self, key: str, value: Any) -> None:
        """Set a shared value (in prepare: for the whole chunk; in step: for this month)."""
        if self._decl is None or key not in self._decl.writes:
            raise self._violation("writes", key)
        self._state[key] = value

    def add(self, key: str, value: Array) -> None:
        """Add to a shared value that several blocks contribute to (tokens asked for)."""
        if self._decl is None or key not in self._decl.adds:
            raise self._violation("adds to", key)
        self._state[key] = self._state[key] + value if key in self._state else value

    def _other_month(self, verb: str, name: str, t: int) -> ContractViolation:
        return ContractViolation(
            f"{type(self._block).__name__} {verb} {name!r} in month index {t} while "
            f"stepping month index {self.t}: a block writes only the month being stepped"
        )

    def book(self, line: str, t: int, value: Array | float) -> None:
        """Add a flow to ledger line ``line`` in month index t (0-based), the month being
        stepped (the engine closes each month's books before the next one starts)."""
        if self._decl is None or line not in self._decl.books:
            raise self._violation("books", line)
        if t != self.t:
            raise self._other_month("books", line, t)
        arr = self.lines.get(line)
        if arr is None:  # the month's first flow on the line: 0 + value, as onto a zeroed row
            arr = self.line_rows.get(line)
            if arr is None:
                arr = self.line_rows[line] = np.zeros(self.n)
            self.lines[line] = arr
            np.add(0.0, value, out=arr)
        else:
            arr += value

    def record(self, kpi: str, t: int, value: Array) -> None:
        """Record an operating figure (users, tokens, GPUs…) for month index t, the month
        being stepped."""
        if self._decl is None or kpi not in self._decl.records:
            raise self._violation("records", kpi)
        if t != self.t:
            raise self._other_month("records", kpi, t)
        arr = self.kpis.get(kpi)
        if arr is None:
            arr = self.kpi_rows.get(kpi)
            if arr is None:
                arr = self.kpi_rows[kpi] = np.zeros(self.n, dtype=KPI_DTYPE)
            self.kpis[kpi] = arr
        self.recorded.add(kpi)
        arr[...] = value

    def sum_lines(self, selection: Lines, t: int) -> Array:
        """This month's sum of the plan's lines in ``selection`` (in statement order)."""
        if self._decl is None or selection not in self._decl.selections:
            raise self._violation("reads", str(selection))
        total = np.zeros(self.n)
        for name in self.selections.get(selection, ()):
            total = total + self.month_line(name)
        return total

    def month_line(self, name: str) -> Array:
        """This month's row of detail line ``name`` so far (a zero row if nothing is booked)."""
        row = self.lines.get(name)
        if row is not None:
            return row
        if name in self.line_rows:
            return self._zero(False)
        raise KeyError(name)

    def _month_kpi(self, key: str) -> NDArray[Any]:
        """This month's value of a KPI recorded before (zero until recorded this month)."""
        return _frozen(self.kpis[key]) if key in self.recorded else self._zero(True)

    def measure(self, key: str) -> Any:
        """A figure as the reports see it this month: a KPI as recorded, else a ledger line or
        total (round conditions and milestones compare these)."""
        if self._decl is None or key not in self._decl.reads:
            raise self._violation("reads", key)
        if self.t is not None and key in self.kpis:
            return self._month_kpi(key)
        return self.read(key)

    def total(self, name: str) -> Array:
        """Ledger total ``name`` (revenue, ebitda, free_cash_flow…) of this month so far."""
        zero = np.zeros(self.n)
        zero.flags.writeable = False
        detail = {k: self.month_line(k) for k in self.line_rows}
        return ledger.flow_totals(detail, zero)[name]

    def rate_to_currency(self, currency: str | None) -> Array | float:
        """Units of the scenario currency per unit of ``currency``."""
        if currency is None or currency.upper() == self.currency:
            return 1.0
        return self.fx[currency.upper()]
