"""Tests of the reports (HTML, workbook, notebook, terminal, formatting).

``results()`` simulates the example plan once per test session (small, fast) and is shared by
the modules here; tests that change a run work on a copy.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chat-assistant-freemium.yaml"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@functools.cache
def _results(samples: int, seed: int):
    import breakeven

    sc = breakeven.load(EXAMPLE)
    return breakeven.simulate(sc, samples=samples, seed=seed)


def results(samples: int = 1000, seed: int = 7):
    """The example plan's results (cached: do not modify; use ``renamed``/``copy``)."""
    return _results(samples, seed)


@functools.cache
def results_with_milestones(samples: int = 600, seed: int = 7):
    """The example plan with two milestones added (one with HTML in its name)."""
    import yaml

    import breakeven

    doc = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    doc["milestones"] = [
        {"name": "1M paying users", "month": 24, "measure": "paying_users", "at_least": 1e6},
        {"name": "Revenue <¥30M> & up", "month": 36, "measure": "revenue", "at_least": 3e7},
    ]
    sc = breakeven.load_text(yaml.safe_dump(doc, allow_unicode=True), "milestones.yaml")
    return breakeven.simulate(sc, samples=samples, seed=seed)


def renamed(r, name: str, description: str | None = None):
    """A shallow copy of ``r`` whose scenario has another name (and description)."""
    upd = {"name": name}
    if description is not None:
        upd["description"] = description
    out = copy.copy(r)
    out.scenario = r.scenario.model_copy(update=upd)
    out._cache = {}
    return out


def fake_tornado(r, n: int = 5) -> list[dict]:
    """Tornado rows in the shape of breakeven.analysis.sensitivity.tornado, without running it."""
    names = list(r.inputs)[:n]
    base = float(sorted(r.metrics["npv"])[len(r.metrics["npv"]) // 2])
    rows = []
    for i, k in enumerate(names):
        swing = 1e8 / (i + 1)
        rows.append(
            {
                "input": k,
                "description": r.input_table[k].dist.describe(),
                "low": 1.0,
                "high": 2.0,
                "metric_low": base - swing / 2,
                "metric_high": base + swing / 2,
                "swing": swing,
                "rank": i + 1,
            }
        )
    return rows
