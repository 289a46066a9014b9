"""Finding the blocks and putting a plan's blocks in order, from their declarations alone.

:func:`discover` imports every module of a package and collects the :class:`Block` classes
defined there and the ``OUTPUTS`` they declare. :func:`order_blocks` sorts a plan's blocks
topologically: a block that reads a value runs after every block that writes, adds to, records or
books it (a ledger total, after every booker of its kinds). Ties are broken by the block's name,
so the order depends on nothing but the declarations — not on import order, nor on discovery
order. A read that nothing provides, two writers of one value, a value both written and added
to, or a cycle is a :class:`~breakeven.errors.ContractError` naming the blocks.
"""

from __future__ import annotations

import difflib
import heapq
import importlib
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType

from ..errors import ContractError
from ..models import ledger
from .block import Block, Lines, Read
from .outputs import Output, OutputTable, engine_outputs


@dataclass(frozen=True)
class BlockSet:
    """The block classes of a package, in discovery order, and the assembled output table."""

    classes: tuple[type[Block], ...]
    outputs: OutputTable

    def providers(self, key: str) -> list[type[Block]]:
        """Classes that can provide ``key`` (write, add, record or book it), for hints."""
        return [c for c in self.classes if key in (*c.writes, *c.adds, *c.records, *c.books)]


def discover(package: ModuleType) -> BlockSet:
    """Every concrete Block class defined in the modules of ``package`` (sorted by module, then
    definition order) and the output table assembled from their modules' ``OUTPUTS``."""
    classes: list[type[Block]] = []
    rows: list[Output] = list(engine_outputs())
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        rows += list(getattr(module, "OUTPUTS", ()))
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, Block)
                and obj is not Block
                and obj.__module__ == module.__name__
                and not obj.__dict__.get("abstract")
            ):
                classes.append(obj)
    return BlockSet(tuple(classes), OutputTable(rows))


def _sort_key(b: Block, index: int) -> tuple[str, str, int]:
    return (b.name, type(b).__name__, index)


@dataclass
class Graph:
    """Who provides what in one plan, and the order its blocks run in."""

    order: list[Block]
    selections: dict[Lines, tuple[str, ...]]  # each selection read: the lines it stands for


def resolve(selection: Lines, booked: Iterable[str], outputs: OutputTable) -> tuple[str, ...]:
    """The booked lines a selection designates, in statement order."""
    lines = ledger.order_lines(list(booked))
    return tuple(outputs.select(lines, **selection.where()))


def order_blocks(blocks: list[Block], outputs: OutputTable, hint: BlockSet | None = None) -> Graph:
    """The plan's blocks in data-flow order (see the module docstring)."""
    writers: dict[str, list[int]] = {}
    adders: dict[str, list[int]] = {}
    recorders: dict[str, list[int]] = {}
    bookers: dict[str, list[int]] = {}
    for i, b in enumerate(blocks):
        for table, names in (
            (writers, b.writes),
            (adders, b.adds),
            (recorders, b.records),
            (bookers, b.books),
        ):
            for name in names:
                table.setdefault(name, []).append(i)
    for key, ws in writers.items():
        if len(ws) > 1:
            first, second = (blocks[j].name for j in ws[:2])
            raise ContractError(
                f"{first} and {second} both write {key}; one value has one writer",
                blocks[ws[1]],
                key,
            )
        if any(j != ws[0] for j in adders.get(key, []) + recorders.get(key, [])):
            raise ContractError(
                f"{blocks[ws[0]].name} writes {key}, which other blocks add to or record",
                blocks[ws[0]],
                key,
            )
    for key, rs in recorders.items():
        if len(rs) > 1:
            first, second = (blocks[j].name for j in rs[:2])
            raise ContractError(f"{first} and {second} both record {key}", blocks[rs[1]], key)
    booked = set(bookers)
    selections: dict[Lines, tuple[str, ...]] = {}

    def providers(read: Read) -> list[int]:
        if isinstance(read, Lines):
            names = selections.setdefault(read, resolve(read, booked, outputs))
            return sorted({j for n in names for j in bookers[n]})
        for table in (writers, adders, recorders, bookers):
            if read in table:
                return table[read]
        if read in ledger.TOTALS:
            kinds = ledger.total_components(read)
            return sorted(
                {j for n, js in bookers.items() if ledger.kind_of(n) in kinds for j in js}
            )
        return []

    after: list[set[int]] = [set() for _ in blocks]
    for i, b in enumerate(blocks):
        for read in b.reads:
            ps = providers(read)
            if not ps and not isinstance(read, Lines) and read not in ledger.TOTALS:
                provided = dict.fromkeys([*writers, *adders, *recorders, *bookers])
                raise MissingRead(_missing(b, str(read), hint, provided), b, str(read))
            after[i] |= {j for j in ps if j != i}
        for read in b.optional_reads:
            after[i] |= {j for j in providers(read) if j != i}
        for key in b.consumed:
            readers = [c for c in blocks if key in c.reads or key in c.optional_reads]
            if not any(c is not b for c in readers):
                raise ContractError(_unconsumed(b, key, hint), b, key)
    # Kahn's algorithm; among the blocks ready to run, the smallest name first
    waiting = [len(a) for a in after]
    feeds: list[list[int]] = [[] for _ in blocks]
    for i, deps in enumerate(after):
        for j in deps:
            feeds[j].append(i)
    ready = [(_sort_key(b, i), i) for i, b in enumerate(blocks) if not waiting[i]]
    heapq.heapify(ready)
    order: list[Block] = []
    while ready:
        _, i = heapq.heappop(ready)
        order.append(blocks[i])
        for k in feeds[i]:
            waiting[k] -= 1
            if not waiting[k]:
                heapq.heappush(ready, (_sort_key(blocks[k], k), k))
    if len(order) < len(blocks):
        stuck = sorted(b.name for i, b in enumerate(blocks) if waiting[i])
        raise ContractError("these blocks read each other's values in a cycle: " + ", ".join(stuck))
    return Graph(order, selections)


