"""The business validation set: every case is sourced, its plan validates and runs, and the
measures that place an outcome in a plan's distribution are computed as documented."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
import yaml

import breakeven

from .conftest import DAYS, ROOT, TINY

_spec = importlib.util.spec_from_file_location("bench_business", ROOT / "bench" / "business.py")
assert _spec is not None and _spec.loader is not None
business = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(business)

DATA = business.load_cases()
CASES = DATA["cases"]
INPUTS = yaml.safe_load((ROOT / "tests" / "data" / "business_outcomes" / "inputs.yaml").read_text())


def test_at_least_eight_cases_each_sourced():
    assert len(CASES) >= 8
    assert len({c["id"] for c in CASES}) == len(CASES)
    for c in CASES:
        o = c["outcome"]
        for key in ("value", "unit", "what", "as_of", "published", "source", "quality"):
            assert o.get(key) not in (None, ""), (c["id"], key)
        assert str(o["source"]).startswith("http"), c["id"]
        assert c["measure"]["kind"] in ("sum", "at", "run_rate", "per_day"), c["id"]


def test_every_plan_lists_its_inputs_with_sources():
    for c in CASES:
        rows = INPUTS[c["id"]]
        assert rows, c["id"]
        for row in rows:
            assert row.get("source"), (c["id"], row)
            assert row.get("published") or row.get("as_of"), (c["id"], row)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_each_plan_validates_starts_at_its_month_and_gives_its_measure(case):
    sc = breakeven.load(Path(business.CASES.parent / case["plan"]))
    res = breakeven.simulate(sc, samples=200, seed=1, keep_ledger=200)
    values = business.measure(res, case["measure"])
    assert values.shape == (200,) and np.all(np.isfinite(values)) and np.all(values >= 0)
    spec = case["measure"]
    last = spec["months"][1] if spec["kind"] == "sum" else spec["month"]
    assert last <= sc.horizon_months


def test_measures_by_hand():
    res = breakeven.simulate(breakeven.load_text(TINY), samples=3, seed=1, keep_ledger=3)
    rev = res.line("revenue")
    users = res.kpi("active_users")
    m = business.measure
    assert np.allclose(
        m(res, {"kind": "sum", "of": "revenue", "months": [2, 3]}), rev[:, 1:3].sum(1)
    )
    assert np.allclose(m(res, {"kind": "at", "of": "active_users", "month": 2}), users[:, 1])
    assert np.allclose(m(res, {"kind": "run_rate", "of": "revenue", "month": 3}), rev[:, 2] * 12)
    per_day = m(res, {"kind": "per_day", "of": "requests", "month": 1, "factor": 2})
    assert np.allclose(per_day, res.kpi("requests")[:, 0] / DAYS * 2, rtol=1e-6)


def test_an_outcome_is_in_band_between_p10_and_p90(monkeypatch):
    case = dict(CASES[0])
    row = business.run_case(case, 400, 1)
    assert row["p10"] <= row["p50"] <= row["p90"]
    assert row["in_band"] == (row["p10"] <= row["outcome"] <= row["p90"])
    assert 0.0 <= row["percentile"] <= 1.0
