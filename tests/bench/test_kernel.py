"""The compiled yardstick of bench/kernel.py stays honest: on the shipped example it gives the
engine's metrics to 1e-12 — to the bit on this project's machine (no timing here)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

import breakeven

pytest.importorskip(
    "numba", reason="numba is not installed: pip install -e '.[test]' (or '.[bench]')"
)

BENCH = Path(__file__).resolve().parents[2] / "bench" / "kernel.py"


@pytest.fixture(scope="module")
def kernel() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_kernel", BENCH)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("workers", [1, 2])
def test_kernel_gives_the_engines_metrics(kernel: ModuleType, workers: int) -> None:
    sc = breakeven.load(kernel.EXAMPLE)
    c = kernel.compare(sc, 2_000, seed=7, keep=300, workers=workers)
    # bit-identical on this project's machine (bench/kernel.py reports it); a CPU whose libm
    # differs from numpy's exp in the last bit may not be, so the test allows 1e-12
    assert c["metrics_nan_same"] and c["metrics_rel"] < 1e-12, c["metrics"]
    assert c["inputs"]
    assert c["ledger_sum_rel"] < 1e-12 and c["kpi_sum_rel"] < 1e-12
    assert 0.0 < c["p_breakeven"] < 1.0  # a plan where break-even is uncertain: not trivial


def test_kernel_differs_on_another_seed(kernel: ModuleType) -> None:
    """The comparison can fail: another seed's samples give other metrics."""
    sc = breakeven.load(kernel.EXAMPLE)
    a = kernel.kernel_run(sc, 500, seed=1)
    b = breakeven.simulate(sc, samples=500, seed=2)
    assert not np.array_equal(a.metrics["npv"], b.metrics["npv"])
