"""Every command's terminal output, in English and Chinese, in an 80-column terminal: one number
style (no exponents, no long decimal tails), nothing wider than the terminal, and the tornado's
input names wrapped at their parts, never inside a word. (Chinese sentences are checked by
tests/test_chinese_everywhere.py; the reports' numbers by tests/report.)"""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from .conftest import EXAMPLE, ROOT

ACTUALS = ROOT / "examples" / "actuals"
EXPONENT = re.compile(r"\d(?:\.\d+)?e[+-]?\d", re.IGNORECASE)
DECIMAL = re.compile(r"(?<![\w.])[\d,]*\d\.(\d+)(?![\w.])")


def too_precise(number: str) -> bool:
    """More than 4 significant digits behind more than 2 decimals: 0.048584, 68,425,887.2362
    (0.01875, 0.0005579 and 1,234.5 are fine)."""
    m = DECIMAL.fullmatch(number)
    if m is None or len(m.group(1)) <= 2:
        return False
    return len(number.replace(",", "").replace(".", "").lstrip("0")) > 4


COMMANDS = {
    "run": ["run", EXAMPLE, "-n", "400"],
    "sensitivity": ["sensitivity", EXAMPLE, "-n", "400"],
    "sobol": ["sensitivity", EXAMPLE, "--method", "sobol", "-n", "64"],
    "goalseek": [
        "goalseek",
        EXAMPLE,
        "--vary",
        "streams.subscription.conversion",
        "--target",
        "p_breakeven>=0.8",
        "-n",
        "200",
    ],
    "compare": ["compare", EXAMPLE, EXAMPLE, "-n", "300"],
    "sweep": [
        "sweep",
        EXAMPLE,
        "--vary",
        "streams.subscription.conversion=3%,5%",
        "-n",
        "200",
        "--scheduler",
        "sync",
    ],
    "update": ["update", ACTUALS / "plan.yaml", ACTUALS / "actuals.csv", "-n", "1024"],
    "validate": ["validate", EXAMPLE],
    "templates": ["templates"],
    "gpus": ["gpus"],
    "models": ["models"],
    "prices": ["prices"],
    "infer": ["infer", "--model", "Qwen2.5-72B", "--gpu", "H800", "--gpus", "4", "--samples", "50"],
    "train": ["train", "--params", "7B", "--tokens", "1T", "--gpu", "H100", "--samples", "50"],
}


@pytest.fixture
def narrow(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")

    def _run(*args: object) -> str:
        code, out, err = cli(*args)
        assert code == 0, err
        return out + err

    return _run


def _numbers_problems(text: str) -> list[str]:
    bad = []
    for line in text.splitlines():
        if "/" in line and ("http" in line or ".yaml" in line or ".csv" in line):
            continue  # a path or an address
        if EXPONENT.search(line) or any(too_precise(m.group(0)) for m in DECIMAL.finditer(line)):
            bad.append(line.strip())
    return bad


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_one_number_style_within_80_columns(narrow, command, lang):
    out = narrow(*COMMANDS[command], "--lang", lang)
    assert not _numbers_problems(out), _numbers_problems(out)[:5]
    # a line that names the plan's file is as long as its path
    wide = [ln for ln in out.splitlines() if cell_len(ln) > 80 and str(ROOT) not in ln]
    assert not wide, wide[:3]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tornado_names_wrap_at_their_parts(narrow, lang):
    import json

    args = ("sensitivity", EXAMPLE, "-n", "400", "--lang", lang)
    labels = [r["label"] for r in json.loads(narrow(*args, "--json"))["rows"]]
    out = narrow(*args)
    names: list[list[str]] = []
    for line in out.splitlines():
        cells = line.split("│")
        if len(cells) < 4:
            continue
        rank, name = cells[1].strip(), cells[2].strip()
        if rank:
            names.append([name])
        elif names and name:
            names[-1].append(name)
    assert len(names) == len(labels)
    assert any(len(parts) > 1 for parts in names)  # 80 columns do wrap the long ones
    column = max(cell_len(p) for parts in names for p in parts)
    for label, parts in zip(labels, names, strict=True):
        pos = 0
        for piece in parts[:-1]:
            assert label.startswith(piece, pos), (label, parts)
            pos += len(piece)
            at_a_part = label[pos - 1] in "._" or label[pos] == " "
            assert at_a_part or cell_len(piece) == column, (label, parts)  # or a full line
            pos += label[pos] == " "
        assert label[pos:] == parts[-1], (label, parts)


CONSUMER_WORDS = re.compile(r"free users?|paying users?|免费用户|付费用户")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_templates_report_fits_its_plan(lang):
    """The HTML report of every template, in both languages: one number style in its visible
    text, and nothing said of free or paying users in a plan that has no consumer users."""
    import breakeven
    from breakeven.report.html import render_html
    from breakeven.scenario import templates

    from .test_chinese_everywhere import visible

    without_consumers = 0
    for name in templates.names():
        res = breakeven.simulate(breakeven.load(templates.path(name)), samples=200, seed=1)
        text = visible(render_html(res, lang=lang, tornado_rows=False))
        assert not _numbers_problems(text), (name, _numbers_problems(text)[:3])
        consumer = "paying_users" in res.kpi_names or "active_users" in res.kpi_names
        if not consumer:
            without_consumers += 1
            said = [ln.strip() for ln in text.splitlines() if CONSUMER_WORDS.search(ln)]
            assert not said, (name, said[:3])
    assert without_consumers >= 3  # the to-business, API and buyer templates
