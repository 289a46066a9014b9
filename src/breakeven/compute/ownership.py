"""Rent or buy GPUs: monthly cost arrays from a demand path (samples × months).

Pure functions of arrays. ``gpus_needed`` has shape (samples, months); every parameter is a
scalar or an array of shape (samples,) (one draw per Monte Carlo sample) and broadcasts over
months. All money is USD (the catalog's currency); the engine converts with ``fx``.

Renting:  cost[s, m] = gpus[s, m] · hours_per_month · price[s] · (1 − decline[s])^(m/12)
Owning:   capacity is bought in whole servers as the running peak of demand grows and is never
          sold back; capex = GPUs bought · price per GPU · (1 + server_overhead); straight-line
          depreciation over N years, monthly, starting the month of purchase; power =
          owned GPUs · TDP · draw · PUE · hours · electricity price; hosting per owned GPU-month.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..models.compiled import twin
from ..models.units import HOURS_PER_MONTH
from .catalog import CatalogError, sample_factors
from .hardware import GPU, get_gpu

OWNERSHIP_FACTORS = (
    "pue",
    "electricity_usd_per_kwh",
    "hosting_usd_per_gpu_month",
    "server_overhead_fraction",
    "rental_price_annual_decline",
    "depreciation_years",
)


def sample_ownership_factors(
    n: int | None = None,
    rng: np.random.Generator | None = None,
    uniforms: Mapping[str, np.ndarray] | np.ndarray | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, np.ndarray]:
    """PUE, electricity price, hosting, server overhead, rental decline, depreciation years as
    arrays (n,) from efficiency.yaml ``ownership`` (medians without rng/uniforms)."""
    return sample_factors(n, rng, uniforms, "ownership", OWNERSHIP_FACTORS, overrides)


def _demand(gpus_needed: Any) -> np.ndarray:
    g = np.asarray(gpus_needed, dtype=float)
    if g.ndim == 1:
        g = g[None, :]
    if g.ndim != 2:
        raise CatalogError(f"gpus_needed must have shape (samples, months) (got {g.shape})")
    if np.any(g < 0) or not np.all(np.isfinite(g)):
        raise CatalogError("gpus_needed must be finite and non-negative")
    return g


def _col(x: Any, n_samples: int, name: str) -> np.ndarray:
    """A scalar or per-sample (S,) parameter as a column (S, 1) that broadcasts over months."""
    a = np.asarray(x, dtype=float)
    if a.ndim == 0:
        return a.reshape(1, 1)
    if a.ndim == 1 and a.shape[0] in (1, n_samples):
        return a[:, None]
    if a.ndim == 2:
        return a
    raise CatalogError(
        f"{name} must be a number or one value per sample ({n_samples}); got shape {a.shape}"
    )


def _months(n_months: int, start_month: int = 0) -> np.ndarray:
    return (np.arange(n_months, dtype=float) + start_month)[None, :]


def rental_cost(
    gpus_needed: Any,
    gpu_hour_price: Any,
    annual_price_decline: Any = 0.0,
    hours_per_month: float = HOURS_PER_MONTH,
    start_month: int = 0,
) -> np.ndarray:
    """Monthly rent: GPUs × hours × USD/GPU-hour, the price falling by ``annual_price_decline``
    per year (compounded monthly from ``start_month``)."""
    g = _demand(gpus_needed)
    s = g.shape[0]
    price = _col(gpu_hour_price, s, "gpu_hour_price")
    decline = _col(annual_price_decline, s, "annual_price_decline")
    if np.any(decline < 0) or np.any(decline >= 1):
        raise CatalogError("annual_price_decline must be in [0, 1)")
    factor = (1.0 - decline) ** (_months(g.shape[1], start_month) / 12.0)
    return g * hours_per_month * price * factor


def owned_capacity(gpus_needed: Any, gpus_per_server: int = 8, initial_gpus: Any = 0) -> np.ndarray:
    """GPUs owned each month: the running peak of demand rounded up to whole servers (never sold)."""
    g = _demand(gpus_needed)
    k = int(gpus_per_server)
    if k < 1:
        raise CatalogError("gpus_per_server must be >= 1")
    peak = np.maximum.accumulate(g, axis=1)
    owned = np.ceil(peak / k - 1e-9) * k
    return np.maximum(owned, _col(initial_gpus, g.shape[0], "initial_gpus"))


def purchases(owned: Any, initial_gpus: Any = 0) -> np.ndarray:
    """GPUs bought each month (the increase of owned capacity; month 0 buys all it owns beyond
    ``initial_gpus``)."""
    o = _demand(owned)
    prev = np.concatenate(
        [
            np.broadcast_to(_col(initial_gpus, o.shape[0], "initial_gpus"), (o.shape[0], 1)),
            o[:, :-1],
        ],
        axis=1,
    )
    return np.maximum(o - prev, 0.0)


def capex(
    purchased: Any,
    price_per_gpu: Any,
    server_overhead_fraction: Any = 0.0,
    annual_price_decline: Any = 0.0,
    start_month: int = 0,
) -> np.ndarray:
    """Cash spent on hardware each month: GPUs bought × price × (1 + server overhead), with the
    purchase price optionally falling ``annual_price_decline`` per year."""
    p = _demand(purchased)
    s = p.shape[0]
    price = _col(price_per_gpu, s, "price_per_gpu")
    over = _col(server_overhead_fraction, s, "server_overhead_fraction")
    decline = _col(annual_price_decline, s, "annual_price_decline")
    factor = (1.0 - decline) ** (_months(p.shape[1], start_month) / 12.0)
    return p * price * (1.0 + over) * factor


def straight_line_depreciation(capex_by_month: Any, years: Any) -> np.ndarray:
    """Monthly depreciation: each month's capex spread evenly over round(12 · years) months,
    starting the month it is spent. ``years`` may differ per sample."""
    c = _demand(capex_by_month)
    s, m = c.shape
    life = np.broadcast_to(np.maximum(np.rint(_col(years, s, "years") * 12.0), 1.0), (s, 1))
    cum = np.concatenate(
        [np.zeros((s, 1)), np.cumsum(c, axis=1)], axis=1
    )  # cum[:, t] = sum c[:, :t]
    t = np.arange(m)[None, :]
    upper = cum[:, 1:]  # sum of c[:, :t+1]
    lo_idx = np.clip(t + 1 - life.astype(int), 0, None)  # first month still depreciating
    lower = np.take_along_axis(cum, np.broadcast_to(lo_idx, (s, m)), axis=1)
    return (upper - lower) / life


class DepreciationSchedule:
    """:func:`straight_line_depreciation` month by month, for a simulation that learns its capex
    one month at a time: a running total of capex, remembered for the longest life, gives each
    month's depreciation in O(samples) — the same numbers, bit for bit, as the whole-history
    formula, without re-summing the history every month.

    The total spent before month m sits in row i(m) = −m mod R of a buffer (and again in row
    i(m) + R), R = longest life + 1, so the total of d months earlier is in row i(m) + d. The
    buffer keeps the samples in order of their life: the samples of one life read one
    contiguous run of one row, not a value in a different row for each sample (which reads a
    whole cache line of every row for each). Rows not written yet are zeros (nothing spent).

    >>> d = DepreciationSchedule(np.array([0.25]))  # a life of 3 months
    >>> [float(d.step(np.array([c]))[0]) for c in (1200.0, 0.0, 600.0, 0.0, 0.0, 0.0)]
    [400.0, 400.0, 600.0, 200.0, 200.0, 0.0]
    """

    MAX_RUNS = 64
    """Most distinct lives read run by run; beyond, each sample's total is gathered."""

    def __init__(self, years: Any, n: int | None = None):
        """``years``: the life, one value per sample (or one for all ``n`` samples)."""
        years = np.asarray(years, dtype=float).reshape(-1)
        if n is not None:
            years = np.broadcast_to(years, (n,))
        n = years.shape[0]
        self.life = np.maximum(np.rint(years * 12.0), 1.0)  # months, per sample
        back = self.life.astype(int)
        self.rows = int(back.max(initial=1)) + 1
        self.order = np.argsort(back, kind="stable")  # the buffer's samples, by life
        self.sorted_life = self.life[self.order]
        lives, starts = np.unique(back[self.order], return_index=True)
        ends = [*starts[1:].tolist(), n]
        self.runs = list(zip(lives.tolist(), starts.tolist(), ends, strict=True))
        self.sorted_back = back[self.order]  # months back, in the buffer's order
        # many lives: each sample's total gathered (flat offset from row i)
        self.back = self.sorted_back * n + np.arange(n) if len(self.runs) > self.MAX_RUNS else None
        self._runs = np.array(self.runs, dtype=np.int64).reshape(-1, 3)
        self.cum = np.zeros((2 * self.rows, n))
        self.n = n
        self.t = 0

    def step(self, capex: np.ndarray) -> np.ndarray:
        """Book this month's capex (n,); this month's depreciation (n,)."""
        t, r = self.t, self.rows
        capex = np.ascontiguousarray(np.broadcast_to(np.asarray(capex, dtype=float), (self.n,)))
        self.t = t + 1
        dep = np.empty(self.n)
        gather = self.back if self.back is not None else np.empty(0, dtype=np.int64)
        _depreciate(
            self.cum,
            capex,
            self.order,
            self.sorted_back,
            self._runs,
            gather,
            self.sorted_life,
            (-t) % r,
            (-(t + 1)) % r,
            r,
            dep,
        )
        return dep


