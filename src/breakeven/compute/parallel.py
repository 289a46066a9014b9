"""How a deployment is laid out across GPUs and nodes, and what its communication costs.

Three layouts of one serving replica of ``nodes × gpus_per_node`` GPUs:

* ``tp`` — tensor parallelism over every GPU of the replica (Shoeybi et al., Megatron-LM,
  arXiv:1909.08053): weights, FLOPs and (up to kv_heads ways) the KV cache are split; each layer
  ends in two all-reduces of the batch's activations. Across nodes those all-reduces cross the
  scale-out network.
* ``pp`` — tensor parallelism within a node, pipeline parallelism across nodes (Narayanan et al.
  2021, arXiv:2104.04473): each node holds ``layers / nodes`` layers; ``nodes`` micro-batches are
  in flight, so a token step of the whole batch takes ``nodes`` stage times; stages hand
  activations to the next node point-to-point.
* ``ep`` — data-parallel attention with expert parallelism (DeepSeek-V3, arXiv:2412.19437,
  section 3.4; DeepSeek, "Day 6: DeepSeek-V3/R1 Inference System Overview", 2025): every GPU runs
  attention and the non-routed weights for its own sequences (so an MLA latent cache is sharded
  by sequence, not replicated), and holds ``experts / gpus`` routed experts of every MoE layer;
  each MoE layer dispatches every token to its k experts and combines the results, two
  all-to-alls over NVLink within a node and the network between nodes.

Communication uses the alpha-beta (Hockney) model, t = α + bytes / bandwidth, with the
bandwidth-optimal ring all-reduce moving 2 (n − 1) / n of the message per GPU (Patarasuk & Yuan,
"Bandwidth optimal all-reduce algorithms for clusters of workstations", JPDC 2009) and an
all-to-all moving (n − 1) / n of it, split between intra- and inter-node links. Communication
that runs beside computation (the two-micro-batch overlap of DeepSeek and SGLang) hides a share
``overlap`` of the shorter of the two: t = compute + comm − overlap · min(compute, comm).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import CatalogError
from .hardware import GPU

LAYOUTS = ("tp", "pp", "ep")


@dataclass(frozen=True)
class Layout:
    """One serving replica: ``kind`` (tp, pp or ep) over ``nodes`` × ``gpus_per_node`` GPUs."""

    kind: str = "tp"
    nodes: int = 1
    gpus_per_node: int = 1

    @property
    def gpus(self) -> int:
        return self.nodes * self.gpus_per_node

    @property
    def tp(self) -> int:
        """Tensor-parallel degree: all GPUs (tp), a node (pp), none (ep: attention is DP)."""
        return {"tp": self.gpus, "pp": self.gpus_per_node, "ep": 1}[self.kind]

    @property
    def pp(self) -> int:
        """Pipeline stages: one per node under pp, else 1."""
        return self.nodes if self.kind == "pp" else 1

    @property
    def ep(self) -> int:
        """Expert-parallel degree (= the data-parallel degree of attention): all GPUs under ep."""
        return self.gpus if self.kind == "ep" else 1

    def describe(self) -> str:
        """``EP16 (DP-attention) over 2 nodes x 8``, ``TP8``, ``TP8 x PP2 over 2 nodes x 8``."""
        where = f" over {self.nodes} nodes x {self.gpus_per_node}" if self.nodes > 1 else ""
        if self.kind == "ep":
            return f"EP{self.ep} (DP attention){where}"
        if self.kind == "pp":
            return f"TP{self.tp} x PP{self.pp}{where}"
        return f"TP{self.tp}{where}"


def make_layout(kind: str = "tp", nodes: int = 1, gpus_per_node: int = 1) -> Layout:
    """A checked :class:`Layout` (CatalogError on an unknown kind or a count below 1)."""
    k = str(kind).lower()
    if k not in LAYOUTS:
        raise CatalogError(f"unknown layout {kind!r}; choose one of {', '.join(LAYOUTS)}")
    for name, v in (("nodes", nodes), ("gpus per node", gpus_per_node)):
        if int(v) != v or v < 1:
            raise CatalogError(f"{name} must be a whole number >= 1 (got {v})")
    if k == "pp" and nodes < 2:
        k = "tp"  # one stage is plain tensor parallelism
    return Layout(k, int(nodes), int(gpus_per_node))


def link_bandwidths_bytes_s(gpu: GPU, layout: Layout, utilisation: Any) -> tuple[Any, Any]:
    """(intra-node, inter-node) bandwidth per GPU per direction, in bytes/s, at ``utilisation``.

    Intra-node: half the catalog's bidirectional scale-up figure (NVLink 4 on H100: 900 GB/s both
    ways → 450 GB/s each way). Inter-node: the catalog's scale-out figure per GPU (one 400 Gb/s
    NIC per GPU → 50 GB/s). CatalogError when a multi-node layout needs a figure the catalog
    lacks.
    """
    u = np.asarray(utilisation, dtype=float)
    intra = gpu.interconnect_gb_s / 2.0 * 1e9 * u
    if layout.nodes > 1 and gpu.scale_out_gb_s is None:
        raise CatalogError(
            f"{gpu.name} has no scale-out (network) bandwidth in the catalog, so a layout over "
            f"{layout.nodes} nodes cannot be costed; use one node"
        )
    inter = (gpu.scale_out_gb_s or gpu.interconnect_gb_s / 2.0) * 1e9 * u
    return intra, inter


def allreduce_time_s(
    message_bytes: Any, n: int, bandwidth_bytes_s: Any, latency_s: Any
) -> np.ndarray:
    """All-reduce of one message over ``n`` GPUs: α + 2 (n − 1) / n · bytes / bw.

    The bandwidth term is the ring's, the least any all-reduce moves per GPU (Patarasuk & Yuan
    2009). α is one collective's start-up time as measured for a whole small all-reduce
    (``collective_latency_us``: NCCL's tuning model, inference engines' one-shot kernels), so it
    is paid once, not at each of the ring's 2 (n − 1) steps: small messages go by latency-bound
    algorithms (tree, one-shot), not hop by hop. A 16.8 MB message over 4 GPUs at 450 GB/s and
    α = 0: 2·3/4 · 16.8e6 / 450e9 = 56 µs.
    """
    if n <= 1:
        return np.zeros_like(np.asarray(message_bytes, dtype=float))
    m = np.asarray(message_bytes, dtype=float)
    return np.asarray(latency_s, float) + 2.0 * (n - 1) * m / n / bandwidth_bytes_s


def alltoall_time_s(
    bytes_per_gpu: Any,
    n: int,
    per_node: int,
    intra_bytes_s: Any,
    inter_bytes_s: Any,
    latency_s: Any,
) -> np.ndarray:
    """All-to-all in which each of ``n`` GPUs sends ``bytes_per_gpu`` spread evenly over all n.

    A share (per_node − 1) / n goes over NVLink, (n − per_node) / n over the network; the two
    links run at once, so the time is the slower of the two, plus one latency α.
    """
    if n <= 1:
        return np.zeros_like(np.asarray(bytes_per_gpu, dtype=float))
    b = np.asarray(bytes_per_gpu, dtype=float)
    local = min(per_node, n)
    intra = b * (local - 1) / n / intra_bytes_s
    inter = b * (n - local) / n / inter_bytes_s
    return np.asarray(latency_s, float) + np.maximum(intra, inter)


def overlapped_s(compute_s: Any, comm_s: Any, overlap: Any) -> np.ndarray:
    """compute + comm − overlap · min(compute, comm): overlap 0 is serial, 1 is max(compute, comm)."""
    c, m = np.asarray(compute_s, float), np.asarray(comm_s, float)
    return c + m - np.asarray(overlap, float) * np.minimum(c, m)