def _sections(classes: list[type[Block]]) -> str:
    names = sorted({c.section or c.__name__ for c in classes})
    return " or ".join(names)


class MissingRead(ContractError):
    """A block reads ``key``, which no block of the plan provides (a section is missing, or the
    plan names a value that does not exist: a partner's share of a misspelt line). Validation
    says it where the block names the value (:meth:`Block.read_at`), with the value as given."""


def _missing(b: Block, key: str, hint: BlockSet | None, provided: Iterable[str] = ()) -> str:
    who = hint.providers(key) if hint is not None else []
    if who:
        return f"needs {_sections(who)} (it reads {key}, which {_sections(who)} provides)"
    out = f"reads {key}, which no block provides"
    close = closest(key, provided)
    if close:
        return f"{out}; did you mean {' or '.join(close)}?"
    # what another section would provide: revenue.enterprise → streams.enterprise's lines
    classes = hint.classes if hint is not None else ()
    elsewhere = closest(key, (k for c in classes for k in (*c.writes, *c.adds, *c.books)))
    if elsewhere:
        who = [c for c in classes if set(elsewhere) & {*c.writes, *c.adds, *c.books}]
        return (
            f"{out}; {_sections(who)}, which this plan does not have, provides "
            f"{' and '.join(elsewhere)}"
        )
    kind = key.split(".", 1)[0] if "." in key else None
    same = [k for k in provided if kind and k.startswith(kind + ".")]
    if same:
        return f"{out}; this plan's {kind} lines: {', '.join(same)}"
    return out


def closest(key: str, names: Iterable[str], n: int = 3) -> list[str]:
    """The names most like ``key``, at most ``n``, in the order given: those that start with it
    (revenue.enterprise → revenue.enterprise_seats), then close spellings. Dotted names are
    compared within their kind (``revenue.``) by what follows, so that the kind alone never
    makes two names close.

    >>> closest("revenue.enterprise", ["revenue.enterprise_seats", "revenue.subscription"])
    ['revenue.enterprise_seats']
    >>> closest("revenue.subscriptions", ["revenue.subscription", "revenue.api"])
    ['revenue.subscription']
    """
    kind, _, item = key.rpartition(".")
    pool = [
        k
        for k in dict.fromkeys(names)
        if k != key and k.rpartition(".")[0] == kind and "{" not in k
    ]
    items = {k.rpartition(".")[2]: k for k in pool}
    starts = [k for k in pool if item and k.rpartition(".")[2].startswith(item)]
    alike = [items[m] for m in difflib.get_close_matches(item, list(items), n=n, cutoff=0.75)]
    return list(dict.fromkeys(starts + alike))[:n]


def _unconsumed(b: Block, key: str, hint: BlockSet | None) -> str:
    who = [
        c
        for c in (hint.classes if hint is not None else ())
        if key in c.reads or key in c.optional_reads
    ]
    if who:
        return (
            f"its {key.replace('_', ' ')} must be read by {_sections(who)}, which this "
            "plan does not have"
        )
    return f"its {key} is read by no block of this plan"
