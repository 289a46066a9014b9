"""The compute commands on a throwaway Typer app: JSON output and one-line user errors."""

import json

import pytest
import typer
from typer.testing import CliRunner

from breakeven.cli import prices as prices_cli
from breakeven.cli.common import OneLineUsage
from breakeven.cli.compute import register

app = typer.Typer(cls=OneLineUsage)
register(app)
prices_cli.register(app)  # `prices` moved to breakeven.cli.prices (with `prices import`)
runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


def _stderr(res):
    try:
        return res.stderr
    except (ValueError, AttributeError):  # older click mixes streams
        return res.output


def test_infer_json():
    res = run(
        "infer",
        "--model",
        "Llama-3.1-8B",
        "--gpu",
        "H100",
        "--samples",
        "200",
        "--json",
        "--input-tokens",
        "1k",
        "--output-tokens",
        "200",
        "--tpot-ms",
        "50",
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    for key in (
        "batch",
        "max_batch",
        "output_tokens_per_s_per_gpu",
        "ttft_ms",
        "tpot_ms",
        "cost_per_million_output_tokens",
        "cost_per_request",
    ):
        assert set(out[key]) == {"p10", "p50", "p90"}, key
    assert out["weights_gb"] == pytest.approx(16.06)
    assert out["kv_bytes_per_token"] == 131072
    assert out["tpot_ms"]["p90"] <= 50
    assert out["gpu_hour_price"]["p50"] > 0  # latest catalog rental by default


def test_infer_fixed_batch_and_price_interval():
    res = run(
        "infer",
        "--model",
        "qwen2.5-72b",
        "--gpu",
        "h200",
        "--gpus",
        "2",
        "--precision",
        "fp8",
        "--batch",
        "32",
        "--gpu-hour-price",
        "2 to 4",
        "--samples",
        "300",
        "--json",
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["batch"]["p50"] == 32
    assert out["gpu_hour_price"]["p10"] < out["gpu_hour_price"]["p90"]


def test_infer_attention_kernel_per_head_reads_kv_per_query_head():
    """TensorRT-LLM before XQA: Llama-2-70B's decode reads its KV 8 times, so at a fixed batch
    with long outputs the throughput falls; an unknown kernel is a one-line error."""
    args = ["infer", "--model", "Llama-2-70B", "--gpu", "H100", "--gpus", "2", "--precision"]
    args += ["fp8", "--input-tokens", "128", "--output-tokens", "2048", "--batch", "64"]
    args += ["--samples", "50", "--json"]
    grouped = json.loads(run(*args).stdout)["output_tokens_per_s_per_gpu"]["p50"]
    res = run(*args, "--attention-kernel", "per_head")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    per_head = out["output_tokens_per_s_per_gpu"]["p50"]
    assert per_head < 0.7 * grouped
    assert out["attention_kernel"] == "per_head"
    assert any("KV cache 8 times a step" in n for n in out["notes"])  # 64 q heads on 8 kv
    zh = run(*args[:-1], "--attention-kernel", "per_head", "--lang", "zh")
    assert zh.exit_code == 0, zh.output
    assert "每个查询头读一次" in zh.stdout.replace("\n", "")
    bad = run(*args, "--attention-kernel", "flash")
    assert bad.exit_code == 2
    assert "--attention-kernel must be one of grouped, per_head" in _stderr(bad)


def test_infer_table_output():
    res = run("infer", "--model", "Llama-2-7B", "--gpu", "A100-80GB", "--samples", "1")
    assert res.exit_code == 0, res.output
    assert "output_tokens_per_s_per_gpu" in res.stdout


INFER = ["infer", "--model", "Llama-3.1-8B", "--gpu", "H100-SXM", "--samples", "50"]


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["infer", "--model", "Llama-3.1-405B", "--gpu", "H100"], "does not fit"),
        (["infer", "--model", "llama-9b", "--gpu", "H100"], "unknown model"),
        (["infer", "--model", "Llama-3.1-8B", "--gpu", "H1000"], "did you mean"),
        (
            ["infer", "--model", "Llama-3.1-8B", "--gpu", "H100", "--precision", "fp9"],
            "--precision",
        ),
        (["infer", "--model", "Llama-3.1-8B", "--gpu", "H100", "--gpus", "three"], "--gpus"),
        (["infer", "--model", "Llama-3.1-8B", "--gpu", "H100", "--bogus", "1"], "--bogus"),
        (["infer", "--gpu", "H100"], "--model"),
        (["train", "--gpu", "H100", "--tokens", "1T"], "--model or --params"),
        (["train", "--params", "7 billion", "--gpu", "H100"], "--params"),
        (["train", "--params", "7B", "--gpu", "H100", "--mfu", "150%"], "fraction"),
        (["prices", "--provider", "OpenAl"], "did you mean"),
        (["prices", "--at", "yesterday-ish"], "date"),
        # found by fuzzing the options: each used to end in exit 1 or a silent nonsense answer
        ([*INFER, "--gpu-hour-price", "e5"], "expected a number"),
        (["train", "--params", "e5", "--gpu", "H100"], "expected a number"),
        ([*INFER, "--batch", "99999999999999999999999"], "--batch"),
        ([*INFER, "--samples", "99999999999999999999999"], "--samples"),
        (["train", "--params", "7B", "--gpu", "H100", "--samples", "9" * 23], "--samples"),
        ([*INFER, "--tpot-ms", "-1"], "--tpot-ms must be a finite number above 0"),
        ([*INFER, "--ttft-ms", "nan"], "--ttft-ms must be a finite number above 0"),
        ([*INFER, "--max-batch-cap", "0"], "--max-batch-cap"),
        ([*INFER, "--peak-to-average", "-1"], "--peak-to-average must be a finite number at"),
        ([*INFER, "--requests-per-s", "100", "--peak-to-average", "inf"], "--peak-to-average"),
        ([*INFER, "--utilisation", "nan"], "--utilisation must be a finite number in (0, 1]"),
        (["train", "--params", "7B", "--gpu", "H100", "--tokens", "1e308"], "implausibly large"),
        # the second fuzzing round: options a deployment cannot have, used to pass silently
        ([*INFER, "--gpus", "8", "--gpus-per-node", "4"], "--gpus 8 disagrees with --nodes 1"),
        ([*INFER, "--nodes", "2", "--gpus", "16"], "--nodes needs --gpus-per-node"),
        ([*INFER, "--gpus", "0"], "--gpus"),
        ([*INFER, "--acceptance", "0.9"], "--acceptance needs --draft-tokens"),
        ([*INFER, "--draft-cost", "0.5"], "--draft-cost needs --draft-tokens"),
        ([*INFER, "--draft-tokens", "1"], "--draft-tokens needs --acceptance"),  # was 0
        ([*INFER, "--peak-to-average", "5"], "--peak-to-average needs --requests-per-s"),
        ([*INFER, "--utilisation", "0.3"], "--utilisation needs --requests-per-s"),
        ([*INFER, "--gpus-per-node", "16"], "16 GPUs in one node: a H100-SXM node holds 8"),
        ([*INFER, "--gpus", "12"], "12 GPUs are not whole nodes: a H100-SXM node holds 8"),
        (  # a GPU without a network: the multi-node refusal, not "add nodes"
            ["infer", "--model", "DeepSeek-V3", "--gpu", "L40S", "--gpus", "16"],
            "L40S has no scale-out (network) bandwidth in the catalog, so a replica over 2 nodes",
        ),
        ([*INFER, "--batch", "100000"], "--batch 100000 does not fit in memory"),
        ([*INFER, "--batch", "2000", "--max-batch-cap", "10"], "is above --max-batch-cap 10"),
        ([*INFER, "--gpu-hour-price", "50%"], "USD per GPU-hour, not a percentage"),
        ([*INFER, "--gpu-hour-price", "1e-300"], "--gpu-hour-price: is implausibly small"),
        (["train", "--params", "7B", "--gpu", "H100", "--active-params", "1.5"], "1e6 to params"),
        (["train", "--params", "7B", "--gpu", "H100", "--tokens", "0.5"], "--tokens must be 1e3"),
        (["train", "--params", "7B", "--gpu", "H100", "--seq-len", "9" * 23], "--seq-len"),
        (["train", "--params", "7B", "--gpu", "H100", "--gpus", "9" * 23], "--gpus"),
        (["train", "--params", "7B", "--gpu", "H100", "--mfu", "0"], "--mfu must be above 0"),
        (["train", "--params", "7B", "--gpu", "H100", "--mfu", "abc"], "--mfu: expected"),
    ],
)
def test_user_errors_are_one_line_exit_2(args, fragment):
    res = run(*args)
    assert res.exit_code == 2, res.output
    err = _stderr(res).strip()
    assert err.startswith("breakeven: "), err
    assert len(err.splitlines()) == 1, err
    assert fragment in err
    assert "Traceback" not in res.output


