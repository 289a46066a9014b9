"""The run store's Python API: save, list, get, diff, export; paths that are not a store."""

import json
import subprocess
import sys
import threading

import duckdb
import numpy as np
import pytest
import yaml

import breakeven
from breakeven.store import RunNotFound, RunStore, StoreBusy, StoreError, default_store_path
from breakeven.store.db import ID_RE, new_id, tool_version

from ..conftest import DAYS, TINY, tiny


def _tiny_need(g_and_a: float) -> float:
    """Peak funding need of the TINY plan by hand (as tests/test_engine.py works it out)."""
    active = [10.0, 10 - 1 + 9.9, 18.9 - 1.89 + 0.01 * (1000 - 19.9)]
    rev = [a * 0.5 * 10 for a in active]
    serve = [a * DAYS * (1000 * 1000 + 500 * 2000) / 1e6 for a in active]
    ebitda = [r - 0.1 * r - s - 200 - g_and_a for r, s in zip(rev, serve, strict=True)]
    return -sum(ebitda)


def _save(store, text, note="", seed=1, samples=3, name=None):
    sc = breakeven.load_text(text)
    doc = breakeven.simulate(sc, samples=samples, seed=seed).to_dict()
    return store.save(
        text, name=name or sc.name, seed=seed, samples=samples, summary=doc, note=note
    )


# ------------------------------------------------------------------------ save / list / get


def test_save_list_get_example(store, example_run):
    text, doc = example_run
    run_id = store.save(text, name="as shipped", seed=7, samples=500, summary=doc, note="hi")
    assert ID_RE.match(run_id)
    [row] = store.list()
    assert row["id"] == run_id and row["name"] == "as shipped" and row["note"] == "hi"
    assert (row["seed"], row["samples"], row["version"]) == (7, 500, tool_version())
    assert (row["currency"], row["horizon_months"], row["start"]) == ("CNY", 60, "2025-01")
    assert row["created"].endswith("Z") and row["created"][:2] == "20"
    h = row["headline"]
    assert h["p_breakeven"] == doc["probabilities"]["p_breakeven"]
    assert h["p_cash_out"] == doc["probabilities"]["p_cash_out"]
    assert h["breakeven_month_p50"] == doc["metrics"]["breakeven_month"]["p50"]
    assert h["peak_funding_need_p50"] == doc["metrics"]["peak_funding_need"]["p50"]
    assert h["peak_funding_need_p90"] == doc["metrics"]["peak_funding_need"]["p90"]
    assert h["npv_p50"] == doc["metrics"]["npv"]["p50"]
    run = store.get(run_id)
    assert run["plan_yaml"] == text
    assert run["summary"] == json.loads(json.dumps(doc))  # the document, as JSON keeps it
    assert {k: v for k, v in run.items() if k not in ("plan_yaml", "summary")} == row
    assert store.row(run_id) == row


def test_headline_by_hand(store):
    """The TINY plan, worked out by hand: never breaks even, cash runs out, and needs
    -sum(EBITDA) of funding (3,890.71 with g&a 50 a month)."""
    run_id = _save(store, TINY)
    h = store.row(run_id)["headline"]
    assert h["p_breakeven"] == 0.0 and h["p_cash_out"] == 1.0
    assert h["breakeven_month_p50"] is None  # beyond the horizon
    assert h["peak_funding_need_p50"] == pytest.approx(_tiny_need(50)) == pytest.approx(3890.707625)
    assert h["npv_p50"] == pytest.approx(-_tiny_need(50))  # zero discount rate


def test_list_newest_first_and_limit(store):
    ids = [_save(store, TINY, note=str(i)) for i in range(3)]
    assert ids == sorted(ids) and len(set(ids)) == 3
    rows = store.list()
    assert [r["id"] for r in rows] == ids[::-1]
    assert [r["note"] for r in store.list(limit=2)] == ["2", "1"]


def test_ids_short_sortable_unique():
    a = new_id(None, now_ms=1_700_000_000_000)
    assert len(a) == 12 and ID_RE.match(a)
    assert new_id(None, now_ms=1_700_000_000_001) > a
    # an id from the "future" (a clock set back): the next one is still greater
    assert new_id(a, now_ms=1_600_000_000_000) > a
    assert len({new_id(None, now_ms=5) for _ in range(200)}) > 190


