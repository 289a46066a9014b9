"""Chunks on forked processes or threads: the same bits as one worker for every template, errors
and stops that reach the caller, and no child left behind."""

from __future__ import annotations

import multiprocessing as mp

import numpy as np
import pytest

import breakeven
from breakeven.engine import BLOCK, parallel
from breakeven.errors import SimulationError
from breakeven.scenario import templates

from ..conftest import TINY

N = 2 * BLOCK + 700  # three chunks of one RNG block: two whole, one partial

needs_fork = pytest.mark.skipif(not parallel.can_fork(), reason="no sound fork() here")


def _identical(a, b) -> None:
    for k in a.metrics:
        assert np.array_equal(a.metrics[k], b.metrics[k], equal_nan=True), k
    for k in a.inputs:
        assert np.array_equal(a.inputs[k], b.inputs[k]), k
    assert np.array_equal(a.ledger_lms, b.ledger_lms)
    assert np.array_equal(a.kpis_lms, b.kpis_lms)
    assert np.array_equal(a.ledger_sum_lm, b.ledger_sum_lm)
    assert np.array_equal(a.kpi_sum_lm, b.kpi_sum_lm)


@needs_fork
@pytest.mark.parametrize("name", templates.names())
def test_processes_threads_and_one_worker_give_the_same_bits(name, monkeypatch):
    plan = breakeven.load(templates.path(name))
    one = breakeven.simulate(plan, samples=N, seed=3, chunk_size=BLOCK, workers=1, keep_ledger=N)
    for mode in ("threads", "processes"):
        monkeypatch.setenv(parallel.ENV, mode)
        assert parallel.use_processes(2, 3) == (mode == "processes")
        two = breakeven.simulate(
            plan, samples=N, seed=3, chunk_size=BLOCK, workers=2, keep_ledger=N
        )
        _identical(one, two)
    assert mp.active_children() == []


def test_processes_only_where_forking_is_safe(monkeypatch):
    monkeypatch.delenv(parallel.ENV, raising=False)
    assert not parallel.use_processes(1, 10)  # one worker
    assert not parallel.use_processes(4, 1)  # one chunk
    assert parallel.use_processes(2, 3) == parallel.can_fork()  # the main thread
    import threading

    seen = []
    t = threading.Thread(target=lambda: seen.append(parallel.use_processes(2, 3)))
    t.start()
    t.join()
    assert seen == [False]  # another thread (a server's request, a notebook's) keeps threads


@needs_fork
def test_an_error_in_a_child_reaches_the_caller(monkeypatch):
    monkeypatch.setenv(parallel.ENV, "processes")
    text = TINY.replace(
        "price_per_month: 10", "price_per_month: {dist: lognormal, median: 10, sigma: 500}"
    )
    with pytest.raises(SimulationError, match="overflow"):
        breakeven.simulate(breakeven.load_text(text), samples=N, chunk_size=BLOCK, workers=2)
    assert mp.active_children() == []


@needs_fork
def test_a_progress_callback_that_stops_the_run_stops_the_children(monkeypatch):
    monkeypatch.setenv(parallel.ENV, "processes")
    plan = breakeven.load(templates.path("chat-assistant-freemium"))
    calls = []

    def stop(done: int, total: int) -> None:
        calls.append(done)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        breakeven.simulate(plan, samples=8 * BLOCK, chunk_size=BLOCK, workers=2, progress=stop)
    assert len(calls) == 1
    assert mp.active_children() == []


def test_shared_arrays_start_at_zero_and_are_seen_by_a_forked_child():
    a = parallel.shared_zeros((3, 4))
    assert a.shape == (3, 4) and not a.any()
    assert parallel.shared_zeros((0, 5), dtype=np.float32).shape == (0, 5)
    if not parallel.can_fork():
        return
    ctx = mp.get_context("fork")
    p = ctx.Process(target=a.__setitem__, args=((1, 2), 7.5))
    p.start()
    p.join()
    assert a[1, 2] == 7.5


@needs_fork
def test_a_refused_fork_runs_the_chunks_here_with_the_same_bits(monkeypatch):
    plan = breakeven.load(templates.path("chat-assistant-freemium"))
    one = breakeven.simulate(plan, samples=N, seed=2, chunk_size=BLOCK, workers=1)

    def refuse() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setenv(parallel.ENV, "processes")
    monkeypatch.setattr("os.fork", refuse)
    two = breakeven.simulate(plan, samples=N, seed=2, chunk_size=BLOCK, workers=2)
    _identical(one, two)
    assert mp.active_children() == []


@pytest.mark.parametrize("name", ["enterprise-copilot-seats", "office-and-security-suite"])
def test_long_horizons_sum_cohorts_by_fft_with_the_same_bits_in_any_chunks(name):
    """Past DIRECT_MAX_MONTHS the business block sums cohorts by FFT: still the same bits
    whatever the chunks (each sample is transformed alone), and within rounding of the sums
    term by term."""
    from breakeven.models import adoption

    months = adoption.DIRECT_MAX_MONTHS + 24
    plan = breakeven.load(templates.path(name)).model_copy(update={"horizon_months": months})
    one = breakeven.simulate(plan, samples=N, seed=3, chunk_size=BLOCK, workers=1, keep_ledger=N)
    other = breakeven.simulate(
        plan, samples=N, seed=3, chunk_size=3 * BLOCK, workers=1, keep_ledger=N
    )
    _identical(one, other)
    direct = breakeven.simulate(
        plan.model_copy(update={"horizon_months": adoption.DIRECT_MAX_MONTHS}),
        samples=N,
        seed=3,
        chunk_size=3 * BLOCK,
        workers=1,
        keep_ledger=N,
    )
    seats = one.kpis_lms[one.kpi_names.index("paid_seats"), : adoption.DIRECT_MAX_MONTHS]
    want = direct.kpis_lms[direct.kpi_names.index("paid_seats")]
    np.testing.assert_allclose(seats, want, rtol=1e-5, atol=1e-3)  # float32 KPIs
