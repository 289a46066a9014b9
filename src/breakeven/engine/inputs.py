"""Sampling the scenario's named inputs: each drawn once per sample, through its quantile function.

Uniforms come from a counter-like scheme: input ``name`` in RNG block ``b`` (BLOCK samples) uses the
stream ``SeedSequence([seed, crc32(name), b])``. Sample i's value therefore depends only on
(seed, name, i) — not on the chunking, the number of workers, the total sample count, or which
other inputs exist — which also gives common random numbers when comparing plans.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Callable, Protocol

import numpy as np

from ..scenario.distributions import Dist
from ..scenario.loader import iter_leaves
from ..scenario.schema import Scenario
from ..scenario.types import Uncertain

BLOCK = 4096  # samples per RNG block; compute chunks are whole multiples of it
_TWO53 = float(2**53)


@dataclass(frozen=True)
class Input:
    name: str
    dist: Dist
    domain: str
    paths: tuple[str, ...]


def input_table(sc: Scenario) -> dict[str, Input]:
    """Every distinct named input of the scenario, in order of first appearance."""
    table: dict[str, Input] = {}
    for loc, leaf in iter_leaves(sc):
        path = ".".join(loc)
        if leaf.name in table:
            old = table[leaf.name]
            table[leaf.name] = Input(old.name, old.dist, old.domain, old.paths + (path,))
        else:
            table[leaf.name] = Input(leaf.name, leaf.dist, leaf.domain.value, (path,))
    return table


class UniformSource(Protocol):
    def __call__(self, names: list[str], start: int, stop: int) -> np.ndarray:
        """Uniforms in (0, 1), shape (len(names), stop - start), for samples [start, stop)."""


def chance_draw() -> tuple:
    """A uniform draw in (0, 1) deciding a chance event (u < probability ⇒ it happens)."""
    from ..scenario.distributions import Uniform
    return (Uniform(0.0, 1.0), "fraction")


def catalog_factor(name: str, section: str = "factors") -> tuple:
    """An efficiency or cost factor from the compute catalog, with its published range."""
    from ..compute.catalog import factor
    f = factor(name, section)
    return (f.dist, f.domain.value)


def name_key(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def independent_uniforms(seed: int) -> UniformSource:
    """The default source: independent streams per input and RNG block (see module doc)."""

    def source(names: list[str], start: int, stop: int) -> np.ndarray:
        out = np.empty((len(names), stop - start))
        b0, b1 = start // BLOCK, (stop - 1) // BLOCK
        for j, name in enumerate(names):
            key = name_key(name)
            for b in range(b0, b1 + 1):
                g = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, key, b])))
                # 53-bit integers mapped to the open interval (0, 1): no infinite quantiles
                u = (g.integers(0, 2**53, BLOCK, dtype=np.int64) + 0.5) / _TWO53
                lo, hi = max(start, b * BLOCK), min(stop, (b + 1) * BLOCK)
                out[j, lo - start:hi - start] = u[lo - b * BLOCK:hi - b * BLOCK]
        return out

    return source


class Params:
    """Sampled values for one chunk: ``params[leaf]`` or ``params.get(name)`` → array (n,)."""

    def __init__(self, values: dict[str, np.ndarray], n: int):
        self.values = values
        self.n = n

    def __getitem__(self, leaf: Uncertain) -> np.ndarray:
        return self.values[leaf.name]

    def get(self, name: str) -> np.ndarray:
        return self.values[name]


def sample_params(table: dict[str, Input], source: UniformSource, start: int, stop: int,
                  transform: Callable[[list[str], np.ndarray], np.ndarray] | None = None) -> Params:
    """Draw every input for samples [start, stop): point values broadcast, others via ppf(u)."""
    n = stop - start
    values: dict[str, np.ndarray] = {}
    random_names = [k for k, inp in table.items() if not inp.dist.is_point]
    if random_names:
        u = source(random_names, start, stop)
        if transform is not None:
            u = transform(random_names, u)
        for name, row in zip(random_names, u):
            values[name] = np.asarray(table[name].dist.ppf(row), dtype=float)
    for k, inp in table.items():
        if inp.dist.is_point:
            values[k] = np.full(n, inp.dist.ppf(np.array([0.5]))[0])
    return Params(values, n)
