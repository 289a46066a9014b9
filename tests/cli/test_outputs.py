"""Every output option of run, compare, sweep and update follows one rule: the folder it writes
into must exist (a missing one is refused, never created), and an empty path is refused naming
the option — one line, exit status 2, before any work and without writing anything."""

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
def test_a_missing_folder_is_refused_not_created(cli, tmp_path, command, option, name):
    missing = tmp_path / "no" / "such"
    code, _, err = cli(*COMMANDS[command], option, missing / name if name else missing)
    assert code == 2 and one_line(err), err
    assert f"{option} " in err and f"the folder {missing} does not exist" in err
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
