"""Training compute: 6ND (+ attention), LoRA, Chinchilla, GPU-hours, days, cost; the MFU fit to
published runs (dense and MoE) and the ``train`` command's options."""

import importlib.util
import json
import math
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from breakeven.cli.common import OneLineUsage
from breakeven.cli.compute import register
from breakeven.compute import training as tr
from breakeven.compute.catalog import factors
from breakeven.compute.models import get_model

MFU = factors()["training_mfu"].median
MFU_MOE = factors()["training_mfu_moe"].median
GOOD = factors()["training_goodput"].median

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("fit_training", ROOT / "bench" / "fit_training.py")
fit_training = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fit_training)


def test_flops_6nd_and_attention_term():
    assert tr.training_flops(7e9, 1e12) == pytest.approx(6 * 7e9 * 1e12)
    m = get_model("Llama-2-7B")
    with_attn = tr.training_flops(m.active_params, 2e12, model=m, seq_len=4096)
    # PaLM appendix B: 6N + 12·L·H·Q·T per token
    assert with_attn == pytest.approx(2e12 * (6 * 6.74e9 + 12 * 32 * 32 * 128 * 4096))
    # the same count from layers and attention width (heads x head_dim = 4096)
    by_shape = tr.training_flops(6.74e9, 2e12, seq_len=4096, layers=32, attention_width=4096)
    assert by_shape == pytest.approx(with_attn)
    # no sequence length: parameter FLOPs only
    assert tr.training_flops(7e9, 1e12, layers=32, attention_width=4096) == pytest.approx(4.2e22)


def test_shape_from_params_by_hand():
    # N = 12 L d^2, d = 128 L: L = (7e9 / 196608)^(1/3) = 32.89 -> 33; d = sqrt(7e9 / 396) = 4204.4
    assert tr.shape_from_params(7e9) == (33, 4204)
    # one given, the other from N = 12 L d^2: sqrt(7e9 / 384) = 4269.6; 7e9 / (12 * 4096^2) = 34.8
    assert tr.shape_from_params(7e9, layers=32) == (32, 4270)
    assert tr.shape_from_params(7e9, d_model=4096) == (35, 4096)
    assert tr.shape_from_params(7e9, layers=32, d_model=4096) == (32, 4096)
    # the rule reproduces published shapes: Llama-2 7B (32 x 4096), GPT-3 175B (96 x 12288)
    assert tr.shape_from_params(6.74e9 - 2 * 32000 * 4096)[0] == 32
    assert abs(tr.shape_from_params(175e9)[0] - 96) <= 1


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
    est = tr.estimate_training(
        "A100-80GB", 1e12, params=7e9, gpus=512, gpu_hour_price=1.5, seq_len=None
    )
    hours = 6 * 7e9 * 1e12 / (312e12 * MFU) / GOOD / 3600
    assert est.gpu_hours[0] == pytest.approx(hours)
    assert est.days[0] == pytest.approx(hours / 512 / 24)
    assert est.cost[0] == pytest.approx(hours * 1.5)
    assert est.notes == ["attention FLOPs not counted (no seq_len): parameter FLOPs only"]


def test_params_path_counts_attention_with_a_stated_shape():
    # 7e9 params -> 33 layers x 4204 (test above); per token 6·7e9 + 6·33·2·4204·4096
    est = tr.estimate_training("H100", 1e12, params=7e9, seq_len=4096)
    per_token = 6 * 7e9 + 6 * 33 * 2 * 4204 * 4096
    assert est.flops[0] == pytest.approx(1e12 * per_token)
    assert (est.layers, est.d_model, est.seq_len) == (33, 4204, 4096)
    assert "derived from params" in est.notes[0]
    given = tr.estimate_training("H100", 1e12, params=7e9, seq_len=4096, layers=32, d_model=4096)
    assert given.flops[0] == pytest.approx(1e12 * (6 * 7e9 + 6 * 32 * 2 * 4096 * 4096))
    assert given.notes == []
    longer = tr.estimate_training("H100", 1e12, params=7e9, seq_len=8192, layers=32, d_model=4096)
    assert longer.flops[0] - given.flops[0] == pytest.approx(1e12 * 6 * 32 * 2 * 4096 * 4096)
    with pytest.raises(tr.EstimateError, match="seq_len"):
        tr.estimate_training("H100", 1e12, params=7e9, seq_len=None, layers=32)
    with pytest.raises(tr.EstimateError, match="seq_len"):
        tr.estimate_training("H100", 1e12, params=7e9, seq_len=0)
    with pytest.raises(tr.EstimateError, match="params"):
        tr.estimate_training("H100", 1e12, model="Llama-2-7B", params=7e9)
    with pytest.raises(tr.EstimateError, match="layers"):
        tr.estimate_training("H100", 1e12, model="Llama-2-7B", layers=32)


