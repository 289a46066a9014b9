"""``breakeven compare``: plans that share a name (two plan.yaml in different folders) each get
their own label — the shortest tail of the path that tells them apart — in the JSON, the table
and the HTML report, so no pair of plans is lost; one file given twice is numbered."""

from __future__ import annotations

import json
import re

import pytest

from breakeven.analysis.compare import path_labels

from ..conftest import EXAMPLE


@pytest.fixture
def plans(tmp_path):
    """a/plan.yaml and b/plan.yaml (one scenario name, b with a lower G&A) and c/other.yaml."""
    text = EXAMPLE.read_text(encoding="utf-8")
    out = []
    for rel, body in (
        ("a/plan.yaml", text),
        ("b/plan.yaml", text.replace("g_and_a_per_month: 1.5M to 3M", "g_and_a_per_month: 1M")),
        ("c/other.yaml", text),
    ):
        p = tmp_path / rel
        p.parent.mkdir()
        p.write_text(body, encoding="utf-8")
        out.append(p)
    return out


def test_plans_sharing_a_name_keep_every_pair(cli, plans):
    code, out, err = cli("compare", *plans[:2], "--samples", "200", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert [p["label"] for p in doc["plans"]] == ["a/plan", "b/plan"]
    assert list(doc["p_beats"]) == ["a/plan vs b/plan", "b/plan vs a/plan"]
    code, out, err = cli("compare", *plans, "--samples", "200", "--json")
    doc = json.loads(out)
    assert [p["label"] for p in doc["plans"]] == ["a/plan", "b/plan", "other"]
    assert len(doc["p_beats"]) == 6  # every ordered pair
    assert {a["vs"] for a in doc["assumptions"]} == {"b/plan"}


def test_the_table_and_the_report_use_the_labels(cli, plans, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    report = tmp_path / "cmp.html"
    code, out, err = cli("compare", *plans, "--samples", "200", "--report", report)
    assert code == 0, err
    assert re.search(r"┃ metric +┃ +a/plan ┃ +b/plan ┃ +other ┃", out), out
    for a, b in (("a/plan", "b/plan"), ("a/plan", "other"), ("b/plan", "other")):
        assert f"│ {a} vs {b} " in out
    assert "<h1>a/plan · b/plan · other</h1>" in report.read_text(encoding="utf-8")


def test_one_file_given_twice_is_numbered(cli, plans, monkeypatch):
    """A plan against itself (by one path or two) is allowed — every pair a tie, a check of the
    common random numbers — and its two labels are told apart by number."""
    a = plans[0]
    monkeypatch.chdir(a.parent)
    code, out, err = cli("compare", a, "plan.yaml", "--samples", "100", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert [p["label"] for p in doc["plans"]] == ["plan (1)", "plan (2)"]
    assert doc["p_beats"]["plan (1) vs plan (2)"]["npv_tie"] == 1.0


def test_path_labels_are_the_shortest_distinct_tails(tmp_path, monkeypatch):
    (tmp_path / "w").mkdir()
    monkeypatch.chdir(tmp_path / "w")
    files = ["a/x/plan.yaml", "b/x/plan.yaml", "plan.yml", "../w/other.yaml", "/p/q.yaml"]
    assert path_labels(files) == ["a/x/plan", "b/x/plan", "w/plan", "other", "q"]
    assert path_labels(["x.yaml", "./x.yaml"]) == ["x (1)", "x (2)"]  # one file twice


def test_names_holding_vs_keep_every_pair(cli, tmp_path):
    """Plans named "x vs y", "z", "x" and "y vs z" would make the pairs (x vs y, z) and (x, y vs
    z) one key, "x vs y vs z", and one pair's chances would replace the other's: the labels are
    numbered instead, and all 12 ordered pairs are there."""
    text = EXAMPLE.read_text(encoding="utf-8")
    name = re.search(r"^name: .*$", text, re.M).group(0)
    files = []
    for i, plan in enumerate(["x vs y", "z", "x", "y vs z"]):
        p = tmp_path / f"p{i}.yaml"
        p.write_text(text.replace(name, f"name: {plan}"), encoding="utf-8")
        files.append(p)
    code, out, err = cli("compare", *files, "--samples", "100", "--json")
    assert code == 0, err
    doc = json.loads(out)
    labels = [p["label"] for p in doc["plans"]]
    assert labels == ["x vs y [1]", "z [2]", "x [3]", "y vs z [4]"]
    assert len(doc["p_beats"]) == 12
    assert "x vs y [1] vs z [2]" in doc["p_beats"] and "x [3] vs y vs z [4]" in doc["p_beats"]
