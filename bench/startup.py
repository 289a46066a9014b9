"""How fast do the light commands start? Wall time of ``breakeven --version``, ``templates``,
``gpus``, ``models``, ``prices``, ``validate``, ``infer`` and ``train``, each in a fresh process.

Each command runs as the user runs it: the venv's ``breakeven`` console script (next to this
Python), output to /dev/null. One warm-up run per command, then ``--repeats`` rounds, each round
running every command once (so a burst of other work on a shared machine slows all commands
alike, not one). The table gives the median and the minimum wall time per command against the
goal (0.4 s, issue 13), the median CPU time (user + system) of the process, which waiting for
a busy CPU does not inflate, and the machine (CPU model, cores, Python, load average before and
after).

Bytecode: an installed package reads its compiled ``.pyc`` files. By default (``--bytecode
cache``) the runs use a fresh bytecode cache of their own (``PYTHONPYCACHEPREFIX`` in a
temporary folder, written by the warm-up run), even where ``PYTHONDONTWRITEBYTECODE`` is set,
which would otherwise recompile breakeven's sources in every process; ``--bytecode env`` leaves
the environment as it is. ``BREAKEVEN_HOME`` is an empty temporary folder, so ``prices`` lists
the shipped catalog only. A report, not a test: the exit status is 0 unless a command fails.

``--instructions`` counts instead the instructions each command's process executes (valgrind's
callgrind, one run per command after the warm-up; Debian: ``apt-get install valgrind``). The count
moves by well under 1% from run to run where wall times on a shared virtual machine drift by a
quarter, so two versions compare side by side (``PYTHONPATH=<old checkout>/src``) on any day.

Usage: python bench/startup.py [--repeats 10] [--only validate,infer] [--bytecode cache|env]
       [--instructions] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "chat-assistant-freemium.yaml"
GOAL_S = 0.4

COMMANDS: dict[str, list[str]] = {
    "version": ["--version"],
    "templates": ["templates"],
    "gpus": ["gpus"],
    "models": ["models"],
    "prices": ["prices"],
    "validate": ["validate", str(EXAMPLE)],
    "infer": ["infer", "--model", "Llama-3.1-8B", "--gpu", "H100"],
    "train": ["train", "--params", "7B", "--tokens", "1T", "--gpu", "H100"],
}


def entry_point() -> list[str]:
    """The venv's console script, as a user runs it (else the same entry point through -c)."""
    script = Path(sys.executable).with_name("breakeven")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from breakeven.cli import main; main()"]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, object]:
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def cpu_of_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run (a failing command stops the benchmark with its
    output)."""
    c0, t0 = cpu_of_children(), time.perf_counter()
    out = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
    elapsed, cpu = time.perf_counter() - t0, cpu_of_children() - c0
    if out.returncode != 0:
        raise SystemExit(
            f"{' '.join(argv)} exited with {out.returncode}:\n{out.stderr.strip()[-2000:]}"
        )
    return elapsed, cpu


def instructions_once(argv: list[str], env: dict[str, str]) -> int:
    """Instructions executed by one run of ``argv`` (callgrind's total, the process's own)."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("--instructions needs valgrind (Debian: apt-get install valgrind)")
    cmd = [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv]
    out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    found = re.search(r"Collected\s*:\s*(\d+)", out.stderr)
    if out.returncode != 0 or found is None:
        raise SystemExit(f"{' '.join(cmd)} exited with {out.returncode}:\n{out.stderr[-2000:]}")
    return int(found.group(1))


def environment(tmp: str, bytecode: str) -> dict[str, str]:
    """The commands' environment: an empty BREAKEVEN_HOME, and the bytecode cache as chosen."""
    env = dict(os.environ)
    env["BREAKEVEN_HOME"] = str(Path(tmp) / "home")
    if bytecode == "cache":
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
    return env


def count(names: list[str], bytecode: str) -> dict[str, object]:
    """Instructions per command (one counted run each, after a warm-up run)."""
    entry = entry_point()
    with tempfile.TemporaryDirectory(prefix="breakeven-startup-") as tmp:
        env = environment(tmp, bytecode)
        for name in names:
            run_once(entry + COMMANDS[name], env)
        rows = [
            {
                "command": n,
                "args": COMMANDS[n],
                "instructions": instructions_once(entry + COMMANDS[n], env),
            }
            for n in names
        ]
    return {"bytecode": bytecode, "entry_point": entry, "machine": machine(), "rows": rows}


