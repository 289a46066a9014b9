"""The scenario's inputs, named and sampled: a pure function of the scenario.

:func:`build_inputs` walks a validated scenario and names every uncertain leaf by its field path
(``streams.subscription.conversion``), or by the variable it refers to (``variables.growth``,
shared by every field that uses ``$growth``); blocks add their own draws (catalog efficiency
factors, chance events). ``fixed`` replaces inputs by point values without touching the scenario
— goal-seek, sensitivity and the web app override inputs this way.

Uniforms come from a counter-like scheme: input ``name`` in RNG block ``b`` (BLOCK samples) uses
the stream ``SeedSequence([seed, crc32(name), b])``. Sample i's value therefore depends only on
(seed, name, i) — not on the chunking, the number of workers, the total sample count, or which
other inputs exist — which also gives common random numbers when comparing plans.
"""

from __future__ import annotations

import difflib
import re
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from ..errors import UncertainError, UserError
from ..models.distributions import Dist, Domain, Point, interval_point
from .fields import Uncertain, iter_leaves
from .labels import input_label

BLOCK = 4096  # samples per RNG block; compute chunks are whole multiples of it
_INV_TWO53 = 2.0**-53  # exact: a power of two

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Input:
    """One named input: its distribution, its field's domain, and the paths that use it."""

    name: str
    dist: Dist
    domain: str
    paths: tuple[str, ...]


def input_name(path: str, leaf: Uncertain) -> str:
    """The input a leaf at ``path`` draws from: its path, or the variable it refers to."""
    return path if leaf.ref is None else f"variables.{leaf.ref}"


def _fold_names(label: str) -> str:
    """A label with its list items' names in brackets compared as names are told apart (case
    and spacing aside): ``team[ Research  & Engineering ]`` → ``team[research & engineering]``."""
    return re.sub(
        r"\[([^\]]*)\]", lambda m: "[" + " ".join(m.group(1).split()).casefold() + "]", label
    )


