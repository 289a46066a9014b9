"""The normal quantile and distribution functions, the logistic function and its inverse, bit for
bit as :mod:`scipy.special` computes them, without importing scipy for small arrays.

Importing ``scipy.special`` costs about 0.15 s (it loads half of numpy's optional modules through
scipy's array-API layer): more than a third of the 0.4 s that ``breakeven validate``, ``infer`` and
``train`` may take in all (issue 13), for a few thousand draws. These functions follow the C++
sources scipy compiles (``xsf``: Cephes' ``ndtri``, ``ndtr``, ``erf``, ``erfc``; ``expit``;
``logit``) operation for operation: the polynomial arithmetic in numpy (IEEE-754 additions,
products and quotients, exactly rounded as in C), the logarithms and exponentials through
:mod:`math`, which calls the C library that scipy's code calls (numpy's own vectorised ``log`` and
``exp`` differ from it in the last bit for some arguments). Arrays of more than :data:`SMALL`
elements go to scipy's ufuncs — the same numbers, faster — so a large run is as fast as before, and
so do arguments that are not doubles (the ufuncs have loops of their own for them).
``tests/test_special.py`` checks the two agree to the bit on every branch, its boundaries and the
special values (on a platform whose scipy build fused a product and a sum into one rounding, it
would say so).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

SMALL = 4096
"""Arrays up to this many elements are computed here; larger ones by scipy (same results)."""

# ---------------------------------------------------------------- Cephes constants (xsf)

_EXP_M2 = 0.13533528323661269189  # exp(-2)
_SQRT2PI = 2.506628274631000502415765284811045253007
_SQRT1_2 = 0.70710678118654752440  # M_SQRT1_2
_MAXLOG = 7.097827128933839730962063185871e2  # log(DBL_MAX)

# ndtri: 0 <= |y - 0.5| <= 3/8
_P0 = (
    -5.99633501014107895267e1,
    9.80010754185999661536e1,
    -5.66762857469070293439e1,
    1.39312609387279679503e1,
    -1.23916583867381258016e0,
)
_Q0 = (
    1.95448858338141759834e0,
    4.67627912898881538453e0,
    8.63602421390890590575e1,
    -2.25462687854119370527e2,
    2.00260212380060660359e2,
    -8.20372256168333339912e1,
    1.59056225126211695515e1,
    -1.18331621121330003142e0,
)
# ndtri: z = sqrt(-2 log y) between 2 and 8
_P1 = (
    4.05544892305962419923e0,
    3.15251094599893866154e1,
    5.71628192246421288162e1,
    4.40805073893200834700e1,
    1.46849561928858024014e1,
    2.18663306850790267539e0,
    -1.40256079171354495875e-1,
    -3.50424626827848203418e-2,
    -8.57456785154685413611e-4,
)
_Q1 = (
    1.57799883256466749731e1,
    4.53907635128879210584e1,
    4.13172038254672030440e1,
    1.50425385692907503408e1,
    2.50464946208309415979e0,
    -1.42182922854787788574e-1,
    -3.80806407691578277194e-2,
    -9.33259480895457427372e-4,
)
# ndtri: z between 8 and 64
_P2 = (
    3.23774891776946035970e0,
    6.91522889068984211695e0,
    3.93881025292474443415e0,
    1.33303460815807542389e0,
    2.01485389549179081538e-1,
    1.23716634817820021358e-2,
    3.01581553508235416007e-4,
    2.65806974686737550832e-6,
    6.23974539184983293730e-9,
)
_Q2 = (
    6.02427039364742014255e0,
    3.67983563856160859403e0,
    1.37702099489081330271e0,
    2.16236993594496635890e-1,
    1.34204006088543189037e-2,
    3.28014464682127739104e-4,
    2.89247864745380683936e-6,
    6.79019408009981274425e-9,
)
# erfc, 1 <= x < 8
_NP = (
    2.46196981473530512524e-10,
    5.64189564831068821977e-1,
    7.46321056442269912687e0,
    4.86371970985681366614e1,
    1.96520832956077098242e2,
    5.26445194995477358631e2,
    9.34528527171957607540e2,
    1.02755188689515710272e3,
    5.57535335369399327526e2,
)
_NQ = (
    1.32281951154744992508e1,
    8.67072140885989742329e1,
    3.54937778887819891062e2,
    9.75708501743205489753e2,
    1.82390916687909736289e3,
    2.24633760818710981792e3,
    1.65666309194161350182e3,
    5.57535340817727675546e2,
)
# erfc, x >= 8
_NR = (
    5.64189583547755073984e-1,
    1.27536670759978104416e0,
    5.01905042251180477414e0,
    6.16021097993053585195e0,
    7.40974269950448939160e0,
    2.97886665372100240670e0,
)
_NS = (
    2.26052863220117276590e0,
    9.39603524938001434673e0,
    1.20489539808096656605e1,
    1.70814450747565897222e1,
    9.60896809063285878198e0,
    3.36907645100081516050e0,
)
# erf, |x| <= 1
_NT = (
    9.60497373987051638749e0,
    9.00260197203842689217e1,
    2.23200534594684319226e3,
    7.00332514112805075473e3,
    5.55923013010394962768e4,
)
_NU = (
    3.35617141647503099647e1,
    5.21357949780152679795e2,
    4.59432382970980127987e3,
    2.26290000613890934246e4,
    4.92673942608635921086e4,
)


def _polevl(x: Array, coef: tuple[float, ...]) -> Array:
    """c0 xᴺ + … + cN by Horner's rule, one rounding per product and per sum (Cephes polevl)."""
    ans = np.full_like(x, coef[0])
    for c in coef[1:]:
        ans = ans * x + c
    return ans


