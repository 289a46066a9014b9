"""Where the simulations of an analysis run: in this process, on a local Dask cluster, or on a
cluster at an address — one implementation for ``sweep``, Sobol indices and goal-seek.

:func:`pool` opens a :class:`Pool` for a ``scheduler``:

* ``"sync"``: one task after the other in this process, no Dask at all (each simulation spreads
  its chunks of samples over the engine's threads);
* ``None`` or ``"processes"``: a ``distributed.LocalCluster`` of worker processes (one per core,
  at most one per task, one thread each) on 127.0.0.1, without a dashboard, closed at the end;
* an address (``tcp://host:8786``): a ``distributed.Client`` of an existing cluster, whose
  workers need the same breakeven installed (and, for plans that name catalog models, the same
  price catalog).

Dask is imported only here, when a pool on Dask opens. ``Pool.map(fn, tasks)`` runs
``fn(*args)`` for the arguments of each task and returns the values in task order. A task
receives plain data — the plan's YAML text (:func:`plan_text`), not a scenario object, so nothing
depends on pickling a scenario; an error the user can fix comes back from a worker as text
(:func:`answer`), and the first one stops the job: its pending tasks are cancelled, as when it
is interrupted (Ctrl-C, or a progress callback that raises). Tasks are deterministic
simulations: their values are bit-identical whatever the scheduler or the number of workers.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import AnalysisError, UserError, show
from ..scenario import load_text
from ..scenario.loader import read_plan
from ..scenario.schema import ScenarioBase as Scenario

Progress = Callable[[int, int], None]
"""``progress(done, total)``, called as tasks finish (in units of the tasks' weights)."""

ErrorOf = Callable[[int, str], Exception]
"""The exception to raise for a task (by index) that failed with an error the user can fix."""

_ADDRESS_RE = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://)?(?:\[[0-9a-f:.]+\]|[^\s/:\[\]]+)(?::\d+)?/?$", re.IGNORECASE
)


def check_scheduler(scheduler: str | None) -> str | None:
    """None for a local cluster, "sync", or a scheduler address (anything else: an
    AnalysisError saying what to choose)."""
    if scheduler is None:
        return None
    s = str(scheduler).strip()
    if s.lower() in ("processes", "local"):
        return None
    if s.lower() in ("sync", "synchronous"):
        return "sync"
    if _ADDRESS_RE.match(s) and ("://" in s or ":" in s):
        scheme = s.split("://")[0].lower() if "://" in s else "tcp"
        if scheme != "tcp":
            raise AnalysisError(
                f"scheduler: breakeven reaches a Dask scheduler over tcp://, as in "
                f"tcp://10.0.0.5:8786 (got {show(scheduler)})"
            )
        if not re.search(r":\d+/?$", s):
            raise AnalysisError(
                f"scheduler: the address needs the scheduler's port, as in tcp://10.0.0.5:8786 "
                f"(got {show(scheduler)})"
            )
        return s
    raise AnalysisError(
        f"scheduler: choose processes (a local cluster), sync (this process) or the address "
        f"of a Dask scheduler such as tcp://10.0.0.5:8786 (got {show(scheduler)})"
    )


def plan_text(plan: Scenario | str | os.PathLike[str]) -> tuple[str, str]:
    """(YAML text, file name) of a plan given as a file path, as YAML text (a string with a
    line break), or as a scenario loaded from a file that still matches it."""
    if isinstance(plan, Scenario):
        src = plan.source
        if not src or src.startswith("<") or not Path(src).is_file():
            raise AnalysisError(
                "Dask tasks receive the plan's YAML text: pass the text or the file path "
                "(this scenario was not loaded from a file)"
            )
        text = read_plan(src)
        if load_text(text, src).model_dump(mode="json") != plan.model_dump(mode="json"):
            raise AnalysisError(
                f"this scenario differs from its file {src}: pass the YAML text of the plan, "
                "or save it first"
            )
        return text, src
    if isinstance(plan, str) and "\n" in plan:
        return plan, "<scenario>"
    if isinstance(plan, (str, os.PathLike)):
        return read_plan(Path(plan)), str(plan)
    raise AnalysisError(f"expected a plan's file path or YAML text (got {type(plan).__name__})")


@lru_cache(maxsize=1)
def environment() -> str:
    """The versions that decide a simulation's figures, in this process (or a worker's)."""
    from importlib.metadata import version

    import numpy as np

    return f"breakeven {version('breakeven')}, numpy {np.__version__}"


def answer(fn: Callable[..., Any], *args: Any) -> dict[str, Any]:
    """Run ``fn(*args)`` as a task: ``{"value": …, "env": …}``, or ``{"error": text, "env": …}``
    for an error the user can fix (as text: an exception need not survive pickling)."""
    try:
        value = fn(*args)
    except UserError as e:
        return {"error": str(e), "env": environment()}
    return {"value": value, "env": environment()}