def test_train_json():
    res = run(
        "train",
        "--params",
        "70B",
        "--tokens",
        "15T",
        "--gpu",
        "H100",
        "--gpus",
        "2048",
        "--gpu-hour-price",
        "2",
        "--samples",
        "500",
        "--json",
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["flops"] == pytest.approx(6 * 70e9 * 15e12)
    assert out["gpu_hours"]["p10"] < out["gpu_hours"]["p50"] < out["gpu_hours"]["p90"]
    assert out["cost"]["p50"] == pytest.approx(out["gpu_hours"]["p50"] * 2, rel=1e-6)
    assert out["days"]["p50"] == pytest.approx(out["gpu_hours"]["p50"] / 2048 / 24, rel=1e-6)
    res = run(
        "train",
        "--model",
        "DeepSeek-V3",
        "--tokens",
        "14.8T",
        "--gpu",
        "H800",
        "--precision",
        "fp8",
        "--mfu",
        "0.35",
        "--json",
        "--samples",
        "1",
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["active_params"] == 37e9


def test_catalog_commands_json():
    for cmd in ("gpus", "models"):
        res = run(cmd, "--json")
        assert res.exit_code == 0, res.output
        rows = json.loads(res.stdout)
        assert isinstance(rows, list) and all("name" in r for r in rows)
    res = run("prices", "--provider", "DeepSeek", "--at", "2024-06-01", "--json")
    rows = json.loads(res.stdout)
    assert rows and all(r["provider"] == "DeepSeek" and "name" in r for r in rows)
    chat = [r for r in rows if r["model"] == "deepseek-chat"][0]
    assert (chat["input_per_million"], chat["output_per_million"], chat["currency"]) == (
        1.0,
        2.0,
        "CNY",
    )
    res = run("prices", "--provider", "OpenAI", "--history", "--json")
    assert len(json.loads(res.stdout)) > 10


def test_catalog_commands_tables():
    for cmd in ("gpus", "models", "prices"):
        res = run(cmd)
        assert res.exit_code == 0, res.output
        assert res.stdout.strip()


def test_infer_sizes_the_fleet_for_a_request_rate():
    import json
    import math

    import typer
    from typer.testing import CliRunner

    from breakeven.cli.compute import register

    app = typer.Typer(cls=OneLineUsage)
    register(app)
    res = CliRunner().invoke(
        app,
        [
            "infer",
            "--model",
            "Qwen2.5-7B",
            "--gpu",
            "H100-SXM",
            "--requests-per-s",
            "200",
            "--peak-to-average",
            "2",
            "--utilisation",
            "0.5",
            "--samples",
            "1",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    per_gpu = d["requests_per_s_per_gpu"]["p50"]
    assert d["gpus_needed_at_peak"]["p50"] == math.ceil(200 * 2 / (per_gpu * 0.5))


def test_infer_expert_parallel_deployment_reports_per_node_rates_and_fleet_cost():
    # the command: DeepSeek-V3 on H800 nodes, expert parallel, bf16 KV, 50 ms per token
    res = run(
        "infer", "--model", "DeepSeek-V3", "--gpu", "H800", "--nodes", "18",
        "--gpus-per-node", "8", "--layout", "ep", "--precision", "fp8", "--kv-precision",
        "bf16", "--input-tokens", "4400", "--output-tokens", "1200", "--tpot-ms", "50",
        "--disaggregated", "--prefill-nodes", "4", "--cache-hit-share", "0.563",
        "--draft-tokens", "1", "--acceptance", "0.85", "--samples", "50", "--json",
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["layout"].startswith("EP144") and d["nodes"] == 18 and d["prefill_nodes"] == 4
    assert d["kv_precision"] == "bf16" and d["tokens_per_step"] == pytest.approx(1.85)
    for key in ("prefill_input_tokens_per_s_per_node", "decode_output_tokens_per_s_per_node"):
        assert d[key]["p50"] > 10_000, key
    assert d["units"]["decode_output_tokens_per_s_per_node"] == "output tokens/s/node"
    fleet = d["fleet"]
    # with no request rate: one decode instance at full load and the prefill nodes it needs
    assert fleet["decode_nodes"]["p50"] == 18
    assert fleet["cost_usd_per_day"]["p50"] == pytest.approx(
        fleet["gpus"]["p50"] * d["gpu_hour_price"]["p50"] * 24
    )
    assert d["units"]["fleet"]["cost_usd_per_day"] == "USD/day"


def test_infer_without_latency_targets_uses_a_stated_interactive_default():
    res = run("infer", "--model", "Llama-3.1-8B", "--gpu", "H100", "--samples", "1", "--json")
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["tpot_ms"]["p50"] <= 50 and d["ttft_ms"]["p50"] <= 2000
    assert any("no latency target given" in n for n in d["notes"])


@pytest.mark.parametrize(
    "args, message",
    [
        (["--layout", "ep"], "dense model"),
        (["--layout", "xx"], "--layout"),
        (["--nodes", "2"], "--gpus-per-node"),
        (["--cache-hit-share", "1.5"], "--cache-hit-share"),
        (["--acceptance", "2"], "--acceptance"),
        (["--prefill-nodes", "2"], "--disaggregated"),
        (["--nodes", "2", "--gpus-per-node", "8", "--gpu", "L40S"], "scale-out"),
    ],
)
def test_infer_layout_errors_are_one_line(args, message):
    base = ["infer", "--model", "Llama-3.1-70B", "--gpu", "H100", "--precision", "fp8"]
    if "--gpu" in args:
        base = base[:3] + base[5:]
    res = run(*base, *args)
    assert res.exit_code == 2, res.output
    err = _stderr(res)
    assert message in err and "Traceback" not in err


def test_infer_fixed_batch_reports_the_samples_it_fits_and_meets_targets_in():
    """A fixed batch is judged as given: share_fitting counts the samples whose KV cache holds
    it, and a missed target is missed at that batch (not "even at batch 1", never tried)."""
    free = json.loads(run(*INFER, "--json").stdout)
    limit = free["max_batch"]
    big = run(*INFER, "--batch", str(int(limit["p90"]) + 1), "--json")
    assert big.exit_code == 0, big.output
    out = json.loads(big.stdout)
    assert out["share_fitting"] < 0.2
    assert any("exceeds the memory limit in" in n for n in out["notes"])
    slow = json.loads(run(*INFER, "--batch", "300", "--tpot-ms", "5", "--json").stdout)
    assert slow["share_fitting"] == 1.0 and slow["share_meeting_targets"] == 0.0
    assert any("missed at batch 300 in 100%" in n for n in slow["notes"])


def test_params_range_is_inclusive_and_gpus_per_node_alone_sets_the_replica():
    assert run("train", "--params", "1e6", "--gpu", "H100", "--samples", "10").exit_code == 0
    assert run("train", "--params", "100T", "--gpu", "H100", "--samples", "10").exit_code == 0
    agree = run(*INFER, "--gpus", "8", "--gpus-per-node", "8", "--json")
    assert agree.exit_code == 0, agree.output
    assert json.loads(agree.stdout)["gpus"] == 8


def test_prices_history_at_a_date_lists_the_rows_effective_by_then():
    every = json.loads(run("prices", "--history", "--json").stdout)
    by_2024 = json.loads(run("prices", "--history", "--at", "2024-01-01", "--json").stdout)
    assert 0 < len(by_2024) < len(every)
    assert all(r["effective_from"] <= "2024-01-01" for r in by_2024)
    assert json.loads(run("prices", "--history", "--at", "2020-01-01", "--json").stdout) == []
