"""Catalog rows: provenance on every row, validation at load, name lookup, price history."""

import datetime as dt

import numpy as np
import pytest

from breakeven.compute import catalog, hardware, models, prices
from breakeven.compute.catalog import CatalogError, load_yaml
from breakeven.compute.models import ModelSpec, get_model

REQUIRED_GPUS = [
    "A100-40GB",
    "A100-80GB",
    "A800",
    "H100-SXM",
    "H100-PCIe",
    "H800",
    "H20",
    "H200",
    "B200",
    "L40S",
    "L4",
    "RTX-4090",
    "MI300X",
    "Ascend-910B",
]
REQUIRED_MODELS = [
    "Llama-2-7B",
    "Llama-2-13B",
    "Llama-2-70B",
    "Llama-3.1-8B",
    "Llama-3.1-70B",
    "Llama-3.1-405B",
    "Qwen2.5-7B",
    "Qwen2.5-14B",
    "Qwen2.5-32B",
    "Qwen2.5-72B",
    "DeepSeek-V2",
    "DeepSeek-V3",
    "Mixtral-8x7B",
    "Mixtral-8x22B",
    "GLM-4-9B",
    "Yi-34B",
    "Baichuan2-13B",
]


def _has_provenance(row, where):
    assert isinstance(row.get("source"), str) and len(row["source"]) > 5, where
    assert "as_of" in row, where
    catalog.as_date(row["as_of"], where)


def test_every_row_has_source_and_as_of():
    for i, g in enumerate(load_yaml("gpus.yaml")):
        _has_provenance(g, f"gpu {i}")
        for r in g.get("rental") or []:
            _has_provenance(r, f"gpu {g['name']} rental")
        if g.get("purchase_price_usd"):
            _has_provenance(g["purchase_price_usd"], f"gpu {g['name']} purchase")
    for m in load_yaml("models.yaml"):
        _has_provenance(m, m["name"])
    for r in load_yaml("api_prices.yaml")["rows"]:
        _has_provenance(r, f"{r['provider']}/{r['model']}")
    eff = load_yaml("efficiency.yaml")
    for section in ("factors", "constants", "ownership", "workloads"):
        for name, row in eff[section].items():
            _has_provenance(row, f"{section}.{name}")


def test_catalogs_load_and_cover_required_names():
    gpus = {g.name for g in hardware.list_gpus()}
    assert set(REQUIRED_GPUS) <= gpus
    names = {m.name for m in models.list_models()}
    assert set(REQUIRED_MODELS) <= names
    provs = set(prices.providers())
    assert {
        "OpenAI",
        "Anthropic",
        "Google",
        "DeepSeek",
        "Alibaba",
        "ByteDance",
        "Baidu",
        "Moonshot",
        "Zhipu",
    } <= provs
    assert len(catalog.describe_factors()) >= 7


def test_gpu_dense_figures_and_rentals():
    h100 = hardware.get_gpu("H100-SXM")
    assert h100.tflops["bf16"] == 989 and h100.tflops["fp8"] == 1979
    assert h100.peak_flops("fp8") == 1979e12
    assert h100.peak_flops("int4") == 989e12  # weight-only int4 computes in bf16
    assert hardware.get_gpu("A100-80GB").peak_flops("fp8") == 312e12  # no fp8: falls back
    assert h100.memory_bytes == 80 * 2**30
    for g in hardware.list_gpus():
        assert g.rental, g.name
        assert g.purchase_price_usd, g.name
        assert hardware.default_gpu_hour_price(g) > 0
        if g.tflops.get("fp8"):
            assert g.tflops["fp8"] <= 2.05 * g.tflops["bf16"]  # dense, not sparse


