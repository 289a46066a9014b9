"""Rent vs buy: monthly arrays from a demand path."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breakeven.compute import ownership as own
from breakeven.compute.hardware import get_gpu


def test_rental_cost_with_decline():
    d = np.array([[10.0, 10.0, 10.0]])
    c = own.rental_cost(d, 2.0, annual_price_decline=0.12)
    assert c[0, 0] == pytest.approx(10 * 730 * 2.0)
    assert c[0, 1] == pytest.approx(10 * 730 * 2.0 * 0.88 ** (1 / 12))
    # per-sample prices
    c2 = own.rental_cost(np.ones((2, 3)), np.array([1.0, 3.0]))
    assert c2[1, 2] == pytest.approx(3 * 730)


def test_capacity_bought_in_servers_never_sold():
    d = np.array([[1, 3, 9, 9, 4, 17, 0]], float)
    owned = own.owned_capacity(d, gpus_per_server=8)
    np.testing.assert_array_equal(owned, [[8, 8, 16, 16, 16, 24, 24]])
    np.testing.assert_array_equal(own.purchases(owned), [[8, 0, 8, 0, 0, 8, 0]])


def test_straight_line_depreciation():
    cx = np.array([[1200.0, 0, 600, 0, 0, 0, 0, 0]])
    dep = own.straight_line_depreciation(cx, 0.25)  # 3 months
    np.testing.assert_allclose(dep, [[400, 400, 600, 200, 200, 0, 0, 0]])
    long = own.straight_line_depreciation(np.array([[1200.0] + [0] * 59]), 5)
    assert long.sum() == pytest.approx(1200) and long[0, 0] == pytest.approx(20)
    per_sample = own.straight_line_depreciation(
        np.array([[120.0, 0, 0], [120.0, 0, 0]]), np.array([1 / 12, 2 / 12])
    )
    np.testing.assert_allclose(per_sample, [[120, 0, 0], [60, 60, 0]])


def test_depreciation_schedule_month_by_month_by_hand():
    # a life of 3 months: 1200 in month 1 → 400 × 3; 600 in month 3 → 200 × 3 on top
    d = own.DepreciationSchedule(np.array([0.25, 1 / 12]))
    capex = [[1200.0, 120.0], [0.0, 0.0], [600.0, 60.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]
    got = np.array([d.step(np.array(c)) for c in capex])
    np.testing.assert_array_equal(got[:, 0], [400, 400, 600, 200, 200, 0])
    np.testing.assert_array_equal(got[:, 1], [120, 0, 60, 0, 0, 0])  # a one-month life
    one = own.DepreciationSchedule(2.0, n=3)  # one life for every sample
    assert one.step(np.array([240.0, 0.0, 24.0])).tolist() == [10.0, 0.0, 1.0]


def _resummed(capex: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Depreciation by its definition: each month, the capex of the last `life` months ÷ life."""
    life = np.maximum(np.rint(years * 12), 1).astype(int)
    out = np.zeros_like(capex)
    for t in range(capex.shape[0]):
        for j in range(capex.shape[1]):
            out[t, j] = capex[max(0, t + 1 - life[j]) : t + 1, j].sum() / life[j]
    return out


@settings(max_examples=200, deadline=None)
@given(
    months=st.integers(1, 40),
    years=st.lists(st.floats(0.01, 6.0), min_size=1, max_size=4),
    seed=st.integers(0, 2**32 - 1),
    spend=st.floats(0.0, 1.0),
)
def test_depreciation_schedule_is_the_resummed_history(months, years, seed, spend):
    rng = np.random.default_rng(seed)
    n = len(years)
    capex = rng.exponential(1000.0, (months, n)) * (rng.random((months, n)) < spend)
    y = np.array(years)
    d = own.DepreciationSchedule(y)
    got = np.array([d.step(capex[t]) for t in range(months)])
    # bit for bit what the whole-history formula gives, and the definition to rounding
    np.testing.assert_array_equal(got, own.straight_line_depreciation(capex.T, y).T)
    np.testing.assert_allclose(got, _resummed(capex, y), rtol=1e-9, atol=1e-9 * capex.sum())


@settings(max_examples=30, deadline=None)
@given(
    months=st.integers(1, 50),
    n=st.integers(1, 400),
    top=st.sampled_from([2.0, 4.0, 12.0]),  # up to 24, 48 or 144 distinct lives
    seed=st.integers(0, 2**32 - 1),
)
def test_depreciation_schedule_by_life_runs_and_by_gather(months, n, top, seed):
    """Samples kept in order of their life, read run by run (few lives) or gathered (more than
    MAX_RUNS): both the whole-history formula's bits, in the samples' own order."""
    rng = np.random.default_rng(seed)
    y = rng.uniform(0.01, top, n)
    capex = rng.exponential(1000.0, (months, n)) * (rng.random((months, n)) < 0.3)
    d = own.DepreciationSchedule(y)
    assert (d.back is None) == (len(d.runs) <= d.MAX_RUNS)
    got = np.array([d.step(capex[t]) for t in range(months)])
    np.testing.assert_array_equal(got, own.straight_line_depreciation(capex.T, y).T)


def test_power_and_hosting():
    owned = np.array([[8.0, 16.0]])
    p = own.power_cost(owned, 700, pue=1.25, electricity_usd_per_kwh=0.1)
    assert p[0, 0] == pytest.approx(8 * 0.7 * 1.25 * 730 * 0.1)
    h = own.hosting_cost(owned, 200)
    np.testing.assert_allclose(h, [[1600, 3200]])


def test_rent_vs_buy_shapes_and_identities():
    rng = np.random.default_rng(3)
    f = own.sample_ownership_factors(50, rng)
    demand = np.tile(np.linspace(0, 40, 24), (50, 1))
    r = own.rent_vs_buy(demand, "H100", factors=f)
    for arr in (r.owned_gpus, r.capex, r.depreciation, r.power, r.hosting, r.rental_cost):
        assert arr.shape == (50, 24)
    g = get_gpu("H100")
    total_bought = r.purchased_gpus.sum(axis=1)
    np.testing.assert_allclose(
        r.capex.sum(axis=1),
        total_bought * g.purchase_price_usd * (1 + f["server_overhead_fraction"]),
    )
    assert np.all(np.diff(r.owned_gpus, axis=1) >= 0)
    assert np.all(r.owned_gpus >= demand)
    np.testing.assert_allclose(r.own_cash_cost, r.capex + r.power + r.hosting)
    with pytest.raises(own.CatalogError):
        own.rental_cost(-np.ones((1, 2)), 1.0)