def test_fp8_uses_speedup_not_datasheet_2x():
    bf = tr.estimate_training("H100", 1e12, params=7e9, precision="bf16")
    f8 = tr.estimate_training("H100", 1e12, params=7e9, precision="fp8", fp8_training_speedup=1.3)
    assert bf.gpu_hours[0] / f8.gpu_hours[0] == pytest.approx(1.3)
    with pytest.raises(tr.EstimateError, match="fp8"):
        tr.estimate_training("A100-80GB", 1e12, params=7e9, precision="fp8")


def test_moe_uses_active_params_and_the_moe_mfu():
    est = tr.estimate_training("H800", 14.8e12, model="DeepSeek-V3", precision="fp8", seq_len=None)
    assert est.flops[0] == pytest.approx(6 * 37e9 * 14.8e12)
    assert est.mfu_factor == "training_mfu_moe"
    speed = factors()["fp8_training_speedup"].median
    hours = 6 * 37e9 * 14.8e12 / (989e12 * speed * MFU_MOE) / GOOD / 3600
    assert est.gpu_hours[0] == pytest.approx(hours)
    # a custom MoE (active < total) takes the MoE factor too; a dense one the dense factor
    assert tr.estimate_training("H100", 1e12, params=47e9, active_params=13e9).mfu_factor == (
        "training_mfu_moe"
    )
    assert tr.estimate_training("H100", 1e12, model="Llama-2-7B").mfu_factor == "training_mfu"
    assert MFU_MOE < MFU


def test_sampled_factors_dense_and_moe():
    f = tr.sample_training_factors(4000, np.random.default_rng(1))
    m = tr.sample_training_factors(4000, np.random.default_rng(1), moe=True)
    assert set(f) == set(m) == {"training_mfu", "training_goodput", "fp8_training_speedup"}
    assert np.median(f["training_mfu"]) == pytest.approx(MFU, rel=0.03)
    assert np.median(m["training_mfu"]) == pytest.approx(MFU_MOE, rel=0.03)
    over = tr.sample_training_factors(1, None, None, {"training_mfu": 0.5}, moe=True)
    assert over["training_mfu"][0] == pytest.approx(0.5)
    u = {"training_mfu": np.array([0.5]), "training_goodput": np.array([0.5])}
    u["fp8_training_speedup"] = np.array([0.5])
    assert tr.sample_training_factors(uniforms=u, moe=True)["training_mfu"][0] == pytest.approx(
        MFU_MOE
    )


def test_vectorised_and_validated():
    f = tr.sample_training_factors(1000, np.random.default_rng(1))
    est = tr.estimate_training("H100", 15e12, model="Llama-3.1-70B", gpus=2048, **f)
    assert est.gpu_hours.shape == (1000,)
    s = est.summary()
    assert s["gpu_hours"]["p10"] < s["gpu_hours"]["p50"] < s["gpu_hours"]["p90"]
    assert np.all((f["training_mfu"] > 0) & (f["training_mfu"] < 1))
    with pytest.raises(tr.EstimateError):
        tr.estimate_training("H100", 1e12, params=7e9, training_mfu=1.5)
    with pytest.raises(tr.EstimateError):
        tr.estimate_training("H100", 1e12)
    with pytest.raises(tr.EstimateError):
        tr.estimate_training("H100", 1e12, params=7e9, active_params=8e9)


# ---------------------------------------------------------------- the fit to published runs