class InputTable(Mapping[str, Input]):
    """Every distinct input of a plan, in order of first use; leaves map to their input."""

    def __init__(self, inputs: dict[str, Input], name_of: dict[int, str], scenario: Any = None):
        self._inputs = inputs
        self._name_of = name_of  # id(leaf) → input name, for the scenario the table was built of
        self._scenario = scenario  # to read list items' names (labels), if given

    def __getitem__(self, name: str) -> Input:
        return self._inputs[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._inputs)

    def __len__(self) -> int:
        return len(self._inputs)

    def name(self, leaf: Uncertain) -> str:
        return self._name_of[id(leaf)]

    def dist(self, leaf: Uncertain) -> Dist:
        return self._inputs[self.name(leaf)].dist

    def median(self, leaf: Uncertain) -> float:
        """The median of a leaf's distribution (a variable's, for ``$name``)."""
        return self.dist(leaf).median

    def reaches(self, leaf: Uncertain, bound: float) -> bool:
        """Whether a leaf can be drawn at ``bound`` or past it, away from its median: a point
        there, or a distribution whose tail gets there (its 1e-12 or 1 − 1e-12 quantile). For the
        bounds a formula divides by, such as a share of 0 or of 1."""
        d = self.dist(leaf)
        if bound >= d.median:
            return d.quantile(1.0 - 1e-12) >= bound
        return d.quantile(1e-12) <= bound

    def random(self) -> list[str]:
        """Names of the inputs that are not point values (they are drawn per sample)."""
        return [k for k, v in self._inputs.items() if not v.dist.is_point]

    def resolve(self, ref: str) -> str:
        """The input that ``ref`` designates: an input name, ``$variable``, or any field path
        using it (schedule leaves as ``…price_per_month.start`` or ``…headcount.13``), with list
        items by index or by name as outputs show them (``company.team[research].…``).
        Unknown → :class:`UserError` naming the closest inputs, by name."""
        v = str(ref).strip()
        if v.startswith("$"):
            v = "variables." + v[1:]
        v = self.unlabel(v)
        by_path = self.by_path()
        if v in by_path:
            return by_path[v]
        under = sorted(self.label(p) for p in by_path if p.startswith(v + "."))
        if under:
            raise UserError(
                f"{ref!r} is a schedule or a group of inputs; name one of its "
                f"leaves: {', '.join(under[:8])}"
            )
        shown = [self.label(p) for p in by_path]
        close = difflib.get_close_matches(str(ref).strip(), shown, n=5, cutoff=0.5)
        if not close:  # fall back to the last part of the path
            tail = v.rsplit(".", 1)[-1]
            close = [p for p in shown if p.rsplit(".", 1)[-1] == tail or tail in p][:5]
        hint = f"; closest inputs: {', '.join(close)}" if close else ""
        raise UserError(f"no input {ref!r} in this scenario{hint}")

    def label(self, path: str) -> str:
        """A path as people see it (:func:`~breakeven.engine.labels.input_label`)."""
        return path if self._scenario is None else input_label(self._scenario, path)

    def held_label(self, ref: str) -> str:
        """How an input held by ``ref`` (goal seek's, a sweep's) reads: its label, and for a
        field that uses a variable, which moves every field using it, ``… ($pay: every field
        using it)``."""
        v = "variables." + ref[1:] if ref.startswith("$") else self.unlabel(ref.strip())
        shown = self.label(v)
        name = self.by_path().get(v)
        if name is not None and name.startswith("variables.") and not v.startswith("variables."):
            shown += f" (${name[len('variables.') :]}: every field using it)"
        return shown

    def unlabel(self, ref: str) -> str:
        """The path that a label, or the start of one (a schedule's, a list item's), stands
        for: ``company.team[research].headcount`` → ``company.team.0.headcount``; ``ref`` as
        it is when it names list items by index or matches no label."""
        if self._scenario is None or "[" not in ref:
            return ref
        want = _fold_names(ref)
        for path in self.by_path():
            shown = self.label(path)
            folded = _fold_names(shown)
            if folded == want:
                return path
            rest = shown[len(shown) - len(folded) + len(want) :]
            if folded.startswith(want + ".") and path.endswith(rest):
                return path[: -len(rest)]
        return ref

    def by_path(self) -> dict[str, str]:
        """Every name and path → the input it designates."""
        out: dict[str, str] = {}
        for name, inp in self._inputs.items():
            out[name] = name
            for p in inp.paths:
                out.setdefault(p, name)
        return out

    def with_fixed(self, fixed: Mapping[str, float] | None) -> InputTable:
        """A new table in which the inputs designated by ``fixed`` (paths or names → values)
        are point values (the path of a schedule holds it at that value in every month); a
        value outside its field's domain is a :class:`UserError`."""
        if not fixed:
            return self
        inputs = dict(self._inputs)
        for ref, name, value in self._expand(fixed):
            inp = inputs[name]
            try:
                point = interval_point(float(value), Domain(inp.domain), value)
            except (TypeError, ValueError) as e:
                msg = e.message if isinstance(e, UncertainError) else "expected a number"
                raise UserError(f"fixed {ref}: {msg} (got {value!r})") from None
            inputs[name] = Input(name, point, inp.domain, inp.paths)
        return InputTable(inputs, self._name_of, self._scenario)

    def schedule_leaves(self, ref: str) -> list[str]:
        """The paths of a schedule's leaves (its steps, or its start and change per year) when
        ``ref`` — a path or a label — is the schedule's own path; [] otherwise."""
        v = self.unlabel("variables." + ref[1:] if ref.startswith("$") else ref)
        by_path = self.by_path()
        if v in by_path:
            return []
        under = sorted(p for p in by_path if p.startswith(v + "."))
        last = [p[len(v) + 1 :] for p in under]
        if under and all(x.isdigit() or x in ("start", "change_per_year") for x in last):
            return under
        return []

    def _expand(self, fixed: Mapping[str, float]) -> list[tuple[str, str, float]]:
        """(ref, input, value) for each override; a schedule's path fixes the schedule to that
        value in every month: each step, or its start with no change per year."""
        out = []
        by_path = self.by_path()
        for ref, value in fixed.items():
            leaves = self.schedule_leaves(ref)
            if leaves:
                out += [
                    (p, by_path[p], 0.0 if p.endswith(".change_per_year") else value)
                    for p in leaves
                ]
            else:
                out.append((ref, self.resolve(ref), value))
        return out

    def with_draws(self, draws: Mapping[str, tuple[Dist, str]]) -> InputTable:
        """A new table with inputs that blocks add (name → (distribution, domain))."""
        inputs = dict(self._inputs)
        for name, (dist, domain) in draws.items():
            if name not in inputs:
                inputs[name] = Input(name, dist, domain, (name,))
        return InputTable(inputs, self._name_of, self._scenario)


def build_inputs(sc: Any) -> InputTable:
    """Every input of a validated scenario, named by path or variable (a pure function)."""
    inputs: dict[str, Input] = {}
    name_of: dict[int, str] = {}
    for loc, leaf in iter_leaves(sc):
        path = ".".join(loc)
        name = input_name(path, leaf)
        name_of[id(leaf)] = name
        old = inputs.get(name)
        if old is not None:
            inputs[name] = Input(name, old.dist, old.domain, old.paths + (path,))
            continue
        if leaf.dist is None:
            what = "the reference class" if leaf.reference else f"variable ${leaf.ref}"
            raise UserError(f"{path}: {what} is not resolved; validate the scenario first")
        inputs[name] = Input(name, leaf.dist, leaf.domain.value, (path,))
    return InputTable(inputs, name_of, sc)