def test_unknown_run(store):
    _save(store, TINY)
    for bad in ("0000000000zz", "nope", "", "x" * 500, "'; DROP TABLE runs; --"):
        with pytest.raises(RunNotFound, match="no run"):
            store.get(bad)
    assert len(store.list()) == 1


def test_save_refuses_what_is_not_a_run(store):
    doc = {"probabilities": {}}
    with pytest.raises(breakeven.ScenarioError, match="plan:"):
        store.save("name: x\nhorizon_months: -1\n", name="x", seed=1, samples=1, summary=doc)
    for kw, match in (
        ({"seed": -1}, "seed"),
        ({"seed": True}, "seed"),
        ({"samples": 0}, "samples"),
        ({"summary": [1, 2]}, "summary"),
        ({"summary": {"x": object()}}, "summary: not a JSON document"),
    ):
        args = {"name": "x", "seed": 1, "samples": 3, "summary": doc, **kw}
        with pytest.raises(StoreError, match=match):
            store.save(TINY, **args)
    assert store.list() == []


def test_summary_made_json_safe(store):
    doc = {
        "probabilities": {"p_breakeven": np.float64(0.25), "p_cash_out": float("nan")},
        "metrics": {"npv": {"p50": np.float32(-2.5)}, "x": np.arange(3)},
    }
    run = store.get(store.save(TINY, name="", seed=2**100, samples=3, summary=doc))
    assert run["name"] == "tiny hand-checked"  # an empty name: the plan's
    assert run["seed"] == 2**100
    assert run["summary"]["probabilities"] == {"p_breakeven": 0.25, "p_cash_out": None}
    assert run["summary"]["metrics"]["x"] == [0, 1, 2]
    assert run["headline"]["npv_p50"] == -2.5 and run["headline"]["p_cash_out"] is None


def test_threads_share_a_store(store):
    ids: list[str] = []

    def work():
        for _ in range(2):
            ids.append(store.save(TINY, name="t", seed=1, samples=1, summary={}))

    threads = [threading.Thread(target=work) for _ in range(3)]  # 6 saves at once
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(ids)) == 6
    assert [r["id"] for r in store.list()] == sorted(ids, reverse=True)


# ------------------------------------------------------------------------------------- diff


def test_diff_by_hand(store):
    """g&a 50 → 20 a month for 3 months: NPV up and funding need down by exactly 90."""
    a = _save(store, TINY)
    b = _save(store, tiny(g_and_a="20"))
    d = store.diff(a, b)
    assert (d["a"], d["b"]) == (a, b)
    assert d["assumptions"] == [
        {
            "path": "company.g_and_a_per_month",
            "name": "company.g_and_a_per_month",
            "a": "50",
            "b": "20",
        }
    ]
    m = {row["metric"]: row for row in d["metrics"]}
    assert list(m) == [
        "p_breakeven",
        "p_cash_out",
        "breakeven_month_p50",
        "peak_funding_need_p50",
        "peak_funding_need_p90",
        "npv_p50",
    ]
    assert m["npv_p50"]["name"] == "NPV (P50)" and m["npv_p50"]["unit"] == "currency"
    assert m["npv_p50"]["a"] == pytest.approx(-_tiny_need(50))
    assert m["npv_p50"]["b"] == pytest.approx(-_tiny_need(20))
    assert m["npv_p50"]["change"] == pytest.approx(90)
    assert m["peak_funding_need_p50"]["change"] == pytest.approx(-90)
    assert m["p_breakeven"]["change"] == 0 and m["p_breakeven"]["name"].startswith("P(break-even")
    assert m["breakeven_month_p50"]["change"] is None  # never, in both runs
    assert d["settings"] == [] and d["warnings"] == []
    assert [r["id"] for r in d["runs"]] == [a, b]