def _p1evl(x: Array, coef: tuple[float, ...]) -> Array:
    """xᴺ + c0 xᴺ⁻¹ + … + cN₋₁: a leading coefficient of 1 left out (Cephes p1evl)."""
    ans = x + coef[0]
    for c in coef[1:]:
        ans = ans * x + c
    return ans


def _each(fn: Callable[[float], float], x: Array) -> Array:
    """``fn`` of every element, through the C library as scipy's compiled code calls it."""
    return np.fromiter(map(fn, x.tolist()), dtype=float, count=x.size)


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:  # C's exp returns +inf
        return math.inf


def _ndtri(y0: Array) -> Array:
    out = np.full(y0.shape, np.nan)
    out[y0 == 0.0] = -math.inf
    out[y0 == 1.0] = math.inf
    inside = (y0 > 0.0) & (y0 < 1.0)
    upper = y0 > 1.0 - _EXP_M2  # Cephes computes the upper tail as the lower one, mirrored
    y = np.where(upper, 1.0 - y0, y0)
    central = inside & (y > _EXP_M2)
    if central.any():
        w = y[central] - 0.5
        w2 = w * w
        x = w + w * (w2 * _polevl(w2, _P0) / _p1evl(w2, _Q0))
        out[central] = x * _SQRT2PI
    tail = inside & ~(y > _EXP_M2)
    if tail.any():
        yt = y[tail]
        x = np.sqrt(-2.0 * _each(math.log, yt))
        x0 = x - _each(math.log, x) / x
        z = 1.0 / x
        near = x < 8.0
        x1 = np.where(
            near,
            z * _polevl(z, _P1) / _p1evl(z, _Q1),
            z * _polevl(z, _P2) / _p1evl(z, _Q2),
        )
        x = x0 - x1
        out[tail] = np.where(upper[tail], x, -x)
    return out


def _erf_small(x: Array) -> Array:
    """erf for |x| < 1 (odd: Cephes' -erf(-x) is the same number)."""
    z = x * x
    return x * _polevl(z, _NT) / _p1evl(z, _NU)


