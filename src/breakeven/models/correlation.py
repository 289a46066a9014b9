"""Rank correlations between inputs, honoured by a Gaussian copula.

Uniforms u of the correlated inputs go to normal scores z = Φ⁻¹(u), are mixed by the Cholesky
factor of the normal correlation matrix, and return as Φ(L z). The rank (Spearman) correlation r_s
asked for becomes the normal correlation ρ = 2 sin(π r_s / 6) (Pearson 1907; Kruskal 1958), so
the achieved rank correlation equals the target. The transform is per sample: results stay
independent of chunking and worker count.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from . import special

Array = NDArray[np.float64]


def normal_from_rank(rank: float) -> float:
    """Normal-copula correlation giving Spearman rank correlation ``rank``."""
    rho: float = 2.0 * np.sin(np.pi * rank / 6.0)
    return rho


def correlation_matrix(names: list[str], pairs: list[tuple[str, str, float]]) -> Array:
    """Normal correlation matrix over ``names`` from (a, b, rank) pairs; raises if not PSD."""
    k = len(names)
    idx = {n: i for i, n in enumerate(names)}
    c = np.eye(k)
    for a, b, r in pairs:
        c[idx[a], idx[b]] = c[idx[b], idx[a]] = normal_from_rank(r)
    eig = np.linalg.eigvalsh(c)
    if eig.min() <= 1e-10:
        raise ValueError(
            "the correlations cannot all hold together (the matrix is not positive "
            f"definite; smallest eigenvalue {eig.min():.3g}); weaken some of them"
        )
    return c


def copula_transform(
    pairs: list[tuple[str, str, float]],
) -> Callable[[list[str], Array], Array]:
    """A transform(names, u) -> u for :func:`breakeven.simulate` applying the correlations."""
    involved = list(dict.fromkeys([a for a, _, _ in pairs] + [b for _, b, _ in pairs]))
    chol = np.linalg.cholesky(correlation_matrix(involved, pairs))

    def transform(names: list[str], u: Array) -> Array:
        rows = [names.index(n) for n in involved if n in names]
        if len(rows) != len(involved):
            return u  # a correlated input is a point value here: nothing to correlate
        z = special.ndtri(u[rows])
        out = u.copy()
        out[rows] = special.ndtr(chol @ z)
        return out

    return transform
