"""Estimates with the DEFAULT efficiency factors against published measurements.

One shared set of factors (the medians in efficiency.yaml) serves every case; cases recorded as
``known_miss`` in tests/data/published.yaml carry the reason and are expected to fail (strict).
"""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_validate", ROOT / "bench" / "validate.py")
validate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(validate)

DATA = validate.load_published()
TOL = DATA["tolerance"]


def _params(kind):
    out = []
    for c in DATA[kind]:
        marks = (
            [pytest.mark.xfail(reason=c["known_miss"], strict=True)] if c.get("known_miss") else []
        )
        out.append(pytest.param(c, id=c["id"], marks=marks))
    return out


def test_enough_published_cases_with_sources():
    assert len(DATA["throughput"]) >= 8 and len(DATA["training"]) >= 5
    for c in DATA["throughput"] + DATA["training"]:
        assert c.get("source") and c.get("as_of"), c["id"]


@pytest.mark.parametrize("case", _params("throughput"))
def test_serving_throughput(case):
    est = validate.throughput_estimate(case, DATA)
    pub = validate.published_per_gpu(case)
    assert abs(est / pub - 1) <= TOL["throughput"], f"estimate {est:,.0f} vs published {pub:,.0f}"


@pytest.mark.parametrize("case", _params("serving_at_scale"))
def test_serving_at_scale(case):
    est = validate.scale_estimate(case, DATA)
    pub = float(case["published"])
    assert abs(est / pub - 1) <= TOL["throughput"], f"estimate {est:,.0f} vs published {pub:,.0f}"


def test_expert_parallel_rows_cover_deployments_and_fleets():
    rows = DATA["serving_at_scale"]
    assert len(rows) >= 10
    assert {"prefill_input_tokens_per_s_per_node", "decode_output_tokens_per_s_per_node",
            "fleet_cost_usd_per_day"} <= {c["measure"] for c in rows}  # fmt: skip
    for c in rows:
        assert c.get("source") and c.get("as_of") and c.get("conditions"), c["id"]


@pytest.mark.parametrize("case", _params("training"))
def test_training_gpu_hours(case):
    est = validate.training_estimate(case, DATA)
    pub = float(case["published_gpu_hours"])
    assert abs(est / pub - 1) <= TOL["gpu_hours"], f"estimate {est:,.0f} vs published {pub:,.0f}"


def test_most_dense_hopper_ada_ampere_rows_within_tolerance():
    """Dense single-node serving on Hopper, Ada and Ampere, where the README says the roofline
    holds: at least 90% within ±30%. Every row is also pinned one by one above (a known miss
    must miss), so this is the claim, not the guard; the other groups' shares — B200 FP4,
    TensorRT-LLM's single-node MoE tables, training — are reported, not asserted (README,
    "Checked against published measurements": the 80% goal over all rows is not met)."""
    rows = [r for r in validate.rows(DATA) if validate.group(r) == "dense, Hopper/Ada/Ampere"]
    assert len(rows) >= 90
    assert sum(r["ok"] for r in rows) / len(rows) >= 0.9
