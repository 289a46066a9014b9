"""Schedule.rows: a schedule's months one at a time are its monthly array's rows, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from breakeven.engine.fields import _schedule_parser
from breakeven.models.distributions import Domain

N = 7


class Drawn:
    """Params of a chunk: a point leaf is its value in every sample, any other leaf a draw."""

    def __init__(self, seed: int):
        self.rng, self.values = np.random.default_rng(seed), {}

    def __getitem__(self, leaf):
        if id(leaf) not in self.values:
            d = leaf.dist
            self.values[id(leaf)] = (
                np.full(N, d.median) if d.is_point else d.ppf(self.rng.uniform(0.01, 0.99, N))
            )
        return self.values[id(leaf)]

    def is_point(self, leaf) -> bool:
        return leaf.is_point


@pytest.mark.parametrize(
    "raw",
    [
        "49",
        "10 to 40",
        {0: 49, 12: 39},
        {1: "10 to 20", 4: 30, 30: "1 to 2"},
        {"start": 100, "change_per_year": "-20%"},
        {"start": "100 to 400", "change_per_year": "40% to 150%"},
        {"start": "1 to 3", "change_per_year": "-99% to 900%"},
    ],
)
@pytest.mark.parametrize("months", [1, 13, 60])
def test_rows_are_monthly_bit_for_bit(raw, months):
    sched = _schedule_parser(Domain.NONNEGATIVE)(raw)
    params = Drawn(seed=months)
    want = np.broadcast_to(sched.monthly(params, months), (months, N))
    rows = list(sched.rows(params, months))
    assert len(rows) == months
    for got, row in zip(rows, want, strict=True):
        assert got.shape == (N,) and got.tobytes() == row.tobytes()


def test_a_step_starts_in_its_month():
    sched = _schedule_parser(Domain.NONNEGATIVE)({0: 5, 3: 7, 5: 9})
    rows = [float(r[0]) for r in sched.rows(Drawn(0), 6)]
    assert rows == [5.0, 5.0, 7.0, 7.0, 9.0, 9.0]
