"""Benchmark: how fast and in how much memory each hostile plan of the reliability suite is
refused. Usage: python bench/reliability.py

For every case of ``tests/test_reliability.py``: the time ``load`` takes to refuse it (in this
process, start-up excluded), and the exit status, wall time and peak memory of a whole
``breakeven validate`` in a fresh process.
"""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_reliability import CASES  # noqa: E402  (the corpus lives with its tests)

import breakeven  # noqa: E402
from breakeven.errors import ScenarioError  # noqa: E402


def main() -> None:
    exe = Path(sys.executable).with_name("breakeven")
    print(
        f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"
    )
    print(
        f"{'case':28s} {'bytes':>9s} {'load s':>7s}  {'exit':>4s} {'CLI s':>6s} {'peak MB':>8s}  "
        "message"
    )
    with tempfile.TemporaryDirectory() as d:
        for name, (contents, _fragment, _line) in CASES.items():
            path = Path(d) / "plan.yaml"
            if isinstance(contents, bytes):
                path.write_bytes(contents)
            else:
                path.write_text(contents, encoding="utf-8", errors="surrogatepass")
            t0 = time.perf_counter()
            try:
                breakeven.load(path)
            except ScenarioError:
                pass
            load_s = time.perf_counter() - t0
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            t0 = time.perf_counter()
            r = subprocess.run(
                [str(exe), "validate", str(path)], capture_output=True, text=True, timeout=120
            )
            cli_s = time.perf_counter() - t0
            peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
            message = r.stderr.strip().splitlines()[0].split(": ", 2)[-1][:60]
            print(
                f"{name:28s} {path.stat().st_size:9,d} {load_s:7.3f}  {r.returncode:4d} "
                f"{cli_s:6.2f} {peak:8.0f}  {message}"
            )


if __name__ == "__main__":
    main()
