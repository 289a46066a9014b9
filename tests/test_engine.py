"""The engine: hand-checked numbers, the ledger identity, determinism, chunking, CRN."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import breakeven
from breakeven.engine.inputs import BLOCK
from breakeven.models import metrics as M

from .conftest import EXAMPLE, TINY

DAYS = 365.25 / 12  # 30.4375


def test_tiny_scenario_by_hand():
    res = breakeven.simulate(breakeven.load_text(TINY))
    active = [10.0, 10 - 1 + 9.9, 18.9 - 1.89 + 0.01 * (1000 - 19.9)]
    assert res.kpi("active_users")[0] == pytest.approx(active)
    rev = [a * 0.5 * 10 for a in active]
    serve = [a * DAYS * (1000 * 1000 + 500 * 2000) / 1e6 for a in active]
    ebitda = [r - 0.1 * r - s - 200 - 50 for r, s in zip(rev, serve, strict=True)]
    assert res.line("revenue.subscription")[0] == pytest.approx(rev)
    assert res.line("cogs.payment_fees")[0] == pytest.approx([0.1 * r for r in rev])
    assert res.line("cogs.inference")[0] == pytest.approx(serve)
    assert res.line("opex.people")[0] == pytest.approx([200] * 3)
    assert res.line("ebitda")[0] == pytest.approx(ebitda)
    assert ebitda[0] == pytest.approx(-813.75)
    cash = np.cumsum([1000 + ebitda[0], ebitda[1] + 500, ebitda[2]])
    assert res.line("cash")[0] == pytest.approx(cash)
    m = {k: v[0] for k, v in res.metrics.items()}
    assert np.isnan(m["breakeven_month"])
    assert m["runway_months"] == 1  # cash first negative in month 2
    assert m["peak_funding_need"] == pytest.approx(-sum(ebitda))
    assert m["npv"] == pytest.approx(sum(ebitda))  # zero discount rate
    assert res.probabilities == {"p_breakeven": 0.0, "p_cash_out": 1.0}


def metrics_of(fcf, rate=0.0, cash=None, revenue=None):
    """The metrics of a plan whose EBITDA and free cash flow are ``fcf`` (months, n)."""
    fcf = np.asarray(fcf, dtype=float)
    zero = np.zeros_like(fcf)
    totals = {
        "revenue": np.ones_like(fcf) if revenue is None else np.asarray(revenue, dtype=float),
        "cost_of_revenue": zero,
        "operating_expenses": zero,
        "capex": zero,
        "ebitda": fcf,
        "free_cash_flow": fcf,
        "cash": np.cumsum(fcf, axis=0) if cash is None else np.asarray(cash, dtype=float),
    }
    return M.compute_metrics(totals, rate)


def test_breakeven_and_payback_by_hand():
    fcf = [[-10.0], [-5.0], [4.0], [8.0], [6.0]]
    assert metrics_of(fcf)["breakeven_month"][0] == 3
    assert metrics_of(fcf)["payback_month"][0] == 5  # cumulative: -10, -15, -11, -3, 3
    blip = [[-1.0], [2.0], [-1.0], [3.0], [4.0]]
    assert metrics_of(blip)["breakeven_month"][0] == 2
    assert metrics_of(blip)["sustained_breakeven_month"][0] == 4
    assert np.isnan(metrics_of([[1.0], [-1.0]])["sustained_breakeven_month"][0])
    no_revenue = metrics_of([[0.0], [1.0]], revenue=[[0.0], [1.0]])
    assert no_revenue["breakeven_month"][0] == 2  # a month with no activity is not break-even
    assert metrics_of(fcf)["peak_funding_need"][0] == 15
    assert metrics_of([[1.0], [2.0]])["payback_month"][0] == 0
    assert np.isnan(metrics_of([[-1.0], [0.5]])["payback_month"][0])
    # back above zero, then a new low: payback counts from the last trough
    assert metrics_of([[-2.0], [3.0], [-4.0], [1.0], [5.0]])["payback_month"][0] == 5
    assert metrics_of([[100.0], [100.0]])["npv"][0] == 200
    r = (1.1 ** (1 / 12)) - 1
    assert metrics_of([[100.0]] * 12, 0.1)["npv"][0] == pytest.approx(
        sum(100 / (1 + r) ** t for t in range(1, 13))
    )
    runway = metrics_of([[5.0], [-4.0], [-2.0]], cash=[[5.0], [1.0], [-1.0]])
    assert runway["runway_months"][0] == 2
    assert runway["ending_cash"][0] == -1.0 and runway["ebitda_total"][0] == -1.0


def _first(cond):
    return next((t + 1.0 for t, c in enumerate(cond) if c), np.nan)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.floats(-1e6, 1e6), min_size=3, max_size=3), min_size=1, max_size=14),
    st.floats(0.0, 0.5),
)
def test_metrics_month_by_month_match_their_definitions(flows, rate):
    """Each metric as METRIC_DOCS defines it, sample by sample in plain Python, against the
    month-by-month stream (three samples: columns)."""
    fcf = np.array(flows)
    got = metrics_of(fcf, rate)
    for j in range(fcf.shape[1]):
        f = list(fcf[:, j])
        cum = list(np.cumsum(f))
        good = [x >= 0 for x in f]
        low = min(cum)
        trough = cum.index(low)
        sustained = next((t + 1.0 for t in range(len(f)) if all(good[t:])), np.nan)
        payback = 0.0 if low >= 0 else _first([t > trough and c >= 0 for t, c in enumerate(cum)])
        want = {
            "breakeven_month": _first(good),
            "sustained_breakeven_month": sustained,
            "payback_month": payback,
            "peak_funding_need": max(0.0, -low),
            "runway_months": _first([c < 0 for c in cum]) - 1,
            "ebitda_total": sum(f),
        }
        for k, v in want.items():
            assert got[k][j] == pytest.approx(v, rel=1e-12, abs=1e-6, nan_ok=True), k
        month = (1 + rate) ** (1 / 12)
        npv = sum(x / month ** (t + 1) for t, x in enumerate(f))
        assert got["npv"][j] == pytest.approx(npv, rel=1e-9, abs=1e-6)


@pytest.fixture(scope="module")
def example():
    return breakeven.load(EXAMPLE)


def test_ledger_identity_exact(example):
    res = breakeven.simulate(example, samples=2000, seed=3)
    L = res.ledger.values  # (sample, month, line)
    idx = {k: i for i, k in enumerate(res.lines)}
    cash, ncf = L[:, :, idx["cash"]], L[:, :, idx["net_cash_flow"]]
    assert np.array_equal(cash[:, 1:], cash[:, :-1] + ncf[:, 1:])
    start = example.funding.starting_cash.median
    assert np.array_equal(cash[:, 0], start + ncf[:, 0])
    rev = sum(L[:, :, idx[k]] for k in res.detail_lines if k.startswith("revenue."))
    cogs = sum(L[:, :, idx[k]] for k in res.detail_lines if k.startswith("cogs."))
    opex = sum(L[:, :, idx[k]] for k in res.detail_lines if k.startswith("opex."))
    assert np.allclose(rev - cogs - opex, L[:, :, idx["ebitda"]], rtol=1e-12, atol=1e-3)
    assert np.array_equal(
        L[:, :, idx["net_cash_flow"]], L[:, :, idx["free_cash_flow"]] + L[:, :, idx["funding"]]
    )


@pytest.mark.parametrize("chunk, workers", [(4 * BLOCK, 1), (BLOCK, 2), (2 * BLOCK, 3)])
def test_bit_identical_whatever_the_chunking_and_workers(example, chunk, workers):
    n = 2 * BLOCK + 1234
    a = breakeven.simulate(example, samples=n, seed=7, chunk_size=BLOCK, workers=1)
    b = breakeven.simulate(example, samples=n, seed=7, chunk_size=chunk, workers=workers)
    assert np.array_equal(a.ledger, b.ledger)
    assert np.array_equal(a.kpis, b.kpis)
    assert np.array_equal(a.ledger_sum_lm, b.ledger_sum_lm)
    assert np.array_equal(a.kpi_sum_lm, b.kpi_sum_lm)
    for k in a.metrics:
        assert np.array_equal(a.metrics[k], b.metrics[k], equal_nan=True)
    for k in a.inputs:
        assert np.array_equal(a.inputs[k], b.inputs[k])
    assert a.summary() == b.summary()


def test_a_range_of_samples_is_the_same_samples():
    sc = breakeven.load(EXAMPLE)
    whole = breakeven.simulate(sc, samples=3 * BLOCK, seed=2)
    part = breakeven.simulate(sc, seed=2, sample_range=(BLOCK, 3 * BLOCK))
    assert np.array_equal(part.metrics["npv"], whole.metrics["npv"][BLOCK:])
    with pytest.raises(ValueError, match="multiple"):
        breakeven.simulate(sc, seed=2, sample_range=(100, 3 * BLOCK))


def test_sample_i_does_not_depend_on_sample_count(example):
    small = breakeven.simulate(example, samples=500, seed=11)
    big = breakeven.simulate(example, samples=5000, seed=11)
    assert np.array_equal(small.metrics["npv"], big.metrics["npv"][:500])


def test_same_seed_same_results_other_seed_differs(example):
    a = breakeven.simulate(example, samples=1000, seed=5)
    b = breakeven.simulate(example, samples=1000, seed=5)
    c = breakeven.simulate(example, samples=1000, seed=6)
    assert np.array_equal(a.metrics["npv"], b.metrics["npv"])
    assert not np.array_equal(a.metrics["npv"], c.metrics["npv"])


def test_sampled_inputs_respect_domains(example):
    res = breakeven.simulate(example, samples=5000, seed=1)
    for name, x in res.inputs.items():
        inp = res.input_table[name]
        if inp.domain == "fraction":
            assert np.all((x >= 0) & (x <= 1)), name
        if inp.domain == "positive":
            assert np.all(x > 0), name


def test_shared_variable_is_one_draw():
    sc = breakeven.load_text(
        TINY.replace(
            "per_token: {input_price_per_million: 1000, output_price_per_million: 2000}",
            "per_token: {input_price_per_million: $tok, output_price_per_million: $tok}",
        )
        + "variables: {tok: 500 to 3000}\n"
    )
    res = breakeven.simulate(sc, samples=200, seed=2)
    tok = res.inputs["variables.tok"]
    assert "compute.serving.per_token.input_price_per_million" not in res.inputs
    active = res.kpi("active_users")[:, 0]
    expected = active * 1 * DAYS * (1000 + 500) * tok / 1e6
    assert np.allclose(res.line("cogs.inference")[:, 0], expected, rtol=1e-12)


def test_results_as_labelled_data(example):
    res = breakeven.simulate(example, samples=300, seed=1)
    ds = res.to_xarray()
    assert ds["ledger"].dims == ("sample", "month", "line")
    assert float(ds["ledger"].sel(line="cash", month=1, sample=0)) == res.line("cash")[0, 0]
    cash = ds["ledger"].sel(line="cash").quantile([0.1, 0.5, 0.9], dim="sample")
    assert cash.dims == ("quantile", "month") and cash.shape == (3, res.months)
    assert str(ds["line_kind"].sel(line="revenue.subscription").item()) == "revenue"
    assert int(ds["line_sign"].sel(line="cogs.inference").item()) == -1
    assert ds["metrics"].sel(metric="npv").shape == (300,)
    assert np.array_equal(ds["ledger_mean"].sel(line="cash").values, res.monthly_mean("cash"))
    df = res.to_pandas()
    assert len(df) == 300 and "npv" in df and "market.consumer.market_size" in df
    st_ = res.statement("mean")
    assert list(st_.columns)[:2] == [1, 2] and "ebitda" in st_.index


def test_kept_ledger_is_bounded_and_means_cover_all_samples(example):
    res = breakeven.simulate(example, samples=3000, seed=1, keep_ledger=1000)
    assert res.ledger.shape[0] == 1000
    full = breakeven.simulate(example, samples=3000, seed=1)
    assert np.allclose(res.monthly_mean("revenue"), full.line("revenue").mean(axis=0), rtol=1e-9)


def _written(lo: float, hi: float) -> st.SearchStrategy[float]:
    """Numbers a plan can hold: 0, or at least 1e-30 (closer to 0 is refused, MIN_MAGNITUDE)."""
    return st.floats(lo, hi).filter(lambda x: x == 0 or x >= 1e-30)


@settings(max_examples=15, deadline=None)
@given(
    start=_written(0, 1e9),
    price=st.floats(1, 500),
    conv=_written(0, 1),
    churn=_written(0, 1),
    seed=st.integers(0, 2**31),
)
def test_ledger_identity_holds_for_any_inputs(start, price, conv, churn, seed):
    text = (
        TINY.replace("starting_cash: 1000", f"starting_cash: {start!r}")
        .replace("price_per_month: 10", f"price_per_month: {price!r}")
        .replace("conversion: 50%", f"conversion: {conv!r}")
        .replace("churn_per_month: 10%", f"churn_per_month: {churn!r}")
        .replace("horizon_months: 3", "horizon_months: 24")
    )
    res = breakeven.simulate(breakeven.load_text(text), samples=4, seed=seed)
    cash, ncf = res.line("cash"), res.line("net_cash_flow")
    assert np.array_equal(cash[:, 1:], cash[:, :-1] + ncf[:, 1:])
    assert np.all(res.kpi("active_users") >= 0)
    assert np.all(res.kpi("active_users") <= 1000 + 1e-9)


def test_declared_rank_correlation_is_achieved():
    from scipy.stats import spearmanr

    sc = breakeven.load(EXAMPLE)
    text = EXAMPLE.read_text() + (
        "correlations:\n"
        "  - between: [streams.subscription.conversion, market.consumer.churn_per_month]\n"
        "    rank: -0.6\n"
        "  - between: [market.consumer.market_size, market.consumer.imitation_per_year]\n"
        "    rank: 0.4\n"
    )
    sc = breakeven.load_text(text)
    res = breakeven.simulate(sc, samples=20_000, seed=4, keep_ledger=0)
    r1 = spearmanr(
        res.inputs["streams.subscription.conversion"], res.inputs["market.consumer.churn_per_month"]
    )[0]
    r2 = spearmanr(
        res.inputs["market.consumer.market_size"], res.inputs["market.consumer.imitation_per_year"]
    )[0]
    assert r1 == pytest.approx(-0.6, abs=0.02) and r2 == pytest.approx(0.4, abs=0.02)
    # marginals unchanged: the conversion draws are the same set, reordered
    plain = breakeven.simulate(breakeven.load(EXAMPLE), samples=20_000, seed=4, keep_ledger=0)
    a = np.sort(res.inputs["streams.subscription.conversion"])
    b = np.sort(plain.inputs["streams.subscription.conversion"])
    assert np.quantile(a, 0.5) == pytest.approx(np.quantile(b, 0.5), rel=0.02)


def test_impossible_or_unknown_correlations_are_located_errors():
    base = EXAMPLE.read_text()
    with pytest.raises(breakeven.ScenarioError, match="did you mean"):
        breakeven.load_text(
            base + "correlations:\n  - between: [streams.subscription.convrsion,"
            " market.consumer.churn_per_month]\n    rank: 0.5\n"
        )
    with pytest.raises(breakeven.ScenarioError, match="positive definite"):
        breakeven.load_text(
            base + "correlations:\n"
            "  - {between: [market.consumer.market_size, "
            "market.consumer.churn_per_month], rank: 0.95}\n"
            "  - {between: [market.consumer.market_size, "
            "streams.subscription.conversion], rank: 0.95}\n"
            "  - {between: [market.consumer.churn_per_month, "
            "streams.subscription.conversion], rank: -0.95}\n"
        )


def test_quantile_statements_add_up(example):
    res = breakeven.simulate(example, samples=1000, seed=4)
    for stat in ("p10", "p50", "p90", "mean"):
        st = res.statement(stat)
        gap = st.loc["revenue"] - st.loc["cost_of_revenue"] - st.loc["operating_expenses"]
        assert np.allclose(gap, st.loc["ebitda"], rtol=1e-12, atol=1e-3)
    p50 = res.statement("p50")
    i = p50.attrs["sample"]
    assert res.metrics["npv"][i] == pytest.approx(
        np.quantile(res.metrics["npv"][: res.kept], 0.5), rel=0.01
    )


def test_a_month_closes_into_given_rows_with_the_same_bits():
    """close_month writes the totals it computes into the rows it is given and returns the
    others as the arrays they are (a line, another total, an empty kind's zero)."""
    from breakeven.models import ledger

    detail = {
        "revenue.subscription": np.array([100.0, 50.0]),
        "cogs.inference": np.array([30.0, 10.0]),
        "cogs.payment_fees": np.array([3.0, 1.5]),
        "opex.people": np.array([80.0, 80.0]),
        "funding.equity": np.array([0.0, 1000.0]),
    }
    alias = ledger.total_aliases(detail)
    assert alias["revenue"] == "revenue.subscription" and alias["funding"] == "funding.equity"
    assert alias["capex"] == "" and alias["depreciation"] == ""
    assert alias["cost_of_revenue"] is None and alias["ebitda"] is None
    assert alias["ebit"] == "ebitda" and alias["free_cash_flow"] == "ebitda"
    zero = np.zeros(2)
    zero.flags.writeable = False
    rows = {k: np.full(2, np.nan) for k, v in alias.items() if v is None}
    rows["cash"] = np.array([5.0, 5.0])  # last month's cash, updated in place
    t = ledger.close_month(detail, rows["cash"], zero, rows)
    plain = ledger.close_month(detail, np.array([5.0, 5.0]), zero)
    assert t["ebitda"] is rows["ebitda"] and t["revenue"] is detail["revenue.subscription"]
    assert t["ebitda"].tolist() == [100 - 33.0 - 80, 50 - 11.5 - 80]
    assert t["cash"] is rows["cash"] and t["cash"].tolist() == [5 - 13.0, 5 - 41.5 + 1000]
    for k in plain:
        assert np.array_equal(plain[k], t[k]), k


def test_kept_rows_are_copied_in_runs_of_slices_as_a_list_index_would():
    from breakeven.engine.simulate import _kept_runs

    source = [0, 1, 2, -1, 4, 3, 5, 6]  # line 3 is a total that stays zero; 4 and 5 swap rows
    runs = _kept_runs(source)
    assert [(a.start, a.stop, b.start, b.stop) for a, b in runs] == [
        (0, 3, 0, 3), (4, 5, 4, 5), (5, 6, 3, 4), (6, 8, 5, 7),
    ]  # fmt: skip
    rows = np.arange(7 * 3, dtype=float).reshape(7, 3)
    by_runs, by_index = np.zeros((8, 3)), np.zeros((8, 3))
    for lines, from_rows in runs:
        by_runs[lines] = rows[from_rows]
    lines = [i for i, r in enumerate(source) if r >= 0]
    by_index[lines] = rows[[source[i] for i in lines]]
    assert np.array_equal(by_runs, by_index)
