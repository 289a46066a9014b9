"""Usage errors of every command — a bad option value, an unknown option or command, a missing
argument — are one line, ``breakeven: <message>``, exit status 2, through the console script as
a user runs it (not Typer's boxed usage); help, the version and the other exits are unchanged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import breakeven.engine

from ..conftest import EXAMPLE

BREAKEVEN = Path(sys.executable).with_name("breakeven")  # the console script (breakeven.console)


def console_script(*args: object, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "BREAKEVEN_HOME": str(tmp_path)}
    return subprocess.run(
        [str(BREAKEVEN), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )


GOALSEEK = ["goalseek", EXAMPLE, "--vary", "company.g_and_a_per_month", "--target", "npv.p50>=0"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", EXAMPLE, "--samples", "0"], "Invalid value for '--samples' / '-n'"),
        (["run", EXAMPLE, "--seed", "-1"], "Invalid value for '--seed'"),
        (["run", EXAMPLE, "--bogus"], "No such option: --bogus"),
        (["run"], "Missing argument 'file'"),
        ([*GOALSEEK, "--low", "abc"], "Invalid value for '--low'"),
        (["sensitivity", EXAMPLE, "-n", "x"], "Invalid value for '--samples' / '-n'"),
        (["sweep", EXAMPLE], "Missing option '--vary'"),
        (["compare"], "Missing argument 'files'"),
        (["update", EXAMPLE], "Missing argument 'actuals'"),
        (["validate"], "Missing argument 'files'"),
        (["serve", "--port", "0"], "Invalid value for '--port'"),
        (["runs", "list", "--limit", "0"], "Invalid value for '--limit'"),
        (["runs", "bogus"], "No such command 'bogus'"),
        (["bogus"], "No such command 'bogus'"),
        (["--bogus"], "No such option: --bogus"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args, message, tmp_path):
    r = console_script(*args, tmp_path=tmp_path)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("breakeven: ") and len(r.stderr.splitlines()) == 1, r.stderr
    assert message in r.stderr and not r.stdout


def test_help_version_and_no_arguments_are_unchanged(tmp_path):
    r = console_script("--version", tmp_path=tmp_path)
    assert r.returncode == 0 and r.stdout.startswith("breakeven ") and not r.stderr
    for args in (["--help"], ["runs", "list", "--help"], ["run", "--help"]):
        r = console_script(*args, tmp_path=tmp_path)
        assert r.returncode == 0 and "Usage: breakeven" in r.stdout and not r.stderr, args
    for args in ([], ["runs"]):  # no command: the help, as before
        r = console_script(*args, tmp_path=tmp_path)
        assert r.returncode == 2 and "Usage: breakeven" in r.stdout, args


def test_an_interrupt_still_exits_130(cli, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(breakeven.engine, "simulate", interrupted)
    code, _, err = cli("run", EXAMPLE, "-n", "100")
    assert code == 130 and "Traceback" not in err
