"""Sweep on the tiny hand-checked plan: the grid, hand-checked cells, common random numbers, and
the same rows on a 2-process Dask cluster as in one process."""

import json
import math
import time

import pytest

import breakeven
from breakeven.analysis.sweep import MAX_CELLS, SweepResult, parse_vary, plan_text, sweep
from breakeven.errors import UserError
from breakeven.format import json_safe

from .conftest import DAYS, tiny

PRICE = "streams.subscription.price_per_month"
GA = "company.g_and_a_per_month"
CONV = "streams.subscription.conversion"
UNCERTAIN = tiny(
    conversion="30% to 70%", g_and_a="20 to 200"
)  # P(break-even) strictly inside (0, 1)
FIGS = ("p_breakeven", "breakeven_month_p50", "npv_p50", "peak_funding_need_p90", "p_cash_out")


def direct(text, fixed, samples, seed):
    """The figures of one cell computed without sweep: simulate(plan, fixed=...)."""
    res = breakeven.simulate(breakeven.load_text(text), samples=samples, seed=seed, fixed=fixed)
    return {
        "p_breakeven": res.probabilities["p_breakeven"],
        "breakeven_month_p50": res.metric_summary("breakeven_month")["p50"],
        "npv_p50": res.metric_summary("npv")["p50"],
        "peak_funding_need_p90": res.metric_summary("peak_funding_need")["p90"],
        "p_cash_out": res.probabilities["p_cash_out"],
    }


# ---------------------------------------------------------------------------------- the grid


def test_grid_has_every_cell_in_order():
    r = sweep(tiny(), {PRICE: ["10", 200, "1k"], GA: [50, "5%"]}, samples=1, scheduler="sync")
    assert r.shape == (3, 2) and len(r.rows) == 6
    # the Cartesian product, the first input varying slowest; values read like plan numbers
    assert [(row[PRICE], row[GA]) for row in r.rows] == [
        (10.0, 50.0),
        (10.0, 0.05),
        (200.0, 50.0),
        (200.0, 0.05),
        (1000.0, 50.0),
        (1000.0, 0.05),
    ]
    for row in r.rows:
        assert set(row) == {PRICE, GA, *FIGS}
    assert [i.ref for i in r.inputs] == [PRICE, GA]
    assert r.inputs[0].domain == "positive" and r.inputs[1].domain == "nonnegative"
    assert (r.samples, r.seed) == (1, 1)  # the plan's seed; samples as asked


def test_hand_checked_cells():
    # month 1: 10 active users, half pay p with a 10% fee; tokens cost 10 * DAYS * 2; people 200
    r = sweep(tiny(), {PRICE: [10, 200]}, samples=1, scheduler="sync")
    low, high = r.rows
    assert low["p_breakeven"] == 0 and low["breakeven_month_p50"] is None
    # 4.5 * 200 = 900 >= 10 * DAYS * 2 + 200 + 50: break-even in month 1
    assert high["p_breakeven"] == 1 and high["breakeven_month_p50"] == 1
    # zero discount rate: NPV = 0.45 p s - 2 DAYS s - 3 * 250 over the active user-months s
    s = 10.0 + 18.9 + (18.9 - 1.89 + 0.01 * (1000 - 19.9))
    for row in r.rows:
        p = row[PRICE]
        assert row["npv_p50"] == pytest.approx(0.45 * p * s - 2 * DAYS * s - 750, rel=1e-9)
    assert high["p_cash_out"] == 0


def test_higher_price_raises_p_breakeven_monotonically():
    prices = [60, 120, 180, 240, 300, 400, 600]
    r = sweep(UNCERTAIN, {PRICE: prices}, samples=2048, seed=7, scheduler="sync")
    p = [row["p_breakeven"] for row in r.rows]
    # common random numbers: each sample's EBITDA rises with the price, so P cannot fall
    assert all(a <= b for a, b in zip(p, p[1:], strict=False))
    assert p[0] < 0.5 < p[-1] and len(set(p)) >= 4
    npv = [row["npv_p50"] for row in r.rows]
    assert all(a < b for a, b in zip(npv, npv[1:], strict=False))
    out = [row["p_cash_out"] for row in r.rows]
    assert all(a >= b for a, b in zip(out, out[1:], strict=False))


