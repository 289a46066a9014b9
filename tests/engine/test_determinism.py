"""Same plan and seed → bit-identical results, however the work is chunked or spread, for every
template: chunk sizes, worker threads and sample prefixes (the first k of n samples)."""

from __future__ import annotations

import numpy as np
import pytest

import breakeven
from breakeven.engine import BLOCK
from breakeven.scenario import templates

N = BLOCK + 700  # one whole RNG block and a partial one


def _same(a, b, k: int | None = None) -> None:
    sl = slice(0, k)
    for name in a.metrics:
        assert np.array_equal(a.metrics[name][sl], b.metrics[name][sl], equal_nan=True), name
    kept = min(a.kept, b.kept) if k is None else min(k, a.kept, b.kept)
    assert np.array_equal(a.ledger_lms[:, :, :kept], b.ledger_lms[:, :, :kept])
    assert np.array_equal(a.kpis_lms[:, :, :kept], b.kpis_lms[:, :, :kept])


@pytest.fixture(scope="module", params=templates.names())
def plan(request):
    return breakeven.load(templates.path(request.param))


def test_chunking_and_workers_do_not_change_a_bit(plan):
    a = breakeven.simulate(plan, samples=N, seed=11, chunk_size=BLOCK, workers=1)
    b = breakeven.simulate(plan, samples=N, seed=11, chunk_size=2 * BLOCK, workers=2)
    _same(a, b)
    assert np.array_equal(a.ledger_sum_lm, b.ledger_sum_lm)
    assert np.array_equal(a.kpi_sum_lm, b.kpi_sum_lm)


def test_the_first_samples_of_a_longer_run_are_a_shorter_run(plan):
    short = breakeven.simulate(plan, samples=300, seed=11)
    long = breakeven.simulate(plan, samples=N, seed=11, chunk_size=2 * BLOCK)
    _same(short, long, k=300)
