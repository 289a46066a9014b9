import pytest

import breakeven

from ..conftest import EXAMPLE


@pytest.fixture(scope="session")
def example_run():
    """(plan text, summary) of the shipped example simulated with 500 samples, seed 7 (the
    document `breakeven run --json` prints)."""
    from breakeven.analysis.lint import lint
    from breakeven.report.document import run_document

    text = EXAMPLE.read_text(encoding="utf-8")
    sc = breakeven.load_text(text, str(EXAMPLE))
    res = breakeven.simulate(sc, samples=500, seed=7)
    return text, run_document(res, lint(sc, res))


@pytest.fixture
def store(tmp_path):
    from breakeven.store import RunStore

    return RunStore(tmp_path / "runs.duckdb", lock_timeout=0.2)