def _erfc_large(a: Array) -> Array:
    """erfc for a >= 1 (or +inf)."""
    out = np.zeros(a.shape)
    z = -a * a
    live = ~(z < -_MAXLOG)  # below: underflow, 0
    if live.any():
        x = a[live]
        ez = _each(_exp, z[live])
        near = x < 8.0
        p = np.where(near, _polevl(x, _NP), _polevl(x, _NR))
        q = np.where(near, _p1evl(x, _NQ), _p1evl(x, _NS))
        out[live] = (ez * p) / q
    return out


def _ndtr(a: Array) -> Array:
    out = np.full(a.shape, np.nan)
    x = a * _SQRT1_2
    z = np.abs(x)
    small = z < 1.0
    if small.any():
        out[small] = 0.5 + 0.5 * _erf_small(x[small])
    large = z >= 1.0  # NaN is neither
    if large.any():
        y = 0.5 * _erfc_large(z[large])
        out[large] = np.where(x[large] > 0, 1.0 - y, y)
    return out


def _expit(x: Array) -> Array:
    return 1.0 / (1.0 + _each(_exp, -x))


def _logit(x: float) -> float:
    if math.isnan(x) or x < 0.0 or x > 1.0:
        return math.nan
    if x == 0.0:
        return -math.inf
    if x == 1.0:
        return math.inf
    if x < 0.3 or x > 0.65:
        return math.log(x / (1 - x))
    s = 2 * (x - 0.5)
    return math.log1p(s) - math.log1p(-s)


def _apply(ours: Callable[[Array], Array], name: str, x: float | NDArray[Any]) -> Any:
    """``ours`` on a small array of doubles, shaped as scipy's ufunc gives it (a scalar gives a
    numpy scalar); anything else — a large array, or another type, for which the ufunc has loops
    of its own (single precision, integers, complex) — goes to scipy."""
    a = np.asarray(x)
    if a.size > SMALL or a.dtype != np.float64:
        from scipy import special

        return getattr(special, name)(x)
    with np.errstate(all="ignore"):
        out = ours(a.ravel()).reshape(a.shape)
    return out[()] if out.ndim == 0 else out


@overload
def ndtri(u: float) -> np.float64: ...
@overload
def ndtri(u: NDArray[Any]) -> Array: ...
def ndtri(u: float | NDArray[Any]) -> np.float64 | Array:
    """The standard normal quantile Φ⁻¹(u) (``scipy.special.ndtri``)."""
    return _apply(_ndtri, "ndtri", u)  # type: ignore[no-any-return]  # as the overloads say


@overload
def ndtr(x: float) -> np.float64: ...
@overload
def ndtr(x: NDArray[Any]) -> Array: ...
def ndtr(x: float | NDArray[Any]) -> np.float64 | Array:
    """The standard normal distribution function Φ(x) (``scipy.special.ndtr``)."""
    return _apply(_ndtr, "ndtr", x)  # type: ignore[no-any-return]  # as the overloads say


@overload
def expit(x: float) -> np.float64: ...
@overload
def expit(x: NDArray[Any]) -> Array: ...
def expit(x: float | NDArray[Any]) -> np.float64 | Array:
    """The logistic function 1 / (1 + e⁻ˣ) (``scipy.special.expit``)."""
    return _apply(_expit, "expit", x)  # type: ignore[no-any-return]  # as the overloads say


@overload
def logit(p: float) -> np.float64: ...
@overload
def logit(p: NDArray[Any]) -> Array: ...
def logit(p: float | NDArray[Any]) -> np.float64 | Array:
    """Its inverse, log(p / (1 − p)) (``scipy.special.logit``)."""
    return _apply(lambda a: _each(_logit, a), "logit", p)  # type: ignore[no-any-return]


__all__ = ["SMALL", "expit", "logit", "ndtr", "ndtri"]