def test_training_runs_have_sources_and_consistent_numbers():
    runs = tr.training_runs()
    assert len(runs) >= 10 and sum(r["moe"] for r in runs) >= 3
    for r in runs:
        assert r["source"] and r["as_of"] and r["publication"], r["id"]
        assert r["gpu_hours"] > 0 and r["tokens"] > 0 and r["active_params"] <= r["params"]
        assert 0.1 < tr.implied_utilisation(r) < 0.7, r["id"]
    # a run published as GPUs x days: MPT-7B, 440 GPUs x 9.5 days
    mpt = next(r for r in runs if r["id"] == "mpt-7b")
    assert mpt["gpu_hours"] == pytest.approx(440 * 9.5 * 24)


def test_implied_utilisation_by_hand():
    pythia = next(r for r in tr.training_runs() if r["id"] == "pythia-1b")
    # 299.89e9 tokens x (6 x 1.012e9 + 6 x 16 layers x 2 x 2048 x 2048) / (4830 h x 3600 x 312e12)
    flops = 299.89e9 * (6 * 1.012e9 + 6 * 16 * 2 * 2048 * 2048)
    assert tr.implied_utilisation(pythia) == pytest.approx(flops / (4830 * 3600 * 312e12))
    assert tr.implied_utilisation(pythia) == pytest.approx(0.380, abs=0.001)


def test_stored_intervals_equal_the_fit():
    """efficiency.yaml's training_mfu / training_mfu_moe are what bench/fit_training.py derives
    from data/training_runs.yaml: data and fit cannot drift apart."""
    result = fit_training.fit()
    stored = fit_training.stored_intervals()
    assert stored == {
        "training_mfu": result["training_mfu"]["interval"],
        "training_mfu_moe": result["training_mfu_moe"]["interval"],
    }
    # the fitted medians reproduce the fit runs: median estimate / published within 10% of 1
    good = factors()["training_goodput"].median
    ratios = [
        u / (factors()[fit_training.FACTOR[bool(r["moe"])]].median * good)
        for r, u in zip(result["runs"], result["implied"], strict=True)
    ]
    assert abs(float(np.median(ratios)) - 1) < 0.1


def test_fit_likelihood_by_hand():
    """The density the fit maximises: u = MFU x goodput, MFU logit-normal, goodput at nodes."""
    g = np.array([0.9])
    mu, s, u = -0.5, 0.3, np.array([0.3])
    x = 0.3 / 0.9
    z = (math.log(x / (1 - x)) - mu) / s
    dens = math.exp(-0.5 * z * z) / (math.sqrt(2 * math.pi) * s * x * (1 - x) * 0.9)
    got = fit_training._logpdf_u(u, np.array([mu]), s, g)
    assert got[0] == pytest.approx(math.log(dens))
    # u above every goodput node's MFU range contributes no density
    assert fit_training._logpdf_u(np.array([0.95]), np.array([mu]), s, g)[0] == -np.inf


# ---------------------------------------------------------------- the train command's options

app = typer.Typer(cls=OneLineUsage)
register(app)
runner = CliRunner()


def _train(*args):
    res = runner.invoke(app, ["train", *args, "--samples", "1", "--json"])
    return res


