"""Compare business plans with what happened (tests/data/business_outcomes.yaml).

Run: ``python bench/business.py`` (``make validate`` runs it after the cost physics). Each case is
a plan that encodes only what was public at its start month (tests/data/business_outcomes/), and
one outcome published later. The plan is simulated as written — nothing is fitted to the
outcome — and the outcome is *in band* when it lies between the p10 and p90 of the plan's
distribution of the measure. The table also shows where the outcome falls in that distribution
(its percentile): a tool whose bands are honest puts ~80% of outcomes inside p10–p90 and spreads
the percentiles evenly.

Exit status 1 when fewer than :data:`MIN_IN_BAND` of the cases are in band.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import yaml

import breakeven

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "data" / "business_outcomes.yaml"
MIN_IN_BAND = 0.70
DAYS_PER_MONTH = 365.25 / 12


def load_cases(path: Path = CASES) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _series(res: Any, name: str) -> np.ndarray:
    """Kept samples × months of a ledger line (or total) or a KPI."""
    if name in res.lines:
        return np.asarray(res.line(name), dtype=float)
    return np.asarray(res.kpi(name), dtype=float)


def measure(res: Any, spec: dict[str, Any]) -> np.ndarray:
    """One value per kept sample of the measure a case compares:

    - ``sum``: a line or KPI summed over months [a, b] (1-based, inclusive);
    - ``at``: a KPI (or line) in month m;
    - ``run_rate``: a line in month m × 12 (an annualised run rate);
    - ``per_day``: a monthly figure in month m ÷ (365.25 / 12), times ``factor`` if given.
    """
    x = _series(res, spec["of"])
    kind = spec["kind"]
    if kind == "sum":
        a, b = spec["months"]
        return x[:, a - 1 : b].sum(axis=1)
    m = int(spec["month"]) - 1
    if kind == "at":
        return x[:, m]
    if kind == "run_rate":
        return x[:, m] * 12.0
    if kind == "per_day":
        return x[:, m] / DAYS_PER_MONTH * float(spec.get("factor", 1.0))
    raise ValueError(f"unknown measure kind {kind!r}")


def run_case(case: dict[str, Any], samples: int, seed: int) -> dict[str, Any]:
    """Simulate a case's plan and place its published outcome in the measure's distribution."""
    plan = CASES.parent / case["plan"]
    sc = breakeven.load(plan)
    res = breakeven.simulate(sc, samples=samples, seed=seed, keep_ledger=samples)
    values = measure(res, case["measure"])
    outcome = float(case["outcome"]["value"])
    p10, p50, p90 = (float(np.quantile(values, q)) for q in (0.1, 0.5, 0.9))
    return {
        "id": case["id"],
        "measure": case["outcome"]["what"],
        "unit": case["outcome"]["unit"],
        "p10": p10,
        "p50": p50,
        "p90": p90,
        "outcome": outcome,
        "percentile": float(np.mean(values < outcome)),
        "in_band": p10 <= outcome <= p90,
    }


def rows(samples: int | None = None, seed: int | None = None) -> list[dict[str, Any]]:
    data = load_cases()
    n = samples or int(data["samples"])
    s = int(data["seed"]) if seed is None else seed
    return [run_case(c, n, s) for c in data["cases"]]


def _num(x: float) -> str:
    a = abs(x)
    for div, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= div:
            return f"{x / div:.3g}{suffix}"
    return f"{x:.3g}"


def table(found: list[dict[str, Any]]) -> str:
    """The results as a fixed-width table, then the share in band."""
    w = max(len(r["id"]) for r in found)
    lines = [
        f"{'case':<{w}}  {'unit':<13} {'p10':>8} {'p50':>8} {'p90':>8} {'outcome':>8} "
        f"{'pctile':>6}  status"
    ]
    for r in found:
        lines.append(
            f"{r['id']:<{w}}  {r['unit']:<13} {_num(r['p10']):>8} {_num(r['p50']):>8} "
            f"{_num(r['p90']):>8} {_num(r['outcome']):>8} {r['percentile']:>6.0%}  "
            + (
                "in band"
                if r["in_band"]
                else ("MISS (below)" if r["outcome"] < r["p10"] else "MISS (above)")
            )
        )
    inside = sum(r["in_band"] for r in found)
    lines.append(
        f"business outcomes: {inside}/{len(found)} in the p10–p90 band ({inside / len(found):.0%})"
    )
    return "\n".join(lines)


def main() -> int:
    found = rows()
    print(table(found))
    return 0 if sum(r["in_band"] for r in found) >= MIN_IN_BAND * len(found) else 1


if __name__ == "__main__":
    sys.exit(main())