def test_lookup_is_case_and_punctuation_insensitive():
    assert hardware.get_gpu("h100 sxm").name == "H100-SXM"
    assert hardware.get_gpu("H100_SXM").name == "H100-SXM"
    assert hardware.get_gpu("mi300x").name == "MI300X"
    assert get_model("llama 3.1 8b").name == "Llama-3.1-8B"
    assert get_model("QWEN2.5_72B").name == "Qwen2.5-72B"
    assert prices.price_at("openai", "GPT-4o", "2024-06-01").model == "gpt-4o"
    assert prices.price_at("Alibaba Qwen", "QWEN LONG", "2024-06-01").provider == "Alibaba"


def test_unknown_names_raise_with_closest_matches():
    with pytest.raises(CatalogError) as e:
        hardware.get_gpu("H1000")
    assert "H100" in e.value.message and e.value.suggestions
    with pytest.raises(CatalogError) as e:
        get_model("Llama-3.1-7B")
    assert "Llama-3.1-8B" in e.value.suggestions
    with pytest.raises(CatalogError):
        prices.price_at("OpenAI", "gpt-5-ultra-max", "2025-01-01")
    with pytest.raises(CatalogError):
        prices.price_at("NotAProvider", "x", "2025-01-01")


def test_gpu_row_validation_rejects_unit_slips():
    good = dict(load_yaml("gpus.yaml")[3])
    hardware._parse_gpu(good, "ok")
    with pytest.raises(CatalogError, match="memory_gb"):
        hardware._parse_gpu({**good, "memory_gb": 80e9}, "bytes-not-GB")
    with pytest.raises(CatalogError, match="sparse"):
        hardware._parse_gpu({**good, "tflops": {"bf16": 989, "fp8": 3958}}, "sparse fp8")
    with pytest.raises(CatalogError, match="source"):
        hardware._parse_gpu({k: v for k, v in good.items() if k != "source"}, "no source")


# ---------------------------------------------------------------- models


def test_model_spec_derived_quantities():
    v3 = get_model("DeepSeek-V3")
    assert v3.is_moe and v3.attention == "mla"
    assert v3.routed_params == 58 * 256 * 44040192
    assert v3.nonrouted_params == pytest.approx(671e9 - 58 * 256 * 44040192)
    mix = get_model("Mixtral-8x7B")
    implied = mix.nonrouted_params + mix.moe_layers * 2 * mix.expert_params
    assert implied == pytest.approx(12.9e9, rel=0.02)


def test_user_described_model():
    m = get_model({"name": "mine", "params": 7e9, "layers": 32, "d_model": 4096, "kv_heads": 8})
    assert m.heads == 32 and m.head_dim == 128 and m.attention == "gqa"
    assert m.active_params == 7e9
    with pytest.raises(CatalogError, match="params"):
        get_model({"params": 7, "layers": 32, "d_model": 4096})  # billions, not a count
    with pytest.raises(CatalogError, match="active_params"):
        get_model({"params": 7e9, "active_params": 8e9, "layers": 32, "d_model": 4096})
    with pytest.raises(CatalogError, match="expert_params"):
        get_model(
            {
                "params": 47e9,
                "active_params": 13e9,
                "layers": 32,
                "d_model": 4096,
                "experts": 8,
                "experts_per_token": 2,
            }
        )
    with pytest.raises(CatalogError, match="kv_lora_rank"):
        get_model({"params": 7e9, "layers": 32, "d_model": 4096, "attention": "mla"})
    with pytest.raises(CatalogError):
        get_model({"params": 7e9, "layers": 32, "d_model": 4096, "bogus": 1})
    assert isinstance(get_model(m), ModelSpec)


# ---------------------------------------------------------------- API prices


