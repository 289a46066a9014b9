"""Hostile input, faulty output paths, concurrency and kill -9: every fault is a located one-line
error (exit 2) or an internal error (exit 1), in bounded time and memory, and no output the user
saved is ever left corrupt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import breakeven
from breakeven.errors import ScenarioError

from .conftest import EXAMPLE, TINY

SMALL = EXAMPLE.read_text().replace("samples: 10000", "samples: 300")


def _alias_bomb(levels: int = 9) -> str:
    rows = ["name: x", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    rows += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(rows) + f"\ndescription: *a{levels - 1}\n"


def _quadratic_aliases() -> str:
    big = "[" + ", ".join(["1"] * 2000) + "]"
    return "name: x\nbase: &b " + big + "\n" + "".join(f"k{i}: *b\n" for i in range(400))


def _deep_blocks(depth: int = 60) -> str:
    return "name: x\n" + "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "1\n"


CONSUMER = (
    "market:\n  consumer: {market_size: 1M, innovation_per_year: 1%, imitation_per_year: 0.3, "
    "churn_per_month: CHURN, usage: {requests_per_day: 1, input_tokens_per_request: 100, "
    "output_tokens_per_request: 10}}\ncompute: {serving: {per_token: {input_price_per_million: "
    "1, output_price_per_million: 1}}}\n"
)

# name → (file contents, a fragment of the one expected message, the line it names or None)
CASES: dict[str, tuple[str | bytes, str, int | None]] = {
    "alias bomb": (_alias_bomb(), "aliases expand to more than 20,000 values", None),
    "quadratic aliases": (_quadratic_aliases(), "aliases expand to more than", None),
    "nested brackets": (
        "name: x\ndescription: " + "[" * 1400 + "]" * 1400 + "\n",
        "nested more than 32 levels deep",
        2,
    ),
    "nested blocks": (_deep_blocks(), "nested more than 32 levels deep", None),
    "5,000-digit integer": (
        "name: x\nseed: " + "1" * 5000 + "\n",
        "a number longer than 100 characters",
        2,
    ),
    "long number text": (
        "name: x\ndiscount_rate_per_year: '" + "1" * 150 + "'\n",
        "a number longer than 100 characters",
        2,
    ),
    "20,000-digit string": (
        "name: x\ndiscount_rate_per_year: '" + "1" * 19_000 + "x'\n",
        "longer than 200 characters for a number or a range",
        2,
    ),
    "20,000-digit integer field": (
        "name: x\nsamples: '" + "1" * 19_000 + "'\n",
        "as an integer",
        2,
    ),
    "long text": ("name: " + "x" * 30_000 + "\n", "a text longer than 20,000 characters", 1),
    "huge file": (
        "name: x\n" + "".join(f"k{i}: {i}\n" for i in range(30_000)),
        "larger than 256 KiB",
        None,
    ),
    "10,000 values": (
        "name: x\nlist: [" + ", ".join(["1"] * 12_000) + "]\n",
        "more than 10,000 values",
        None,
    ),
    "impossible date": ("name: x\nstart_date: 2025-02-30\n", "cannot be read as a value", 2),
    "lone surrogate": ('name: "a\\ud800b"\n', "lone surrogate", 1),
    "decimal comma": (
        "name: x\n" + CONSUMER.replace("CHURN", "'1,5%'"),
        "a comma is not a decimal point here; write 1.5%",
        3,
    ),
    "boolean months": ("name: x\nhorizon_months: true\n", "expected a number, not true/false", 2),
    "boolean samples": ("name: x\nsamples: true\n", "expected a number, not true/false", 2),
    "unknown currency": (
        "name: x\ncurrency: EUX\n",
        "not an ISO 4217 currency code; did you mean EUR?",
        2,
    ),
    "merge key": ("name: x\nbase: &b {a: 1}\nother:\n  <<: *b\n", "merge keys (<<)", 4),
    "duplicate key": ("name: x\nname: y\n", "duplicate key", 2),
    "latin-1": ("name: café\n".encode("latin-1"), "not UTF-8 text (byte 0xE9", 1),
    "utf-16": ("name: x\n".encode("utf-16"), "UTF-16", 1),
    "binary": (b"name: x\n\x00\x81\xfe\xff" * 10, "not UTF-8 text", 2),
    "NUL byte": ("name: x\x00y\n", "YAML does not allow the character U+0000", 1),
    "empty": ("", "the file is empty", 1),
    "a list": ("- a\n- b\n", "a scenario is a mapping", 1),
    "duplicate correlation": (
        TINY.replace("conversion: 50%", "conversion: 40% to 60%").replace(
            "price_per_month: 10", "price_per_month: 5 to 15"
        )
        + "correlations:\n"
        "  - {between: [streams.subscription.conversion, streams.subscription.price_per_month], "
        "rank: 0.5}\n"
        "  - {between: [streams.subscription.price_per_month, streams.subscription.conversion], "
        "rank: -0.5}\n",
        "already correlated at correlations.0",
        34,
    ),
}


def _write(tmp_path: Path, contents: str | bytes) -> Path:
    p = tmp_path / "plan.yaml"
    if isinstance(contents, bytes):
        p.write_bytes(contents)
    else:
        p.write_text(contents, encoding="utf-8", errors="surrogatepass")
    return p


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_plan_is_one_located_line(case, tmp_path, cli):
    """How fast each is refused is measured by bench/reliability.py, not asserted here."""
    contents, fragment, line = CASES[case]
    path = _write(tmp_path, contents)
    for command in ("validate", "run"):
        code, out, err = cli(command, path)
        assert code == 2, (case, command, out, err)
        assert "Traceback" not in err + out
        lines = err.strip().splitlines()
        assert len(lines) == 1, (case, lines)
        where = f"{path}:{line}:" if line else f"{path}"
        assert lines[0].startswith(where), (case, lines[0])
        assert fragment in lines[0], (case, lines[0])


def test_many_problems_are_counted_after_the_first_fifty(tmp_path, cli):
    path = _write(tmp_path, "name: x\n" + "".join(f"unknown_{i}: 1\n" for i in range(60)))
    code, _, err = cli("validate", path)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 51
    assert lines[-1].endswith("… and 10 more problems (the first 50 are shown)")


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_a_plan_is_read_only_from_a_regular_file(kind, tmp_path, cli):
    if kind == "fifo":
        path = tmp_path / "plan.yaml"
        os.mkfifo(path)  # reading it would block forever
    elif kind == "device":
        path = Path("/dev/zero")  # reading it would never end
    else:
        path = tmp_path
    code, _, err = cli("validate", path)
    assert code == 2 and "not a regular file" in err and len(err.strip().splitlines()) == 1


HOSTILE_IN_SUBPROCESS = ["alias bomb", "quadratic aliases", "nested brackets", "huge file"]


@pytest.mark.parametrize("case", HOSTILE_IN_SUBPROCESS)
def test_hostile_plans_stay_within_memory(case, tmp_path):
    """In a process limited to 1 GB of address space, the worst inputs still end in exit 2."""
    path = _write(tmp_path, CASES[case][0])
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))\n"
        "sys.argv = ['breakeven', 'validate', sys.argv[1]]\n"
        "from breakeven.cli import main\n"
        "main()\n"
    )
    r = subprocess.run(  # the timeout only stops a hang; bench/reliability.py times it
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 2, r.stderr
    assert CASES[case][1] in r.stderr and "Traceback" not in r.stderr


# ------------------------------------------------------------------ outputs


@pytest.fixture
def small_plan(tmp_path) -> Path:
    p = tmp_path / "plan.yaml"
    p.write_text(SMALL, encoding="utf-8")
    return p


def test_two_outputs_cannot_be_one_file(small_plan, tmp_path, cli):
    same = tmp_path / "same.out"
    code, _, err = cli("run", small_plan, "--report", same, "--excel", same)
    assert code == 2 and "--excel and --report name the same file" in err
    assert not same.exists()


@pytest.mark.parametrize("where", ["empty", "under a file", "fifo"])
def test_unwritable_outputs_are_one_line_naming_the_target(where, small_plan, tmp_path, cli):
    if where == "empty":
        target = ""
    elif where == "under a file":
        target = str(small_plan / "report.html")
    else:
        target = str(tmp_path / "out.html")
        os.mkfifo(target)
    code, _, err = cli("run", small_plan, "--report", target)
    assert code == 2 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    if where == "fifo":
        assert f"{target}: exists and is not a regular file" in err
    assert not list(tmp_path.glob(".*.tmp*"))


def test_outputs_of_one_run_are_written_all_or_none(small_plan, tmp_path, cli):
    """A workbook that cannot be written leaves the report written before it as it was."""
    report, fifo = tmp_path / "report.html", tmp_path / "book.xlsx"
    report.write_text("my earlier report")
    os.mkfifo(fifo)
    code, _, err = cli("run", small_plan, "--report", report, "--excel", fifo)
    assert code == 2 and f"{fifo}: exists and is not a regular file" in err
    assert report.read_text() == "my earlier report"
    assert not list(tmp_path.glob(".*.tmp*"))
    code, _, err = cli("run", small_plan, "--report", report, "--excel", tmp_path / "ok.xlsx")
    assert code == 0, err
    assert report.read_text().startswith("<!DOCTYPE html>") and (tmp_path / "ok.xlsx").is_file()


def test_a_batch_commits_nothing_when_it_fails(tmp_path):
    from breakeven.files import all_or_none, write_text

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("old a")
    with pytest.raises(RuntimeError), all_or_none():
        write_text(a, "new a")
        write_text(b, "new b")
        assert a.read_text() == "old a" and not b.exists()  # nothing moved yet
        raise RuntimeError("the third file failed")
    assert a.read_text() == "old a" and not b.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    with all_or_none():
        write_text(a, "new a")
        write_text(b, "new b")
    assert (a.read_text(), b.read_text()) == ("new a", "new b")


def test_memory_is_admitted_before_a_run(small_plan, cli):
    code, _, err = cli("run", small_plan, "--samples", "2000000", "--max-memory", "500M")
    assert code == 2 and "need about" in err and "500 MB available" in err
    code, _, err = cli("run", small_plan, "--max-memory", "lots")
    assert code == 2 and "--max-memory: expected an amount" in err


def test_samples_are_bounded(small_plan, cli):
    code, _, err = cli("run", small_plan, "--samples", "20000000")
    assert code == 2 and "Traceback" not in err


def test_markup_and_control_characters_in_names_are_shown_not_obeyed(tmp_path, cli):
    evil = "[/bold] [link=https://example.com]click[/link] \x1b[2J bell\x07"
    a = tmp_path / "a.yaml"
    b = tmp_path / "b.yaml"
    a.write_text(SMALL.replace("name: Chat assistant, freemium", f"name: {evil!r}"))
    b.write_text(SMALL)
    code, out, err = cli("compare", a, b, "--samples", "300")
    assert code == 0, err
    assert "[/bold] [link=https://example.com]click[/link]" in out
    assert "\x1b" not in out and "\x07" not in out and "\\x1b[2J" in out
    code, out, _ = cli("run", a)
    assert code == 0 and "\x1b" not in out and "[link=https://example.com]" in out


def test_internal_errors_say_so_and_the_traceback_needs_debug(small_plan, cli, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(breakeven.engine, "simulate", broken)
    code, _, err = cli("run", small_plan)
    assert code == 1 and "internal error (RuntimeError: boom)" in err
    assert "Traceback" not in err and "--debug" in err
    code, _, err = cli("--debug", "run", small_plan)
    assert code == 1 and "Traceback" in err


def test_running_out_of_memory_is_a_clear_error(small_plan, cli, monkeypatch):
    def hungry(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(breakeven.engine, "simulate", hungry)
    code, _, err = cli("run", small_plan)
    assert code == 2 and "ran out of memory" in err and "Traceback" not in err


def _breakeven(*args: str | Path, **kw) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("breakeven")
    return subprocess.Popen(
        [str(exe), *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw
    )


def test_concurrent_writers_leave_one_whole_file(small_plan, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book, page = tmp_path / "same.xlsx", tmp_path / "same.html"
    procs = [
        _breakeven(
            "run",
            small_plan,
            "--samples",
            "300",
            "--seed",
            str(i),
            "--excel",
            book,
            "--report",
            page,
        )
        for i in range(4)
    ]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for code, err in results:
        assert code == 0, err
    wb = openpyxl.load_workbook(book, read_only=True)
    assert "Summary" in wb.sheetnames
    wb.close()
    assert page.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".same.")]


def test_kill_9_never_corrupts_the_previous_output(small_plan, tmp_path):
    target = tmp_path / "report.html"
    target.write_text("the previous report", encoding="utf-8")
    proc = _breakeven("run", small_plan, "--samples", "2000", "--report", target)
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:  # until its temporary file appears
        if any(p.name.startswith(".report.html.") for p in tmp_path.iterdir()):
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    text = target.read_text(encoding="utf-8")
    assert text == "the previous report" or text.rstrip().endswith("</html>")
    # the next write removes what the killed writer left, and replaces the report whole
    subprocess.run(
        [
            str(Path(sys.executable).with_name("breakeven")),
            "run",
            str(small_plan),
            "--samples",
            "300",
            "--report",
            str(target),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert target.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report.html.")]


# ------------------------------------------------------------------ fuzzing the bytes


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_corruption_of_a_plan_loads_or_fails_with_located_errors(data):
    """Bytes of the example inserted, deleted or replaced: a plan, or located problems."""
    text = bytearray(SMALL.encode("utf-8"))
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text) - 1))
        op = data.draw(st.sampled_from(["replace", "insert", "delete"]))
        b = data.draw(st.binary(min_size=1, max_size=3))
        if op == "replace":
            text[i : i + len(b)] = b
        elif op == "insert":
            text[i:i] = b
        else:
            del text[i : i + len(b)]
    try:
        decoded = bytes(text).decode("utf-8")
    except UnicodeDecodeError:
        return  # read_plan's business (tested above)
    try:
        breakeven.load_text(decoded, "fuzz.yaml")
    except ScenarioError as e:
        assert all(str(p).startswith("fuzz.yaml") for p in e.problems)
        assert all("\n" not in p.message for p in e.problems)


def test_yaml_the_fuzzer_cannot_reach_is_covered():
    """The corpus above holds each shape the byte fuzzer is unlikely to build by chance."""
    assert {"alias bomb", "nested brackets", "huge file", "latin-1"} <= set(CASES)
    assert yaml.__version__  # PyYAML's pure-Python loader: recursion is caught, not a crash