class UniformSource(Protocol):
    def __call__(self, names: list[str], start: int, stop: int, /) -> Array:
        """Uniforms in (0, 1), shape (len(names), stop - start), for samples [start, stop)."""


Transform = Callable[[list[str], Array], Array]


def name_key(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def block_uniforms(seed: int, key: int, b: int) -> Array:
    """The BLOCK uniforms of stream ``SeedSequence([seed, key, b])``: 53-bit integers k mapped to
    (k + 0.5) / 2⁵³, in the open interval (0, 1) (no infinite quantiles).

    k is the top 53 bits of each raw PCG64 output, the very integers
    ``Generator.integers(0, 2**53)`` gives: numpy's bounded integers use Lemire's method, whose
    product x · 2⁵³ keeps x >> 11 and never rejects for a power-of-two range (tested against the
    Generator); made without it, the block takes about a fifth less time. × 2⁻⁵³ is exact, as
    ÷ 2⁵³ was."""
    k = np.random.PCG64(np.random.SeedSequence([seed, key, b])).random_raw(BLOCK)
    k >>= np.uint64(11)
    u = k.astype(np.float64)
    u += 0.5
    u *= _INV_TWO53
    return u


def independent_uniforms(seed: int) -> UniformSource:
    """The default source: independent streams per input and RNG block (see module doc)."""

    def source(names: list[str], start: int, stop: int) -> Array:
        out = np.empty((len(names), stop - start))
        b0, b1 = start // BLOCK, (stop - 1) // BLOCK
        for j, name in enumerate(names):
            key = name_key(name)
            for b in range(b0, b1 + 1):
                u = block_uniforms(seed, key, b)
                lo, hi = max(start, b * BLOCK), min(stop, (b + 1) * BLOCK)
                out[j, lo - start : hi - start] = u[lo - b * BLOCK : hi - b * BLOCK]
        return out

    return source


class DrawnAgain(Mapping[str, Array]):
    """Every sample's value of each random input, drawn again from the seed when read instead of
    kept: a large run's inputs would otherwise outweigh everything else it keeps (8 bytes × inputs
    × samples). The default source's streams are per input, so one input is redrawn alone — with
    the inputs it is correlated with, through the same copula — in chunks of ``chunk`` samples;
    the values are the very ones the run drew (same streams, same arithmetic, element by element).
    """

    def __init__(
        self,
        table: InputTable,
        source: UniformSource,
        transform: Transform | None,
        correlated: tuple[str, ...],
        start: int,
        stop: int,
        chunk: int = 16 * BLOCK,
    ):
        self._names = table.random()
        self._table, self._source, self._transform = table, source, transform
        self._correlated, self._start, self._stop, self._chunk = correlated, start, stop, chunk

    def __getitem__(self, name: str) -> Array:
        if name not in self._names:
            raise KeyError(name)
        together = self._transform is not None and name in self._correlated
        names = list(self._correlated) if together else [name]
        row = names.index(name)
        dist = self._table[name].dist
        out = np.empty(self._stop - self._start)
        for c0 in range(self._start, self._stop, self._chunk):
            c1 = min(self._stop, c0 + self._chunk)
            u = self._source(names, c0, c1)
            if together and self._transform is not None:
                u = self._transform(names, u)
            out[c0 - self._start : c1 - self._start] = np.asarray(dist.ppf(u[row]), dtype=float)
        return out

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


class Params:
    """Sampled values for one chunk: ``params[leaf]`` or ``params.get(name)`` → array (n,)."""

    def __init__(self, values: dict[str, Array], n: int, table: InputTable):
        self.values = values
        self.n = n
        self.table = table

    def __getitem__(self, leaf: Uncertain) -> Array:
        return self.values[self.table.name(leaf)]

    def get(self, name: str) -> Array:
        return self.values[name]

    def is_point(self, leaf: Uncertain) -> bool:
        """Whether the leaf's input is one value for every sample."""
        return self.table.dist(leaf).is_point


def sample_params(
    table: InputTable,
    source: UniformSource,
    start: int,
    stop: int,
    transform: Transform | None = None,
) -> Params:
    """Draw every input for samples [start, stop): point values broadcast, others via ppf(u)."""
    n = stop - start
    values: dict[str, Array] = {}
    random_names = table.random()
    if random_names:
        u = source(random_names, start, stop)
        if transform is not None:
            u = transform(random_names, u)
        for name, row in zip(random_names, u, strict=True):
            values[name] = np.asarray(table[name].dist.ppf(row), dtype=float)
    for k, inp in table.items():
        if inp.dist.is_point:
            values[k] = np.full(n, inp.dist.ppf(np.array([0.5]))[0])
    return Params(values, n, table)


__all__ = [
    "BLOCK",
    "Input",
    "InputTable",
    "Params",
    "Point",
    "build_inputs",
    "sample_params",
    "independent_uniforms",
]
