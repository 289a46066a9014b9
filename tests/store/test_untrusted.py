"""What a fuzzer found `breakeven runs` doing with files and options it should refuse: a SQLite
file as the store (DuckDB went online for an extension), read-only commands creating a store at
a mistyped path, NaN and infinity in a hand-edited store (invalid JSON, "¥infT"), `export --plan`
ignoring a bad --format, and a --limit too large for DuckDB."""

import json
import sqlite3
import time

import pytest
import yaml

from breakeven.store import NoStore, RunStore, StoreError

from ..conftest import TINY

READ_COMMANDS = (
    ["list"],
    ["list", "--json"],
    ["show", "0000000000zz"],
    ["diff", "0000000000zz", "0000000000zy"],
    ["export", "0000000000zz"],
)


@pytest.fixture
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")


def _one_line_error(code, out, err, words):
    assert code == 2, (out, err)
    assert err.startswith("breakeven: ") and err.count("\n") == 1, err
    assert words in err and "Traceback" not in err, err


def _strict_json(text):
    """The document ``text`` holds, refusing what only Python's JSON accepts (NaN, Infinity)."""

    def refuse(token):
        raise ValueError(f"not JSON: {token}")

    return json.loads(text, parse_constant=refuse)


def _saved(cli, write, store, **options):
    """Save the TINY plan in ``store`` with the command line; its id."""
    args = [f"--{k}={v}" for k, v in options.items()]
    code, out, err = cli("runs", "save", write(TINY), "--store", store, "--json", *args)
    assert code == 0, err
    return json.loads(out)["id"]


# ------------------------------------------------------------------------ offline, strictly


def test_a_sqlite_file_is_refused_before_duckdb_opens_it(cli, write, tmp_path):
    """DuckDB takes a SQLite file for a database to attach and went online for its extension
    (a 2 s failure here without network, a download with it): the header is checked first, so
    every command refuses the file at once and leaves it as it was."""
    path = tmp_path / "x.duckdb"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (x INTEGER)")
    db.close()
    before = path.read_bytes()
    for command in (*READ_COMMANDS, ["save", str(write(TINY))]):
        t0 = time.monotonic()
        code, out, err = cli("runs", *command, "--store", path)
        _one_line_error(code, out, err, "not a breakeven run store (not a DuckDB database file)")
        assert "download" not in err and time.monotonic() - t0 < 5, (command, err)
    assert path.read_bytes() == before


def test_connections_never_install_nor_load_extensions(store, tmp_path):
    """Every connection a store opens, read-write or read-only, has DuckDB's installing and
    loading of extensions on demand turned off."""
    _save_tiny(store)
    read_only = RunStore(store.path, read_only=True, lock_timeout=0.2)
    for s in (store, read_only):
        with s._db() as con:
            settings = con.execute(
                "SELECT current_setting('autoinstall_known_extensions'), "
                "current_setting('autoload_known_extensions')"
            ).fetchone()
        assert settings == (False, False), s


def test_a_file_of_another_kind_is_refused_by_the_api(tmp_path):
    """The header check is the store's, not the command line's: any non-empty file without
    DuckDB's magic bytes (a short one too) is refused, read-only or not, and not changed."""
    for name, content in (("sqlite", None), ("short", b"DUCK"), ("zip", b"PK\x03\x04" * 64)):
        path = tmp_path / f"{name}.duckdb"
        if content is None:
            with sqlite3.connect(path) as db:
                db.execute("CREATE TABLE t (x INTEGER)")
            db.close()
        else:
            path.write_bytes(content)
        before = path.read_bytes()
        for read_only in (False, True):
            with pytest.raises(StoreError, match="not a DuckDB database file"):
                RunStore(path, read_only=read_only)
        assert path.read_bytes() == before


# ----------------------------------------------------------- read-only commands create nothing