def _ok(*args):
    res = _train(*args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def _stderr(res):
    try:
        return res.stderr
    except (ValueError, AttributeError):  # older click mixes streams
        return res.output


BASE = ("--params", "7B", "--tokens", "1T", "--gpu", "H100")


def test_cli_seq_len_layers_and_d_model_are_honoured():
    plain = _ok(*BASE)
    assert plain["flops"] == pytest.approx(6 * 7e9 * 1e12)
    assert "not counted" in plain["notes"][0]
    derived = _ok(*BASE, "--seq-len", "4096")
    assert derived["flops"] == pytest.approx(1e12 * (6 * 7e9 + 6 * 33 * 2 * 4204 * 4096))
    assert (derived["layers"], derived["d_model"]) == (33, 4204)
    longer = _ok(*BASE, "--seq-len", "8192")
    assert longer["flops"] > derived["flops"]
    shaped = _ok(*BASE, "--seq-len", "4096", "--layers", "32", "--d-model", "4096")
    assert shaped["flops"] == pytest.approx(1e12 * (6 * 7e9 + 6 * 32 * 2 * 4096 * 4096))
    wider = _ok(*BASE, "--seq-len", "4096", "--layers", "32", "--d-model", "8192")
    assert wider["flops"] > shaped["flops"]
    deeper = _ok(*BASE, "--seq-len", "4096", "--layers", "64")
    assert deeper["layers"] == 64 and deeper["flops"] != shaped["flops"]
    # with a catalog model the sequence length changes the attention FLOPs too
    short = _ok("--model", "Llama-2-7B", "--tokens", "1T", "--gpu", "H100", "--seq-len", "2048")
    long_ = _ok("--model", "Llama-2-7B", "--tokens", "1T", "--gpu", "H100")
    assert long_["seq_len"] == 4096 and long_["flops"] > short["flops"]


def test_cli_other_options_change_the_result():
    base = _ok(*BASE)
    assert _ok(*BASE, "--gpus", "64")["days"]["p50"] == pytest.approx(base["days"]["p50"] / 8)
    assert _ok(*BASE, "--gpus", "64")["gpu_hours"]["p50"] == pytest.approx(base["gpu_hours"]["p50"])
    fp8 = _ok(*BASE, "--precision", "fp8")
    speed = factors()["fp8_training_speedup"].median
    assert base["gpu_hours"]["p50"] / fp8["gpu_hours"]["p50"] == pytest.approx(speed)
    assert _ok(*BASE, "--precision", "fp16")["gpu_hours"] == base["gpu_hours"]  # same peak
    lora = _ok(*BASE, "--mode", "lora")
    assert lora["flops"] == pytest.approx(base["flops"] * 4 / 6)
    assert _ok(*BASE, "--mode", "full")["flops"] == pytest.approx(base["flops"])
    half = _ok(*BASE, "--mfu", "0.5")
    quarter = _ok(*BASE, "--mfu", "0.25")
    assert quarter["gpu_hours"]["p50"] == pytest.approx(2 * half["gpu_hours"]["p50"])
    assert _ok("--params", "7B", "--tokens", "2T", "--gpu", "H100")["flops"] == pytest.approx(
        2 * base["flops"]
    )
    moe = _ok(*BASE, "--active-params", "2B")
    assert moe["flops"] == pytest.approx(6 * 2e9 * 1e12)
    assert moe["mfu_factor"] == "training_mfu_moe" and base["mfu_factor"] == "training_mfu"
    # --mfu overrides the MoE MFU as well
    moe_half = _ok(*BASE, "--active-params", "2B", "--mfu", "0.5")
    assert moe_half["gpu_hours"]["p50"] == pytest.approx(half["gpu_hours"]["p50"] * 2 / 7)
    ds = _ok("--model", "DeepSeek-V3", "--tokens", "14.8T", "--gpu", "H800", "--mfu", "0.5")
    ds2 = _ok("--model", "DeepSeek-V3", "--tokens", "14.8T", "--gpu", "H800", "--mfu", "0.25")
    assert ds2["gpu_hours"]["p50"] == pytest.approx(2 * ds["gpu_hours"]["p50"])


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--model", "Llama-2-7B", "--gpu", "H100", "--layers", "32"), "--layers"),
        (("--model", "Llama-2-7B", "--gpu", "H100", "--d-model", "4096"), "--d-model"),
        (("--model", "Llama-2-7B", "--gpu", "H100", "--active-params", "1B"), "--active-params"),
        ((*BASE, "--layers", "32"), "--seq-len"),
        ((*BASE, "--seq-len", "0"), "--seq-len"),
        ((*BASE, "--seq-len", "4096", "--layers", "0"), "layers"),
        ((*BASE, "--precision", "int4"), "--precision"),
        (("--model", "Llama-2-7B", "--gpu", "A100", "--precision", "fp8"), "fp8"),
        ((*BASE, "--mode", "rlhf"), "--mode"),
        (("--params", "7B", "--gpu", "H100", "--mode", "full"), "token count"),
        ((*BASE, "--gpus", "0"), "gpus"),
        ((*BASE, "--active-params", "8B"), "active_params"),
        ((*BASE, "--tokens", "-1"), "tokens"),
    ],
)
def test_cli_bad_train_options_are_one_line_exit_2(args, fragment):
    res = _train(*args)
    assert res.exit_code == 2, res.output
    err = _stderr(res).strip()
    assert err.startswith("breakeven: ") and len(err.splitlines()) == 1, err
    assert fragment in err
