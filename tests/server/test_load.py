"""A bounded load test on loopback: ``breakeven serve`` in a subprocess, 50 clients at once
posting ``/api/simulate`` (2,000 samples each) for ``BREAKEVEN_LOAD_SECONDS`` (default 5 s:
with the server's start and the requests still queued at the end, about 10 s; at most 30 s),
with no server error and no request left without an answer.

The figures (requests, p50/p95 latency) are printed here and reported by ``bench/serve.py
--load``; nothing asserts on timing.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECONDS = min(30.0, float(os.environ.get("BREAKEVEN_LOAD_SECONDS", "5")))
CLIENTS = 50


def _bench():
    spec = importlib.util.spec_from_file_location("bench_serve", ROOT / "bench" / "serve.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fifty_clients_get_answers_and_no_server_errors(tmp_path, capsys):
    result = _bench().run_load(SECONDS, CLIENTS, 2000, store_dir=tmp_path)
    with capsys.disabled():
        print(
            f"\nload: {result['clients']} clients × {result['seconds']} s: "
            f"{result['requests']} requests ({result['per_second']}/s), p50 {result['p50_ms']} "
            f"ms, p95 {result['p95_ms']} ms, statuses {result['statuses']}"
        )
    assert result["server_errors"] == 0, result
    assert result["failed_without_answer"] == 0, result
    assert result["statuses"] == {"200": result["requests"]}, result
    assert result["requests"] >= CLIENTS  # every client was answered at least once
