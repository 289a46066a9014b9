"""Serving modes in a scenario: per_token, api (catalog history), self_host (rent or own)."""

import datetime as dt

import numpy as np
import pytest

import breakeven
from breakeven.compute.ownership import HOURS_PER_MONTH
from breakeven.compute.prices import price_at

from .conftest import EXAMPLE

DAYS = 365.25 / 12

BASE = """\
name: serving {label}
currency: CNY
fx: {{USD: 7}}
start_date: 2024-04-01
horizon_months: 12
samples: 200
seed: 5
market:
  consumer:
    market_size: 5M
    innovation_per_year: 10%
    imitation_per_year: 0.5
    churn_per_month: 8%
    usage: {{requests_per_day: 5, input_tokens_per_request: 1000, output_tokens_per_request: 300}}
streams:
  subscription: {{price_per_month: 30, conversion: 5%}}
compute:
  serving:
{serving}
funding: {{starting_cash: 100M}}
"""


def plan(serving: str, label: str = "x"):
    return breakeven.load_text(BASE.format(serving=serving, label=label))


def test_api_serving_replays_the_catalog_price_history():
    r = breakeven.simulate(plan("    api: {provider: DeepSeek, model: deepseek-chat}"))
    tin, tout = r.kpi("input_tokens")[0], r.kpi("output_tokens")[0]
    cost = r.line("cogs.inference")[0]
    for t in range(12):
        d = max(dt.date(2024 + (3 + t) // 12, (3 + t) % 12 + 1, 1), dt.date(2024, 5, 6))
        row = price_at("DeepSeek", "deepseek-chat", d)
        assert row.currency == "CNY"
        expected = (tin[t] * row.input_per_million + tout[t] * row.output_per_million) / 1e6
        assert cost[t] == pytest.approx(expected)
    # April 2024 is before the first listed price (May 2024): the earliest listed price applies
    assert cost[0] / (tin[0] + tout[0]) == pytest.approx(cost[2] / (tin[2] + tout[2]))


def test_api_serving_in_usd_is_converted_with_fx():
    r = breakeven.simulate(plan("    api: {provider: OpenAI, model: gpt-4o-mini}"))
    row = price_at("OpenAI", "gpt-4o-mini", dt.date(2024, 9, 1))
    tin, tout = r.kpi("input_tokens")[0, 5], r.kpi("output_tokens")[0, 5]
    assert r.line("cogs.inference")[0, 5] == pytest.approx(
        7 * (tin * row.input_per_million + tout * row.output_per_million) / 1e6
    )


def test_self_host_rent_sizes_gpus_for_the_peak():
    sh = (
        "    self_host: {model: Qwen2.5-7B, gpu: H100-SXM, gpu_hour_price: 2.0, "
        "rental_price_change_per_year: 0, peak_to_average: 2, target_utilisation: 50%}"
    )
    r = breakeven.simulate(plan(sh))
    gpus = r.kpi("gpus_needed")
    assert np.all(gpus == np.round(gpus)) and np.all(gpus >= 1)
    assert r.line("cogs.inference") == pytest.approx(gpus * HOURS_PER_MONTH * 2.0)  # ¥2/GPU-h
    # more traffic needs more GPUs
    assert gpus[:, -1].mean() > gpus[:, 0].mean()


def test_self_host_own_buys_servers_capex_and_depreciation():
    sh = (
        "    self_host: {model: Qwen2.5-7B, gpu: H100-SXM, ownership: own, "
        "purchase_price_per_gpu: 25000, gpus_per_server: 8, depreciation_years: 4}"
    )
    r = breakeven.simulate(plan(sh))
    owned = r.kpi("gpus_owned")
    assert np.all(owned % 8 == 0) and np.all(np.diff(owned, axis=1) >= 0)
    assert np.all(owned >= r.kpi("gpus_needed"))
    capex = r.line("capex.gpus")
    assert np.all(capex.sum(axis=1) > 0)
    assert capex.sum(axis=1) == pytest.approx(
        owned[:, -1] * 25000 * (1 + r.inputs["compute.serving.self_host.server_overhead_fraction"])
    )
    dep = r.line("depreciation.gpus")
    # straight line over 48 months: depreciation in month t = capex to date / 48
    assert dep == pytest.approx(np.cumsum(capex, axis=1) / 48)
    assert r.line("ebit") == pytest.approx(r.line("ebitda") - dep)
    fcf = r.line("free_cash_flow")
    assert fcf == pytest.approx(r.line("ebitda") - capex)


def test_changing_the_model_or_gpu_changes_the_answer():
    small = plan("    self_host: {model: Qwen2.5-7B, gpu: H100-SXM}", "small")
    big = plan("    self_host: {model: Qwen2.5-72B, gpu: H100-SXM, gpus_per_replica: 4}", "big")
    l4 = plan("    self_host: {model: Qwen2.5-7B, gpu: L4}", "l4")
    costs = [breakeven.simulate(sc).line("cogs.inference").sum() for sc in (small, big, l4)]
    assert costs[1] > 3 * costs[0]
    assert costs[2] != pytest.approx(costs[0], rel=0.05)
    ex = EXAMPLE.read_text()
    a = ex.replace(
        "    per_token:                        # a negotiated API rate for a mid-size model",
        "    self_host: {model: Qwen2.5-7B, gpu: H800}\n    dropped:",
    )
    b = a.replace("Qwen2.5-7B, gpu: H800}", "Qwen2.5-72B, gpu: H800, gpus_per_replica: 4}")

    def strip(text):
        lines, out, skip = text.splitlines(), [], False
        for ln in lines:
            if ln.startswith("    dropped:"):
                skip = True
                continue
            if skip and ln.startswith("      "):
                continue
            skip = False
            out.append(ln)
        return "\n".join(out) + "\n"

    ra = breakeven.simulate(breakeven.load_text(strip(a)), samples=2000, seed=1)
    rb = breakeven.simulate(breakeven.load_text(strip(b)), samples=2000, seed=1)
    assert ra.probabilities["p_breakeven"] > rb.probabilities["p_breakeven"]


def test_unknown_catalog_names_are_located_with_suggestions():
    with pytest.raises(breakeven.ScenarioError, match=r"self_host.gpu: .*H100"):
        plan("    self_host: {model: Qwen2.5-7B, gpu: H10}")
    with pytest.raises(breakeven.ScenarioError, match=r"api.model: "):
        plan("    api: {provider: DeepSeek, model: deepseek-chta}")


def test_compute_training_run_uses_catalog_efficiency():
    text = BASE.format(
        serving="    per_token: {input_price_per_million: 1, output_price_per_million: 2}",
        label="t",
    ) + (
        "company:\n  training_runs:\n    - {name: ft, month: 2, params: 7B, tokens: 2B, "
        "gpu: H100-SXM, gpu_hour_price: 2.0, mfu: 40%, mode: full}\n"
    )
    r = breakeven.simulate(breakeven.load_text(text))
    from breakeven.compute.catalog import factor
    from breakeven.compute.hardware import get_gpu

    goodput = r.inputs["company.training_runs.0.training_goodput"]
    assert np.all((goodput > 0) & (goodput <= 1))
    assert np.median(goodput) == pytest.approx(factor("training_goodput").dist.median, rel=0.05)
    hours = 6 * 7e9 * 2e9 / (get_gpu("H100-SXM").peak_flops("bf16") * 0.4) / goodput / 3600
    assert r.line("opex.training")[:, 1] == pytest.approx(hours * 2.0)  # ¥2 per GPU-hour


def test_compare_uses_common_random_numbers(cli, tmp_path):
    import json

    cheaper = (
        EXAMPLE.read_text()
        .replace("name: Chat assistant, freemium", "name: Cheaper tokens")
        .replace(
            "input_price_per_million: {start: 0.8 to 3,",
            "input_price_per_million: {start: 0.4 to 1.5,",
        )
    )
    path = tmp_path / "cheaper.yaml"
    path.write_text(cheaper)
    code, out, err = cli("compare", EXAMPLE, path, "-n", "1000", "--json")
    assert code == 0, err
    doc = json.loads(out)
    beats = doc["p_beats"]
    # same draws for every shared input: the cheaper plan wins on NPV in every sample
    assert beats["Cheaper tokens vs Chat assistant, freemium"]["npv"] == 1.0
    assert beats["Chat assistant, freemium vs Cheaper tokens"]["npv"] == 0.0
    assert [p["label"] for p in doc["plans"]] == ["Chat assistant, freemium", "Cheaper tokens"]
    # break-even: earlier, the same month (or neither) and later add up to every sample
    for v in beats.values():
        assert 0.0 <= v["breakeven_month"] + v["breakeven_tie"] <= 1.0
    a, b = (
        beats["Cheaper tokens vs Chat assistant, freemium"],
        beats["Chat assistant, freemium vs Cheaper tokens"],
    )
    assert a["breakeven_tie"] == b["breakeven_tie"] > 0  # many samples never break even in both
    assert a["breakeven_month"] + a["breakeven_tie"] + b["breakeven_month"] == pytest.approx(1.0)
    # the assumptions that differ: the one price schedule, as written
    assert doc["assumptions"] == [
        {
            "path": "compute.serving.per_token.input_price_per_million",
            "name": "compute.serving.per_token.input_price_per_million",
            "a": "{start: 0.8 to 3, change_per_year: -50% to -15%}",
            "b": "{start: 0.4 to 1.5, change_per_year: -50% to -15%}",
            "vs": "Cheaper tokens",
        }
    ]
    code, out, err = cli("compare", EXAMPLE, path, "-n", "1000")
    assert code == 0, err
    assert "breaks even earlier / same month / later" in out.replace("\n", " ").replace(
        "  ", " "
    ) or ("same month" in out)
    assert "Assumptions that differ from Chat assistant, freemium" in out


def test_gpu_seconds_serving_for_images():
    sc = plan(
        "    gpu_seconds: {gpu_seconds_per_request: 5, gpu: H100-SXM, gpu_hour_price: 18,"
        " peak_to_average: 2, target_utilisation: 50%}"
    )
    r = breakeven.simulate(sc)
    req = r.kpi("requests")
    assert r.line("cogs.inference") == pytest.approx(req * 5 * 18 / 3600 * 4)
    assert r.kpi("gpu_hours") == pytest.approx(req * 5 / 3600)
    # a payer's margin prices their requests at the same cost per request
    per_request = 5 * 18 / 3600 * 4
    assert r.kpi("margin_mean_payer")[0, 0] == pytest.approx(30 * 0.99 - 5 * DAYS * per_request)


def test_gpu_seconds_from_a_catalog_workload():
    from breakeven.compute.catalog import factor

    sc = plan("    gpu_seconds: {workload: sdxl_image_1024}")
    r = breakeven.simulate(sc)
    gs = r.inputs["compute.serving.gpu_seconds.sdxl_image_1024"]
    d = factor("sdxl_image_1024", "workloads").dist
    assert np.all(gs > 0) and np.median(gs) == pytest.approx(d.median, rel=0.15)
    assert r.kpi("gpu_hours")[:, 0] == pytest.approx(r.kpi("requests")[:, 0] * gs / 3600)
    with pytest.raises(breakeven.ScenarioError, match="gpu_seconds.workload"):
        plan("    gpu_seconds: {workload: sdxl_imag}")


def test_undeployable_self_host_is_a_located_error():
    with pytest.raises(breakeven.ScenarioError, match=r"self_host: .*does not fit"):
        plan("    self_host: {model: Llama-3.1-405B, gpu: L4}")
    with pytest.raises(breakeven.ScenarioError, match=r"self_host: .*divisible"):
        plan("    self_host: {model: Qwen2.5-72B, gpu: H800, gpus_per_replica: 3}")


@pytest.mark.parametrize(
    "mode",
    [
        "gpu_seconds: {gpu_seconds_per_request: 5, gpu: H100-SXM, target_utilisation: %s}",
        "self_host: {model: Llama-3.1-8B, gpu: H100-SXM, target_utilisation: %s}",
    ],
)
def test_a_target_utilisation_of_zero_is_a_located_error_not_an_overflow(mode):
    """Capacity is sized as peak ÷ target_utilisation: 0% divided by zero, printed numpy's
    RuntimeWarning and stopped on an unlocated overflow (found by tests/test_plan_fuzz.py)."""
    for zero in ("0", "'0%'", "0 to 0"):
        with pytest.raises(
            breakeven.ScenarioError,
            match=r"serving\.\w+\.target_utilisation: must be above 0%: capacity is sized",
        ):
            plan("    " + mode % zero)
    r = breakeven.simulate(plan("    " + mode % "1%"), samples=4)  # small, but capacity to size
    assert np.isfinite(r.line("cogs.inference")).all()