class Pool:
    """Runs tasks one after the other in this process (``sync``; :class:`DaskPool` on Dask):
    ``where`` (a description), ``workers`` (how many tasks run at once) and ``threads`` (the
    engine threads a task's simulation may use: None, the engine's default, in this process; 1
    on Dask, where tasks run side by side)."""

    where = "sync (this process)"
    workers = 1
    threads: int | None = None

    def __init__(self) -> None:
        self.envs: set[str] = set()  # the versions the tasks reported

    def share(self, items: list[Any]) -> list[Any]:
        """Large arguments, sent once to the workers: pass what this returns to the tasks."""
        return items

    def map(
        self,
        fn: Callable[..., Any],
        tasks: Sequence[tuple[Any, ...]],
        *,
        weights: Sequence[int] | None = None,
        progress: Progress | None = None,
        error: ErrorOf | None = None,
    ) -> list[Any]:
        """``[fn(*args) for args in tasks]``, one after the other; ``progress(done, total)``
        after each (``weights``: each task's share of the total, default 1). The first error
        the user can fix stops the job, raised as ``error(index, its text)`` (without
        ``error``: here, as it is; from a worker, as an AnalysisError with its text)."""
        w = list(weights) if weights is not None else [1] * len(tasks)
        out, done = [], 0
        for i, args in enumerate(tasks):
            try:
                out.append(fn(*args))
            except UserError as e:
                if error is None:
                    raise
                raise error(i, str(e)) from None
            done += w[i]
            if progress is not None:
                progress(done, sum(w))
        return out

    def versions(self) -> tuple[str, str] | None:
        """(the other versions workers ran, this process's), None when every worker ran this
        process's versions."""
        here = environment()
        others = sorted(self.envs - {here})
        return ("; ".join(others), here) if others else None

    def version_warning(self) -> str | None:
        """A warning when a worker ran other versions than this process (None if none did)."""
        v = self.versions()
        if v is None:
            return None
        return (
            f"the workers run {v[0]}, this process {v[1]}: the figures may differ from a run here"
        )

    def _value(self, i: int, out: dict[str, Any], error: ErrorOf | None) -> Any:
        self.envs.add(out["env"])
        if "error" in out:
            raise error(i, out["error"]) if error is not None else AnalysisError(out["error"])
        return out["value"]


class DaskPool(Pool):
    """Tasks on a ``distributed.Client``: submitted at once, collected as they finish."""

    threads = 1

    def __init__(self, client: Any, where: str, workers: int) -> None:
        super().__init__()
        self.client = client
        self.where = where
        self.workers = workers

    def share(self, items: list[Any]) -> list[Any]:
        return list(self.client.scatter(items))

    def map(
        self,
        fn: Callable[..., Any],
        tasks: Sequence[tuple[Any, ...]],
        *,
        weights: Sequence[int] | None = None,
        progress: Progress | None = None,
        error: ErrorOf | None = None,
    ) -> list[Any]:
        from distributed import as_completed

        w = list(weights) if weights is not None else [1] * len(tasks)
        futures: list[Any] = []
        index: dict[Any, int] = {}
        try:
            for i, args in enumerate(tasks):
                fut = self.client.submit(answer, fn, *args, pure=False)
                index[fut.key] = i
                futures.append(fut)
            outputs: list[Any] = [None] * len(tasks)
            done = 0
            for fut in as_completed(futures):
                i = index[fut.key]
                try:
                    outputs[i] = self._value(i, fut.result(), error)
                except ImportError as e:
                    raise AnalysisError(
                        f"the cluster's workers cannot run breakeven ({e}); install the same "
                        "breakeven on every worker"
                    ) from None
                done += w[i]
                if progress is not None:
                    progress(done, sum(w))
        except BaseException:  # interrupted or failed: drop the tasks, and let this error show
            _best_effort(lambda: self.client.cancel(futures) if futures else None)
            raise
        return outputs


@contextmanager
def pool(
    scheduler: str | None, workers: int | None = None, tasks: int | None = None
) -> Iterator[Pool]:
    """A :class:`Pool` on ``scheduler`` (see the module docstring), closed on leaving: a local
    cluster of ``workers`` processes (default one per core, at most ``tasks``) is shut down, a
    cluster at an address is only disconnected from."""
    address = check_scheduler(scheduler)
    if workers is not None and workers < 1:
        raise AnalysisError(f"workers must be at least 1 (got {workers})")
    if address == "sync":
        yield Pool()
        return
    from distributed import Client

    cluster = None
    client = None
    try:
        if address is None:
            nw = max(1, min(workers or os.cpu_count() or 1, tasks or 1 << 30))
            with _sigint_held():
                cluster = _local_cluster(nw)
            client = Client(cluster)
            where = f"local cluster of {nw} worker process{'es' if nw > 1 else ''}"
        else:
            _reachable(address)
            try:
                client = Client(address, timeout="10s")
            except (OSError, TimeoutError, ValueError, TypeError) as e:
                raise AnalysisError(
                    f"scheduler: cannot connect to the Dask scheduler at {address} ({e})"
                ) from None
            try:
                client.wait_for_workers(1, timeout=30)
            except TimeoutError:
                raise AnalysisError(
                    f"scheduler: the Dask scheduler at {address} has no workers"
                ) from None
            nw = len(client.scheduler_info(n_workers=-1).get("workers", {}))
            where = f"Dask cluster at {address} ({nw} workers)"
        yield DaskPool(client, where, nw)
    finally:
        _shutdown(client, cluster)


