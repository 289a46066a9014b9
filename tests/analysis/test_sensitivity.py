"""Tornado and Sobol: ranking on a scenario with an obvious driver; Sobol indices of Ishigami."""

import numpy as np
import pytest
from SALib.test_functions import Ishigami

import breakeven
from breakeven.analysis.sensitivity import (
    AnalysisError,
    scenario_model,
    sobol,
    sobol_indices,
    tornado,
)
from breakeven.engine import build_inputs

from .conftest import tiny

PRICE = "streams.subscription.price_per_month"
CONV = "streams.subscription.conversion"
CHURN = "market.consumer.churn_per_month"


@pytest.fixture(scope="module")
def dominated():
    """Price spans 100x; conversion and churn barely move."""
    return breakeven.load_text(
        tiny(price="5 to 500", conversion="49% to 51%", churn="9.9% to 10.1%")
    )


def test_tornado_ranks_the_dominant_input_first(dominated):
    tr = tornado(dominated, "npv", seed=3, samples_for_conditional=2000)
    assert [r["rank"] for r in tr] == [1, 2, 3]
    assert {r["input"] for r in tr} == {PRICE, CONV, CHURN}
    top = tr[0]
    assert top["input"] == PRICE and top["conditional_rank"] == 1
    assert top["swing"] > 0 and top["conditional_swing"] > 0  # higher price, higher NPV
    assert abs(top["swing"]) > 10 * max(abs(r["swing"]) for r in tr[1:])
    assert abs(top["conditional_swing"]) > 10 * max(abs(r["conditional_swing"]) for r in tr[1:])
    assert top["metric_low"] < tr.base < top["metric_high"]
    dist = build_inputs(dominated)[PRICE].dist
    assert top["low"] == pytest.approx(dist.quantile(0.1))
    assert top["high"] == pytest.approx(dist.quantile(0.9))
    assert top["description"] == dist.describe()
    doc = tr.to_dict()
    assert doc["metric"] == "npv" and doc["rows"][0]["input"] == PRICE and doc["samples"] == 2000


def test_one_at_a_time_swing_equals_a_deterministic_run(dominated):
    """metric_high for price = the plan with price at its p90 and everything else at medians."""
    tr = tornado(dominated, "npv", samples_for_conditional=100)
    row = next(r for r in tr if r["input"] == PRICE)
    fixed = {
        name: inp.dist.quantile(0.9 if name == PRICE else 0.5)
        for name, inp in build_inputs(dominated).items()
        if not inp.dist.is_point
    }
    res = breakeven.simulate(dominated, samples=1, fixed=fixed)
    assert res.metrics["npv"][0] == pytest.approx(row["metric_high"], rel=1e-12)
    assert dominated.streams.subscription.price_per_month.constant.dist.is_point is False


def test_tornado_month_metric_counts_never_as_horizon_plus_one(dominated):
    tr = tornado(dominated, "breakeven_month", samples_for_conditional=500)
    assert "month 4" in tr.note  # horizon 3
    for r in tr:
        for k in ("metric_low", "metric_high", "conditional_low", "conditional_high"):
            assert 1 <= r[k] <= 4 and np.isfinite(r[k])
    assert tr[0]["input"] == PRICE


def test_unknown_metric_suggests(dominated):
    with pytest.raises(AnalysisError, match="did you mean npv"):
        tornado(dominated, "nvp")


def test_no_uncertain_inputs():
    tr = tornado(breakeven.load_text(tiny()), "npv", samples_for_conditional=10)
    assert list(tr) == [] and "no uncertain inputs" in tr.note
    assert np.isfinite(tr.base)


# ------------------------------------------------------------------------ Sobol

ISHIGAMI_S1 = [0.314, 0.442, 0.0]
ISHIGAMI_ST = [0.558, 0.442, 0.244]


def _ishigami(u):
    assert u.min() > 0 and u.max() < 1  # the design reaches models as open-interval uniforms
    return Ishigami.evaluate(-np.pi + 2 * np.pi * u)


@pytest.mark.parametrize("seed", [0, 1])
def test_sobol_indices_of_ishigami(seed):
    names = ["x1", "x2", "x3"]
    r = sobol_indices(_ishigami, names, n_base=4096, seed=seed)
    assert r["n"] == 4096 * 5
    for j, n in enumerate(names):
        assert r["S1"][n]["value"] == pytest.approx(ISHIGAMI_S1[j], abs=0.05)
        assert r["ST"][n]["value"] == pytest.approx(ISHIGAMI_ST[j], abs=0.05)
        assert 0 < r["S1"][n]["conf"] < 0.05
    assert r["trustworthy"] and r["warnings"] == []


def test_sobol_small_sample_is_flagged():
    r = sobol_indices(_ishigami, ["x1", "x2", "x3"], n_base=12, seed=0)
    assert r["n_base"] == 16 and any("rounded up" in w for w in r["warnings"])
    assert r["trustworthy"] is False
    assert any("wide" in w or "sum" in w or "negative" in w for w in r["warnings"])


def test_sobol_constant_output():
    r = sobol_indices(lambda u: np.ones(len(u)), ["a", "b"], n_base=16)
    assert r["S1"]["a"]["value"] == 0 and any("does not vary" in w for w in r["warnings"])


def test_sobol_on_a_scenario(dominated):
    r = sobol(dominated, "npv", n_base=512, seed=5)
    assert r["metric"] == "npv" and r["method"] == "sobol"
    assert set(r["S1"]) == {PRICE, CONV, CHURN}
    assert r["n"] == 512 * 5
    assert r["S1"][PRICE]["value"] > 0.9 and r["ST"][PRICE]["value"] > 0.9
    assert r["ST"][CONV]["value"] < 0.05 and r["ST"][CHURN]["value"] < 0.05
    # the scenario path is one pluggable model like any other
    names, model = scenario_model(dominated, "npv", seed=5)
    u = np.full((2, 3), 0.5)
    u[1, names.index(PRICE)] = 0.9
    y = model(u)
    assert y[1] > y[0]