def test_price_history_china_price_war_and_openai_drops():
    ds = prices.price_at("DeepSeek", "deepseek-chat", "2024-05-20")
    assert (ds.currency, ds.input_per_million, ds.output_per_million) == ("CNY", 1.0, 2.0)
    db = prices.price_at("ByteDance", "doubao-pro-32k", dt.date(2024, 5, 15))
    assert (db.input_per_million, db.output_per_million) == (0.8, 2.0)
    assert prices.price_at("Qwen", "qwen-long", "2024-06-01").input_per_million == 0.5
    speed = prices.price_at("Baidu", "ernie-speed-8k", "2024-06-01")
    assert speed.input_per_million == 0 and speed.output_per_million == 0
    assert prices.price_at("Baidu", "ernie-speed-8k", "2024-04-01").input_per_million > 0
    assert prices.price_at("Zhipu", "glm-3-turbo", "2024-05-12").input_per_million == 1.0
    o = [
        prices.price_at("OpenAI", m, d).input_per_million
        for m, d in [
            ("gpt-4", "2023-06-01"),
            ("gpt-4-turbo", "2024-01-01"),
            ("gpt-4o", "2024-06-01"),
            ("gpt-4o", "2024-09-01"),
        ]
    ]
    assert o == [30.0, 10.0, 5.0, 2.5]
    hist = prices.price_history("OpenAI", "gpt-4o")
    assert [r.effective_from for r in hist] == sorted(r.effective_from for r in hist)
    assert len(hist) >= 3
    with pytest.raises(CatalogError, match="no price before"):
        prices.price_at("OpenAI", "gpt-4o", "2023-01-01")


def test_every_price_row_is_valid_and_histories_consistent():
    rows = prices.all_rows()
    assert len(rows) > 50
    assert (
        sum(len(prices.price_history(p, m)) > 1 for p, m in {(r.provider, r.model) for r in rows})
        >= 10
    )


def _row(**kw):
    base = {
        "provider": "OpenAI",
        "model": "gpt-4o",
        "currency": "USD",
        "effective_from": "2024-05-13",
        "input_per_million": 5.0,
        "cached_input_per_million": None,
        "output_per_million": 15.0,
        "source": "https://openai.com/pricing",
        "as_of": "2024-05-13",
    }
    return {**base, **kw}


def test_unit_magnitude_guard_rejects_per_1k_prices():
    prices.validate_price_row(_row())
    with pytest.raises(CatalogError, match="per-1K"):
        prices.validate_price_row(_row(input_per_million=0.005, output_per_million=0.015))
    with pytest.raises(CatalogError, match="per-1K"):
        prices.validate_price_row(
            _row(
                provider="ByteDance",
                model="doubao-pro-32k",
                currency="CNY",
                input_per_million=0.0008,
                output_per_million=0.002,
            )
        )
    with pytest.raises(CatalogError, match="per billion"):
        prices.validate_price_row(_row(output_per_million=15000.0))
    with pytest.raises(CatalogError, match="currency"):
        prices.validate_price_row(_row(currency="EUR"))
    with pytest.raises(CatalogError, match="source"):
        prices.validate_price_row(_row(source=""))
    prices.validate_price_row(_row(input_per_million=0, output_per_million=0))  # free is fine


def test_history_guard_catches_a_unit_slip_between_rows():
    rows = [
        _row(),
        _row(effective_from="2024-08-06", input_per_million=2.5, output_per_million=0.01),
    ]
    with pytest.raises(CatalogError, match="unit slip"):
        prices.validate_price_rows(rows)
    with pytest.raises(CatalogError, match="same effective_from"):
        prices.validate_price_rows([_row(), _row()])


def test_price_row_cost_with_cache():
    r = prices.price_at("OpenAI", "gpt-4o", "2024-11-01")
    assert r.cost(1e6, 1e6) == pytest.approx(12.5)
    assert r.cost(1e6, 0, cached_share=0.5) == pytest.approx(0.5 * 2.5 + 0.5 * 1.25)


def test_a_split_flow_row_is_rejected():
    """An unquoted comma in a YAML {...} row silently makes a new key: the loader refuses it."""
    import yaml

    from breakeven.compute.catalog import CatalogError
    from breakeven.compute.hardware import _parse_gpu

    row = yaml.safe_load("""
name: X
memory_gb: 80
memory_bandwidth_tb_s: 2
tflops: {bf16: 300}
tdp_watts: 400
interconnect_gb_s: 600
gpus_per_node: 8
node: "an 8-GPU board (https://example.com/datasheet)"
source: https://example.com/datasheet
as_of: 2024-01-01
rental:
  - {usd_per_hour: 2, provider: Lambda (on-demand, 8x), as_of: 2024-06-01, source: https://example.com/prices}
""")
    with pytest.raises(CatalogError, match="unknown field"):
        _parse_gpu(row, "gpus.yaml[0] X")


