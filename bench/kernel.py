"""The compiled yardstick: the shipped example as one fused numba kernel, against the engine.

``examples/chat-assistant-freemium.yaml`` runs nine blocks (company, funding, consumer market,
subscription, consumer usage, per-token serving, unit economics, payer margins, tier economics).
:func:`run_kernel` computes the same months in one ``@numba.njit`` loop over samples × months:
the same floating-point operations in the same order as the blocks, the ledger's totals and cash
(:func:`breakeven.models.ledger.close_month`), and the per-sample metrics of
:class:`breakeven.models.metrics.MetricsStream`. It produces what :class:`breakeven.Results`
holds: every sample's metrics, the sum over all samples of every ledger line and KPI per month,
and the full ledger and KPIs of the first ``keep`` samples. It reads the engine's own sampled
inputs (:func:`breakeven.engine.inputs.sample_params`, the same values for the same seed), and
per-plan constants (step schedules, the discount factors, the usage quantile factors) are taken
from the plan with the engine's own functions before the loop.

The check: metrics and the kept ledger and KPIs are bit-identical to ``breakeven.simulate`` on the
same seed: the kernel's exp, log1p and pow are the C library's, as numpy's float64 ones are on an
x86-64 machine without AVX-512 (where numpy has SIMD versions of its own the last bit may differ:
the check then requires 1e-12 of each metric's and line's size over the samples, and says which
metrics differ bit-wise); the sums over samples agree to ~1e-14 (the engine sums each block of
4,096 samples pairwise, the kernel one after another). A failed check stops the timing.

The timing, at 100,000 samples × 60 months, single threaded (``workers=1``;
OMP/OPENBLAS/MKL/NUMBA threads = 1), median of ``--repeats`` interleaved runs after a warm-up
(the one-worker jobs first, then the two-worker ones),
elapsed and CPU time (the verdict on one thread uses CPU time, which other work on a shared
machine disturbs less), numba's compile time reported apart: the engine's ``simulate`` against
the kernel, both with input sampling (the kernel side runs the engine's sampler, then the
kernel) and both without it (the engine's time less the sampler's, measured alone).
``--workers 2`` adds a run on two workers of each: the kernel on two threads (it releases the
GIL; each thread samples and runs its half), the engine as ``simulate(workers=2)`` runs it
(forked worker processes, :mod:`breakeven.engine.parallel`; CPU time then counts the workers'
too). ``--profile`` shows where ``simulate``'s time goes (cProfile).

Usage: python bench/kernel.py [-n 100000] [--repeats 7] [--seed 1] [--workers 2]
                              [--check-only] [--profile]
Needs numba (a dependency of breakeven).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # single-threaded numerics unless asked (before numpy)

import numpy as np  # noqa: E402

try:
    import numba
except ImportError:  # the bench extra is optional
    numba = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/_machine.py, also when imported
from _machine import describe  # noqa: E402

from breakeven.models.metrics import METRIC_DOCS  # noqa: E402

EXAMPLE = ROOT / "examples" / "chat-assistant-freemium.yaml"
INSTALL = "pip install -e '.[bench]'"
GOAL = 1.5  # the engine within 1.5x of the fused kernel (issue 13, goal 3)

# The example's ledger lines and KPIs, in the engine's order (checked against its layout).
DETAIL = (
    "revenue.subscription",
    "cogs.inference",
    "cogs.payment_fees",
    "opex.g_and_a",
    "opex.marketing",
    "opex.people",
    "funding.equity",
)
TOTALS = (
    "revenue",
    "cost_of_revenue",
    "gross_profit",
    "operating_expenses",
    "ebitda",
    "depreciation",
    "ebit",
    "capex",
    "working_capital",
    "free_cash_flow",
    "funding",
    "net_cash_flow",
    "cash",
)
LINES = DETAIL + TOTALS
KPIS = (
    "headcount",
    "round_closed:Series B",
    "active_users",
    "new_users",
    "paid_new_users",
    "reactivated_users",
    "churned_users",
    "cac",
    "paying_users",
    "subscription_revenue_per_payer",
    "requests",
    "input_tokens",
    "output_tokens",
    "serving_cost_per_active_user",
    "revenue_per_active_user",
    "margin_mean_payer",
    "margin_p50_payer",
    "margin_p90_payer",
    "margin_p99_payer",
    "tier_serving_cost:main",
    "tier_tokens:main",
    "tier_margin_per_payer:main",
    "free_serving_cost",
    "free_tokens",
)
METRICS = tuple(METRIC_DOCS)  # every metric the engine computes, in its order

# Rows of the per-sample table the kernel reads (each an array over samples).
SAMPLE_ROWS = (
    "market_size",
    "innovation",
    "imitation",
    "churn",
    "reactivation",
    "cac0",
    "saturation",
    "requests_per_month",
    "input_tokens",
    "output_tokens",
    "served_factor",
    "f50",
    "f90",
    "f99",
    "conversion",
    "usage_multiple",
    "annual_factor",
    "vat",
    "fee_rate",
    "pin_start",
    "pin_log1p",
    "pout_start",
    "pout_log1p",
    "g_and_a",
    "starting_cash",
    "settled0",
    "lapsed0",
)
R = {k: i for i, k in enumerate(SAMPLE_ROWS)}
# Rows of the per-month table (one value per month, the same for every sample).
MONTH_ROWS = ("budget", "price", "brand", "equity", "round_closed", "discount")
MR = {k: i for i, k in enumerate(MONTH_ROWS)}


def _kernel(
    s: np.ndarray,  # (SAMPLE_ROWS, n)
    mon: np.ndarray,  # (MONTH_ROWS, H)
    heads: np.ndarray,  # (roles, H)
    role_cost: np.ndarray,  # (roles, n): cost per person per year
    keep: int,
    metrics: np.ndarray,  # out (10, n)
    lsum: np.ndarray,  # out (lines, H): sums over samples
    ksum: np.ndarray,  # out (kpis, H)
    lkeep: np.ndarray,  # out (lines, H, keep)
    kkeep: np.ndarray,  # out (kpis, H, keep) float32
) -> None:
    """Every sample, every month: the blocks' arithmetic in their order, then the metrics.
    Rows of ``s`` and ``mon`` are read by position (SAMPLE_ROWS, MONTH_ROWS); ``led`` holds
    the ledger's lines in the order of LINES, ``kp`` the KPIs in the order of KPIS."""
    n = s.shape[1]
    H = mon.shape[1]
    roles = heads.shape[0]
    nan = np.nan
    led = np.zeros((21, H))  # this sample's ledger, and cumulative free cash flow
    kp = np.zeros((24, H), dtype=np.float32)  # this sample's KPIs
    for i in range(n):
        M = s[0, i]
        pp = s[1, i]
        qq = s[2, i]
        churn = s[3, i]
        react = s[4, i]
        cac0 = s[5, i]
        sat = s[6, i]
        rpm = s[7, i]
        tok_in = s[8, i]
        tok_out = s[9, i]
        sf = s[10, i]
        f50 = s[11, i]
        f90 = s[12, i]
        f99 = s[13, i]
        conv = s[14, i]
        mult = s[15, i]
        disc = s[16, i]
        vat = s[17, i]
        fee = s[18, i]
        pin0 = s[19, i]
        pin_g = s[20, i]
        pout0 = s[21, i]
        pout_g = s[22, i]
        gna = s[23, i]
        settled = s[25, i]
        lapsed = s[26, i]
        ever = settled + lapsed
        for t in range(H):
            # -- company: people by role, brand marketing, G&A
            people = 0.0
            heads_t = 0.0
            for k in range(roles):
                people = people + heads[k, t] * (role_cost[k, i] / 12.0)
                heads_t = heads_t + heads[k, t]
            # -- funding: certain rounds without conditions
            equity = mon[3, t]
            # -- consumer market: Bass diffusion, paid acquisition, churn, reactivation
            active_prev = settled + 0.0
            remaining = max(M - ever, 0.0)
            hazard = pp / 12.0 + (qq / 12.0) * active_prev / M
            organic = min(hazard, 1.0) * remaining
            cac = cac0 * max(1.0 - (ever + organic) / M, 1e-3) ** (-sat)
            paid = min(mon[0, t] / cac, max(M - ever - organic, 0.0))
            marketing = mon[2, t] + paid * cac
            new = organic + paid
            back = lapsed * react
            churned = settled * churn
            settled = settled - churned + back
            settled = settled + new
            active = settled
            lapsed = lapsed + churned - back
            ever = ever + new
            # -- subscription: one tier, no trial, no elasticity
            subscribers = active * conv
            pays = subscribers * mon[1, t] * disc
            revenue = (pays + 0.0) / (1.0 + vat)
            fees = pays * fee
            extra = subscribers * (mult - 1.0)
            units = active + extra
            net_per_payer = (revenue - fees) / subscribers if subscribers > 0 else 0.0
            payer_mult = (subscribers + extra) / subscribers if subscribers > 0 else 1.0
            rev_per_payer = revenue / subscribers if subscribers > 0 else 0.0
            # -- consumer usage and per-token serving
            req = units * rpm * sf
            tin = req * tok_in
            tout = req * tok_out
            pin = pin0 * np.exp(pin_g * (t / 12.0))
            pout = pout0 * np.exp(pout_g * (t / 12.0))
            inference = (tin * pin + tout * pout) / 1e6
            cin = pin / 1e6
            cout = pout / 1e6
            # -- unit economics, payer margins, tier economics
            unit = 1.0 * rpm * (tok_in * cin + tok_out * cout)
            upu = units / active if active > 0 else 1.0
            cost_per_active = sf * unit * upu
            rev_per_active = (0.0 + revenue) / active if active > 0 else 0.0
            payer_unit = payer_mult * unit
            tier_units = subscribers * mult
            tier_cost = tier_units * (sf * unit)
            per_user_req = rpm * sf
            per_user_tokens = per_user_req * tok_in + per_user_req * tok_out
            free_units = units - tier_units
            tier_rev = (pays + 0.0) / (1.0 + vat)
            tier_margin = (
                (tier_rev - pays * fee - tier_cost) / subscribers if subscribers > 0 else 0.0
            )
            # -- the ledger: detail lines, totals (close_month), in statement order
            cor = inference + fees
            opex = gna + marketing + people
            gross = revenue - cor
            ebitda = gross - opex
            ncf = ebitda + equity
            led[0, t] = revenue
            led[1, t] = inference
            led[2, t] = fees
            led[3, t] = gna
            led[4, t] = marketing
            led[5, t] = people
            led[6, t] = equity
            led[7, t] = revenue
            led[8, t] = cor
            led[9, t] = gross
            led[10, t] = opex
            led[11, t] = ebitda
            led[12, t] = 0.0
            led[13, t] = ebitda
            led[14, t] = 0.0
            led[15, t] = 0.0
            led[16, t] = ebitda
            led[17, t] = equity
            led[18, t] = ncf
            led[19, t] = ncf + s[24, i] if t == 0 else ncf + led[19, t - 1]
            kp[0, t] = heads_t
            kp[1, t] = mon[4, t]
            kp[2, t] = active
            kp[3, t] = new
            kp[4, t] = paid
            kp[5, t] = back
            kp[6, t] = churned
            kp[7, t] = cac
            kp[8, t] = subscribers
            kp[9, t] = rev_per_payer
            kp[10, t] = req
            kp[11, t] = tin
            kp[12, t] = tout
            kp[13, t] = cost_per_active
            kp[14, t] = rev_per_active
            kp[15, t] = net_per_payer - sf * payer_unit
            kp[16, t] = net_per_payer - f50 * payer_unit
            kp[17, t] = net_per_payer - f90 * payer_unit
            kp[18, t] = net_per_payer - f99 * payer_unit
            kp[19, t] = tier_cost
            kp[20, t] = tier_units * per_user_tokens
            kp[21, t] = tier_margin
            kp[22, t] = free_units * (sf * unit)
            kp[23, t] = free_units * per_user_tokens
        # -- metrics (MetricsStream): row 20 of the ledger buffer holds cumulative free cash flow
        be = nan
        sustained = nan
        suffix = True
        npv = 0.0
        ebitda_total = 0.0
        spent = 0.0
        gained = 0.0
        runway = nan
        low = 0.0
        trough = 0
        for t in range(H):
            fcf = led[16, t]
            led[20, t] = fcf if t == 0 else fcf + led[20, t - 1]
            cum = led[20, t]
            if t == 0:
                low = cum
            elif cum < low:
                trough = t
                low = cum
            if be != be and led[11, t] >= 0 and led[7, t] > 0:
                be = t + 1.0
            if runway != runway and led[19, t] < 0:
                runway = float(t)
            if t == 0:
                npv = fcf * mon[5, t]
                ebitda_total = led[11, t]
                spent = led[8, t] + led[10, t] + 0.0
                gained = led[7, t]
            else:
                npv = npv + fcf * mon[5, t]
                ebitda_total = ebitda_total + led[11, t]
                spent = spent + (led[8, t] + led[10, t] + 0.0)
                gained = gained + led[7, t]
        for t in range(H - 1, -1, -1):
            suffix = suffix and led[11, t] >= 0 and led[7, t] > 0
            if suffix:
                sustained = t + 1.0
        payback = 0.0
        if not low >= 0:
            payback = nan
            for t in range(trough + 1, H):
                if led[20, t] >= 0:
                    payback = t + 1.0
                    break
        metrics[0, i] = be
        metrics[1, i] = sustained
        metrics[2, i] = payback
        metrics[3, i] = max(0.0, -low)
        metrics[4, i] = npv
        metrics[5, i] = runway
        metrics[6, i] = led[19, H - 1]
        metrics[7, i] = led[7, H - 1]
        metrics[8, i] = ebitda_total
        metrics[9, i] = gained / spent - 1.0 if spent > 0 else nan
        # -- what Results keeps: sums over samples, and the first samples' ledger and KPIs
        for j in range(20):  # rows of contiguous months: the compiler vectorises these
            for t in range(H):
                lsum[j, t] += led[j, t]
        for j in range(24):
            for t in range(H):
                ksum[j, t] += np.float64(kp[j, t])
        if i < keep:
            for j in range(20):
                for t in range(H):
                    lkeep[j, t, i] = led[j, t]
            for j in range(24):
                for t in range(H):
                    kkeep[j, t, i] = kp[j, t]


