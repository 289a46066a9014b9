"""The store survives kill -9 during a save, serves processes one after another, and says so in
one line when its folder is read-only."""

import contextlib
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import pytest

import breakeven
from breakeven.store import RunStore

from ..conftest import ROOT, TINY
from .saver import plan, save_forever, summary

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX processes and signals")


def _spawn(path: Path, start: int) -> tuple[int, io.TextIOBase]:
    """A fresh interpreter running the saver (python -m tests.store.saver)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.store.saver", str(path), str(start)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    return proc.pid, proc.stdout


def _fork(path: Path, start: int) -> tuple[int, io.TextIOBase]:
    """A forked child running the saver (no new interpreter to start: fast)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child saves until it is killed
        os.close(r)
        try:
            with os.fdopen(w, "w") as out:
                save_forever(str(path), start, out)
        finally:
            os._exit(0)
    os.close(w)
    return pid, os.fdopen(r)


def _kill_mid_way(start_child, path: Path, start: int, delay: float) -> tuple[dict[str, int], bool]:
    """Start a saver, let it complete 2 saves, SIGKILL it ``delay`` seconds later. Returns
    ({id: i} of the saves that completed, whether it was killed during a save)."""
    pid, out = start_child(path, start)
    lines: list[str] = []
    try:
        while sum(x.startswith("saved ") for x in lines) < 2:
            line = out.readline()
            assert line, "the saver stopped before it was killed"
            lines.append(line)
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
    finally:
        _, status = os.waitpid(pid, 0)
    lines += out.read().splitlines(keepends=True)
    out.close()
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    done = {}
    for line in lines:
        if line.startswith("saved "):
            _, run_id, i = line.split()
            done[run_id] = int(i)
    return done, lines[-1].startswith("begin ")


def _whole_runs(store: RunStore) -> dict[str, int]:
    """{id: i} of the store's runs, each checked whole: its fields, plan and summary all
    belong to saver run i."""
    found = {}
    for row in store.list():
        i = row["seed"]
        run = store.get(row["id"])
        assert run["name"] == f"run {i}" and run["note"] == f"note {i}"
        assert run["samples"] == i + 1
        assert run["plan_yaml"] == plan(i)
        assert breakeven.load_text(run["plan_yaml"]).name == f"plan {i}"
        assert run["summary"] == summary(i)
        assert run["headline"]["npv_p50"] == -i
        assert run["headline"]["p_breakeven"] == (i % 100) / 100
        found[row["id"]] = i
    return found


def test_kill_9_during_saves_leaves_every_completed_run_intact(tmp_path):
    path = tmp_path / "runs.duckdb"
    rng = random.Random(11)
    completed: dict[str, int] = {}
    killed_in_save = 0
    # three processes in turn, each killed with SIGKILL mid-way; each next one opens the store
    # the previous one was killed writing
    for k in range(3):
        done, in_save = _kill_mid_way(_fork, path, 1000 * (k + 1), rng.uniform(0, 0.15))
        completed |= done
        killed_in_save += in_save
        assert set(completed) <= {r["id"] for r in RunStore(path).list()}, "a save was lost"
    assert killed_in_save >= 1, "no kill landed during a save"
    store = RunStore(path)
    found = _whole_runs(store)  # every run whole: no part of an unfinished save
    assert set(completed) <= set(found)
    # beyond those: at most the save each killed process had committed but not yet reported
    assert len(found) - len(completed) <= 3
    new = store.save(plan(0), name="run 0", seed=0, samples=1, summary=summary(0), note="note 0")
    assert store.list()[0]["id"] == new > max(found)  # newest first, after all that


