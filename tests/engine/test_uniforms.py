"""The default uniform source: each RNG block is what numpy's Generator would draw."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from breakeven.engine.inputs import BLOCK, block_uniforms, independent_uniforms, name_key


def _generator_block(seed: int, key: int, b: int) -> np.ndarray:
    """The block as the source first made it: Generator.integers(0, 2**53), (k + 0.5) / 2**53."""
    g = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, key, b])))
    return (g.integers(0, 2**53, BLOCK, dtype=np.int64) + 0.5) / float(2**53)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**63 - 1),
    key=st.integers(0, 2**32 - 1),
    b=st.integers(0, 10_000),
)
def test_block_is_the_generators_bounded_integers(seed: int, key: int, b: int) -> None:
    assert np.array_equal(block_uniforms(seed, key, b), _generator_block(seed, key, b))


def test_block_is_in_the_open_interval_with_53_bit_steps() -> None:
    u = block_uniforms(7, name_key("market.consumer.growth"), 3)
    assert u.shape == (BLOCK,) and u.dtype == np.float64
    assert 0.0 < u.min() and u.max() < 1.0
    k = u * 2.0**53 - 0.5  # back to the integers, exactly
    assert np.array_equal(k, np.floor(k))


def test_source_splits_blocks_at_any_sample_range() -> None:
    src = independent_uniforms(11)
    names = ["a", "b"]
    whole = src(names, 0, 3 * BLOCK)
    part = src(names, BLOCK - 5, 2 * BLOCK + 9)  # across two block edges
    assert np.array_equal(part, whole[:, BLOCK - 5 : 2 * BLOCK + 9])
    assert np.array_equal(whole[1, :BLOCK], _generator_block(11, name_key("b"), 0))