def test_each_cell_is_a_direct_simulation_bit_for_bit():
    r = sweep(
        UNCERTAIN,
        {PRICE: [100, 250], CONV: ["40%", "60%"]},
        samples=3000,
        seed=11,
        scheduler="sync",
    )
    for row in r.rows:
        want = direct(UNCERTAIN, {PRICE: row[PRICE], CONV: row[CONV]}, 3000, 11)
        assert {k: row[k] for k in FIGS} == want  # ==, not approx


def test_a_schedule_path_holds_every_month():
    plan = tiny(price="{1: 10, 3: 500}")
    r = sweep(plan, {PRICE: [200]}, samples=1, scheduler="sync")
    flat = direct(tiny(price="200"), None, 1, 1)
    assert {k: r.rows[0][k] for k in FIGS} == pytest.approx(flat, rel=1e-12)
    assert set(r.inputs[0].inputs) == {f"{PRICE}.1", f"{PRICE}.3"}


def test_a_variable_holds_every_field_using_it():
    plan = "variables:\n  price: 10 to 30\n" + tiny(price="$price")
    r = sweep(plan, {"$price": [200]}, samples=64, scheduler="sync")
    assert r.inputs[0].inputs == ("variables.price",) and r.inputs[0].label == "$price"
    assert r.rows[0]["p_breakeven"] == 1  # as tiny(price="200"): month 1 breaks even
    by_path = sweep(plan, {PRICE: [200]}, samples=64, scheduler="sync")  # the field: its variable
    assert {k: by_path.rows[0][k] for k in FIGS} == {k: r.rows[0][k] for k in FIGS}


def test_table_and_best_cell():
    r = sweep(UNCERTAIN, {PRICE: [60, 200, 400], GA: [20, 500]}, samples=1024, scheduler="sync")
    t = r.table("p_breakeven")
    assert t.row_inputs == (PRICE,) and t.column_input == GA
    assert t.row_values == ((60.0,), (200.0,), (400.0,)) and t.column_values == (20.0, 500.0)
    assert t.values == tuple(
        tuple(row["p_breakeven"] for row in r.rows[i * 2 : i * 2 + 2]) for i in range(3)
    )
    assert r.table("npv_p50").key == "npv_p50" and r.table("npv").figure == "npv"
    best = r.best("p_breakeven")
    assert best[PRICE] == 400 and best[GA] == 20
    assert r.best("peak_funding_need")["peak_funding_need_p90"] == min(
        row["peak_funding_need_p90"] for row in r.rows
    )
    with pytest.raises(UserError, match="unknown figure 'npvv'; did you mean npv"):
        r.table("npvv")


def test_to_dict_is_json():
    r = sweep(tiny(), {PRICE: [10, 200]}, samples=1, scheduler="sync")
    doc = json.loads(json.dumps(json_safe(r.to_dict())))
    assert doc["cells"] == 2 and doc["rows"][0]["breakeven_month_p50"] is None
    assert doc["vary"][0]["ref"] == PRICE and doc["vary"][0]["values"] == [10.0, 200.0]
    assert doc["scheduler"].startswith("sync")