def bench(names: list[str], repeats: int, bytecode: str) -> dict[str, object]:
    entry = entry_point()
    with tempfile.TemporaryDirectory(prefix="breakeven-startup-") as tmp:
        env = environment(tmp, bytecode)
        load_before = load_average()
        for name in names:  # warm-up: writes the bytecode cache, warms the page cache
            run_once(entry + COMMANDS[name], env)
        times: dict[str, list[float]] = {name: [] for name in names}
        cpu: dict[str, list[float]] = {name: [] for name in names}
        for _ in range(repeats):
            for name in names:
                wall, used = run_once(entry + COMMANDS[name], env)
                times[name].append(wall)
                cpu[name].append(used)
        load_after = load_average()
    rows = [
        {
            "command": name,
            "args": COMMANDS[name],
            "median_s": round(statistics.median(ts), 4),
            "min_s": round(min(ts), 4),
            "meets_goal": statistics.median(ts) <= GOAL_S,
            "cpu_median_s": round(statistics.median(cpu[name]), 4),
            "times_s": [round(t, 4) for t in ts],
        }
        for name, ts in times.items()
    ]
    return {
        "goal_s": GOAL_S,
        "repeats": repeats,
        "bytecode": bytecode,
        "entry_point": entry,
        "machine": machine(),
        "load_average": {"before": load_before, "after": load_after},
        "rows": rows,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=10, help="timed runs per command")
    ap.add_argument("--only", default="", help=f"comma-separated, of: {', '.join(COMMANDS)}")
    ap.add_argument(
        "--bytecode",
        choices=("cache", "env"),
        default="cache",
        help="cache: a bytecode cache of the benchmark's own, as an installed package has "
        "(default); env: the environment as it is",
    )
    ap.add_argument(
        "--instructions",
        action="store_true",
        help="count each command's instructions (valgrind) instead of timing it",
    )
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    a = ap.parse_args()
    names = [n for n in a.only.split(",") if n] or list(COMMANDS)
    unknown = [n for n in names if n not in COMMANDS]
    if unknown:
        ap.error(f"--only: unknown {', '.join(unknown)} (choose from {', '.join(COMMANDS)})")
    if a.instructions:
        counted = count(names, a.bytecode)
        if a.json:
            print(json.dumps(counted, indent=1))
            return
        m = counted["machine"]
        assert isinstance(m, dict)
        print(f"machine: {m['cpu']}, {m['cores']} cores, {m['system']}, Python {m['python']}")
        print("instructions of `breakeven <command>` (valgrind --tool=callgrind), one run each")
        print()
        print(f"{'command':<10} {'millions':>9}")
        for r in counted["rows"]:  # type: ignore[attr-defined]
            print(f"{r['command']:<10} {r['instructions'] / 1e6:>9.1f}")
        return
    doc = bench(names, max(1, a.repeats), a.bytecode)
    if a.json:
        print(json.dumps(doc, indent=1))
        return
    m = doc["machine"]
    assert isinstance(m, dict)
    load = doc["load_average"]
    assert isinstance(load, dict)
    print(
        f"machine: {m['cpu']}, {m['cores']} cores, {m['system']}, Python {m['python']}; "
        f"load average {load['before']} before, {load['after']} after"
    )
    print(
        f"wall time of `breakeven <command>` in a fresh process, {doc['repeats']} runs after a "
        f"warm-up; bytecode: {doc['bytecode']}; goal ≤ {GOAL_S} s"
    )
    print()
    print(f"{'command':<10} {'median s':>9} {'min s':>7} {'CPU s':>7}  goal (median)")
    rows = doc["rows"]
    assert isinstance(rows, list)
    for r in rows:
        mark = "met" if r["meets_goal"] else "not met"
        print(
            f"{r['command']:<10} {r['median_s']:>9.3f} {r['min_s']:>7.3f} "
            f"{r['cpu_median_s']:>7.3f}  {mark}"
        )


if __name__ == "__main__":
    main()