def _depreciate_loop(
    cum: np.ndarray,
    capex: np.ndarray,
    order: np.ndarray,
    back: np.ndarray,
    runs: np.ndarray,
    gather: np.ndarray,
    life: np.ndarray,
    before: int,
    i: int,
    r: int,
    dep: np.ndarray,
) -> None:  # pragma: no cover - compiled by numba (the numpy twin is tested against it)
    """:func:`_depreciate` as one loop over the samples, in the buffer's order."""
    for j in range(order.shape[0]):
        upper = cum[before, j] + capex[order[j]]
        cum[i, j] = upper
        cum[i + r, j] = upper
        dep[order[j]] = (upper - cum[i + back[j], j]) / life[j]


@twin(_depreciate_loop)
def _depreciate(
    cum: np.ndarray,
    capex: np.ndarray,
    order: np.ndarray,
    back: np.ndarray,
    runs: np.ndarray,
    gather: np.ndarray,
    life: np.ndarray,
    before: int,
    i: int,
    r: int,
    dep: np.ndarray,
) -> None:
    """One month of :class:`DepreciationSchedule`, in place: the total spent up to and including
    this month (row ``before`` + this month's ``capex``, the samples in the buffer's ``order``)
    written to rows i and i + r of ``cum``, and into ``dep`` (the samples' own order) that total
    less the total ``back`` months earlier (row i + back), ÷ the ``life`` in months. The earlier
    totals are read life by life (``runs``: months back, first, end) or, with many lives,
    gathered at the flat offsets ``gather`` + i · n."""
    upper = cum[before] + capex[order]  # spent up to and including this month
    cum[i] = upper
    cum[i + r] = upper
    # the total before the first month still depreciating (0 before the first month)
    if gather.shape[0]:
        lower = cum.reshape(-1).take(gather + i * cum.shape[1])
    else:
        lower = np.empty(cum.shape[1])
        for months_back, a, b in runs.tolist():
            lower[a:b] = cum[i + months_back, a:b]
    dep[order] = (upper - lower) / life


