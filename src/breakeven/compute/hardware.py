"""Accelerators: memory, bandwidth, dense tensor throughput per precision, power, prices.

Rows come from ``data/gpus.yaml`` and are validated at load (units, plausible bounds, a source and
an as_of date on every row and every price).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .catalog import (
    CatalogError,
    as_date,
    check_keys,
    check_range,
    load_yaml,
    lookup,
    require_source,
)

PRECISIONS = ("bf16", "fp16", "fp8", "int8", "int4", "fp4")
GIB = 2**30  # HBM capacities ("80 GB") are binary: an H100 reports 81,559 MiB


@dataclass(frozen=True)
class RentalPrice:
    usd_per_hour: float
    provider: str
    as_of: _dt.date
    source: str


@dataclass(frozen=True)
class GPU:
    """One accelerator. ``tflops`` holds DENSE tensor TFLOPS by precision (None = unsupported)."""

    name: str
    vendor: str
    memory_gb: float
    memory_bandwidth_tb_s: float
    tflops: dict[str, float | None]
    tdp_watts: float
    interconnect_gb_s: float
    source: str
    as_of: _dt.date
    rental: tuple[RentalPrice, ...] = ()
    purchase_price_usd: float | None = None
    purchase_as_of: _dt.date | None = None
    purchase_source: str | None = None
    architecture: str = ""
    interconnect: str = ""
    scale_out_gb_s: float | None = None
    scale_out: str = ""
    gpus_per_node: int = 8
    node: str = ""
    aliases: tuple[str, ...] = field(default=())

    @property
    def memory_bytes(self) -> float:
        return self.memory_gb * GIB

    @property
    def memory_bandwidth_bytes_s(self) -> float:
        return self.memory_bandwidth_tb_s * 1e12

    def peak_flops(self, precision: str) -> float:
        """Dense tensor FLOP/s for the arithmetic a given *weight* precision runs in.

        bf16/fp16 → bf16 peak. fp8 → fp8 peak, falling back to bf16 on GPUs without fp8 (weights
        are up-cast). int8 → int8 peak (W8A8) or bf16. int4 and fp4 weight-only formats compute in
        bf16 (W4A16: weights are de-quantised in the kernel), except fp4 on GPUs with native fp4.
        """
        p = precision.lower()
        if p not in PRECISIONS:
            raise CatalogError(
                f"unknown precision {precision!r}; choose one of {', '.join(PRECISIONS)}"
            )
        bf16 = self.tflops.get("bf16") or self.tflops.get("fp16")
        if p in ("bf16", "fp16"):
            t = bf16
        elif p in ("fp8", "int8", "fp4"):
            t = self.tflops.get(p) or bf16
        else:
            t = bf16
        assert t is not None  # every GPU has a bf16 (or fp16) figure: the catalog requires it
        return float(t) * 1e12

    def latest_rental(self) -> RentalPrice | None:
        """The most recent rental price (ties on the same date: the cheapest offer)."""
        if not self.rental:
            return None
        newest = max(r.as_of for r in self.rental)
        return min((r for r in self.rental if r.as_of == newest), key=lambda r: r.usd_per_hour)

    def to_row(self) -> dict[str, Any]:
        """A JSON-ready dict (for ``breakeven gpus --json``)."""
        latest = self.latest_rental()
        return {
            "name": self.name,
            "vendor": self.vendor,
            "architecture": self.architecture,
            "memory_gb": self.memory_gb,
            "memory_bandwidth_tb_s": self.memory_bandwidth_tb_s,
            "tflops_dense": dict(self.tflops),
            "tdp_watts": self.tdp_watts,
            "interconnect_gb_s": self.interconnect_gb_s,
            "interconnect": self.interconnect,
            "scale_out_gb_s": self.scale_out_gb_s,
            "scale_out": self.scale_out,
            "gpus_per_node": self.gpus_per_node,
            "node": self.node,
            "rental": [
                {
                    "usd_per_hour": r.usd_per_hour,
                    "provider": r.provider,
                    "as_of": r.as_of.isoformat(),
                    "source": r.source,
                }
                for r in self.rental
            ],
            "latest_rental_usd_per_hour": latest.usd_per_hour if latest else None,
            "purchase_price_usd": self.purchase_price_usd,
            "purchase_as_of": self.purchase_as_of.isoformat() if self.purchase_as_of else None,
            "purchase_source": self.purchase_source,
            "source": self.source,
            "as_of": self.as_of.isoformat(),
        }


GPU_KEYS = (
    "name",
    "vendor",
    "architecture",
    "memory_gb",
    "memory_bandwidth_tb_s",
    "tflops",
    "tdp_watts",
    "interconnect_gb_s",
    "interconnect",
    "scale_out_gb_s",
    "scale_out",
    "gpus_per_node",
    "node",
    "rental",
    "purchase_price_usd",
    "aliases",
    "source",
    "as_of",
    "notes",
)


def _parse_gpu(row: dict, where: str) -> GPU:
    check_keys(row, GPU_KEYS, where)
    require_source(row, where)
    for key in (
        "name",
        "memory_gb",
        "memory_bandwidth_tb_s",
        "tflops",
        "tdp_watts",
        "interconnect_gb_s",
        "gpus_per_node",
        "node",
    ):
        if key not in row:
            raise CatalogError(f"{where}: missing {key}")
    tf = row["tflops"]
    if not isinstance(tf, dict) or tf.get("bf16") is None:
        raise CatalogError(f"{where}.tflops: needs at least a bf16 figure")
    tflops: dict[str, float | None] = {}
    for k, v in tf.items():
        if k not in PRECISIONS:
            raise CatalogError(f"{where}.tflops: unknown precision {k!r}")
        # dense TFLOPS of any accelerator made so far: 10 .. 20,000 (catches sparse-vs-dense only
        # loosely; the bf16 <= fp8 <= 2x bf16 check below catches the sparse figure)
        tflops[k] = check_range(v, 10, 20_000, f"{where}.tflops.{k}", "TFLOPS", allow_none=True)
    bf16, fp8 = tflops["bf16"], tflops.get("fp8")
    assert bf16 is not None  # checked above
    if fp8 and not bf16 <= fp8 <= 2.05 * bf16:
        raise CatalogError(
            f"{where}.tflops: fp8 should be 1-2x the dense bf16 figure "
            f"(got bf16 {tflops['bf16']}, fp8 {tflops['fp8']}); sparse figure?"
        )
    rentals = []
    for j, r in enumerate(row.get("rental") or []):
        w = f"{where}.rental[{j}]"
        check_keys(r, ("usd_per_hour", "provider", "as_of", "source"), w)
        require_source(r, w)
        rentals.append(
            RentalPrice(
                usd_per_hour=check_range(
                    r.get("usd_per_hour"), 0.05, 50, f"{w}.usd_per_hour", "USD/h"
                ),
                provider=str(r.get("provider", "?")),
                as_of=as_date(r["as_of"], f"{w}.as_of"),
                source=str(r["source"]),
            )
        )
    pp = row.get("purchase_price_usd")
    price = p_asof = p_src = None
    if pp is not None:
        w = f"{where}.purchase_price_usd"
        if not isinstance(pp, dict):
            raise CatalogError(f"{w}: expected {{value, as_of, source}}")
        check_keys(pp, ("value", "as_of", "source"), w)
        require_source(pp, w)
        price = check_range(pp.get("value"), 300, 200_000, f"{w}.value", "USD")
        p_asof, p_src = as_date(pp["as_of"], f"{w}.as_of"), str(pp["source"])
    if isinstance(row.get("gpus_per_node"), float | str):
        raise CatalogError(f"{where}.gpus_per_node: a whole number of GPUs")
    if row.get("scale_out_gb_s") is not None and not row.get("scale_out"):
        raise CatalogError(f"{where}.scale_out: name the source of scale_out_gb_s")
    return GPU(
        name=str(row["name"]),
        vendor=str(row.get("vendor", "")),
        memory_gb=check_range(row["memory_gb"], 4, 1024, f"{where}.memory_gb", "GB"),
        memory_bandwidth_tb_s=check_range(
            row["memory_bandwidth_tb_s"], 0.05, 30, f"{where}.memory_bandwidth_tb_s", "TB/s"
        ),
        tflops=tflops,
        tdp_watts=check_range(row["tdp_watts"], 20, 3000, f"{where}.tdp_watts", "W"),
        interconnect_gb_s=check_range(
            row["interconnect_gb_s"], 1, 10_000, f"{where}.interconnect_gb_s", "GB/s"
        ),
        source=str(row["source"]),
        as_of=as_date(row["as_of"], f"{where}.as_of"),
        rental=tuple(rentals),
        purchase_price_usd=price,
        purchase_as_of=p_asof,
        purchase_source=p_src,
        architecture=str(row.get("architecture", "")),
        interconnect=str(row.get("interconnect", "")),
        scale_out_gb_s=check_range(
            row.get("scale_out_gb_s"),
            1,
            1_000,
            f"{where}.scale_out_gb_s",
            "GB/s",
            allow_none=True,
        ),
        scale_out=str(row.get("scale_out", "")),
        gpus_per_node=int(
            check_range(row["gpus_per_node"], 1, 1024, f"{where}.gpus_per_node", "GPUs")
        ),
        node=str(row["node"]),
        aliases=tuple(row.get("aliases") or ()),
    )


@lru_cache(maxsize=1)
def _catalog() -> tuple[dict[str, GPU], dict[str, str]]:
    out: dict[str, GPU] = {}
    aliases: dict[str, str] = {}
    for i, row in enumerate(load_yaml("gpus.yaml")):
        g = _parse_gpu(row, f"gpus.yaml[{i}] {row.get('name', '?')}")
        out[g.name] = g
        for a in g.aliases:
            aliases[a] = g.name
    return out, aliases


def list_gpus() -> list[GPU]:
    """All catalog GPUs, in file order."""
    return list(_catalog()[0].values())


def get_gpu(name: str | GPU) -> GPU:
    """A GPU by case/punctuation-insensitive name or alias (``"h100 sxm"``, ``"H100"``)."""
    if isinstance(name, GPU):
        return name
    gpus, aliases = _catalog()
    return lookup(gpus, name, "GPU", aliases)


def default_gpu_hour_price(gpu: str | GPU) -> float:
    """USD per GPU-hour: the latest catalog rental price; CatalogError if the catalog has none."""
    g = get_gpu(gpu)
    r = g.latest_rental()
    if r is None:
        raise CatalogError(f"no rental price for {g.name} in the catalog; give --gpu-hour-price")
    return r.usd_per_hour
