"""Inference roofline: hand-checked numbers, vectorisation, and properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breakeven.compute import inference as inf
from breakeven.compute.catalog import factors
from breakeven.compute.hardware import get_gpu
from breakeven.compute.models import get_model

H100 = get_gpu("H100-SXM")
L2_7B = get_model("Llama-2-7B")
MBU = factors()["hbm_bandwidth_utilisation"].median


def test_weights_bytes_by_precision():
    assert inf.weights_bytes(L2_7B, "bf16") == pytest.approx(13.48e9)  # ≈ 13.5 GB
    assert inf.weights_bytes(L2_7B, "fp8") == pytest.approx(6.74e9)
    assert inf.weights_bytes(L2_7B, "int8") == pytest.approx(6.74e9)
    assert inf.weights_bytes(L2_7B, "int4") == pytest.approx(6.74e9 * 0.5 * 1.03)
    with pytest.raises(inf.EstimateError):
        inf.weights_bytes(L2_7B, "fp3")


def test_kv_bytes_per_token_hand_checked():
    assert inf.kv_bytes_per_token(get_model("Llama-3.1-8B"), "bf16") == 2 * 32 * 8 * 128 * 2
    assert inf.kv_bytes_per_token(L2_7B, "bf16") == 2 * 32 * 32 * 128 * 2
    assert inf.kv_bytes_per_token(get_model("DeepSeek-V3"), "bf16") == (512 + 64) * 61 * 2
    assert inf.kv_bytes_per_token(get_model("DeepSeek-V2"), "fp8") == (512 + 64) * 60 * 1
    assert inf.kv_bytes_per_token(get_model("GLM-4-9B"), "bf16") == 2 * 40 * 2 * 128 * 2


def test_kv_shards_tensor_parallel():
    l70 = get_model("Llama-3.1-70B")
    assert inf.kv_shards(l70, 4) == 4
    assert inf.kv_shards(l70, 16) == 8  # only 8 kv heads to split
    assert inf.kv_shards(get_model("DeepSeek-V3"), 8) == 1  # MLA latent replicated


def test_decode_step_batch1_is_weights_over_bandwidth():
    t = inf.decode_step_time_s(L2_7B, H100, 1, 1, precision="bf16")
    assert t == pytest.approx(13.48e9 / (3.35e12 * MBU), rel=0.01)
    # explicit factor, array in → array out
    u = np.array([0.5, 0.7, 0.9])
    t3 = inf.decode_step_time_s(L2_7B, H100, 1, 1, hbm_bandwidth_utilisation=u)
    assert t3.shape == (3,)
    assert t3 == pytest.approx(13.48e9 / (3.35e12 * u), rel=0.01)


def test_max_batch_by_hand():
    reserve = 0.1
    free = 80 * 2**30 * 0.9 - 13.48e9
    expected = int(free / 524288 / 2048)
    assert int(inf.max_batch(L2_7B, H100, 2048, memory_reserve_fraction=reserve)) == expected
    # 405B bf16 on one H100: nothing fits
    assert (
        int(inf.max_batch(get_model("Llama-3.1-405B"), H100, 1000, memory_reserve_fraction=reserve))
        == 0
    )


def test_experts_touched():
    assert inf.expected_experts_touched(256, 8, 1) == pytest.approx(8)
    assert inf.expected_experts_touched(256, 8, 10_000) == pytest.approx(256)
    assert inf.expected_experts_touched(8, 2, 2) == pytest.approx(8 * (1 - 0.75**2))
    v3 = get_model("DeepSeek-V3")
    small = inf.weights_read_bytes(v3, 1, "fp8")
    assert small == pytest.approx(v3.nonrouted_params + 58 * 8 * 44040192)
    assert inf.weights_read_bytes(v3, 100_000, "fp8") == pytest.approx(v3.params, rel=1e-6)


def test_throughput_counts_prefill():
    b, i, o = 64, 512, 256
    est = inf.estimate_inference(L2_7B, H100, input_tokens=i, output_tokens=o, batch=b)
    t = inf.batch_timings(L2_7B, H100, b, i, o)
    total = t["prefill_s"] + o * t["step_s"]
    assert est.output_tokens_per_s_per_gpu[0] == pytest.approx(b * o / total)
    step = inf.decode_step_time_s(L2_7B, H100, b, i + o / 2)
    assert t["step_s"] == pytest.approx(step)
    pre = inf.prefill_time_s(L2_7B, H100, i, b)
    assert t["prefill_s"] == pytest.approx(pre)
    flops = b * (2 * 6.74e9 * i + 32 * (2 * 32 * 128) * i * i)
    mfu = factors()["prefill_mfu"].median
    assert pre == pytest.approx(flops / (989e12 * mfu))


def test_costs_split_by_phase_and_add_up():
    est = inf.estimate_inference(
        "Llama-3.1-8B", "H100", input_tokens=2000, output_tokens=500, batch=128, gpu_hour_price=2.0
    )
    per_req = est.cost_per_request[0]
    split = (
        est.cost_per_million_input_tokens[0] * 2000 + est.cost_per_million_output_tokens[0] * 500
    ) / 1e6
    assert split == pytest.approx(per_req)
    assert est.cost_per_million_output_tokens_all_in[0] == pytest.approx(per_req / 500 * 1e6)
    # GPU-seconds per request × price
    assert per_req == pytest.approx(2.0 / 3600 / est.requests_per_s_per_gpu[0])


def test_tensor_parallel_and_fit_errors():
    with pytest.raises(inf.EstimateError, match="does not fit"):
        inf.estimate_inference("Llama-3.1-405B", "H100", precision="bf16")
    est = inf.estimate_inference(
        "Llama-3.1-405B", "H100", n_gpus=8, precision="fp8", input_tokens=1000, output_tokens=200
    )
    assert est.max_batch[0] >= 1 and est.weights_gb == pytest.approx(405.85)
    with pytest.raises(inf.EstimateError, match="divisible"):
        inf.estimate_inference("Llama-3.1-8B", "H100", n_gpus=3)
    # faster links → less all-reduce time → more throughput per GPU
    a = inf.estimate_inference(
        "Llama-3.1-70B", "H100", n_gpus=4, batch=64, link_bandwidth_utilisation=0.3
    )
    b = inf.estimate_inference(
        "Llama-3.1-70B", "H100", n_gpus=4, batch=64, link_bandwidth_utilisation=0.9
    )
    assert b.output_tokens_per_s_per_gpu[0] > a.output_tokens_per_s_per_gpu[0]


def test_batch_search_meets_targets():
    kw = dict(input_tokens=1000, output_tokens=300, ttft_ms=500, tpot_ms=40)
    est = inf.estimate_inference("Llama-3.1-8B", "H100", **kw)
    b = int(est.batch[0])
    assert 1 < b <= int(est.max_batch[0])
    assert est.tpot_ms[0] <= 40 and est.ttft_ms[0] <= 500
    nxt = inf.estimate_inference("Llama-3.1-8B", "H100", batch=b + 1, **kw)
    if b < int(est.max_batch[0]):
        assert not nxt.meets_targets[0]
    impossible = inf.estimate_inference(
        "Llama-3.1-8B", "L4", input_tokens=1000, output_tokens=300, tpot_ms=1
    )
    assert not impossible.meets_targets.any() and impossible.batch[0] == 1


def test_vectorised_over_samples_and_seeded():
    rng = np.random.default_rng(7)
    f = inf.sample_inference_factors(500, rng)
    assert set(f) == set(inf.INFERENCE_FACTORS) and all(v.shape == (500,) for v in f.values())
    est = inf.estimate_inference(
        "Qwen2.5-72B", "H200", n_gpus=2, precision="fp8", gpu_hour_price=3.0, **f
    )
    s = est.summary()
    assert est.output_tokens_per_s_per_gpu.shape == (500,)
    assert s["output_tokens_per_s_per_gpu"]["p10"] < s["output_tokens_per_s_per_gpu"]["p90"]
    again = inf.estimate_inference(
        "Qwen2.5-72B",
        "H200",
        n_gpus=2,
        precision="fp8",
        gpu_hour_price=3.0,
        **inf.sample_inference_factors(500, np.random.default_rng(7)),
    )
    np.testing.assert_array_equal(
        est.output_tokens_per_s_per_gpu, again.output_tokens_per_s_per_gpu
    )
    u = np.full((4, len(inf.INFERENCE_FACTORS)), 0.5)
    med = inf.sample_inference_factors(uniforms=u)
    for k, v in med.items():
        assert v == pytest.approx(np.full(4, factors()[k].median))


def test_gpus_needed():
    assert inf.gpus_needed(10, 2.5) == 4
    assert inf.gpus_needed(10, 2.5, peak_to_average=2, target_utilisation=0.8) == 10
    assert inf.gpus_needed(10, 1.0, gpus_per_replica=8) == 16  # 10/8 → 2 replicas
    grid = inf.gpus_needed(np.array([[1.0, 5.0], [0.0, 9.0]]), np.array([1.0, 3.0])[:, None])
    np.testing.assert_array_equal(grid, [[1, 5], [0, 3]])


def test_gpu_seconds_workload():
    c = inf.gpu_seconds_cost(3600, "sdxl_image_1024", gpu_hour_price=2.0)
    med = factors("workloads")["sdxl_image_1024"].median
    assert c[0] == pytest.approx(3600 * med * 2.0 / 3600)


@settings(max_examples=30, deadline=None)
@given(
    b1=st.integers(1, 400), b2=st.integers(1, 400), i=st.integers(16, 2048), o=st.integers(16, 1024)
)
def test_throughput_non_decreasing_in_batch(b1, b2, i, o):
    lo, hi = sorted((b1, b2))
    t_lo = inf.estimate_inference(L2_7B, H100, input_tokens=i, output_tokens=o, batch=lo)
    t_hi = inf.estimate_inference(L2_7B, H100, input_tokens=i, output_tokens=o, batch=hi)
    assert t_hi.output_tokens_per_s_per_gpu[0] >= t_lo.output_tokens_per_s_per_gpu[0] * (1 - 1e-9)


@settings(max_examples=25, deadline=None)
@given(p1=st.floats(0.1, 20), p2=st.floats(0.1, 20), batch=st.integers(1, 256))
def test_cost_per_token_falls_with_gpu_price(p1, p2, batch):
    lo, hi = sorted((p1, p2))
    a = inf.estimate_inference("Qwen2.5-7B", "L40S", batch=batch, gpu_hour_price=lo)
    b = inf.estimate_inference("Qwen2.5-7B", "L40S", batch=batch, gpu_hour_price=hi)
    assert a.cost_per_million_output_tokens[0] <= b.cost_per_million_output_tokens[0]
    assert a.cost_per_request[0] <= b.cost_per_request[0]


def test_kv_read_amplification_by_hand():
    l70, falcon = get_model("Llama-2-70B"), get_model(
        {"name": "Falcon-180B", "params": 179.5e9, "layers": 80, "d_model": 14848, "heads": 232,
         "kv_heads": 8, "head_dim": 64, "vocab": 65024}
    )  # fmt: skip
    assert inf.kv_read_amplification(l70, 4, "grouped") == 1.0
    assert inf.kv_read_amplification(l70, 1, "per_head") == 64 / 8
    assert inf.kv_read_amplification(l70, 4, "per_head") == (64 / 4) / (8 / 4)  # 16 q / 2 kv
    assert inf.kv_read_amplification(l70, 16, "per_head") == 64 / 16  # 4 q heads, 1 kv head
    assert inf.kv_read_amplification(falcon, 8, "per_head") == 232 / 8  # 29 q heads on 1 kv
    assert inf.kv_read_amplification(L2_7B, 2, "per_head") == 1.0  # MHA: one kv per q head
    assert inf.kv_read_amplification(get_model("DeepSeek-V3"), 8, "per_head") == 1.0  # MLA
    with pytest.raises(inf.EstimateError, match="attention kernel"):
        inf.kv_read_amplification(l70, 1, "flash")


def test_per_head_kv_reads_slow_decode_only_by_the_extra_bytes():
    """A per-head kernel reads Llama-2-70B's KV 8 times: the step grows by exactly the extra
    bytes' time while it is bandwidth-bound."""
    l70 = get_model("Llama-2-70B")
    kw = dict(precision="fp8", kv_precision="fp8", n_gpus=2)
    b, c = 64, 2048
    grouped = inf.decode_step_time_s(l70, H100, b, c, **kw)
    per_head = inf.decode_step_time_s(l70, H100, b, c, attention_kernel="per_head", **kw)
    kv_s = b * c * inf.kv_bytes_per_token(l70, "fp8") / 2 / (3.35e12 * MBU)  # per GPU
    assert float(per_head - grouped) == pytest.approx(7 * kv_s, rel=1e-6)
    a = inf.estimate_inference(l70, H100, input_tokens=2048, output_tokens=128, batch=8, **kw)
    p = inf.estimate_inference(
        l70, H100, input_tokens=2048, output_tokens=128, batch=8, attention_kernel="per_head", **kw
    )
    assert float(p.ttft_ms[0]) > float(a.ttft_ms[0])  # ttft includes one decode step
    assert float(p.tpot_ms[0]) > float(a.tpot_ms[0])


def test_samples_without_room_for_one_request_are_left_out_of_the_figures():
    """DeepSeek-V3 in bf16 on 4 nodes of H800 under ep: with a fifth of memory reserved not
    one 5,600-token request fits beside the weights. That sample meets no target and its
    batch-1 figures stay out of the percentiles, with a note (they had been counted, as if it
    fit, and pulled the median throughput down)."""
    est = inf.estimate_inference(
        "DeepSeek-V3", "H800", layout="ep", nodes=4, gpus_per_node=8, kv_precision="bf16",
        input_tokens=4400, output_tokens=1200, tpot_ms=50,
        memory_reserve_fraction=np.array([0.06, 0.10, 0.20]),
    )  # fmt: skip
    assert est.fits.tolist() == [True, True, False]
    assert est.meets_targets.tolist() == [True, True, False]
    out = est.summary()
    assert out["share_fitting"] == out["share_meeting_targets"] == pytest.approx(2 / 3)
    fitting = est.batch[:2].astype(float)
    assert out["batch"]["p10"] == pytest.approx(np.percentile(fitting, 10))
    assert out["batch"]["p90"] == pytest.approx(np.percentile(fitting, 90))
    assert any("does not fit beside the weights in 33% of samples" in n for n in est.notes)
