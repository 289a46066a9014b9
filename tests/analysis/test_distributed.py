"""Where simulations run (breakeven.analysis.distributed): Sobol indices and goal-seek give the
same numbers, bit for bit, on a 2-process Dask cluster as in one process; the pool's errors,
progress and scheduler names."""

import numpy as np
import pytest

import breakeven
from breakeven.analysis import distributed
from breakeven.analysis.goalseek import goalseek
from breakeven.analysis.sensitivity import run_design, run_design_on, sobol
from breakeven.engine.inputs import BLOCK
from breakeven.errors import AnalysisError, UncertainError, UserError

from .conftest import tiny

PRICE = "streams.subscription.price_per_month"
CONV = "streams.subscription.conversion"
UNCERTAIN = tiny(price="5 to 500", conversion="30% to 70%", g_and_a="20 to 200", churn="5% to 15%")
WHERE = ("scheduler", "workers")


def without_where(doc):
    return {k: v for k, v in doc.items() if k not in WHERE}


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    """The uncertain tiny plan, loaded from its file (Dask tasks read the file's text)."""
    path = tmp_path_factory.mktemp("distributed") / "plan.yaml"
    path.write_text(UNCERTAIN, encoding="utf-8")
    return breakeven.load(path)


# ---------------------------------------------------------------------------------- the pool


@pytest.mark.parametrize(
    "given, expected",
    [
        (None, None),
        ("processes", None),
        (" local ", None),
        ("sync", "sync"),
        ("Synchronous", "sync"),
        ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786"),
        ("10.0.0.5:8786", "10.0.0.5:8786"),
        ("tcp://[::1]:8786", "tcp://[::1]:8786"),
    ],
)
def test_schedulers(given, expected):
    assert distributed.check_scheduler(given) == expected


@pytest.mark.parametrize(
    "given, words",
    [
        ("", "choose processes"),  # not silently a local cluster
        ("http://localhost:8786", "over tcp://"),
        ("tls://[::1]:8786", "over tcp://"),  # no certificates to give: refused, not a crash
        ("inproc://x", "over tcp://"),
        ("tcp://127.0.0.1", "needs the scheduler's port"),
    ],
)
def test_addresses_breakeven_cannot_use(given, words):
    with pytest.raises(UserError, match=words):
        distributed.check_scheduler(given)


@pytest.mark.parametrize("sends", [b"", b"HTTP/1.0 400 Bad Request\r\n\r\n" * 4])
def test_something_else_listening_is_not_taken_for_a_scheduler(sends, monkeypatch):
    """A listener that never speaks (a web server waiting for a request), or one that sends
    other bytes, is refused in a few seconds: Dask would wait for ever, or read exabytes."""
    import socket
    import threading

    monkeypatch.setattr(distributed, "HANDSHAKE_WAIT_S", 0.5)
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def serve() -> None:
        conn, _ = server.accept()
        if sends:
            conn.sendall(sends)
        threading.Event().wait(2)
        conn.close()

    threading.Thread(target=serve, daemon=True).start()
    words = "not a Dask scheduler" if sends else "no Dask scheduler answered"
    try:
        with pytest.raises(UserError, match=words):
            with distributed.pool(f"tcp://127.0.0.1:{port}"):
                pass
    finally:
        server.close()


@pytest.mark.parametrize("given", ["threads", "tcp:// host", "dask"])
def test_bad_scheduler(given):
    with pytest.raises(UserError, match="choose processes .*, sync .* or the address"):
        distributed.check_scheduler(given)


def test_sync_pool_runs_in_order_with_progress():
    seen = []
    with distributed.pool("sync") as p:
        assert (p.where, p.workers, p.threads) == ("sync (this process)", 1, None)
        out = p.map(
            pow, [(2, 3), (3, 2), (10, 0)], weights=[1, 2, 3], progress=lambda *a: seen.append(a)
        )
        assert out == [8, 9, 1]
        assert p.share([1, "a"]) == [1, "a"]
        assert p.version_warning() is None
    assert seen == [(1, 6), (3, 6), (6, 6)]


def test_sync_pool_stops_at_the_first_user_error():
    from breakeven.models.distributions import parse_number

    seen = []
    with distributed.pool("sync") as p:
        with pytest.raises(UncertainError):  # as it is, without an error hook
            p.map(parse_number, [("1",), ("cheap",), ("3",)], progress=lambda d, n: seen.append(d))
        with pytest.raises(AnalysisError, match="task 1: expected a number"):
            p.map(
                parse_number,
                [("1",), ("cheap",)],
                error=lambda i, text: AnalysisError(f"task {i}: {text}"),
            )
    assert seen == [1]


def test_bad_worker_count():
    with pytest.raises(UserError, match="workers must be at least 1"):
        with distributed.pool("sync", workers=0):
            pass


def test_a_task_answers_with_its_versions():
    out = distributed.answer(int, "7")
    assert out == {"value": 7, "env": distributed.environment()}
    assert distributed.environment().startswith("breakeven ")
    from breakeven.models.distributions import parse_number

    bad = distributed.answer(parse_number, "cheap")
    assert set(bad) == {"error", "env"} and "expected a number" in bad["error"]