def test_read_commands_do_not_create_a_store_at_a_mistyped_path(cli, tmp_path):
    """A --store path where there is no file (in a folder that does not exist either) is an
    error for list, show, diff and export, and neither the file nor its folder is created."""
    path = tmp_path / "verify" / "typo.duckdb"
    for command in READ_COMMANDS:
        _one_line_error(*cli("runs", *command, "--store", path), f"{path}: no run store here")
        assert not path.parent.exists(), command


def test_read_commands_leave_an_empty_file_empty(cli, tmp_path):
    """An empty file given to a read-only command is an error, and stays empty (only `runs
    save` makes a store of it)."""
    path = tmp_path / "empty.duckdb"
    path.touch()
    for command in READ_COMMANDS:
        _one_line_error(*cli("runs", *command, "--store", path), f"{path}: an empty file")
        assert path.stat().st_size == 0, command


def test_an_empty_file_becomes_a_store_without_losing_one_made_meanwhile(tmp_path, monkeypatch):
    """Opening an empty file to save removes it so that DuckDB makes a store there — but only
    that empty file: if another process that found it empty too has already put its store in
    its place (between our look and our removal), that store and its runs are left alone."""
    import os

    path = tmp_path / "runs.duckdb"
    path.touch()
    store = RunStore(path)  # the ordinary case: the empty file becomes a store
    first = _save_tiny(store)
    store.close()

    other = tmp_path / "was-empty.duckdb"
    other.touch()
    empty, real_stat, looked = other.stat(), os.stat, []

    def stat(p, *args, **kwargs):  # the first look at `path` sees the empty file it was
        if str(p) == str(path) and not looked:
            looked.append(p)
            return empty
        return real_stat(p, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    again = RunStore(path)
    assert looked and [r["id"] for r in again.list()] == [first]
    again.close()


def test_read_only_store_api(store, tmp_path, tamper):
    """``RunStore(path, read_only=True)``: no file, an empty file or a DuckDB database without
    tables is :class:`NoStore` and left as it was; a store of an older version is refused (not
    migrated); a store reads as usual, refuses to save, and shares the file with a read-write
    store of this process."""
    with pytest.raises(NoStore, match="no run store here"):
        RunStore(tmp_path / "none" / "runs.duckdb", read_only=True)
    assert not (tmp_path / "none").exists()
    empty = tmp_path / "empty.duckdb"
    empty.touch()
    with pytest.raises(NoStore, match="an empty file"):
        RunStore(empty, read_only=True)
    assert empty.stat().st_size == 0
    bare = tmp_path / "bare.duckdb"
    tamper(bare, "SELECT 1")  # a DuckDB database with no tables
    with pytest.raises(NoStore, match="a DuckDB database without runs"):
        RunStore(bare, read_only=True)

    first = _save_tiny(store)
    reader = RunStore(store.path, read_only=True, lock_timeout=0.2)
    assert [r["id"] for r in reader.list()] == [first]
    with pytest.raises(StoreError, match="read-only"):
        _save_tiny(reader)
    second = _save_tiny(store)  # the writer again, then the reader again: no settings clash
    assert [r["id"] for r in reader.list()] == [second, first]


def test_read_only_store_migrates_an_older_version_once(store, monkeypatch):
    """A store one version behind this breakeven, opened to be read (the first thing an upgraded
    user does: `runs list`), is migrated as a save would, and then read read-only."""
    from breakeven.store import db

    run_id = _save_tiny(store)
    store.release()
    v2 = {**db.MIGRATIONS, 2: ("ALTER TABLE runs ADD COLUMN tags VARCHAR",)}
    monkeypatch.setattr(db, "MIGRATIONS", v2)
    monkeypatch.setattr(db, "SCHEMA_VERSION", 2)
    reader = RunStore(store.path, read_only=True)
    assert reader.read_only and reader.schema_version == 2
    assert [r["id"] for r in reader.list()] == [run_id]
    with pytest.raises(StoreError, match="read-only"):
        _save_tiny(reader)
    reader.close()


def _save_tiny(store):
    return store.save(TINY, name="tiny", seed=1, samples=3, summary={"samples": 3})


# -------------------------------------------------------------- numbers that are not numbers


def _tampered(cli, write, tmp_path, tamper):
    """(store, id) of a saved run whose headline columns and summary were edited by hand to
    hold NaN and ±infinity."""
    store = tmp_path / "runs.duckdb"
    run_id = _saved(cli, write, store)
    summary = json.loads(cli("runs", "show", run_id, "--store", store, "--json")[1])["summary"]
    summary["probabilities"]["p_breakeven"] = float("nan")
    summary["metrics"]["npv"]["p50"] = float("inf")
    tamper(
        store,
        "UPDATE runs SET p_breakeven = 'nan', npv_p50 = 'inf', peak_funding_need_p50 = '-inf', "
        "summary = ?",
        [json.dumps(summary)],  # Python writes NaN and Infinity; DuckDB keeps them
    )
    return store, run_id


def test_non_finite_numbers_export_as_strict_json(cli, write, tmp_path, tamper):
    """`runs export` (and every --json) prints strict JSON: NaN and infinity are null."""
    store, run_id = _tampered(cli, write, tmp_path, tamper)
    code, out, err = cli("runs", "export", run_id, "--store", store)
    assert code == 0, err
    doc = _strict_json(out)
    assert doc["headline"]["p_breakeven"] is None and doc["headline"]["npv_p50"] is None
    assert doc["headline"]["peak_funding_need_p50"] is None
    assert doc["summary"]["probabilities"]["p_breakeven"] is None
    assert doc["summary"]["metrics"]["npv"]["p50"] is None
    code, out, err = cli("runs", "export", run_id, "--store", store, "-f", "yaml")
    assert code == 0 and yaml.safe_load(out)["headline"] == doc["headline"]  # null, not .nan
    for command in (["list"], ["show", run_id], ["diff", run_id, run_id]):
        code, out, err = cli("runs", *command, "--store", store, "--json")
        assert code == 0, err
        _strict_json(out)


def test_non_finite_numbers_show_as_missing(cli, write, tmp_path, tamper, wide):
    """The tables show a number that is not one as — (the mark of a missing value), never
    "¥infT" or "nan pts"."""
    store, run_id = _tampered(cli, write, tmp_path, tamper)
    for command in (["list"], ["show", run_id], ["diff", run_id, run_id]):
        code, out, err = cli("runs", *command, "--store", store)
        assert code == 0, err
        assert "inf" not in out.lower() and "nan" not in out.lower(), out
        assert "—" in out
    assert RunStore(store).row(run_id)["headline"]["npv_p50"] is None


# ---------------------------------------------------------------------------------- options


def test_export_plan_refuses_a_format_it_does_not_apply(cli, write, tmp_path):
    """--plan prints the plan's YAML text: a --format other than yaml is an error naming
    --format, as it is without --plan, rather than ignored."""
    store = tmp_path / "runs.duckdb"
    run_id = _saved(cli, write, store)
    for fmt in ("csv", "", "xml", "json"):
        for plan in (["--plan"], []) if fmt != "json" else (["--plan"],):
            _one_line_error(
                *cli("runs", "export", run_id, "--store", store, "-f", fmt, *plan), "--format"
            )
    for fmt in (["-f", "yaml"], ["-f", "YAML"], []):
        code, out, err = cli("runs", "export", run_id, "--store", store, "--plan", *fmt)
        assert code == 0 and out == TINY, err


def test_list_limit_is_bounded(cli, write, tmp_path, store):
    """A --limit beyond DuckDB's integers is an option error naming --limit (it blamed the
    store); the API lists every run for a limit that large."""
    path = tmp_path / "cli.duckdb"
    _saved(cli, write, path)
    code, out, err = cli("runs", "list", "--store", path, "--limit", "99999999999999999999999")
    assert code == 2 and "--limit" in err, err
    assert "run store error" not in err and "Traceback" not in err
    code, out, err = cli("runs", "list", "--store", path, "--limit", "1000000", "--json")
    assert code == 0 and len(json.loads(out)) == 1
    _save_tiny(store)
    assert len(store.list(limit=10**30)) == 1
