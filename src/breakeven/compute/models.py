"""Model architectures: the numbers the roofline needs, from the catalog or described by the user.

A :class:`ModelSpec` holds parameter counts, attention layout (MHA / GQA / MQA / MLA) and, for
mixture-of-experts models, the routed-expert layout, so that the inference estimator can count
bytes read per decode step (weights + KV cache) and FLOPs per token.
"""

from __future__ import annotations

import datetime as _dt
from functools import lru_cache
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .catalog import CatalogError, load_yaml, lookup, require_source

Attention = Literal["mha", "gqa", "mqa", "mla"]


class ModelSpec(BaseModel):
    """One transformer language model, dense or mixture-of-experts.

    Counts are plain numbers (``params=7e9``). Only ``params``, ``layers`` and ``d_model`` are
    required for a user-described dense model; the rest default sensibly (``heads = d_model/128``,
    ``kv_heads = heads``, ``head_dim = d_model/heads``, ``active_params = params``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "custom"
    params: float = Field(gt=1e6, lt=1e14, description="total parameters")
    active_params: float | None = Field(
        default=None, gt=1e6, lt=1e14, description="parameters used per token (MoE: < params)"
    )
    layers: int = Field(gt=0, le=1000)
    d_model: int = Field(gt=0, le=100_000)
    heads: int | None = Field(default=None, gt=0, le=1024)
    kv_heads: int | None = Field(default=None, gt=0, le=1024)
    head_dim: int | None = Field(default=None, gt=0, le=1024)
    attention: Attention | None = None
    ffn_dim: int | None = Field(default=None, gt=0)
    experts: int = Field(default=0, ge=0, le=4096, description="routed experts per MoE layer")
    experts_per_token: int = Field(default=0, ge=0, le=256)
    shared_experts: int = Field(default=0, ge=0, le=64)
    moe_layers: int | None = Field(default=None, ge=0)
    expert_params: float | None = Field(
        default=None, gt=0, description="parameters of one routed expert in one layer"
    )
    kv_lora_rank: int | None = Field(default=None, gt=0)
    qk_rope_head_dim: int | None = Field(default=None, ge=0)
    vocab: int | None = Field(default=None, gt=0)
    max_context: int | None = Field(default=None, gt=0)
    source: str | None = None
    as_of: _dt.date | None = None
    aliases: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        d = dict(data)
        if d.get("d_model") and not d.get("heads"):
            d["heads"] = max(1, int(d["d_model"]) // 128)
        if d.get("heads") and not d.get("kv_heads"):
            att = d.get("attention")
            d["kv_heads"] = 1 if att == "mqa" else d["heads"]
        if d.get("d_model") and d.get("heads") and not d.get("head_dim"):
            d["head_dim"] = max(1, int(d["d_model"]) // int(d["heads"]))
        if not d.get("attention") and d.get("heads"):
            kv, h = d.get("kv_heads"), d["heads"]
            d["attention"] = (
                "mla"
                if d.get("kv_lora_rank")
                else ("mha" if kv == h else "mqa" if kv == 1 else "gqa")
            )
        if d.get("active_params") is None and d.get("params") is not None:
            d["active_params"] = d["params"]
        if d.get("experts") and d.get("moe_layers") is None and d.get("layers"):
            d["moe_layers"] = d["layers"]
        if isinstance(d.get("aliases"), list):
            d["aliases"] = tuple(d["aliases"])
        return d

    @model_validator(mode="after")
    def _check(self) -> ModelSpec:
        # _defaults derived these from params and d_model: they are set by now
        active_params = cast(float, self.active_params)
        heads, kv_heads = cast(int, self.heads), cast(int, self.kv_heads)
        if active_params > self.params * 1.0001:
            raise ValueError(
                f"active_params ({active_params:.3g}) exceeds params ({self.params:.3g})"
            )
        if kv_heads > heads:
            raise ValueError(f"kv_heads ({kv_heads}) exceeds heads ({heads})")
        if heads % kv_heads:
            raise ValueError(f"heads ({heads}) must be a multiple of kv_heads ({kv_heads})")
        if self.attention == "mla":
            if not self.kv_lora_rank or self.qk_rope_head_dim is None:
                raise ValueError("attention mla needs kv_lora_rank and qk_rope_head_dim")
        if self.attention == "mha" and self.kv_heads != self.heads:
            raise ValueError("attention mha needs kv_heads == heads")
        if self.attention == "mqa" and self.kv_heads != 1:
            raise ValueError("attention mqa needs kv_heads == 1")
        # a parameter-count sanity check catches params entered in billions (7 instead of 7e9)
        expected = 12 * self.d_model**2 * self.layers + (self.vocab or 0) * self.d_model
        if self.experts == 0 and not 0.25 * expected < self.params < 4 * expected:
            raise ValueError(
                f"params ({self.params:.3g}) do not fit {self.layers} layers of "
                f"width {self.d_model} (expected about {expected:.3g}; "
                "enter counts as plain numbers such as 7e9)"
            )
        if self.experts:
            if not 0 < self.experts_per_token <= self.experts:
                raise ValueError("experts_per_token must be between 1 and experts")
            if not self.expert_params:
                raise ValueError(
                    "a mixture-of-experts model needs expert_params (params of one "
                    "routed expert in one layer)"
                )
            if self.moe_layers is None or not 0 < self.moe_layers <= self.layers:
                raise ValueError("moe_layers must be between 1 and layers")
            routed = self.routed_params
            if routed >= self.params:
                raise ValueError(
                    f"moe_layers*experts*expert_params ({routed:.3g}) exceeds params "
                    f"({self.params:.3g})"
                )
            implied = (
                self.params - routed + self.moe_layers * self.experts_per_token * self.expert_params
            )
            if abs(implied / active_params - 1) > 0.15:
                raise ValueError(
                    f"active_params ({active_params:.3g}) disagrees with the "
                    f"expert layout, which implies {implied:.3g}"
                )
        elif active_params < self.params * 0.9999:
            raise ValueError("a dense model (experts: 0) has active_params == params")
        return self

    # ------------------------------------------------------------ derived

    @property
    def is_moe(self) -> bool:
        return self.experts > 0

    @property
    def routed_params(self) -> float:
        """Parameters in routed experts (all of them): moe_layers · experts · expert_params."""
        if not self.is_moe:
            return 0.0
        assert self.moe_layers is not None and self.expert_params is not None  # MoE: validated
        return float(self.moe_layers * self.experts * self.expert_params)

    @property
    def nonrouted_params(self) -> float:
        """Attention, dense FFNs, shared experts, norms, embeddings: read on every decode step."""
        return float(self.params - self.routed_params)

    @property
    def attention_dim(self) -> int:
        """heads · head_dim: width of the attention score/value products (FLOPs per context token)."""
        assert self.heads is not None and self.head_dim is not None  # derived by _defaults
        return int(self.heads * self.head_dim)

    def kv_elements_per_token(self) -> int:
        """Elements cached per token over all layers.

        MHA/GQA/MQA: 2 · layers · kv_heads · head_dim (keys and values).
        MLA: layers · (kv_lora_rank + qk_rope_head_dim) — the compressed latent plus the decoupled
        RoPE key (DeepSeek-V2, arXiv:2405.04434, section 2.1.2 and Table 1).
        """
        if self.attention == "mla":
            assert self.kv_lora_rank is not None and self.qk_rope_head_dim is not None  # validated
            return int(self.layers * (self.kv_lora_rank + self.qk_rope_head_dim))
        assert self.kv_heads is not None and self.head_dim is not None  # derived by _defaults
        return int(2 * self.layers * self.kv_heads * self.head_dim)

    def to_row(self) -> dict:
        d = self.model_dump(mode="json")
        d.pop("aliases", None)
        return d


@lru_cache(maxsize=1)
def _catalog() -> tuple[dict[str, ModelSpec], dict[str, str]]:
    rows = load_yaml("models.yaml")
    out: dict[str, ModelSpec] = {}
    aliases: dict[str, str] = {}
    for i, row in enumerate(rows):
        where = f"models.yaml[{i}] {row.get('name', '?')}"
        require_source(row, where)
        try:
            spec = ModelSpec(**row)
        except ValidationError as exc:
            raise CatalogError(f"{where}: {_first_error(exc)}") from exc
        out[spec.name] = spec
        for a in spec.aliases:
            aliases[a] = spec.name
    return out, aliases


def _first_error(exc: ValidationError) -> str:
    e = exc.errors()[0]
    loc = ".".join(str(x) for x in e.get("loc", ()))
    msg = e.get("msg", str(exc)).removeprefix("Value error, ")
    return f"{loc}: {msg}" if loc else msg


def list_models() -> list[ModelSpec]:
    """All catalog models, in file order."""
    return list(_catalog()[0].values())


def get_model(name_or_spec: str | dict | ModelSpec) -> ModelSpec:
    """A catalog model by (case/punctuation-insensitive) name, or a user-described one.

    ``get_model("llama 3.1 8b")`` → catalog row; ``get_model({"params": 7e9, "layers": 32,
    "d_model": 4096})`` → validated custom spec. Raises :class:`CatalogError` otherwise.
    """
    if isinstance(name_or_spec, ModelSpec):
        return name_or_spec
    if isinstance(name_or_spec, dict):
        try:
            return ModelSpec(**name_or_spec)
        except ValidationError as exc:
            raise CatalogError(f"model: {_first_error(exc)}") from exc
    models, aliases = _catalog()
    return lookup(models, name_or_spec, "model", aliases)