@dataclass
class KernelInputs:
    """Everything the kernel reads, taken from a plan and the engine's sampled inputs."""

    s: np.ndarray
    mon: np.ndarray
    heads: np.ndarray
    role_cost: np.ndarray
    inputs: dict[str, np.ndarray]  # the sampled (random) inputs, as Results keeps them


def engine_params(sc: Any, n: int, seed: int, start: int = 0) -> Any:
    """The engine's own sampled inputs for samples [start, start + n) (the same values
    ``simulate`` draws for them on this seed)."""
    from breakeven.engine import layout
    from breakeven.engine.inputs import independent_uniforms, sample_params

    lay = layout(sc)
    return sample_params(lay.table, independent_uniforms(seed), start, start + n)


def kernel_inputs(sc: Any, p: Any) -> KernelInputs:
    """The kernel's tables from the plan and sampled inputs ``p`` (:class:`Params`). Step
    schedules of point values become one value per month, as ``Schedule.monthly`` gives them;
    anything the example does not have is refused (the kernel is written for it)."""
    from breakeven.blocks._usage import UsageProfile
    from breakeven.models.adoption import lapsed_pool
    from breakeven.models.metrics import monthly_rate
    from breakeven.models.pricing import annual_plan_factor, blended_fee_rate
    from breakeven.models.usage import user_quantile_factor

    H, n = sc.horizon_months, p.n
    mk, sub, co, fund = sc.market.consumer, sc.streams.subscription, sc.company, sc.funding
    serving = sc.compute.serving.per_token
    pa = mk.paid_acquisition
    if (
        mk.retention is not None
        or mk.innovation_per_year is None
        or pa is None
        or sub.tiers
        or sub.trial is not None
        or sub.intro_offer is not None
        or sub.subsidised is not None
        or sub.price_elasticity is not None
        or not (p.is_point(sub.existing_subscribers) and p[sub.existing_subscribers][0] == 0)
        or any(r.requires for r in fund.rounds)
        or mk.users_counted_as != "mau"
        or mk.activity is not None
        or mk.lapsed_users is not None
        or mk.served_by is not None
        or sub.conversion_of != "mau"
        or sub.usage is not None
        or sub.served_by is not None
        or getattr(sc.compute, "routes", None)
        or (serving.currency or sc.currency) != sc.currency
    ):
        raise ValueError("the kernel is written for the shipped example's structure")

    def per_month(sched: Any) -> np.ndarray:
        m = sched.monthly(p, H)
        if m.strides[1] != 0:
            raise ValueError("the kernel takes step schedules of point values only")
        return np.ascontiguousarray(m[:, 0])

    def growth(sched: Any) -> tuple[np.ndarray, np.ndarray]:
        if sched.start is None:
            raise ValueError("the kernel takes token prices as {start, change_per_year}")
        return p[sched.start], np.log1p(p[sched.change_per_year])

    prof = UsageProfile.from_spec(mk.usage, p)
    settled0 = p[mk.existing_users] / 1.0
    equity = np.zeros(H)
    closed = np.zeros(H)
    for r in fund.rounds:
        if not (r.close_probability.is_point and r.close_probability.median == 1.0):
            raise ValueError("the kernel takes rounds that always close")
        if r.month <= H:
            amount = p[r.amount]
            if not p.is_point(r.amount):
                raise ValueError("the kernel takes rounds of a known amount")
            equity[r.month - 1] += amount[0]
            closed[r.month - 1 :] += 1.0
    rate = p[sc.discount_rate_per_year]
    if not np.all(rate == rate[0]):
        raise ValueError("the kernel takes one discount rate for every sample")
    discount = np.power(1.0 + monthly_rate(rate)[:1], -np.arange(1, H + 1, dtype=float)[:, None])
    pin0, pin_g = growth(serving.input_price_per_million)
    pout0, pout_g = growth(serving.output_price_per_million)
    gna = co.g_and_a_per_month
    if gna.constant is None:
        raise ValueError("the kernel takes G&A as one (uncertain) value")
    churn, react, M = p[mk.churn_per_month], p[mk.reactivation_per_month], p[mk.market_size]
    rows = {
        "market_size": M,
        "innovation": p[mk.innovation_per_year],
        "imitation": p[mk.imitation_per_year],
        "churn": churn,
        "reactivation": react,
        "cac0": p[pa.cost_per_user],
        "saturation": p[pa.saturation_exponent],
        "requests_per_month": prof.requests_per_month,
        "input_tokens": prof.input_tokens_per_request,
        "output_tokens": prof.output_tokens_per_request,
        "served_factor": prof.served_factor,
        "f50": user_quantile_factor(prof.sigma, 0.50, prof.cap),
        "f90": user_quantile_factor(prof.sigma, 0.90, prof.cap),
        "f99": user_quantile_factor(prof.sigma, 0.99, prof.cap),
        "conversion": p[sub.conversion],
        "usage_multiple": p[sub.usage_multiple],
        "annual_factor": annual_plan_factor(p[sub.annual_share], p[sub.annual_discount]),
        "vat": p[sub.vat],
        "fee_rate": blended_fee_rate(
            p[sub.app_store_share], p[sub.app_store_fee], p[sub.payment_fee]
        ),
        "pin_start": pin0,
        "pin_log1p": pin_g,
        "pout_start": pout0,
        "pout_log1p": pout_g,
        "g_and_a": p[gna.constant],
        "starting_cash": np.broadcast_to(p[fund.starting_cash], (n,)).astype(float),
        "settled0": settled0,
        "lapsed0": lapsed_pool(churn, settled0, 0.0, react, M),
    }
    s = np.empty((len(SAMPLE_ROWS), n))
    for k, v in rows.items():
        s[R[k]] = v
    mon = np.empty((len(MONTH_ROWS), H))
    mon[MR["budget"]] = per_month(pa.budget_per_month)
    mon[MR["price"]] = per_month(sub.price_per_month)
    mon[MR["brand"]] = per_month(co.brand_marketing_per_month)
    mon[MR["equity"]] = equity
    mon[MR["round_closed"]] = closed
    mon[MR["discount"]] = discount[:, 0]
    heads = np.array([per_month(r.headcount) for r in co.team]).reshape(len(co.team), H)
    role_cost = np.array([p[r.cost_per_person_per_year] for r in co.team]).reshape(len(co.team), n)
    inputs = {k: p.get(k) for k in p.table.random()}
    return KernelInputs(s, mon, heads, role_cost, inputs)


