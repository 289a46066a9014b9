"""Runs in worker threads: a time limit, a turn for each, and work dropped when its client left."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from breakeven.server.limits import Busy, Cancelled, Jobs, TooSlow


def spin(guard, seconds=5.0, stopped=None):
    """A run that checks its guard as a simulation does between chunks."""
    t0 = time.monotonic()
    try:
        while time.monotonic() - t0 < seconds:
            guard.check()
            time.sleep(0.005)
    except Cancelled:
        if stopped is not None:
            stopped.set()
        raise
    return "done"


def test_a_run_answers_within_its_limit():
    jobs = Jobs(workers=1, time_limit_s=5)
    assert asyncio.run(jobs.run(lambda g: spin(g, 0.05))) == "done"
    jobs.close()


def test_a_late_run_is_stopped():
    jobs = Jobs(workers=1, time_limit_s=0.2)
    stopped = threading.Event()
    with pytest.raises(TooSlow):
        asyncio.run(jobs.run(lambda g: spin(g, 5, stopped)))
    assert stopped.wait(10.0)  # the run itself stopped (well before its 5 s), not only the answer
    jobs.close()


def test_a_run_whose_client_left_is_dropped():
    jobs = Jobs(workers=1, time_limit_s=10)
    stopped = threading.Event()

    async def gone() -> bool:
        return True

    with pytest.raises(Cancelled):
        asyncio.run(jobs.run(lambda g: spin(g, 5, stopped), gone))
    assert stopped.wait(1.0)
    jobs.close()


def test_runs_wait_their_turn_then_busy():
    jobs = Jobs(workers=1, time_limit_s=10, queue_limit_s=0.2)

    async def two():
        first = asyncio.ensure_future(jobs.run(lambda g: spin(g, 1.0)))
        await asyncio.sleep(0.05)
        with pytest.raises(Busy):
            await jobs.run(lambda g: spin(g, 0.01))
        return await first

    assert asyncio.run(two()) == "done"
    jobs.close()
