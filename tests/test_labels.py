"""Inputs are shown by name, not by index: the labels of tornado rows, sensitivity and goal seek."""

from __future__ import annotations

from pathlib import Path

from breakeven.analysis.sensitivity import tornado
from breakeven.scenario.labels import input_label
from breakeven.scenario.loader import load as load_scenario

EXAMPLE = Path(__file__).parents[1] / "examples" / "chat-assistant-freemium.yaml"


def test_list_items_are_named_and_variables_are_dollars():
    sc = load_scenario(EXAMPLE)
    assert (
        input_label(sc, "company.team.0.cost_per_person_per_year")
        == "company.team[research & engineering].cost_per_person_per_year"
    )
    assert input_label(sc, "funding.rounds.0.amount") == "funding.rounds[Series B].amount"
    assert input_label(sc, "variables.growth") == "$growth"
    # a path that does not resolve is shown as it is, never an error
    assert input_label(sc, "company.team.9.headcount") == "company.team.9.headcount"


def test_tornado_rows_carry_labels():
    sc = load_scenario(EXAMPLE)
    rows = tornado(sc, seed=1, samples_for_conditional=400)
    labels = [r["label"] for r in rows]
    assert any("team[research & engineering]" in x for x in labels)
    assert not any(".team.0." in x for x in labels)