@dataclass
class KernelOut:
    metrics: dict[str, np.ndarray]
    ledger_sum_lm: np.ndarray
    kpi_sum_lm: np.ndarray
    ledger_lms: np.ndarray
    kpis_lms: np.ndarray
    inputs: dict[str, np.ndarray]


_compiled: list[Callable[..., None]] = []


def compiled() -> Callable[..., None]:
    """The kernel compiled by numba (nogil: threads may run parts side by side)."""
    if numba is None:
        raise ImportError(f"numba is not installed: {INSTALL}")
    if not _compiled:
        _compiled.append(numba.njit(nogil=True, error_model="numpy")(_kernel))
    return _compiled[0]


def _outputs(n: int, H: int, keep: int, parts: int) -> tuple[np.ndarray, ...]:
    """Empty outputs: metrics, per-part sums of lines and KPIs, kept ledger and KPIs."""
    return (
        np.empty((len(METRICS), n)),
        np.zeros((parts, len(LINES), H)),
        np.zeros((parts, len(KPIS), H)),
        np.zeros((len(LINES), H, keep)),
        np.zeros((len(KPIS), H, keep), dtype=np.float32),
    )


def _call(ki: KernelInputs, a: int, keep: int, out: tuple[np.ndarray, ...], w: int) -> None:
    """The kernel on samples a.. of the outputs (``ki`` holds just those samples)."""
    met, lsums, ksums, lkeep, kkeep = out
    b = a + ki.s.shape[1]
    compiled()(
        ki.s,
        ki.mon,
        ki.heads,
        ki.role_cost,
        max(0, keep - a),
        met[:, a:b],
        lsums[w],
        ksums[w],
        lkeep[:, :, a:],
        kkeep[:, :, a:],
    )