def test_diff_settings_and_same_run(store):
    a = _save(store, TINY, seed=1)
    b = _save(store, TINY, seed=2, samples=4)
    d = store.diff(a, b)
    assert d["assumptions"] == []
    assert d["settings"] == [
        {"field": "seed", "a": 1, "b": 2},
        {"field": "samples", "a": 3, "b": 4},
    ]
    same = store.diff(a, a)
    assert same["assumptions"] == [] and same["settings"] == []
    assert all(m["change"] in (0, None) for m in same["metrics"])
    with pytest.raises(RunNotFound):
        store.diff(a, "0000000000zz")


def _changes(a_text, b_text):
    from breakeven.store import changed_assumptions

    rows = changed_assumptions(breakeven.load_text(a_text), breakeven.load_text(b_text))
    return [(r["name"], r["a"], r["b"]) for r in rows]


def test_assumptions_that_changed():
    base = TINY
    # ranges and schedules, as written
    other = tiny(price="{0: 10, 2: 12}", conversion="40% to 60%")
    assert _changes(base, other) == [
        ("streams.subscription.price_per_month", "10", "{0: 10, 2: 12}"),
        ("streams.subscription.conversion", "50%", "40% to 60%"),
    ]
    # the same assumption written differently, a default written out, the name, description,
    # samples and seed: no change
    same = (
        tiny(conversion="0.5")
        .replace("name: tiny hand-checked", "name: renamed\ndescription: words")
        .replace("samples: 3", "samples: 30")
        .replace("seed: 1", "seed: 9")
        .replace("churn_per_month: 10%", "churn_per_month: 10%\n    existing_users: 0")
    )
    assert _changes(base, same) == []
    # a choice and the start month
    assert _changes(base, base.replace("currency: CNY", "currency: USD")) == [
        ("currency", "CNY", "USD")
    ]
    assert _changes(base, base + "start: 2026-03\n")[0][0] == "start"


def test_list_items_matched_by_name():
    two = TINY.replace(
        "    - {role: eng, headcount: 2, cost_per_person_per_year: 1200}",
        "    - {role: design, headcount: 1, cost_per_person_per_year: 1000}\n"
        "    - {role: eng, headcount: 3, cost_per_person_per_year: 1200}",
    )
    assert _changes(TINY, two) == [
        (
            "company.team[design]",
            None,
            "{role: design, headcount: 1, cost_per_person_per_year: 1000}",
        ),
        ("company.team[eng].headcount", "2", "3"),
    ]
    assert _changes(two, TINY)[0] == ("company.team[eng].headcount", "3", "2")
    assert _changes(two, TINY)[1][0:2] == (
        "company.team[design]",
        "{role: design, headcount: 1, cost_per_person_per_year: 1000}",
    )


def test_variables_by_name():
    a = TINY.replace("price_per_month: 10", "price_per_month: $price") + "variables: {price: 10}\n"
    b = a.replace("variables: {price: 10}", "variables: {price: 8 to 12}")
    assert _changes(a, b) == [("$price", "10", "8 to 12")]
    from breakeven.store import changed_assumptions

    [row] = changed_assumptions(breakeven.load_text(a), breakeven.load_text(b))
    assert row["path"] == "variables.price"


def test_diff_of_a_plan_that_no_longer_loads(store, tamper):
    a = _save(store, TINY)
    b = _save(store, tiny(g_and_a="20"))
    # as if a later version refused the plan
    tamper(store.path, "UPDATE runs SET plan_yaml = 'name: x\nnot_a_field: 1\n' WHERE id = ?", [a])
    d = store.diff(a, b)
    assert d["assumptions"] == []
    assert "assumptions not compared" in d["warnings"][0]
    assert d["metrics"][-1]["change"] == pytest.approx(90)


# ----------------------------------------------------------------------------------- export


