"""A self-hosted deployment in a plan can use any layout, prefix cache and speculation; an API
stream bills cache-hit input tokens at its cached price (hand-checked)."""

from __future__ import annotations

import numpy as np
import pytest

import breakeven
from breakeven.blocks.serving_self_host import SelfHost, deployment
from breakeven.compute.inference import estimate_inference
from breakeven.models.capacity import SECONDS_PER_MONTH

PLAN = """\
name: api at scale
currency: USD
horizon_months: 6
streams:
  api:
    input_price_per_million: 2
    output_price_per_million: 8
    cache_hit_share: 50%
    cached_input_price_per_million: 0.5
    input_tokens_per_month: 1e12
    output_tokens_per_month: 2e11
compute:
  serving:
    self_host:
      model: DeepSeek-V3
      gpu: H800
      precision: fp8
      gpus_per_replica: 8
      nodes: 4
      layout: ep
      cache_hit_share: 0.5
      speculative: {draft_tokens: 1, acceptance: 0.85}
      disaggregated: true
      prefill_nodes: 2
      input_tokens_per_request: 2000
      output_tokens_per_request: 500
      peak_to_average: 1
      target_utilisation: 1
      gpu_hour_price: 2
      rental_price_change_per_year: 0
"""


def test_cache_hit_input_is_billed_at_the_cached_price():
    r = breakeven.simulate(breakeven.load_text(PLAN), samples=1)
    revenue = r.line("revenue.api")[0, 0]
    # 1e12 input tokens: half at 2, half at 0.5 per million; 2e11 output at 8 per million
    assert revenue == pytest.approx(1e6 * (0.5 * 2 + 0.5 * 0.5) + 2e5 * 8)


def test_a_plan_serves_on_an_expert_parallel_disaggregated_deployment():
    sc = breakeven.load_text(PLAN)
    r = breakeven.simulate(sc, samples=1)
    spec = sc.compute.serving.self_host
    est = estimate_inference(
        "DeepSeek-V3", "H800", input_tokens=2000, output_tokens=500, ttft_ms=2000, tpot_ms=60,
        **deployment(spec),
    )  # fmt: skip
    gpu_s = (
        1e12 * est.prefill_gpu_s_per_request[0] / 2000
        + 2e11 * est.decode_gpu_s_per_request[0] / 500
    )
    gpus = np.ceil(gpu_s / SECONDS_PER_MONTH / 32 - 1e-9) * 32  # whole 32-GPU replicas
    assert r.kpi("gpus_needed")[0, 0] == pytest.approx(gpus)
    assert r.line("cogs.inference")[0, 0] == pytest.approx(
        gpus * 2.0 * SECONDS_PER_MONTH / 3600, rel=1e-6
    )


def test_deployment_fields_reach_the_estimator():
    s = SelfHost.model_validate(
        {"model": "DeepSeek-V3", "gpu": "H800", "gpus_per_replica": 8, "nodes": 2,
         "layout": "pp", "kv_precision": "fp8", "speculative": {"draft_tokens": 2, "acceptance": 0.7}}
    )  # fmt: skip
    kw = deployment(s)
    assert kw["layout"] == "pp" and kw["nodes"] == 2 and kw["gpus_per_node"] == 8
    assert kw["kv_precision"] == "fp8" and kw["speculation"].draft_tokens == 2


def test_a_per_head_attention_kernel_needs_more_gpus_for_a_gqa_model():
    """A plan served on an engine that reads the KV cache per query head (TensorRT-LLM before
    XQA) needs more GPUs for the same tokens; the field reaches the estimator."""
    plan = """\
name: dense GQA, self-hosted
currency: USD
horizon_months: 2
streams:
  api:
    input_price_per_million: 2
    output_price_per_million: 8
    input_tokens_per_month: 1e11
    output_tokens_per_month: 1e11
compute:
  serving:
    self_host:
      model: Llama-3.1-70B
      gpu: H100
      precision: fp8
      gpus_per_replica: 2
      input_tokens_per_request: 500
      output_tokens_per_request: 2000
      peak_to_average: 1
      target_utilisation: 1
      gpu_hour_price: 2
"""
    grouped = breakeven.simulate(breakeven.load_text(plan), samples=1).kpi("gpus_needed")[0, 0]
    per_head_plan = breakeven.load_text(plan + "      attention_kernel: per_head\n")
    assert deployment(per_head_plan.compute.serving.self_host)["attention_kernel"] == "per_head"
    per_head = breakeven.simulate(per_head_plan, samples=1).kpi("gpus_needed")[0, 0]
    assert per_head > 1.5 * grouped
    with pytest.raises(breakeven.ScenarioError) as e:
        breakeven.load_text(plan + "      attention_kernel: flash\n", "plan.yaml")
    assert "compute.serving.self_host.attention_kernel" in str(e.value)


def test_bad_layout_is_a_located_error(tmp_path):
    bad = PLAN.replace("      layout: ep\n", "      layout: zz\n")
    with pytest.raises(breakeven.ScenarioError) as e:
        breakeven.load_text(bad, "plan.yaml")
    assert "compute.serving.self_host.layout" in str(e.value)
    dense = PLAN.replace("model: DeepSeek-V3", "model: Llama-3.1-70B")
    with pytest.raises(breakeven.ScenarioError) as e:
        breakeven.load_text(dense, "plan.yaml")
    assert "dense" in str(e.value)


OFF_PEAK = """\
name: bought by the token, at night
currency: CNY
start: 2025-03
horizon_months: 8
streams:
  api:
    input_price_per_million: 5
    output_price_per_million: 20
    input_tokens_per_month: 1e12
    output_tokens_per_month: 2e11
compute:
  serving:
    api: {provider: DeepSeek, model: deepseek-chat, off_peak_share: 0.3}
"""


def test_off_peak_traffic_is_billed_at_the_time_of_day_discount():
    r = breakeven.simulate(breakeven.load_text(OFF_PEAK), samples=1)
    cost = r.line("cogs.inference")[0]
    # March 2025: 2 / 8 CNY per million, 50% off in DeepSeek's night window for 30% of traffic
    blended = 1.0 - 0.3 * 0.5
    assert cost[0] == pytest.approx(1e6 * 2 * blended + 2e5 * 8 * blended)
    # from 2025-09-06 the discount is gone: 4 / 12 CNY at full price (month 7 = September 2025
    # bills the row in force on the 1st, still the discounted one; month 8 = October: 2 / 3)
    assert cost[7] == pytest.approx(1e6 * 2 + 2e5 * 3)


def test_prefill_nodes_without_disaggregation_is_located():
    bad = PLAN.replace("      disaggregated: true\n", "")
    with pytest.raises(breakeven.ScenarioError, match="set disaggregated: true"):
        breakeven.load_text(bad, "plan.yaml")