def _threads(fn: Callable[[int], None], workers: int) -> None:
    if workers == 1:
        fn(0)
    else:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(fn, range(workers)))


def _result(out: tuple[np.ndarray, ...], inputs: dict[str, np.ndarray]) -> KernelOut:
    met, lsums, ksums, lkeep, kkeep = out
    return KernelOut(
        {k: met[j] for j, k in enumerate(METRICS)},
        lsums.sum(axis=0),
        ksums.sum(axis=0),
        lkeep,
        kkeep,
        inputs,
    )


def run_kernel(ki: KernelInputs, H: int, keep: int, workers: int = 1) -> KernelOut:
    """The compiled loop alone on inputs already sampled (``workers`` threads, each a
    contiguous part of the samples)."""
    n = ki.s.shape[1]
    keep = min(keep, n)
    out = _outputs(n, H, keep, workers)
    edges = np.linspace(0, n, workers + 1).round().astype(int)

    def part(w: int) -> None:
        a, b = int(edges[w]), int(edges[w + 1])
        sub = KernelInputs(ki.s[:, a:b], ki.mon, ki.heads, ki.role_cost[:, a:b], {})
        _call(sub, a, keep, out, w)

    _threads(part, workers)
    return _result(out, ki.inputs)


def kernel_run(sc: Any, n: int, seed: int, keep: int = 5_000, workers: int = 1) -> KernelOut:
    """Everything ``simulate`` does, the kernel's way: sample the inputs with the engine's
    sampler, build the tables, run the loop (each of ``workers`` threads on its own part)."""
    H = sc.horizon_months
    keep = min(keep, n)
    out = _outputs(n, H, keep, workers)
    edges = np.linspace(0, n, workers + 1).round().astype(int)
    drawn: list[dict[str, np.ndarray]] = [{} for _ in range(workers)]

    def part(w: int) -> None:
        a, b = int(edges[w]), int(edges[w + 1])
        ki = kernel_inputs(sc, engine_params(sc, b - a, seed, start=a))
        drawn[w] = ki.inputs
        _call(ki, a, keep, out, w)

    _threads(part, workers)
    inputs = {k: np.concatenate([d[k] for d in drawn]) for k in drawn[0]}
    return _result(out, inputs)


