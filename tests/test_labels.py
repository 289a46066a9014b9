"""Inputs are shown by name, not by index: the labels of tornado rows, sensitivity and goal seek."""

from __future__ import annotations

from pathlib import Path

from breakeven.analysis.sensitivity import tornado
from breakeven.engine.labels import input_label
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


def test_an_input_is_typed_as_it_is_shown():
    """What a report names an input is what ``--vary``, ``--fixed`` and goal seek take back: the
    label resolves to the same input as the indexed path, and the hints use labels."""
    import pytest

    from breakeven.engine import build_inputs
    from breakeven.errors import UserError

    table = build_inputs(load_scenario(EXAMPLE))
    path = "company.team.0.cost_per_person_per_year"
    label = "company.team[research & engineering].cost_per_person_per_year"
    assert table.resolve(label) == table.resolve(path) == path
    assert table.resolve("company.team[research & engineering].headcount.13") == (
        table.resolve("company.team.0.headcount.13")
    )
    with pytest.raises(UserError, match=r"closest inputs: company\.team\[research & engineering\]"):
        table.resolve("company.team[research].cost_per_person_per_year")
    with pytest.raises(UserError, match=r"group of inputs.*team\[research & engineering\]\.head"):
        table.resolve("company.team[research & engineering]")


def test_a_schedule_is_held_by_its_label_as_by_its_path():
    """``--vary company.team[research & engineering].headcount=50`` holds every step of the
    schedule at 50, as the indexed path does."""
    from breakeven.engine import build_inputs

    table = build_inputs(load_scenario(EXAMPLE))
    by_label = table.with_fixed({"company.team[research & engineering].headcount": 50})
    by_path = table.with_fixed({"company.team.0.headcount": 50})
    steps = [k for k in table if k.startswith("company.team.0.headcount.")]
    assert len(steps) == 3
    for k in steps:
        assert by_label[k].dist.is_point and by_label[k].dist.median == 50
        assert by_path[k].dist.median == by_label[k].dist.median


def test_a_name_is_typed_whatever_its_case_and_spacing():
    """Names are told apart case and spacing aside (two roles may not differ only so), so they
    are typed back the same way."""
    from breakeven.engine import build_inputs

    table = build_inputs(load_scenario(EXAMPLE))
    path = "company.team.0.cost_per_person_per_year"
    assert (
        table.resolve("company.team[ Research  &  Engineering ].cost_per_person_per_year") == path
    )
    assert (
        table.unlabel("company.team[RESEARCH & ENGINEERING].headcount")
        == "company.team.0.headcount"
    )