# ---------------------------------------------------------------- 2025 rows: repricings, off-peak


def test_deepseek_reasoner_repricings_and_glm_4_plus_cut():
    hist = prices.price_history("DeepSeek", "deepseek-reasoner")
    assert [(str(r.effective_from), r.input_per_million, r.output_per_million) for r in hist] == [
        ("2025-01-20", 4.0, 16.0),  # R1 launch
        ("2025-02-26", 4.0, 16.0),  # same list price, night discount from 2025-02-26
        ("2025-09-06", 4.0, 12.0),  # V3.1: one price for chat and reasoner, discount ended
        ("2025-09-29", 2.0, 3.0),  # V3.2-Exp
    ]
    for d in ("2025-09-10", "2025-10-10"):
        chat, reasoner = (
            prices.price_at("DeepSeek", f"deepseek-{m}", d) for m in ("chat", "reasoner")
        )
        assert chat.same_price(reasoner)
    plus = [r.input_per_million for r in prices.price_history("Zhipu", "glm-4-plus")]
    assert plus == [50.0, 5.0]
    assert prices.price_at("Z.ai", "GLM-4.5", "2025-08-01").currency == "USD"


def test_off_peak_price_blends_by_share_hand_checked():
    r = prices.price_at("DeepSeek", "deepseek-reasoner", "2025-03-01")
    assert r.off_peak is not None and r.off_peak.hours_utc == "16:30-00:30"
    assert r.off_peak.hours_per_day == 8 and r.off_peak.share_of_day == pytest.approx(1 / 3)
    # 75% off for a third of the traffic: 4 x (1 - 0.75/3) = 3; cached 1 x 0.75; 16 x 0.75 = 12
    assert prices.blended_price_per_million(r, 1 / 3) == pytest.approx((3.0, 0.75, 12.0))
    # 1M tokens in (half of them cache hits) and 1M out: 0.5 x 3 + 0.5 x 0.75 + 12 = 13.875 CNY
    assert r.cost(1e6, 1e6, cached_share=0.5, off_peak_share=1 / 3) == pytest.approx(13.875)
    assert r.cost(1e6, 1e6) == pytest.approx(20.0)  # all at peak: 4 + 16
    # all traffic off-peak: DeepSeek's published night prices, CNY 1 / 0.25 / 4 for both models
    chat = prices.price_at("DeepSeek", "deepseek-chat", "2025-03-01")
    for row in (r, chat):
        assert prices.blended_price_per_million(row, 1.0) == pytest.approx((1.0, 0.25, 4.0))
    shares = np.array([0.0, 0.5, 1.0])
    assert np.allclose(prices.blended_price_per_million(chat, shares)[2], [8.0, 6.0, 4.0])
    # the discount ended with V3.1 (2025-09-05 16:00 UTC): the share no longer matters
    after = prices.price_at("DeepSeek", "deepseek-reasoner", "2025-09-10")
    assert after.off_peak is None
    assert prices.blended_price_per_million(after, 1.0) == (4.0, 0.5, 12.0)
    with pytest.raises(CatalogError, match="off_peak_share"):
        prices.blended_price_per_million(r, 1.5)
    # price_path replays it month by month (CNY, no conversion): March 2025 at a third off-peak
    pin, pout = prices.price_path(
        "DeepSeek", "deepseek-reasoner", dt.date(2025, 3, 1), 1, lambda c: 1.0, off_peak_share=1 / 3
    )
    assert (pin[0, 0], pout[0, 0]) == pytest.approx((3.0, 12.0))


