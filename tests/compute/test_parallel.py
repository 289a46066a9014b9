"""Layouts across GPUs and nodes, communication costs, caches and speculation (hand-checked)."""

import numpy as np
import pytest

from breakeven.compute import inference as inf
from breakeven.compute.hardware import get_gpu
from breakeven.compute.models import get_model
from breakeven.compute.parallel import (
    Layout,
    allreduce_time_s,
    alltoall_time_s,
    link_bandwidths_bytes_s,
    make_layout,
    overlapped_s,
)
from breakeven.errors import CatalogError

H100, H800 = get_gpu("H100-SXM"), get_gpu("H800")
DS = get_model("DeepSeek-V3")


def test_ring_allreduce_by_hand():
    # 2 (n-1)/n of the message per GPU: 2·3/4 · 16.8e6 / 450e9 = 56 µs, plus 2(n-1) latencies
    assert allreduce_time_s(16.8e6, 4, 450e9, 0.0) == pytest.approx(56e-6)
    assert allreduce_time_s(16.8e6, 4, 450e9, 1e-5) == pytest.approx(56e-6 + 1e-5)  # α once
    assert allreduce_time_s(16.8e6, 1, 450e9, 1e-5) == 0.0


def test_alltoall_by_hand():
    # 16 GPUs over 2 nodes: 7/16 of the bytes over NVLink, 8/16 over the network, in parallel
    t = alltoall_time_s(1e6, 16, 8, 450e9, 50e9, 0.0)
    assert t == pytest.approx(max(1e6 * 7 / 16 / 450e9, 1e6 * 8 / 16 / 50e9))  # 10 µs
    assert alltoall_time_s(1e6, 16, 8, 450e9, 50e9, 2e-6) == pytest.approx(12e-6)


def test_overlap_between_serial_and_max():
    assert overlapped_s(10.0, 4.0, 0.0) == 14.0
    assert overlapped_s(10.0, 4.0, 1.0) == 10.0
    assert overlapped_s(10.0, 4.0, 0.5) == 12.0


def test_layouts_and_their_degrees():
    ep = make_layout("ep", 18, 8)
    assert (ep.gpus, ep.tp, ep.pp, ep.ep) == (144, 1, 1, 144)
    pp = make_layout("pp", 2, 8)
    assert (pp.tp, pp.pp) == (8, 2) and "PP2" in pp.describe()
    assert make_layout("pp", 1, 8) == Layout("tp", 1, 8)  # one stage is plain TP
    assert make_layout("tp", 2, 8).tp == 16
    with pytest.raises(CatalogError, match="layout"):
        make_layout("zz", 1, 8)
    with pytest.raises(CatalogError, match="nodes"):
        make_layout("tp", 0, 8)


def test_links_from_the_catalog():
    intra, inter = link_bandwidths_bytes_s(H100, make_layout("tp", 2, 8), 1.0)
    assert intra == pytest.approx(450e9) and inter == pytest.approx(50e9)
    assert link_bandwidths_bytes_s(H800, make_layout("tp", 1, 8), 1.0)[0] == pytest.approx(200e9)
    with pytest.raises(CatalogError, match="scale-out"):
        link_bandwidths_bytes_s(get_gpu("L40S"), make_layout("tp", 2, 8), 1.0)


def test_expert_parallel_weights_and_sharded_latent_cache():
    lay = make_layout("ep", 18, 8)
    routed = 58 * 256 * 44040192
    per_gpu = (671e9 - routed) + routed / 144  # fp8: one byte per weight
    assert inf.weights_per_gpu_bytes(DS, lay, "fp8") == pytest.approx(per_gpu)
    # MLA under TP: every GPU holds every sequence's latent; under EP a sequence lives on one GPU
    assert inf.kv_bytes_per_token_per_gpu(DS, make_layout("tp", 1, 8), "bf16") == 70272
    reserve = 0.1
    free = 80 * 2**30 * 0.9 - per_gpu
    per_gpu_seqs = int(free / (70272 * 5000))
    b = inf.max_batch(DS, H800, 5000, precision="fp8", layout=lay, memory_reserve_fraction=reserve)
    assert int(b) == per_gpu_seqs * 144
    with pytest.raises(inf.EstimateError, match="dense"):
        inf.as_layout(get_model("Llama-3.1-70B"), layout=make_layout("ep", 1, 8))


