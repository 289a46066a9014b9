"""Compare the cost physics with published measurements (tests/data/published.yaml).

Run: ``python bench/validate.py`` (or ``make validate``). Uses the DEFAULT efficiency factors (the
medians of src/breakeven/compute/data/efficiency.yaml) for every case — nothing is fitted per case.
Exit status 1 if a case not marked ``known_miss`` is outside its tolerance. Then the business
outcomes (:mod:`bench/business.py`, tests/data/business_outcomes.yaml).
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path
from typing import Any

import yaml

from breakeven.compute.inference import Speculation, estimate_inference, fleet_per_day
from breakeven.compute.models import get_model
from breakeven.compute.training import estimate_training

PUBLISHED = Path(__file__).resolve().parents[1] / "tests" / "data" / "published.yaml"


def load_published(path: Path = PUBLISHED) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _model(name: str, data: dict[str, Any]):
    specs = data.get("models") or {}
    if name in specs:
        return get_model({"name": name, **specs[name]})
    return get_model(name)


def throughput_estimate(case: dict[str, Any], data: dict[str, Any]) -> float:
    """Median estimate of output tokens/s per GPU for one published serving case."""
    est = estimate_inference(
        _model(case["model"], data),
        case["gpu"],
        n_gpus=case.get("gpus", 1),
        precision=case["precision"],
        kv_precision=case.get("kv_precision"),
        input_tokens=case["input_tokens"],
        output_tokens=case["output_tokens"],
        batch=case.get("batch"),
        max_batch_cap=case.get("max_batch_cap", 1024),
        attention_kernel=case.get("attention_kernel", "grouped"),
    )
    return float(est.output_tokens_per_s_per_gpu[0])


def published_per_gpu(case: dict[str, Any]) -> float:
    """Published output tokens/s per GPU (tables quote per GPU or per tensor-parallel group)."""
    if "published_output_tokens_per_s_per_gpu" in case:
        return float(case["published_output_tokens_per_s_per_gpu"])
    return float(case["published_output_tokens_per_s_total"]) / case.get("gpus", 1)


SCALE_KEYS = (
    "layout",
    "nodes",
    "gpus_per_node",
    "disaggregated",
    "prefill_nodes",
    "precision",
    "kv_precision",
    "input_tokens",
    "output_tokens",
    "cache_hit_share",
    "batch",
    "ttft_ms",
    "tpot_ms",
    "gpu_hour_price",
    "attention_kernel",
)


def scale_estimate(case: dict[str, Any], data: dict[str, Any]) -> float:
    """Median estimate of one large-deployment measure (``case["measure"]``)."""
    kw = {k: case[k] for k in SCALE_KEYS if k in case}
    if "speculation" in case:
        kw["speculation"] = Speculation(**case["speculation"])
    if case["measure"] == "fleet_cost_usd_per_day":
        kw.setdefault("gpu_hour_price", 2.0)
    est = estimate_inference(_model(case["model"], data), case["gpu"], **kw)
    if case["measure"] == "fleet_cost_usd_per_day":
        return float(fleet_per_day(est, case["requests_per_s"])["cost_usd_per_day"][0])
    if case["measure"] == "output_tokens_per_s_per_replica":  # tables that quote a whole node
        return float(est.output_tokens_per_s_per_gpu[0] * est.n_gpus)
    return float(getattr(est, case["measure"])[0])


def training_estimate(case: dict[str, Any], data: dict[str, Any]) -> float:
    """Median estimate of GPU-hours for one published training run."""
    est = estimate_training(
        case["gpu"],
        case["tokens"],
        model=_model(case["model"], data),
        precision=case["precision"],
        seq_len=case.get("seq_len"),
    )
    return float(est.gpu_hours[0])


UNITS = {
    "throughput": "out tok/s/GPU",
    "gpu_hours": "GPU-hours",
    "prefill_input_tokens_per_s_per_node": "in tok/s/node",
    "decode_output_tokens_per_s_per_node": "out tok/s/node",
    "output_tokens_per_s_per_gpu": "out tok/s/GPU",
    "output_tokens_per_s_per_replica": "out tok/s/replica",
    "fleet_cost_usd_per_day": "USD/day",
}


def rows(data: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """One dict per case: kind, id, estimate, published, error (= estimate/published - 1), ok."""
    data = data or load_published()
    tol = data["tolerance"]
    out = []
    for c in data["throughput"]:
        est, pub = throughput_estimate(c, data), published_per_gpu(c)
        err = est / pub - 1
        out.append(
            {
                "kind": "throughput",
                "id": c["id"],
                "estimate": est,
                "published": pub,
                "error": err,
                "ok": abs(err) <= tol["throughput"],
                "known_miss": c.get("known_miss"),
            }
        )
    for c in data.get("serving_at_scale") or []:
        est, pub = scale_estimate(c, data), float(c["published"])
        err = est / pub - 1
        out.append(
            {
                "kind": "serving_at_scale",
                "id": c["id"],
                "unit": UNITS.get(c["measure"], c["measure"]),
                "estimate": est,
                "published": pub,
                "error": err,
                "ok": abs(err) <= tol["throughput"],
                "known_miss": c.get("known_miss"),
            }
        )
    for c in data["training"]:
        est, pub = training_estimate(c, data), float(c["published_gpu_hours"])
        err = est / pub - 1
        out.append(
            {
                "kind": "gpu_hours",
                "id": c["id"],
                "estimate": est,
                "published": pub,
                "error": err,
                "ok": abs(err) <= tol["gpu_hours"],
                "known_miss": c.get("known_miss"),
            }
        )
    return out


def group(r: dict[str, Any]) -> str:
    """The family a row belongs to in the report's breakdown: dense single-node serving on Hopper,
    Ada and Ampere (where the roofline is claimed to hold), B200 FP4 dense serving, TensorRT-LLM's
    single-node MoE tables, MoE deployments at scale (SGLang, DeepSeek, Ant Group), and training runs."""
    if r["kind"] == "gpu_hours":
        return "training runs"
    if r["kind"] == "throughput":
        return "dense, B200 FP4" if "-b200-fp4-" in r["id"] else "dense, Hopper/Ada/Ampere"
    if r["id"].startswith(("trtllm1.0-", "trtllm-b200-r1", "trtllm-h200-r1")):
        return "MoE, TensorRT-LLM single node"
    return "MoE deployments at scale"


GROUPS = (
    "dense, Hopper/Ada/Ampere",
    "dense, B200 FP4",
    "MoE, TensorRT-LLM single node",
    "MoE deployments at scale",
    "training runs",
)


def main() -> int:
    data = load_published()
    table = rows(data)
    width = max(len(r["id"]) for r in table)
    print(
        f"{'case':<{width}}  {'unit':<14} {'estimate':>12} {'published':>12} {'error':>8}  status"
    )
    bad = 0
    for r in table:
        unit = r.get("unit") or UNITS[r["kind"]]
        status = "ok" if r["ok"] else ("known miss" if r["known_miss"] else "MISS")
        bad += (not r["ok"]) and not r["known_miss"]
        print(
            f"{r['id']:<{width}}  {unit:<14} {r['estimate']:>12,.0f} {r['published']:>12,.0f} "
            f"{r['error']:>+8.1%}  {status}"
        )
    for kind, tol in (
        ("throughput", data["tolerance"]["throughput"]),
        ("serving_at_scale", data["tolerance"]["throughput"]),
        ("gpu_hours", data["tolerance"]["gpu_hours"]),
    ):
        sel = [r for r in table if r["kind"] == kind]
        inside = sum(r["ok"] for r in sel)
        print(
            f"{kind}: {inside}/{len(sel)} within ±{tol:.0%}; median |error| "
            f"{statistics.median(abs(r['error']) for r in sel):.1%}"
        )
    for g in GROUPS:
        sel = [r for r in table if group(r) == g]
        n30 = sum(abs(r["error"]) <= 0.30 for r in sel)
        print(
            f"  {g}: {n30}/{len(sel)} within ±30%; median estimate/published "
            f"{statistics.median(1 + r['error'] for r in sel):.2f}"
        )
    inside = sum(r["ok"] for r in table)
    print(f"all published rows: {inside}/{len(table)} within tolerance ({inside / len(table):.0%})")
    within30 = sum(abs(r["error"]) <= 0.30 for r in table)  # the serving issue's one yardstick
    print(f"all published rows within ±30%: {within30}/{len(table)} ({within30 / len(table):.0%})")
    return 1 if bad else 0


if __name__ == "__main__":
    physics = main()
    print()
    import business  # the business outcomes (bench/business.py), after the cost physics

    sys.exit(physics or business.main())