def power_cost(
    owned: Any,
    tdp_watts: Any,
    pue: Any,
    electricity_usd_per_kwh: Any,
    average_draw_fraction: Any = 1.0,
    hours_per_month: float = HOURS_PER_MONTH,
) -> np.ndarray:
    """Monthly electricity: owned GPUs × TDP (kW) × average draw × PUE × hours × USD/kWh.

    The default draw of 1.0 (TDP) is conservative; a whole server draws roughly 1.3-1.6x the
    GPUs' TDP, which PUE does not include — use ``average_draw_fraction`` > 1 to add it.
    """
    o = _demand(owned)
    s = o.shape[0]
    kw = _col(tdp_watts, s, "tdp_watts") / 1000.0
    return (
        o
        * kw
        * _col(average_draw_fraction, s, "average_draw_fraction")
        * _col(pue, s, "pue")
        * hours_per_month
        * _col(electricity_usd_per_kwh, s, "electricity")
    )


def hosting_cost(owned: Any, hosting_usd_per_gpu_month: Any) -> np.ndarray:
    """Monthly colocation / hosting: owned GPUs × USD per GPU-month."""
    o = _demand(owned)
    return o * _col(hosting_usd_per_gpu_month, o.shape[0], "hosting_usd_per_gpu_month")


@dataclass
class OwnershipCosts:
    """Monthly arrays (samples × months) for the ledger. USD."""

    gpus_needed: np.ndarray
    owned_gpus: np.ndarray
    purchased_gpus: np.ndarray
    capex: np.ndarray
    depreciation: np.ndarray
    power: np.ndarray
    hosting: np.ndarray
    rental_cost: np.ndarray

    @property
    def own_cash_cost(self) -> np.ndarray:
        """Cash out when owning: capex + power + hosting."""
        return self.capex + self.power + self.hosting

    @property
    def own_expense(self) -> np.ndarray:
        """P&L expense when owning: depreciation + power + hosting."""
        return self.depreciation + self.power + self.hosting


