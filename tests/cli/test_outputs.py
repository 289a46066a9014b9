"""Every output option of run, compare, sweep, update and new follows one rule: a missing folder
is created when the output is written — after the work succeeded, so a failed command leaves no
folder behind — a file where a folder should be and an empty path are refused naming the option,
one line, exit status 2, before any work and without writing anything."""

from __future__ import annotations

import pytest

from ..conftest import EXAMPLE, ROOT

PLAN = ROOT / "examples" / "actuals" / "plan.yaml"
ACTUALS = ROOT / "examples" / "actuals" / "actuals.csv"
G_AND_A = "company.g_and_a_per_month=1M,2M"

COMMANDS = {  # each command, ready for one more output option
    "run": ["run", EXAMPLE, "-n", "100"],
    "compare": ["compare", EXAMPLE, PLAN, "-n", "100"],
    "sweep": ["sweep", EXAMPLE, "--vary", G_AND_A, "-n", "16", "--scheduler", "sync"],
    "update": ["update", PLAN, ACTUALS, "-n", "100"],
}
OPTIONS = [
    ("run", "--report", "x.html"),
    ("run", "--excel", "x.xlsx"),
    ("run", "--out", ""),  # a folder: the JSON document goes into it
    ("compare", "--report", "x.html"),
    ("sweep", "--report", "x.html"),
    ("update", "--out", "x.yaml"),
    ("update", "--report", "x.html"),
]


def one_line(err: str) -> bool:
    return err.startswith("breakeven: ") and len(err.splitlines()) == 1


@pytest.mark.parametrize("command, option, name", OPTIONS)
def test_a_missing_folder_is_created_when_the_output_is_written(
    cli, tmp_path, command, option, name
):
    missing = tmp_path / "no" / "such"
    code, _, err = cli(*COMMANDS[command], option, missing / name if name else missing)
    assert code == 0, err
    written = missing / name if name else missing / "chat-assistant-freemium.json"
    assert written.is_file()


def test_a_failed_command_creates_no_folder(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nhorizon_months: 0\n", encoding="utf-8")
    out = tmp_path / "no" / "such"
    code, _, err = cli(
        "run", bad, "--report", out / "r.html", "--out", out, "--excel", out / "x.xlsx"
    )
    assert code == 2, err
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("command, option, name", OPTIONS)
def test_an_empty_path_is_refused_naming_the_option(
    cli, tmp_path, monkeypatch, command, option, name
):
    monkeypatch.chdir(tmp_path)  # `run --out ''` wrote <name>.json into the working folder
    code, _, err = cli(*COMMANDS[command], option, "")
    assert code == 2 and one_line(err), err
    assert f"Invalid value for '{option}': empty" in err
    assert not list(tmp_path.iterdir())


def test_a_file_where_the_folder_should_be_is_refused(cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _, err = cli("run", EXAMPLE, "-n", "100", "--out", blocker)
    assert code == 2 and one_line(err) and f"{blocker} is not a folder" in err, err


def test_outputs_into_folders_that_exist_are_written(cli, tmp_path):
    code, _, err = cli(
        *COMMANDS["run"], "--out", tmp_path, "--report", tmp_path / "r.html", "--json"
    )
    assert code == 0, err
    assert (tmp_path / "chat-assistant-freemium.json").is_file()
    assert (tmp_path / "r.html").is_file()


def test_new_follows_the_rule_of_every_output(cli, tmp_path, monkeypatch):
    """`new TEMPLATE PATH` too: a missing folder is made, an empty path is refused (it said the
    working folder "already exists"), and a folder is not a plan's file name."""
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("new", "chat-assistant-freemium", "")
    assert code == 2 and one_line(err) and "empty (give a path)" in err, err
    code, _, err = cli("new", "chat-assistant-freemium", tmp_path)
    assert code == 2 and one_line(err) and "is a folder" in err, err
    code, out, _ = cli("new", "chat-assistant-freemium", tmp_path / "no" / "plan.yaml")
    assert code == 0 and (tmp_path / "no" / "plan.yaml").is_file(), out