def compare(sc: Any, n: int, seed: int, keep: int = 5_000, workers: int = 1) -> dict[str, Any]:
    """Kernel against ``breakeven.simulate`` on the same seed: which outputs are bit-identical,
    and the largest relative difference of the sums over samples."""
    import breakeven

    res = breakeven.simulate(sc, samples=n, seed=seed, keep_ledger=keep)
    if tuple(res.lines) != LINES or tuple(res.kpi_names) != KPIS:
        raise AssertionError(f"the example's layout changed: {res.lines} {res.kpi_names}")
    if set(res.metrics) != set(METRICS):
        raise AssertionError(f"the engine's metrics changed: {sorted(res.metrics)}")
    out = kernel_run(sc, n, seed, keep, workers)

    def same(a: np.ndarray, b: np.ndarray) -> bool:
        return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))

    def rel(a: np.ndarray, b: np.ndarray) -> float:
        scale = np.maximum(np.abs(a), np.abs(b))
        d = np.divide(np.abs(a - b), scale, out=np.zeros_like(scale), where=scale > 0)
        return float(d.max(initial=0.0))

    def metric_rel(a: np.ndarray, b: np.ndarray) -> float:
        """Largest difference relative to the metric's size over the samples: a sample whose
        ending cash or NPV sums to nearly zero is not a large relative error (on the AMD EPYC
        the per-sample measure read 4.4e-11 where this one reads 1.4e-15)."""
        scale = float(np.maximum(np.abs(a), np.abs(b)).max(initial=0.0))
        return float(np.abs(a - b).max(initial=0.0)) / scale if scale > 0 else 0.0

    def line_rel(a: np.ndarray, b: np.ndarray) -> float:
        """Largest difference relative to the size of its line over the months (axis 1): a
        month where a line crosses zero is not a large relative error."""
        scale = np.maximum(np.abs(a), np.abs(b)).max(axis=1, keepdims=True)
        d = np.divide(np.abs(a - b), scale, out=np.zeros_like(a), where=scale > 0)
        return float(d.max(initial=0.0))

    return {
        "metrics": {k: same(res.metrics[k], out.metrics[k]) for k in METRICS},
        "metrics_rel": max(
            metric_rel(
                np.nan_to_num(res.metrics[k], posinf=0.0), np.nan_to_num(out.metrics[k], posinf=0.0)
            )
            for k in METRICS
        ),
        "metrics_nan_same": all(
            np.array_equal(~np.isfinite(res.metrics[k]), ~np.isfinite(out.metrics[k]))
            for k in METRICS
        ),
        "ledger_kept": same(res.ledger_lms, out.ledger_lms),
        "kpis_kept": same(res.kpis_lms, out.kpis_lms),
        "kept_rel": max(
            line_rel(res.ledger_lms, out.ledger_lms),
            line_rel(res.kpis_lms.astype(float), out.kpis_lms.astype(float)),
        ),
        "inputs": all(same(res.inputs[k], out.inputs[k]) for k in res.inputs),
        "ledger_sum_rel": rel(res.ledger_sum_lm, out.ledger_sum_lm),
        "kpi_sum_rel": rel(res.kpi_sum_lm, out.kpi_sum_lm),
        "p_breakeven": float(np.mean(np.isfinite(res.metrics["breakeven_month"]))),
    }