def test_price_rows_are_the_price_paths_months():
    """Blocks read a catalog model's prices a month at a time (price_rows); price_path stacks
    them: the same numbers, per sample, across repricings and the forecast after the last."""
    shares, change = np.array([0.0, 0.4, 0.9]), np.array([-0.5, -0.2, 0.0])
    args = ("DeepSeek", "deepseek-reasoner", dt.date(2024, 12, 1), 30, lambda c: 0.14)
    kw = dict(cached_share=shares, discount=0.1, change_per_year=change, off_peak_share=shares)
    pin, pout = prices.price_path(*args, **kw)
    rows = list(prices.price_rows(*args, **kw))
    assert pin.shape == pout.shape == (30, 3) and len(rows) == 30
    for t, (a, b) in enumerate(rows):
        assert a.tobytes() == pin[t].tobytes() and b.tobytes() == pout[t].tobytes()
    assert len(np.unique(pin[:, 1])) > 3  # repriced, then the forecast change
    assert prices.price_path(*args[:3], 0, args[4])[0].shape == (0, 1)


def test_off_peak_rows_are_validated():
    good = {"hours_utc": "16:30-00:30", "input_discount": 0.5, "output_discount": 0.75}
    r = prices.validate_price_row(_row(off_peak=good))
    assert r.off_peak == prices.OffPeak("16:30-00:30", 0.5, 0.75)
    assert r.to_row()["off_peak"] == good and r.to_row()["catalog"] == "shipped"
    whole_day = prices.validate_off_peak({**good, "hours_utc": "00:00-24:00"}, "here")
    assert whole_day.hours_per_day == 24 and whole_day.share_of_day == 1
    for bad, field in [
        ({**good, "hours_utc": "25:00-01:00"}, "off_peak.hours_utc"),
        ({**good, "hours_utc": "16:30-16:30"}, "off_peak.hours_utc"),
        ({**good, "input_discount": 1.5}, "off_peak.input_discount"),
        ({**good, "peak": 2}, "off_peak.peak"),
        ({"hours_utc": "16:30-00:30"}, "off_peak.input_discount"),
        ("half price at night", "off_peak"),
    ]:
        with pytest.raises(prices.PriceRowError) as e:
            prices.validate_price_row(_row(off_peak=bad), "here")
        assert e.value.field == field and e.value.message.startswith(f"here: {field}: ")


# ---------------------------------------------------------------- 2025 open-weight models

# config.json fields of each model (see the row's source), recounted here independently of the
# catalog: attention (GQA, or MLA with q_lora), dense FFN layers, routed and shared experts,
# routers, embeddings and output head.
NEW_MODEL_CONFIGS = {
    "Qwen3-235B-A22B": dict(
        hidden=4096, layers=94, vocab=151936, heads=64, kv=4, head_dim=128,
        moe_layers=94, experts=128, top_k=8, moe_ff=1536, card=(235e9, 22e9),
    ),
    "Qwen3-30B-A3B": dict(
        hidden=2048, layers=48, vocab=151936, heads=32, kv=4, head_dim=128,
        moe_layers=48, experts=128, top_k=8, moe_ff=768, card=(30.5e9, 3.3e9),
    ),
    "Qwen3-32B": dict(
        hidden=5120, layers=64, vocab=151936, heads=64, kv=8, head_dim=128, ffn=25600,
        card=(32.8e9, 32.8e9),
    ),
    "Llama-4-Scout-17B-16E": dict(
        hidden=5120, layers=48, vocab=202048, heads=40, kv=8, head_dim=128,
        moe_layers=48, experts=16, top_k=1, shared=1, moe_ff=8192, card=(109e9, 17e9),
    ),
    "Llama-4-Maverick-17B-128E": dict(
        hidden=5120, layers=48, vocab=202048, heads=40, kv=8, head_dim=128, ffn=16384,
        moe_layers=24, experts=128, top_k=1, shared=1, moe_ff=8192, card=(400e9, 17e9),
    ),
    "Kimi-K2": dict(
        hidden=7168, layers=61, vocab=163840, heads=64, q_lora=1536, kv_lora=512, nope=128,
        rope=64, v=128, ffn=18432, moe_layers=60, experts=384, top_k=8, shared=1, moe_ff=2048,
        card=(1e12, 32e9),
    ),
    "GLM-4.5": dict(
        hidden=5120, layers=92, vocab=151552, heads=96, kv=8, head_dim=128, qkv_bias=True,
        ffn=12288, moe_layers=89, experts=160, top_k=8, shared=1, moe_ff=1536,
        card=(355e9, 32e9),
    ),
    "GLM-4.5-Air": dict(
        hidden=4096, layers=46, vocab=151552, heads=96, kv=8, head_dim=128, qkv_bias=True,
        ffn=10944, moe_layers=45, experts=128, top_k=8, shared=1, moe_ff=1408,
        card=(106e9, 12e9),
    ),
}  # fmt: skip