def test_expert_parallel_serves_far_more_per_node_than_tensor_parallel():
    kw = dict(precision="fp8", input_tokens=4400, output_tokens=1200, tpot_ms=50)
    ep = inf.estimate_inference(DS, "H800", layout="ep", nodes=18, gpus_per_node=8, **kw)
    pp = inf.estimate_inference(DS, "H800", layout="pp", nodes=2, gpus_per_node=8, **kw)
    assert ep.decode_output_tokens_per_s_per_node[0] > 5 * pp.decode_output_tokens_per_s_per_node[0]


def test_slower_links_cost_throughput():
    kw = dict(n_gpus=8, precision="fp8", batch=256, input_tokens=1000, output_tokens=500)
    h100 = inf.estimate_inference("Llama-3.1-70B", "H100", **kw)
    h800 = inf.estimate_inference("Llama-3.1-70B", "H800", **kw)  # same chip, NVLink cut to 400
    assert h800.output_tokens_per_s_per_gpu[0] < h100.output_tokens_per_s_per_gpu[0]
    # 16-way TP across two nodes: all-reduces cross the 50 GB/s network
    one = inf.estimate_inference("Llama-3.1-70B", "H100", **kw)
    two = inf.estimate_inference(
        "Llama-3.1-70B", "H100", layout="tp", nodes=2, gpus_per_node=8, **{**kw, "n_gpus": 1}
    )
    assert two.output_tokens_per_s_per_gpu[0] < 0.8 * one.output_tokens_per_s_per_gpu[0]


def test_prefix_cache_flops_by_hand():
    m = get_model("Llama-3.1-8B")
    i, h = 1000, 0.5
    dims = 2 * 32 * 128
    want = 2 * m.active_params * i * (1 - h) + m.layers * dims * i * i * (1 - h * h)
    assert inf.prefill_flops(m, i, 1, h) == pytest.approx(want)
    a = inf.estimate_inference(m, "H100", batch=64, gpu_hour_price=2.0)
    b = inf.estimate_inference(m, "H100", batch=64, gpu_hour_price=2.0, cache_hit_share=0.8)
    assert b.cost_per_million_input_tokens[0] < 0.3 * a.cost_per_million_input_tokens[0]


def test_speculation_tokens_per_step():
    assert inf.Speculation(1, 0.85).tokens_per_step() == pytest.approx(1.85)
    assert inf.Speculation(3, 1.0).tokens_per_step() == 4.0
    assert inf.Speculation(2, 0.0).tokens_per_step() == 1.0
    # (1 - a^3) / (1 - a) at a = 0.6: 1 + 0.6 + 0.36
    assert inf.Speculation(2, 0.6).tokens_per_step() == pytest.approx(1.96)
    with pytest.raises(inf.EstimateError):
        inf.Speculation(1, 1.5)


def test_mtp_speeds_up_memory_bound_decode_about_as_deepseek_reports():
    # DeepSeek-V3 (arXiv:2412.19437, 5.4.3): 85-90% acceptance of one MTP token -> 1.8x TPS
    kw = dict(precision="fp8", layout="ep", nodes=4, gpus_per_node=8, batch=32 * 16)
    kw.update(input_tokens=2000, output_tokens=500, disaggregated=True)
    plain = inf.estimate_inference(DS, "H800", **kw)
    mtp = inf.estimate_inference(DS, "H800", speculation=inf.Speculation(1, 0.875), **kw)
    ratio = plain.tpot_ms[0] / mtp.tpot_ms[0]
    assert 1.4 < ratio < 1.875