# ---------------------------------------------------------------------------- timing


def machine() -> str:
    return describe(f", numba {numba.__version__}" if numba is not None else "")


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended (forked workers; the
    system counts those in clock ticks, 10 ms)."""
    t = os.times()
    return time.process_time() + t.children_user + t.children_system


def _timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Elapsed and CPU seconds of one call (worker processes included)."""
    w0, c0 = time.perf_counter(), _cpu()
    fn()
    return time.perf_counter() - w0, _cpu() - c0


def check(sc: Any, n: int, seed: int, workers: int = 1) -> bool:
    """Print and return whether the kernel reproduces the engine: to the bit, or, where numpy's
    SIMD exp/log differ from the C library's in the last bit (AVX-512 machines), to 1e-12
    relative with the same non-finite metrics (the same computation; the timing still holds)."""
    c = compare(sc, n, seed, workers=workers)
    bad = [k for k, v in c["metrics"].items() if not v]
    exact = not bad and c["ledger_kept"] and c["kpis_kept"]
    near = c["metrics_nan_same"] and c["metrics_rel"] < 1e-12 and c["kept_rel"] < 1e-12
    ok = (exact or near) and c["inputs"]
    if exact:
        verdict = "metrics, kept ledger and KPIs bit-identical"
    else:
        verdict = (
            f"metrics within {c['metrics_rel']:.1e} of their size and kept ledger and KPIs within "
            f"{c['kept_rel']:.1e} of their lines' size (last-bit exp/log differences; differ bit-wise: "
            f"{', '.join(bad) or 'none of the metrics'})"
        )
    print(
        f"check at {n:,} samples, seed {seed}, {workers} thread(s): {verdict}; "
        f"sums over samples within {max(c['ledger_sum_rel'], c['kpi_sum_rel']):.1e} relative "
        f"(summation order); P(break-even) {c['p_breakeven']:.3f}"
    )
    return bool(ok)


