"""Fuzzing plans by meaning: one or two fields of a shipped template set to edge values the
YAML and the schema may accept (0, 100%, a tiny or huge number, a point range, a reversed range,
a removed field). Whatever is drawn, the plan is refused with located problems, or it runs
without a Python warning (numpy's divide-by-zero or overflow means a value reached arithmetic it
should not have: the user saw `RuntimeWarning` text and, later, an unlocated overflow error), or
it stops with a user error. The byte-level fuzzer is in test_reliability.py.

Fuzzing of this kind found ``unused_paid_seats: 100%`` (paid seats = seats in use ÷ (1 − share)),
a ``target_utilisation`` of 0 (capacity = peak ÷ utilisation) and an elasticity of 1e12; each is
now a located error with its own test. ``FUZZ_EXAMPLES`` sets how many plans one run draws.
"""

from __future__ import annotations

import copy
import os
import warnings
from collections.abc import Iterator
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import breakeven
from breakeven.errors import ScenarioError, UserError
from breakeven.scenario import templates
from breakeven.scenario.edits import children

# values a field may well accept: the edges of its domain and of plausible magnitudes
EDGE_VALUES: list[Any] = [0, 1, 2, 12, 120, 0.5, 1e-9, 1e9, "0%", "1%", "100%", "99.99%", "1 to 1"]
EDGE_VALUES += ["0.001 to 1000", "1e-6 to 1e6", "-50% to 500%", {0: 0}, {0: 1, 24: 1e9}]
# and some that it should refuse
WRONG_VALUES: list[Any] = [-1, "-100%", "5 to 1", "0 to 1", "", None, [], {}, {120: 0}, True, "abc"]
REMOVE = object()  # take the field out of the plan
TEXT_FIELDS = {"name", "description", "role", "partner", "model"}  # words, even with digits


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a plan's tree a value can be put: mappings, lists and their leaves."""
    if path:
        yield path
    for k, v in children(node):
        yield from _paths(v, (*path, k))


def _numeric(value: Any) -> bool:
    """A number, or text that writes one ('10 to 200', '5%', '1.5M'): the fields worth fuzzing."""
    if isinstance(value, str):
        return any(ch.isdigit() for ch in value)
    return isinstance(value, int | float) and not isinstance(value, bool)


def _get(tree: Any, path: tuple[Any, ...]) -> Any:
    for k in path:
        tree = tree[k]
    return tree


def _put(tree: Any, path: tuple[Any, ...], value: Any) -> None:
    parent = tree
    for k in path[:-1]:
        parent = parent[k]
    if value is REMOVE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = copy.deepcopy(value)


@st.composite
def mutated_plans(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(templates.names()))
    tree = yaml.safe_load(templates.text(name))
    for _ in range(draw(st.integers(1, 2))):
        places = [p for p in _paths(tree) if p[0] not in ("samples", "seed")]
        leaves = [p for p in places if _numeric(_get(tree, p)) and p[-1] not in TEXT_FIELDS]
        path = draw(st.sampled_from(leaves if draw(st.integers(0, 9)) else places))
        kind = draw(st.integers(0, 9))  # mostly values a field may accept
        pool = EDGE_VALUES if kind < 7 else WRONG_VALUES if kind < 9 else [REMOVE]
        _put(tree, path, draw(st.sampled_from(pool)))
    return name, yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case=mutated_plans())
def test_a_plan_with_edge_values_is_refused_where_it_is_wrong_or_runs_cleanly(case):
    _name, text = case
    try:
        scenario = breakeven.load_text(text, "fuzz.yaml")
    except ScenarioError as e:
        assert e.problems
        assert all(str(p).startswith("fuzz.yaml") for p in e.problems), e.problems
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            breakeven.simulate(scenario, samples=8, seed=1)
        except UserError:
            pass  # a clear message (an overflow of magnitudes the user wrote, say)
    python_warnings = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    assert not python_warnings, [f"{w.filename}:{w.lineno}: {w.message}" for w in python_warnings]
