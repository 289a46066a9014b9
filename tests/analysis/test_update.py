"""Updating a plan on actuals: the likelihood by hand, the samplers' invariants, the shipped
example (truth recovered, plan rewritten), refusal of incompatible actuals, determinism, and a
small simulation-based calibration."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import breakeven
from breakeven.analysis.actuals import Actuals, Series
from breakeven.analysis.calibration import summarise, trial
from breakeven.analysis.update import (
    IncompatibleActuals,
    Observation,
    _ess,
    _systematic,
    load_actuals,
    loglik_terms,
    update,
)

from ..conftest import ROOT

PLAN = ROOT / "examples" / "actuals" / "plan.yaml"
ACTUALS = ROOT / "examples" / "actuals" / "actuals.csv"
TRUTH = ROOT / "examples" / "actuals" / "truth.json"


@pytest.fixture(scope="module")
def plan():
    return breakeven.load(PLAN)


@pytest.fixture(scope="module")
def upd(plan):
    return update(plan, ACTUALS, samples=2048, plan_text=PLAN.read_text(), file=str(PLAN))


# ------------------------------------------------------------------ the likelihood by hand


def test_lognormal_likelihood_by_hand():
    o = Observation("users", np.array([110.0, np.nan]), np.array([0.1, 0.1]), False, 0.0)
    ll, rms = loglik_terms(o, np.array([[100.0, 5.0], [110.0, 7.0]]))
    z = math.log(110 / 100) / 0.1  # 0.9531
    assert ll[0] == pytest.approx(-0.5 * z * z) and rms[0] == pytest.approx(z)
    assert ll[1] == 0.0 and rms[1] == 0.0  # month 2 not observed: ignored


def test_normal_likelihood_by_hand_for_series_that_can_be_negative():
    o = Observation("cash", np.array([-90.0]), np.array([0.1]), True, 1.0)
    ll, rms = loglik_terms(o, np.array([[-100.0]]))
    sd = 0.1 * 100.0  # relative to the plan's value
    assert ll[0] == pytest.approx(-0.5 * (10 / sd) ** 2 - math.log(sd))
    assert rms[0] == pytest.approx(1.0)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-30, 0), min_size=2, max_size=200), st.integers(0, 2**31))
def test_ess_and_systematic_resampling(logw, seed):
    lw = np.array(logw)
    n = lw.size
    assert 1.0 - 1e-9 <= _ess(lw) <= n + 1e-9
    idx = _systematic(lw, np.random.default_rng(seed))
    assert idx.size == n and (np.diff(idx) >= 0).all() and idx.max() < n
    w = np.exp(lw - lw.max())
    counts = np.bincount(idx, minlength=n)
    expected = n * w / w.sum()  # systematic: each count is the floor or ceiling of n·w
    assert (np.abs(counts - expected) < 1.0 + 1e-9).all()


# ------------------------------------------------------------------ the shipped example


def test_the_example_recovers_its_truth_and_says_what_changed(upd):
    import json

    truth = json.loads(TRUTH.read_text())
    assert upd.sampler.method == "sequential Monte Carlo"
    assert upd.sampler.ess_prior < 0.5 * 2048
    post = upd.posterior.inputs["streams.subscription.conversion"]
    true_conv = truth["inputs"]["streams.subscription.conversion"]
    lo, hi = np.quantile(post, [0.05, 0.95])
    assert lo <= true_conv <= hi
    prior_conv = upd.prior.inputs["streams.subscription.conversion"]
    assert hi - lo < 0.3 * np.subtract(*np.quantile(prior_conv, [0.95, 0.05]))
    # the truth never breaks even: the update must say break-even became unlikely
    p0 = upd.prior.probabilities["p_breakeven"]
    p1 = upd.posterior.probabilities["p_breakeven"]
    assert p1 < 0.2 < p0
    text = upd.narrative()
    assert text.startswith("6 months of actuals (2025-01 to 2025-06) moved P(break-even) from")
    assert "conversion" in text
    moved = {c.name for c in upd.moved}
    assert "streams.subscription.conversion" in moved
    # every series is reproduced: residuals near 1 standard error, not beyond 3
    assert all(r < 2.0 for r in upd.residual.values())


def test_variance_rows_and_bands(upd):
    rows = upd.variance()
    assert len(rows) == upd.actuals.observations == 36
    r0 = rows[0]
    assert r0["plan_p10"] <= r0["plan_p50"] <= r0["plan_p90"]
    assert r0["outside_plan"] == (not r0["plan_p10"] <= r0["actual"] <= r0["plan_p90"])
    # the updated forecast follows the actuals more closely than the plan did
    gap_plan = np.mean(
        [abs(math.log(r["actual"] / r["plan_p50"])) for r in rows if r["actual"] > 0]
    )
    gap_upd = np.mean(
        [abs(math.log(r["actual"] / r["updated_p50"])) for r in rows if r["actual"] > 0]
    )
    assert gap_upd < gap_plan
    bands = upd.bands()
    assert set(bands) == set(upd.actuals.series)  # cash is observed
    cash = bands["cash"]
    assert (
        len(cash["calendar"]) == 60 and cash["actual"][0] is not None and cash["actual"][6] is None
    )


def test_the_updated_plan_is_a_valid_plan_with_narrowed_ranges(upd, plan):
    text = upd.plan_text
    assert text.startswith("# Updated by `breakeven update`")
    sc = breakeven.load_text(text, "updated.yaml")
    before = plan.streams.subscription.conversion.dist
    after = sc.streams.subscription.conversion.dist
    assert after.quantile(0.95) - after.quantile(0.05) < 0.5 * (
        before.quantile(0.95) - before.quantile(0.05)
    )
    # run as a plan, it forecasts close to the update (independent ranges + correlations)
    res = breakeven.simulate(sc, samples=4096, seed=5)
    p_upd = upd.posterior.probabilities["p_breakeven"]
    p_prior = upd.prior.probabilities["p_breakeven"]
    assert abs(res.probabilities["p_breakeven"] - p_upd) < 0.5 * abs(p_prior - p_upd)


def test_same_seed_same_answer_whatever_the_workers(plan):
    a = load_actuals(plan, ACTUALS)
    one = update(plan, a, samples=1024, workers=1)
    two = update(plan, a, samples=1024, workers=2)
    for k in ("breakeven_month", "npv", "peak_funding_need"):
        np.testing.assert_array_equal(one.posterior.metrics[k], two.posterior.metrics[k])


def test_plain_noisy_actuals_are_handled_by_importance_weighting(plan):
    # one month of users with a 50% error says little: the prior's weights suffice
    a = Actuals(
        "weak.csv",
        plan.start,
        1,
        {"active_users": Series("active_users", np.array([4e5]), np.array([0.5]))},
    )
    u = update(plan, a, samples=2048)
    assert u.sampler.method == "importance weighting"
    assert u.sampler.ess_prior >= 1024 and u.sampler.stages == 0


def test_incompatible_actuals_are_refused_naming_the_series(plan):
    a = load_actuals(plan, ACTUALS)
    users = a.series["active_users"]
    bad = Series("active_users", users.values * 1000, users.errors, users.lines)
    with pytest.raises(IncompatibleActuals) as e:
        update(
            plan,
            Actuals(a.file, a.start, a.months, {**a.series, "active_users": bad}),
            samples=1024,
        )
    assert e.value.series == ["active_users"]
    msg = str(e.value)
    assert "no sample reproduces active_users" in msg
    assert f"{a.file}:" in msg and "active_users:" in msg and "1–99% range" in msg


# ------------------------------------------------------------------ calibration (small)


def test_posterior_intervals_hold_the_truth_at_their_nominal_rate(plan):
    """A small simulation-based calibration (bench/calibration.py runs 200 trials): 80%
    intervals hold the true inputs in 80% of trials, within the noise of 16 trials × 21
    inputs, and the forecast band after the actuals holds the true path."""
    obs = ["active_users", "paying_users", "revenue.subscription", "cash"]
    trials = [trial(plan, i, obs, samples=1024) for i in range(16)]
    s = summarise(trials)
    assert 0.70 <= s["coverage80"] <= 0.90, s
    assert 0.38 <= s["coverage50"] <= 0.62, s
    assert 0.65 <= s["forecast80"] <= 0.95, s


def test_posterior_ranges_are_written_as_plans_write_them():
    from breakeven.analysis.update import _range_spec
    from breakeven.models.distributions import Choice, LogNormal

    def q(lo, mid, hi):
        return {"p5": lo, "p10": lo, "p50": mid, "p90": hi, "p95": hi}

    ln = LogNormal(0.0, 1.0)
    assert _range_spec("fraction", q(0.021, 0.025, 0.03), np.array([0.02, 0.03]), ln) == (
        "2.1% to 3%"
    )
    assert _range_spec("positive", q(12.5, 20, 31.25), np.array([10.0, 40.0]), ln) == (
        "12.5 to 31.25"
    )
    # a lognormal field whose posterior reaches 0 cannot be "0 to b": a PERT over its range
    spec = _range_spec("nonnegative", q(0.0, 2.0, 5.0), np.array([0.0, 2.0, 6.0]), ln)
    assert spec == {"dist": "pert", "low": 0.0, "mode": 2.0, "high": 6.0}
    # a choice keeps its values, with the posterior's weights
    ch = Choice((1.0, 2.0, 3.0), (1.0, 1.0, 1.0))
    spec = _range_spec("count", q(2, 2, 3), np.array([2.0, 2.0, 2.0, 3.0]), ch)
    assert spec == {"dist": "choice", "values": [2.0, 3.0], "weights": [0.75, 0.25]}


def test_series_that_cannot_hold_together_are_refused_after_conditioning(plan):
    """Revenue at ¥30 per payer while the plan's price is a fixed ¥49: each series alone is
    within the plan's samples (so the quick check passes), together no sample fits them."""
    a = load_actuals(plan, ACTUALS)
    paying = a.series["paying_users"]
    rev = a.series["revenue.subscription"]
    fake = Series(rev.name, paying.values * 30.0, rev.errors, rev.lines)
    both = {"paying_users": paying, "revenue.subscription": fake}
    with pytest.raises(IncompatibleActuals) as e:
        update(plan, Actuals(a.file, a.start, a.months, both), samples=1024)
    assert e.value.series and set(e.value.series) <= set(both)
