"""Training compute: 6ND (+ attention), LoRA, Chinchilla, GPU-hours, days, cost."""

import numpy as np
import pytest

from breakeven.compute import training as tr
from breakeven.compute.catalog import factors
from breakeven.compute.models import get_model

MFU = factors()["training_mfu"].median
GOOD = factors()["training_goodput"].median


def test_flops_6nd_and_attention_term():
    assert tr.training_flops(7e9, 1e12) == pytest.approx(6 * 7e9 * 1e12)
    m = get_model("Llama-2-7B")
    with_attn = tr.training_flops(m.active_params, 2e12, model=m, seq_len=4096)
    # PaLM appendix B: 6N + 12·L·H·Q·T per token
    assert with_attn == pytest.approx(2e12 * (6 * 6.74e9 + 12 * 32 * 32 * 128 * 4096))


def test_lora_and_full_finetune():
    full = tr.training_flops(7e9, 1e9, mode="full")
    lora = tr.training_flops(7e9, 1e9, mode="lora")
    assert lora / full == pytest.approx(4 / 6)
    with pytest.raises(tr.EstimateError):
        tr.flops_per_param_token("qlora++")


def test_chinchilla_tokens():
    assert tr.compute_optimal_tokens(70e9) == pytest.approx(1.4e12)
    est = tr.estimate_training("H100", params=1e9)
    assert est.tokens == pytest.approx(20e9)


def test_gpu_hours_days_cost_by_hand():
    est = tr.estimate_training("A100-80GB", 1e12, params=7e9, gpus=512, gpu_hour_price=1.5)
    hours = 6 * 7e9 * 1e12 / (312e12 * MFU) / GOOD / 3600
    assert est.gpu_hours[0] == pytest.approx(hours)
    assert est.days[0] == pytest.approx(hours / 512 / 24)
    assert est.cost[0] == pytest.approx(hours * 1.5)


def test_fp8_uses_speedup_not_datasheet_2x():
    bf = tr.estimate_training("H100", 1e12, params=7e9, precision="bf16")
    f8 = tr.estimate_training("H100", 1e12, params=7e9, precision="fp8", fp8_training_speedup=1.3)
    assert bf.gpu_hours[0] / f8.gpu_hours[0] == pytest.approx(1.3)
    with pytest.raises(tr.EstimateError, match="fp8"):
        tr.estimate_training("A100-80GB", 1e12, params=7e9, precision="fp8")


def test_moe_uses_active_params():
    est = tr.estimate_training("H800", 14.8e12, model="DeepSeek-V3", precision="fp8", seq_len=None)
    assert est.flops[0] == pytest.approx(6 * 37e9 * 14.8e12)


def test_vectorised_and_validated():
    f = tr.sample_training_factors(1000, np.random.default_rng(1))
    est = tr.estimate_training("H100", 15e12, model="Llama-3.1-70B", gpus=2048, **f)
    assert est.gpu_hours.shape == (1000,)
    s = est.summary()
    assert s["gpu_hours"]["p10"] < s["gpu_hours"]["p50"] < s["gpu_hours"]["p90"]
    # published MFU range: the sampled factor stays a fraction
    assert np.all((f["training_mfu"] > 0) & (f["training_mfu"] < 1))
    with pytest.raises(tr.EstimateError):
        tr.estimate_training("H100", 1e12, params=7e9, training_mfu=1.5)
    with pytest.raises(tr.EstimateError):
        tr.estimate_training("H100", 1e12)
    with pytest.raises(tr.EstimateError):
        tr.estimate_training("H100", 1e12, params=7e9, active_params=8e9)
