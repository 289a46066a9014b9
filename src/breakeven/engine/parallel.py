"""Chunks of samples on several cores: forked worker processes when that is safe, else threads.

Threads share the work only as far as numpy releases the GIL: the blocks' Python between array
operations holds it, so two threads ran the example at ~1.1-1.3x of one. Forked processes run
the chunks truly side by side: a child inherits the run as it stands (the plan, its inputs'
sources and transforms: nothing is pickled on the way in) and computes whole chunks. The run's
large arrays (metrics, inputs, the kept samples' months) are in memory shared with the children
(:func:`shared_zeros`), which write their chunks' share straight into them, so only the sums
come back. A chunk's numbers are the same in any process, so results stay bit-identical
whatever the number of workers.

Processes are used only where forking is safe and pays: a platform whose ``fork`` is sound
(Linux and other Unixes but macOS, whose system libraries are not fork-safe), from the main
thread of a process that is not itself a daemon worker (a web server's request threads, Dask's
worker processes and notebooks' background threads keep threads), for a run of more than one
chunk. ``BREAKEVEN_PARALLEL=threads`` (or ``processes``) forces the choice.

A child ignores Ctrl-C: the parent receives it, stops the pool and kills the children. A child
owns only what it writes (copy-on-write), so a run's memory grows by about one chunk per worker.
"""

from __future__ import annotations

import mmap
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from numpy.typing import DTypeLike, NDArray

ENV = "BREAKEVEN_PARALLEL"

# (function, leading arguments) the forked children run; set only while a pool is open
_forked: tuple[Callable[..., Any], tuple[Any, ...]] | None = None


def use_processes(workers: int, chunks: int) -> bool:
    """Whether ``chunks`` chunks on ``workers`` workers should go to forked processes."""
    if workers <= 1 or chunks <= 1:
        return False
    forced = os.environ.get(ENV, "").strip().lower()
    if forced in ("threads", "processes"):
        return forced == "processes" and can_fork()
    return can_fork() and threading.current_thread() is threading.main_thread()


def can_fork() -> bool:
    """Forking is available and sound here (see the module's docstring)."""
    import multiprocessing as mp  # only for runs of several chunks: start-up stays light

    return (
        sys.platform != "darwin"
        and "fork" in mp.get_all_start_methods()
        and not mp.current_process().daemon
        and _forked is None  # not inside a run that is already forking
    )


def _quiet() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _task(args: tuple[Any, ...]) -> Any:
    assert _forked is not None, "a forked worker without its run"
    fn, lead = _forked
    return fn(*lead, *args)


def forked_map(
    fn: Callable[..., Any], lead: tuple[Any, ...], tasks: Iterable[tuple[Any, ...]], workers: int
) -> Iterable[Any]:
    """``fn(*lead, *task)`` for every task on ``workers`` forked processes, yielded as they
    finish. The children inherit ``fn`` and ``lead``; each task's arguments and value are
    pickled. Leaving the loop early (an error, a progress callback that stops the run) kills
    the children. Where the system refuses to fork (a process or memory limit), the tasks run
    one after the other in this process: the same values, later."""
    import multiprocessing as mp

    global _forked
    _forked = (fn, lead)
    try:
        try:
            pool = mp.get_context("fork").Pool(workers, initializer=_quiet)
        except OSError:  # no fork now (a process or memory limit): the tasks run here instead
            _forked = None
            for task in tasks:
                yield fn(*lead, *task)
            return
        with pool:
            _forked = None  # the children have it; this process may fork again
            yield from pool.imap_unordered(_task, tasks)
    finally:
        _forked = None


def shared_zeros(shape: tuple[int, ...], dtype: DTypeLike = np.float64) -> NDArray[Any]:
    """A zeroed array in anonymous shared memory: what a child forked afterwards writes into
    it, this process sees (no copy, no pickling)."""
    dt = np.dtype(dtype)
    size = int(np.prod(shape)) * dt.itemsize
    if size == 0:
        return np.zeros(shape, dtype=dt)
    buf = mmap.mmap(-1, size, flags=mmap.MAP_SHARED)
    return np.frombuffer(buf, dtype=dt).reshape(shape)
