"""Comparing plans on the same footing: common random numbers, metrics side by side, P(A beats B).

Plans are simulated with the same seed and sample count. An input's draws depend only on
(seed, input name, sample), so inputs the plans share (same path or same $variable) take the same
values in sample i of every plan: differences between plans are not sampling noise.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
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
                out[pair_key(self.labels[i], self.labels[j])] = {
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

    def labelled(self) -> list[Results]:
        """Each plan's results named by its label: for reports that name a plan by its scenario
        (the comparison's HTML report), so that they show the labels of the table and the JSON
        where two plans share a name. A plan whose label is its name is passed as it is; the
        others are shallow copies (the samples are shared)."""
        return [
            r
            if lab == r.scenario.name
            else replace(r, scenario=r.scenario.model_copy(update={"name": lab}))
            for lab, r in zip(self.labels, self.results, strict=True)
        ]

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
    """A distinct label for each plan: its scenario name, or where names repeat, its file by the
    shortest tail of its path that tells it from the others (:func:`path_labels`); numbered
    ``[1]``, ``[2]``… where names holding " vs " would make two pairs one key
    (:func:`distinct_pairs`)."""
    names = [str(s.name) for s in scenarios]
    if len(set(names)) == len(names):
        labels = names
    elif not files:
        labels = [f"plan {i + 1}" for i in range(len(names))]
    else:
        labels = path_labels([str(f) for f in files])
    return distinct_pairs(labels)


def distinct_pairs(labels: list[str]) -> list[str]:
    """``labels`` as they are when every ordered pair's :func:`pair_key` is distinct, else each
    numbered at its end (the number ends a key, so it names the second plan, and what is left
    the first).

    >>> distinct_pairs(["a", "b"])
    ['a', 'b']
    >>> distinct_pairs(["x vs y", "z", "x", "y vs z"])
    ['x vs y [1]', 'z [2]', 'x [3]', 'y vs z [4]']
    """
    keys = [pair_key(a, b) for i, a in enumerate(labels) for j, b in enumerate(labels) if i != j]
    if len(set(keys)) == len(keys):
        return labels
    return [f"{label} [{i + 1}]" for i, label in enumerate(labels)]


def path_labels(files: list[str]) -> list[str]:
    """Each file by the shortest tail of its path, without the extension, that no other file
    shares (``a/plan.yaml``, ``b/plan.yaml`` → ``a/plan``, ``b/plan``; ``x.yaml`` → ``x``); the
    same path twice is numbered (``x (1)``, ``x (2)``) so that no two labels are one.

    >>> path_labels(["/p/a/plan.yaml", "/p/b/plan.yaml", "/p/b/other.yaml"])
    ['a/plan', 'b/plan', 'other']
    """
    parts = []
    for f in files:
        p = Path(os.path.abspath(f))
        parts.append(p.with_name(p.stem).relative_to(p.anchor).parts)
    depth = [1] * len(parts)
    while True:
        labels = ["/".join(p[-d:]) for p, d in zip(parts, depth, strict=True)]
        longer = [  # the plans whose label is another file's too
            i
            for i, lab in enumerate(labels)
            if depth[i] < len(parts[i])
            and any(lab == other and parts[j] != parts[i] for j, other in enumerate(labels))
        ]
        if not longer:
            break
        for i in longer:
            depth[i] += 1
    return [f"{x} ({i + 1})" if labels.count(x) > 1 else x for i, x in enumerate(labels)]


def pair_key(a: str, b: str) -> str:
    """The key of an ordered pair of plans in :meth:`Comparison.p_beats`."""
    return f"{a} vs {b}"


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