def test_export_json_and_yaml(store, example_run):
    text, doc = example_run
    run_id = store.save(text, name="x", seed=7, samples=500, summary=doc)
    run = store.get(run_id)
    j = json.loads(store.export(run_id, "json"))
    assert j["format"] == "breakeven-run/1"
    assert j["plan_yaml"] == text and j["summary"] == run["summary"]
    assert (j["id"], j["seed"], j["samples"], j["version"]) == (run_id, 7, 500, tool_version())
    y_text = store.export(run_id, "YAML")
    assert "\nplan_yaml: |" in y_text  # the plan as a block of lines, readable
    y = yaml.load(y_text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert y == j
    assert breakeven.load_text(y["plan_yaml"]).name == "Chat assistant, freemium"
    with pytest.raises(StoreError, match="json or yaml"):
        store.export(run_id, "xml")


# ------------------------------------------------------------------------ where, and errors


def test_default_path(monkeypatch, tmp_path):
    monkeypatch.setenv("BREAKEVEN_HOME", str(tmp_path / "home"))
    assert default_store_path() == tmp_path / "home" / "runs.duckdb"
    monkeypatch.delenv("BREAKEVEN_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_store_path() == tmp_path / "xdg" / "breakeven" / "runs.duckdb"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    assert (
        default_store_path() == tmp_path / "user" / ".local" / "share" / "breakeven" / "runs.duckdb"
    )
    monkeypatch.setenv("BREAKEVEN_HOME", str(tmp_path / "a" / "b"))
    s = RunStore()  # the folder is created
    assert s.path == tmp_path / "a" / "b" / "runs.duckdb" and s.path.is_file()


def test_paths_that_are_not_a_store(tmp_path):
    junk = tmp_path / "junk.duckdb"
    junk.write_text("not a database\n" * 100)
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE sales (x INTEGER)")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cases = [
        (junk, "not a breakeven run store \\(not a DuckDB database file\\)"),
        (tmp_path, "is a folder"),
        ("/dev/null", "not a regular file"),
        (other, "a DuckDB database, but not a breakeven run store"),
        (blocker / "sub" / "runs.duckdb", "a part of the path is a file, not a folder"),
    ]
    for path, match in cases:
        with pytest.raises(StoreError, match=match) as e:
            RunStore(path)
        assert "\n" not in str(e.value)
    assert junk.read_text().startswith("not a database")  # left as it was


def test_empty_file_becomes_a_store(tmp_path):
    p = tmp_path / "runs.duckdb"
    p.touch()
    assert RunStore(p).list() == []


def test_busy_store(tmp_path, cli, monkeypatch):
    """A file another process holds: the store waits, then says who holds it (the command
    line: in one line, exit status 2)."""
    import breakeven.cli.runs

    monkeypatch.setattr(breakeven.cli.runs, "LOCK_WAIT", 0.2)
    p = tmp_path / "runs.duckdb"
    RunStore(p).close()
    hold = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys, time; c = duckdb.connect({str(p)!r}); "
            "print('held', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert hold.stdout.readline().strip() == "held"
        with pytest.raises(StoreBusy, match=f"in use by another process \\(PID {hold.pid}\\)"):
            RunStore(p, lock_timeout=0.3)
        code, out, err = cli("runs", "list", "--store", p)
        assert code == 2 and err.count("\n") == 1
        assert err.startswith(f"breakeven: {p}: the run store is in use by another process (PID")
    finally:
        hold.stdin.close()
        hold.wait(10)
    assert RunStore(p).list() == []  # released: usable again


def test_newer_store_refused_and_older_migrated(tmp_path, monkeypatch):
    from breakeven.store import db

    p = tmp_path / "runs.duckdb"
    s = RunStore(p)
    run_id = _save(s, TINY)
    assert s.schema_version == db.SCHEMA_VERSION == 1
    # a later version adds a column: opening the old store migrates it, runs intact
    v2 = {**db.MIGRATIONS, 2: ("ALTER TABLE runs ADD COLUMN tags VARCHAR",)}
    monkeypatch.setattr(db, "MIGRATIONS", v2)
    monkeypatch.setattr(db, "SCHEMA_VERSION", 2)
    s2 = RunStore(p)
    assert s2.schema_version == 2
    assert s2.get(run_id)["plan_yaml"] == TINY
    monkeypatch.undo()
    # this version cannot read a store from the future
    with pytest.raises(StoreError, match="newer breakeven .*version 2"):
        RunStore(p)


def test_closed_store(store):
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.list()