def profile(sc: Any, n: int, seed: int) -> None:
    """Where ``simulate``'s time goes, single-threaded (cProfile, after a warm-up run)."""
    import cProfile
    import pstats

    import breakeven

    breakeven.simulate(sc, samples=n, seed=seed, workers=1)
    pr = cProfile.Profile()
    pr.enable()
    breakeven.simulate(sc, samples=n, seed=seed, workers=1)
    pr.disable()
    st: dict[tuple[str, int, str], tuple[Any, ...]] = pstats.Stats(pr).stats  # type: ignore[attr-defined]

    def cum(func: str, where: str = "") -> float:
        return sum(v[3] for (f, _, name), v in st.items() if name == func and where in f)

    total = cum("simulate", "engine/simulate.py")
    parts = {
        "sampling inputs (sample_params)": cum("sample_params"),
        "blocks' prepare (schedules to (months, n) arrays)": cum("prepare", "/blocks/"),
        "blocks' step, month by month": cum("step", "/blocks/"),
        "  of which Ctx.record (KPIs, cast to float32)": cum("record", "engine/block.py"),
        "  of which Ctx.book (ledger lines)": cum("book", "engine/block.py"),
        "closing each month's books (close_month)": cum("close_month"),
        "metrics, month by month (MetricsStream.update)": cum("update", "models/metrics.py"),
        "milestones (MilestoneWatch.update)": cum("update", "models/milestones.py"),
        "sums per RNG block (_MonthSums.add)": cum("add", "engine/simulate.py"),
        "copying chunks into Results (store)": cum("store", "engine/simulate.py"),
    }
    top = [k for k in parts if not k.startswith("  ")]
    parts["the rest (layout, allocation, Results)"] = total - sum(parts[k] for k in top)
    print(f"\nwhere simulate's time goes, {n:,} samples, 1 thread (cProfile): {total:.3f} s")
    for k, v in parts.items():
        print(f"  {k:<52} {v:>7.3f} s {100 * v / total:>5.1f}%")
    print("\nper block, step (cumulative, includes its record/book calls):")
    steps = sorted(
        (
            (v[3], f.rsplit("/", 1)[-1])
            for (f, _, name), v in st.items()
            if name == "step" and "/blocks/" in f
        ),
        reverse=True,
    )
    for secs, fname in steps:
        print(f"  {fname:<30} {secs:>7.3f} s")
    print("\nfunctions by own time:")
    rows = sorted(st.items(), key=lambda kv: -kv[1][2])[:15]
    for (f, line, name), stat in rows:
        print(f"  {stat[2]:>7.3f} s  {stat[1]:>6} calls  {name} ({f.rsplit('/', 2)[-1]}:{line})")


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("-n", "--samples", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=1, help="also time this many threads (2)")
    ap.add_argument("--check-only", action="store_true", help="check the metrics, no timing")
    ap.add_argument("--check-samples", type=int, default=20_000)
    ap.add_argument("--profile", action="store_true", help="where simulate's time goes")
    a = ap.parse_args()
    if numba is None:
        print(f"numba is not installed; the compiled yardstick needs it: {INSTALL}")
        return
    import breakeven
    from breakeven.engine.simulate import DEFAULT_CHUNK

    sc = breakeven.load(EXAMPLE)
    H, n = sc.horizon_months, a.samples
    print(f"machine: {machine()}")
    compile_s = _timed(lambda: compiled()(*_tiny_args(sc)))[0]
    print(f"numba compile (first call, not in the timings): {compile_s:.2f} s")
    ok = all(check(sc, a.check_samples, a.seed, w) for w in sorted({1, a.workers}))
    if not ok:
        print("the kernel does not reproduce the engine: its timings would mean nothing")
        sys.exit(1)
    if a.profile:
        profile(sc, n, a.seed)
    if a.check_only or a.profile:
        return

    threads = sorted({1, a.workers})
    p = engine_params(sc, n, a.seed)
    ki = kernel_inputs(sc, p)
    jobs: dict[tuple[int, str], Callable[[], object]] = {}
    for w in threads:
        jobs[(w, "engine: simulate")] = partial(
            breakeven.simulate, sc, samples=n, seed=a.seed, workers=w
        )
        jobs[(w, "kernel: sample + tables + loop")] = partial(kernel_run, sc, n, a.seed, 5_000, w)
        jobs[(w, "kernel: loop alone")] = partial(run_kernel, ki, H, 5_000, w)
    jobs[(1, "engine's sampler alone (sample_params)")] = partial(engine_params, sc, n, a.seed)
    jobs[(1, "kernel's tables alone (kernel_inputs)")] = partial(kernel_inputs, sc, p)
    times: dict[tuple[int, str], list[tuple[float, float]]] = {k: [] for k in jobs}
    # one worker count after the other (a run after a forked one pays a page fault on every
    # page it writes, which the children shared), its jobs interleaved so that the machine's
    # drift hits them alike
    for w in threads:
        group = {k: fn for k, fn in jobs.items() if k[0] == w}
        for fn in group.values():  # warm-up: imports, caches, the memory a run maps
            fn()
        for _ in range(a.repeats):
            for k, fn in group.items():
                times[k].append(_timed(fn))
    wall = {k: statistics.median(x[0] for x in v) for k, v in times.items()}
    cpu = {k: statistics.median(x[1] for x in v) for k, v in times.items()}
    print(
        f"\n{n:,} samples x {H} months; median of {a.repeats} interleaved runs after a warm-up "
        f"(elapsed and CPU time: on a shared machine CPU time is disturbed less); engine "
        f"chunks of {DEFAULT_CHUNK:,}; compile time excluded"
    )
    print(
        f"{'workers':>7}  {'what':<40} {'elapsed s':>9} {'min':>7} {'CPU s':>7} {'min':>7} "
        f"{'µs/sample':>9}"
    )
    for (w, label), v in times.items():
        k = (w, label)
        print(
            f"{w:>7}  {label:<40} {wall[k]:>9.3f} {min(x[0] for x in v):>7.3f} {cpu[k]:>7.3f} "
            f"{min(x[1] for x in v):>7.3f} {1e6 * wall[k] / n:>9.2f}"
        )
    print()
    for w in threads:
        # one worker: CPU time (the same as elapsed on an idle machine, less disturbed on a
        # busy one); two: elapsed time (CPU time adds up both workers)
        t = cpu if w == 1 else wall
        eng = t[(w, "engine: simulate")]
        incl = eng / t[(w, "kernel: sample + tables + loop")]
        line = (
            f"{w} worker{'s' if w > 1 else ' '} ({'CPU' if w == 1 else 'elapsed'} time): engine "
            f"÷ kernel = {incl:.2f}x, sampling in both"
        )
        if w > 1:
            speed = wall[(1, "engine: simulate")] / eng
            line += f" (the engine {speed:.2f}x its one-worker elapsed time)"
        if w == 1:
            sampler = t[(1, "engine's sampler alone (sample_params)")]
            tables = t[(1, "kernel's tables alone (kernel_inputs)")]
            excl = (eng - sampler) / (t[(w, "kernel: loop alone")] + tables)
            line += f"; {excl:.2f}x without it (engine less its sampler ÷ tables + loop)"
        print(f"{line}; goal ≤ {GOAL}x: {'met' if incl <= GOAL else 'NOT met'}")


def _tiny_args(sc: Any) -> tuple[Any, ...]:
    """Arguments for one small call (compiles the kernel)."""
    H = sc.horizon_months
    ki = kernel_inputs(sc, engine_params(sc, 8, 0))
    return (
        ki.s,
        ki.mon,
        ki.heads,
        ki.role_cost,
        0,
        np.empty((len(METRICS), 8)),
        np.zeros((len(LINES), H)),
        np.zeros((len(KPIS), H)),
        np.zeros((len(LINES), H, 0)),
        np.zeros((len(KPIS), H, 0), dtype=np.float32),
    )


if __name__ == "__main__":
    main()
