"""Comparing plans on the same footing: common random numbers, metrics side by side, P(A beats B).

Plans are simulated with the same seed and sample count. An input's draws depend only on
(seed, input name, sample), so inputs the plans share (same path or same $variable) take the same
values in sample i of every plan: differences between plans are not sampling noise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..engine import Results, simulate
from ..errors import AnalysisError


@dataclass
class Comparison:
    labels: list[str]
    results: list[Results]

    def p_beats(self) -> dict[str, dict[str, float]]:
        """For each ordered pair 'A vs B': P(NPV_A > NPV_B) and the share of equal NPVs,
        P(A breaks even earlier than B) and the share of ties (the same month, or neither
        within the horizon), and P(A needs less peak funding)."""
        out = {}
        for i, a in enumerate(self.results):
            for j, b in enumerate(self.results):
                if i == j:
                    continue
                npv = float(np.mean(a.metrics["npv"] > b.metrics["npv"]))
                ba = np.nan_to_num(a.metrics["breakeven_month"], nan=np.inf)
                bb = np.nan_to_num(b.metrics["breakeven_month"], nan=np.inf)
                out[f"{self.labels[i]} vs {self.labels[j]}"] = {
                    "npv": npv,
                    "breakeven_month": float(np.mean(ba < bb)),
                    "breakeven_tie": float(np.mean(ba == bb)),
                    "npv_tie": float(np.mean(a.metrics["npv"] == b.metrics["npv"])),
                    "peak_funding_need": float(
                        np.mean(a.metrics["peak_funding_need"] < b.metrics["peak_funding_need"])
                    ),
                }
        return out

    def to_dict(self) -> dict:
        return {
            "samples": self.results[0].samples,
            "seed": self.results[0].seed,
            "plans": [
                {
                    "label": lab,
                    "scenario": r.scenario.name,
                    "file": r.scenario.source,
                    "currency": r.currency,
                    "horizon_months": r.months,
                    "headline": r.headline(),
                    "probabilities": r.probabilities,
                    "metrics": r.summary(),
                    "milestones": r.milestones,
                }
                for lab, r in zip(self.labels, self.results, strict=True)
            ],
            "p_beats": self.p_beats(),
            "assumptions": self.assumptions(),
        }

    def assumptions(self) -> list[dict[str, Any]]:
        """Each assumption that differs between the first plan and each other one, as
        ``{"path", "name", "a", "b", "vs"}`` (``vs``: the other plan's label)."""
        from ..scenario.diff import changed_assumptions

        first = self.results[0].scenario
        return [
            {**c, "vs": lab}
            for lab, r in zip(self.labels[1:], self.results[1:], strict=True)
            for c in changed_assumptions(first, r.scenario)
        ]


def labels_for(scenarios, files=None) -> list[str]:
    """Scenario names, or file stems where names repeat."""
    names = [s.name for s in scenarios]
    if len(set(names)) == len(names):
        return names
    return [
        Path(f).stem if f else f"plan {i + 1}" for i, f in enumerate(files or [None] * len(names))
    ]


def compare(
    scenarios, samples: int | None = None, seed: int | None = None, files=None, progress=None
) -> Comparison:
    """Simulate every plan with one seed and sample count; see the module docstring."""
    if len(scenarios) < 2:
        raise AnalysisError("compare needs at least two plans")
    currencies = {s.currency for s in scenarios}
    if len(currencies) > 1:
        raise AnalysisError(
            f"plans use different currencies ({', '.join(sorted(currencies))}); "
            "compare plans in one currency"
        )
    n = samples if samples is not None else max(s.samples for s in scenarios)
    sd = seed if seed is not None else scenarios[0].seed
    results = [simulate(s, samples=n, seed=sd, progress=progress) for s in scenarios]
    return Comparison(labels_for(scenarios, files), results)
