"""The normal and logistic functions of :mod:`breakeven.models.special` are scipy's, bit for bit:
on small arrays they are computed without scipy (so the light commands start without it), on
large ones by scipy itself. Every branch of the Cephes code they follow, its boundaries and its
special values are compared here with :mod:`scipy.special`."""

import math

import numpy as np
import pytest
from scipy import special as scipy_special

from breakeven.models import special

EXP_M2 = 0.13533528323661269189  # where Cephes' ndtri changes branch
SPECIAL_VALUES = [0.0, -0.0, 1.0, -1.0, 2.0, math.inf, -math.inf, math.nan, 5e-324, 1e-310]


def same(ours, theirs) -> bool:
    """Equal as floats (NaN where NaN), with the same sign (-0.0 is not 0.0)."""
    a, b = np.asarray(ours), np.asarray(theirs)
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    nan = np.isnan(a)
    return bool(
        np.array_equal(nan, np.isnan(b))
        and np.array_equal(a[~nan], b[~nan])
        and np.array_equal(np.signbit(a[~nan]), np.signbit(b[~nan]))
    )


def near(x: float, n: int, rng: np.random.Generator, ulps: int = 4096) -> np.ndarray:
    """``n`` numbers within a few thousand units in the last place of ``x`` (both sides)."""
    return x + rng.integers(-ulps, ulps, n) * math.ulp(x)


def compare(name: str, x: np.ndarray) -> None:
    """``special.<name>`` against scipy's, in arrays small enough to be computed without scipy."""
    for i in range(0, x.size, special.SMALL):
        chunk = x[i : i + special.SMALL]
        ours, theirs = getattr(special, name)(chunk), getattr(scipy_special, name)(chunk)
        bad = ~(
            (ours == theirs) & (np.signbit(ours) == np.signbit(theirs))
            | np.isnan(ours) & np.isnan(theirs)
        )
        assert not bad.any(), (name, chunk[bad][:5], ours[bad][:5], theirs[bad][:5])


@pytest.fixture
def rng():
    return np.random.default_rng(20250101)


def test_ndtri_is_scipys(rng):
    n = 60_000
    u = np.concatenate(
        [
            SPECIAL_VALUES,
            [0.5, EXP_M2, 1 - EXP_M2, math.exp(-32), 1 - 2**-53, 2**-53],
            rng.random(n),  # the central branch and both tails
            10 ** rng.uniform(-320, 0, n),  # the lower tail, down to subnormals (z beyond 8)
            1 - 10 ** rng.uniform(-16, 0, n),  # the upper tail, mirrored
            near(EXP_M2, 5000, rng),
            near(1 - EXP_M2, 5000, rng),
            near(math.exp(-32), 5000, rng),  # where the tail's two fits meet (z = 8)
            (rng.integers(0, 2**53, n) + 0.5) / 2**53,  # the engine's uniforms
        ]
    )
    compare("ndtri", u)


def test_ndtr_is_scipys(rng):
    n = 60_000
    x = np.concatenate(
        [
            SPECIAL_VALUES,
            [math.sqrt(2), -math.sqrt(2), 8 * math.sqrt(2), 37.5, -37.5, 38.5, -38.5, 1e300],
            rng.normal(0, 3, n),
            rng.uniform(-40, 40, n),  # into erfc's underflow
            rng.normal(0, 1, n) * 10 ** rng.uniform(-300, 2, n),
            near(math.sqrt(2), 5000, rng),  # erf | erfc
            near(-math.sqrt(2), 5000, rng),
            near(8 * math.sqrt(2), 5000, rng),  # erfc's two fits
        ]
    )
    compare("ndtr", x)


def test_expit_and_logit_are_scipys(rng):
    n = 60_000
    x = np.concatenate(
        [SPECIAL_VALUES, [709.78, -709.78, 745.2, -745.2, 746.0, -746.0], rng.uniform(-800, 800, n)]
    )
    compare("expit", np.concatenate([x, rng.normal(0, 4, n)]))
    p = np.concatenate([SPECIAL_VALUES, rng.random(n), near(0.3, 5000, rng), near(0.65, 5000, rng)])
    compare("logit", p)


@pytest.mark.parametrize("name", ["ndtri", "ndtr", "expit", "logit"])
def test_shapes_and_types_as_a_ufunc(name):
    ours, theirs = getattr(special, name), getattr(scipy_special, name)
    doubles = (0.3, np.float64(0.3), np.array(0.3), [0.1, 0.7], np.array([[0.2], [0.9]]))
    others = (np.float32(0.3), np.array([0.1, 0.7], dtype=np.float32), 1, True, np.array([0, 1]))
    for x in doubles + others:  # the others are scipy's own (its loops for them)
        a, b = ours(x), theirs(x)
        assert type(a) is type(b) and np.asarray(a).dtype == np.asarray(b).dtype, (name, x)
        assert same(a, b), (name, x)
    assert ours(np.array([])).shape == (0,)


@pytest.mark.parametrize("name", ["ndtri", "ndtr", "expit", "logit"])
def test_large_arrays_are_scipys_own(name, rng):
    x = rng.random(special.SMALL + 1)
    assert same(getattr(special, name)(x), getattr(scipy_special, name)(x))
