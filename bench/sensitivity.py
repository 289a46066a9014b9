"""Benchmark: wall time of tornado, Sobol and goal-seek on the shipped example.

Usage: python bench/sensitivity.py [--samples 10000] [--n-base 1024] [--json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import breakeven
from breakeven.analysis.goalseek import goalseek
from breakeven.analysis.sensitivity import sobol, tornado

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "chat-assistant-freemium.yaml"


def timed(fn, *a, **kw):
    t0 = time.perf_counter()
    out = fn(*a, **kw)
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=10_000)
    ap.add_argument("--n-base", type=int, default=1024)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    sc = breakeven.load(EXAMPLE)
    breakeven.simulate(sc, samples=64, seed=1)  # warm-up
    tr, t_tornado = timed(tornado, sc, "npv", samples_for_conditional=args.samples)
    so, t_sobol = timed(sobol, sc, "npv", n_base=args.n_base)
    gs, t_goal = timed(
        goalseek, sc, "streams.subscription.conversion", "p_breakeven>=0.8", samples=args.samples
    )
    rows = {
        "tornado_s": round(t_tornado, 3),
        "tornado_inputs": len(tr),
        "sobol_s": round(t_sobol, 3),
        "sobol_evaluations": so["n"],
        "sobol_trustworthy": so["trustworthy"],
        "goalseek_s": round(t_goal, 3),
        "goalseek_simulations": gs["iterations"],
        "samples": args.samples,
        "n_base": args.n_base,
    }
    print(
        json.dumps(rows, indent=1)
        if args.json
        else "\n".join(f"{k:>22}: {v}" for k, v in rows.items())
    )


if __name__ == "__main__":
    main()