def test_disaggregated_decode_is_the_step_alone():
    kw = dict(precision="fp8", layout="ep", nodes=4, gpus_per_node=8, batch=2048)
    est = inf.estimate_inference(DS, "H800", disaggregated=True, prefill_nodes=2, **kw)
    t = inf.batch_timings(
        DS,
        H800,
        2048,
        1000,
        300,
        precision="fp8",
        layout=make_layout("ep", 4, 8),
        prefill_layout=make_layout("ep", 2, 8),
        disaggregated=True,
    )
    assert est.tpot_ms[0] == pytest.approx(t["step_s"] * 1e3)
    assert est.decode_gpu_s_per_request[0] == pytest.approx(32 * 300 * t["step_s"] / 2048)
    assert est.prefill_nodes == 2 and est.disaggregated


def test_kv_defaults_to_activation_precision():
    assert inf.default_kv_precision("fp8") == "bf16"
    assert inf.default_kv_precision("fp16") == "fp16"
    est = inf.estimate_inference("Llama-3.1-8B", "H100", precision="fp8")
    assert est.kv_precision == "bf16"


def test_fleet_per_day_by_hand():
    est = inf.estimate_inference(
        DS,
        "H800",
        precision="fp8",
        layout="ep",
        nodes=4,
        gpus_per_node=8,
        batch=4096,
        disaggregated=True,
        prefill_nodes=2,
        gpu_hour_price=2.0,
        input_tokens=2000,
        output_tokens=500,
    )
    rate = 100.0
    f = inf.fleet_per_day(est, rate)
    pre = np.ceil(rate * est.prefill_gpu_s_per_request[0] / 16 - 1e-9) * 16
    dec = np.ceil(rate * est.decode_gpu_s_per_request[0] / 32 - 1e-9) * 32
    assert f["gpus"][0] == pre + dec
    assert f["cost_usd_per_day"][0] == pytest.approx((pre + dec) * 2.0 * 24)
    assert f["nodes"][0] == (pre + dec) / 8


def test_tensor_parallel_latency_pays_each_allreduce_start_up_once():
    """At batch 1 a 70B model's token gets faster from 2 to 8 GPUs: 160 all-reduces a step at
    one start-up each (~11 µs), not 14 each at TP8 (the ring's steps), which made TP8 slower
    than TP2 (29 against 19 ms a token)."""
    tpot = {
        n: float(
            np.median(
                inf.estimate_inference(
                    "Llama-3.1-70B", H100, n_gpus=n, precision="fp8", batch=1
                ).tpot_ms
            )
        )
        for n in (2, 4, 8)
    }
    assert tpot[8] < tpot[4] < tpot[2]
    # the weights a GPU reads at TP8 (70.6 GB / 8) take at least 2.6 ms at 3.35 TB/s
    assert 2.6 < tpot[8] < 10.0


def test_a_node_holds_the_catalogs_gpus_and_more_cross_the_network():
    """An H100 node (DGX H100) holds 8 GPUs: 16 GPUs given alone are two nodes of 8, costed as
    that layout (their all-reduces over the network, so slower a token than NVLink would be),
    and a 16-GPU node is refused rather than costed at NVLink speed."""
    g = get_gpu("H100-SXM")
    assert g.gpus_per_node == 8 and "DGX H100" in g.node
    alone = inf.estimate_inference("Llama-3.1-405B", g, n_gpus=16, precision="fp8", batch=8)
    laid = inf.estimate_inference(
        "Llama-3.1-405B", g, layout="tp", nodes=2, gpus_per_node=8, precision="fp8", batch=8
    )
    assert alone.layout == "TP16 over 2 nodes x 8" and (alone.nodes, alone.gpus_per_node) == (2, 8)
    assert np.array_equal(alone.tpot_ms, laid.tpot_ms)
    assert any("2 nodes of 8" in n and "crosses the network" in n for n in alone.notes)
    with pytest.raises(CatalogError, match=r"16 GPUs in one node: a H100-SXM node holds 8"):
        inf.estimate_inference(
            "Llama-3.1-405B", g, layout="tp", nodes=1, gpus_per_node=16, precision="fp8"
        )
    with pytest.raises(CatalogError, match=r"12 GPUs are not whole nodes"):
        inf.estimate_inference("Llama-3.1-405B", g, n_gpus=12, precision="fp8", batch=8)
    # 8 or fewer stay in one node, on NVLink, as before
    assert inf.estimate_inference("Llama-3.1-70B", g, n_gpus=8, batch=8).nodes == 1