def _recount(c):
    d, h = c["hidden"], c["heads"]
    if "kv_lora" in c:  # MLA (DeepSeek-V3 layout)
        qk = c["nope"] + c["rope"]
        attn = (
            d * c["q_lora"] + c["q_lora"] * h * qk
            + d * (c["kv_lora"] + c["rope"]) + c["kv_lora"] * h * (c["nope"] + c["v"])
            + h * c["v"] * d
        )  # fmt: skip
    else:
        hd, kv = c["head_dim"], c["kv"]
        attn = 2 * d * h * hd + 2 * d * kv * hd + (h * hd + 2 * kv * hd) * c.get("qkv_bias", 0)
    moe, experts = c.get("moe_layers", 0), c.get("experts", 0)
    expert = 3 * d * c.get("moe_ff", 0)
    ffn = (c["layers"] - moe) * 3 * d * c.get("ffn", 0)
    ffn += moe * ((experts + c.get("shared", 0)) * expert + d * experts)
    total = c["layers"] * attn + ffn + 2 * c["vocab"] * d
    active = total - moe * (experts - c.get("top_k", 0)) * expert
    return total, active, expert


@pytest.mark.parametrize("name", list(NEW_MODEL_CONFIGS))
def test_new_models_recount_from_their_configs(name):
    c = NEW_MODEL_CONFIGS[name]
    m = get_model(name)
    total, active, expert = _recount(c)
    assert (m.layers, m.d_model, m.heads, m.vocab) == (
        c["layers"],
        c["hidden"],
        c["heads"],
        c["vocab"],
    )
    assert m.params == pytest.approx(total, rel=0.002)
    assert m.active_params == pytest.approx(active, rel=0.002)
    if m.is_moe:
        assert m.expert_params == expert
        assert (m.experts, m.experts_per_token, m.moe_layers) == (
            c["experts"], c["top_k"], c["moe_layers"],
        )  # fmt: skip
        assert m.shared_experts == c.get("shared", 0)
        # the layout reproduces the active count: non-routed + top-k experts per MoE layer
        implied = m.nonrouted_params + m.moe_layers * m.experts_per_token * m.expert_params
        assert implied == pytest.approx(m.active_params, rel=0.005)
    # and the model cards' rounded totals (Llama 4: the card adds the vision encoder; GLM's
    # active count leaves out the embedding and output head)
    card_total, card_active = c["card"]
    assert m.params == pytest.approx(card_total, rel=0.03)
    assert m.active_params == pytest.approx(card_active, rel=0.12)


def test_new_models_attention_layouts():
    assert get_model("DeepSeek-R1").name == "DeepSeek-V3"  # R1 stays an alias of V3
    k2 = get_model("kimi k2")
    assert k2.attention == "mla" and k2.kv_elements_per_token() == 61 * (512 + 64)
    assert get_model("Qwen3-235B-A22B").kv_elements_per_token() == 2 * 94 * 4 * 128
    assert get_model("llama 4 maverick").moe_layers == 24
    assert get_model("GLM-4.5").kv_heads == 8
