"""bench/startup.py --instructions reads valgrind's count of the command it ran (no timing here):
a stand-in ``valgrind`` on PATH runs the command and reports a known count, so the test needs
neither valgrind nor its minutes."""

from __future__ import annotations

import importlib.util
import os
import stat
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "startup.py"

FAKE_VALGRIND = """#!/bin/sh
# valgrind --tool=callgrind --callgrind-out-file=/dev/null CMD...: run CMD, report a count
shift 2
"$@" > /dev/null || exit $?
echo "==1== Events    : Ir" >&2
echo "==1== Collected : {count}" >&2
"""


@pytest.fixture()
def startup() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_startup", BENCH)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def fake_valgrind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tool = bin_dir / "valgrind"
    tool.write_text(FAKE_VALGRIND.format(count=count), encoding="utf-8")
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


def test_counts_come_from_valgrinds_report(startup, tmp_path, monkeypatch):
    fake_valgrind(tmp_path, monkeypatch, 1731412345)
    entry = [sys.executable, "-c", "from breakeven.console import main; main()"]
    monkeypatch.setattr(startup, "entry_point", lambda: entry)
    doc = startup.count(["version"], "cache")
    assert doc["rows"] == [
        {"command": "version", "args": ["--version"], "instructions": 1731412345}
    ]


def test_a_failing_command_stops_the_count(startup, tmp_path, monkeypatch):
    fake_valgrind(tmp_path, monkeypatch, 1)
    argv = [sys.executable, "-c", "import sys; sys.exit(3)"]
    with pytest.raises(SystemExit, match="exited with 3"):
        startup.instructions_once(argv, dict(os.environ))


def test_without_valgrind_it_says_what_to_install(startup, monkeypatch):
    monkeypatch.setattr(startup.shutil, "which", lambda name: None)
    with pytest.raises(SystemExit, match="apt-get install valgrind"):
        startup.instructions_once(["true"], dict(os.environ))
