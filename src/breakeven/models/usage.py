"""Usage across users and its heavy tail: the served mean under a fair-use cap, quantile users.

Usage across users is lognormal with mean 1 (in units of the average user) and log-sd σ:
X = exp(−σ²/2 + σZ). A fair-use cap c serves at most c × mean, so the served mean is
E[min(X, c)] = Φ((ln c − σ²/2)/σ) + c·(1 − Φ((ln c + σ²/2)/σ)) (partial expectation of the
lognormal; e.g. Johnson, Kotz & Balakrishnan, *Continuous Univariate Distributions* vol. 1, ch. 14).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from . import special

Array = NDArray[np.float64]


def capped_mean_factor(sigma: Array, cap: Array | None) -> Array:
    """E[min(X, cap)] for X lognormal with mean 1 and log-sd sigma (1 when there is no cap).

    >>> round(float(capped_mean_factor(np.array([1.0]), np.array([1.0]))[0]), 4)
    0.6171
    """
    sigma = np.asarray(sigma, dtype=float)
    if cap is None:
        return np.ones_like(sigma)
    cap = np.asarray(cap, dtype=float)
    s = np.maximum(sigma, 1e-12)
    lc = np.log(cap)
    below = special.ndtr((lc - s * s / 2) / s)
    above = 1.0 - special.ndtr((lc + s * s / 2) / s)
    out = below + cap * above
    return np.where(sigma > 0, out, np.minimum(1.0, cap))


def user_quantile_factor(sigma: Array, q: float, cap: Array | None) -> Array:
    """Usage of the user at quantile q, in units of the mean user (capped if a cap is set).

    >>> round(float(user_quantile_factor(np.array([0.5]), 0.9, None)[0]), 3)
    1.675
    """
    sigma = np.asarray(sigma, dtype=float)
    x = np.exp(-sigma * sigma / 2 + sigma * special.ndtri(q))
    return x if cap is None else np.minimum(x, cap)


def user_serving_cost(
    usage_factor: Array | float,
    requests_per_month: Array,
    input_tokens_per_request: Array,
    output_tokens_per_request: Array,
    cost_per_input_token: Array,
    cost_per_output_token: Array,
) -> Array:
    """Monthly serving cost of a user using ``usage_factor`` × the mean.

    >>> float(user_serving_cost(2.0, np.array([10.0]), np.array([100.0]), np.array([10.0]),
    ...                         np.array([0.001]), np.array([0.01]))[0])
    4.0
    """
    per_request = (
        input_tokens_per_request * cost_per_input_token
        + output_tokens_per_request * cost_per_output_token
    )
    return usage_factor * requests_per_month * per_request
