"""growth_path: a yearly change compounded month by month, by repeated products; growth_rows,
the same a month at a time."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from breakeven.models.growth import growth_path, growth_rows


def test_by_hand():
    # +44% a year is +20% every six months: 1.2 ** 2 = 1.44 after a year
    path = growth_path(np.array([0.44]), 13)[:, 0]
    assert path[0] == 1.0
    np.testing.assert_allclose(path[[6, 12]], [1.2, 1.44], rtol=1e-14)
    # −50% a year, followed at 0.5: (1 − 0.5) ** (0.5 × 24 / 12) = 0.5 after two years
    np.testing.assert_allclose(growth_path(-0.5, 25, power=0.5)[24], [0.5], rtol=1e-14)


def test_edges():
    # no change, a power of 0 whatever the change, −100%: 1 then 0; no months
    assert growth_path(np.zeros(2), 4).tolist() == [[1.0, 1.0]] * 4
    with np.errstate(all="raise"):
        assert growth_path(np.array([-1.0, 3.0]), 3, power=np.zeros(2)).tolist() == [[1.0] * 2] * 3
    assert growth_path(np.array([-1.0]), 3)[:, 0].tolist() == [1.0, 0.0, 0.0]
    assert growth_path(np.array([0.1]), 0).shape == (0, 1)


@settings(max_examples=60, deadline=None)
@given(
    change=st.floats(-0.95, 5.0),
    power=st.floats(0.0, 2.0),
    months=st.integers(1, 240),
)
def test_is_the_compound_power_to_a_few_ulps(change, power, months):
    got = growth_path(np.array([change]), months, power=np.array([power]))[:, 0]
    want = (1.0 + change) ** (power * np.arange(months) / 12.0)
    np.testing.assert_allclose(got, want, rtol=1e-13)
    assert np.all(np.diff(got) >= 0) if change * power >= 0 else np.all(np.diff(got) <= 0)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    months=st.integers(0, 120),
    n=st.integers(1, 6),
    with_power=st.booleans(),
)
def test_rows_are_the_paths_rows_bit_for_bit(seed, months, n, with_power):
    """growth_rows (a block reading its path month by month) gives growth_path's numbers."""
    rng = np.random.default_rng(seed)
    change = rng.uniform(-1.0, 4.0, n)
    power = rng.uniform(0.0, 2.0, n) if with_power else 1.0
    if with_power:
        power[rng.random(n) < 0.3] = 0.0  # a power of 0: 1 every month
    rows = list(growth_rows(change, months, power=power))
    want = growth_path(change, months, power=power)
    assert len(rows) == months
    for got, row in zip(rows, want, strict=True):
        assert got.tobytes() == row.tobytes()