def test_processes_one_after_another(tmp_path):
    """This process saves a run, a new interpreter opens the store and saves two more (this
    process still holding its RunStore), then this process reads all three, whole."""
    path = tmp_path / "runs.duckdb"
    mine = RunStore(path)
    a = mine.save(plan(1), name="run 1", seed=1, samples=2, summary=summary(1), note="note 1")
    other = subprocess.run(
        [sys.executable, "-m", "tests.store.saver", str(path), "2", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert other.returncode == 0, other.stderr
    theirs = [x.split()[1] for x in other.stdout.splitlines() if x.startswith("saved ")]
    assert len(theirs) == 2
    assert list(_whole_runs(mine)) == [*theirs[::-1], a]  # newest first
    assert mine.diff(a, theirs[-1])["metrics"][-1]["change"] == -2  # npv_p50: -3 - (-1)


# ---------------------------------------------------------------------- read-only folders


def _cli(*args):
    """(exit status, stdout, stderr) of ``breakeven *args``, run in this process."""
    from breakeven.cli import main

    out, err = io.StringIO(), io.StringIO()
    sys.argv = ["breakeven", *args]
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main()
        except SystemExit as e:
            code = e.code
    return [code, out.getvalue(), err.getvalue()]


def _read_only_cases(base: str) -> dict:
    """In a folder made read-only after a store was saved in it: listing works; saving, a new
    store and a store in a new sub-folder are each one line and exit status 2 (listing where
    there is no store, too: it creates none)."""
    cli = _cli
    folder = Path(base) / "ro"
    folder.mkdir()
    plan_file = Path(base) / "plan.yaml"
    plan_file.write_text(TINY, encoding="utf-8")
    store = folder / "runs.duckdb"
    first = cli("runs", "save", str(plan_file), "--store", str(store))
    from breakeven.store.db import _release_all

    _release_all()  # files a store keeps open stay writable: let go before the folder is locked
    folder.chmod(0o555)
    try:
        return {
            "first": first,
            "list": cli("runs", "list", "--store", str(store), "--json"),
            "save": cli("runs", "save", str(plan_file), "--store", str(store)),
            "new": cli("runs", "save", str(plan_file), "--store", str(folder / "new.duckdb")),
            "sub": cli(
                "runs", "save", str(plan_file), "--store", str(folder / "sub" / "runs.duckdb")
            ),
            "list new": cli("runs", "list", "--store", str(folder / "new.duckdb")),
        }
    finally:
        folder.chmod(0o755)


def test_read_only_folder(tmp_path):
    if os.geteuid() != 0:
        res = _read_only_cases(str(tmp_path))
    else:  # root writes anywhere: a child drops to user nobody and runs the cases
        warm, base = tmp_path / "warm", tempfile.mkdtemp(prefix="breakeven-ro-")
        warm.mkdir()
        os.chmod(base, 0o777)
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            with os.fdopen(w, "w") as out:
                try:
                    # the modules the cases use, imported while the interpreter's own files
                    # (under root's home, perhaps) can still be read
                    (warm / "plan.yaml").write_text(TINY, encoding="utf-8")
                    _cli("runs", "save", str(warm / "plan.yaml"), "--store", str(warm / "s"))
                    _cli("runs", "list", "--store", str(warm / "plan.yaml"))
                    os.setgroups([])
                    os.setgid(65534)
                    os.setuid(65534)
                    out.write(json.dumps(_read_only_cases(base)))
                except BaseException:
                    out.write(traceback.format_exc())
                finally:
                    out.flush()
                    os._exit(0)
        os.close(w)
        with os.fdopen(r) as out:
            text = out.read()
        os.waitpid(pid, 0)
        shutil.rmtree(base, ignore_errors=True)
        assert text.startswith("{"), text
        res = json.loads(text)
    assert res["first"][0] == 0, res["first"]
    code, out, err = res["list"]
    assert code == 0 and len(json.loads(out)) == 1  # reading a read-only store works
    for case, words in (
        ("save", "cannot write the run store (permission denied"),
        ("new", "cannot write the run store (permission denied"),
        ("sub", "cannot create the run store's folder (Permission denied)"),
        ("list new", "no run store here"),
    ):
        code, out, err = res[case]
        assert code == 2, (case, res[case])
        assert err.startswith("breakeven: ") and err.count("\n") == 1, (case, err)
        assert words in err and "Traceback" not in err, (case, err)
