"""Adoption: Bass diffusion in a market and inside an organisation, and paid acquisition.

Monthly discrete Bass model (Bass 1969, "A New Product Growth Model for Consumer Durables",
Management Science 15(5)): new adopters in a month are (p/12 + (q/12)·active/M)·(M − ever adopted)
with p, q the annual coefficients of innovation and imitation. Paid acquisition buys budget ÷ CAC
users from the same remaining market, with CAC rising as the market fills.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .compiled import twin

Array = NDArray[np.float64]


def bass_new_adopters(
    market_size: Array,
    ever_adopted: Array,
    active: Array,
    p_per_year: Array,
    q_per_year: Array,
) -> Array:
    """Organic adopters this month from the Bass hazard on the not-yet-adopted market.

    >>> float(bass_new_adopters(np.array([1000.0]), np.array([100.0]), np.array([100.0]),
    ...                         np.array([0.12]), np.array([1.2]))[0])
    18.0
    """
    remaining = np.maximum(market_size - ever_adopted, 0.0)
    hazard = p_per_year / 12.0 + (q_per_year / 12.0) * active / market_size
    return np.minimum(hazard, 1.0) * remaining


def imitation_for_growth(
    market_size: Array,
    ever_adopted: Array,
    active: Array,
    q_per_year: Array,
    new_adopters: Array,
) -> Array:
    """The Bass imitation q (per year) that, with no innovation, gives ``new_adopters`` this
    month: inverts :func:`bass_new_adopters` at p = 0, q = 12·(new ÷ remaining)·market ÷ active,
    never below the ``q_per_year`` given (word of mouth alone may already bring more).

    A product's stated growth is carried by the term that grows with its users: past take-off
    a diffusion's adopters come mostly by imitation (Bass 1969; fitted innovation is a few
    percent a year against imitation near 0.4, Sultan, Farley & Lehmann 1990), so the inflow of
    a product growing g a month grows with it and its growth fades only as the market fills. A
    calibrated innovation would hold the inflow at its month-1 level and the growth would fall
    as 1 ÷ users within months, a slowdown no stated growth or trend says.

    >>> imitation_for_growth(np.array([1000.0]), np.array([100.0]), np.array([100.0]),
    ...                      np.array([0.0]), np.array([18.0])).round(6).tolist()
    [2.4]
    """
    remaining = np.maximum(market_size - ever_adopted, 0.0)
    hazard = np.divide(new_adopters, remaining, out=np.ones_like(remaining), where=remaining > 0)
    share = np.divide(active, market_size, out=np.zeros_like(remaining), where=market_size > 0)
    needed = np.divide(
        12.0 * np.minimum(hazard, 1.0), share, out=np.zeros_like(remaining), where=share > 0
    )
    return np.maximum(needed, q_per_year)


def reactivation_for_growth(
    reactivation: Array,
    lapsed: Array,
    new_adopters: Array,
    market_left: Array,
) -> Array:
    """The monthly return rate of lapsed users that, with everyone the market has left
    adopting (``market_left``), still brings the ``new_adopters`` a stated growth needs this
    month: r + (new − left) ÷ lapsed where the market is short, r where it is not; at most 1.

    A product growing in a market whose people have nearly all used it can only grow by
    winning back those who left: the shortfall is theirs. Where the market still holds the
    adopters, the rate is the plan's (:func:`imitation_for_growth` raises word of mouth
    instead), and the two meet with no jump where the people left equal those needed. Held for
    the whole horizon, it fades the growth as the lapsed pool empties, as the imitation fades it
    as the market fills. An observed growth is taken over the priors (market size, churn,
    return) that would contradict it, as the imitation is (never below the plan's rate).

    >>> reactivation_for_growth(np.array([0.05, 0.05, 0.05, 0.05]),
    ...                         np.array([400.0, 400.0, 10.0, 0.0]),
    ...                         np.array([100.0, 30.0, 100.0, 100.0]),
    ...                         np.array([40.0, 40.0, 40.0, 40.0])).round(6).tolist()
    [0.2, 0.05, 1.0, 0.05]
    """
    short = np.maximum(new_adopters - market_left, 0.0)
    with np.errstate(over="ignore"):  # a handful lapsed: inf, held at 100% below
        extra = np.divide(short, lapsed, out=np.zeros_like(short), where=lapsed > 0)
    return np.asarray(np.where(short > 0, np.minimum(reactivation + extra, 1.0), reactivation))


def lapsed_pool(
    churn: Array,
    active: Array,
    growth: Array | float,
    reactivation: Array,
    market_size: Array,
    early_churn: Array | float = 0.0,
    early_months: int = 0,
) -> Array:
    """People who used a product before and do not now, for a product whose active users have
    been growing at ``growth`` a month under these churn and return rates: the lapsed pool L of
    dL = churn·A − reactivation·L with A growing exponentially is L = churn·A ÷ (growth +
    reactivation) (at no growth, the steady state churn·A ÷ reactivation); no more than the
    market left, and 0 when nobody comes back and nothing grows.

    With early months (:func:`growing_cohorts`) the early cohorts' churn feeds the pool too:
    L = (churn·S + early churn·N·K) ÷ (g + r), S = A − N·K, solved with the path's N joiners a
    month, whom the returning reduce (N = A·(g + c·(1 − σ)) ÷ (K·(g + c·(1 − σ) + σ·e) + G·x^m),
    σ = r ÷ (g + r), in :func:`growing_cohorts`' terms). A product shrinking so that its path
    would need negative joiners (any decline, with people coming back) has nobody new: the pool
    is the one whose returning make up the churn less the decline, (g + churn)·A ÷ r (0 if
    negative), so the stated decline holds rather than a pool (growth + r → 0) of millions.

    >>> lapsed_pool(np.array([0.1]), np.array([100.0]), 0.0, np.array([0.05]),
    ...             np.array([1e6])).tolist()
    [200.0]
    >>> lapsed_pool(np.array([0.1]), np.array([100.0]), 0.15, np.array([0.05]),
    ...             np.array([1e6])).round(6).tolist()
    [50.0]
    >>> lapsed_pool(np.array([0.1]), np.array([100.0]), -0.049, np.array([0.05]),
    ...             np.array([1e6])).round(6).tolist()  # (−0.049 + 0.1) × 100 ÷ 0.05
    [102.0]
    """
    a = np.asarray(active, dtype=float)
    g = np.asarray(growth, dtype=float)
    c = np.asarray(churn, dtype=float)
    r = np.asarray(reactivation, dtype=float)
    e = np.asarray(early_churn, dtype=float)
    rate = g + r
    x = (1.0 - e) / (1.0 + g)
    k = sum(x**age for age in range(early_months)) if early_months else np.zeros_like(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        back_share = np.where(rate > 0, r / np.where(rate > 0, rate, 1.0), 0.0)  # σ
        base = g + c * (1.0 - back_share)
        joiners = a * base / (k * (base + back_share * e) + (1.0 + g) * x**early_months)
        settled = a - joiners * k
        pool = np.where(rate > 0, (c * settled + e * joiners * k) / np.where(rate > 0, rate, 1), 0)
        cover = np.where(r > 0, np.maximum((g + c) * a / np.where(r > 0, r, 1.0), 0.0), 0.0)
    pool = np.where(joiners < 0, cover, pool)
    return np.asarray(np.minimum(np.maximum(pool, 0.0), np.maximum(market_size - a, 0.0)))


def growing_cohorts(
    active: Array,
    growth: Array | float,
    churn: Array,
    early_churn: Array,
    early_months: int,
    returning: Array,
) -> tuple[Array, Array, Array]:
    """Split the active users of a product that has been growing at ``growth`` a month into
    settled users and the early cohorts still in their high-churn months, and give the new
    adopters month 1 needs to keep growing so: (settled, early by age (months, n), new).

    In steady exponential growth G = 1 + g with N new adopters a month, the cohort of age a holds
    N·x^a, x = (1 − early churn) ÷ G, and the settled users S satisfy S·(g + churn) = returning +
    G·N·x^m (the cohort of age m − 1 settles each month). With A = S + N·Σ_{a<m} x^a this gives
    N = ((g + churn)·A − returning) ÷ (K·(g + churn) + G·x^m), K = Σ_{a<m} x^a; month 1 brings
    G·N. Without early months (m = 0) it is the plain balance new = (g + churn)·A − returning.
    A shrinking product (N < 0) has no early cohorts and brings nobody new.

    >>> s, e, n = growing_cohorts(np.array([100.0]), 0.0, np.array([0.1]), np.array([0.5]), 1,
    ...                           np.array([0.0]))
    >>> [round(float(s[0]), 6), round(float(e[0, 0]), 6), round(float(n[0]), 6)]
    [83.333333, 16.666667, 16.666667]
    """
    a = np.asarray(active, dtype=float)
    g = np.asarray(growth, dtype=float)
    big_g = 1.0 + g
    x = (1.0 - np.asarray(early_churn, dtype=float)) / big_g
    ages = np.arange(early_months, dtype=float).reshape((-1,) + (1,) * np.ndim(x))
    weights = np.broadcast_to(x, np.broadcast(x, a).shape) ** ages  # x^a by age
    k = weights.sum(axis=0)
    rate = g + churn
    n0 = (rate * a - returning) / (k * rate + big_g * x**early_months)
    n0 = np.maximum(n0, 0.0)
    early = n0 * weights
    settled = a - early.sum(axis=0)
    return settled, early, big_g * n0


def saturating_cac(cost_per_user: Array, remaining_share: Array, exponent: Array) -> Array:
    """CAC once part of the market is reached: CAC × remaining_share^-k (cheap users go first).
    The remaining share is floored at 0.1%: past that the market is exhausted (and the users
    bought are capped by what is left anyway).

    >>> float(saturating_cac(np.array([10.0]), np.array([0.25]), np.array([0.5]))[0])
    20.0
    """
    return cost_per_user * np.power(np.maximum(remaining_share, 1e-3), -exponent)


def paid_new_users(budget: Array, cost_per_user: Array, room: Array) -> Array:
    """Users bought this month: budget / CAC, never more than the market left.

    >>> paid_new_users(np.array([100.0, 100.0]), np.array([2.0, 2.0]), np.array([80.0, 20.0]))
    array([50., 20.])
    """
    return np.minimum(budget / cost_per_user, np.maximum(room, 0.0))


def within_org_adoption(p: Array, q: Array, resistance: Array, months: int) -> Array:
    """Adopted share of an organisation's people after 1..months months, shape (months, n).

    Bass diffusion with resistance (a share never adopts): s(a+1) = s(a) + (p + q·s(a)/S)·(S − s(a)),
    S = 1 − resistance.

    >>> within_org_adoption(np.array([0.5]), np.array([0.0]), np.array([0.0]), 2).ravel().tolist()
    [0.5, 0.75]
    """
    S = 1.0 - resistance
    s = np.zeros_like(S)
    out = np.empty((months,) + np.shape(S))
    # s / S, 0 where S is 0 (s stays 0 there): dividing by 1 instead is the same number and
    # about 3× faster than a masked divide
    S_or_1 = np.where(S > 0, S, 1.0)
    for a in range(months):
        hazard = np.minimum(p + q * (s / S_or_1), 1.0)
        s = s + hazard * (S - s)
        out[a] = s
    return out


def survival_by_age(monthly_survival: Array, months: int) -> Array:
    """Share of a cohort still there after 0..months-1 months, shape (months, n): s^a, built by
    repeated multiplication (exactly rounded, so the same bits on any CPU and chunking, unlike a
    broadcast power).

    >>> survival_by_age(np.array([0.5]), 3).ravel().tolist()
    [1.0, 0.5, 0.25]
    """
    out = np.empty((months, np.shape(monthly_survival)[0]))
    out[0] = 1.0
    for a in range(1, months):
        np.multiply(out[a - 1], monthly_survival, out=out[a])
    return out


def _seats_by_age_loop(
    p: Array,
    q: Array,
    resistance: Array,
    monthly_survival: Array,
    seats_per_account: Array,
    unused_share: Array,
    minimum: Array,
    weight: Array,
    paid: Array,
) -> None:  # pragma: no cover - compiled by numba (the numpy twin is tested against it)
    """:func:`seats_by_age` as one loop: 512 samples at a time through every age."""
    months, n = weight.shape
    with_paid = paid.shape[0] > 0
    width = 512
    share = np.empty(width)  # adopted share s(a+1)
    alive = np.empty(width)  # survival^a
    for j0 in range(0, n, width):
        j1 = min(n, j0 + width)
        m = j1 - j0
        share[:m] = 0.0
        alive[:m] = 1.0
        pj, qj, rj, sv = p[j0:j1], q[j0:j1], resistance[j0:j1], monthly_survival[j0:j1]
        seats, unused, low = seats_per_account[j0:j1], unused_share[j0:j1], minimum[j0:j1]
        for a in range(months):
            w = weight[a, j0:j1]
            for j in range(m):
                top = 1.0 - rj[j]
                top_or_1 = top if top > 0 else 1.0
                hazard = pj[j] + qj[j] * (share[j] / top_or_1)
                hazard = 1.0 if hazard > 1.0 else hazard
                s = share[j] + hazard * (top - share[j])
                share[j] = s
                w[j] = alive[j] * s * seats[j]
            if with_paid:
                pa = paid[a, j0:j1]
                for j in range(m):
                    x = share[j] * seats[j] / (1.0 - unused[j])
                    pa[j] = alive[j] * (low[j] if low[j] >= x else x)
            for j in range(m):
                alive[j] = alive[j] * sv[j]


@twin(_seats_by_age_loop)
def _seats_by_age(
    p: Array,
    q: Array,
    resistance: Array,
    monthly_survival: Array,
    seats_per_account: Array,
    unused_share: Array,
    minimum: Array,
    weight: Array,
    paid: Array,
) -> None:
    """:func:`seats_by_age` into ``weight`` and ``paid`` (no rows: not made)."""
    months = weight.shape[0]
    adopt = within_org_adoption(p, q, resistance, months)
    by_age = survival_by_age(monthly_survival, months)
    if paid.shape[0]:
        np.multiply(
            by_age,
            paid_seats_per_account(adopt, seats_per_account, unused_share, minimum),
            out=paid,
        )
    np.multiply(by_age, adopt, out=weight)
    weight *= seats_per_account


def seats_by_age(
    p: Array,
    q: Array,
    resistance: Array,
    monthly_survival: Array,
    seats_per_account: Array,
    unused_share: Array,
    minimum: Array | None,
    months: int,
) -> tuple[Array, Array | None]:
    """What one account deployed a months ago holds, survival included, for ages 0..months−1,
    (months, n) each: seats in use survival^a · s(a+1) · seats per account
    (:func:`within_org_adoption`, :func:`survival_by_age`), and — with a ``minimum`` — paid seats
    survival^a · :func:`paid_seats_per_account` (else None). One compiled pass makes both
    without the (months, n) arrays between them; the numpy twin composes the functions named.

    >>> w, paid = seats_by_age(np.array([0.5]), np.array([0.0]), np.array([0.0]),
    ...                        np.array([0.5]), np.array([10.0]), np.array([0.5]), np.array([8.0]), 2)
    >>> w.ravel().tolist(), paid.ravel().tolist()
    ([5.0, 3.75], [10.0, 7.5])
    """
    n = np.shape(p)[0]
    row = [
        np.ascontiguousarray(np.broadcast_to(np.asarray(x, dtype=float), (n,)))
        for x in (
            p,
            q,
            resistance,
            monthly_survival,
            seats_per_account,
            unused_share,
            np.zeros(n) if minimum is None else minimum,
        )
    ]
    weight = np.empty((months, n))
    paid = np.empty((months if minimum is not None else 0, n))
    _seats_by_age(*row, weight, paid)
    return weight, (paid if minimum is not None else None)


def within_org_adoption_from(
    p: Array, q: Array, resistance: Array, age: NDArray[np.int64], months: int
) -> Array:
    """Adopted share of an organisation already ``age`` whole months into its rollout, for the
    next 1..months months: s(age+1) … s(age+months), shape (months, n), with s the curve of
    :func:`within_org_adoption` (the same recursion, so age 0 gives the same bits). ``age`` is
    per sample; the recursion runs max(age)+months steps, keeping each sample's window.

    >>> within_org_adoption_from(np.array([0.5, 0.5]), np.zeros(2), np.zeros(2),
    ...                          np.array([0, 1]), 2).tolist()
    [[0.5, 0.75], [0.75, 0.875]]
    """
    age = np.asarray(age, dtype=np.int64)
    S = 1.0 - resistance
    s = np.zeros_like(S)
    out = np.empty((months,) + np.shape(S))
    cols = np.arange(np.shape(S)[0])
    S_or_1 = np.where(S > 0, S, 1.0)  # as in within_org_adoption
    for a in range(int(age.max(initial=0)) + months):
        hazard = np.minimum(p + q * (s / S_or_1), 1.0)
        s = s + hazard * (S - s)
        row = a - age  # s is now s(a+1): row a−age of each sample's window
        keep = (row >= 0) & (row < months)
        out[row[keep], cols[keep]] = s[keep]
    return out


def _cohort_sums_loop(
    new: Array, per_age: Array, t0: int, t1: int, start: int, out: Array
) -> None:  # pragma: no cover - compiled by numba (the numpy twin is tested against it)
    """:func:`_cohort_sums_into` as one loop: samples in blocks of 512 (a block's cohorts and
    holdings stay in the cache for every month), each sum from 0 over ages start..t."""
    n = new.shape[1]
    width = 512
    acc = np.empty(width)
    for j0 in range(0, n, width):
        j1 = min(n, j0 + width)
        m = j1 - j0
        for t in range(t0, t1):
            acc[:m] = 0.0
            for a in range(start, t + 1):
                cohort, held = new[t - a, j0:j1], per_age[a, j0:j1]
                for j in range(m):  # rows as 1-D slices: the loop vectorises
                    acc[j] += cohort[j] * held[j]
            out[t - t0, j0:j1] = acc[:m]


@twin(_cohort_sums_loop)
def _cohort_sums_into(new: Array, per_age: Array, t0: int, t1: int, start: int, out: Array) -> None:
    """out[t − t0] = Σ_{a=start..t} new[t−a] · per_age[a] for months t0 ≤ t < t1, each sum
    taken from 0 in increasing age. numpy's einsum over the cohorts newest first adds the
    products one age after another, as the compiled loop does (the twins are tested equal)."""
    out[...] = 0.0
    for t in range(max(t0, start), t1):
        np.einsum("an,an->n", new[t - start :: -1], per_age[start : t + 1], out=out[t - t0])


def cohort_sums(
    new: Array,
    per_age: Array,
    months: range | None = None,
    start: int = 0,
    out: Array | None = None,
) -> Array:
    """What the cohorts hold in each of ``months`` (default: all; consecutive): Σ_{a=start..t}
    new[t−a] · per_age[a] for month t, shape (len(months), n), from the cohorts' sizes ``new``
    (months, n; only rows up to the last month are read) and what one member holds at each age
    ``per_age`` (months, n) — seats of an account deployed a months ago, say; into ``out`` when
    given.

    A cohort's holding need not be geometric in its age (adoption inside an account is not), so
    month t sums t + 1 terms, youngest age first. Compiled (:mod:`breakeven.models.compiled`),
    the loop takes 512 samples at a time, so their cohorts and holdings stay in the CPU cache
    for all the months summed together; the numpy twin adds one age at a time over all months.
    Both add the same terms in the same order: the same numbers whatever the months or blocks.

    >>> cohort_sums(np.array([[1.0], [2.0], [0.0]]), np.array([[10.0], [5.0], [1.0]])).ravel()
    array([10., 25., 11.])
    >>> cohort_sums(np.array([[1.0], [2.0], [0.0]]), np.array([[10.0], [5.0], [1.0]]),
    ...             range(1, 3), start=1).ravel()
    array([ 5., 11.])
    """
    months = range(new.shape[0]) if months is None else months
    if out is None:
        out = np.zeros((len(months), new.shape[1]))
    if len(months):
        assert months.step == 1, "consecutive months"
        _cohort_sums_into(new, per_age, months.start, months.stop, start, out)
    return out


# Horizons up to this many months sum cohorts term by term (cohort_sums, exact); longer ones by
# FFT convolution (cohort_sums_fft), O(H log H) a sample instead of O(H²). On the 2-core Xeon
# the two cost about the same near 100 months (8,192 samples, a segment's seats and paid seats:
# 120 months 51 ms by FFT against 55 ms term by term; 240 months 117 ms against 256 ms).
DIRECT_MAX_MONTHS = 96
FFT_SAMPLES = 128  # samples per block of cohort_sums_fft (fastest of 32–1,024 on the Xeon)


def cohort_sums_fft(new: Array, per_age: list[Array], start: int = 0) -> list[Array]:
    """:func:`cohort_sums` for every month at once, for several holdings by age of the same
    cohorts, by FFT convolution: each sample's cohorts ``new`` (months, n) and holdings,
    zero-padded to a power of two ≥ 2H − 1 (so nothing wraps around), multiplied as spectra
    (numpy's rfft). Samples go :data:`FFT_SAMPLES` at a time, so a block's spectra (0.5 MB
    each at 240 months) stay in the cache and a call takes little memory besides its results;
    the block's months run down the columns of one buffer, transformed along axis 0, so neither
    the block nor its sums are transposed (240 months, 8,192 samples, two holdings: 142 ms on
    the 2-core AMD EPYC when rows were transformed, 81 now). Returns one (months, n) array per
    holding.

    Not exact: a sum is within about 1e-15 of the scale of its largest terms (against
    ``cohort_sums`` in tests). Every term is ≥ 0, so sums are clamped at 0, and months before a
    sample's first cohort (+ ``start``) are exactly 0. Each sample is transformed alone (numpy's
    pocketfft copies each column into a buffer and runs one 1-D transform on it): the same bits
    whatever other samples share the array, or the block (tested), and the same as a row's.

    >>> [a.round(12).ravel().tolist() for a in cohort_sums_fft(
    ...     np.array([[1.0], [2.0], [0.0]]), [np.array([[10.0], [5.0], [1.0]])])]
    [[10.0, 25.0, 11.0]]
    """
    H, n = new.shape
    size = 1 << (2 * H - 1).bit_length()
    out = [np.empty((H, n)) for _ in per_age]
    some = new != 0
    first = np.where(some.any(axis=0), some.argmax(axis=0), H) + start  # first month summed
    # a block's months down the columns of one zero-padded buffer, transformed along axis 0:
    # numpy gathers each column into its transform, the same transform as of a row (the same
    # bits), where copying the block into rows and the sums back cost more than the transforms
    padded = np.zeros((size, FFT_SAMPLES))
    for j0 in range(0, n, FFT_SAMPLES):
        j1 = min(n, j0 + FFT_SAMPLES)
        cols = padded[:, : j1 - j0]
        cols[:H] = new[:, j0:j1]
        cohorts = np.fft.rfft(cols, axis=0)
        before = np.arange(H)[:, None] < first[None, j0:j1]
        for w, o in zip(per_age, out, strict=True):
            cols[:H] = w[:, j0:j1]  # the caller's holdings are left alone
            cols[:start] = 0.0
            product = np.fft.rfft(cols, axis=0)
            product *= cohorts
            sums = np.fft.irfft(product, n=size, axis=0)[:H]
            np.maximum(sums, 0.0, out=sums)
            sums[before] = 0.0
            o[:, j0:j1] = sums
    return out


def mean_on_growth_path(
    values: Array, ratio: Array, oldest: NDArray[np.int64], months: int
) -> Array:
    """What the starting accounts hold on average, month by month, when their deployments are
    spread over ages 1..``oldest`` as a steady growth left them: an account deployed A months
    before month 0 holds ``values[A + t]`` in month t (rows by age in months), and accounts of
    age A weigh ``ratio``^A, ratio = monthly survival ÷ (1 + growth) — on a balanced growth path
    each older cohort was signed 1 + growth times fewer and has churned one month longer.
    Returns (months, n):

        M(t) = Σ_{A=1..oldest} ratio^A · values[A + t] / Σ_{A=1..oldest} ratio^A

    by a recursion over t, O(oldest + months) rows rather than their product, in the direction
    that keeps it stable, the heaviest age weighing 1: ratio < 1 (a growing segment, the
    youngest heaviest) backwards from the last month, T(t) = r·T(t+1) + values[t+1] −
    r^oldest · values[t + oldest + 1] with weights r^(A−1); ratio ≥ 1 (shrinking at least as
    fast as it churns, the oldest heaviest) forwards from month 0, U(t+1) = U(t)/r −
    r^−oldest · values[t+1] + values[t + oldest + 1] with weights r^(A−oldest). Each step
    multiplies the rounding error so far by at most 1; no weight overflows, and a ratio of 0
    (no account survives a month) leaves the youngest alone. Powers by repeated multiplication
    (the same bits on any CPU). ``values`` needs months + max(oldest) + 1 rows.

    >>> mean_on_growth_path(np.arange(1.0, 6.0)[:, None], np.array([0.5]),
    ...                     np.array([2]), 2).ravel().tolist()  # (.5·2 + .25·3) / .75, (.5·3 + .25·4) / .75
    [2.3333333333333335, 3.3333333333333335]
    >>> mean_on_growth_path(np.arange(1.0, 6.0)[:, None], np.array([2.0]),
    ...                     np.array([2]), 2).ravel().tolist()  # (2·2 + 4·3) / 6, (2·3 + 4·4) / 6
    [2.6666666666666665, 3.6666666666666665]
    """
    oldest = np.maximum(np.asarray(oldest, dtype=np.int64), 1)
    assert values.shape[0] >= months + int(oldest.max(initial=1)) + 1, "every age and month"
    r = np.asarray(ratio, dtype=float)
    out = np.empty((months,) + r.shape)
    down = r < 1.0
    for part, run in ((down, _path_backwards), (~down, _path_forwards)):
        if part.all():
            out[...] = run(values, r, oldest, months)
        elif part.any():
            cols = np.flatnonzero(part)
            out[:, cols] = run(values[:, cols], r[cols], oldest[cols], months)
    return out


def _path_backwards(values: Array, r: Array, oldest: NDArray[np.int64], months: int) -> Array:
    """:func:`mean_on_growth_path` for ratios below 1: weights r^(A−1), from the last month."""
    power = np.ones_like(r)  # r^(A−1)
    total = np.zeros_like(r)  # Σ r^(A−1) over the ages each sample holds
    last = np.zeros_like(r)  # the numerator in the last month
    beyond = np.zeros_like(r)  # r^oldest
    for a in range(1, int(oldest.max(initial=1)) + 2):
        held = a <= oldest
        total = np.where(held, total + power, total)
        last = np.where(held, last + power * values[a + months - 1], last)
        beyond = np.where(a == oldest + 1, power, beyond)
        power = power * r
    out = np.empty((months,) + r.shape)
    out[months - 1] = last
    cols = np.arange(r.shape[0])
    for t in range(months - 2, -1, -1):
        out[t] = r * out[t + 1] + values[t + 1] - beyond * values[t + oldest + 1, cols]
    return np.asarray(out / total)


def _path_forwards(values: Array, r: Array, oldest: NDArray[np.int64], months: int) -> Array:
    """:func:`mean_on_growth_path` for ratios of 1 or more: weights (1/r)^(oldest−A), month 0
    first (Horner over the ages), then forwards."""
    inverse = 1.0 / r
    first = np.zeros_like(r)  # Σ (1/r)^(oldest−A) · values[A]
    total = np.zeros_like(r)
    power = np.ones_like(r)  # (1/r)^oldest, once every age is in
    for a in range(1, int(oldest.max(initial=1)) + 1):
        held = a <= oldest
        first = np.where(held, first * inverse + values[a], first)
        total = np.where(held, total * inverse + 1.0, total)
        power = np.where(held, power * inverse, power)
    out = np.empty((months,) + r.shape)
    out[0] = first
    cols = np.arange(r.shape[0])
    for t in range(months - 1):
        out[t + 1] = inverse * out[t] - power * values[t + 1] + values[t + oldest + 1, cols]
    return np.asarray(out / total)


def paid_seats_per_account(
    adopted_share: Array, seats_per_account: Array, unused_share: Array, minimum: Array | float
) -> Array:
    """Seats one deployed account pays for: max(minimum, adopted share × seats per account ÷
    (1 − unused share)) — the seats its people use plus shelfware, but never below the contract
    minimum. Broadcasts (e.g. (months, n) shares against (n,) terms).

    >>> paid_seats_per_account(np.array([0.1, 0.5]), np.array([100.0, 100.0]),
    ...                        np.array([0.5, 0.5]), np.array([50.0, 50.0])).tolist()
    [50.0, 100.0]
    """
    return np.maximum(minimum, adopted_share * seats_per_account / (1.0 - unused_share))


def pipeline_on_growth_path(
    growth_per_month: Array,
    churn_per_month: Array,
    deployed: Array,
    not_deployed: Array,
    pilot: Array,
    abandon: Array,
    budget: Array,
    sign: Array,
) -> tuple[Array, Array, Array, Array, Array]:
    """The stages (no plans, exploring, piloting, budgeted) and the start-exploring rate of a
    sales pipeline that has been growing the deployed accounts by ``growth_per_month``: the
    balanced growth path of the stock-and-flow chain, on which every stock and flow grows by g a
    month (Sterman 2000, *Business Dynamics*, ch. 12, aging chains).

    Signings replace churn and add the growth: signed = (g + churn) × deployed, so budgeted
    B = signed ÷ sign. A stock grows by g when its inflow is its outflow plus g times itself:
    piloting P = B (g + sign) ÷ budget, exploring E = P (g + abandon + budget) ÷ pilot. When
    B + P + E exceed the accounts not yet deployed they are scaled down to them (the segment is
    too small to keep that growth); no plans N holds the rest, and the start-exploring rate is
    what feeds exploring on the same path, E (g + pilot) ÷ N (at most 1; 0 with no N). A rate
    of 0 makes the stage before it empty (nothing passes through it); a negative factor counts
    as 0 (a pipeline shrinking faster than it drains holds nothing). Held at that rate the
    inflow would stay near its first level and the growth fade; the business block raises it
    with the deployed accounts (× deployed ÷ D₀), so the path goes on until N runs out.

    >>> [round(float(x[0]), 6) for x in pipeline_on_growth_path(
    ...     *(np.array([v]) for v in (0.1, 0.0, 100.0, 740.0, 0.2, 0.05, 0.1, 0.5)))]
    [450.0, 150.0, 120.0, 20.0, 0.1]
    """
    exploring, piloting, budgeted = growth_path_stages(
        growth_per_month, churn_per_month, deployed, pilot, abandon, budget, sign
    )
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # where discards these
        held = budgeted + piloting + exploring
        scale = np.where(held > not_deployed, not_deployed / np.maximum(held, not_deployed), 1.0)
        budgeted, piloting, exploring = budgeted * scale, piloting * scale, exploring * scale
        no_plans = np.maximum(not_deployed - (budgeted + piloting + exploring), 0.0)
        explore = np.minimum(_upstream(growth_per_month, exploring, pilot, no_plans), 1.0)
    return no_plans, exploring, piloting, budgeted, explore


def _upstream(g: Array, stock: Array, outflow_rate: Array, inflow_rate: Array) -> Array:
    """The stock upstream of ``stock`` that keeps its inflow growing by g: stock × (g + outflow
    rate) ÷ the rate it flows in at; 0 where that rate is 0, and where g + outflow < 0."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # where discards these
        need = stock * np.maximum(g + outflow_rate, 0.0) / inflow_rate
        return np.where(inflow_rate > 0, need, 0.0)


def growth_path_stages(
    growth_per_month: Array,
    churn_per_month: Array,
    deployed: Array,
    pilot: Array,
    abandon: Array,
    budget: Array,
    sign: Array,
) -> tuple[Array, Array, Array]:
    """The exploring, piloting and budgeted accounts a pipeline holds on its balanced growth path
    (see :func:`pipeline_on_growth_path`) before any scaling to the segment's size: their sum
    above the accounts not yet deployed means the segment is too small to keep the growth.

    >>> [float(x[0]) for x in growth_path_stages(
    ...     *(np.array([v]) for v in (0.1, 0.0, 100.0, 0.2, 0.05, 0.1, 0.5)))]
    [150.0, 120.0, 20.0]
    """
    g = growth_per_month
    budgeted = _upstream(g, deployed, churn_per_month, sign)
    piloting = _upstream(g, budgeted, sign, budget)
    exploring = _upstream(g, piloting, abandon + budget, pilot)
    return exploring, piloting, budgeted


def capacity_limited(demand: Array, capacity: Array) -> tuple[Array, Array]:
    """Throughput under a capacity: (share of demand served, share of capacity used).

    served = 1 when demand ≤ capacity, else capacity ÷ demand (every claimant scaled pro rata;
    the rest waits); used = min(demand, capacity) ÷ capacity, and 1 when there is no capacity but
    some demand (0 when there is neither).

    >>> [a.tolist() for a in capacity_limited(np.array([10.0, 1.0, 0.0, 3.0]),
    ...                                        np.array([2.0, 2.0, 0.0, 0.0]))]
    [[0.2, 1.0, 1.0, 0.0], [1.0, 0.5, 0.0, 1.0]]
    """
    over, some = demand > capacity, capacity > 0
    with np.errstate(divide="ignore", invalid="ignore"):  # quotients np.where discards
        served = np.where(over, capacity / demand, 1.0)
        used = np.where(some, np.minimum(demand, capacity) / capacity, demand > 0)
    return served, used
