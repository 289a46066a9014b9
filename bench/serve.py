"""Benchmark: server time of ``POST /api/simulate`` (10,000 samples of the shipped example), and a
load test of the server on loopback.

1. in-process: the app called through httpx (Starlette's test client), ~20 requests, each with
   its own seed (no two answers are alike, nothing is cached): median and p95 of the server time
   (``elapsed_ms``: read and validate the plan, simulate, headline, bands, break-even CDF,
   tornado, warnings) and of the time the client waits; then where the time goes (the same steps
   called one by one);
2. through a real server: ``breakeven serve`` (uvicorn) on 127.0.0.1 in a subprocess, the same
   requests over HTTP;
3. ``--load``: 50 clients at once for 30 s against ``/api/simulate`` (2,000 samples each, as the
   plan page asks while a user edits): requests, p50 / p95 latency, server errors.

Usage: python bench/serve.py [--requests 20] [--samples 10000] [--load] [--seconds 30]
[--clients 50] [--json]. ``tests/server/test_load.py`` runs :func:`run_load` for 6 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "chat-assistant-freemium.yaml"


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()]
        if hasattr(os, "getloadavg")
        else None,
    }


def quantile(xs: list[float], q: float) -> float:
    """The q-quantile (linear between order statistics), e.g. 0.95 for p95."""
    s = sorted(xs)
    if not s:
        return float("nan")
    k = (len(s) - 1) * q
    i = int(k)
    j = min(i + 1, len(s) - 1)
    return s[i] + (s[j] - s[i]) * (k - i)


def stats_ms(xs: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(xs), 1),
        "p95_ms": round(quantile(xs, 0.95), 1),
        "min_ms": round(min(xs), 1),
        "max_ms": round(max(xs), 1),
    }


# ---------------------------------------------------------------------------- a server process


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``breakeven serve`` on a free loopback port in a subprocess (a fresh run store)."""

    def __init__(self, store_dir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = ["serve", str(EXAMPLE), "--store", str(store_dir / "runs.duckdb")]
        args += ["--host", "127.0.0.1", "--port", str(self.port)]
        code = f"import sys; from breakeven.cli import main; sys.argv = {['breakeven', *args]!r}; main()"
        env = {k: v for k, v in os.environ.items() if k != "BREAKEVEN_TOKEN"}
        env["BREAKEVEN_HOME"] = str(store_dir)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"the server exited: {self.proc.stderr.read() if self.proc.stderr else ''}"
                )
            try:
                if httpx.get(self.url + "/api/templates", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the server did not answer in time")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def __enter__(self) -> Server:
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# ---------------------------------------------------------------------------- latency


def _simulate_times(post: Any, text: str, samples: int, requests: int) -> dict[str, Any]:
    server, waited = [], []
    post({"yaml": text, "samples": samples, "seed": 0})  # warm-up: imports, caches
    post({"yaml": text, "samples": samples, "seed": 0})
    for seed in range(1, requests + 1):
        t0 = time.perf_counter()
        doc = post({"yaml": text, "samples": samples, "seed": seed})
        waited.append((time.perf_counter() - t0) * 1000)
        server.append(float(doc["elapsed_ms"]))
    return {"server": stats_ms(server), "client": stats_ms(waited), "requests": requests}


def in_process(samples: int, requests: int) -> dict[str, Any]:
    """The app in this process (tuned as ``breakeven serve`` tunes its process)."""
    from fastapi.testclient import TestClient

    from breakeven.server import create_app
    from breakeven.server.tuning import keep_freed_memory

    keep_freed_memory()
    text = EXAMPLE.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as home:
        app = create_app([EXAMPLE], Path(home) / "runs.duckdb", None)
        with TestClient(app, base_url="http://127.0.0.1") as client:

            def post(body: dict[str, Any]) -> Any:
                r = client.post("/api/simulate", json=body)
                r.raise_for_status()
                return r.json()

            return _simulate_times(post, text, samples, requests)


def over_http(samples: int, requests: int) -> dict[str, Any]:
    text = EXAMPLE.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as home, Server(Path(home)) as server:
        with httpx.Client(base_url=server.url, timeout=60) as client:

            def post(body: dict[str, Any]) -> Any:
                r = client.post("/api/simulate", json=body)
                r.raise_for_status()
                return r.json()

            return _simulate_times(post, text, samples, requests)


def breakdown(samples: int, requests: int) -> dict[str, Any]:
    """Where the server time of one request goes: the work of ``/api/simulate``, step by step."""
    from breakeven.engine import simulate
    from breakeven.report.view import cdf_by_month
    from breakeven.server import answers
    from breakeven.server.app import JSON, input_names, read

    text = EXAMPLE.read_text(encoding="utf-8")
    steps: dict[str, list[float]] = {}

    def timed(name: str, fn: Any) -> Any:
        t0 = time.perf_counter()
        out = fn()
        steps.setdefault(name, []).append((time.perf_counter() - t0) * 1000)
        return out

    for seed in range(requests + 1):
        sc, lines = timed("read and validate the plan", lambda: read(text))
        res = timed("simulate", lambda sc=sc, seed=seed: simulate(sc, samples=samples, seed=seed))
        timed("headline (metric quantiles)", lambda res=res: answers.headline(res))
        timed(
            "bands (monthly p10/p50/p90 of cash, revenue, costs)",
            lambda res=res: [
                answers._bands(res.ledger_lms[res.lines.index("cash")]),
                answers._bands(res.ledger_lms[res.lines.index("revenue")]),
                answers._bands(answers._total_cost(res)),
            ],
        )
        timed(
            "break-even CDF",
            lambda res=res: cdf_by_month(res.metrics["breakeven_month"], res.months),
        )
        names = timed("input names", lambda sc=sc: input_names(sc))
        timed(
            "tornado (one-at-a-time runs, conditional means)",
            lambda res=res, names=names: answers.tornado_rows(res, names),
        )
        from breakeven.analysis.lint import lint

        timed("warnings (lint)", lambda sc=sc, res=res, lines=lines: lint(sc, res, dict(lines)))
        doc = answers.simulation(res, lines, names=names)
        timed("JSON", lambda doc=doc: JSON(doc).body)
    return {k: round(statistics.median(v[1:]), 1) for k, v in steps.items()}


# ---------------------------------------------------------------------------- load


def run_load(
    seconds: float = 30.0, clients: int = 50, samples: int = 2000, store_dir: Path | None = None
) -> dict[str, Any]:
    """``clients`` clients at once, each posting ``/api/simulate`` (``samples`` samples, a new
    seed each time) back to back for ``seconds`` against ``breakeven serve`` on loopback.
    Returns the requests done, their p50/p95/max latency, the server errors (5xx), the
    requests that failed without an answer, and every status seen."""
    text = EXAMPLE.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp, Server(store_dir or Path(tmp)) as server:
        latencies: list[float] = []
        statuses: Counter[int] = Counter()
        failures: list[str] = []
        lock = threading.Lock()
        start = threading.Barrier(clients + 1)
        stop_at = [0.0]

        def client(k: int) -> None:
            with httpx.Client(base_url=server.url, timeout=120) as http:
                start.wait()
                i = 0
                while time.monotonic() < stop_at[0]:
                    body = {"yaml": text, "samples": samples, "seed": k * 100_000 + i}
                    i += 1
                    t0 = time.perf_counter()
                    try:
                        r = http.post("/api/simulate", json=body)
                    except httpx.HTTPError as e:
                        with lock:
                            failures.append(f"{type(e).__name__}: {e}")
                        continue
                    dt = (time.perf_counter() - t0) * 1000
                    with lock:
                        statuses[r.status_code] += 1
                        if r.status_code == 200:
                            latencies.append(dt)

        threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
        for t in threads:
            t.start()
        t0 = time.monotonic()
        stop_at[0] = t0 + seconds
        start.wait()
        for t in threads:
            t.join(timeout=seconds + 180)
        wall = time.monotonic() - t0
    done = sum(statuses.values())
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "samples": samples,
        "requests": done,
        "per_second": round(done / wall, 1) if wall else None,
        "p50_ms": round(quantile(latencies, 0.50), 1) if latencies else None,
        "p95_ms": round(quantile(latencies, 0.95), 1) if latencies else None,
        "max_ms": round(max(latencies), 1) if latencies else None,
        "server_errors": sum(n for s, n in statuses.items() if s >= 500),
        "failed_without_answer": len(failures),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "first_failures": failures[:3],
    }