def rent_vs_buy(
    gpus_needed: Any,
    gpu: str | GPU,
    *,
    gpu_hour_price: Any = None,
    purchase_price_per_gpu: Any = None,
    gpus_per_server: int = 8,
    factors: Mapping[str, Any] | None = None,
    average_draw_fraction: Any = 1.0,
    purchase_price_annual_decline: Any = 0.0,
) -> OwnershipCosts:
    """Both ways of getting the GPUs a demand path needs, month by month.

    ``gpu`` supplies TDP and (by default) the latest rental and the purchase price. ``factors``
    holds the ownership factors (``sample_ownership_factors(n, rng)``; medians if omitted).
    """
    g = get_gpu(gpu)
    demand = _demand(gpus_needed)
    f = dict(sample_ownership_factors()) if factors is None else dict(factors)
    for k in OWNERSHIP_FACTORS:
        if k not in f:
            f[k] = sample_ownership_factors()[k]
    if gpu_hour_price is None:
        r = g.latest_rental()
        if r is None:
            raise CatalogError(f"no rental price for {g.name}; give gpu_hour_price")
        gpu_hour_price = r.usd_per_hour
    if purchase_price_per_gpu is None:
        if g.purchase_price_usd is None:
            raise CatalogError(f"no purchase price for {g.name}; give purchase_price_per_gpu")
        purchase_price_per_gpu = g.purchase_price_usd
    owned = owned_capacity(demand, gpus_per_server)
    bought = purchases(owned)
    cx = capex(
        bought, purchase_price_per_gpu, f["server_overhead_fraction"], purchase_price_annual_decline
    )
    return OwnershipCosts(
        gpus_needed=demand,
        owned_gpus=owned,
        purchased_gpus=bought,
        capex=cx,
        depreciation=straight_line_depreciation(cx, f["depreciation_years"]),
        power=power_cost(
            owned, g.tdp_watts, f["pue"], f["electricity_usd_per_kwh"], average_draw_fraction
        ),
        hosting=hosting_cost(owned, f["hosting_usd_per_gpu_month"]),
        rental_cost=rental_cost(demand, gpu_hour_price, f["rental_price_annual_decline"]),
    )