HANDSHAKE_WAIT_S = 10.0  # a Dask scheduler greets a new connection at once; this is generous


def _reachable(address: str) -> None:
    """Fail fast, with one clear line, unless a Dask scheduler answers at a TCP address: when
    nothing listens (Dask itself retries until its timeout), and when something else does — a
    web server that waits for a request (Dask's handshake would wait for ever) or a service that
    sends other bytes (Dask would read them as a frame of exabytes). A Dask scheduler writes its
    handshake first, on accepting the connection: a frame whose first 8 bytes give its length
    (``distributed.comm.tcp.TCP.read``); that length is checked to be a handshake's."""
    import socket
    import struct

    m = re.match(r"^(?:tcp://)?\[?([^\s/\]]+?)\]?:(\d+)/?$", address)
    if not m:
        return  # check_scheduler admits tcp addresses only
    try:
        with socket.create_connection((m.group(1), int(m.group(2))), timeout=5) as sock:
            sock.settimeout(HANDSHAKE_WAIT_S)
            head = b""
            while len(head) < 8:
                got = sock.recv(8 - len(head))
                if not got:
                    break
                head += got
    except TimeoutError:
        raise AnalysisError(
            f"scheduler: no Dask scheduler answered at {address} within "
            f"{HANDSHAKE_WAIT_S:g} s (something else listens there?)"
        ) from None
    except OSError as e:
        raise AnalysisError(
            f"scheduler: cannot connect to the Dask scheduler at {address} ({e.strerror or e})"
        ) from None
    if len(head) < 8 or not 0 < struct.unpack("<Q", head)[0] < 1 << 20:
        raise AnalysisError(
            f"scheduler: what answers at {address} is not a Dask scheduler (it closed the "
            "connection or sent something else)"
        )


def _local_cluster(workers: int) -> Any:
    """A ``distributed.LocalCluster`` of ``workers`` processes with one thread each, on
    127.0.0.1, without a dashboard (and its scheduler's small HTTP server on a free port of
    127.0.0.1, not 8787).

    Its workers keep glibc's default memory allocation: Dask's nanny sets
    ``MALLOC_TRIM_THRESHOLD_``, which also stops glibc from raising its mmap threshold, so every
    array of a simulation is mapped and unmapped afresh, about 3× slower. (The nanny also writes
    its variables into this process's environment; they are put back.)"""
    import logging

    import dask
    from distributed import LocalCluster

    saved = dict(os.environ)
    try:
        with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
            return LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                silence_logs=logging.ERROR,
            )
    finally:
        for k in [k for k in os.environ if k not in saved]:
            del os.environ[k]
        for k, v in saved.items():
            if os.environ.get(k) != v:
                os.environ[k] = v


@contextmanager
def _sigint_held() -> Iterator[None]:
    """Hold Ctrl-C back while worker processes start, so that they never see it.

    Ctrl-C in a terminal reaches every process of its group; this process answers it (it cancels
    the tasks and closes the cluster), not the workers. SIGINT is blocked in this thread while
    the cluster starts, so the cluster's thread and the processes it spawns inherit it blocked (a
    mask survives fork and exec); a Ctrl-C meanwhile is delivered when the block ends, here.
    (multiprocessing's resource tracker unblocks SIGINT in the thread that first starts it: it
    is started before.)"""
    import signal

    if not hasattr(signal, "pthread_sigmask"):  # not POSIX
        yield
        return
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _shutdown(client: Any, cluster: Any) -> None:
    """Close the client and the cluster we started (never one we joined)."""
    _best_effort(lambda: client.close() if client is not None else None)
    _best_effort(lambda: cluster.close() if cluster is not None else None)


def _best_effort(step: Callable[[], Any]) -> None:
    """Cancelling and closing are best effort: the figures are in, or another error is on its
    way; a failure to close a connection does not replace either."""
    try:
        step()
    except Exception:  # best effort: see the docstring
        pass


__all__ = [
    "DaskPool",
    "ErrorOf",
    "Pool",
    "Progress",
    "answer",
    "check_scheduler",
    "environment",
    "plan_text",
    "pool",
]
