"""The Python results name inputs as the reports do: the Dataset's ``input_label`` coordinate and
``to_pandas(labels=True)``; paths stay the Dataset's index and ``to_pandas()``'s columns."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import breakeven
from breakeven.scenario import templates

TEAM = "company.team.2.cost_per_person_per_year"
TEAM_LABEL = "company.team[enterprise sales, solutions & delivery].cost_per_person_per_year"
SEGMENT = "market.business.segments.1.accounts"
SEGMENT_LABEL = "market.business.segments[small & medium enterprises].accounts"


@pytest.fixture(scope="module")
def suite() -> breakeven.Results:
    sc = breakeven.load(templates.path("office-and-security-suite"))
    return breakeven.simulate(sc, samples=200, seed=1, keep_ledger=0)


def test_two_labels_by_hand(suite):
    """The template's third team role is "enterprise sales, solutions & delivery" and its
    second business segment "small & medium enterprises" (read off the YAML)."""
    assert suite.input_labels[TEAM] == TEAM_LABEL
    assert suite.input_labels[SEGMENT] == SEGMENT_LABEL


def test_the_dataset_has_a_label_along_input(suite):
    ds = suite.to_xarray()
    assert ds["input_label"].dims == ("input",)
    labels = dict(zip(ds["input"].values.tolist(), ds["input_label"].values.tolist(), strict=True))
    assert labels[TEAM] == TEAM_LABEL
    assert labels[SEGMENT] == SEGMENT_LABEL
    assert labels == suite.input_labels
    # no list item is left indexed where it has a name
    assert not any(".team." in v or ".segments." in v for v in labels.values())
    # select by label: the same draws as by path
    by_label = ds["inputs"].set_xindex("input_label").sel(input_label=TEAM_LABEL)
    np.testing.assert_array_equal(by_label.values, ds["inputs"].sel(input=TEAM).values)
    np.testing.assert_array_equal(by_label.values, suite.inputs[TEAM])


def test_to_pandas_keeps_paths_and_offers_labels(suite):
    df = suite.to_pandas()
    assert TEAM in df.columns and TEAM_LABEL not in df.columns  # as before
    assert df.attrs["input_labels"][SEGMENT] == SEGMENT_LABEL
    named = suite.to_pandas(labels=True)
    assert TEAM_LABEL in named.columns and TEAM not in named.columns
    np.testing.assert_array_equal(named[SEGMENT_LABEL].to_numpy(), df[SEGMENT].to_numpy())
    metrics = list(suite.metrics)
    assert list(named.columns[: len(metrics)]) == list(df.columns[: len(metrics)]) == metrics
    assert len(named.columns) == len(df.columns) == len(metrics) + len(suite.inputs)


def test_a_label_is_taken_back_as_its_input(suite):
    table = suite.input_table
    for path, label in suite.input_labels.items():
        assert table.resolve(label) == path


def test_a_variable_is_labelled_by_its_dollar_name():
    sc = breakeven.load(templates.path("api-platform-price-war"))
    r = breakeven.simulate(sc, samples=50, seed=1, keep_ledger=0)
    assert r.input_labels["variables.demand_growth"] == "$demand_growth"
    assert "$demand_growth" in r.to_pandas(labels=True).columns


def test_labels_that_read_alike_keep_their_paths(suite):
    """Labels name inputs one to one: were two to read alike, both keep their paths (no column
    of the DataFrame is overwritten)."""

    class Alike:
        def label(self, path: str) -> str:
            return "same" if path in (TEAM, SEGMENT) else path

    r = dataclasses.replace(suite, input_table=Alike())
    assert r.input_labels[TEAM] == TEAM and r.input_labels[SEGMENT] == SEGMENT
    assert len(r.to_pandas(labels=True).columns) == len(suite.to_pandas().columns)
