"""Start-up stays light (issue 13): importing breakeven and its command line, and running the
light commands, import none of the heavy libraries — a structural check, in fresh processes
(``bench/startup.py`` measures the time; tests never assert timings). And what is loaded
lazily still works: the package's names, results that show themselves, constants written out
so that their module does not need scipy."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import breakeven

from .conftest import TINY

EXAMPLE_TEXT = (Path(__file__).parents[1] / "examples" / "chat-assistant-freemium.yaml").read_text(
    encoding="utf-8"
)

HEAVY = {
    "scipy",
    "plotly",
    "xlsxwriter",
    "openpyxl",
    "pandas",
    "xarray",
    "dask",
    "distributed",
    "SALib",
    "fastapi",
    "uvicorn",
    "duckdb",
    "numba",
}
"""What the light commands must not import — ``validate``, ``infer`` and ``train`` included:
they sample distributions, but on their few thousand samples the normal and logistic functions
are computed without scipy (:mod:`breakeven.models.special`, scipy's own numbers); scipy loads
for a beta or PERT input (its incomplete beta inverse) or a large run."""

ESTIMATE = {
    "infer": ["infer", "--model", "Llama-3.1-8B", "--gpu", "H100"],
    "train": ["train", "--params", "7B", "--tokens", "1T", "--gpu", "H100"],
}
"""As ``bench/startup.py`` runs them (each samples 2,000 draws of its efficiency factors)."""

CORRELATED = (
    "correlations:\n"
    "  - between: [streams.subscription.conversion, market.consumer.churn_per_month]\n"
    "    rank: -0.6\n"
)

CHILD = r"""
import json, sys
args, out = json.loads(sys.argv[1]), sys.argv[2]
code = 0
if args is not None:
    from breakeven.cli import main
    sys.argv = ["breakeven", *args]
    try:
        main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
else:
    import breakeven, breakeven.cli
with open(out, "w") as f:
    json.dump({"code": code, "modules": sorted(sys.modules)}, f)
"""


def modules_after(args: list[str] | None, tmp_path, monkeypatch) -> tuple[set[str], set[str]]:
    """(top-level packages, breakeven's modules) in a fresh process after ``breakeven ARGS``
    (None: after ``import breakeven, breakeven.cli``)."""
    out = tmp_path / "modules.json"
    monkeypatch.setenv("BREAKEVEN_HOME", str(tmp_path / "home"))
    subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(args), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    doc = json.loads(out.read_text())
    assert doc["code"] == 0, args
    mods = set(doc["modules"])
    return {m.split(".")[0] for m in mods}, {m for m in mods if m.startswith("breakeven")}


def test_importing_the_package_and_its_command_line_is_light(tmp_path, monkeypatch):
    top, ours = modules_after(None, tmp_path, monkeypatch)
    assert top & HEAVY == set()
    assert not {"numpy", "yaml", "pydantic"} & top  # no arrays, no catalogs, no schema
    heavy_ours = ("breakeven.scenario.schema", "breakeven.engine", "breakeven.report")
    assert not {m for m in ours if m.startswith(heavy_ours)}
    assert not {m for m in ours if m.startswith(("breakeven.analysis", "breakeven.server"))}


@pytest.mark.parametrize(
    "args",
    [["--version"], ["templates"], ["templates", "--json"], ["gpus"], ["models"], ["prices"]],
)
def test_light_commands_import_no_heavy_library(args, tmp_path, monkeypatch):
    top, ours = modules_after(args, tmp_path, monkeypatch)
    assert top & HEAVY == set(), args
    assert not {m for m in ours if m.startswith(("breakeven.engine", "breakeven.report"))}
    assert "breakeven.scenario.schema" not in ours


def test_validate_imports_no_heavy_library(tmp_path, monkeypatch):
    plan = tmp_path / "plan.yaml"
    plan.write_text(TINY, encoding="utf-8")
    top, _ = modules_after(["validate", str(plan)], tmp_path, monkeypatch)
    assert top & HEAVY == set()


def test_validate_of_a_sound_plan_needs_neither_rich_nor_cldr(tmp_path, monkeypatch):
    """The example validates without warnings: nothing goes through Rich (the error console is
    made on first use) and its currency is a common code (CLDR's list is not read)."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(EXAMPLE_TEXT, encoding="utf-8")
    top, _ = modules_after(["validate", str(plan)], tmp_path, monkeypatch)
    assert not {"rich", "babel", "concurrent"} & top


def test_the_common_currencies_are_iso_codes_cldr_knows():
    """The shortcut in the currency field (a common code is accepted without reading CLDR's list)
    accepts only what the list would."""
    from breakeven.engine.fields import COMMON_CURRENCIES
    from breakeven.format import currency_codes

    assert set(COMMON_CURRENCIES) <= currency_codes()
    assert all(c == c.upper() and len(c) == 3 for c in COMMON_CURRENCIES)


@pytest.mark.parametrize("correlated", [False, True])
def test_validate_samples_the_example_without_scipy(correlated, tmp_path, monkeypatch):
    """The shipped example's lognormal, logit-normal and rate inputs, its capped usage (the
    normal distribution function) and rank correlations (the copula) all sample without scipy;
    neither the analyses the report views use (tornado; variance, which imports scipy) nor the
    views load."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(EXAMPLE_TEXT + (CORRELATED if correlated else ""), encoding="utf-8")
    top, ours = modules_after(["validate", str(plan)], tmp_path, monkeypatch)
    assert top & HEAVY == set()
    assert "breakeven.models.special" in ours  # it did sample
    assert not ours & {
        "breakeven.analysis.sensitivity",
        "breakeven.analysis.update",
        "breakeven.report.view",
    }


def test_validate_loads_scipy_for_a_pert_input(tmp_path, monkeypatch):
    """Where no exact route without scipy exists (the incomplete beta inverse), it is scipy's."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        TINY.replace("conversion: 50%", "conversion: {dist: pert, low: 0.3, mode: 0.5, high: 0.6}"),
        encoding="utf-8",
    )
    top, _ = modules_after(["validate", str(plan)], tmp_path, monkeypatch)
    assert "scipy" in top
    assert top & HEAVY == {"scipy"}


@pytest.mark.parametrize("command", sorted(ESTIMATE))
@pytest.mark.parametrize("lang", [[], ["--json"], ["--lang", "zh"]])
def test_estimates_import_no_heavy_library_nor_the_engine(command, lang, tmp_path, monkeypatch):
    """``infer`` and ``train`` print with the reports' words (:mod:`breakeven.report.i18n`), which
    load neither the engine nor the scenario schema; their samples need no scipy."""
    top, ours = modules_after([*ESTIMATE[command], *lang], tmp_path, monkeypatch)
    assert top & HEAVY == set()
    assert "breakeven.models.special" in ours  # it did sample
    assert not {m for m in ours if m.startswith(("breakeven.engine", "breakeven.analysis"))}
    assert not {m for m in ours if m.startswith(("breakeven.scenario", "breakeven.blocks"))}
    assert "breakeven.report.view" not in ours  # (in Chinese the notes are the sentences')


def test_the_lazy_names_of_the_package():
    for name in breakeven.__all__:
        assert getattr(breakeven, name) is not None
        assert name in dir(breakeven)
    assert breakeven.__version__
    assert breakeven.Scenario is breakeven.scenario.Scenario
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        breakeven.nope  # noqa: B018


def test_results_show_themselves_without_importing_the_reports_first():
    """The engine imports the reports the first time a result is shown."""
    code = (
        "import sys; from breakeven.engine import simulate; "
        "from breakeven.scenario import load_text; "
        f"res = simulate(load_text({TINY!r}), samples=8, seed=1); "
        "before = 'breakeven.report' in sys.modules; "
        "print(before, res.headline()[:10], sorted(res.to_dict())[:2])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.startswith("False Break-even") or out.startswith("False No break-")


def test_constants_written_out_match_their_sources():
    from scipy import special

    from breakeven.cli import common
    from breakeven.compute.hardware import PRECISIONS
    from breakeven.compute.training import MODES
    from breakeven.models.distributions import Z95
    from breakeven.models.metrics import METRIC_DOCS

    assert Z95 == float(special.ndtri(0.95))  # to the bit
    assert common.METRICS == tuple(METRIC_DOCS)
    assert common.PRECISIONS == PRECISIONS
    assert common.TRAINING_MODES == MODES


def test_plans_first_read_in_many_threads_at_once():
    """The sections' models are built on first use (``defer_build``): a server's first requests
    may read plans in several threads at once, and every one must validate as in one thread."""
    code = (
        "import sys\n"
        "from concurrent.futures import ThreadPoolExecutor\n"
        "import breakeven\n"
        "text = sys.stdin.read()\n"
        "with ThreadPoolExecutor(8) as ex:\n"
        "    docs = list(ex.map(lambda _: breakeven.load_text(text).model_dump(mode='json'),"
        " range(16)))\n"
        "print(all(d == docs[0] for d in docs), len(docs))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], input=EXAMPLE_TEXT, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["True", "16"]


GC_CHILD = r"""
import gc, json, sys
from breakeven.console import main
sys.argv = ["breakeven", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit as e:
    code = e.code
print(json.dumps({"code": code, "gc": gc.isenabled(), "frozen": gc.get_freeze_count() > 0}))
"""


@pytest.mark.parametrize(
    ("args", "collector"),
    [
        (
            [
                "validate",
                str(Path(__file__).parents[1] / "examples" / "chat-assistant-freemium.yaml"),
            ],
            False,
        ),
        (["templates"], False),
        (["outputs"], True),  # every command not in LIGHT_COMMANDS collects as usual
    ],
)
def test_console_script_collects_only_beyond_light_commands(args, collector, tmp_path, monkeypatch):
    """The console script starts without the cyclic garbage collector; the app's callback turns
    it back on unless the command is a light one (breakeven.console), whose objects are frozen
    when it ends so that the collection at exit skips them."""
    monkeypatch.setenv("BREAKEVEN_HOME", str(tmp_path / "home"))
    out = subprocess.run(
        [sys.executable, "-c", GC_CHILD, json.dumps(args)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    got = json.loads(out.strip().splitlines()[-1])
    assert got == {"code": 0, "gc": collector, "frozen": not collector}


def test_light_commands_are_commands():
    """Every name in LIGHT_COMMANDS is a command of the app (a renamed command would silently
    keep the collector on)."""
    import typer.main

    from breakeven.cli import LIGHT_COMMANDS, app

    names = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert LIGHT_COMMANDS <= names


BLAS_CHILD = r"""
import json, os, sys
from breakeven.console import main
sys.argv = ["breakeven", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
import numpy  # loaded by the command already
tasks = len(os.listdir("/proc/self/task")) if os.path.isdir("/proc/self/task") else None
print(json.dumps({"env": os.environ.get("OPENBLAS_NUM_THREADS"), "threads": tasks}))
"""


@pytest.mark.parametrize("given", [None, "2"])
def test_console_script_starts_openblas_with_one_thread_unless_told(given, tmp_path, monkeypatch):
    """OpenBLAS's idle threads spin for about 0.1 s of CPU after numpy loads (breakeven.console):
    the console script asks for one thread, and keeps a number the user set."""
    monkeypatch.setenv("BREAKEVEN_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    if given is not None:
        monkeypatch.setenv("OPENBLAS_NUM_THREADS", given)
    example = Path(__file__).parents[1] / "examples" / "chat-assistant-freemium.yaml"
    out = subprocess.run(
        [sys.executable, "-c", BLAS_CHILD, json.dumps(["validate", str(example)])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    got = json.loads(out.strip().splitlines()[-1])
    assert got["env"] == (given or "1")
    if got["threads"] is not None and given is None:
        assert got["threads"] == 1  # the main thread alone: no BLAS worker started