def test_progress_counts_cells():
    seen = []
    sweep(
        tiny(),
        {PRICE: [10, 20, 30]},
        samples=1,
        scheduler="sync",
        progress=lambda d, n: seen.append((d, n)),
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_plan_as_path_text_or_scenario(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(tiny(), encoding="utf-8")
    assert plan_text(path) == (tiny(), str(path))
    assert plan_text(str(path))[0] == tiny()
    assert plan_text(tiny()) == (tiny(), "<scenario>")
    assert plan_text(breakeven.load(path)) == (tiny(), str(path))
    with pytest.raises(UserError, match="not loaded from a file"):
        plan_text(breakeven.load_text(tiny()))
    changed = breakeven.load(path).model_copy(update={"horizon_months": 2})
    with pytest.raises(UserError, match="differs from its file"):
        plan_text(changed)


# ---------------------------------------------------------------------------------- errors


def test_unknown_path_names_the_closest_inputs():
    with pytest.raises(
        UserError,
        match=r"no input 'streams\.subscription\.prise'.*closest inputs:.*price_per_month",
    ):
        sweep(tiny(), {"streams.subscription.prise": [1, 2]}, samples=1, scheduler="sync")


def test_value_outside_the_domain_is_located():
    with pytest.raises(UserError) as e:
        sweep(tiny(), {CONV: ["5%", "150%"]}, samples=1, scheduler="sync")
    assert str(e.value) == (
        f"vary {CONV}: must be a fraction between 0 and 1 (0% to 100%) (got '150%')"
    )
    with pytest.raises(UserError, match=f"vary {PRICE}: must be greater than 0"):
        sweep(tiny(), {PRICE: [0]}, samples=1, scheduler="sync")
    with pytest.raises(UserError, match="expected a number such as 49"):
        sweep(tiny(), {PRICE: ["cheap"]}, samples=1, scheduler="sync")


@pytest.mark.parametrize(
    "vary, message",
    [
        ({}, "nothing to vary"),
        ({PRICE: []}, f"vary {PRICE}: no values"),
        ({PRICE: "10,20"}, "give a list of values"),
        ({PRICE: [10, "10"]}, "given twice"),
    ],
)
def test_bad_grids(vary, message):
    with pytest.raises(UserError, match=message):
        sweep(tiny(), vary, samples=1, scheduler="sync")


def test_one_input_varied_twice():
    plan = "variables:\n  price: 10 to 30\n" + tiny(price="$price")
    with pytest.raises(UserError, match=f"vary: \\$price and {PRICE} both hold the input"):
        sweep(plan, {"$price": [10], PRICE: [20]}, samples=1, scheduler="sync")


def test_too_large_a_grid_fails_before_any_work():
    calls = []
    vary = {PRICE: list(range(1, 22)), GA: list(range(20))}
    assert 21 * 20 > MAX_CELLS
    with pytest.raises(UserError, match=r"420 cells \(21 × 20\), more than the limit of 400"):
        sweep(tiny(), vary, samples=1, scheduler="sync", progress=lambda d, n: calls.append(d))
    assert calls == []


def test_a_cell_that_fails_names_its_values(monkeypatch):
    import breakeven.analysis.sweep as sw
    from breakeven.errors import SimulationError

    real = sw.simulate

    def simulate(sc, **kw):
        if kw["fixed"][PRICE] == 30:
            raise SimulationError("the plan's numbers overflow")
        return real(sc, **kw)

    monkeypatch.setattr(sw, "simulate", simulate)
    seen = []
    with pytest.raises(UserError, match=f"the cell {PRICE} = 30: the plan's numbers overflow"):
        sweep(
            tiny(),
            {PRICE: [10, 30, 50]},
            samples=1,
            scheduler="sync",
            progress=lambda d, n: seen.append(d),
        )
    assert seen == [1]  # the first failing cell stops the sweep


def test_bad_scheduler():
    with pytest.raises(UserError, match="choose processes .*, sync .* or the address"):
        sweep(tiny(), {PRICE: [10]}, samples=1, scheduler="threads")


@pytest.mark.parametrize(
    "text, message",
    [
        ("price", "write FIELD=v1,v2"),
        ("=1,2", "the field is missing"),
        (f"{PRICE}=", "no values after '='"),
        (f"{PRICE}=1,,2", "an empty value between commas"),
        (f"{PRICE}=1,2,", "an empty value between commas"),
    ],
)
def test_bad_vary_syntax(text, message):
    with pytest.raises(UserError, match=message):
        parse_vary(text)


def test_vary_syntax():
    assert parse_vary(f" {PRICE} = 29, 39 ,1.5k") == (PRICE, ["29", "39", "1.5k"])
    assert parse_vary("$growth=5%") == ("$growth", ["5%"])


# ---------------------------------------------------------------------------------- Dask


def test_a_two_process_cluster_gives_the_same_rows_as_sync(cluster):
    vary = {PRICE: [60, 150, 400], CONV: ["35%", "65%"]}
    seen = []
    on_cluster = sweep(
        UNCERTAIN,
        vary,
        samples=4096,
        seed=5,
        scheduler=cluster.scheduler_address,
        progress=lambda d, n: seen.append((d, n)),
    )
    local = sweep(UNCERTAIN, vary, samples=4096, seed=5, scheduler="sync")
    assert on_cluster.rows == local.rows  # bit for bit: every figure, every cell
    assert on_cluster.scheduler.startswith(f"Dask cluster at {cluster.scheduler_address}")
    assert on_cluster.workers == 2 and on_cluster.warnings == []
    assert sorted(seen) == [(i, 6) for i in range(1, 7)]


def test_an_interrupted_sweep_cancels_its_tasks(cluster):
    from distributed import Client

    def stop(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sweep(
            UNCERTAIN,
            {PRICE: list(range(50, 450, 25))},
            samples=4096,
            scheduler=cluster.scheduler_address,
            progress=stop,
        )
    with Client(cluster) as c:  # the scheduler forgets the sweep's tasks
        deadline = time.monotonic() + 60
        while c.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) and (
            time.monotonic() < deadline
        ):
            time.sleep(0.1)
        assert c.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) == 0


def test_no_scheduler_at_the_address():
    with pytest.raises(
        UserError, match="cannot connect to the Dask scheduler at tcp://127.0.0.1:9"
    ):
        sweep(tiny(), {PRICE: [10]}, samples=1, scheduler="tcp://127.0.0.1:9")


def test_importing_breakeven_does_not_import_dask():
    import subprocess
    import sys

    code = "import sys, breakeven, breakeven.analysis.sweep; print('dask' in sys.modules, 'distributed' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_month_none_is_beyond_the_horizon():
    r = sweep(tiny(), {PRICE: [10]}, samples=1, scheduler="sync")
    assert r.rows[0]["breakeven_month_p50"] is None
    assert not math.isnan(r.rows[0]["npv_p50"])


def test_a_cell_the_plans_checks_refuse_is_named():
    from .test_goalseek import GPU_SECONDS, UTIL

    with pytest.raises(UserError, match=rf"the cell {UTIL} = 0: {UTIL}: must be above 0%"):
        sweep(GPU_SECONDS, {UTIL: [0, 0.5]}, samples=1, scheduler="sync")


def test_a_tie_goes_to_the_cell_that_does_not_run_out_of_cash():
    """Two cells with the same P(break-even): the one with no starting cash ran out of cash in
    every sample and was named best, being first in grid order."""
    rows = [
        {"p_breakeven": 0.5, "p_cash_out": 1.0, "npv_p50": 10.0, "cell": "no cash"},
        {"p_breakeven": 0.5, "p_cash_out": 0.0, "npv_p50": 10.0, "cell": "funded"},
    ]
    fake = type("R", (), {"rows": rows, "best": SweepResult.best})()
    assert fake.best("p_breakeven")["cell"] == "funded"


def test_a_field_named_with_an_equals_sign_is_split_after_its_brackets():
    """``company.team[R=D].cost…=200k,400k``: the '=' inside a name's brackets is the name's."""
    from breakeven.analysis.sweep import parse_vary

    assert parse_vary("company.team[R=D].cost_per_person_per_year=200k,400k") == (
        "company.team[R=D].cost_per_person_per_year",
        ["200k", "400k"],
    )