def test_remote_runs_need_the_plan_s_file_and_fail_before_any_cluster():
    sc = breakeven.load_text(UNCERTAIN)  # not from a file: the tasks could not read it
    for run in (
        lambda: sobol(sc, n_base=16, scheduler="tcp://127.0.0.1:9"),
        lambda: goalseek(sc, PRICE, "p_breakeven>=0.5", samples=8, scheduler="tcp://127.0.0.1:9"),
    ):
        with pytest.raises(UserError, match="not loaded from a file"):
            run()


def test_no_scheduler_at_the_address(plan):
    with pytest.raises(
        UserError, match="cannot connect to the Dask scheduler at tcp://127.0.0.1:9"
    ):
        goalseek(plan, PRICE, "p_breakeven>=0.5", samples=8, scheduler="tcp://127.0.0.1:9")


# ---------------------------------------------------------------------------------- Sobol


def test_a_design_run_in_parts_is_the_whole_run(plan):
    names = ["streams.subscription.price_per_month", CONV]
    rng = np.random.default_rng(0)
    design = rng.random((3 * BLOCK + 100, len(names)))
    whole = run_design(plan, names, design, ["npv"], seed=1)["npv"]
    parts = [
        run_design(plan, names, design[a : a + BLOCK], ["npv"], seed=1, first=a)["npv"]
        for a in range(0, design.shape[0], BLOCK)
    ]
    assert np.array_equal(whole, np.concatenate(parts))  # bit for bit


def test_sobol_progress_counts_the_design_s_samples(plan):
    seen = []
    r = sobol(plan, "npv", n_base=64, seed=3, progress=lambda d, n: seen.append((d, n)))
    assert seen and seen[-1] == (r["n"], r["n"]) and all(n == r["n"] for _, n in seen)
    assert (r["scheduler"], r["workers"]) == ("sync (this process)", 1)


def test_sobol_on_a_two_process_cluster_is_the_same_as_in_this_process(plan, cluster):
    n_base = 2048  # 2048 × (4 inputs + 2) rows: 3 RNG blocks, 3 tasks on 2 workers
    seen = []
    on_cluster = sobol(
        plan,
        "npv",
        n_base=n_base,
        seed=5,
        scheduler=cluster.scheduler_address,
        progress=lambda d, n: seen.append((d, n)),
    )
    here = sobol(plan, "npv", n_base=n_base, seed=5)
    assert without_where(on_cluster) == without_where(here)  # bit for bit: every index
    assert on_cluster["n"] == n_base * 6 > 2 * BLOCK
    assert on_cluster["scheduler"] == f"Dask cluster at {cluster.scheduler_address} (2 workers)"
    assert on_cluster["workers"] == 2 and here["scheduler"] == "sync (this process)"
    assert seen[-1] == (n_base * 6, n_base * 6) and len(seen) == 3
    assert not any("workers run" in w for w in on_cluster["warnings"])


def test_design_parts_on_a_cluster(plan, cluster):
    names = [PRICE, CONV]
    design = np.random.default_rng(1).random((2 * BLOCK + 7, 2))
    here = run_design(plan, names, design, ["breakeven_month"], seed=2)["breakeven_month"]
    with distributed.pool(cluster.scheduler_address) as p:
        text_file = distributed.plan_text(plan)
        there = run_design_on(p, text_file, plan, names, design, "breakeven_month", 2)
    assert np.array_equal(here, there)


def test_a_worker_s_user_error_stops_the_job(cluster):
    from breakeven.models.distributions import parse_number

    with distributed.pool(cluster.scheduler_address) as p:
        assert p.threads == 1 and p.workers == 2
        assert p.map(parse_number, [("1",), ("2k",)]) == [1.0, 2000.0]
        with pytest.raises(AnalysisError, match="expected a number"):
            p.map(parse_number, [("1",), ("cheap",), ("3",)])


# ---------------------------------------------------------------------------------- goal-seek


@pytest.mark.parametrize(
    "vary, target, kw, case",
    [
        (PRICE, "p_breakeven>=0.5", {"low": 10, "high": 1000}, "crossing"),  # scan, bisection
        (CONV, "npv.p50>=1e15", {}, "unreachable"),  # the scan alone
    ],
)
def test_goalseek_on_a_two_process_cluster_is_the_same_as_in_this_process(
    plan, cluster, vary, target, kw, case
):
    seen = []
    on_cluster = goalseek(
        plan,
        vary,
        target,
        samples=512,
        seed=4,
        tol=1e-3,
        scheduler=cluster.scheduler_address,
        progress=lambda d, n: seen.append((d, n)),
        **kw,
    )
    here = goalseek(plan, vary, target, samples=512, seed=4, tol=1e-3, **kw)
    assert without_where(on_cluster) == without_where(here)  # bit for bit
    assert here["case"] == case
    assert on_cluster["workers"] == 2 and here["scheduler"] == "sync (this process)"
    n = here["iterations"]
    assert seen[-1] == (n, n) and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_goalseek_progress_counts_simulations(plan):
    seen = []
    r = goalseek(
        plan,
        PRICE,
        "p_breakeven>=0.5",
        low=10,
        high=1000,
        samples=64,
        seed=4,
        tol=1e-3,
        progress=lambda d, n: seen.append((d, n)),
    )
    n = r["iterations"]
    assert r["found"] and seen[-1] == (n, n)
    assert [d for d, _ in seen[:-1]] == list(range(1, n + 1))  # one by one in this process
    assert seen[0][1] == 9 + 7  # expected: the 9 points of the scan, then 7 halvings (1e-3 × 8)
