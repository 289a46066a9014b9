"""What was made faster for the server answers exactly what it answered before."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from breakeven.analysis.sensitivity import tails
from breakeven.scenario.loader import load_text, load_text_lines, parse_yaml
from breakeven.server.tuning import keep_freed_memory

from .conftest import EXAMPLE

values = st.one_of(
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, 1.0, 2.0]),  # ties, as a discrete input has them
)


@settings(max_examples=150, deadline=None)
@given(arrays(np.float64, st.integers(1, 200), elements=values), st.data())
def test_tails_are_the_ends_of_a_stable_argsort(x, data):
    m = data.draw(st.integers(1, len(x)))
    order = np.argsort(x, kind="stable")
    bottom, top = tails(x, m)
    assert np.array_equal(bottom, order[:m])
    assert np.array_equal(top, order[-m:])


def test_load_text_lines_is_load_text_and_parse_yaml():
    text = EXAMPLE.read_text(encoding="utf-8")
    sc, lines = load_text_lines(text, "x.yaml")
    assert lines == parse_yaml(text, "x.yaml")[1]
    assert sc.model_dump(mode="json") == load_text(text, "x.yaml").model_dump(mode="json")


def test_memory_tuning_is_harmless():
    assert keep_freed_memory() in (True, False)
    assert keep_freed_memory() in (True, False)  # twice is fine
