"""Loops compiled by numba, each paired with a numpy twin that does the same floating-point
operations in the same order, so both give the same bits.

A block whose months are many small array operations (the business pipeline, the enterprise
stream) spends its time moving memory once per operation; one compiled loop over samples does
all of them in a pass. Neither reorders arithmetic: numba compiles without fast-math, so there
is no fused multiply-add or reassociation, and IEEE 754 +, −, ×, ÷ and comparisons round the
same in a loop and in numpy. The loops call no transcendental function (numpy's SIMD ``exp``,
``log`` and ``power`` can round differently from the C library's).

Compiling pays only for a large run: importing numba and loading the cached loops costs about
0.4 s a process (the first run on a machine compiles them, about 5 s, cached beside the source),
while the loops save about 0.1 µs a sample-month of a business plan. So a run uses them when it
is at least :data:`AUTO_MIN_SAMPLE_MONTHS` samples × months, or when numba is already loaded in
the process (``BREAKEVEN_JIT=auto``, the default); ``BREAKEVEN_JIT=1`` always (when numba
imports), ``0`` never. Whatever runs, the numbers are the same.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

ENV = "BREAKEVEN_JIT"
_OFF = {"0", "false", "no", "off", "never"}
_ON = {"1", "true", "yes", "on", "always"}

AUTO_MIN_SAMPLE_MONTHS = 4_000_000
"""Smallest run (samples × months) that loads numba by itself under ``auto``: where the ~0.1
µs a sample-month the loops save a business plan covers the ~0.4 s of loading them."""

_active: list[bool] = [False]  # whether Twin calls run the compiled loop (set per chunk)
_numba: list[Any] = []  # the numba module once imported, [None] if it cannot be


def _numba_module() -> Any:
    """numba, imported on first use (it takes ~0.2 s), or None when it is not installed."""
    if not _numba:
        module: Any = None
        try:
            import numba

            module = numba
        except Exception:  # not installed, or broken for this platform: the numpy twins run
            pass
        _numba.append(module)
    return _numba[0]


def mode() -> str:
    """``BREAKEVEN_JIT`` read as ``on``, ``off`` or ``auto``."""
    value = os.environ.get(ENV, "").strip().lower()
    return "off" if value in _OFF else "on" if value in _ON else "auto"


def wanted(sample_months: int) -> bool:
    """Whether a run of ``sample_months`` (samples × months) should use the compiled loops."""
    how = mode()
    if how == "off":
        return False
    if how == "auto" and sample_months < AUTO_MIN_SAMPLE_MONTHS and "numba" not in sys.modules:
        return False
    return _numba_module() is not None


@contextmanager
def running(flag: bool) -> Iterator[None]:
    """Within the block, :class:`Twin` calls run the compiled loop if ``flag`` (and numba
    imports), else the numpy twin."""
    before = _active[0]
    _active[0] = bool(flag) and _numba_module() is not None
    try:
        yield
    finally:
        _active[0] = before


class Twin:
    """A compiled loop and its numpy twin behind one call; see the module's docstring."""

    def __init__(self, loop: Callable[..., Any], numpy: Callable[..., Any]):
        self.loop, self.numpy = loop, numpy
        self._compiled: Callable[..., Any] | None = None
        functools.update_wrapper(self, numpy)

    def compiled(self) -> Callable[..., Any]:
        """The loop compiled by numba (compiled, or loaded from the cache, on first use)."""
        if self._compiled is None:
            numba = _numba_module()
            options = dict(nogil=True, error_model="numpy")
            try:
                self._compiled = numba.njit(cache=True, **options)(self.loop)
            except RuntimeError:  # no writable cache location: compile for this process only
                self._compiled = numba.njit(**options)(self.loop)
        return self._compiled

    def __call__(self, *args: Any) -> Any:
        if _active[0]:
            return self.compiled()(*args)
        return self.numpy(*args)


def twin(loop: Callable[..., Any]) -> Callable[[Callable[..., Any]], Twin]:
    """Decorate a numpy function with the plain loop (numba-compilable) that computes the same
    numbers: ``@twin(_sums_loop)`` over ``def sums(...)``."""

    def decorate(numpy: Callable[..., Any]) -> Twin:
        return Twin(loop, numpy)

    return decorate
