"""`breakeven runs list|show|diff|export|save` end to end, and stores that cannot be used."""

import json

import pytest
import yaml

import breakeven

from ..conftest import TINY, tiny


@pytest.fixture
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")


def test_runs_end_to_end(cli, write, tmp_path, wide):
    store = str(tmp_path / "s" / "runs.duckdb")
    a_file, b_file = write(TINY, "a.yaml"), write(tiny(g_and_a="20"), "b.yaml")
    code, out, err = cli("runs", "save", a_file, "--store", store, "--note", "as planned", "--json")
    assert code == 0, err
    a = json.loads(out)
    assert a["name"] == "tiny hand-checked" and a["note"] == "as planned"
    assert (a["seed"], a["samples"]) == (1, 3)  # the plan's own
    code, out, err = cli("runs", "save", b_file, "--store", store, "-n", "5", "--seed", "2")
    assert code == 0, err
    assert out.startswith("saved run ") and "No break-even within 3 months" in out
    runs = json.loads(cli("runs", "list", "--store", store, "--json")[1])
    b = runs[0]
    assert [r["id"] for r in runs] == [b["id"], a["id"]] and (b["seed"], b["samples"]) == (2, 5)

    code, out, err = cli("runs", "list", "--store", store)
    assert code == 0
    assert a["id"] in out and b["id"] in out and "tiny hand-checked" in out and "as planned" in out
    assert "-¥3.89k" in out and "¥3.8k" in out  # NPV and cash need, through breakeven.format

    code, out, err = cli("runs", "show", a["id"], "--store", store)
    assert code == 0, err
    assert "tiny hand-checked" in out and "seed 1" in out and "note: as planned" in out
    assert "Peak funding need" in out and "¥3.89k" in out and "> 3" in out
    shown = json.loads(cli("runs", "show", a["id"], "--store", store, "--json")[1])
    assert shown["plan_yaml"] == TINY and shown["summary"]["samples"] == 3

    code, out, err = cli("runs", "diff", a["id"], b["id"], "--store", store)
    assert code == 0, err
    assert "company.g_and_a_per_month" in out and "50" in out and "20" in out
    assert "+¥90" in out and "-¥90" in out  # NPV up, funding need down by 3 months × 30
    assert "seed: 1 → 2" in out and "sampling noise" in out
    d = json.loads(cli("runs", "diff", a["id"], b["id"], "--store", store, "--json")[1])
    assert d["assumptions"] == [
        {
            "path": "company.g_and_a_per_month",
            "name": "company.g_and_a_per_month",
            "a": "50",
            "b": "20",
        }
    ]
    npv = d["metrics"][-1]
    assert npv["metric"] == "npv_p50" and npv["change"] == pytest.approx(90)

    code, out, err = cli("runs", "export", a["id"], "--store", store)
    assert code == 0 and json.loads(out)["plan_yaml"] == TINY
    code, out, err = cli("runs", "export", a["id"], "--store", store, "--format", "yaml")
    assert code == 0 and yaml.safe_load(out)["summary"]["seed"] == 1
    code, out, err = cli("runs", "export", a["id"], "--store", store, "--plan")
    assert code == 0 and out == TINY
    target = tmp_path / "out" / "plan.yaml"
    target.parent.mkdir()  # an output's folder must exist
    code, out, err = cli("runs", "export", a["id"], "--store", store, "--plan", "-o", target)
    assert code == 0 and "wrote" in err and breakeven.load(target).name == "tiny hand-checked"


def test_default_store(cli, write, tmp_path, monkeypatch):
    """Listing before the first save says there are no runs, and creates nothing; the first
    save creates the store (and its folder)."""
    monkeypatch.setenv("BREAKEVEN_HOME", str(tmp_path / "home"))
    code, out, err = cli("runs", "list")
    assert code == 0 and "no runs saved" in out
    assert cli("runs", "list", "--json")[1:] == ("[]\n", "")
    assert not (tmp_path / "home").exists()
    code, out, err = cli("runs", "save", write(TINY))
    assert code == 0, err
    assert (tmp_path / "home" / "runs.duckdb").is_file()
    assert len(json.loads(cli("runs", "list", "--json")[1])) == 1


def _one_line_error(code, out, err, words):
    assert code == 2, (out, err)
    assert err.startswith("breakeven: ") and err.count("\n") == 1, err
    assert words in err and "Traceback" not in err


def test_stores_that_cannot_be_used(cli, tmp_path):
    junk = tmp_path / "junk.duckdb"
    junk.write_text("name: not a store\n")
    for path, words in (
        (junk, "not a breakeven run store (not a DuckDB database file)"),
        (tmp_path, "is a folder"),
        (junk / "runs.duckdb", "a part of the path is a file"),
    ):
        for command in (["list"], ["show", "0000000000zz"], ["diff", "a", "b"], ["export", "x"]):
            _one_line_error(*cli("runs", *command, "--store", path), words)


def test_unknown_runs_and_bad_input(cli, write, tmp_path):
    store = str(tmp_path / "runs.duckdb")
    code, out, err = cli("runs", "save", write(TINY), "--store", store, "--json")
    run_id = json.loads(out)["id"]
    _one_line_error(*cli("runs", "show", "0000000000zz", "--store", store), "no run '0000000000zz'")
    _one_line_error(*cli("runs", "diff", "nope", "0000000000zz", "--store", store), "no run 'nope'")
    _one_line_error(
        *cli("runs", "export", run_id, "--store", store, "--format", "xml"), "choose json or yaml"
    )
    code, out, err = cli("runs", "save", write("name: x\nhorizon_months: 0\n"), "--store", store)
    assert code == 2 and "plan.yaml:" in err and "Traceback" not in err  # located problems
    assert len(json.loads(cli("runs", "list", "--store", store, "--json")[1])) == 1


def test_a_run_whose_summary_was_damaged_still_shows(cli, write, tmp_path, wide, tamper):
    """A hand-edited store with a JSON null summary: `runs show` prints what it has (it ended in
    an internal error)."""
    store = str(tmp_path / "runs.duckdb")
    code, out, err = cli("runs", "save", write(TINY), "--store", store, "--json")
    run_id = json.loads(out)["id"]
    tamper(store, "UPDATE runs SET summary = 'null'")
    code, out, err = cli("runs", "show", run_id, "--store", store)
    assert code == 0, err
    assert "P(break-even)" in out