# ---------------------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--samples", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=20)
    ap.add_argument("--load", action="store_true", help="also run the load test")
    ap.add_argument("--seconds", type=float, default=30.0, help="load test duration")
    ap.add_argument("--clients", type=int, default=50, help="load test clients")
    ap.add_argument("--load-samples", type=int, default=2000)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    a = ap.parse_args()

    out: dict[str, Any] = {"machine": machine(), "samples": a.samples, "example": EXAMPLE.name}
    out["in_process"] = in_process(a.samples, a.requests)
    out["breakdown_ms"] = breakdown(a.samples, min(a.requests, 10))
    out["uvicorn"] = over_http(a.samples, a.requests)
    if a.load:
        out["load"] = run_load(a.seconds, a.clients, a.load_samples)
    out["machine"]["load_average_after"] = machine()["load_average"]
    if a.json:
        print(json.dumps(out, indent=1))
        return
    m = out["machine"]
    print(f"machine: {m['platform']}; {m['cpu']}; {m['cores']} cores; Python {m['python']}")
    print(f"load average before / after: {m['load_average']} / {m['load_average_after']}")
    print(f"POST /api/simulate, {a.samples:,} samples of {EXAMPLE.name}, {a.requests} requests:")
    for key, label in (("in_process", "in-process (httpx)"), ("uvicorn", "uvicorn on 127.0.0.1")):
        s, c = out[key]["server"], out[key]["client"]
        print(
            f"  {label:22} server median {s['median_ms']:7.1f} ms  p95 {s['p95_ms']:7.1f} ms"
            f"   | client median {c['median_ms']:7.1f} ms  p95 {c['p95_ms']:7.1f} ms"
        )
    print("where the server time goes (median ms, the same steps one by one):")
    for k, v in out["breakdown_ms"].items():
        print(f"  {v:7.1f}  {k}")
    if a.load:
        d = out["load"]
        print(
            f"load: {d['clients']} clients × {d['seconds']} s, {d['samples']:,} samples each: "
            f"{d['requests']:,} requests ({d['per_second']}/s), p50 {d['p50_ms']} ms, "
            f"p95 {d['p95_ms']} ms, server errors {d['server_errors']}, "
            f"failed without an answer {d['failed_without_answer']}"
        )


if __name__ == "__main__":
    main()
