"""The catalog tables' titles and headers in English and Chinese (``gpus``, ``models``,
``prices``): kept here, not in the reports' strings, so these commands start without loading the
engine."""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
    "gpus.title": {"en": "GPUs", "zh": "GPU"},
    "gpus.name": {"en": "GPU", "zh": "GPU"},
    "gpus.memory_gb": {"en": "memory GB", "zh": "显存 GB"},
    "gpus.memory_bandwidth_tb_s": {"en": "HBM TB/s", "zh": "HBM TB/s"},
    "gpus.bf16": {"en": "bf16 dense TFLOPS", "zh": "bf16 稠密 TFLOPS"},
    "gpus.fp8": {"en": "fp8 dense TFLOPS", "zh": "fp8 稠密 TFLOPS"},
    "gpus.tdp_watts": {"en": "TDP W", "zh": "功耗 W"},
    "gpus.interconnect_gb_s": {"en": "NVLink GB/s (both ways)", "zh": "NVLink GB/s（双向）"},
    "gpus.scale_out_gb_s": {"en": "network GB/s per GPU", "zh": "每 GPU 网络 GB/s"},
    "gpus.latest_rental_usd_per_hour": {"en": "rent USD/GPU-h", "zh": "租金 美元/GPU 小时"},
    "gpus.purchase_price_usd": {"en": "buy USD", "zh": "购价 美元"},
    "models.title": {"en": "Models", "zh": "模型"},
    "models.name": {"en": "model", "zh": "模型"},
    "models.params": {"en": "params", "zh": "参数量"},
    "models.active_params": {"en": "active params", "zh": "激活参数量"},
    "models.layers": {"en": "layers", "zh": "层数"},
    "models.attention": {"en": "attn", "zh": "注意力"},
    "models.kv_heads": {"en": "kv heads", "zh": "KV 头数"},
    "models.experts": {"en": "experts", "zh": "专家数"},
    "models.experts_per_token": {"en": "top-k", "zh": "每 token 专家"},
    "models.max_context": {"en": "context tokens", "zh": "上下文 token"},
    "prices.title": {"en": "API prices per million tokens", "zh": "每百万 token 的 API 价格"},
    "prices.provider": {"en": "provider", "zh": "厂商"},
    "prices.model": {"en": "model", "zh": "模型"},
    "prices.currency": {"en": "cur", "zh": "币种"},
    "prices.input_per_million": {"en": "in /1M", "zh": "输入 /1M"},
    "prices.cached_input_per_million": {"en": "cached /1M", "zh": "缓存命中 /1M"},
    "prices.output_per_million": {"en": "out /1M", "zh": "输出 /1M"},
    "prices.off_peak_text": {"en": "off-peak UTC", "zh": "闲时（UTC）"},
    "prices.effective_from": {"en": "from", "zh": "生效日期"},
    "prices.catalog": {"en": "catalog", "zh": "目录"},
    "catalog.shipped": {"en": "shipped", "zh": "内置"},
    "catalog.user": {"en": "user", "zh": "用户"},
}


def catalog_text(key: str, lang: str) -> str:
    """A catalog table's title or header, e.g. ``catalog_text("gpus.memory_gb", "zh")``."""
    entry = CATALOG[key]
    return entry.get(lang) or entry["en"]
